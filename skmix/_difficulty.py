"""Ground truths at a chosen difficulty: ``make_gaussian_mixture`` and ``make_topics``.

Both set MixSim's pairwise overlap (:mod:`skmix._overlap`) - its mean over pairs, its maximum, or
both - by a one-parameter search over a random draw, and refuse a target the draw cannot reach,
naming the range it can.
"""

import numbers

import numpy as np

from ._covariance import _COVARIANCE_FORMS
from ._overlap import GaussianPairs
from ._validation import _short, check_positive_int, seed_sequence

#: A target is reached when the overlap is this close (the contract says 1e-3).
TOLERANCE = 1e-3
#: Random draws tried before a Gaussian target is declared out of reach (MixSim's resN is 100).
_MAX_DRAWS = 25
#: The characteristic-function sum's terms and tail error while searching (a target within 1e-3
#: needs far less than full accuracy); the result is checked at full accuracy.
_SEARCH = {"max_terms": 4000, "tail": 1e-7}
#: MixSim's default largest eccentricity of a covariance, ``sqrt(1 - min / max eigenvalue)``.
_ECCENTRICITY = 0.9
#: The overlap when neither target is given.
DEFAULT_MEAN_OVERLAP = 0.05


def _check_overlap(value, name):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_short(value)} ({type(value).__name__}).")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive), got {value!r}.")
    return float(value)


def _check_targets(mean_overlap, max_overlap, n_pairs):
    mean = _check_overlap(mean_overlap, "mean_overlap")
    top = _check_overlap(max_overlap, "max_overlap")
    if mean is None and top is None:
        return DEFAULT_MEAN_OVERLAP, None
    if mean is not None and top is not None and not mean <= top <= mean * n_pairs:
        raise ValueError(
            f"max_overlap={top} must be between mean_overlap={mean} and mean_overlap times the "
            f"number of pairs ({n_pairs}): no map has that mean and that maximum.")
    return mean, top


def _pairs_mean_max(w):
    """Mean and max overlap of a matrix of ``w_j|i``."""
    return _map_stats(w + w.T)


def _bracket(f, start, step, stop):
    """``(low, high)`` with f(low) <= 0 <= f(high) for an increasing f, searching from
    ``start`` by steps that double (MixSim squares its upper bound: 4, 16, 256, ...)."""
    near, value = start, f(start)
    sign = 1.0 if value < 0 else -1.0
    step = abs(step) * sign
    far = near + step
    while abs(far - start) < abs(stop - start) and (f(far) < 0) == (value < 0):
        near, step = far, 2 * step
        far = near + step
    return (near, far) if sign > 0 else (far, near)


def _map_stats(omega):
    """Mean and max of a symmetric overlap matrix over its pairs."""
    values = omega[np.triu_indices(len(omega), 1)]
    return values.mean(), values.max()


def _solve(f, low, high):
    """The root of an increasing f on [low, high] (f(low) < 0 < f(high))."""
    # imported here: skmix.datasets is imported when the CLI starts, scipy.optimize is slow to
    from scipy.optimize import brentq

    return brentq(f, low, high, xtol=1e-5)


# --- Gaussian mixtures -----------------------------------------------------------------------

def _eccentric_covariance(rng, p):
    """MixSim's ``genSigmaEcc``: the covariance of p + 1 standard normal points, eigenvalues
    pulled in until the eccentricity is at most ``_ECCENTRICITY``."""
    values, vectors = np.linalg.eigh(np.cov(rng.standard_normal((p + 1, p)), rowvar=False)
                                     .reshape(p, p))
    top, low = values.max(), values.min()
    if p > 1 and np.sqrt(1 - low / top) > _ECCENTRICITY:
        values = top * (1 - _ECCENTRICITY**2 * (top - values) / (top - low))
    return values, vectors


def _full(rng, k, p):
    return np.stack([(v * e) @ v.T for e, v in (_eccentric_covariance(rng, p)
                                                   for _ in range(k))])


#: covariance_type -> a random draw of K covariances in sklearn's shape for that type
_COVARIANCE_DRAWS = {
    "full": _full,
    "tied": lambda rng, k, p: _full(rng, 1, p)[0],
    "diag": lambda rng, k, p: np.stack([_eccentric_covariance(rng, p)[0] for _ in range(k)]),
    "spherical": lambda rng, k, p: rng.uniform(size=k),
}


