"""Running a study: one task per row, its seeds, the JSONL file that makes a run resumable.

Seed scheme (what makes the rows the same for any ``n_jobs``, cluster or resumption): the study
has one root ``numpy.random.SeedSequence``; every seed is a child of it named by indices, never
by the order in which rows run:

- the data of grid cell ``c``, repeat ``r``: spawn key ``(0, c, r)`` (one corpus or sample for
  every fitter and every K of that cell and repeat, so they are compared on the same data);
- the fit of fitter (or K) ``f`` on it: ``(1, c, r, f)``;
- the two extra fits of a reseed row: ``(2, c, f, 0)`` and ``(2, c, f, 1)``, on the data of
  repeat 0.

The results file is JSON lines: a header (the study's description, its fingerprint, the root
entropy) then one row a line, appended and flushed as each row finishes. A run with the same
file reads the rows already there and runs only the others; a file whose fingerprint differs
from the study's is refused before any work.
"""

import hashlib
import json
import os
from contextlib import nullcontext
from time import perf_counter
from typing import NamedTuple

import numpy as np

from ._study_criteria import scores
from ._study_fitters import run_fitter

HEADER_KEY = "skmix_study"
FORMAT_VERSION = 1


class Task(NamedTuple):
    """One row to compute: which data, which fitter, which seeds."""

    index: int
    kind: str  # "fit": judged against the truth; "reseed": two fits against each other
    cell: int
    params: dict
    fitter: str
    repeat: int
    n_fit: int
    data_seed: np.random.SeedSequence
    fit_seeds: tuple


class Judging(NamedTuple):
    """How every row of a study is judged (the same for all its tasks)."""

    truth_kind: object
    metric: str
    threshold: object
    criteria: tuple = ()
    held_out: float = 0.0


def child_seed(root, *key):
    """The child of ``root`` named by ``key`` (what ``root.spawn`` would give at that index)."""
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *key),
                                  pool_size=root.pool_size)


def int_seed(seed):
    """An int in [0, 2**31) from a ``SeedSequence``: what gensim, tomotopy and lda take."""
    return int(seed.generate_state(1)[0] % 2**31)


def run_task(task, truth, fitter, judging):
    """Compute one row: draw the data, fit, judge; timings of each step.

    An error says which row it came from (a note on the exception), so that the grid can be
    changed; the rows finished before it are kept in the results file.
    """
    from joblib import parallel_config
    from threadpoolctl import threadpool_limits

    # one thread per row, and joblib inside a fit sequential: n_jobs processes then fill n_jobs
    # cores, and a row's floating-point sums do not depend on where it ran (on a Dask worker
    # sklearn's LDA would otherwise split its E-step over the cluster's workers)
    try:
        with threadpool_limits(1), parallel_config(backend="sequential"):
            figures, timings = _draw_fit_judge(task, truth, fitter, judging)
    except Exception as exc:
        exc.add_note(f"in study row {task.index}: fitter {task.fitter!r}, K={task.n_fit}, "
                     f"{task.params}, repeat {task.repeat}")
        raise
    return {
        "row": task.index, "kind": task.kind, "cell": task.cell, "fitter": task.fitter,
        "repeat": task.repeat, "k": task.n_fit, "n_true": judging.truth_kind.n_true(truth),
        **{key: _json_value(value) for key, value in task.params.items()}, **figures,
        **timings,
    }


def _draw_fit_judge(task, truth, fitter, judging):
    kind = judging.truth_kind
    size = task.params[kind.size_key]
    start = perf_counter()
    data, labels, test, sizes = kind.draw(truth, size, task.data_seed,
                                          int(np.ceil(judging.held_out * size)))
    drawn = perf_counter()
    fits = [run_fitter(fitter, data, task.n_fit, seed) for seed in task.fit_seeds]
    fitted = perf_counter()
    if task.kind == "reseed":
        figures = kind.judge_pair(*fits, data, judging.metric, judging.threshold)
    else:
        figures = kind.judge(truth, fits[0], data, labels, judging.metric, judging.threshold)
        figures.update(scores(judging.criteria, kind.kind, fits[0], data, test,
                              task.fit_seeds[0]))
    judged = perf_counter()
    timings = {"fit_seconds": fitted - drawn, "generate_seconds": drawn - start,
               "compare_seconds": judged - fitted}
    return {**sizes, **figures}, timings


def _json_value(value):
    from ._study_truth import describe

    value = describe(value)
    return value if isinstance(value, int | float | str | bool | type(None)) else json.dumps(
        value, sort_keys=True)


# --- the results file ------------------------------------------------------------------------


def fingerprint(description):
    """The sha256 of a study's description: equal descriptions, equal fingerprints."""
    return hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()


def check_out(out):
    """Refuse a results path that is not a regular file (or a new one in an existing folder)."""
    if out is None:
        return None
    out = os.fspath(out)
    if os.path.exists(out) and not os.path.isfile(out):
        raise ValueError(f"out {out!r} is not a regular file.")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise ValueError(f"out {out!r}: the folder {folder!r} does not exist.")
    return out


def _changed(old, new):
    keys = sorted(key for key in {*old, *new} if old.get(key) != new.get(key))
    return ", ".join(keys) or "its seed"


def read_results(out, header):
    """The header and rows of an earlier run of this study in ``out`` ((None, {}) if none).

    A last line cut short (the process was killed while writing it) is removed from the file;
    a header from another study is refused with what changed.
    """
    if out is None or not os.path.exists(out) or os.path.getsize(out) == 0:
        return None, {}
    with open(out, "rb") as file:
        text = file.read()
    complete = text.rfind(b"\n") + 1
    lines = text[:complete].decode("utf-8", errors="replace").splitlines()
    try:
        found = json.loads(lines[0]) if lines else None
    except json.JSONDecodeError:
        found = None
    if not isinstance(found, dict) or found.get(HEADER_KEY) != FORMAT_VERSION:
        raise ValueError(f"out {out!r} exists and is not a skmix study results file; give "
                         "another path.")
    if found["fingerprint"] != header["fingerprint"]:
        raise ValueError(f"out {out!r} holds the results of another study (changed: "
                         f"{_changed(found['study'], header['study'])}); give another path, "
                         "or delete it to start again.")
    if complete < len(text):  # only now that the file is known to be this study's
        with open(out, "rb+") as file:
            file.truncate(complete)
    rows = (json.loads(line) for line in lines[1:])
    return found, {row["row"]: row for row in rows}


def execute(tasks, arguments, *, n_jobs, out, header, done, progress):
    """Run the tasks not ``done``, appending each row to ``out`` as it finishes; all rows.

    ``arguments(task)`` gives the arguments of :func:`run_task` for a task: only the truth of
    its cell and its own fitter travel to the worker.
    """
    from joblib import Parallel, delayed
    from tqdm import tqdm

    rows = dict(done)
    pending = [task for task in tasks if task.index not in rows]
    new_file = out is not None and (not os.path.exists(out) or os.path.getsize(out) == 0)
    disable = None if progress is None else not progress
    with (open(out, "a", encoding="utf-8") if out else nullcontext()) as file, tqdm(
            total=len(tasks), initial=len(rows), disable=disable, unit="row",
            desc="study") as bar:
        if new_file:
            file.write(json.dumps(header) + "\n")
            file.flush()
        if pending:
            results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
                delayed(run_task)(*arguments(task)) for task in pending)
            for row in results:
                rows[row["row"]] = row
                if file is not None:
                    file.write(json.dumps(row) + "\n")
                    file.flush()
                bar.update()
    return [rows[task.index] for task in tasks]
