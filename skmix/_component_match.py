"""Match fitted Gaussian components to true ones: ``match_components``, ``ComponentMatchReport``.

Components are compared by the Hellinger distance between the two Gaussians, in closed form:
``H^2 = 1 - BC`` with the Bhattacharyya coefficient
``BC = det(S1)^1/4 det(S2)^1/4 / det(S)^1/2 * exp(-(m1 - m2)' S^-1 (m1 - m2) / 8)``,
``S = (S1 + S2) / 2``. It is 0 for equal Gaussians and tends to 1 as they stop overlapping;
it weighs a wrong mean and a wrong shape on one scale, whatever the units of the data.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import adjusted_rand_score

from ._covariance import _COVARIANCE_FORMS
from ._matching import UNMATCHED, MatchReport, assert_passed, format_table, one_to_one
from ._metrics import COMPONENT_METRICS, Metric, _check_threshold, register_metric
from ._validation import _short, check_probability_vector

#: Default ``threshold`` (Hellinger distance between Gaussians); calibrated by
#: ``benchmarks/calibrate_thresholds.py`` on EM fits of the worksheet's three Gaussians: full and
#: diag fits from 100 points or more score 0.18 at worst, a spherical (wrong-shape) fit 0.39 or
#: more, a fit from 30 points (10 a component) 0.28-0.36, a merge 1.
DEFAULT_COMPONENT_THRESHOLD = 0.25

def _parts(obj, name):
    """``(means, covariances, weights, covariance_type)`` of a fitted mixture or a dict."""
    if isinstance(obj, Mapping) and "means" in obj and "covariances" in obj:
        return (obj["means"], obj["covariances"], obj.get("weights"),
                obj.get("covariance_type", "full"))
    if hasattr(obj, "means_") and hasattr(obj, "covariances_"):
        return (obj.means_, obj.covariances_, getattr(obj, "weights_", None),
                getattr(obj, "covariance_type", "full"))
    raise TypeError(
        f"{name} must be a fitted Gaussian mixture (means_, covariances_, weights_: sklearn's "
        "GaussianMixture or BayesianGaussianMixture, skmix's GaussianMixtureSampler) or a dict "
        f"with 'means' and 'covariances'; got {_short(obj)} ({type(obj).__name__})."
    )


def gaussians_of(obj, name):
    """``(means, covariances, weights)``: (K, d), (K, d, d) symmetric positive definite, (K,)."""
    means, covariances, weights, covariance_type = _parts(obj, name)
    means = np.asarray(means, dtype=float)
    if means.ndim != 2 or means.size == 0 or not np.all(np.isfinite(means)):
        raise ValueError(f"the means of {name} must be a finite, non-empty (K, d) array, got "
                         f"{_short(means)}.")
    if covariance_type not in _COVARIANCE_FORMS:
        raise ValueError(f"the covariance_type of {name} must be one of "
                         f"{sorted(_COVARIANCE_FORMS)}, got {covariance_type!r}.")
    k, d = means.shape
    try:
        full = np.array(_COVARIANCE_FORMS[covariance_type].as_matrices(
            np.asarray(covariances, float), k, d
        ))
        np.linalg.cholesky(full.reshape(k, d, d))  # reads one triangle only: symmetry below
        if not np.allclose(full, np.swapaxes(full, -1, -2), rtol=1e-8, atol=0):
            raise ValueError("not symmetric")
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise ValueError(f"the covariances of {name} must be {covariance_type!r} covariances "
                         f"for {k} components in {d} dimensions, symmetric positive definite; "
                         f"got {_short(covariances)}.") from exc
    weights = np.full(k, 1.0 / k) if weights is None else weights
    return means, full, check_probability_vector(weights, f"the weights of {name}", size=k)


def gaussian_hellinger(means1, covs1, means2, covs2):
    """Hellinger distance between every pair of Gaussians, shape (K1, K2), in [0, 1]."""
    mid = (covs1[:, None] + covs2[None]) / 2
    diff = means1[:, None] - means2[None]
    mahalanobis = np.einsum("ijk,ijk->ij", diff, np.linalg.solve(mid, diff[..., None])[..., 0])
    log_bc = (np.linalg.slogdet(covs1)[1][:, None] / 4 + np.linalg.slogdet(covs2)[1][None] / 4
              - np.linalg.slogdet(mid)[1] / 2 - mahalanobis / 8)
    return np.sqrt(np.clip(1.0 - np.exp(log_bc), 0.0, 1.0))


register_metric(
    COMPONENT_METRICS, Metric("hellinger", gaussian_hellinger, 1.0, DEFAULT_COMPONENT_THRESHOLD)
)


@dataclass(frozen=True)
class ComponentMatch:
    """One true component and the fitted component matched to it.

    Attributes
    ----------
    name, matched : str
        The true component's name and its match's (None when unmatched).
    distance : float
        Hellinger distance between the two Gaussians (1 when unmatched).
    mean_error : float
        Euclidean distance between the means.
    covariance_error : float
        ``||S_fitted - S_true||_F / ||S_true||_F`` (relative Frobenius error).
    weight_error : float
        ``|w_fitted - w_true|``.
    found : bool
        ``distance <= threshold``.
    """

    name: str
    matched: str | None
    distance: float
    mean_error: float
    covariance_error: float
    weight_error: float
    found: bool


class ComponentMatchReport(MatchReport):
    """How well fitted Gaussian components match the true ones (see :func:`match_components`).

    Attributes
    ----------
    rows : list of ComponentMatch
        One per true component.
    distances : ndarray of shape (n_true, n_fitted)
        Hellinger distance between every true and every fitted Gaussian.
    match : ndarray of int of shape (n_true,)
        The fitted index matched to each true component (-1 when unmatched).
    adjusted_rand : float or None
        Adjusted Rand index of the fitted labels against the true ones, when labels were given.
    mean_distance, max_distance, fraction_recovered, passed, threshold, unmatched, lost
        As in :class:`TopicMatchReport`.
    """

    kind = "component"
    metric = "hellinger"
    max_possible = 1.0

    def __init__(self, rows, distances, match, true_names, recovered_names, threshold,
                 adjusted_rand):
        self.rows = rows
        self.distances = distances
        self.match = match
        self.true_names = true_names
        self.recovered_names = recovered_names
        self.threshold = threshold
        self.adjusted_rand = adjusted_rand

    def _summary(self):
        lines = super()._summary()
        if self.adjusted_rand is not None:
            lines[0] += f"; adjusted Rand index {self.adjusted_rand:.3f}"
        return lines

    def _table(self):
        header = ["true component", "fitted", "hellinger", "mean error", "cov error",
                  "weight error", "found"]
        body = [[row.name, row.matched or "-", f"{row.distance:.3f}", f"{row.mean_error:.3g}",
                 f"{row.covariance_error:.3g}", f"{row.weight_error:.3g}",
                 "yes" if row.found else "LOST"] for row in self.rows]
        return format_table(header, body)


def _component_rows(truth, fitted, distances, match, threshold):
    (m1, c1, w1), (m2, c2, w2) = truth, fitted
    rows = []
    for k, j in enumerate(match):
        if j == UNMATCHED:
            rows.append(ComponentMatch(f"component_{k}", None, 1.0, np.inf, np.inf, w1[k], False))
            continue
        rows.append(ComponentMatch(
            f"component_{k}", f"component_{j}", float(distances[k, j]),
            float(np.linalg.norm(m1[k] - m2[j])),
            float(np.linalg.norm(c1[k] - c2[j]) / np.linalg.norm(c1[k])),
            float(abs(w1[k] - w2[j])), bool(distances[k, j] <= threshold)))
    return rows


def _adjusted_rand(fitted, X, labels_true, labels_pred):
    """ARI of the fitted labels (given, or ``fitted.predict(X)``) against the true ones."""
    if labels_true is None:
        if X is not None or labels_pred is not None:
            raise ValueError("labels_true is needed to compare labels (X or labels_pred given).")
        return None
    if labels_pred is None:
        if X is None:
            raise ValueError("labels_true needs labels_pred, or X for the fitted model's predict.")
        labels_pred = fitted.predict(X)
    labels_true, labels_pred = np.asarray(labels_true), np.asarray(labels_pred)
    if labels_true.shape != labels_pred.shape or labels_true.ndim != 1:
        raise ValueError(f"labels_true and labels_pred must be 1-D of one length, got shapes "
                         f"{labels_true.shape} and {labels_pred.shape}.")
    return float(adjusted_rand_score(labels_true, labels_pred))


def match_components(truth, fitted, *, X=None, labels_true=None, labels_pred=None,
                     threshold=None):
    """Match fitted Gaussian components one-to-one to the true ones.

    The Hellinger distance between every true and every fitted Gaussian (closed form, in
    [0, 1]) is computed and the one-to-one matching with the smallest total distance taken
    (``scipy.optimize.linear_sum_assignment``); each row also gives the mean, covariance and
    weight errors. Component order does not matter, and the two sides may have different
    numbers of components.

    Parameters
    ----------
    truth, fitted : Gaussian mixture
        A fitted sklearn ``GaussianMixture`` or ``BayesianGaussianMixture``, a fitted skmix
        ``GaussianMixtureSampler`` (any object with ``means_``, ``covariances_``, ``weights_``
        and ``covariance_type``), or a dict with ``means``, ``covariances`` and optionally
        ``weights`` (uniform when left out) and ``covariance_type`` (``"full"``), such as
        ``skmix.datasets.worksheet_gaussians()``.
    X : array-like of shape (n_samples, n_features), default=None
        Data whose true labels are ``labels_true``: ``fitted.predict(X)`` gives the fitted labels.
    labels_true : array-like of shape (n_samples,), default=None
        The true component of each sample (the ``y`` of ``GaussianMixtureSampler.sample``).
    labels_pred : array-like of shape (n_samples,), default=None
        The fitted component of each sample, instead of ``X``.
    threshold : float, default=None
        A true component is found when its match is at most this far; None takes
        ``DEFAULT_COMPONENT_THRESHOLD`` (0.25), calibrated on EM fits (``docs/calibration.md``).

    Returns
    -------
    report : ComponentMatchReport
        ``passed``, ``rows``, ``distances``, ``adjusted_rand`` and a readable ``str()`` table.

    Examples
    --------
    >>> import numpy as np
    >>> from skmix.compare import match_components
    >>> from skmix.datasets import worksheet_gaussians
    >>> truth = worksheet_gaussians()
    >>> shuffled = {"means": truth["means"][[2, 0, 1]] + 0.05,
    ...             "covariances": truth["covariances"][[2, 0, 1]]}
    >>> report = match_components(truth, shuffled)
    >>> report.passed, [row.matched for row in report.rows]
    (True, ['component_1', 'component_2', 'component_0'])
    """
    metric = COMPONENT_METRICS["hellinger"]
    threshold = _check_threshold(threshold, metric.default_threshold)
    true_parts, fitted_parts = gaussians_of(truth, "truth"), gaussians_of(fitted, "fitted")
    if true_parts[0].shape[1] != fitted_parts[0].shape[1]:
        raise ValueError(f"truth and fitted must have the same number of features, got "
                         f"{true_parts[0].shape[1]} and {fitted_parts[0].shape[1]}.")
    adjusted_rand = _adjusted_rand(fitted, X, labels_true, labels_pred)
    distances = metric.function(true_parts[0], true_parts[1], fitted_parts[0], fitted_parts[1])
    match = one_to_one(distances)
    rows = _component_rows(true_parts, fitted_parts, distances, match, threshold)
    names = [[f"component_{k}" for k in range(len(parts[0]))]
             for parts in (true_parts, fitted_parts)]
    return ComponentMatchReport(rows, distances, match, *names, threshold, adjusted_rand)


def assert_components_recovered(truth, fitted, *, X=None, labels_true=None, labels_pred=None,
                                threshold=None):
    """Assert every true component was recovered; the ``AssertionError`` message is the table.

    Parameters
    ----------
    truth, fitted, X, labels_true, labels_pred, threshold
        As for :func:`match_components`.

    Returns
    -------
    report : ComponentMatchReport
        When it passed.

    Raises
    ------
    AssertionError
        When a true component is not matched within the threshold.

    Examples
    --------
    >>> from skmix.compare import assert_components_recovered
    >>> from skmix.datasets import worksheet_gaussians
    >>> assert_components_recovered(worksheet_gaussians(), worksheet_gaussians()).max_distance
    0.0
    """
    return assert_passed(match_components(truth, fitted, X=X, labels_true=labels_true,
                                          labels_pred=labels_pred, threshold=threshold))
