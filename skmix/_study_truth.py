"""The ground truth of a study, per grid cell: made, fingerprinted, drawn from and judged.

Two kinds, each a small object with the same methods: topic truths (a
``TopicMixtureGenerator``: corpora judged by ``match_topics``) and mixture truths (a
``GaussianMixtureSampler``: points judged by ``match_components`` and the adjusted Rand index).
"""

import functools
import hashlib
import json
from numbers import Integral, Real

import numpy as np
from scipy.sparse import csr_matrix

from ._validation import _short

#: Covariance added to a cluster's empirical covariance, so that a cluster of one point (or of
#: points on a line) is still a Gaussian the comparison can take.
_LABEL_REG_COVAR = 1e-6


def _is_fitted(obj):
    return hasattr(obj, "topic_word_") or hasattr(obj, "means_")


def make_truth(truth, params):
    """The fitted truth of one grid cell, given its parameters other than the size.

    ``truth`` is a generator or sampler (cloned, ``params`` set with ``set_params``, fitted), or
    a callable ``(**params)`` returning one. A fitted truth with no parameters to set is used as
    it is (it may have been fitted to data, which a clone would lose).
    """
    from sklearn.base import clone

    if hasattr(truth, "set_params") and hasattr(truth, "sample"):
        if not params and _is_fitted(truth):
            return truth
        unknown = sorted(set(params) - set(truth.get_params(deep=False)))
        if unknown:
            raise ValueError(f"grid keys {unknown} are neither a size key (n_documents, "
                             f"n_samples) nor parameters of {type(truth).__name__}.")
        made = clone(truth).set_params(**params)
    elif callable(truth):
        try:
            made = truth(**params)
        except TypeError as exc:
            raise TypeError(f"truth(**{_short(params)}) failed: {exc}") from exc
    else:
        raise TypeError("truth must be a TopicMixtureGenerator, a GaussianMixtureSampler or a "
                        f"callable (**params) returning one, got {_short(truth)}.")
    if not (hasattr(made, "sample") and hasattr(made, "fit")):
        raise TypeError("the truth callable must return a TopicMixtureGenerator or a "
                        f"GaussianMixtureSampler, got {_short(made)}.")
    if _is_fitted(made):
        return made
    try:
        return made.fit()
    except ValueError as exc:
        if _is_fitted(truth):  # fitted to data: a clone with new parameters has nothing to fit
            raise ValueError(f"truth was fitted to data, so grid keys {sorted(params)} cannot "
                             "be set on it (a clone would need the data again); give a "
                             "callable (**params) that makes each cell's truth.") from exc
        raise


def _digest(value, hasher):
    """Feed a canonical form of ``value`` (arrays by bytes, the rest by JSON) to ``hasher``."""
    if isinstance(value, np.ndarray) and value.dtype != object:
        hasher.update(f"{value.dtype.str}{value.shape}".encode())
        hasher.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.ndarray):
        hasher.update(json.dumps([str(v) for v in value.ravel()]).encode())
    else:
        hasher.update(json.dumps(describe(value), sort_keys=True).encode())


