"""TopicMixtureGenerator: text corpora drawn from a mixture of word distributions.

How documents are drawn (vectorised per block of documents, never per token in Python):

1. every document's length, from ``doc_length``;
2. its topic proportions: ``topic_weights`` for every document (the worksheet's coin flip),
   or theta ~ Dirichlet(``doc_topic_prior``) per document (LDA);
3. how many of its tokens each topic draws: one multinomial per document;
4. the token order within each document shuffled, so the text does not reveal the topics by
   grouping their words (measured cost: about a fifth of the drawing time);
5. the words: the tokens of all documents of the block are grouped by topic and each topic
   draws its words at once from its own alias table (Walker/Vose: one uniform and two lookups
   per token, a table small enough to stay in cache).

Seed scheme (a promise, as numpy's stream policy is): documents are drawn in fixed blocks of
``_BLOCK_SIZE`` documents. Each call (``sample``, ``iter_sample``, ``stream``) has one root
``numpy.random.SeedSequence``; block ``b`` (documents ``b * _BLOCK_SIZE`` to
``(b + 1) * _BLOCK_SIZE - 1``) is drawn by
``np.random.default_rng(np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key + (b,),
pool_size=root.pool_size))``, the root's ``b``-th child. So the documents of one seed never
depend on the chunk size, the number of jobs or partitions, or which machine drew which block.
They may change between numpy versions (numpy's own stream policy).
"""

import numbers
from collections import Counter
from functools import partial
from itertools import pairwise
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import SamplerMixin
from ._block_part import MIN_TOKENS, draw_part
from ._corpus import STREAM_FORMATS, CorpusStream, SampledCorpus
from ._validation import (
    IntervalNotBool,
    _short,
    check_n_samples,
    check_positive_int,
    check_probability_vector,
    seed_sequence,
)

__all__ = ["TopicMixtureGenerator"]

#: Documents per block of the seed scheme; fixed, so the corpus of a seed never changes.
_BLOCK_SIZE = 1000
#: Bytes a token takes while it is drawn, besides its place in the output (see _working_bytes).
_DRAWING_BYTES_PER_TOKEN = 40


# --- topics: every accepted form -> (names, vocabulary, topic_word) ---------------------------


def _check_words(words, name):
    """Return ``words`` as a list of non-empty str, refusing strings, empties and non-str."""
    if isinstance(words, str) or not isinstance(words, list | tuple | np.ndarray):
        raise TypeError(f"{name} must be a list of words (str), got {_short(words)}.")
    words = list(words)
    if not words:
        raise ValueError(f"{name} is empty: every topic needs at least one word.")
    bad = [word for word in words if not isinstance(word, str)]
    if bad:
        raise TypeError(f"{name} must hold only str words, got {_short(bad[0])}.")
    if "" in words:
        raise ValueError(f"{name} holds an empty word ''.")
    return words


def _check_weights(weights, name):
    """Check a dict word -> weight; return ``(words, weights)``."""
    words = _check_words(list(weights), name)
    values = np.asarray(list(weights.values()), dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values < 0) or not np.any(values > 0):
        raise ValueError(
            f"{name} weights must be finite, non-negative and not all zero, got {_short(weights)}."
        )
    return words, values


def _word_weights(topic, name):
    """One topic as ``(words, weights)``: a word list (each word once per mention) or a dict."""
    if isinstance(topic, dict):
        return _check_weights(topic, name)
    words = _check_words(topic, name)
    return words, np.ones(len(words))


def _check_vocabulary(vocabulary, size=None):
    """Return ``vocabulary`` as an object array of distinct, non-empty str."""
    words = _check_words(vocabulary, "vocabulary")
    duplicates = [word for word, count in Counter(words).items() if count > 1]
    if duplicates:
        raise ValueError(f"vocabulary holds repeated words, e.g. {duplicates[:3]!r}.")
    if size is not None and len(words) != size:
        raise ValueError(
            f"vocabulary has {len(words)} words but topics has {size} columns; they must match."
        )
    return np.array(words, dtype=object)


