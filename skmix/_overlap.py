"""MixSim's pairwise misclassification overlap, exact, for Gaussian mixtures and for topics.

``omega_ij = w_j|i + w_i|j``, where ``w_j|i`` is the probability that a point (a word) drawn from
component (topic) i is more likely - weights included - under j than under i, ties counting half
(Maitra & Melnykov 2010; Melnykov, Chen & Maitra 2012, the R package MixSim).

Gaussians. With ``X = mu_i + L_i Z`` (``L_i L_i' = S_i``, Z standard normal), j beats i when
``(X - mu_j)' S_j^-1 (X - mu_j) - Z'Z < log(pi_j^2 / pi_i^2 * |S_i| / |S_j|)``. With
``A = (L_j^-1 L_i)' (L_j^-1 L_i) = G diag(lambda) G'``, ``Y = G'Z`` and ``d = G' L_i^-1 (mu_i -
mu_j)`` the left side is ``sum_k (lambda_k - 1) Y_k^2 + 2 lambda_k d_k Y_k + lambda_k d_k^2``: a
quadratic form in independent standard normals, whose distribution function
:func:`quadratic_form_cdf` computes.

- MixSim (``src/libOverlap.c``, ``ComputePars``/``GetOmegaMap``) completes the square, writing each
  term as a non-central chi-square with coefficient ``lambda_k - 1`` and non-centrality
  ``(lambda_k d_k / (lambda_k - 1))^2``, and hands them, one pair at a time, to Davies' (1980)
  algorithm AS 155 (``src/libQF.c``, ``qfc``): Gil-Pelaez inversion of the characteristic
  function by the trapezoidal rule, the integration step set from Chernoff bounds on the range of
  the distribution, the truncation point from a bound on the integrand, and a convergence factor
  (a small added normal term) whose error is bounded when the integrand decays slowly. Equal
  covariances go to the same routine with a normal term only.
- skmix follows the same method, vectorised over every pair of components at once (numpy, no
  loop per pair): the same Gil-Pelaez sum with the step from Chernoff bounds and the truncation
  point from a bound on the integrand, but each term kept as ``a Y^2 + b Y`` (its characteristic
  function has no division by ``lambda - 1``, so coefficients near or at 0 - a coordinate where
  two covariances agree - need no special case). Where the integrand decays too slowly (a few
  dominant coefficients), the convergence factor's error is removed by Richardson
  extrapolation over two factor widths instead of bounded. Equal covariances are done in
  closed form (``w_j|i = Phi((c - |d|^2) / (2 |d|))``, the normal distribution function); one
  dimension in closed form (the normal mass between the roots of a parabola); two dimensions
  by integrating that one-term law over the second variable (Gauss-Legendre, pieces cut at the
  integrand's kinks), where the characteristic function decays slowest.

Topics. ``w_j|i = sum_w p_i(w) [p_j(w) > p_i(w)] + 1/2 sum_w p_i(w) [p_j(w) = p_i(w)]``, topics
weighted equally (they are compared as word distributions); then ``omega_ij = sum_w min(p_i(w),
p_j(w))``, one minus their total variation distance.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy.special import ndtr

#: Probability mass allowed in each tail outside the integration range, and the truncation error.
_TAIL = 1e-10
#: A quadratic-form coefficient ``lambda - 1`` smaller than this is 0: the covariances agree there.
_EQUAL = 1e-9
#: Most terms of the Gil-Pelaez sum per form before a convergence factor is used.
_MAX_TERMS = 20_000
#: Elements (forms x terms x dimensions) evaluated at once: bounds memory to ~100 MB.
_CHUNK = 4_000_000


# --- the law of sum_k a_k Y_k^2 + b_k Y_k, Y standard normal ----------------------------------

def _cumulants(a, b, s):
    """The cumulant generating function ``log E exp(s Q)`` at each s, shape (M, S)."""
    one = 1.0 - 2.0 * a[:, None, :] * s[..., None]
    return np.sum(-0.5 * np.log(one) + b[:, None, :] ** 2 * s[..., None] ** 2 / (2 * one), -1)


_S_GRID = np.geomspace(1e-3, 0.999, 64)


def _upper_bound(a, b, tail):
    """A point above which Q has at most ``tail`` mass (Chernoff: P(Q >= y) <= e^(K(s) - s y))."""
    positive = np.max(a, axis=1, initial=0.0)
    limit = np.minimum(np.where(positive > 0, 0.5 / np.maximum(positive, 1e-300), np.inf), 50.0)
    s = limit[:, None] * _S_GRID
    return np.min((_cumulants(a, b, s) - np.log(tail)) / s, axis=1)


def _modulus(a, b, u, tau=0.0):
    """``|phi(u)|``, the characteristic function's modulus, shape (M, U)."""
    x = 4.0 * a[:, None, :] ** 2 * u[..., None] ** 2
    log = -0.25 * np.log1p(x) - b[:, None, :] ** 2 * u[..., None] ** 2 / (2 * (1 + x))
    return np.exp(np.sum(log, -1) - 0.5 * tau**2 * u**2)


