"""gensim's LdaModel trained on 10,000,000 tokens that never sit in memory.

The corpus is ``TopicMixtureGenerator.stream(..., format="bow")``: a re-iterable corpus with
``len()`` that draws its documents again, chunk by chunk, on every pass, so LdaModel makes
several passes over a corpus it never holds. The truth is Griffiths & Steyvers' bars (10 topics
over 25 words, Dirichlet(1) proportions, 100 words a document); the script prints the time,
the peak memory of this process against its memory before training (the baseline, measured
in the same run) and the topic match report of the model against the truth.

Too slow for CI's examples (a few minutes on 2 cores). Run:
python benchmarks/stream_lda_10m.py [--docs 100000] [--passes 2] [--chunksize 250]
"""

import argparse
import resource
import time

from gensim.models import LdaModel

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import bars_topics


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents of 100 words")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--chunksize", type=int, default=250, help="documents per update")
    args = parser.parse_args()
    truth = TopicMixtureGenerator(
        bars_topics(5), doc_topic_prior=1.0, doc_length=100, random_state=0
    ).fit()
    corpus = truth.stream(args.docs, chunk_size=1000, format="bow", random_state=1)
    before = _peak_mb()
    start = time.perf_counter()
    # gensim's default chunksize is the whole corpus (one update per pass): update often
    model = LdaModel(
        corpus,
        id2word=corpus.id2word,
        num_topics=len(truth.topic_names_),
        chunksize=args.chunksize,
        passes=args.passes,
        alpha="auto",
        random_state=0,
    )
    seconds = time.perf_counter() - start
    n_tokens = args.docs * 100
    print(f"LdaModel on stream(format='bow'): {n_tokens:,} tokens, {args.passes} passes, "
          f"{seconds:.0f} s ({n_tokens * args.passes / seconds / 1e6:.2f} M tokens/s read)")
    print(f"peak memory {_peak_mb():.0f} MB; before training {before:.0f} MB "
          f"(the whole corpus as token lists would take about {n_tokens * 8 / 2**20:,.0f} MB "
          "of pointers alone)")
    print(match_topics(truth, model))


if __name__ == "__main__":
    main()
