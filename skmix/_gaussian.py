"""GaussianMixtureSampler: labelled points from a mixture of Gaussians, given or fitted by EM."""

from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.mixture import GaussianMixture
from sklearn.utils.validation import check_is_fitted, validate_data

from ._base import SamplerMixin
from ._compat import (
    BaseMixture,
    StrOptions,
    _check_feature_names,
    _compute_precision_cholesky,
    _fit_context,
)
from ._covariance import _COVARIANCE_FORMS
from ._validation import IntervalNotBool, _short, check_probability_vector

__all__ = ["GaussianMixtureSampler"]


# Up to this many features, rows are computed column by column from gathered factors; above
# it, one matrix product per component wins (measured in benchmarks/bench_gaussian.py).
_ELEMENTWISE_MAX_FEATURES = 6
# Rows transformed at a time by the elementwise path (its temporaries stay in cache), and the
# most cuts for which labels come from one comparison per cut rather than a binary search
# (both measured in benchmarks/bench_gaussian.py).
_CHUNK_ROWS = 65_536
_COMPARE_MAX_CUTS = 48


def _as_float_array(value, name):
    """``value`` as a float array, or a ``ValueError`` naming ``name`` (ragged or not numbers)."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be an array of numbers with rows of one length, got {_short(value)}."
        ) from exc


def _check_means(means):
    """Return ``means`` as a finite (n_components, n_features) float array."""
    array = _as_float_array(means, "means")
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"means must be a non-empty 2-D array (n_components, n_features), got shape "
            f"{array.shape}: {_short(means)}."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"means must be finite, got {_short(means)}.")
    return array


def _check_covariances(covariances, covariance_type, n_components, n_features):
    """Return ``covariances`` as a float array of the type's shape, symmetric positive definite."""
    form = _COVARIANCE_FORMS[covariance_type]
    array = _as_float_array(covariances, "covariances")
    shape = form.shape(n_components, n_features)
    if array.shape != shape:
        raise ValueError(
            f"covariances must have shape {shape} for covariance_type={covariance_type!r} with "
            f"{n_components} components in {n_features} dimensions, got shape {array.shape}."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"covariances must be finite, got {_short(covariances)}.")
    matrices = form.as_matrices(array, n_components, n_features)
    if not np.allclose(matrices, np.swapaxes(matrices, 1, 2)):
        raise ValueError(f"covariances must be symmetric, got {_short(covariances)}.")
    smallest = np.linalg.eigvalsh(matrices)[:, 0]
    if np.any(smallest <= 0):
        k = int(np.argmin(smallest))
        raise ValueError(
            f"covariances must be positive definite: component {k} has eigenvalue "
            f"{smallest[k]:.3g} (covariance_type={covariance_type!r}), got {_short(covariances)}."
        )
    return array


def _n_components(n_components, means, weights):
    """The number of components: given by any of the three (which must agree), else 1."""
    sizes = {
        "n_components": n_components,
        "len(means)": None if means is None else len(means),
        "len(weights)": None if weights is None else len(weights),
    }
    given = {name: size for name, size in sizes.items() if size is not None}
    if len(set(given.values())) > 1:
        told = ", ".join(f"{name}={size}" for name, size in given.items())
        raise ValueError(
            f"n_components, means and weights disagree on the number of components: {told}."
        )
    return next(iter(given.values()), 1)


def _label_thresholds(weights):
    """Cut points of [0, 1): component k is drawn for a uniform u with t[k-1] <= u < t[k]."""
    weights = np.asarray(weights, dtype=float)
    thresholds = np.cumsum(weights)[:-1]
    # after the last component with weight, a cut at 1 (never reached: u < 1), not at a
    # rounded sum such as 0.9999999999999999 that a uniform could still pass
    thresholds[np.cumsum(weights[::-1])[::-1][1:] == 0] = 1.0
    return thresholds


def _draw_labels(rng, thresholds, out):
    """Fill ``out`` with independent component labels: the inverse CDF of uniforms.

    The counts of independent labels are multinomial and their order is uniformly random: the
    same law as one multinomial draw of the counts and a shuffle, without the shuffle.
    """
    uniform = rng.random(out.size)
    if thresholds.size > _COMPARE_MAX_CUTS:
        out[:] = np.searchsorted(thresholds, uniform, side="right")
        return out
    out[:] = 0
    above = np.empty(out.size, dtype=bool)
    for threshold in thresholds:  # one comparison per cut beats a binary search per row
        np.greater_equal(uniform, threshold, out=above)
        out += above
    return out