_U_GRID = np.geomspace(1e-2, 1e9, 221)


def _truncation_point(a, b, tail):
    """Per form, a u beyond which the Gil-Pelaez integrand's tail integral is below ``tail``.

    The bound integrates ``|phi(u)| / (pi u)`` (decreasing) from above on a geometric grid, with
    the tail beyond the grid from the power law ``|phi(u)| ~ u^(-r/2)``, r the number of
    non-zero coefficients.
    """
    u = np.broadcast_to(_U_GRID, (len(a), _U_GRID.size))
    height = _modulus(a, b, u) / (np.pi * u)
    steps = height[:, :-1] * np.diff(_U_GRID)
    r = np.maximum(0.5 * np.sum(np.abs(a) * _U_GRID[-1] > 1.0, axis=1), 0.5)
    beyond = height[:, -1] * _U_GRID[-1] / r
    rest = np.cumsum(steps[:, ::-1], axis=1)[:, ::-1] + beyond[:, None]
    below = rest <= tail
    first = np.argmax(below, axis=1)
    return np.where(below.any(axis=1), _U_GRID[first], np.inf)


def _gil_pelaez(a, b, c, step, n_terms, taus):
    """``P(Q + tau N < c)`` for each tau by the midpoint rule: shape (len(taus), M)."""
    out = np.empty((len(taus), len(a)))
    order = np.argsort(n_terms)
    start = 0
    while start < len(order):
        size = max(1, _CHUNK // max(1, int(n_terms[order[start:]].max()) * a.shape[1]))
        rows = order[start:start + size]
        out[:, rows] = _midpoint_sums(a[rows], b[rows], c[rows], step[rows], n_terms[rows],
                                      [tau[rows] for tau in taus])
        start += size
    return out


def _midpoint_sums(a, b, c, step, n_terms, taus):
    k = np.arange(int(n_terms.max())) + 0.5
    u = k[None, :] * step[:, None]
    a3, b3, u3 = a[:, None, :], b[:, None, :], u[..., None]
    x = 2.0 * a3 * u3
    phase = np.sum(0.5 * np.arctan(x) - a3 * b3**2 * u3**3 / (1 + x**2), -1) - c[:, None] * u
    terms = _modulus(a, b, u) * np.sin(phase) / (np.pi * k)
    terms[k[None, :] >= n_terms[:, None]] = 0.0
    return [0.5 - (terms * np.exp(-0.5 * tau[:, None] ** 2 * u**2)).sum(axis=1) for tau in taus]


# --- one and two terms: exact without the characteristic function -----------------------------

#: Gauss-Legendre nodes and weights on [0, 1] for the integral over the second normal variable.
_NODES, _WEIGHTS = (np.polynomial.legendre.leggauss(48) + np.array([[1.0], [0.0]])) / 2
#: The second variable is integrated over [-_REACH, _REACH]: 2 Phi(-9) = 2e-19 left out.
_REACH = 9.0
_FIXED_CUTS = np.array([-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0])


def _one_term_cdf(a, b, x):
    """``P(a Y^2 + b Y < x)``, a != 0: the normal mass between the parabola's roots."""
    disc = b * b + 4 * a * x
    q = -0.5 * (b + np.copysign(np.sqrt(np.maximum(disc, 0.0)), b))
    with np.errstate(divide="ignore", invalid="ignore"):
        first = q / a
        second = np.where(q != 0, -x / q, -first)  # the stable form of the other root
    inside = np.where(disc > 0, np.abs(ndtr(np.maximum(first, second))
                                       - ndtr(np.minimum(first, second))), 0.0)
    return np.where(a > 0, inside, 1.0 - inside)


def _two_term_cdf(a, b, c):
    """``P(a1 Y1^2 + b1 Y1 + a2 Y2^2 + b2 Y2 < c)``: the one-term law integrated over Y2.

    The integrand has a square-root kink where ``c - a2 y^2 - b2 y`` crosses the vertex of
    the first parabola (at most two points): the range is split there and each piece mapped by
    ``y = y0 + (y1 - y0)(3 t^2 - 2 t^3)``, which makes the kinks smooth for Gauss-Legendre (and
    cut at fixed points too, so that no piece is wide).
    """
    first = np.argmax(np.abs(a), axis=1)  # the exact term takes the larger |a| (non-zero)
    rows = np.arange(len(a))
    a1, b1, a2, b2 = a[rows, first], b[rows, first], a[rows, 1 - first], b[rows, 1 - first]
    vertex = -b1**2 / (4 * a1)
    # cut at the kinks, and where the normal density has its mass, so no piece is too wide
    cuts = np.sort(np.column_stack([np.clip(_kinks(a2, b2, vertex - c), -_REACH, _REACH),
                                    np.broadcast_to(_FIXED_CUTS, (len(a), _FIXED_CUTS.size))]),
                   axis=1)
    edges = np.column_stack([np.full(len(a), -_REACH), cuts, np.full(len(a), _REACH)])
    start, width = edges[:, :-1, None], np.diff(edges, axis=1)[..., None]
    y = start + width * (3 * _NODES**2 - 2 * _NODES**3)
    dy = width * 6 * _NODES * (1 - _NODES) * _WEIGHTS
    h = c[:, None, None] - a2[:, None, None] * y**2 - b2[:, None, None] * y
    density = np.exp(-0.5 * y**2) / np.sqrt(2 * np.pi)
    values = _one_term_cdf(a1[:, None, None], b1[:, None, None], h) * density * dy
    return values.sum(axis=(1, 2))


def _kinks(a, b, c):
    """The real roots of ``a y^2 + b y + c`` (two columns; -_REACH where there is none)."""
    disc = b * b - 4 * a * c
    root = np.sqrt(np.maximum(disc, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        quadratic = np.column_stack([(-b - root) / (2 * a), (-b + root) / (2 * a)])
        linear = np.column_stack([-c / b, np.full(len(a), np.nan)])
    roots = np.where((a != 0)[:, None], np.where((disc >= 0)[:, None], quadratic, np.nan),
                     linear)
    return np.where(np.isfinite(roots), roots, -_REACH)


_SMALL_FORMS = {1: lambda a, b, c: _one_term_cdf(a[:, 0], b[:, 0], c), 2: _two_term_cdf}


def quadratic_form_cdf(a, b, c, *, max_terms=_MAX_TERMS, tail=_TAIL):
    """``P(sum_k a_k Y_k^2 + b_k Y_k < c)`` for independent standard normal ``Y_k``; ties half.

    Gil-Pelaez inversion of the characteristic function by the midpoint rule, as in Davies'
    (1980) algorithm: the step from Chernoff bounds on the range, the truncation point from a
    bound on the integrand, a convergence factor with Richardson extrapolation where the
    integrand decays too slowly. One and two terms are done without the characteristic
    function (the roots of a parabola; its law integrated over the second variable). Accurate
    to about 1e-9 (1e-7 with three terms, where the convergence factor may be needed).

    Parameters
    ----------
    a, b : array-like of shape (n_forms, n_terms)
    c : array-like of shape (n_forms,)
    max_terms : int, default=20000
        Most terms per form before the convergence factor: fewer is faster and less accurate
        when a few coefficients dominate (the searches of ``make_gaussian_mixture`` use 4000).
    tail : float, default=1e-10
        The probability left in each tail outside the integration range, and the bound on the
        truncation error (the searches use 1e-7).

    Returns
    -------
    p : ndarray of shape (n_forms,)

    Examples
    --------
    >>> from skmix._overlap import quadratic_form_cdf
    >>> quadratic_form_cdf([[1.0, 1.0]], [[0.0, 0.0]], [2.0]).round(6)  # chi-square, 2 df
    array([0.632121])
    """
    a, b = np.atleast_2d(np.asarray(a, float)), np.atleast_2d(np.asarray(b, float))
    c = np.asarray(c, float).reshape(-1)
    a = np.where(np.abs(a) < _EQUAL, 0.0, a)
    sd = np.sqrt(np.sum(2 * a**2 + b**2, axis=1))
    out = np.where(c > 0, 1.0, np.where(c < 0, 0.0, 0.5))  # Q is 0: a tie counts half
    live = sd > 0
    a, b, c, sd = a[live] / sd[live, None], b[live] / sd[live, None], c[live] / sd[live], sd[live]
    linear = np.all(a == 0.0, axis=1)
    result = np.empty(len(a))
    result[linear] = ndtr(c[linear])  # equal covariances: Q is normal, mean 0, sd 1
    general = _SMALL_FORMS.get(a.shape[1], partial(_general_cdf, max_terms=max_terms,
                                                    tail=tail))
    result[~linear] = general(a[~linear], b[~linear], c[~linear])
    out[live] = result
    return np.clip(out, 0.0, 1.0)


def _general_cdf(a, b, c, max_terms, tail):
    upper, lower = _upper_bound(a, b, tail), -_upper_bound(-a, -b, tail)
    out = np.where(c >= upper, 1.0, 0.0)
    inside = (c > lower) & (c < upper)
    a, b, c = a[inside], b[inside], c[inside]
    step = 2 * np.pi / np.maximum(upper[inside] - c, c - lower[inside])
    n_terms = np.ceil(_truncation_point(a, b, tail) / step)
    direct = n_terms <= max_terms
    value = np.empty(len(a))
    zero = np.zeros(direct.sum())
    value[direct] = _gil_pelaez(a[direct], b[direct], c[direct], step[direct],
                                n_terms[direct], [zero])[0]
    value[~direct] = _smoothed_cdf(a[~direct], b[~direct], c[~direct], step[~direct],
                                   max_terms, tail)
    out[inside] = value
    return out


def _smoothed_cdf(a, b, c, step, max_terms, tail):
    """Slowly decaying integrand: ``P(Q + tau N < c)`` for tau and 2 tau, extrapolated to 0.

    The factor ``exp(-tau^2 u^2 / 2)`` makes ``max_terms`` terms enough; its error is
    ``tau^2 F''(c) / 2 + O(tau^4)``, and ``(4 F_tau - F_2tau) / 3`` removes the first term
    (both sums share one evaluation of the characteristic function).
    """
    reach = np.sqrt(-2 * np.log(tail))
    tau = 1.2 * reach / (max_terms * step)
    # the added normal widens the range: the step shrinks to keep aliasing below tail
    fine = 2 * np.pi / (2 * np.pi / step + 2 * reach * tau)
    terms = np.full(len(a), float(max_terms))
    narrow, wide = _gil_pelaez(a, b, c, fine, terms, [tau, 2 * tau])
    return (4 * narrow - wide) / 3


# --- Gaussian mixtures -----------------------------------------------------------------------

class GaussianPairs:
    """Every ordered pair's quadratic form, ready for covariances scaled per component.

    Scaling component k's covariance by ``s_k`` multiplies ``lambda`` for (i, j) by
    ``s_i / s_j``, divides ``d`` by ``sqrt(s_i)`` and adds ``p log(s_i / s_j)`` to the constant;
    the eigenvectors do not change, so the eigendecompositions are done once (as MixSim's
    ``ComputePars``).
    """

    def __init__(self, means, covariances, weights):
        k, p = means.shape
        self.n_components, self.n_features = k, p
        chol = np.linalg.cholesky(covariances)
        self.i, self.j = np.nonzero(~np.eye(k, dtype=bool))
        ci, cj = chol[self.i], chol[self.j]
        w = np.linalg.solve(cj, ci)
        self.lam, vectors = np.linalg.eigh(np.swapaxes(w, 1, 2) @ w)
        z = np.linalg.solve(ci, (means[self.i] - means[self.j])[..., None])[..., 0]
        self.d = np.einsum("mkl,mk->ml", vectors, z)
        logdet = 2 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        logw = np.log(weights)
        self.const = 2 * (logw[self.j] - logw[self.i]) + logdet[self.i] - logdet[self.j]

    def forms(self, scales=None):
        """``(a, b, c)`` for each ordered pair: ``w_j|i = P(sum a Y^2 + b Y < c)``."""
        s = np.ones(self.n_components) if scales is None else np.asarray(scales, float)
        ratio = s[self.i] / s[self.j]
        lam = self.lam * ratio[:, None]
        d = self.d / np.sqrt(s[self.i])[:, None]
        const = self.const + self.n_features * np.log(ratio)
        return lam - 1.0, 2 * lam * d, const - np.sum(lam * d**2, axis=1)

    def limit_forms(self):
        """The forms as every covariance grows without bound (MixSim's asymptotic overlap)."""
        return self.lam - 1.0, np.zeros_like(self.d), self.const

    def misclassification(self, scales=None, *, limit=False, max_terms=_MAX_TERMS, tail=_TAIL):
        """The (K, K) matrix of ``w_j|i`` at ``[i, j]`` (diagonal 0)."""
        w = np.zeros((self.n_components, self.n_components))
        forms = self.limit_forms() if limit else self.forms(scales)
        w[self.i, self.j] = quadratic_form_cdf(*forms, max_terms=max_terms, tail=tail)
        return w


# --- topics ------------------------------------------------------------------------------------

def topic_misclassification(topics):
    """The (K, K) matrix of ``w_j|i`` for topic-word probabilities (K, V), ties counting half.

    Words are taken in blocks so that every comparison of a block (K x K x block) stays in
    cache: three to four times faster than comparing each topic with all the others in turn.
    """
    k, v = topics.shape
    block = int(np.clip(_CHUNK // (k * k), 1, 64))
    w = np.zeros((k, k))
    for start in range(0, v, block):
        words = topics[:, start:start + block]
        own, other = words[:, None, :], words[None, :, :]
        w += np.einsum("ijw,iw->ij", (other > own) + 0.5 * (other == own), words)
    np.fill_diagonal(w, 0.0)
    return w


# --- the result ------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class OverlapMap:
    """Pairwise misclassification overlaps of a mixture's components or a set of topics.

    Attributes
    ----------
    matrix : ndarray of shape (K, K)
        ``omega_ij = w_j|i + w_i|j``, symmetric, 1 on the diagonal (as MixSim's ``OmegaMap``
        summed with its transpose).
    misclassification : ndarray of shape (K, K)
        ``w_j|i`` at ``[i, j]``: the chance that a point (a word) of i is likelier under j.
    names : list of str
        The components' (topics') names.
    kind : {"gaussian", "topic"}
    mean : float
        Mean of ``omega_ij`` over the ``K (K - 1) / 2`` pairs (MixSim's ``BarOmega``).
    max : float
        The largest ``omega_ij`` (MixSim's ``MaxOmega``).
    pair : tuple of int
        ``(i, j)``, i < j, where the maximum is reached (MixSim's ``rcMax``, from 0).
    """

    matrix: np.ndarray
    misclassification: np.ndarray
    names: list
    kind: str

    @classmethod
    def from_misclassification(cls, w, names, kind):
        """The map of a (K, K) matrix of ``w_j|i``."""
        omega = w + w.T
        np.fill_diagonal(omega, 1.0)
        return cls(omega, w, list(names), kind)

    def _upper(self):
        return np.triu_indices(len(self.matrix), 1)

    @property
    def mean(self):
        return float(self.matrix[self._upper()].mean())

    @property
    def max(self):
        return float(self.matrix[self._upper()].max())

    @property
    def pair(self):
        rows, cols = self._upper()
        best = int(np.argmax(self.matrix[rows, cols]))
        return int(rows[best]), int(cols[best])

    def __str__(self):
        i, j = self.pair
        what = "Gaussian components" if self.kind == "gaussian" else "topics"
        head = (f"overlap of {len(self.names)} {what}: mean {self.mean:.4f}, "
                f"max {self.max:.4f} ({self.names[i]} and {self.names[j]})")
        if len(self.names) > 12:
            return head
        from ._matching import format_table  # imports scipy.optimize: not at skmix's start

        body = [[name, *(f"{v:.4f}" if a != b else "-" for b, v in enumerate(row))]
                for a, (name, row) in enumerate(zip(self.names, self.matrix, strict=True))]
        return head + "\n" + format_table(["", *self.names], body)


def _is_gaussian(obj):
    return (isinstance(obj, Mapping) and "means" in obj and "covariances" in obj) or (
        hasattr(obj, "means_") and hasattr(obj, "covariances_"))


def _is_topic_params(obj):
    """The keyword arguments ``make_topics`` returns: a (K, V) array and its vocabulary."""
    return (isinstance(obj, Mapping) and set(obj) == {"topics", "vocabulary"}
            and isinstance(obj["topics"], np.ndarray))


def overlap(model, *, vocabulary=None):
    """MixSim's pairwise misclassification overlap of a Gaussian mixture or a set of topics.

    ``omega_ij = w_j|i + w_i|j``, where ``w_j|i`` is the probability that a point (a word) drawn
    from component (topic) i is more likely under j than under i - the mixture weights included;
    topics weighted equally - ties counting half. For Gaussians it is exact (the distribution of
    a quadratic form in normal variables, by Davies' method as in MixSim; equal covariances in
    closed form); for topics it is a sum over words and equals ``sum_w min(p_i(w), p_j(w))``.

    Parameters
    ----------
    model : Gaussian mixture or topics
        Anything :func:`match_components` takes (a ``GaussianMixtureSampler``, a fitted sklearn
        ``GaussianMixture``, a dict with ``means``, ``covariances`` and optionally ``weights``
        and ``covariance_type``) or :func:`match_topics` takes (word lists, a dict name ->
        words, a ``TopicMixtureGenerator``, a ``SampledCorpus``, a gensim ``LdaModel``, a
        ``(topics, words)`` pair, an array with ``vocabulary=``), and what
        ``make_gaussian_mixture`` and ``make_topics`` return.
    vocabulary : sequence of str, default=None
        The words of an array's columns.

    Returns
    -------
    OverlapMap
        ``matrix`` (K x K), ``misclassification``, ``mean``, ``max``, ``pair`` and a readable
        ``str()``.

    Notes
    -----
    For Gaussians, ``w_j|i`` is the probability that a quadratic form in normal variables,
    ``sum_k (lambda_k - 1) Y_k^2 + 2 lambda_k d_k Y_k``, falls below a constant (``lambda``
    the eigenvalues of ``S_i`` seen through ``S_j^-1``, ``d`` the whitened difference of the
    means).

    - MixSim (R, C code ``libOverlap.c``): completes the square into non-central chi-squares
      and calls Davies' algorithm AS 155 (``qfc``) once per ordered pair: Gil-Pelaez inversion
      by the trapezoidal rule, the step from Chernoff bounds on the range, the truncation from
      a bound on the integrand, a convergence factor with a bounded error when it decays
      slowly.
    - skmix: the same inversion, vectorised over all pairs at once; each term kept as
      ``a Y^2 + b Y`` (no division by ``lambda - 1``, so equal variances along a direction
      need no special case); the convergence factor's error removed by Richardson
      extrapolation; equal covariances in closed form (the normal distribution function), one
      dimension in closed form, two dimensions by Gauss-Legendre over one variable of the exact
      one-dimensional law. About 1e-9 (1e-7 in the worst cases), checked against closed forms,
      quadrature and Monte Carlo in the tests.

    Examples
    --------
    >>> from skmix.compare import overlap
    >>> from skmix.datasets import bars_topics, worksheet_topics
    >>> print(overlap(worksheet_topics()))
    overlap of 2 topics: mean 0.2500, max 0.2500 (birthday and lord_of_the_rings)
                       birthday  lord_of_the_rings
    -----------------  --------  -----------------
    birthday           -         0.2500
    lord_of_the_rings  0.2500    -
    >>> bars = overlap(bars_topics(5))
    >>> round(bars.mean, 4), bars.max, bars.pair
    (0.1111, 0.2, (0, 5))
    """
    # the parsers import sklearn.metrics: kept out of skmix.datasets' import (the CLI's start)
    from ._adapters import topics_of
    from ._component_match import gaussians_of

    if _is_gaussian(model):
        means, covariances, weights = gaussians_of(model, "model")
        _check_pairs(len(means), "components")
        w = GaussianPairs(means, covariances, weights).misclassification()
        return OverlapMap.from_misclassification(
            w, [f"component_{k}" for k in range(len(means))], "gaussian")
    if _is_topic_params(model):
        model = (model["topics"], model["vocabulary"])
    topics, _, names = topics_of(model, "model", vocabulary)
    _check_pairs(len(topics), "topics")
    return OverlapMap.from_misclassification(topic_misclassification(topics), names, "topic")


def _check_pairs(count, what):
    if count < 2:
        raise ValueError(f"model has {count} {what[:-1]}: an overlap needs at least two {what}.")
