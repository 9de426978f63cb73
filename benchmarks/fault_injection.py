"""Fault injection: stop ``skmix generate`` at random moments and count what it leaves.

For each signal (SIGINT to the process group, as a terminal's Ctrl-C; SIGTERM and SIGKILL to
the command alone, as ``kill`` and the OOM killer send them) and each ``--jobs`` (1, 2), runs
``skmix generate`` over an existing file and sends the signal at a uniformly random moment: a
third of the runs while the command starts (imports), the others between the moment its
temporary file appears and 1.2 times a normal write later. Then it counts:

- ``old kept``: the old file is intact and the command said so (exit 130, 143, or killed);
- ``new, exit 0``: the new file is complete and the command exited 0;
- ``mismatch``: anything else (a partial file, a new file with a failure status, an old file
  with exit 0) -- must be 0;
- ``stray temp``: runs that left a temporary file (expected only for SIGKILL, which no
  process can clean up after);
- ``signal while writing``: runs signalled while the temporary file existed; ``workers at the
  signal``: the worker processes seen (summed over runs);
- ``workers left``: runs after which a worker process was still alive 5 s later -- must be 0.

Then, if this process may mount a 5 MB tmpfs (root on Linux), writes into it until the disk
is full, for each format and jobs: the command must exit 2 with one line naming the file,
leave the old file and no temporary file.

Run: ``python benchmarks/fault_injection.py [--trials 10] [--n-docs 20000]``.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _procfs import children, running  # the stopped-write tests' /proc reader

SKMIX = Path(sys.executable).with_name("skmix")
OLD = "old\n"


def _command(out, n_docs, jobs, format="txt"):
    return [str(SKMIX), "generate", "--preset", "bars", "--n-docs", str(n_docs), "--out",
            str(out), "--jobs", str(jobs), "--seed", "1", "--format", format]


def _foreground():
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a terminal's foreground job starts


def _writing(folder):
    return any(name.endswith(".tmp") for name in os.listdir(folder))


def _baseline(folder, n_docs, jobs):
    """Seconds of a normal run: from the start to its temporary file, and from there to exit."""
    started = time.monotonic()
    process = subprocess.Popen(_command(folder / "base.txt", n_docs, jobs),
                               stderr=subprocess.DEVNULL)
    while not _writing(folder) and process.poll() is None:
        time.sleep(0.005)
    writing = time.monotonic()
    assert process.wait() == 0
    (folder / "base.txt").unlink()
    return writing - started, time.monotonic() - writing


def _send(process, signum):
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C reaches the whole foreground group
    else:
        process.send_signal(signum)


def _trial(folder, n_docs, jobs, signum, delay, after_start):
    """One run, signalled ``delay`` seconds after its start or, unless ``after_start``, after
    its temporary file appeared."""
    out = folder / "c.txt"
    out.write_text(OLD)
    process = subprocess.Popen(_command(out, n_docs, jobs), cwd=folder, stderr=subprocess.PIPE,
                               text=True, start_new_session=True, preexec_fn=_foreground)
    while not (after_start or _writing(folder) or process.poll() is not None):
        time.sleep(0.002)
    workers, deadline = set(), time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None:
        workers.update(children(process.pid))
        time.sleep(0.005)
    workers.update(children(process.pid))
    writing = _writing(folder)
    finished_first = process.poll() is not None
    if not finished_first:
        _send(process, signum)
    try:
        _, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"hung": 1}
    time.sleep(0.0 if not workers else 5.0)
    left = [pid for pid in workers if running(pid)]
    for pid in left:  # ours to end: this script started them
        os.kill(pid, signal.SIGKILL)
    counts = _judge(folder, out, n_docs, process.returncode, stderr, finished_first, bool(left))
    return counts | {"signal while writing": int(writing), "workers at the signal": len(workers)}


def _judge(folder, out, n_docs, status, stderr, finished_first, workers_left):
    text = out.read_text() if out.exists() else None
    new = text is not None and text.count("\n") == n_docs
    old = text == OLD
    stopped = {130: "skmix: interrupted", 143: "skmix: terminated"}
    if status == 0 and new and stderr == "":
        outcome = "new, exit 0"
    elif old and (status == -signal.SIGKILL or stopped.get(status) == stderr.strip()):
        outcome = "old kept"
    elif new and status == -signal.SIGKILL:
        outcome = "new, killed after the rename"
    else:
        outcome = "mismatch"
        shown = "absent" if text is None else f"{text.count(chr(10))} lines"
        print(f"  mismatch: status {status}, stderr {stderr.strip()!r}, file {shown}")
    stray = sorted(set(os.listdir(folder)) - {"c.txt"})
    for name in stray:
        (folder / name).unlink()
    return {outcome: 1, "stray temp": int(bool(stray)), "workers left": int(workers_left),
            "finished before the signal": int(finished_first)}


def run_signals(trials, n_docs, seed):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for jobs in (1, 2):
            start_up, write = _baseline(folder, n_docs, jobs)
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
                counts = Counter()
                for trial in range(trials):  # a third while starting, the rest while writing
                    after_start = trial % 3 == 0
                    span = start_up if after_start else 1.2 * write
                    counts.update(_trial(folder, n_docs, jobs, signum, rng.uniform(0, span),
                                         after_start))
                print(f"jobs {jobs} {signal.Signals(signum).name:7s} ({trials} runs; start-up "
                      f"{start_up:.1f} s, writing {write:.1f} s): {dict(sorted(counts.items()))}",
                      flush=True)


def _mount_tmpfs(folder):
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(folder)],
                            capture_output=True, text=True)
    return result.returncode == 0, result.stderr.strip()


def run_full_disk():
    folder = Path(tempfile.mkdtemp())
    mounted, why = _mount_tmpfs(folder)
    if not mounted:
        print(f"full disk: not run, a tmpfs could not be mounted ({why})")
        shutil.rmtree(folder)
        return
    try:
        counts = Counter()
        for format in ("txt", "jsonl", "mm"):
            for jobs in (1, 2):
                out = folder / f"c.{format}"
                out.write_text(OLD)
                result = subprocess.run(_command(out, 100_000, jobs, format),
                                        capture_output=True, text=True)
                one_line = result.stderr.count("\n") == 1 and "No space left" in result.stderr
                kept = out.read_text() == OLD and os.listdir(folder) == [out.name]
                ok = result.returncode == 2 and one_line and str(out) in result.stderr and kept
                counts["refused, old kept, one line" if ok else "mismatch"] += 1
                if not ok:
                    print(f"  {format} jobs {jobs}: status {result.returncode}, "
                          f"{result.stderr!r}, files {os.listdir(folder)}")
                for name in os.listdir(folder):
                    (folder / name).unlink()
        print(f"full disk (5 MB tmpfs, txt/jsonl/mm x jobs 1/2): {dict(counts)}")
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--trials", type=int, default=10, help="runs per signal and jobs")
    parser.add_argument("--n-docs", type=int, default=20_000, help="documents per run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random moments")
    args = parser.parse_args()
    run_signals(args.trials, args.n_docs, args.seed)
    run_full_disk()


if __name__ == "__main__":
    main()