def _topics_from_lists(topics, names, vocabulary):
    """Word lists or word -> weight dicts (one per name) as a (K, V) matrix."""
    if not topics:
        raise ValueError("topics must hold at least one topic, got an empty collection.")
    pairs = [
        _word_weights(topic, f"topics[{name!r}]") for topic, name in zip(topics, names, strict=True)
    ]
    if vocabulary is None:
        vocabulary = list(dict.fromkeys(word for words, _ in pairs for word in words))
    vocabulary = _check_vocabulary(vocabulary)
    index = {word: j for j, word in enumerate(vocabulary.tolist())}
    topic_word = np.zeros((len(pairs), len(vocabulary)))
    for k, (words, weights) in enumerate(pairs):
        missing = [word for word in words if word not in index]
        if missing:
            raise ValueError(f"topics[{names[k]!r}] has words not in vocabulary: {missing[:3]!r}.")
        np.add.at(topic_word[k], [index[word] for word in words], weights)
    return vocabulary, _normalised_rows(topic_word)


def _normalised_rows(weights):
    """Rows divided by their sums; first by their largest value where a sum overflows
    (1e308 + 1e308), and only there, so that other rows stay what they always were."""
    with np.errstate(over="ignore"):  # an overflow is seen below and dealt with
        sums = weights.sum(axis=1, keepdims=True)
    if not np.all(np.isfinite(sums)):
        weights = weights / weights.max(axis=1, keepdims=True)
        sums = weights.sum(axis=1, keepdims=True)
    return weights / sums


def _topics_from_array(topics, vocabulary):
    """A (K, V) non-negative array with its vocabulary, rows normalised to sum to 1."""
    if np.iscomplexobj(topics):  # a float conversion would drop the imaginary parts silently
        raise TypeError(f"topics must be real numbers, got a complex array {_short(topics)}.")
    try:
        topic_word = np.asarray(topics, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"topics must be numbers when given as an array: {exc}") from exc
    if topic_word.ndim != 2 or 0 in topic_word.shape:
        raise ValueError(f"topics as an array must be 2-D (K, V), got shape {topic_word.shape}.")
    if not np.all(np.isfinite(topic_word)) or np.any(topic_word < 0):
        raise ValueError("topics as an array must be finite and non-negative.")
    empty = np.flatnonzero(~np.any(topic_word > 0, axis=1))
    if empty.size:
        raise ValueError(f"topics[{empty[0]}] is all zeros: every topic needs some weight.")
    if vocabulary is None:
        raise ValueError("vocabulary must be given with topics as an array (a word per column).")
    vocabulary = _check_vocabulary(vocabulary, size=topic_word.shape[1])
    return vocabulary, _normalised_rows(topic_word)


def _parse_topics(topics, vocabulary):
    """Any accepted ``topics`` form as ``(names, vocabulary, topic_word)``."""
    if isinstance(topics, dict):
        names = [str(name) for name in topics]
        return (names, *_topics_from_lists(list(topics.values()), names, vocabulary))
    if isinstance(topics, np.ndarray) or (
        isinstance(topics, list | tuple) and topics and _is_number_row(topics[0])
    ):
        vocabulary, topic_word = _topics_from_array(topics, vocabulary)
        return [f"topic_{k}" for k in range(len(topic_word))], vocabulary, topic_word
    if isinstance(topics, list | tuple):
        names = [f"topic_{k}" for k in range(len(topics))]
        return (names, *_topics_from_lists(list(topics), names, vocabulary))
    raise TypeError(
        "topics must be a list of word lists, a dict name -> words, a list of dicts "
        f"word -> weight, or a (K, V) array with vocabulary; got {_short(topics)}."
    )


def _is_number_row(row):
    """Whether ``row`` is a row of numbers (an array given as nested lists)."""
    return isinstance(row, list | tuple | np.ndarray) and all(
        isinstance(value, numbers.Number) for value in row
    )


# --- per-document parameters -------------------------------------------------------------


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
    try:  # invalid parameters (poisson(-5)) give NaN here, and fail only when drawing
        low, mean = float(doc_length.support()[0]), float(doc_length.mean())
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValueError(f"doc_length's distribution cannot be used: {exc}") from None
    if np.isnan(low) or np.isnan(mean):
        raise ValueError(
            f"doc_length's distribution has invalid parameters {doc_length.args or ''}"
            f"{doc_length.kwds or ''} for scipy.stats.{doc_length.dist.name}."
        )
    if low < 0:
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
    if np.any(lengths > _MAX_LENGTH):  # uint64 2**63 + 5 became negative as int64
        raise ValueError(f"doc_length holds a length of {int(lengths.max())}, over 2**62.")
    return lengths.astype(np.int64)


