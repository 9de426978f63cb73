"""Learn from a corpus file larger than memory: ``fit(read_corpus(path))``, time and peak memory.

1. A "real" corpus file of ``--tokens`` tokens (default 50,000,000) is written by a generator
   fitted to gensim's Lee news articles (20 topics, Zipf-like words), with ``write_corpus``.
2. In a fresh subprocess, ``TopicMixtureGenerator(n_topics=20).fit(read_corpus(path))``
   (gensim backend; ``--passes`` and ``--n-init``, 1 each by default, so the run takes minutes
   rather than hours; ``burstiness="auto"`` unless ``--burstiness none``) streams the file;
   the subprocess prints its fit time and its peak
   resident memory (``ru_maxrss``). The target: under 1 GB at 50,000,000 tokens.
3. The look-alike it learned is compared with the file by ``compare_corpora`` (the file's
   first ``--compare-docs`` documents against ``--synthetic-docs`` sampled ones: a look-alike
   can be of any size, and a sample as small as the real one misses rare words by chance).

The baseline, timed in the same run, is reading the file once (``sum(map(len, corpus))``).

Run: ``python benchmarks/bench_read_fit.py --tokens 2000000`` (a smaller file; say which).
"""

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time

_CHILD = """
import json, resource, sys, time
from skmix import TopicMixtureGenerator, read_corpus
path, passes, n_init, burstiness = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
tokens = sum(map(len, read_corpus(path)))
read = time.perf_counter() - start
start = time.perf_counter()
generator = TopicMixtureGenerator(n_topics=20, passes=passes, n_init=n_init, random_state=0,
                                  burstiness=None if burstiness == "none" else burstiness)
generator.fit(read_corpus(path))
fit = time.perf_counter() - start
import pickle
with open(path + ".generator.pkl", "wb") as out:
    pickle.dump(generator, out)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"tokens": tokens, "read_s": read, "fit_s": fit, "peak_bytes": peak}))
"""


def lee_generator():
    from gensim.parsing.preprocessing import STOPWORDS
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    from skmix import TopicMixtureGenerator

    with open(datapath("lee_background.cor"), encoding="utf-8") as lines:
        docs = [[w for w in simple_preprocess(line) if w not in STOPWORDS] for line in lines]
    return TopicMixtureGenerator(n_topics=20, passes=5, n_init=1, random_state=0).fit(docs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=50_000_000)
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--n-init", type=int, default=1)
    parser.add_argument("--burstiness", choices=["none", "auto"], default="auto",
                        help="learn the burstiness (kappa) too; 'none': a plain LDA look-alike")
    parser.add_argument("--compare-docs", type=int, default=5000)
    parser.add_argument("--synthetic-docs", type=int, default=20000)
    args = parser.parse_args()
    import pickle

    from skmix import read_corpus, write_corpus
    from skmix.compare import compare_corpora

    source = lee_generator()
    n_docs = int(args.tokens / source.doc_length_.mean())
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "real.txt")
        start = time.perf_counter()
        write_corpus(source, n_docs, path, random_state=1)
        written = time.perf_counter() - start
        size = os.path.getsize(path)
        print(f"file: {n_docs} documents, {size / 1e6:.0f} MB, written in {written:.1f} s")
        child = subprocess.run([sys.executable, "-c", _CHILD, path, str(args.passes),
                                str(args.n_init), args.burstiness],
                               capture_output=True, text=True, check=True)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"tokens read: {figures['tokens']}; one read of the file (baseline) "
              f"{figures['read_s']:.1f} s")
        print(f"fit(read_corpus(path)), gensim, passes={args.passes} n_init={args.n_init} "
              f"burstiness={args.burstiness}: "
              f"{figures['fit_s']:.1f} s ({figures['fit_s'] / figures['read_s']:.1f} x the "
              f"read); peak memory {figures['peak_bytes'] / 2**20:.0f} MiB "
              f"({'under' if figures['peak_bytes'] < 2**30 else 'OVER'} 1 GiB)")
        with open(path + ".generator.pkl", "rb") as saved:
            learned = pickle.load(saved)
        real = list(itertools.islice(read_corpus(path), args.compare_docs))
        report = compare_corpora(real, learned.sample(args.synthetic_docs, random_state=2))
        print(f"look-alike ({args.synthetic_docs} documents) against the file's first "
              f"{args.compare_docs} documents: "
              f"{'PASSED' if report.passed else 'FAILED'}")
        print(report)


if __name__ == "__main__":
    main()