def describe(obj):
    """A JSON value that says what ``obj`` is: what a study's fingerprint is made of."""
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, Integral):
        return int(obj)
    if isinstance(obj, Real):
        return float(obj)
    if isinstance(obj, dict):
        return {str(key): describe(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [describe(value) for value in obj]
    if isinstance(obj, np.ndarray):
        hasher = hashlib.sha256()
        _digest(obj, hasher)
        return f"array{obj.shape}:{hasher.hexdigest()[:16]}"
    if hasattr(obj, "name") and hasattr(obj, "options") and hasattr(obj, "settings"):
        return {"fitter": obj.name, "options": describe(obj.settings)}
    if hasattr(obj, "get_params"):
        return {"class": type(obj).__qualname__, "params": describe(obj.get_params(deep=False))}
    if hasattr(obj, "dist") and hasattr(obj, "kwds"):  # a frozen scipy.stats distribution
        return {"distribution": obj.dist.name, "args": describe(obj.args),
                "kwds": describe(obj.kwds)}
    if isinstance(obj, functools.partial):
        return {"partial": describe(obj.func), "args": describe(obj.args),
                "keywords": describe(obj.keywords)}
    if hasattr(obj, "__qualname__"):
        return f"{getattr(obj, '__module__', '')}.{obj.__qualname__}"
    name = f"{type(obj).__module__}.{type(obj).__qualname__}"
    # an object by its class and attributes, never by its repr (which may hold its address)
    return {"object": name, "attributes": describe(vars(obj))} if hasattr(obj, "__dict__") else name


def _labels_mixture(X, labels):
    """The Gaussians of a clustering: each cluster's mean, covariance and share of the points."""
    values, index = np.unique(labels, return_inverse=True)
    n, d = X.shape
    members = csr_matrix((np.ones(n), (index, np.arange(n))), shape=(values.size, n))
    counts = np.asarray(members.sum(axis=1)).ravel()
    means = members @ X / counts[:, None]
    centred = X - means[index]
    scatter = members @ (centred[:, :, None] * centred[:, None, :]).reshape(n, d * d)
    covariances = scatter.reshape(-1, d, d) / counts[:, None, None] + _LABEL_REG_COVAR * np.eye(d)
    return {"means": means, "covariances": covariances, "weights": counts / n}


def _coverage(distances, threshold):
    """Share of true items with some recovered item within ``threshold``, and the share of
    recovered items that repeat a true item another recovered item already covers."""
    near = distances <= threshold
    repeats = np.maximum(near.sum(axis=1) - 1, 0).sum()
    return float(near.any(axis=1).mean()), float(repeats / distances.shape[1])


def _report_figures(report):
    coverage, redundancy = _coverage(report.distances, report.threshold)
    return {
        "passed": bool(report.passed),
        "fraction_recovered": report.fraction_recovered,
        "mean_distance": report.mean_distance,
        "max_distance": report.max_distance,
        "n_recovered": int(report.distances.shape[1]),
        "coverage": coverage,
        "redundancy": redundancy,
        "distances": [float(row.distance) for row in report.rows],
    }


class _TopicTruth:
    """A ``TopicMixtureGenerator``: corpora, judged by ``match_topics``."""

    kind = "topics"
    size_key = "n_documents"

    @staticmethod
    def n_true(truth):
        return int(truth.n_topics_)

    @staticmethod
    def fingerprint(truth, hasher):
        for value in (truth.topic_word_, truth.vocabulary_, truth.doc_topic_prior_,
                      truth.topic_weights_, truth.doc_length_):
            _digest(value, hasher)

    @staticmethod
    def draw(truth, n, seed, held_out=0):
        """``(corpus, None, held-out corpus or None, size figures)``."""
        corpus = truth.sample(n + held_out, random_state=seed)
        train, test = (corpus[:n], corpus[n:]) if held_out else (corpus, None)
        return train, None, test, {"n_tokens": train.n_tokens}

    @staticmethod
    def judge(truth, fitted, data, labels_true, metric, threshold):
        from .compare import match_topics

        report = match_topics(truth, fitted.model, metric=metric, threshold=threshold)
        precision = float(np.mean([row.precision for row in report.rows]))
        return {**_report_figures(report), "mean_precision": precision}

    @staticmethod
    def judge_pair(first, second, data, metric, threshold):
        from .compare import match_topics

        return _report_figures(match_topics(first.model, second.model, metric=metric,
                                            threshold=threshold))


def _as_mixture(fitted, X):
    model = fitted.model
    if hasattr(model, "means_") and hasattr(model, "covariances_"):
        return model
    if fitted.labels is None:
        raise TypeError("a mixture fitter must return a fitted mixture (means_, covariances_), "
                        f"a clustering estimator or labels, got {_short(model)}.")
    return _labels_mixture(X, fitted.labels)


class _MixtureTruth:
    """A ``GaussianMixtureSampler``: points, judged by ``match_components`` and the ARI."""

    kind = "mixture"
    size_key = "n_samples"

    @staticmethod
    def n_true(truth):
        return int(truth.means_.shape[0])

    @staticmethod
    def fingerprint(truth, hasher):
        for value in (truth.means_, truth.covariances_, truth.weights_, truth.covariance_type):
            _digest(value, hasher)

    @staticmethod
    def draw(truth, n, seed, held_out=0):
        X, y = truth.sample(n, random_state=seed)
        return X, y, None, {}

    @staticmethod
    def judge(truth, fitted, data, labels_true, metric, threshold):
        from .compare import match_components

        report = match_components(truth, _as_mixture(fitted, data), labels_true=labels_true,
                                  labels_pred=fitted.labels, threshold=threshold)
        errors = {name: float(np.mean([getattr(row, name) for row in report.rows]))
                  for name in ("mean_error", "covariance_error", "weight_error")}
        return {**_report_figures(report), "adjusted_rand": report.adjusted_rand, **errors}

    @staticmethod
    def judge_pair(first, second, X, metric, threshold):
        from .compare import match_components

        report = match_components(_as_mixture(first, X), _as_mixture(second, X),
                                  labels_true=first.labels, labels_pred=second.labels,
                                  threshold=threshold)
        return {**_report_figures(report), "adjusted_rand": report.adjusted_rand}


def truth_kind(made):
    """The kind object of a made truth."""
    if hasattr(made, "topic_word_"):
        return _TopicTruth
    if hasattr(made, "means_"):
        return _MixtureTruth
    raise TypeError(f"truth must make a TopicMixtureGenerator or a GaussianMixtureSampler, "
                    f"got {type(made).__name__}.")


SIZE_KEYS = (_TopicTruth.size_key, _MixtureTruth.size_key)
