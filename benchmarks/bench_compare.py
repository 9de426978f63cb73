"""Speed of skmix.compare.match_topics on 1,000 x 1,000 topics over 50,000 words.

Baseline, measured in the same run: the obvious per-pair loop (one numpy Hellinger distance per
true x recovered pair, as gensim's ``LdaModel.diff`` does), timed on a subset of true topics
and scaled to all of them. Both sides are dense (every word has mass, as in a fitted LDA): the
worst case. Then each metric with a truth given as word lists (sparse), against the same
recovered side.

Run: python benchmarks/bench_compare.py [--topics 1000] [--words 50000]
"""

import argparse
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

from skmix.compare import match_topics


def _topics(n_topics, n_words, seed, concentration=0.1):
    return np.random.default_rng(seed).dirichlet(np.full(n_words, concentration), size=n_topics)


def _timed(function):
    """The result, and the wall-clock seconds it took."""
    result, seconds, _ = _timed_cpu(function)
    return result, seconds


def _timed_cpu(function):
    """The result, wall-clock seconds and CPU seconds of this process (all its threads: BLAS
    uses both cores when they are free; on a shared machine CPU time varies less than wall)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def naive_seconds(truth, recovered, n_rows):
    """Wall and CPU seconds of the per-pair loop for ``n_rows`` true topics, scaled to all."""
    def loop():
        distances = np.empty((n_rows, len(recovered)))
        for i in range(n_rows):
            for j in range(len(recovered)):
                distances[i, j] = np.sqrt(0.5 * np.sum((np.sqrt(truth[i])
                                                        - np.sqrt(recovered[j])) ** 2))
        return distances

    distances, seconds, cpu = _timed_cpu(loop)
    return distances, seconds * len(truth) / n_rows, cpu * len(truth) / n_rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--baseline-rows", type=int, default=10)
    args = parser.parse_args()
    words = np.array([f"w{i}" for i in range(args.words)])
    truth = _topics(args.topics, args.words, 0)
    rng = np.random.default_rng(1)
    order = rng.permutation(args.topics)
    # the recovered side: a noisy copy, rows shuffled, columns in another word order
    noisy = 0.9 * truth[order] + 0.1 * _topics(args.topics, args.words, 2)
    columns = rng.permutation(args.words)
    recovered = (noisy[:, columns], words[columns])

    report, seconds, cpu = _timed_cpu(lambda: match_topics((truth, words), recovered))
    right = all(row.matched == f"topic_{j}" for row, j in zip(report.rows, np.argsort(order),
                                                              strict=True))
    print(f"match_topics hellinger, {args.topics} x {args.topics} topics over {args.words} words"
          f" (align + distances + Hungarian + report): {seconds:.2f} s (CPU {cpu:.2f} s); every "
          f"topic matched right: {right}; passed: {report.passed} (max distance "
          f"{report.max_distance:.3f})")

    (_, hungarian_s) = _timed(lambda: linear_sum_assignment(report.distances))
    print(f"  of which linear_sum_assignment on the {args.topics}^2 matrix: {hungarian_s:.2f} s")
    # the first call's arrays are fresh memory, which costs up to a second per 400 MB on these
    # virtual machines; a second call reuses what the process already holds
    _, again_s, again_cpu = _timed_cpu(lambda: match_topics((truth, words), recovered))
    print(f"  the same call again in this process: {again_s:.2f} s (CPU {again_cpu:.2f} s)")
    baseline, baseline_s, baseline_cpu = naive_seconds(truth, noisy, args.baseline_rows)
    np.testing.assert_allclose(baseline, report.distances[: args.baseline_rows], atol=1e-6)
    print(f"per-pair loop (measured on {args.baseline_rows} true topics, scaled): "
          f"{baseline_s:.1f} s (CPU {baseline_cpu:.1f} s) -> match_topics is "
          f"{baseline_s / seconds:.0f}x faster ({baseline_cpu / cpu:.0f}x in CPU time)")

    # jensen_shannon and l1 have no matrix-product form: O(K_true x K_recovered x support);
    # a truth given as word lists (20 words a topic here) keeps the support small
    sparse_truth = {f"t{k}": list(rng.choice(words, 20, replace=False))
                    for k in range(args.topics)}
    for metric in ("hellinger", "cosine", "jensen_shannon", "l1"):
        _, sparse_s, sparse_cpu = _timed_cpu(
            lambda m=metric: match_topics(sparse_truth, recovered, metric=m))
        print(f"{metric}: word-list truth (20 words a topic), {args.topics} x {args.topics} "
              f"topics over {args.words} words: {sparse_s:.2f} s (CPU {sparse_cpu:.2f} s)")


if __name__ == "__main__":
    main()
