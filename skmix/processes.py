"""How a document draws its topic mix and its length.

"""

import numbers

import numpy as np

from ._validation import _short, check_positive_int


def _check_prior(doc_topic_prior, n_topics):
    """Return the Dirichlet prior as a length-K array of positive floats, or None."""
    if doc_topic_prior is None:
        return None
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


def _length_kind(doc_length):
    """Name the form of ``doc_length``: "fixed", "distribution" or "empirical"."""
    if isinstance(doc_length, numbers.Integral) and not isinstance(doc_length, bool):
        return "fixed"
    if hasattr(doc_length, "rvs") and hasattr(doc_length, "support"):
        return "distribution"
    if isinstance(doc_length, list | tuple | np.ndarray):
        return "empirical"
    raise TypeError(
        "doc_length must be an int, a frozen scipy.stats discrete distribution or an array of "
        f"ints, got {_short(doc_length)}."
    )


def _check_fixed_length(doc_length):
    return check_positive_int(doc_length, "doc_length")


def _check_length_distribution(doc_length):
    from scipy.stats import rv_discrete

    if not isinstance(getattr(doc_length, "dist", None), rv_discrete):
        raise TypeError(
            f"doc_length must be a discrete distribution (e.g. scipy.stats.poisson(100)), got "
            f"{_short(doc_length)}."
        )
    if doc_length.support()[0] < 0:
        raise ValueError(f"doc_length's distribution allows negative values: {_short(doc_length)}.")
    return doc_length


def _check_length_array(doc_length):
    lengths = np.asarray(doc_length)
    if lengths.ndim != 1 or lengths.size == 0 or not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(
            f"doc_length as an array must be a non-empty 1-D array of ints, got "
            f"{_short(doc_length)}."
        )
    if np.any(lengths < 0):
        raise ValueError(f"doc_length holds negative lengths, e.g. {int(lengths.min())}.")
    return lengths.astype(np.int64)


_LENGTH_CHECKS = {
    "fixed": _check_fixed_length,
    "distribution": _check_length_distribution,
    "empirical": _check_length_array,
}

_LENGTH_DRAWS = {
    "fixed": lambda lengths, rng, n: np.full(n, lengths, dtype=np.int64),
    "distribution": lambda dist, rng, n: dist.rvs(size=n, random_state=rng).astype(np.int64),
    "empirical": lambda lengths, rng, n: rng.choice(lengths, size=n),
}

_LENGTH_MEANS = {
    "fixed": float,
    "distribution": lambda dist: float(dist.mean()),
    "empirical": lambda lengths: float(lengths.mean()),
}