def _sample_elementwise(rng, n_samples, weights, means, factors):
    """Draw each row from its own component's factor, one column at a time (small d).

    Normals are drawn straight into ``X`` and transformed in place, ``_CHUNK_ROWS`` rows at a
    time, so the temporaries stay in cache.
    """
    n_features = means.shape[1]
    thresholds = _label_thresholds(weights)
    # the factors that are zero for every component (diag, spherical) cost nothing
    terms = [np.flatnonzero(np.any(factors[:, i, : i + 1], axis=0)) for i in range(n_features)]
    X = rng.standard_normal((n_samples, n_features))
    y = np.empty(n_samples, dtype=np.intp)
    for start in range(0, n_samples, _CHUNK_ROWS):
        rows = slice(start, start + _CHUNK_ROWS)
        labels = _draw_labels(rng, thresholds, y[rows])
        Z = X[rows]
        for i in reversed(range(n_features)):  # column i reads z_0..z_i: overwrite from the last
            column = np.take(means[:, i], labels)
            for j in terms[i]:
                term = np.take(factors[:, i, j], labels)
                term *= Z[:, j]
                column += term
            Z[:, i] = column
    return X, y


def _sample_grouped(rng, n_samples, weights, means, factors):
    """Draw each component's rows with one matrix product, written straight to their rows."""
    y = _draw_labels(rng, _label_thresholds(weights), np.empty(n_samples, dtype=np.intp))
    X = np.empty((n_samples, means.shape[1]))
    counts = np.bincount(y, minlength=len(means))
    rows_by_component = np.split(np.argsort(y, kind="stable"), np.cumsum(counts)[:-1])
    for k, rows in enumerate(rows_by_component):
        block = rng.standard_normal((rows.size, means.shape[1])) @ factors[k].T
        block += means[k]  # in place: one temporary fewer
        X[rows] = block
    return X, y


