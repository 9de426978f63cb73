"""What makes a generated corpus look like real text, checked and learned.

Three optional pieces of :class:`~skmix.TopicMixtureGenerator`, each off by default (and then
drawing no random numbers, so old seeds give old corpora):

- a **background** (stop words, boilerplate) that every token comes from with probability
  ``background_rate``;
- **burstiness**: each document draws its own version of each topic from
  Dirichlet(kappa * phi_k) (the Dirichlet compound multinomial, Madsen, Kauchak & Elkan 2005);
- an **open vocabulary** of new words (:class:`~skmix.processes.ZipfTail`).

This module checks the parameters and, for ``fit(X)`` with ``"auto"``, learns them from a
corpus: the background from words most documents use (sklearn's ``max_df`` idea of corpus
specific stop words), the tail from the words seen once, kappa by matching the real corpus's
burstiness, and the tail's rate and exponent by matching its distinct words and words seen once.
"""

import numbers
from typing import Any, NamedTuple

import numpy as np
import scipy.optimize
import scipy.special

from ._text_stats import text_statistics
from ._topic_spec import _word_weights
from ._validation import _short
from .processes import ZipfTail

#: ``background="auto"``: words used by at least this share of documents are background words.
BACKGROUND_MIN_DF = 0.5

#: ``new_words="auto"``: words seen at most this often in the corpus make the open tail.
TAIL_MAX_COUNT = 1

#: The range kappa is searched in when learned (``burstiness="auto"``).
KAPPA_RANGE = (0.01, 1e4)


class Realism(NamedTuple):
    """The realism of a generator, checked: what :class:`~skmix._blocks.DocumentBlocks` takes."""

    background: Any = None
    background_rate: float = 0.0
    burstiness: Any = None
    new_words: Any = None


def is_auto(*values):
    """True when any of ``values`` is ``"auto"``."""
    return any(isinstance(value, str) and value == "auto" for value in values)


def check_background(background, background_rate, vocabulary, topic_word):
    """The background as ``(vocabulary, topic_word, probabilities or None, rate)``.

    Background words missing from ``vocabulary`` are added at its end (no topic uses them).
    """
    rate = check_rate(background_rate)
    if background is None:
        if rate:
            raise ValueError(
                f"background_rate={rate} needs a background: give background= (words, a dict "
                "word -> weight, or an array over the vocabulary)."
            )
        return vocabulary, topic_word, None, 0.0
    if not rate:
        raise ValueError("background is given but background_rate=0: give the share of "
                         "tokens it draws (background_rate > 0), or no background.")
    if isinstance(background, np.ndarray) and background.dtype.kind in "biuf":
        return vocabulary, topic_word, _background_array(background, len(vocabulary)), rate
    words, weights = _word_weights(background, "background")
    known = {word: i for i, word in enumerate(vocabulary.tolist())}
    added = list(dict.fromkeys(word for word in words if word not in known))
    vocabulary = np.concatenate([vocabulary, np.array(added, dtype=object)])
    known.update({word: len(known) + j for j, word in enumerate(added)})
    topic_word = np.hstack([topic_word, np.zeros((topic_word.shape[0], len(added)))])
    probabilities = np.bincount([known[w] for w in words], weights, minlength=vocabulary.size)
    return vocabulary, topic_word, probabilities / probabilities.sum(), rate


def _background_array(background, n_words):
    values = background.astype(float)
    if values.shape != (n_words,):
        raise ValueError(f"background as an array must have one weight per word ({n_words}), "
                         f"got shape {values.shape}.")
    if not np.all(np.isfinite(values)) or np.any(values < 0) or values.sum() <= 0:
        raise ValueError(f"background weights must be finite, non-negative and not all zero, "
                         f"got {_short(background)}.")
    return values / values.sum()


def check_rate(background_rate):
    if not _is_number(background_rate) or not 0 <= background_rate < 1:
        raise ValueError(f"background_rate must be a number in [0, 1), got "
                         f"{_short(background_rate)}.")
    return float(background_rate)


def check_burstiness(burstiness):
    """kappa as a float, or None."""
    if burstiness is None:
        return None
    if not _is_number(burstiness) or not 0 < burstiness < np.inf:
        raise ValueError(f"burstiness must be a number > 0 (the DCM's kappa) or None, got "
                         f"{_short(burstiness)}.")
    return float(burstiness)


def check_new_words(new_words):
    """The open vocabulary's law, checked: None, a ``ZipfTail`` or a user's law."""
    if new_words is None:
        return None
    if isinstance(new_words, ZipfTail):
        return new_words.check()
    if not hasattr(new_words, "draw") or not _is_number(getattr(new_words, "rate", None)):
        raise TypeError(f"new_words must be None, 'auto' (with data) or a law of new words "
                        f"such as ZipfTail(rate, exponent), got {_short(new_words)}.")
    if not 0 < new_words.rate < 1:
        raise ValueError(f"new_words.rate must be in (0, 1), got {new_words.rate!r}.")
    return new_words


