"""Scale: ``skmix generate --jobs 2`` against ``--jobs 1``, peak memory, tokens per second.

All on the ``bars`` preset (10 topics over 25 words, Dirichlet(1) proportions, 100 words a
document), everything measured in this run:

0. ``write_corpus(jobs=2)`` with 1, 2 and 4 blocks a worker task, in this process with glibc's
   default heap (as a Python program calling it gets): seconds, the workers' CPU seconds and
   their page faults (the measurement behind ``_MAX_BLOCKS_PER_TASK``). From here on the heap
   keeps a 64 MB top pad, as ``skmix generate`` sets for itself.
1. ``--jobs 1`` against ``--jobs 2`` on a corpus of ``--tokens`` tokens (default 50,000,000):
   tokens per second, the ratio (target >= 1.6 on 2 quiet cores) and whether the two files are
   identical, twice: ``skmix generate`` in a fresh process, wall clock from start to exit
   (which includes about a second of interpreter start and imports, the same for both, also
   printed), then ``write_corpus`` in this process (beside the serial writer
   ``SampledCorpus.save`` uses, fed by ``iter_sample``). Every setting runs ``--repeat`` times,
   alternating; the best runs are compared (other processes only ever slow a run down). The
   CPU seconds of the last runs (this process and its workers) predict the ratio on two free
   cores, whatever else the machine is doing.
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
[--rate-tokens N] [--repeat R] [--skip-cli]
"""

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from resource import RUSAGE_CHILDREN, RUSAGE_SELF

from gensim.corpora import Dictionary

from skmix import TopicMixtureGenerator, _parallel, write_corpus
from skmix._cli import PRESETS, _keep_freed_heap
from skmix._formats import write_chunks

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