_MAX_LENGTH = 2**62


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


# --- drawing -------------------------------------------------------------------------------


def _alias_table(p):
    """Walker's alias table of the distribution ``p`` over its non-zero entries.

    Returns ``(words, keep, alias)``: bucket ``j`` (of ``words.size``) gives ``words[j]``
    with probability ``keep[j]`` and otherwise gives way to bucket ``alias[j]``.
    Built in vectorised rounds: every under-full bucket is topped up from the over-full ones
    laid end to end, and over-full buckets that gave too much become under-full for the next
    round (a few rounds for any realistic distribution).
    """
    words = np.flatnonzero(p)
    scaled = p[words] * (words.size / p[words].sum())
    keep, alias = np.ones(words.size), np.arange(words.size)
    small, large = np.flatnonzero(scaled < 1), np.flatnonzero(scaled >= 1)
    while small.size and large.size:
        deficit = 1 - scaled[small]
        starts = np.cumsum(deficit) - deficit
        donor = np.searchsorted(np.cumsum(scaled[large] - 1), starts, side="right")
        donor = np.minimum(donor, large.size - 1)
        keep[small], alias[small] = scaled[small], large[donor]
        scaled[large] -= np.bincount(donor, weights=deficit, minlength=large.size)
        small, large = large[scaled[large] < 1], large[scaled[large] >= 1]
    keep[small] = 1.0  # rounding left a bucket a hair short: it keeps its own word
    return words, keep, alias


#: A bucket of the joint alias table: its threshold, its word and the word it gives way to,
#: side by side so that a token's lookups touch one cache line (the tables of 100 topics over
#: 10,000 words are larger than the cache: 3 arrays took a third longer).
_BUCKET = np.dtype([("threshold", np.float64), ("word", np.int32), ("alias_word", np.int32)])


def _alias_tables(topic_word):
    """Every topic's alias table, laid end to end: ``(buckets, starts)``.

    Topic ``k`` owns ``buckets[starts[k]:starts[k + 1]]``. A point ``x`` of its ``i``-th bucket
    (``i <= x < i + 1``) gives the bucket's ``word`` below its ``threshold`` (``i`` + the
    probability to keep the bucket's word) and its ``alias_word``, the word of the bucket it
    gives way to, above.
    """
    tables = [_alias_table(row) for row in topic_word]
    starts = np.cumsum([0] + [words.size for words, _, _ in tables])
    buckets = np.empty(starts[-1], dtype=_BUCKET)
    buckets["threshold"] = np.concatenate([np.arange(keep.size) + keep for _, keep, _ in tables])
    buckets["word"] = np.concatenate([words for words, _, _ in tables])
    buckets["alias_word"] = np.concatenate([words[alias] for words, _, alias in tables])
    return buckets, starts


def _draw_words(tables, topic_counts, rng):
    """``topic_counts[k]`` words from every topic ``k``, topic after topic.

    All topics in one vectorised pass; one uniform per token, scaled to its topic's number of
    buckets, gives its bucket (integer part) and the coin (against the bucket's threshold). As
    the tokens come topic after topic, the lookups stay within one topic's table at a time
    (one flat K x V table searched in token order would miss the cache on almost every token).
    """
    return _look_up_words(tables, topic_counts, rng.random(int(topic_counts.sum())))


def _look_up_words(tables, topic_counts, x):
    """The words of tokens ``x`` (their uniforms, topic after topic) from the alias tables."""
    buckets, starts = tables
    x *= np.repeat(np.diff(starts), topic_counts)
    bucket = x.astype(np.intp)
    bucket += np.repeat(starts[:-1], topic_counts)
    drawn = buckets[bucket]
    return np.where(x < drawn["threshold"], drawn["word"], drawn["alias_word"])


def _pieces(lengths, start, stop):
    """``(a, b)`` runs of documents from ``start`` to ``stop - 1`` of about MIN_TOKENS tokens
    each (at least one document)."""
    ends = np.cumsum(lengths[start:stop])
    cuts = np.unique(np.searchsorted(ends, np.arange(MIN_TOKENS, ends[-1], MIN_TOKENS)))
    bounds = [start, *(start + cuts + 1).tolist(), stop]
    return [(a, b) for a, b in pairwise(bounds) if a < b]


