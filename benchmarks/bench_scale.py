"""Scale: ``skmix generate --jobs 2`` against ``--jobs 1``, peak memory, tokens per second.

All on the ``bars`` preset (10 topics over 25 words, Dirichlet(1) proportions, 100 words a
document), everything measured in this run:

1. ``skmix generate --jobs 1`` and ``--jobs 2`` on a corpus of ``--tokens`` tokens (default
   50,000,000), each in a fresh process, wall-clock time from start to exit: tokens per second,
   the ratio (target >= 1.6 on 2 quiet cores) and whether the two files are identical.
2. Peak memory (``ru_maxrss``) of ``skmix generate --jobs 1`` writing ``--memory-tokens``
   tokens (default 100,000,000; target < 300 MB), against the same command writing 1,000
   documents (the baseline: the interpreter and its imports).
3. Tokens per second, in this process, over ``--rate-tokens`` tokens (default 5,000,000):
   token lists (``stream``), bag-of-words (``stream(format="bow")``) against the token lists
   turned into bag-of-words by gensim's ``Dictionary.doc2bow`` (the baseline), a Dask bag
   computed by two worker processes (started beforehand) against ``stream``, and files by
   ``write_corpus`` in every format.

The jobs ratio needs quiet cores: with other work on the machine, the second job competes for
a core it does not get. Run: python benchmarks/bench_scale.py [--tokens N] [--memory-tokens N]
[--rate-tokens N] [--skip-cli]
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gensim.corpora import Dictionary

from skmix import TopicMixtureGenerator, write_corpus
from skmix._cli import PRESETS

WORDS_PER_DOC = PRESETS["bars"]()["doc_length"]
SKMIX = Path(sys.executable).with_name("skmix")


def _generate(n_docs, out, jobs):
    """Run ``skmix generate`` on the bars preset; return (seconds, peak RSS in MB)."""
    command = [str(SKMIX), "generate", "--preset", "bars", "--n-docs", str(n_docs),
               "--seed", "0", "--out", str(out), "--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def bench_jobs(n_tokens, folder):
    n_docs = n_tokens // WORDS_PER_DOC
    print(f"1. skmix generate --preset bars --n-docs {n_docs:,} ({n_tokens:,} tokens), "
          "wall clock per process")
    runs = {}
    for jobs in (1, 2):
        out = folder / f"jobs{jobs}.txt"
        seconds, peak = _generate(n_docs, out, jobs)
        runs[jobs] = seconds
        size = out.stat().st_size / 2**20
        print(f"   --jobs {jobs}: {seconds:6.2f} s  {n_tokens / seconds / 1e6:6.2f} M tokens/s  "
              f"file {size:,.0f} MB  peak RSS (largest process) {peak:.0f} MB")
    same = _sha256(folder / "jobs1.txt") == _sha256(folder / "jobs2.txt")
    print(f"   jobs 2 / jobs 1 tokens per second: {runs[1] / runs[2]:.2f}x (target >= 1.6); "
          f"files identical: {same}")
    for jobs in (1, 2):
        (folder / f"jobs{jobs}.txt").unlink()


def bench_memory(n_tokens, folder):
    n_docs = n_tokens // WORDS_PER_DOC
    print(f"2. peak memory of skmix generate --jobs 1 --n-docs {n_docs:,} ({n_tokens:,} tokens)")
    _, baseline = _generate(1000, folder / "small.txt", 1)
    seconds, peak = _generate(n_docs, folder / "large.txt", 1)
    print(f"   1,000 documents (baseline): {baseline:.0f} MB")
    print(f"   {n_tokens:,} tokens: {peak:.0f} MB (target < 300 MB), {seconds:.1f} s, "
          f"+{peak - baseline:.0f} MB over the baseline")
    for name in ("small.txt", "large.txt"):
        (folder / name).unlink()


def _rate(label, n_tokens, function, baseline=None):
    """Time ``function``; print tokens/s and the speed against ``(seconds, name)``."""
    start = time.perf_counter()
    function()
    seconds = time.perf_counter() - start
    ratio = "" if baseline is None else f"  ({baseline[0] / seconds:.1f}x {baseline[1]})"
    print(f"   {label:<48} {n_tokens / seconds / 1e6:6.2f} M tokens/s{ratio}")
    return seconds


def _consume(documents):
    for _ in documents:
        pass


def _doc2bow(generator, n_docs):
    dictionary = Dictionary([generator.vocabulary_.tolist()])
    _consume(dictionary.doc2bow(doc) for doc in generator.stream(n_docs, random_state=0))


def _bag_tokens(generator, n_docs, pool):
    bag = generator.to_bag(n_docs, npartitions=8, random_state=0)
    return bag.map(len).sum().compute(scheduler="processes", pool=pool)


def bench_rates(n_tokens, folder):
    n_docs = n_tokens // WORDS_PER_DOC
    generator = TopicMixtureGenerator(**PRESETS["bars"]()).fit()
    print(f"3. tokens per second over {n_tokens:,} tokens ({n_docs:,} documents), this process")
    tokens = _rate("token lists: stream(n)", n_tokens,
                   lambda: _consume(generator.stream(n_docs, random_state=0)))
    baseline = _rate("baseline: stream(n) + Dictionary.doc2bow", n_tokens,
                     lambda: _doc2bow(generator, n_docs))
    _rate('bag-of-words: stream(n, format="bow")', n_tokens,
          lambda: _consume(generator.stream(n_docs, random_state=0, format="bow")),
          (baseline, "the baseline"))
    with ProcessPoolExecutor(2) as pool:
        _bag_tokens(generator, 10, pool)  # start the workers: time the drawing, not the start
        _rate("dask bag, 2 processes: to_bag(n).map(len).sum()", n_tokens,
              lambda: _bag_tokens(generator, n_docs, pool), (tokens, "stream"))
    for format in ("txt", "jsonl", "mm"):
        for jobs in (1, 2) if format == "txt" else (1,):
            path = folder / f"rate.{format}"
            _rate(f"file: write_corpus(format={format!r}, jobs={jobs})", n_tokens,
                  lambda path=path, format=format, jobs=jobs: write_corpus(
                      generator, n_docs, path, format=format, random_state=0, jobs=jobs))
            path.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=50_000_000)
    parser.add_argument("--memory-tokens", type=int, default=100_000_000)
    parser.add_argument("--rate-tokens", type=int, default=5_000_000)
    parser.add_argument("--skip-cli", action="store_true", help="only part 3")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if not args.skip_cli:
            bench_jobs(args.tokens, folder)
            bench_memory(args.memory_tokens, folder)
        bench_rates(args.rate_tokens, folder)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