def _cpu_seconds():
    """CPU time of this process and of its finished child processes (the workers)."""
    own, children = (resource.getrusage(who) for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _timings(runners, repeat, cpu=None):
    """Seconds of every run of every runner, alternating so that a burst of load hits all.

    ``cpu``, a dict, receives the CPU seconds (this process, its workers) of each runner's
    last run.
    """
    seconds = {name: [] for name in runners}
    for _ in range(repeat):
        for name, run in runners.items():
            start, cpu_start = time.perf_counter(), _cpu_seconds()
            run()
            seconds[name].append(time.perf_counter() - start)
            if cpu is not None:
                cpu[name] = [b - a for a, b in zip(cpu_start, _cpu_seconds(), strict=True)]
    return seconds


def _print_cpu(cpu):
    """CPU seconds of the last run per jobs setting, and the speed-up they predict."""
    (serial, _), (parent, workers) = cpu[1], cpu[2]
    predicted = serial / max((parent + workers) / 2, workers / 2, parent)
    print(f"   write_corpus CPU seconds, last runs: jobs=1 {serial:.2f}; jobs=2 {parent:.2f} "
          f"(writing process) + {workers:.2f} (workers): {predicted:.2f}x on 2 free cores")


def _print_rate(label, seconds, n_tokens):
    runs = " ".join(f"{s:.2f}" for s in seconds)
    print(f"   {label}: best {min(seconds):6.2f} s {n_tokens / min(seconds) / 1e6:6.2f} M tokens/s"
          f"  (runs: {runs} s)")


def _print_jobs(label, seconds, n_tokens, paths):
    for jobs in (1, 2):
        _print_rate(f"{label} jobs={jobs}", seconds[jobs], n_tokens)
    same = _sha256(paths[1]) == _sha256(paths[2])
    ratio = min(seconds[1]) / min(seconds[2])
    print(f"   {label} jobs 2 / jobs 1 tokens per second (best runs): {ratio:.2f}x "
          f"(target >= 1.6); files identical: {same}")
    for path in paths.values():
        path.unlink()


def bench_jobs(n_tokens, folder, repeat):
    """``skmix generate`` end to end, then ``write_corpus`` alone, ``repeat`` runs each."""
    n_docs = n_tokens // WORDS_PER_DOC
    print(f"1. {n_tokens:,} tokens ({n_docs:,} bars documents), jobs 1 against jobs 2, "
          f"{repeat} alternating runs each")
    startup, _ = _generate(1, folder / "one.txt", 1)
    (folder / "one.txt").unlink()
    print(f"   skmix generate --n-docs 1 (interpreter start and imports): {startup:.2f} s")
    paths = {jobs: folder / f"cli{jobs}.txt" for jobs in (1, 2)}
    commands = {jobs: partial(_generate, n_docs, paths[jobs], jobs) for jobs in (1, 2)}
    seconds = _timings(commands, repeat)
    _print_jobs("skmix generate (wall clock)", seconds, n_tokens, paths)
    drawing = {jobs: min(runs) - startup for jobs, runs in seconds.items()}
    print(f"   the same less the start-up: jobs=1 {drawing[1]:.2f} s, jobs=2 {drawing[2]:.2f} s: "
          f"{drawing[1] / drawing[2]:.2f}x the tokens per second while generating")
    generator = TopicMixtureGenerator(**PRESETS["bars"]()).fit()
    paths = {jobs: folder / f"lib{jobs}.txt" for jobs in (1, 2, "chunks")}
    writers = {
        jobs: partial(write_corpus, generator, n_docs, paths[jobs], random_state=0, jobs=jobs)
        for jobs in (1, 2)
    }
    # the serial writer SampledCorpus.save uses, fed by iter_sample: jobs=1 is no slower
    writers["chunks"] = lambda: write_chunks(paths["chunks"], generator.iter_sample(
        n_docs, random_state=0))
    cpu = {}
    seconds = _timings(writers, repeat, cpu)
    _print_rate("write_chunks(iter_sample(n)) (serial baseline)", seconds["chunks"], n_tokens)
    print(f"   same file as write_corpus: {_sha256(paths['chunks']) == _sha256(paths[1])}")
    paths.pop("chunks").unlink()
    _print_jobs("write_corpus", seconds, n_tokens, paths)
    _print_cpu(cpu)


def bench_blocks_per_task(n_tokens, folder, repeat):
    """``write_corpus(jobs=2)`` with 1, 2 and 4 blocks a worker task: time and page faults."""
    n_docs = n_tokens // WORDS_PER_DOC
    generator = TopicMixtureGenerator(**PRESETS["bars"]()).fit()
    default = _parallel._MAX_BLOCKS_PER_TASK
    print(f"0. write_corpus jobs=2 by blocks per worker task (skmix: {default}), glibc's default "
          f"heap, {n_tokens:,} tokens, best of {repeat}:")
    for per_task in (1, 2, 4):
        _parallel._MAX_BLOCKS_PER_TASK = per_task
        faults = resource.getrusage(RUSAGE_CHILDREN).ru_minflt
        cpu = {}
        seconds = _timings({2: partial(write_corpus, generator, n_docs, folder / "blocks.txt",
                                       random_state=0, jobs=2)}, repeat, cpu)
        faults = (resource.getrusage(RUSAGE_CHILDREN).ru_minflt - faults) // repeat
        print(f"   {per_task} a task: {min(seconds[2]):.2f} s, workers {cpu[2][1]:.2f} CPU s and "
              f"{faults:,} page faults a run")
    _parallel._MAX_BLOCKS_PER_TASK = default
    (folder / "blocks.txt").unlink()


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
    parser.add_argument("--repeat", type=int, default=3, help="runs of each jobs setting")
    parser.add_argument("--skip-cli", action="store_true", help="only part 3")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if not args.skip_cli:
            # first, with glibc's default heap, as write_corpus called from a Python program
            bench_blocks_per_task(args.tokens, folder, args.repeat)
        # then as skmix generate runs: otherwise jobs=1 in this process pays ~15% in page
        # faults that the command does not, and the in-process jobs ratio looks better than it is
        print(f"heap top pad as in skmix generate from here on: {_keep_freed_heap()}")
        if not args.skip_cli:
            bench_jobs(args.tokens, folder, args.repeat)
            bench_memory(args.memory_tokens, folder)
        bench_rates(args.rate_tokens, folder)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
