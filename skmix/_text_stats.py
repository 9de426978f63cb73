"""Statistics that tell real text from a plain topic-model sample.

Measured on real corpora (gensim's test data), a plain LDA look-alike is far less bursty than
real text, has fewer words seen once, a slower vocabulary growth and more distinct words per
document. These are the statistics, each computed from a corpus read once into word ids:

- **burstiness**: of the occurrences of the ``top_n`` most frequent words, the share that
  repeat a word already used in the same document, ``sum(count - document frequency) /
  sum(count)``;
- **Heaps beta**: the slope of log(distinct words) against log(tokens read), tokens in corpus
  order, fitted by least squares over 20 log-spaced points from 1% of the tokens on;
- **hapax share**: the share of the distinct words that occur exactly once;
- **distinct words per document**: the mean over documents of distinct words / tokens
  (type/token ratio; documents of one token or none left out);
- **vocabulary size**: the number of distinct words.
"""

from dataclasses import dataclass

import numpy as np

from ._corpus import SampledCorpus
from ._topic_fit import read_token_lists

__all__ = ["TextStatistics", "text_statistics", "word_ids"]

#: Words the burstiness is taken over: the most frequent ones, where repeats say something.
BURSTINESS_TOP_N = 200


@dataclass(frozen=True)
class TextStatistics:
    """The text statistics of one corpus (see the module docstring)."""

    burstiness: float
    heaps_beta: float
    hapax_share: float
    distinct_per_document: float
    vocabulary_size: int

    def as_dict(self):
        """The statistics by name."""
        return dict(self.__dict__)


def word_ids(corpus, name="corpus"):
    """Read a corpus once: ``(ids, offsets, words)``, ``words[ids]`` the tokens in order.

    ``corpus`` is a :class:`~skmix.SampledCorpus` (read without building strings) or an
    iterable of token lists.
    """
    if isinstance(corpus, SampledCorpus):
        return corpus.token_ids.values, corpus.token_ids.offsets, corpus.vocabulary.astype(str)
    tokens, lengths = read_token_lists(corpus, name)
    words, ids = np.unique(np.array(tokens, dtype=str), return_inverse=True)
    return ids, np.concatenate([[0], np.cumsum(lengths)]), words


