"""Difficulty on request: the exact overlap map and the presets that reach a target overlap.

Targets (issue 17): ``make_topics`` for 100 topics over 10,000 words under 2 s,
``make_gaussian_mixture`` with 20 components in 10 dimensions under 10 s, the overlap map of
that mixture alone under 1 s. Each is printed with a baseline measured in the same run, so the
ratio means something on a busy machine:

- the exact Gaussian map against a Monte Carlo estimate of the same map with 20,000 points per
  component (standard error about 2e-3 at an overlap of 0.1: far less precise);
- ``make_gaussian_mixture`` in overlap maps (its time over one exact map's);
- ``make_topics`` against one evaluation of the topic overlap by the sum over words.

Timings are the best of ``--repeat`` runs.

Run: ``python benchmarks/bench_overlap.py [--repeat 3]``
"""

import argparse
import time

import numpy as np
from scipy import stats

from skmix.compare import overlap
from skmix.datasets import make_gaussian_mixture, make_topics


def best_time(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def monte_carlo_map(params, n, seed=0):
    """w_j|i by sampling n points of each component (the baseline the exact map replaces)."""
    rng = np.random.default_rng(seed)
    means, covs, weights = params["means"], params["covariances"], params["weights"]
    laws = [stats.multivariate_normal(m, c) for m, c in zip(means, covs, strict=True)]
    w = np.zeros((len(means), len(means)))
    for i, law in enumerate(laws):
        x = law.rvs(n, random_state=rng)
        scores = np.stack([np.log(weights[j]) + laws[j].logpdf(x) for j in range(len(laws))])
        w[i] = (scores > scores[i]).mean(axis=1)
    return w


def main(repeat):
    print("case                                             seconds  target  baseline  ratio")
    t_gen, params = best_time(
        lambda: make_gaussian_mixture(20, 10, mean_overlap=0.01, random_state=0), repeat)
    t_map, result = best_time(lambda: overlap(params), repeat)
    t_mc, w_mc = best_time(lambda: monte_carlo_map(params, 20_000), 1)
    gap = np.abs(result.misclassification - w_mc).max()
    print(f"overlap map, 20 components in 10 dims (exact)   {t_map:7.3f}  < 1     "
          f"{t_mc:7.2f}s  {t_mc / t_map:5.1f}x faster than Monte Carlo (max gap {gap:.1e})")
    print(f"make_gaussian_mixture(20, 10, mean_overlap=.01) {t_gen:7.3f}  < 10    "
          f"{t_map:7.3f}s  {t_gen / t_map:5.1f} maps; reached mean {result.mean:.5f}")
    t_both, both = best_time(lambda: make_gaussian_mixture(
        20, 10, mean_overlap=0.01, max_overlap=0.1, random_state=0), 1)
    print(f"... with max_overlap=.1 as well                {t_both:7.3f}  -       "
          f"{t_map:7.3f}s  {t_both / t_map:5.1f} maps; mean {overlap(both).mean:.5f}, "
          f"max {overlap(both).max:.5f}")
    t_topics, topics = best_time(
        lambda: make_topics(100, 10_000, mean_overlap=0.1, max_overlap=0.3, random_state=0),
        repeat)
    t_sum, topic_map = best_time(lambda: overlap(topics), 1)
    print(f"make_topics(100, 10000, mean .1, max .3)         {t_topics:7.3f}  < 2     "
          f"{t_sum:7.3f}s  {t_sum / t_topics:5.1f}x faster than one sum over words; "
          f"mean {topic_map.mean:.5f}, max {topic_map.max:.5f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (default 3)")
    main(parser.parse_args().repeat)
