"""Distances: each one :class:`Metric` (function, range, default threshold), registered.

A topic metric takes two arrays of row-normalised topics, (K1, V) and (K2, V), and gives the
(K1, K2) distances; :func:`register_metric` adds it to :data:`TOPIC_METRICS` right where it is
defined, and ``match_topics(metric=...)``, ``skmix compare --metric`` and
:data:`DEFAULT_TOPIC_THRESHOLDS` take it from there. Component metrics (between Gaussians) are
registered in :data:`COMPONENT_METRICS` the same way, beside their function.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import xlogy

from ._validation import _short


class Metric(NamedTuple):
    """A distance, whole: its name, its function, its largest value, its default threshold."""

    name: str
    function: Callable
    max_possible: float
    default_threshold: float


#: Topic metrics by name: functions of two row-normalised (K, V) arrays.
TOPIC_METRICS = {}
#: Component metrics by name: functions of ``(means1, covs1, means2, covs2)``.
COMPONENT_METRICS = {}


def register_metric(registry, metric):
    """Add ``metric`` to ``registry`` (:data:`TOPIC_METRICS` or :data:`COMPONENT_METRICS`)."""
    registry[metric.name] = metric
    return metric


# --- distances between topics ----------------------------------------------------------------

def _products(a, b):
    """``a @ b.T``; sparse when ``a`` is mostly zeros, as a truth given as word lists is beside a
    fitted vocabulary: the cost is then its non-zeros x K_recovered, not K_true x V x K_recovered.
    """
    if np.count_nonzero(a) < 0.1 * a.size:
        return np.asarray(csr_matrix(a) @ b.T)
    return a @ b.T


#: Hellinger distances below this, estimated in float32, are computed again in float64: an error
#: e in sum sqrt(p q) moves the distance d by about e / (2 d), so float32 (e ~ 1e-5 over 50,000
#: words) is exact enough only far from 0. Far pairs are most pairs; the near ones are few, unless
#: more than this many per topic, when the whole product is taken in float64.
HELLINGER_FLOAT32_ABOVE = 0.5
_MAX_REFINED_PER_TOPIC = 4


def _hellinger_exact(p, q):
    return np.sqrt(np.clip(1.0 - _products(np.sqrt(p), np.sqrt(q)), 0.0, 1.0))


def _hellinger(p, q):
    """sqrt(1 - sum sqrt(p q)): 0 for identical topics, 1 for disjoint ones.

    The square roots and their product in float32 (half the memory, twice the speed at 1,000 x
    1,000 topics over 50,000 words), then the distances below ``HELLINGER_FLOAT32_ABOVE`` again
    in float64, pair by pair.
    """
    roots = [np.sqrt(x, dtype=np.float32) for x in (p, q)]
    distances = np.sqrt(np.clip(1.0 - _products(*roots).astype(float), 0.0, 1.0))
    near = distances < HELLINGER_FLOAT32_ABOVE
    if near.sum() > _MAX_REFINED_PER_TOPIC * max(near.shape):
        return _hellinger_exact(p, q)
    for k in np.flatnonzero(near.any(axis=1)):
        columns = np.flatnonzero(near[k])
        shared = np.sqrt(p[k] * q[columns]).sum(axis=1)
        distances[k, columns] = np.sqrt(np.clip(1.0 - shared, 0.0, 1.0))
    return distances


# Default thresholds calibrated by ``benchmarks/calibrate_thresholds.py`` (docs/calibration.md):
# Hellinger 0.3 is above every gensim/sklearn fit of the bars that found them (worst 0.25) and
# below every one that did not (0.33 and more) or merged two topics (0.54).
register_metric(TOPIC_METRICS, Metric("hellinger", _hellinger, 1.0, 0.3))


def _over_support(p, q, on_support, total):
    """Distances that are sums over words, evaluated only where each true topic has mass.

    Where p = 0 each such sum has a closed-form share (``total``), so each true topic costs
    O(K_recovered x its support) instead of O(K_recovered x V): word-list truths are sparse.
    """
    out = np.empty((p.shape[0], q.shape[0]))
    for k, row in enumerate(p):
        support = np.flatnonzero(row)
        out[k] = total + on_support(row[support], q[:, support]).sum(axis=1)
    return out


def _jensen_shannon(p, q):
    """sqrt of the Jensen-Shannon divergence in bits: 0 for identical topics, 1 for disjoint.

    Per word the divergence adds (p log2(2p/(p+q)) + q log2(2q/(p+q))) / 2, which is (p + q) / 2
    when p = 0: the sum is 1 plus, over the support of p, that term minus (p + q) / 2.
    """
    def on_support(ps, qs):
        m = ps + qs
        term = (xlogy(ps, 2 * ps / m) + xlogy(qs, 2 * qs / m)) / (2 * np.log(2))
        return term - m / 2

    return np.sqrt(np.clip(_over_support(p, q, on_support, 1.0), 0.0, 1.0))


register_metric(TOPIC_METRICS, Metric("jensen_shannon", _jensen_shannon, 1.0, 0.3))


def _cosine(p, q):
    """1 - cos(p, q): 0 for proportional topics, 1 for disjoint ones."""
    norms = [np.sqrt(np.einsum("ij,ij->i", x, x)) for x in (p, q)]
    return np.clip(1.0 - _products(p, q) / np.outer(*norms), 0.0, 1.0)


register_metric(TOPIC_METRICS, Metric("cosine", _cosine, 1.0, 0.09))


def _l1(p, q):
    """sum |p - q| = 2 - 2 sum min(p, q): 0 for identical topics, 2 for disjoint ones."""
    return np.clip(_over_support(p, q, lambda ps, qs: -2 * np.minimum(ps, qs), 2.0), 0.0, 2.0)


register_metric(TOPIC_METRICS, Metric("l1", _l1, 2.0, 0.35))

#: Default ``threshold`` per topic metric.
DEFAULT_TOPIC_THRESHOLDS = {name: m.default_threshold for name, m in TOPIC_METRICS.items()}


def _check_metric(metric):
    if not isinstance(metric, str) or metric not in TOPIC_METRICS:
        raise ValueError(f"metric must be one of {sorted(TOPIC_METRICS)}, got {metric!r}.")
    return TOPIC_METRICS[metric]


def _check_threshold(threshold, default, name="threshold"):
    if threshold is None:
        return default
    if isinstance(threshold, bool) or not isinstance(threshold, int | float | np.number) or (
            not np.isfinite(threshold) or threshold < 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {_short(threshold)}.")
    return float(threshold)