class GaussianMixtureSampler(SamplerMixin, DensityMixin, BaseEstimator):
    """Labelled points from a mixture of Gaussians, given by hand or fitted by EM.

    ``fit()`` without data takes the mixture from ``means``, ``covariances`` and ``weights``
    (the ground truth); ``fit(X)`` estimates it with scikit-learn's
    :class:`~sklearn.mixture.GaussianMixture`, starting from the given parameters if any.
    Either way, ``sample`` draws shuffled rows with the component of each, and ``predict``,
    ``predict_proba``, ``score_samples``, ``score``, ``bic`` and ``aic`` behave as
    scikit-learn's.

    Parameters
    ----------
    n_components : int, default=None
        The number of components. ``None`` takes it from ``means`` (or ``weights``), else 1
        as scikit-learn does. When several of them are given they must agree.
    means : array-like of shape (n_components, n_features), default=None
        The component means: the truth when ``fit()`` gets no data (then required), the EM
        initialisation otherwise.
    covariances : array-like, default=None
        The component covariances, symmetric positive definite, shaped as scikit-learn's
        ``covariances_`` for ``covariance_type``: (n_components, n_features, n_features) for
        ``"full"``, (n_features, n_features) for ``"tied"``, (n_components, n_features) for
        ``"diag"``, (n_components,) for ``"spherical"``. ``None`` means unit covariances in
        ground-truth mode and EM's own initialisation otherwise.
    weights : array-like of shape (n_components,), default=None
        The component weights, non-negative and summing to 1. ``None`` means uniform in
        ground-truth mode and EM's own initialisation otherwise.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        The form of the covariances, as in scikit-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds EM's initialisation and the stream ``sample`` continues (see ``sample``).
    tol : float, default=1e-3
        EM convergence threshold, passed to ``GaussianMixture``.
    reg_covar : float, default=1e-6
        Added to the covariances' diagonal in EM, passed to ``GaussianMixture``.
    max_iter : int, default=100
        EM iterations, passed to ``GaussianMixture``.
    n_init : int, default=1
        EM restarts (the best is kept), passed to ``GaussianMixture``.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, default="kmeans"
        How EM initialises what was not given, passed to ``GaussianMixture``.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        The component weights.
    means_ : ndarray of shape (n_components, n_features)
        The component means.
    covariances_ : ndarray
        The component covariances, shaped by ``covariance_type``.
    precisions_cholesky_ : ndarray
        Cholesky factors of the precision matrices, as scikit-learn defines them.
    gaussian_mixture_ : sklearn.mixture.GaussianMixture
        The fitted scikit-learn model holding the mixture; the scoring methods delegate to it.
    n_features_in_ : int
        The number of features.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features of ``X`` in EM mode, when it has string column names.
    converged_ : bool
        Whether EM converged (EM mode only).
    n_iter_ : int
        EM iterations of the best run (EM mode only).
    lower_bound_ : float
        Log-likelihood lower bound of the best EM run (EM mode only).

    See Also
    --------
    sklearn.mixture.GaussianMixture : the EM estimator used by ``fit(X)``.

    Examples
    --------
    >>> from skmix import GaussianMixtureSampler
    >>> from skmix.datasets import worksheet_gaussians
    >>> truth = GaussianMixtureSampler(**worksheet_gaussians(), random_state=0).fit()
    >>> X, y = truth.sample(3000)
    >>> X.shape, y.shape
    ((3000, 2), (3000,))
    >>> model = GaussianMixtureSampler(3, random_state=0).fit(X)
    >>> sorted(model.means_.round().tolist())  # EM found the worksheet's means again
    [[1.0, 1.0], [1.0, 4.0], [5.0, 2.0]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "n_components": [IntervalNotBool(Integral, 1, None, closed="left"), None],
        "means": ["array-like", None],
        "covariances": ["array-like", None],
        "weights": ["array-like", None],
        "covariance_type": [StrOptions(set(_COVARIANCE_FORMS))],
        **{
            name: BaseMixture._parameter_constraints[name]
            for name in ("random_state", "tol", "reg_covar", "max_iter", "n_init", "init_params")
        },
    }

    def __init__(
        self,
        n_components=None,
        *,
        means=None,
        covariances=None,
        weights=None,
        covariance_type="full",
        random_state=None,
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
    ):
        self.n_components = n_components
        self.means = means
        self.covariances = covariances
        self.weights = weights
        self.covariance_type = covariance_type
        self.random_state = random_state
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Take the given mixture (``X=None``) or estimate one from ``X`` by EM.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), default=None
            ``None``: the mixture is ``means``/``covariances``/``weights`` as given.
            Otherwise the data EM is fitted to.
        y : None
            Ignored.

        Returns
        -------
        self : GaussianMixtureSampler
        """
        means = None if self.means is None else _check_means(self.means)
        weights = self.weights
        if weights is not None:
            weights = check_probability_vector(weights, "weights")
        n_components = _n_components(self.n_components, means, weights)
        if X is None:
            mixture = self._given_mixture(n_components, means, weights)
        else:
            mixture = self._fitted_mixture(X, n_components, means, weights)
        self._set_mixture(mixture)
        self._init_seed()
        return self

    def _given_mixture(self, n_components, means, weights):
        """A ``GaussianMixture`` holding the ground truth, built without EM."""
        if means is None:
            raise ValueError("means is required when fit() gets no X (ground truth), got None.")
        n_features = means.shape[1]
        covariances = (
            _COVARIANCE_FORMS[self.covariance_type].identity(n_components, n_features)
            if self.covariances is None
            else _check_covariances(
                self.covariances, self.covariance_type, n_components, n_features
            )
        )
        weights = np.full(n_components, 1.0 / n_components) if weights is None else weights
        mixture = GaussianMixture(n_components, covariance_type=self.covariance_type)
        precisions_cholesky = _compute_precision_cholesky(covariances, self.covariance_type)
        mixture._set_parameters((weights, means, covariances, precisions_cholesky))
        mixture.n_features_in_ = n_features
        _check_feature_names(self, None, reset=True)  # forget names of an earlier fit(X)
        self.n_features_in_ = n_features
        return mixture

    def _fitted_mixture(self, X, n_components, means, weights):
        """A ``GaussianMixture`` fitted to ``X`` by EM, starting from the given parameters."""
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2)
        n_features = X.shape[1]
        if means is not None and means.shape[1] != n_features:
            raise ValueError(
                f"means has {means.shape[1]} columns but X has {n_features} features."
            )
        precisions = None
        if self.covariances is not None:
            covariances = _check_covariances(
                self.covariances, self.covariance_type, n_components, n_features
            )
            precisions = _COVARIANCE_FORMS[self.covariance_type].inverse(covariances)
        mixture = GaussianMixture(
            n_components,
            covariance_type=self.covariance_type,
            tol=self.tol,
            reg_covar=self.reg_covar,
            max_iter=self.max_iter,
            n_init=self.n_init,
            init_params=self.init_params,
            weights_init=weights,
            means_init=means,
            precisions_init=precisions,
            random_state=self.random_state,
        )
        mixture.fit(X)
        for name in ("converged_", "n_iter_", "lower_bound_"):
            setattr(self, name, getattr(mixture, name))
        return mixture

    def _set_mixture(self, mixture):
        """Expose ``mixture``'s parameters and keep what sampling needs."""
        self.gaussian_mixture_ = mixture
        for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
            setattr(self, name, getattr(mixture, name))
        n_components, n_features = self.means_.shape
        covariances = np.asarray(self.covariances_, dtype=float)
        matrices = _COVARIANCE_FORMS[self.covariance_type].as_matrices(
            covariances, n_components, n_features
        )
        # the lower Cholesky factor L of each covariance: a row is mean + L @ standard normal
        self._factors_ = np.linalg.cholesky(matrices)

    def _bytes_per_sample(self):
        return 8 * (self.n_features_in_ + 1)  # a float64 row and its int64 label

    def _sample(self, n_samples, seed):
        """Draw ``n_samples`` shuffled rows and the component of each.

        Labels are drawn independently by the inverse CDF of uniforms (so the counts are
        multinomial and the order random); each row is computed from its own component's
        Cholesky factor, already in its place (no permutation of rows).

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The points, rows in random order (not grouped by component).
        y : ndarray of shape (n_samples,)
            The component of each row.
        """
        rng = np.random.default_rng(seed)
        means = np.asarray(self.means_, dtype=float)
        draw = (
            _sample_elementwise if means.shape[1] <= _ELEMENTWISE_MAX_FEATURES else _sample_grouped
        )
        return draw(rng, n_samples, self.weights_, means, self._factors_)

    def _delegate(self, method, X):
        """Check ``X`` against the fit, then call ``gaussian_mixture_``'s ``method`` on it."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return getattr(self.gaussian_mixture_, method)(X)

    def predict(self, X):
        """The most probable component of each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self._delegate("predict", X)

    def predict_proba(self, X):
        """The posterior probability of each component for each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_components)
        """
        return self._delegate("predict_proba", X)

    def score_samples(self, X):
        """The log density of the mixture at each row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_samples,)
        """
        return self._delegate("score_samples", X)

    def score(self, X, y=None):
        """The mean log-likelihood of the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        log_likelihood : float
        """
        return self._delegate("score", X)

    def bic(self, X):
        """Bayesian information criterion of the mixture on ``X`` (lower is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        bic : float
        """
        return self._delegate("bic", X)

    def aic(self, X):
        """Akaike information criterion of the mixture on ``X`` (lower is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        aic : float
        """
        return self._delegate("aic", X)

    def sample(self, n_samples=1, random_state=None):
        """Draw points from the mixture, shuffled, with the component of each.

        Without ``random_state``, successive calls continue one stream seeded at ``fit`` by the
        estimator's ``random_state``: two calls give different points, and refitting (or a
        clone fitted with the same integer ``random_state``) gives the same sequence again.
        With ``random_state``, that call alone is seeded by it and the stream is left as it
        was: the next call without ``random_state`` continues where the stream stood.

        Parameters
        ----------
        n_samples : int, default=1
            How many points to draw.
        random_state : None, int, RandomState, Generator or SeedSequence, default=None
            Seeds this call alone; ``None`` continues the estimator's stream.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The points, rows in random order (not grouped by component).
        y : ndarray of shape (n_samples,)
            The component of each row.

        Examples
        --------
        >>> from skmix import GaussianMixtureSampler
        >>> g = GaussianMixtureSampler(means=[[0, 0], [10, 10]], random_state=0).fit()
        >>> X, y = g.sample(5)
        >>> X.shape, y.shape
        ((5, 2), (5,))
        >>> bool((g.sample(5)[0] != X).all())
        True
        """
        return super().sample(n_samples, random_state=random_state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # fit() is meaningful without X (ground-truth mode), but fitted from data it needs
        # finite 2-D numbers only, and never a target
        tags.target_tags.required = False
        tags.input_tags.allow_nan = False
        return tags
