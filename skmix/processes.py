"""How each document draws its topic mix and its length.

A **document-topic process** is any object with a method ``draw(rng, n_documents)`` that
returns an array of shape (n_documents, n_topics) whose rows are probability vectors (one
document's topic proportions each), drawing only from the ``numpy.random.Generator`` ``rng``.
:class:`~skmix.TopicMixtureGenerator` takes one as ``doc_topic_prior``. Two more methods are
used when present:

- ``for_topics(n_topics)``: the process checked against the number of topics (e.g. a scalar
  alpha spread over them); raises ``ValueError`` naming what is wrong;
- ``mean()``: the expected proportions, shape (n_topics,) (the generator's ``topic_weights_``).

A new process is one class in this module with these methods. :class:`Dirichlet` (what a float
or an array ``doc_topic_prior`` means) and :class:`Fixed` (what ``topic_weights`` means) draw
what the generator drew since its first release, so a seed gives the same corpus as it did;
:class:`LogisticNormal` gives correlated topics (as the correlated topic model assumes).

An **open vocabulary** is a law of new word types: :class:`ZipfTail` makes a share of the
tokens new words whose ranks follow Zipf's law over an unbounded range, so that the vocabulary
keeps growing with the corpus as real text's does (Heaps' law).

Document lengths are small objects too, one class per accepted form of ``doc_length``,
registered with :func:`_length_law` where they are defined.

Examples
--------
>>> import numpy as np
>>> from skmix.processes import Dirichlet, Fixed
>>> Dirichlet(0.5).for_topics(3).draw(np.random.default_rng(0), 2).shape
(2, 3)
>>> Fixed([0.25, 0.75]).for_topics(2).draw(np.random.default_rng(0), 2)
array([[0.25, 0.75],
       [0.25, 0.75]])
"""

import numbers

import numpy as np

from ._validation import _short, check_positive_int, check_probability_vector

__all__ = ["Dirichlet", "Fixed", "LogisticNormal", "ZipfTail"]


# --- document-topic processes ----------------------------------------------------------------


def _check_prior(doc_topic_prior, n_topics):
    """Return the Dirichlet prior as a length-K array of positive floats, or None."""
    if doc_topic_prior is None:
        return None
    if np.asarray(doc_topic_prior).dtype.kind not in "iuf":  # "1", True, 1j: not a number
        raise TypeError(
            f"doc_topic_prior must be a positive number or {n_topics} of them, got "
            f"{_short(doc_topic_prior)}."
        )
    try:
        alpha = np.broadcast_to(np.asarray(doc_topic_prior, dtype=float), (n_topics,)).copy()
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"doc_topic_prior must be a positive number or {n_topics} of them (one per topic), "
            f"got {_short(doc_topic_prior)}."
        ) from exc
    if not np.all(np.isfinite(alpha)) or np.any(alpha <= 0):
        raise ValueError(f"doc_topic_prior must be finite and > 0, got {_short(doc_topic_prior)}.")
    return alpha


class Dirichlet:
    """Each document's proportions theta ~ Dirichlet(``alpha``) (LDA).

    Parameters
    ----------
    alpha : float or array-like of shape (n_topics,)
        The concentration (> 0); a float is the same for every topic.
    """

    def __init__(self, alpha):
        self.alpha = alpha

    def __repr__(self):
        return f"Dirichlet({_short(self.alpha)})"

    def for_topics(self, n_topics):
        """This process with ``alpha`` checked and spread over ``n_topics`` topics."""
        return Dirichlet(_check_prior(self.alpha, n_topics))

    def mean(self):
        """The expected proportions, ``alpha / alpha.sum()``."""
        return self.alpha / self.alpha.sum()

    def draw(self, rng, n_documents):
        """``n_documents`` proportion vectors, shape (n_documents, n_topics)."""
        return rng.dirichlet(self.alpha, size=n_documents)


