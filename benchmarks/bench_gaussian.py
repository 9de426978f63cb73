"""GaussianMixtureSampler.sample against sklearn's GaussianMixture.sample, in one run.

Both draw from the same mixture. sklearn returns rows grouped by component; skmix's are
shuffled and labelled, so it does more work for the same rows. Timings are the best of
``--repeat`` runs, the two contenders alternating so that load on a shared machine hits both.
The ratio is sklearn's time over skmix's: above 1, skmix is faster.

A second table times skmix's two ways of drawing rows (column by column, or one matrix product
per component) over dimensions around ``_ELEMENTWISE_MAX_FEATURES``, the switch between them;
the last two time the other tuned constants, ``_CHUNK_ROWS`` and ``_COMPARE_MAX_CUTS``.

Run: ``python benchmarks/bench_gaussian.py [--repeat 7]``
"""

import argparse
import os
import time
from functools import partial

import numpy as np
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info

from skmix import GaussianMixtureSampler, _gaussian
from skmix._gaussian import (
    _ELEMENTWISE_MAX_FEATURES,
    _draw_labels,
    _label_thresholds,
    _sample_elementwise,
    _sample_grouped,
)

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
        args = (n_samples, sampler.weights_, sampler.means_, sampler._factors_)
        rng = np.random.default_rng(1)
        elementwise, grouped = best_times(
            [partial(_sample_elementwise, rng, *args), partial(_sample_grouped, rng, *args)],
            repeat,
        )
        print(f"{n_features:>3}{elementwise:>15.3f}{grouped:>11.3f}")


def compare_settings(repeat, n_samples=2_000_000):
    """Time the two tuned constants: rows per chunk, and cuts compared rather than searched."""
    sampler = make_sampler(3, 2)
    args = (n_samples, sampler.weights_, sampler.means_, sampler._factors_)
    default = _gaussian._CHUNK_ROWS
    print(f"\n2-D elementwise, 3 components, {n_samples:,} rows, by rows per chunk "
          f"(skmix: {default:,})")
    for chunk_rows in (4_096, 16_384, 65_536, 262_144, n_samples):
        _gaussian._CHUNK_ROWS = chunk_rows
        (seconds,) = best_times([partial(_sample_elementwise, np.random.default_rng(1), *args)],
                                repeat)
        print(f"{chunk_rows:>10,}{seconds:>10.3f} s")
    _gaussian._CHUNK_ROWS = default

    default = _gaussian._COMPARE_MAX_CUTS
    print(f"\nlabels for {_gaussian._CHUNK_ROWS:,} rows, by components "
          f"(skmix compares up to {default} cuts, then searches)")
    print(f"{'K':>5}{'compare ms':>12}{'search ms':>11}")
    out = np.empty(_gaussian._CHUNK_ROWS, dtype=np.intp)
    for n_components in (4, 16, 32, 48, 64, 128):
        thresholds = _label_thresholds(np.full(n_components, 1 / n_components))
        times = []
        for cuts in (n_components, 0):  # compare every cut; search always
            _gaussian._COMPARE_MAX_CUTS = cuts
            times += best_times([partial(_draw_labels, np.random.default_rng(1), thresholds, out)],
                                repeat)
        print(f"{n_components:>5}{times[0] * 1e3:>12.2f}{times[1] * 1e3:>11.2f}")
    _gaussian._COMPARE_MAX_CUTS = default


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds; the best is kept")
    parser.add_argument("--no-strategies", action="store_true", help="only the first table")
    args = parser.parse_args()
    blas = [(pool["internal_api"], pool["num_threads"]) for pool in threadpool_info()]
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, thread pools {blas}")
    compare_with_sklearn(args.repeat)
    if not args.no_strategies:
        compare_strategies(args.repeat)
        compare_settings(args.repeat)


if __name__ == "__main__":
    main()