def _draw_weights(rng, k, min_weight):
    """MixSim's ``genPi``: ``min_weight`` each plus a uniform (Dirichlet(1)) share of the rest."""
    if min_weight is None:
        return np.full(k, 1.0 / k)
    return min_weight + rng.dirichlet(np.ones(k)) * (1 - k * min_weight)


def _check_min_weight(min_weight, k):
    if min_weight is None:
        return None
    if isinstance(min_weight, bool) or not isinstance(min_weight, numbers.Real):
        raise TypeError(f"min_weight must be a number, got {_short(min_weight)}.")
    if not 0 < min_weight <= 1 / k:
        raise ValueError(f"min_weight must be in (0, 1/n_components] = (0, {1 / k:.6g}], got "
                         f"{min_weight!r}.")
    return float(min_weight)


class _GaussianDraw:
    """One random mixture (MixSim's draw) and the searches over its covariance scale."""

    def __init__(self, rng, k, p, covariance_type, min_weight):
        self.means = rng.uniform(size=(k, p))
        self.covariance_type = covariance_type
        self.covariances = _COVARIANCE_DRAWS[covariance_type](rng, k, p)
        self.weights = _draw_weights(rng, k, min_weight)
        self.full = np.array(_COVARIANCE_FORMS[covariance_type].as_matrices(self.covariances,
                                                                            k, p))
        self.pairs = GaussianPairs(self.means, self.full, self.weights)

    def sub(self, pair):
        """The draw restricted to two components (their weights as they are)."""
        sub = _GaussianDraw.__new__(_GaussianDraw)
        sub.pairs = GaussianPairs(self.means[pair], self.full[pair], self.weights[pair])
        return sub

    def stats(self, scales, accuracy=_SEARCH):
        return _pairs_mean_max(self.pairs.misclassification(scales, **accuracy))

    def limit(self):
        """Mean and max overlap as the covariances grow without bound: the reachable sup."""
        return _pairs_mean_max(self.pairs.misclassification(limit=True, **_SEARCH))

    def scale_for(self, which, target, fixed=None, base=None):
        """``log`` of the scale of the covariances (of all but ``fixed``) giving ``target``."""
        k = self.pairs.n_components
        base = np.ones(k) if base is None else base
        free = np.ones(k, bool) if fixed is None else ~np.isin(np.arange(k), fixed)

        def gap(log_scale):
            return self.stats(base * np.where(free, np.exp(log_scale), 1.0))[which] - target
        if fixed is not None:  # shrinking the others only lowers the overlap
            return 0.0 if gap(0.0) <= 0 else _solve(gap, *_bracket(gap, 0.0, -1.0, -60.0))
        return _solve(gap, *_bracket(gap, np.log(4.0), 1.0, 60.0))

    def result(self, scales):
        scales = np.asarray(scales, float)
        covariances = {"full": lambda c: c * scales[:, None, None],
                       "tied": lambda c: c * scales[0],
                       "diag": lambda c: c * scales[:, None], "spherical": lambda c: c * scales}
        return {"means": self.means,
                "covariances": covariances[self.covariance_type](self.covariances),
                "weights": self.weights, "covariance_type": self.covariance_type}


def _reach_one(draw, which, target):
    """Scales reaching ``target`` for the mean (which=0) or max (1), and the draw's sup."""
    sup = draw.limit()[which]
    if sup <= target + TOLERANCE:
        return None, sup
    return np.full(draw.pairs.n_components, np.exp(draw.scale_for(which, target))), sup