class Fixed:
    """The same proportions ``weights`` in every document (the worksheet's coin flip per word).

    Parameters
    ----------
    weights : array-like of shape (n_topics,) or None
        Non-negative, summing to 1; ``None`` is uniform.
    """

    def __init__(self, weights=None):
        self.weights = weights

    def __repr__(self):
        return f"Fixed({_short(self.weights)})"

    def for_topics(self, n_topics, name="topic_weights"):
        """This process with ``weights`` checked against ``n_topics`` (uniform when None)."""
        if self.weights is None:
            return Fixed(np.full(n_topics, 1.0 / n_topics))
        return Fixed(check_probability_vector(self.weights, name, size=n_topics))

    def mean(self):
        """The proportions themselves."""
        return self.weights

    def draw(self, rng, n_documents):
        """``weights`` repeated, shape (n_documents, n_topics); draws nothing from ``rng``."""
        return np.tile(self.weights, (n_documents, 1))


class LogisticNormal:
    """Correlated topics: eta ~ Normal(``mean``, ``covariance``), proportions softmax(eta).

    The document-topic law of the correlated topic model (Blei & Lafferty 2007): a positive
    covariance between two topics makes documents that use one likely to use the other.

    Parameters
    ----------
    mean : float or array-like of shape (n_topics,)
        The mean of eta; a float is the same for every topic.
    covariance : float or array-like of shape (n_topics, n_topics)
        Symmetric positive semi-definite; a float ``s`` is ``s`` times the identity.

    Attributes
    ----------
    eta_mean, covariance
        ``mean`` and ``covariance`` as given (``mean()`` is the method every process has: the
        expected proportions, here by 100,000 draws of a fixed seed).

    Examples
    --------
    >>> import numpy as np
    >>> from skmix.processes import LogisticNormal
    >>> process = LogisticNormal(0.0, [[1.0, 0.9], [0.9, 1.0]]).for_topics(2)
    >>> process.draw(np.random.default_rng(0), 3).sum(axis=1)
    array([1., 1., 1.])
    """

    def __init__(self, mean=0.0, covariance=1.0):
        self.eta_mean = mean  # ``mean()`` is the expected proportions, as for every process
        self.covariance = covariance

    def __repr__(self):
        return f"LogisticNormal({_short(self.eta_mean)}, {_short(self.covariance)})"

    def for_topics(self, n_topics):
        """This process with ``mean`` and ``covariance`` checked against ``n_topics``."""
        mean = _finite_array(self.eta_mean, (n_topics,), "LogisticNormal mean")
        covariance = np.asarray(self.covariance, dtype=float)
        if covariance.ndim == 0:
            covariance = covariance * np.eye(n_topics)
        covariance = _finite_array(covariance, (n_topics, n_topics), "LogisticNormal covariance")
        if not np.allclose(covariance, covariance.T):
            raise ValueError(
                f"LogisticNormal covariance must be symmetric, got {_short(self.covariance)}."
            )
        eigenvalues, vectors = np.linalg.eigh(covariance)
        if eigenvalues.min() < -1e-10 * np.abs(covariance).max(initial=1.0):
            raise ValueError(
                "LogisticNormal covariance must be positive semi-definite, got "
                f"{_short(self.covariance)}."
            )
        process = LogisticNormal(mean, covariance)
        process._factor = vectors * np.sqrt(eigenvalues.clip(min=0))
        return process

    def mean(self):
        """The expected proportions, by 100,000 draws of a fixed seed (no closed form)."""
        return self.draw(np.random.default_rng(0), 100_000).mean(axis=0)

    def draw(self, rng, n_documents):
        """``n_documents`` proportion vectors softmax(eta), shape (n_documents, n_topics)."""
        eta = rng.standard_normal((n_documents, self.eta_mean.size)) @ self._factor.T
        eta += self.eta_mean
        eta -= eta.max(axis=1, keepdims=True)
        theta = np.exp(eta)
        return theta / theta.sum(axis=1, keepdims=True)


def _finite_array(value, shape, name):
    try:
        array = np.broadcast_to(np.asarray(value, dtype=float), shape).copy()
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be a number or of shape {shape}, got {_short(value)}."
        ) from exc
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {_short(value)}.")
    return array


def _check_draw(process, n_topics):
    """Refuse a process whose draws are not (n, n_topics) rows of probabilities."""
    theta = np.asarray(process.draw(np.random.default_rng(0), 2))
    if theta.shape != (2, n_topics) or not np.allclose(theta.sum(axis=1), 1):
        raise ValueError(
            f"doc_topic_prior {_short(process)} must draw (n_documents, {n_topics}) rows that "
            f"sum to 1, got an array of shape {theta.shape}."
        )
    return process


