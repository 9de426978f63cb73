"""Throughput of a recovery study: 2 worker processes and a 2-worker Dask cluster against 1.

Run: ``python benchmarks/bench_study.py`` (a few minutes on 2 quiet cores; ``--quick`` for a
smoke run whose fits are too short for the targets to mean anything).

The study: the bars of Griffiths & Steyvers (alpha = 1, 100 words a document) at two corpus
sizes, two Gibbs fitters (``lda``, ``tomotopy``) and 6 repeats: 24 fits of about a second or
more each. It is run three times in this process, as a user runs it:

1. ``n_jobs=1``: every row in this process, one after the other (the baseline);
2. ``n_jobs=2``: joblib's loky workers (started, and skmix imported in them, before timing:
   a pool is started once per session, not once per study);
3. ``n_jobs=-1`` under ``joblib.parallel_config(backend="dask")`` with a
   ``distributed.LocalCluster`` of 2 single-threaded worker processes (started before timing).

Printed: each run's wall time, throughput against the baseline (targets 1.8x for 2 processes,
1.7x for the cluster), whether the three runs gave identical rows (they must), and the
overhead per row of the baseline run: drawing the corpus, matching the fit to the truth and
the study's own bookkeeping (wall time less fit time) as a share of fit time (target < 5% for
fits of 1 s or more).
"""

import argparse
import os
import time

import numpy as np

from skmix import TopicMixtureGenerator
from skmix.datasets import bars_topics
from skmix.study import RecoveryStudy, fitter

TIMINGS = ("fit_seconds", "generate_seconds", "compare_seconds")


def make_study(quick, n_jobs, sizes=None, n_repeats=6):
    iterations = 60 if quick else 600
    fitters = {"lda": fitter("lda", n_iter=iterations),
               "tomotopy": fitter("tomotopy", iterations=iterations * 2)}
    sizes = sizes or ([100, 200] if quick else [300, 600])
    truth = TopicMixtureGenerator(bars_topics(), doc_topic_prior=1.0, doc_length=100)
    return RecoveryStudy(truth, fitters, grid={"n_documents": sizes}, n_repeats=n_repeats,
                         reseed=False, n_jobs=n_jobs, random_state=0)


def timed_run(study):
    start = time.perf_counter()
    rows = study.run().rows
    return rows, time.perf_counter() - start


def _import_skmix_study():
    import skmix.study  # noqa: F401  (the import a worker pays once)

    return 0


def warm_loky(n_jobs):
    from joblib import Parallel, delayed

    Parallel(n_jobs=n_jobs)(delayed(_import_skmix_study)() for _ in range(4 * n_jobs))


def without_timings(rows):
    return [{key: value for key, value in row.items() if key not in TIMINGS} for row in rows]


def overhead(rows, wall):
    fit = sum(row["fit_seconds"] for row in rows)
    drawn = sum(row["generate_seconds"] for row in rows)
    compared = sum(row["compare_seconds"] for row in rows)
    bookkeeping = wall - fit - drawn - compared
    return fit, drawn, compared, bookkeeping


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short fits: a smoke run")
    quick = parser.parse_args().quick
    print(f"load average at start: {os.getloadavg()[0]:.1f} (on a quiet machine: about 0)")

    make_study(True, 1, sizes=[20], n_repeats=1).run()  # imports (gensim, lda, tomotopy) first
    baseline_rows, baseline = timed_run(make_study(quick, 1))
    fit_times = np.array([row["fit_seconds"] for row in baseline_rows])
    print(f"study: {len(baseline_rows)} fits; fit seconds median {np.median(fit_times):.2f}, "
          f"min {fit_times.min():.2f}, max {fit_times.max():.2f}")
    print(f"n_jobs=1 (baseline)     {baseline:7.1f} s")

    warm_loky(2)
    loky_rows, loky = timed_run(make_study(quick, 2))
    print(f"n_jobs=2 (loky)         {loky:7.1f} s  throughput {baseline / loky:.2f}x "
          "(target >= 1.8x)")

    from distributed import Client, LocalCluster
    from joblib import parallel_config

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(_import_skmix_study)
        with parallel_config(backend="dask"):
            dask_rows, on_dask = timed_run(make_study(quick, -1))
    print(f"Dask, 2 workers         {on_dask:7.1f} s  throughput {baseline / on_dask:.2f}x "
          "(target >= 1.7x)")

    same = without_timings(baseline_rows) == without_timings(loky_rows) == without_timings(
        dask_rows)
    print(f"identical rows in the three runs: {same}")

    fit, drawn, compared, bookkeeping = overhead(baseline_rows, baseline)
    print(f"baseline run: fits {fit:.1f} s, drawing {drawn:.2f} s, matching {compared:.2f} s, "
          f"bookkeeping {bookkeeping:.2f} s")
    long = fit_times >= 1.0
    if long.any():
        rows = [row for row, keep in zip(baseline_rows, long, strict=True) if keep]
        per_row = [(row["generate_seconds"] + row["compare_seconds"]) / row["fit_seconds"]
                   for row in rows]
        print(f"overhead per row with fits >= 1 s ({len(rows)} rows): drawing + matching "
              f"{100 * np.mean(per_row):.2f}% of fit time (max {100 * np.max(per_row):.2f}%)")
    print(f"overhead of the whole run: {100 * (drawn + compared + bookkeeping) / fit:.2f}% of "
          "fit time (target < 5%)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not same:
        raise SystemExit("rows differ between runs: the seed scheme is broken")


if __name__ == "__main__":
    main()