#: Bits of a block's document index in the shuffle keys of :func:`_document_order`.
_DOC_BITS = (_BLOCK_SIZE - 1).bit_length()


def _document_order(docs, rng):
    """The permutation that puts tokens in document order, shuffled within each document.

    One ``np.sort`` of 63-bit keys, document | random bits | the token's position: numpy sorts
    plain integers with SIMD, about twice as fast as an ``argsort``, and the position in the
    low bits gives the permutation back. Keys hold at least 32 random bits while a block has
    fewer than 2**21 tokens (35 for 1,000 documents of 200); tokens that draw the same bits
    keep their drawn order, with probability 2**-bits per pair.
    """
    position_bits = max(docs.size - 1, 1).bit_length()
    random_bits = 63 - _DOC_BITS - position_bits
    keys = rng.integers(0, 2**random_bits, size=docs.size, dtype=np.int64)
    keys <<= position_bits
    keys |= docs << (63 - _DOC_BITS)
    keys |= np.arange(docs.size)
    keys.sort()
    keys &= (1 << position_bits) - 1
    return keys


def _block_rng(root, block):
    """The generator of block ``block``: the root's ``block``-th child (see the seed scheme)."""
    child = np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, block), pool_size=root.pool_size
    )
    return np.random.default_rng(child)


