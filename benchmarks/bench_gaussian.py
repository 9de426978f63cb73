"""GaussianMixtureSampler.sample against sklearn's GaussianMixture.sample, in one run.

Both draw from the same mixture. sklearn returns rows grouped by component; skmix's are
shuffled and labelled, so it does more work for the same rows. Timings are the best of
``--repeat`` runs, the two contenders alternating so that load on a shared machine hits both.
The ratio is sklearn's time over skmix's: above 1, skmix is faster.

A second table times skmix's two ways of drawing rows (column by column, or one matrix product
per component) over dimensions around ``_ELEMENTWISE_MAX_FEATURES``, the switch between them.

Run: ``python benchmarks/bench_gaussian.py [--repeat 7]``
"""

import argparse
import os
import time
from functools import partial

import numpy as np
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info

from skmix import GaussianMixtureSampler
from skmix._gaussian import _ELEMENTWISE_MAX_FEATURES, _sample_elementwise, _sample_grouped

CASES = [  # (n_components, n_features, n_samples)
    (3, 2, 2_000_000),
    (10, 50, 200_000),
]


def make_sampler(n_components, n_features, seed=0):
    """A ground-truth sampler with random means, full covariances and weights."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n_components, n_features, n_features))
    covariances = a @ a.transpose(0, 2, 1) / n_features + np.eye(n_features)
    return GaussianMixtureSampler(
        means=rng.normal(scale=5, size=(n_components, n_features)),
        covariances=covariances,
        weights=rng.dirichlet(np.ones(n_components)),
        random_state=seed,
    ).fit()


def sklearn_copy(sampler):
    """sklearn's GaussianMixture holding the same mixture (as if fitted)."""
    mixture = GaussianMixture(len(sampler.weights_), random_state=0)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_", "n_features_in_"):
        setattr(mixture, name, getattr(sampler, name))
    return mixture


def best_times(functions, repeat):
    """The best wall time of each function over ``repeat`` alternating rounds."""
    best = [np.inf] * len(functions)
    for _ in range(repeat):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            function()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def compare_with_sklearn(repeat):
    print(f"{'mixture':<34}{'sklearn s':>11}{'skmix s':>10}{'sklearn/skmix':>15}")
    for n_components, n_features, n_samples in CASES:
        sampler = make_sampler(n_components, n_features)
        baseline = sklearn_copy(sampler)
        theirs, ours = best_times(
            [partial(baseline.sample, n_samples), partial(sampler.sample, n_samples)], repeat
        )
        label = f"{n_features}-D, {n_components} full, {n_samples:,} rows"
        print(f"{label:<34}{theirs:>11.3f}{ours:>10.3f}{theirs / ours:>14.2f}x")


def compare_strategies(repeat, n_samples=200_000, n_components=10):
    print(f"\nskmix's two ways, {n_components} full components, {n_samples:,} rows "
          f"(switch: elementwise up to d={_ELEMENTWISE_MAX_FEATURES})")
    print(f"{'d':>3}{'elementwise s':>15}{'grouped s':>11}")
    for n_features in (2, 3, 4, 5, 6, 8, 12, 16):
        sampler = make_sampler(n_components, n_features)
        counts = np.random.default_rng(0).multinomial(n_samples, sampler.weights_)
        args = (counts, sampler.means_, sampler._factors_)
        rng = np.random.default_rng(1)
        elementwise, grouped = best_times(
            [partial(_sample_elementwise, rng, *args), partial(_sample_grouped, rng, *args)],
            repeat,
        )
        print(f"{n_features:>3}{elementwise:>15.3f}{grouped:>11.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds; the best is kept")
    parser.add_argument("--no-strategies", action="store_true", help="skip the second table")
    args = parser.parse_args()
    blas = [(pool["internal_api"], pool["num_threads"]) for pool in threadpool_info()]
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, thread pools {blas}")
    compare_with_sklearn(args.repeat)
    if not args.no_strategies:
        compare_strategies(args.repeat)


if __name__ == "__main__":
    main()