def doc_topic_process(doc_topic_prior, topic_weights, n_topics):
    """The process ``doc_topic_prior`` (a process, alpha, or None for ``topic_weights``) means."""
    if doc_topic_prior is None:
        return Fixed(topic_weights).for_topics(n_topics)
    if topic_weights is not None:
        raise ValueError(
            "give topic_weights (one mixture for every document) or doc_topic_prior "
            "(a Dirichlet draw per document), not both."
        )
    if not hasattr(doc_topic_prior, "draw"):
        return Dirichlet(doc_topic_prior).for_topics(n_topics)
    if hasattr(doc_topic_prior, "for_topics"):
        return doc_topic_prior.for_topics(n_topics)
    return _check_draw(doc_topic_prior, n_topics)


def topic_shares(process, n_topics):
    """The expected proportions of ``process``: its ``mean()``, or the mean of 10,000 draws."""
    if hasattr(process, "mean"):
        return np.asarray(process.mean(), dtype=float)
    return np.asarray(process.draw(np.random.default_rng(0), 10_000)).mean(axis=0)


# --- an open vocabulary ----------------------------------------------------------------------


class ZipfTail:
    """New word types: a share ``rate`` of the tokens are new words, ranked by Zipf's law.

    Each token is, with probability ``rate``, a new word of rank ``r >= start`` drawn from the
    continuous Zipf (Pareto) law rounded down, ``P(r >= x) = (x / start) ** (1 - exponent)``,
    over an unbounded range: ``r = floor(start * U ** (-1 / (exponent - 1)))`` for a uniform
    ``U``, one per token, independently of everything else (vectorised, and the same in every
    block of documents). Word ``r`` is about ``r ** -exponent`` likely, the way real words
    are by their rank, and ``start`` continues a vocabulary of ``start - 1`` words: the new
    words are rare, as a real vocabulary's tail is. Among ``n`` such tokens about
    ``n ** (1 / exponent)`` are distinct (Heaps' law with beta = 1 / exponent). The generator
    names rank ``r`` with a prefix that no given word starts with (``"new_17"``).

    Parameters
    ----------
    rate : float
        The share of tokens that are new words, in (0, 1).
    exponent : float
        Zipf's exponent, > 1.
    start : int, default=1
        The first rank, >= 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skmix.processes import ZipfTail
    >>> ranks = ZipfTail(0.1, 1.5, start=100).check().draw(np.random.default_rng(0), 5)
    >>> ranks.dtype, bool(ranks.min() >= 100)
    (dtype('int64'), True)
    """

    def __init__(self, rate, exponent, start=1):
        self.rate = rate
        self.exponent = exponent
        self.start = start

    def __repr__(self):
        return (f"ZipfTail(rate={_short(self.rate)}, exponent={_short(self.exponent)}, "
                f"start={_short(self.start)})")

    def check(self):
        """This law with ``rate``, ``exponent`` and ``start`` checked."""
        if not _is_real(self.rate) or not 0 < self.rate < 1:
            raise ValueError(f"ZipfTail rate must be in (0, 1), got {_short(self.rate)}.")
        if not _is_real(self.exponent) or not 1 < self.exponent < np.inf:
            raise ValueError(f"ZipfTail exponent must be > 1, got {_short(self.exponent)}.")
        start = check_positive_int(self.start, "ZipfTail start")
        return ZipfTail(float(self.rate), float(self.exponent), start)

    def draw(self, rng, n_tokens):
        """The ranks (int64, from ``start``) of ``n_tokens`` new-word tokens."""
        ranks = rng.random(n_tokens)
        with np.errstate(over="ignore", divide="ignore"):  # beyond the cap, which clips it
            np.power(ranks, -1 / (self.exponent - 1), out=ranks)
        ranks *= self.start
        return np.minimum(ranks, _MAX_RANK).astype(np.int64)


#: Ranks are capped here (reached with probability below 1e-18 for exponents above 2).
_MAX_RANK = float(2**62)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)