def text_statistics(ids, offsets, top_n=BURSTINESS_TOP_N):
    """The :class:`TextStatistics` of the corpus whose word ids are ``ids`` cut by ``offsets``.

    Examples
    --------
    >>> import numpy as np
    >>> ids, offsets = np.array([0, 0, 1, 0, 2]), np.array([0, 3, 5])
    >>> stats = text_statistics(ids, offsets)
    >>> round(stats.burstiness, 3), stats.hapax_share, stats.vocabulary_size
    (0.2, 0.6666666666666666, 3)
    """
    ids = np.asarray(ids, dtype=np.int64)
    offsets = np.asarray(offsets, dtype=np.int64)
    docs = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    counts = np.bincount(ids)
    pairs = np.unique(docs * counts.size + ids)  # the (document, word) pairs that occur
    document_frequency = np.bincount(pairs % counts.size, minlength=counts.size)
    return TextStatistics(
        burstiness=_burstiness(counts, document_frequency, top_n),
        heaps_beta=heaps_beta(ids),
        hapax_share=float(np.mean(counts[counts > 0] == 1)),
        distinct_per_document=_distinct_per_document(pairs // counts.size, offsets),
        vocabulary_size=int(np.count_nonzero(counts)),
    )


def _burstiness(counts, document_frequency, top_n):
    top = np.argsort(-counts, kind="stable")[:top_n]
    return float(1 - document_frequency[top].sum() / counts[top].sum())


def _distinct_per_document(pair_docs, offsets):
    lengths = np.diff(offsets)
    distinct = np.bincount(pair_docs, minlength=lengths.size)
    kept = lengths > 1
    return float(np.mean(distinct[kept] / lengths[kept]))


def heaps_beta(ids):
    """The Heaps exponent of the token stream ``ids``: slope of log V(n) against log n.

    Examples
    --------
    >>> round(heaps_beta(np.arange(10_000)), 3)  # every token a new word
    1.0
    """
    ids = np.asarray(ids)
    _, first = np.unique(ids, return_index=True)
    first.sort()
    n = np.unique(np.geomspace(max(ids.size // 100, 1), ids.size, 20).astype(np.int64))
    distinct = np.searchsorted(first, n, side="left")
    return float(np.polyfit(np.log(n), np.log(distinct), 1)[0])


#: Words the structure statistic is taken over: present in this range of shares of documents.
_PRESENCE_RANGE = (0.02, 0.9)


def co_occurrence(ids, offsets, top_n=BURSTINESS_TOP_N, words=None):
    """How much more than chance different words share documents: the trace of topics.

    Over the ``top_n`` most frequent words present in 2% to 90% of the documents (or the
    given ``words``): the mean absolute correlation between two words' presence in
    documents, after each document's number of such words is partialled out (longer
    documents hold more of every word), as a multiple of its expectation when words are
    independent, ``sqrt(2 / (pi (n - 2)))``. Presence, not counts, so that a word repeating
    (burstiness) adds nothing.
    """
    if words is None:
        words = _structure_words(ids, offsets, top_n)
    column = np.full(max(int(ids.max(initial=0)), int(words.max(initial=0))) + 1, -1)
    column[words] = np.arange(words.size)
    kept = column[ids] >= 0
    docs = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    presence = np.zeros((offsets.size - 1, words.size))
    presence[docs[kept], column[ids[kept]]] = 1
    n_docs, n_words = presence.shape
    if n_words < 2 or n_docs < 3:
        return np.nan
    design = np.column_stack([np.ones(n_docs), presence.sum(axis=1)])
    residuals = presence - design @ np.linalg.lstsq(design, presence, rcond=None)[0]
    norms = np.linalg.norm(residuals, axis=0)
    residuals = residuals[:, norms > 0] / norms[norms > 0]
    correlation = residuals.T @ residuals
    pairs = np.triu_indices(correlation.shape[0], 1)
    return float(np.mean(np.abs(correlation[pairs])) / np.sqrt(2 / (np.pi * (n_docs - 2))))


def _structure_words(ids, offsets, top_n):
    """The ``top_n`` most frequent words present in 2% to 90% of the documents."""
    docs = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    counts = np.bincount(ids)
    presence = np.bincount(np.unique(docs * counts.size + ids) % counts.size,
                           minlength=counts.size) / (offsets.size - 1)
    usable = (presence > _PRESENCE_RANGE[0]) & (presence < _PRESENCE_RANGE[1])
    order = np.argsort(-counts, kind="stable")
    return order[usable[order]][:top_n]


#: Shuffles of a corpus whose co-occurrence is its baseline in :func:`topic_structure`.
_N_SHUFFLES = 4


def topic_structure(ids, offsets, seed=0):
    """:func:`co_occurrence` beyond that of the same tokens shuffled across documents.

    Returns ``(structure, noise)``: the excess over the mean of 4 shuffles (seeded by
    ``seed``), near 0 for a corpus without topics (shuffled, or drawn from one topic) and
    positive for text whose documents are about different things; and the standard deviation
    of the shuffles' co-occurrence, the scale of chance.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ids = np.concatenate([rng.integers(0, 10, 20) + 10 * (d % 2) for d in range(200)])
    >>> offsets = np.arange(0, 4001, 20)  # 200 documents, each from one of two topics
    >>> structure, noise = topic_structure(ids, offsets)
    >>> bool(structure > 100 * noise)
    True
    """
    rng = np.random.default_rng(seed)
    words = _structure_words(ids, offsets, BURSTINESS_TOP_N)
    null = [co_occurrence(rng.permutation(ids), offsets, words=words) for _ in range(_N_SHUFFLES)]
    return co_occurrence(ids, offsets, words=words) - float(np.mean(null)), float(
        np.std(null, ddof=1))