def check_shares(background_rate, new_words):
    """Refuse a background and new words that leave the topics no tokens."""
    total = background_rate + (0 if new_words is None else new_words.rate)
    if total >= 1:
        raise ValueError(f"background_rate + new_words.rate must be below 1 (the topics draw "
                         f"the rest), got {total}.")


def refuse_auto(**parameters):
    """``"auto"`` needs data: refuse it when ``fit`` gets none."""
    for name, value in parameters.items():
        if is_auto(value):
            raise ValueError(f"{name}='auto' is learned from a corpus: give fit a corpus X, or "
                             f"a value for {name}.")


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)


# --- learning from a corpus -------------------------------------------------------------------


def split_vocabulary(counts, *, background, new_words):
    """Which words the background and the tail take: ``(topic_words, background, tail)``.

    ``counts`` is the corpus's CSR document-term matrix; the results are boolean masks over its
    columns. The background takes the words at least half the documents use; the tail the
    words seen once in the corpus; the topics the rest.
    """
    totals = np.asarray(counts.sum(axis=0)).ravel()
    n_docs = counts.shape[0]
    is_background = np.zeros(totals.size, dtype=bool)
    if background == "auto":
        is_background = _document_frequency(counts) >= BACKGROUND_MIN_DF * n_docs
    is_tail = np.zeros(totals.size, dtype=bool)
    if new_words == "auto":
        is_tail = (totals <= TAIL_MAX_COUNT) & ~is_background
    return ~(is_background | is_tail), is_background, is_tail


def _document_frequency(counts):
    """How many documents use each word, a slice of the CSR ``counts`` at a time (``bincount``
    of all its int32 column indices at once makes an int64 copy: 360 MB at 50 M tokens)."""
    frequency = np.zeros(counts.shape[1], dtype=np.int64)
    for start in range(0, counts.nnz, 1 << 22):
        frequency += np.bincount(counts.indices[start:start + (1 << 22)],
                                 minlength=counts.shape[1])
    return frequency


def zipf_spectrum(n_tokens, exponent, start, n_ranks=2 * 10**5):
    """Expected ``(distinct, seen once)`` words among ``n_tokens`` draws of a :class:`ZipfTail`.

    Poissonised: sums over ranks of ``1 - exp(-n p_r)`` and ``n p_r exp(-n p_r)``, the first
    ``n_ranks`` ranks summed and the rest, where ``n p_r`` is small, taken whole (there both
    terms are about ``n p_r``).
    """
    edges = (np.arange(start, start + n_ranks + 1, dtype=float) / start) ** (1 - exponent)
    mean = -np.diff(edges) * n_tokens
    rest = n_tokens * edges[-1]
    return -np.expm1(-mean).sum() + rest, (mean * np.exp(-mean)).sum() + rest


#: Zipf exponents the tail is searched in.
_EXPONENTS = (1.001, 4.0)


def _tokens_for(distinct, exponent, start):
    """The number of tail draws that hold ``distinct`` distinct ranks (or inf)."""
    def gap(n):
        return zipf_spectrum(n, exponent, start)[0] - distinct

    most = distinct * 1e6
    if gap(most) < 0:
        return np.inf
    return scipy.optimize.brentq(gap, distinct, most, rtol=1e-4)


def zipf_tail_for(distinct, seen_once, start):
    """``(n_tokens, exponent)`` of a Zipf tail with ``distinct`` words, ``seen_once`` of them once.

    For each exponent, the number of draws that gives ``distinct`` words; the exponent then so
    that the share seen once is right (it falls as the exponent grows). A share out of reach
    takes the nearest end of :data:`_EXPONENTS`.
    """
    def gap(exponent):
        n = _tokens_for(distinct, exponent, start)
        return zipf_spectrum(n, exponent, start)[1] - seen_once if np.isfinite(n) else -seen_once

    low, high = _EXPONENTS
    if gap(low) <= 0:
        exponent = low
    elif gap(high) >= 0:
        exponent = high
    else:
        exponent = scipy.optimize.brentq(gap, low, high, xtol=1e-4)
    return _tokens_for(distinct, exponent, start), exponent


def calibrate_burstiness(target, draw, kappa_range=KAPPA_RANGE, steps=16):
    """The kappa whose look-alike has the real corpus's burstiness (bisection in log kappa).

    ``draw(kappa)`` samples a look-alike of the real size (one fixed seed, so the statistic is
    a steady function of kappa) and returns ``(ids, offsets)``; burstiness falls as kappa
    grows. When even the largest kappa is too bursty, the plain draw (None) is the closest.
    """
    def burstiness(kappa):
        return text_statistics(*draw(kappa)).burstiness

    low, high = np.log(kappa_range[0]), np.log(kappa_range[1])
    if burstiness(np.exp(high)) >= target:
        return None
    for _ in range(steps):
        middle = (low + high) / 2
        if burstiness(np.exp(middle)) > target:
            low = middle
        else:
            high = middle
    return float(np.exp((low + high) / 2))