def new_word_prefix(vocabulary):
    """``"new_"`` (or ``"new__"``, ...): a prefix that no word of ``vocabulary`` starts with.

    Examples
    --------
    >>> new_word_prefix(["cake", "new_york"])
    'new__'
    """
    prefix = "new_"
    while any(str(word).startswith(prefix) for word in vocabulary):
        prefix += "_"
    return prefix


# --- document lengths -------------------------------------------------------------------------

#: The accepted forms of ``doc_length``, tried in order; each class says which values it takes.
_LENGTH_LAWS = []


def _length_law(cls):
    """Register a length law (a class with ``accepts``, ``draw`` and ``mean``)."""
    _LENGTH_LAWS.append(cls)
    return cls


def length_law(doc_length):
    """The registered length law that takes ``doc_length``, checked."""
    for law in _LENGTH_LAWS:
        if law.accepts(doc_length):
            return law(doc_length)
    raise TypeError(
        "doc_length must be an int, a frozen scipy.stats discrete distribution or an array of "
        f"ints, got {_short(doc_length)}."
    )


@_length_law
class _FixedLength:
    """Every document has ``doc_length`` tokens."""

    @staticmethod
    def accepts(doc_length):
        return isinstance(doc_length, numbers.Integral) and not isinstance(doc_length, bool)

    def __init__(self, doc_length):
        self.value = check_positive_int(doc_length, "doc_length")

    def draw(self, rng, n_documents):
        return np.full(n_documents, self.value, dtype=np.int64)

    def mean(self):
        return float(self.value)


@_length_law
class _LengthDistribution:
    """Lengths drawn from a frozen ``scipy.stats`` discrete distribution."""

    @staticmethod
    def accepts(doc_length):
        return hasattr(doc_length, "rvs") and hasattr(doc_length, "support")

    def __init__(self, doc_length):
        from scipy.stats import rv_discrete

        if not isinstance(getattr(doc_length, "dist", None), rv_discrete):
            raise TypeError(
                f"doc_length must be a discrete distribution (e.g. scipy.stats.poisson(100)), "
                f"got {_short(doc_length)}."
            )
        _check_distribution_parameters(doc_length)
        if doc_length.support()[0] < 0:
            raise ValueError(
                f"doc_length's distribution allows negative values: {_short(doc_length)}."
            )
        self.value = doc_length

    def draw(self, rng, n_documents):
        return self.value.rvs(size=n_documents, random_state=rng).astype(np.int64)

    def mean(self):
        return float(self.value.mean())


def _check_distribution_parameters(doc_length):
    """Refuse invalid parameters (poisson(-5)): scipy gives NaN for them, and fails only when
    drawing."""
    try:
        low, mean = float(doc_length.support()[0]), float(doc_length.mean())
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValueError(f"doc_length's distribution cannot be used: {exc}") from None
    if np.isnan(low) or np.isnan(mean):
        raise ValueError(
            f"doc_length's distribution has invalid parameters {doc_length.args or ''}"
            f"{doc_length.kwds or ''} for scipy.stats.{doc_length.dist.name}."
        )


#: The longest document length accepted (uint64 2**63 + 5 became negative as int64).
_MAX_LENGTH = 2**62


@_length_law
class _EmpiricalLengths:
    """Lengths drawn with replacement from the given ones."""

    @staticmethod
    def accepts(doc_length):
        return isinstance(doc_length, list | tuple | np.ndarray)

    def __init__(self, doc_length):
        lengths = np.asarray(doc_length)
        if lengths.ndim != 1 or lengths.size == 0 or not np.issubdtype(lengths.dtype, np.integer):
            raise TypeError(
                f"doc_length as an array must be a non-empty 1-D array of ints, got "
                f"{_short(doc_length)}."
            )
        if np.any(lengths < 0):
            raise ValueError(f"doc_length holds negative lengths, e.g. {int(lengths.min())}.")
        if np.any(lengths > _MAX_LENGTH):
            raise ValueError(f"doc_length holds a length of {int(lengths.max())}, over 2**62.")
        self.value = lengths.astype(np.int64)

    def draw(self, rng, n_documents):
        return rng.choice(self.value, size=n_documents)

    def mean(self):
        return float(self.value.mean())