class TopicMixtureGenerator(SamplerMixin, BaseEstimator):
    """Draw text corpora from a mixture of word distributions ("topics"), with their truth.

    Every document gets a length and a mixture of topics; every word first picks a topic from
    that mixture, then a word from the topic. Without ``doc_topic_prior`` every document has
    the same mixture (``topic_weights``: the worksheet's coin flip per word); with it, each
    document draws its own proportions theta ~ Dirichlet(``doc_topic_prior``) (LDA).

    Seed scheme: documents are drawn in fixed blocks of 1,000 (``_BLOCK_SIZE``); block ``b``
    of a call seeded by the ``SeedSequence`` ``root`` draws from
    ``np.random.default_rng(np.random.SeedSequence(root.entropy,
    spawn_key=root.spawn_key + (b,), pool_size=root.pool_size))``. One seed therefore gives
    the same documents through ``sample``, the chunks of ``iter_sample`` joined and ``stream``,
    whatever the chunk size (for a given numpy version).

    Parameters
    ----------
    topics : list of list of str, dict of str to list of str, list of dict, or array-like \
            of shape (n_topics, n_words), default=None
        The topics: word lists (each word equally likely within its topic, a word listed
        twice twice as likely), a dict name -> word list, a list of dicts word -> weight, or
        a non-negative array whose rows are normalised, with ``vocabulary``. Words may belong
        to several topics. Needed when ``fit`` gets no data.
    n_topics : int, default=None
        The number of topics to learn when ``fit`` gets data; with ``topics`` it must agree
        with their number, if given.
    vocabulary : list of str, default=None
        The words, in the order of the array's columns (required with an array). With word
        lists it fixes the word order and may hold words no topic uses; by default words are
        numbered in order of first appearance.
    topic_weights : array-like of shape (n_topics,), default=None
        The share of each topic, the same in every document. Default uniform. Not with
        ``doc_topic_prior``.
    doc_topic_prior : float or array-like of shape (n_topics,), default=None
        The Dirichlet parameter alpha (> 0) each document's proportions are drawn from; a
        float is the same for every topic. ``None``: every document uses ``topic_weights``.
    doc_length : int, frozen scipy.stats discrete distribution or array-like of int, default=20
        Every document's length: fixed, drawn from the distribution (e.g.
        ``scipy.stats.poisson(100)``), or drawn with replacement from the array.
    random_state : None, int, RandomState, Generator or SeedSequence, default=None
        Seeds the stream ``sample`` continues.
    backend : {"gensim", "sklearn"}, default="gensim"
        The topic model that learns the topics when ``fit`` gets data.
    passes : int, default=20
        Passes over the corpus when fitting to data (gensim ``passes``, sklearn ``max_iter``):
        on the bars (alpha = 1) 10 passes left every topic blurred, 20 found them.
    iterations : int, default=100
        Inference iterations per document when fitting to data (gensim ``iterations``,
        sklearn ``max_doc_update_iter``).
    chunksize : int, default=100
        Documents per online update when fitting to data (gensim ``chunksize``, sklearn
        ``batch_size``); gensim's own default, the whole corpus, makes one update per pass.
    n_init : int, default=5
        Fits from independent seeds when fitting to data; the one with the best variational
        bound is kept. On the bars (alpha = 1) a single 20-pass gensim run lost a topic in 5
        of 10 runs, and the bound ranked the runs that found them all first. sklearn cannot
        learn alpha during a fit, so ``backend="sklearn"`` makes one more fit first, with a
        flat prior (alpha = 1), and its restarts use the alpha estimated from it (at most 1).

    Attributes
    ----------
    vocabulary_ : ndarray of shape (n_words,)
        The words (``str`` objects).
    topic_word_ : ndarray of shape (n_topics, n_words)
        Every topic's word distribution; rows sum to 1.
    topic_names_ : list of str
        Dict keys, or ``"topic_0"``, ``"topic_1"``, ...
    topic_weights_ : ndarray of shape (n_topics,)
        The expected share of each topic (``doc_topic_prior_`` normalised in LDA mode).
    doc_topic_prior_ : ndarray of shape (n_topics,) or None
        The Dirichlet parameter, or None for the same mixture in every document.
    doc_length_ : int, frozen distribution or ndarray of int
        The length distribution documents are drawn from.
    n_topics_ : int
        The number of topics.
    model_ : object
        The fitted backend model (only after fitting to data).

    Examples
    --------
    >>> from skmix import TopicMixtureGenerator
    >>> from skmix.datasets import worksheet_topics
    >>> generator = TopicMixtureGenerator(worksheet_topics(), doc_length=8, random_state=0)
    >>> corpus = generator.fit().sample(100)
    >>> generator.topic_names_
    ['birthday', 'lord_of_the_rings']
    >>> len(corpus), len(corpus[0])
    (100, 8)
    >>> set(corpus[0]) <= set(generator.vocabulary_)
    True
    >>> lda = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.5).fit()
    >>> lda.sample(3, random_state=1).doc_topic.shape
    (3, 2)
    """

    _parameter_constraints: ClassVar[dict] = {
        "topics": "no_validation",
        "n_topics": [IntervalNotBool(numbers.Integral, 1, None, closed="left"), None],
        "vocabulary": "no_validation",
        "topic_weights": "no_validation",
        "doc_topic_prior": "no_validation",
        "doc_length": "no_validation",
        "random_state": "no_validation",
        "backend": [StrOptions({"gensim", "sklearn"})],
        "passes": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
        "iterations": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
        "chunksize": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
        "n_init": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        topics=None,
        *,
        n_topics=None,
        vocabulary=None,
        topic_weights=None,
        doc_topic_prior=None,
        doc_length=20,
        random_state=None,
        backend="gensim",
        passes=20,
        iterations=100,
        chunksize=100,
        n_init=5,
    ):
        self.topics = topics
        self.n_topics = n_topics
        self.vocabulary = vocabulary
        self.topic_weights = topic_weights
        self.doc_topic_prior = doc_topic_prior
        self.doc_length = doc_length
        self.random_state = random_state
        self.backend = backend
        self.passes = passes
        self.iterations = iterations
        self.chunksize = chunksize
        self.n_init = n_init

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Set up the generator from ``topics`` (X is None) or learn it from a corpus X.

        Parameters
        ----------
        X : None, iterable of list of str, or sparse matrix of shape (n_documents, n_words)
            None: the generator is the one ``topics`` gives. A corpus: learn ``n_topics``
            topics with ``backend``, the document-topic prior and the document lengths.
        y : None
            Ignored.

        Returns
        -------
        self : TopicMixtureGenerator
        """
        seed_sequence(self.random_state)  # refuse a bad random_state before any work
        if X is None:
            self._set_from_topics()
        else:
            self._set_from_data(X)
        self._alias_tables_ = _alias_tables(self.topic_word_)
        self._init_seed()
        return self

    def _set_from_topics(self):
        if self.topics is None:
            raise ValueError("topics must be given when fit gets no data (X is None).")
        names, vocabulary, topic_word = _parse_topics(self.topics, self.vocabulary)
        if self.n_topics is not None and self.n_topics != len(names):
            raise ValueError(f"n_topics={self.n_topics} but topics holds {len(names)} topics.")
        if self.topic_weights is not None and self.doc_topic_prior is not None:
            raise ValueError(
                "give topic_weights (one mixture for every document) or doc_topic_prior "
                "(a Dirichlet draw per document), not both."
            )
        self.doc_topic_prior_ = _check_prior(self.doc_topic_prior, len(names))
        self._set_truth(vocabulary, topic_word, names, self._weights(len(names)))
        self._set_lengths(self.doc_length)

    def _weights(self, n_topics):
        if self.doc_topic_prior_ is not None:
            return self.doc_topic_prior_ / self.doc_topic_prior_.sum()
        if self.topic_weights is None:
            return np.full(n_topics, 1.0 / n_topics)
        return check_probability_vector(self.topic_weights, "topic_weights", size=n_topics)

    def _set_from_data(self, X):
        from ._topic_fit import fit_topic_model

        result = fit_topic_model(
            X,
            n_topics=self.n_topics,
            vocabulary=self.vocabulary,
            backend=self.backend,
            passes=self.passes,
            iterations=self.iterations,
            chunksize=self.chunksize,
            n_init=self.n_init,
            seed=seed_sequence(self.random_state),
        )
        self.doc_topic_prior_ = np.asarray(result.doc_topic_prior, dtype=float)
        self._set_truth(
            np.asarray(result.vocabulary, dtype=object),
            np.asarray(result.topic_word, dtype=float),
            list(result.topic_names),
            np.asarray(result.topic_weights, dtype=float),
        )
        self._set_lengths(np.asarray(result.doc_lengths, dtype=np.int64))
        self.model_ = result.model

    def _set_truth(self, vocabulary, topic_word, names, weights):
        self.vocabulary_, self.topic_word_, self.topic_names_ = vocabulary, topic_word, names
        self.topic_weights_ = weights
        self.n_topics_ = len(names)

    def _set_lengths(self, doc_length):
        self._length_kind_ = _length_kind(doc_length)
        self.doc_length_ = _LENGTH_CHECKS[self._length_kind_](doc_length)

    def _bytes_per_sample(self):
        # a token: its int32 id and small-int topic; a document: its offset and proportions
        mean_length = _LENGTH_MEANS[self._length_kind_](self.doc_length_)
        return mean_length * 6 + 8 * (1 + self.n_topics_)

    def _working_bytes(self, n_samples=None):
        """Memory drawing holds besides the output: one piece of a block at a time (see
        :func:`_block_pieces`), whose tokens take about 37 bytes each at the peak of drawing
        (tracemalloc, 1,000 documents of 2,000 and 5,000 words; 5 of them are the output's)."""
        mean_length = self._mean_length()
        piece = max(mean_length, min(_BLOCK_SIZE * mean_length, MIN_TOKENS))
        return piece * _DRAWING_BYTES_PER_TOKEN

    def _mean_length(self):
        return _LENGTH_MEANS[self._length_kind_](self.doc_length_)

    def _docs_per_piece(self):
        """Documents of about ``MIN_TOKENS`` tokens in all (a block's, at most): what a task
        writing a file draws at a time, so that its memory follows its output."""
        return int(min(_BLOCK_SIZE, max(1, MIN_TOKENS // max(self._mean_length(), 1))))

    def _sample(self, n_samples, seed):
        """Draw ``n_samples`` documents; returns a :class:`SampledCorpus`."""
        return self._draw_documents(seed, 0, n_samples)

    def _block_plan(self, root, block):
        """Block ``block``'s generator and documents' lengths, proportions and topic counts."""
        rng = _block_rng(root, block)
        lengths = _LENGTH_DRAWS[self._length_kind_](self.doc_length_, rng, _BLOCK_SIZE)
        if self.doc_topic_prior_ is None:
            doc_topic = np.tile(self.topic_weights_, (_BLOCK_SIZE, 1))
        else:
            doc_topic = rng.dirichlet(self.doc_topic_prior_, size=_BLOCK_SIZE)
        return rng, lengths, doc_topic, rng.multinomial(lengths, doc_topic)

    def _draw_block(self, root, block):
        """Draw block ``block`` (``_BLOCK_SIZE`` documents) of the corpus seeded by ``root``."""
        return self._whole_block(*self._block_plan(root, block))

    def _draw_block_range(self, root, block, start, stop):
        """Documents ``start`` to ``stop - 1`` of block ``block``: ``(corpus, first document)``.

        A block of fewer than ``MIN_TOKENS`` tokens is drawn whole (the corpus holds all its
        documents, the first is 0); a larger one draws only the documents asked for, in pieces
        of about ``MIN_TOKENS`` tokens, so that memory follows the output (see _block_part).
        """
        rng, lengths, doc_topic, counts = self._block_plan(root, block)
        if lengths.sum() < MIN_TOKENS:
            return self._whole_block(rng, lengths, doc_topic, counts), 0
        state = rng.bit_generator.state
        pieces = []
        for a, b in _pieces(lengths, start, stop):
            rng.bit_generator.state = state
            lookup = partial(_look_up_words, self._alias_tables_)
            words, topics = draw_part(rng, counts, a, b, lookup, _DOC_BITS)
            pieces.append(self._corpus(words, lengths[a:b], topics, doc_topic[a:b]))
        return SampledCorpus.concatenate(pieces), start

    def _corpus(self, words, lengths, topics, doc_topic):
        return SampledCorpus(
            words,
            np.concatenate([[0], np.cumsum(lengths)]),
            topics,
            doc_topic,
            self.topic_word_,
            self.vocabulary_,
            self.topic_names_,
        )

    def _whole_block(self, rng, lengths, doc_topic, counts):
        topic_counts = counts.sum(axis=0)
        # tokens topic after topic (topic k's tokens of document 0, 1, ...)
        words = _draw_words(self._alias_tables_, topic_counts, rng)
        topic_ids = np.arange(self.n_topics_, dtype=np.min_scalar_type(self.n_topics_ - 1))
        topics = np.repeat(topic_ids, topic_counts)
        docs = np.repeat(np.tile(np.arange(_BLOCK_SIZE), self.n_topics_), counts.T.ravel())
        # shuffled within documents: grouped by topic, the token order would give the truth away
        order = _document_order(docs, rng)
        return self._corpus(words[order], lengths, topics[order], doc_topic)

    def _draw_documents(self, root, start, stop, *, cache=None):
        """Documents ``start`` to ``stop - 1`` of the corpus seeded by ``root``.

        Draws only the blocks that overlap the range (of a large block, only the documents
        in the range) and slices them. ``cache``, a dict, keeps the last whole block drawn
        between calls over consecutive ranges (``iter_sample``).
        """
        first, last = start // _BLOCK_SIZE, (stop - 1) // _BLOCK_SIZE
        parts = [
            self._cached_block(root, b, start - b * _BLOCK_SIZE, stop - b * _BLOCK_SIZE, cache)
            for b in range(first, last + 1)
        ]
        return parts[0] if len(parts) == 1 else SampledCorpus.concatenate(parts)

    def _cached_block(self, root, block, start, stop, cache):
        """Documents ``start`` to ``stop - 1`` of block ``block`` (clipped to the block)."""
        start, stop = max(start, 0), min(stop, _BLOCK_SIZE)
        if cache is not None and block in cache:
            return cache[block][start:stop]
        corpus, first = self._draw_block_range(root, block, start, stop)
        if cache is not None and first == 0 and len(corpus) == _BLOCK_SIZE:
            cache.clear()
            cache[block] = corpus
        return corpus[start - first : stop - first]

    def _iter_documents(self, root, n_samples, chunk_size):
        """Yield the corpus seeded by ``root`` as consecutive chunks of ``chunk_size`` documents."""
        cache = {}
        for start in range(0, n_samples, chunk_size):
            yield self._draw_documents(root, start, min(start + chunk_size, n_samples), cache=cache)

    def _check_stream_args(self, n_samples, chunk_size, random_state):
        """Validate a streaming call; return ``(n_samples, chunk_size, root seed)``.

        ``n_samples`` may exceed memory (only a chunk is held); the chunk must fit.
        """
        check_is_fitted(self)
        n_samples = check_positive_int(n_samples, "n_samples")
        chunk_size = check_n_samples(chunk_size, self._bytes_per_sample(), name="chunk_size")
        return n_samples, chunk_size, self._call_seed(random_state)

    def iter_sample(self, n_samples, *, chunk_size=_BLOCK_SIZE, random_state=None):
        """Draw ``n_samples`` documents as consecutive :class:`SampledCorpus` chunks.

        Memory is bounded by a chunk (and one block of 1,000 documents); the chunks joined
        are the documents ``sample(n_samples, random_state=random_state)`` gives, for any
        ``chunk_size``.

        Parameters
        ----------
        n_samples : int
            The number of documents in all.
        chunk_size : int, default=1000
            Documents per chunk (the last may be shorter).
        random_state : None, int, RandomState, Generator or SeedSequence, default=None
            As for ``sample``.

        Returns
        -------
        chunks : iterator of SampledCorpus

        Examples
        --------
        >>> from skmix import TopicMixtureGenerator
        >>> from skmix.datasets import worksheet_topics
        >>> generator = TopicMixtureGenerator(worksheet_topics()).fit()
        >>> [len(chunk) for chunk in generator.iter_sample(10, chunk_size=4)]
        [4, 4, 2]
        """
        n_samples, chunk_size, root = self._check_stream_args(n_samples, chunk_size, random_state)
        return self._iter_documents(root, n_samples, chunk_size)

    def stream(self, n_samples, *, chunk_size=_BLOCK_SIZE, random_state=None, format="tokens"):
        """A re-iterable corpus of ``n_samples`` documents, drawn again on every pass.

        Every pass yields the same documents (those of ``sample(n_samples,
        random_state=...)``) and holds only one chunk in memory, so gensim's ``LdaModel`` can
        make many passes over a corpus larger than memory.

        Parameters
        ----------
        n_samples : int
            The number of documents a pass yields (``len`` of the stream).
        chunk_size : int, default=1000
            Documents drawn at a time.
        random_state : None, int, RandomState, Generator or SeedSequence, default=None
            As for ``sample``; fixed at this call, so every pass is the same.
        format : {"tokens", "bow"}, default="tokens"
            ``"tokens"``: ``list[str]`` documents; ``"bow"``: gensim bag-of-words with ids in
            ``vocabulary_`` order (the stream's ``id2word`` names them).

        Returns
        -------
        corpus : CorpusStream

        Examples
        --------
        >>> from skmix import TopicMixtureGenerator
        >>> from skmix.datasets import worksheet_topics
        >>> generator = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.5).fit()
        >>> corpus = generator.stream(2500, chunk_size=500, random_state=0, format="bow")
        >>> len(corpus), list(corpus) == list(corpus)
        (2500, True)
        """
        if not isinstance(format, str) or format not in STREAM_FORMATS:
            raise ValueError(f"format must be one of {list(STREAM_FORMATS)}, got {format!r}.")
        n_samples, chunk_size, root = self._check_stream_args(n_samples, chunk_size, random_state)
        chunks = partial(self._iter_documents, root, n_samples, chunk_size)
        return CorpusStream(
            chunks, n_samples, format, self.vocabulary_, self.topic_word_, self.topic_names_
        )

    def to_bag(self, n_samples, *, npartitions, random_state=None):
        """A ``dask.bag.Bag`` of ``n_samples`` token lists, drawn where the bag is computed.

        Needs the ``dask`` extra (``pip install 'skmix[dask]'``). Each of the ``npartitions``
        partitions is one task drawing a contiguous range of documents from its blocks of the
        seed scheme, so the computed bag holds the documents of ``sample(n_samples,
        random_state=random_state)``, in order, under any scheduler (threads, processes,
        ``dask.distributed``) and for any ``npartitions``. A partition should hold well over
        1,000 documents (a block): a block cut by a partition boundary is drawn by both sides.

        Parameters
        ----------
        n_samples : int
            The number of documents (they need not fit in one machine's memory).
        npartitions : int
            The number of partitions (tasks), of equal size within one document; at most
            ``n_samples`` (as ``dask.bag.from_sequence``: no partition is empty).
        random_state : None, int, RandomState, Generator or SeedSequence, default=None
            As for ``sample``; fixed at this call, so computing the bag twice gives the same
            documents.

        Returns
        -------
        bag : dask.bag.Bag
            Of ``list[str]`` documents.

        Examples
        --------
        >>> from skmix import TopicMixtureGenerator
        >>> from skmix.datasets import worksheet_topics
        >>> generator = TopicMixtureGenerator(worksheet_topics()).fit()
        >>> bag = generator.to_bag(3000, npartitions=3, random_state=0)
        >>> bag.compute(scheduler="threads") == list(generator.sample(3000, random_state=0))
        True
        """
        from ._generate import corpus_bag

        return corpus_bag(self, n_samples, npartitions=npartitions, random_state=random_state)
