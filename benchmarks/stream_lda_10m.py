"""gensim's LdaModel trained on 10,000,000 tokens that never sit in memory.

The corpus is ``TopicMixtureGenerator.stream(..., format="bow")``: a re-iterable corpus with
``len()`` that draws its documents again, chunk by chunk, on every pass, so LdaModel makes
several passes over a corpus it never holds. The truth is Griffiths & Steyvers' bars (10 topics
over 25 words, Dirichlet(1) proportions, 100 words a document); the script prints the time and
the peak memory of this process against its memory before training, the topic match report
of the model against the truth, then (the baseline, in the same run) the same training on the
same documents held in memory as a list: its time, and the peak memory that holding them took.

Too slow for CI's examples (a few minutes on 2 cores). Run:
python benchmarks/stream_lda_10m.py [--docs 100000] [--passes 2] [--chunksize 250]
[--skip-baseline]
"""

import argparse
import resource
import time

import numpy as np
from gensim.models import LdaModel

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import bars_topics


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _train(corpus, id2word, args, n_topics):
    """The LdaModel of the run, and the seconds it took."""
    start = time.perf_counter()
    # gensim's default chunksize is the whole corpus (one update per pass): update often
    model = LdaModel(
        corpus,
        id2word=id2word,
        num_topics=n_topics,
        chunksize=args.chunksize,
        passes=args.passes,
        alpha="auto",
        random_state=0,
    )
    return model, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents of 100 words")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--chunksize", type=int, default=250, help="documents per update")
    parser.add_argument("--skip-baseline", action="store_true", help="no in-memory fit")
    args = parser.parse_args()
    truth = TopicMixtureGenerator(
        bars_topics(5), doc_topic_prior=1.0, doc_length=100, random_state=0
    ).fit()
    n_topics, n_tokens = len(truth.topic_names_), args.docs * 100
    corpus = truth.stream(args.docs, chunk_size=1000, format="bow", random_state=1)
    before = _peak_mb()
    model, seconds = _train(corpus, corpus.id2word, args, n_topics)
    print(f"LdaModel on stream(format='bow'): {n_tokens:,} tokens, {args.passes} passes, "
          f"{seconds:.0f} s; peak memory {_peak_mb():.0f} MB, {before:.0f} MB before training")
    print(match_topics(truth, model))
    if not args.skip_baseline:
        in_memory = list(corpus)  # the same documents, held as gensim bag-of-words lists
        held, baseline = _train(in_memory, corpus.id2word, args, n_topics)
        same = np.allclose(held.get_topics(), model.get_topics())
        print(f"baseline, the same documents as an in-memory list: {baseline:.0f} s (streaming "
              f"takes {seconds / baseline:.2f}x the time); peak memory now {_peak_mb():.0f} MB; "
              f"the same topics as the streamed model: {same}")


if __name__ == "__main__":
    main()