def _pin_max(draw, top):
    """MixSim's first step for two targets: the common scale at which the largest overlap is
    ``top`` (found pair by pair, the pair with the maximum changing as the scale falls)."""
    k = draw.pairs.n_components
    w = draw.pairs.misclassification(limit=True, **_SEARCH)
    if _pairs_mean_max(w)[1] <= top + TOLERANCE:
        return None, None
    for _ in range(k * (k - 1) // 2):
        omega = w + w.T - 2 * np.eye(k)
        pair = list(np.unravel_index(np.argmax(omega), omega.shape))
        scale = np.exp(draw.sub(pair).scale_for(1, top))
        w = draw.pairs.misclassification(np.full(k, scale), **_SEARCH)
        if _pairs_mean_max(w)[1] <= top + TOLERANCE:
            return scale, pair
    return None, None


def _reach_both(draw, mean, top):
    """MixSim's ``OmegaBarOmegaMax``: scale all to put the max on one pair, then shrink the
    others (that pair fixed) until the mean is reached. Returns the scales and the largest
    mean this draw allows with that maximum."""
    k = draw.pairs.n_components
    scale, pair = _pin_max(draw, top)
    if scale is None:
        return None, 0.0
    base = np.full(k, scale)
    ceiling = draw.stats(base)[0]
    if ceiling < mean - TOLERANCE:
        return None, ceiling
    shrink = np.exp(draw.scale_for(0, mean, fixed=pair, base=base))
    return base * np.where(np.isin(np.arange(k), pair), 1.0, shrink), ceiling


def _gaussian_search(draw, mean, top):
    if top is None:
        return _reach_one(draw, 0, mean)
    if mean is None:
        return _reach_one(draw, 1, top)
    return _reach_both(draw, mean, top)


def _unreachable(mean, top, sups, k, p, covariance_type):
    setting = (f"with {k} components in {p} dimensions (covariance_type={covariance_type!r}), "
               f"in {len(sups)} random draws")
    if mean is not None and top is not None:
        return ValueError(
            f"mean_overlap={mean} with max_overlap={top} cannot be reached {setting}: with the "
            f"largest overlap at {top}, the mean overlap was at most {max(sups):.4g} (the "
            f"reachable range is 0 < mean_overlap < {max(sups):.4g}). Ask for a lower mean "
            "or a higher maximum, or give one target only.")
    name, value = ("mean_overlap", mean) if top is None else ("max_overlap", top)
    return ValueError(
        f"{name}={value} cannot be reached {setting}: the reachable range was 0 < {name} < "
        f"{max(sups):.4g} at best (overlap grows with the covariances' scale towards that "
        "limit). Ask for less overlap, or change covariance_type.")


def make_gaussian_mixture(n_components=3, n_features=2, *, mean_overlap=None, max_overlap=None,
                          covariance_type="full", min_weight=None, random_state=None):
    """A random Gaussian mixture whose components overlap as much as asked (MixSim's idea).

    As the R package MixSim (Melnykov, Chen & Maitra 2012): means uniform in the unit hypercube,
    covariances those of ``n_features + 1`` standard normal points (eccentricity at most 0.9),
    then every covariance multiplied by one factor, found by a search on the exact overlap
    (:func:`skmix.compare.overlap`), until the mean (or maximum) pairwise overlap is the
    target within 1e-3. Overlap grows with the factor towards a limit (the components'
    overlap as they spread without bound): a target at or above it cannot be reached, and
    another draw is tried (25 in all). With both targets, as MixSim: the factor is set for the
    pair that has the maximum, then the other components' covariances are shrunk, that pair
    fixed, until the mean is reached.

    Parameters
    ----------
    n_components : int, default=3
        At least 2.
    n_features : int, default=2
    mean_overlap : float, default=None
        The mean of ``omega_ij`` over the pairs, in (0, 1). When neither target is given,
        0.05.
    max_overlap : float, default=None
        The largest ``omega_ij``, in (0, 1), between ``mean_overlap`` and ``mean_overlap``
        times the number of pairs when both are given.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        Shapes as sklearn's: full (K, d, d), tied (d, d), diag (K, d), spherical (K,)
        (MixSim's ``sph``: spherical variances uniform on (0, 1) before scaling). ``"tied"``
        takes one target only (fixing a pair would untie the covariances; MixSim refuses it too).
    min_weight : float, default=None
        The smallest mixing weight, in (0, 1/K]: weights are ``min_weight`` plus a
        Dirichlet(1) share of the rest (MixSim's ``PiLow``). None gives equal weights.
    random_state : int, RandomState, Generator or None, default=None

    Returns
    -------
    params : dict
        ``means`` (K, d), ``covariances`` (in ``covariance_type``'s shape), ``weights`` (K,)
        and ``covariance_type``: the keyword arguments of ``GaussianMixtureSampler``.

    Raises
    ------
    ValueError
        When a parameter is out of range, or the target cannot be reached (the message names
        the reachable range).

    Examples
    --------
    >>> from skmix import GaussianMixtureSampler
    >>> from skmix.compare import overlap
    >>> from skmix.datasets import make_gaussian_mixture
    >>> params = make_gaussian_mixture(4, 3, mean_overlap=0.05, random_state=0)
    >>> round(overlap(params).mean, 3)
    0.05
    >>> X, y = GaussianMixtureSampler(**params, random_state=0).fit().sample(100)
    >>> X.shape
    (100, 3)
    """
    k = check_positive_int(n_components, "n_components", minimum=2)
    p = check_positive_int(n_features, "n_features")
    mean, top = _check_targets(mean_overlap, max_overlap, k * (k - 1) // 2)
    if covariance_type not in _COVARIANCE_DRAWS:
        raise ValueError(f"covariance_type must be one of {sorted(_COVARIANCE_DRAWS)}, got "
                         f"{covariance_type!r}.")
    if covariance_type == "tied" and mean is not None and top is not None:
        raise ValueError("covariance_type='tied' takes mean_overlap or max_overlap, not both: "
                         "reaching both shrinks some covariances and not others.")
    min_weight = _check_min_weight(min_weight, k)
    rng = np.random.default_rng(seed_sequence(random_state))
    sups = []
    for _ in range(_MAX_DRAWS):
        draw = _GaussianDraw(rng, k, p, covariance_type, min_weight)
        scales, sup = _gaussian_search(draw, mean, top)
        if scales is not None and _reached(draw.stats(scales, {}), mean, top):
            return draw.result(scales)
        sups.append(sup)
    raise _unreachable(mean, top, sups, k, p, covariance_type)


def _reached(stats, mean, top):
    return all(target is None or abs(got - target) <= TOLERANCE
               for got, target in zip(stats, (mean, top), strict=True))


# --- topics ----------------------------------------------------------------------------------

#: word_distribution -> the within-block word weights for a block of n words
_WORD_LAWS = {
    "zipf": lambda n, exponent: np.arange(1, n + 1, dtype=float) ** -exponent,
    "uniform": lambda n, exponent: np.ones(n),
}


def _block_overlap(mass):
    """``omega_ij = sum_l min(M_il, M_jl)`` for topics whose mass on block l is ``M_il``.

    Every topic's words within block l follow one law, so on that block two topics overlap by
    the smaller of their masses: the sum over words reduces to a sum over K blocks.
    """
    omega = np.minimum(mass[:, None, :], mass[None, :, :]).sum(axis=2)
    np.fill_diagonal(omega, 1.0)
    return omega


def _leak_mass(leak, share):
    """Block masses: topic i keeps ``1 - leak_i`` on its own block and spreads ``leak_i`` over
    the others' blocks in the proportions ``share[i]``."""
    return np.diag(1.0 - leak) + leak[:, None] * share




class _TopicDraw:
    """Random leak proportions and the overlap they give at a leak level.

    For leaks below ``1 / (1 + max share)`` every topic keeps more mass on its own block than
    any other topic puts there, and ``omega_ij = leak_j share_ji + leak_i share_ij +
    sum_(l != i, j) min(leak_i share_il, leak_j share_jl)``: non-decreasing in each leak, linear
    in a common one. That is why the leak is the parameter: one number that moves the overlap
    monotonically from 0 (disjoint topics) up, exactly computable, and readable (the share of a
    topic's mass on other topics' words).
    """

    def __init__(self, rng, k):
        share = rng.dirichlet(np.ones(k - 1), size=k)
        self.share = np.zeros((k, k))
        self.share[~np.eye(k, dtype=bool)] = share.ravel()
        self.max_leak = 1.0 / (1.0 + self.share.max())

    def unit_stats(self):
        """Mean and max overlap per unit of common leak (the overlap is linear in it); the
        sum over other blocks needs no masking, since ``share_ii = 0``."""
        return _map_stats(self.share + self.share.T + _block_overlap(self.share))

    def stats(self, leak):
        return _map_stats(_block_overlap(_leak_mass(leak, self.share)))


def _topic_leaks(draw, k, mean, top):
    """The leak of each topic reaching the targets, or raise naming the reachable range."""
    unit_mean, unit_max = draw.unit_stats()
    if top is None:
        return _common_leak(draw, k, mean, unit_mean, "mean_overlap")
    leak = _common_leak(draw, k, top, unit_max, "max_overlap")
    if mean is None:
        return leak
    pair = np.unravel_index(np.argmax(_block_overlap(_leak_mass(leak, draw.share))
                                      - 2 * np.eye(k)), (k, k))
    others = ~np.isin(np.arange(k), pair)

    def gap(t):
        return draw.stats(leak * np.where(others, t, 1.0))[0] - mean
    low, high = gap(0.0) + mean, gap(1.0) + mean
    if not low - TOLERANCE < mean < high + TOLERANCE:
        raise ValueError(
            f"mean_overlap={mean} with max_overlap={top} cannot be reached for {k} topics: "
            f"with that maximum the reachable range is {low:.4g} <= mean_overlap <= {high:.4g} "
            "for this random_state.")
    t = 1.0 if mean >= high else 0.0 if mean <= low else _solve(gap, 0.0, 1.0)
    return leak * np.where(others, t, 1.0)


def _common_leak(draw, k, target, unit, name):
    reachable = unit * draw.max_leak
    if target > reachable:
        raise ValueError(
            f"{name}={target} cannot be reached for {k} topics: the reachable range is "
            f"0 < {name} <= {reachable:.4g} for this random_state (beyond it a topic would "
            "keep less mass on its own words than another topic puts there).")
    return np.full(k, target / unit)


def _check_word_law(word_distribution, zipf_exponent):
    if word_distribution not in _WORD_LAWS:
        raise ValueError(f"word_distribution must be one of {sorted(_WORD_LAWS)}, got "
                         f"{word_distribution!r}.")
    if isinstance(zipf_exponent, bool) or not isinstance(zipf_exponent, numbers.Real):
        raise TypeError(f"zipf_exponent must be a number, got {_short(zipf_exponent)}.")
    if not (np.isfinite(zipf_exponent) and zipf_exponent > 0):
        raise ValueError(f"zipf_exponent must be a finite number > 0, got {zipf_exponent!r}.")


def make_topics(n_topics=10, n_words=1000, *, mean_overlap=None, max_overlap=None,
                word_distribution="zipf", zipf_exponent=1.0, random_state=None):
    """Random topics whose pairwise overlap is as much as asked.

    The vocabulary is cut into one block of words per topic (sizes differ by at most one).
    Within every block the words follow one law (``"zipf"``: weight ``rank^-zipf_exponent``;
    ``"uniform"``). Topic i keeps ``1 - leak_i`` of its mass on its own block and spreads
    ``leak_i`` over the other topics' blocks in random proportions (Dirichlet(1)): a topic's
    frequent words are partly other topics' frequent words, as in real topic models. The
    overlap (:func:`skmix.compare.overlap`: ``omega_ij = sum_w min(p_i(w), p_j(w))``) then
    grows linearly with a common leak, so the leak is solved for exactly, and with both targets
    the leak is set for the maximum, then the other topics' leaks are lowered, the pair with
    the maximum fixed, until the mean is reached (MixSim's two-target scheme). The leak stays
    below the level at which a topic would keep less of its own block than another topic puts
    there; a target beyond it is refused with the reachable range.

    Parameters
    ----------
    n_topics : int, default=10
        At least 2.
    n_words : int, default=1000
        At least ``n_topics``.
    mean_overlap : float, default=None
        The mean of ``omega_ij`` over the pairs, in (0, 1). When neither target is given, 0.05.
    max_overlap : float, default=None
        The largest ``omega_ij``, in (0, 1).
    word_distribution : {"zipf", "uniform"}, default="zipf"
        The law of the words within each topic's block.
    zipf_exponent : float, default=1.0
        The exponent of the Zipf law, > 0.
    random_state : int, RandomState, Generator or None, default=None

    Returns
    -------
    params : dict
        ``topics``, a (n_topics, n_words) array whose rows sum to 1, and ``vocabulary``, the
        words ``"w000"``, ``"w001"``... (as many digits as ``n_words - 1``): keyword
        arguments of ``TopicMixtureGenerator``.

    Examples
    --------
    >>> from skmix import TopicMixtureGenerator
    >>> from skmix.compare import overlap
    >>> from skmix.datasets import make_topics
    >>> params = make_topics(5, 200, mean_overlap=0.1, max_overlap=0.2, random_state=0)
    >>> truth = overlap(params)
    >>> round(truth.mean, 4), round(truth.max, 4)
    (0.1, 0.2)
    >>> generator = TopicMixtureGenerator(**params, doc_topic_prior=0.1, random_state=0).fit()
    >>> len(generator.sample(10)[0])
    20
    """
    k = check_positive_int(n_topics, "n_topics", minimum=2)
    v = check_positive_int(n_words, "n_words", minimum=k)
    mean, top = _check_targets(mean_overlap, max_overlap, k * (k - 1) // 2)
    _check_word_law(word_distribution, zipf_exponent)
    rng = np.random.default_rng(seed_sequence(random_state))
    draw = _TopicDraw(rng, k)
    mass = _leak_mass(_topic_leaks(draw, k, mean, top), draw.share)
    blocks = np.array_split(np.arange(v), k)
    law = [_WORD_LAWS[word_distribution](len(b), zipf_exponent) for b in blocks]
    within = np.concatenate([w / w.sum() for w in law])
    topics = mass[:, np.repeat(np.arange(k), [len(b) for b in blocks])] * within
    width = len(str(v - 1))
    return {"topics": topics, "vocabulary": [f"w{i:0{width}d}" for i in range(v)]}
