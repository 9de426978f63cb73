"""The seed scheme and the drawing steps every block of documents goes through.

Seed scheme (a promise, as numpy's stream policy is): documents are drawn in fixed blocks of
``_BLOCK_SIZE`` documents. Each call (``sample``, ``iter_sample``, ``stream``) has one root
``numpy.random.SeedSequence``; block ``b`` (documents ``b * _BLOCK_SIZE`` to
``(b + 1) * _BLOCK_SIZE - 1``) is drawn by
``np.random.default_rng(np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key + (b,),
pool_size=root.pool_size))``, the root's ``b``-th child. So the documents of one seed never
depend on the chunk size, the number of jobs or partitions, or which machine drew which block.
They may change between numpy versions (numpy's own stream policy).
"""

from functools import partial
from itertools import pairwise

import numpy as np

from ._block_part import MIN_TOKENS, draw_part
from ._corpus import SampledCorpus
from .processes import new_word_prefix

#: Documents per block of the seed scheme; fixed, so the corpus of a seed never changes.
_BLOCK_SIZE = 1000


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


def _pieces(lengths, start, stop):
    """``(a, b)`` runs of documents from ``start`` to ``stop - 1`` of about MIN_TOKENS tokens
    each (at least one document)."""
    ends = np.cumsum(lengths[start:stop])
    cuts = np.unique(np.searchsorted(ends, np.arange(MIN_TOKENS, ends[-1], MIN_TOKENS)))
    bounds = [start, *(start + cuts + 1).tolist(), stop]
    return [(a, b) for a, b in pairwise(bounds) if a < b]


#: Bytes a token takes while it is drawn, besides its place in the output (working_bytes).
_BYTES_PER_TOKEN = 40


#: The topic of a background token and of a new word in ``token_topics``.
BACKGROUND_TOPIC, NEW_WORD_TOPIC = -1, -2


def _bursty_words(tables, counts, kappa, extra_counts, rng):
    """Words of the tokens of ``counts`` (documents x topics), each topic bursty in each document.

    The Dirichlet compound multinomial: a document's own version of topic ``k`` is
    p ~ Dirichlet(kappa * phi_k), and its tokens of topic ``k`` are drawn from p. Integrated
    over p, that is Polya's urn: the ``i``-th token (from 0) of a (document, topic) group is a
    fresh draw from phi_k with probability ``kappa / (kappa + i)``, else a copy of one of the
    ``i`` tokens before it, chosen uniformly. So: one uniform per token decides fresh or copy
    and, when it copies, which earlier token; fresh words come from the alias tables at once
    (with ``extra_counts`` more words from the tables after the topics', e.g. the
    background's); copies follow their chain of copies to a fresh token by pointer jumping
    (a few vectorised rounds: chains are about ``log`` of the group size long).

    Returns the topics' words (topic after topic, document after document) and the extra words.
    """
    group_sizes = counts.T.ravel()
    starts = np.repeat(np.cumsum(group_sizes) - group_sizes, group_sizes)
    position = np.arange(starts.size) - starts
    u = rng.random(starts.size)
    u *= kappa + position
    u -= kappa  # below 0: fresh; else copy token floor(u) of the group
    fresh = u < 0
    topic = np.repeat(np.arange(counts.shape[1]), counts.sum(axis=0))
    fresh_counts = np.bincount(topic[fresh], minlength=counts.shape[1])
    drawn = _draw_words(tables, np.concatenate([fresh_counts, extra_counts]), rng)
    n_fresh = int(fresh_counts.sum())
    words = np.empty(starts.size, dtype=drawn.dtype)
    words[fresh] = drawn[:n_fresh]
    parent = np.arange(starts.size)
    copies = np.flatnonzero(~fresh)
    parent[copies] = starts[copies] + u[copies].astype(np.int64)
    pending = copies[~fresh[parent[copies]]]
    while pending.size:
        parent[pending] = parent[parent[pending]]
        pending = pending[~fresh[parent[pending]]]
    words[copies] = words[parent[copies]]
    return words, drawn[n_fresh:]


class DocumentBlocks:
    """What drawing a fitted generator's documents needs, and the drawing itself.

    Small and picklable: worker processes and Dask tasks get this, never the generator.

    Parameters
    ----------
    topic_word : ndarray of shape (n_topics, n_words)
    vocabulary : ndarray of shape (n_words,)
    topic_names : list of str
    lengths : object
        A length law of :mod:`skmix.processes`: ``draw(rng, n_documents)`` gives lengths.
    doc_topic : object
        A document-topic process: ``draw(rng, n_documents)`` gives (n_documents, n_topics).
    background : ndarray of shape (n_words,) or None
        The background's word distribution.
    background_rate : float
        The share of tokens drawn from the background.
    burstiness : float or None
        The DCM's kappa: each document draws each topic from Dirichlet(kappa * phi_k).
    new_words : object or None
        An open vocabulary (e.g. :class:`~skmix.processes.ZipfTail`): ``rate`` and
        ``draw(rng, n_tokens)`` giving ranks from 1.
    """

    def __init__(self, topic_word, vocabulary, topic_names, lengths, doc_topic, *,
                 background=None, background_rate=0.0, burstiness=None, new_words=None):
        self.topic_word, self.vocabulary, self.topic_names = topic_word, vocabulary, topic_names
        self.lengths, self.doc_topic = lengths, doc_topic
        self.background, self.background_rate = background, background_rate
        self.burstiness, self.new_words = burstiness, new_words
        rows = topic_word if background is None else np.vstack([topic_word, background])
        self.tables = _alias_tables(rows)
        self.new_word_prefix = None if new_words is None else new_word_prefix(vocabulary)
        n_topics = len(topic_names)
        labels = [np.arange(n_topics)]
        labels += [] if background is None else [[BACKGROUND_TOPIC]]
        labels += [] if new_words is None else [[NEW_WORD_TOPIC]]
        plain = len(labels) == 1
        dtype = np.min_scalar_type(n_topics - 1 if plain else -max(n_topics, 2))
        self.labels = np.concatenate(labels).astype(dtype)
        self.plain = plain and burstiness is None


    def check_fixed_vocabulary(self, what):
        """Refuse ``what`` (an output with one column per word) with an open vocabulary."""
        if self.new_words is not None:
            raise ValueError(
                f"{what} needs a fixed vocabulary (one id per word), but new_words adds words "
                "as documents are drawn; use token lists (format 'txt' or 'jsonl', or "
                "format='tokens') and a gensim Dictionary."
            )

    def _sources(self, doc_topic):
        """Each document's shares of its token sources: topics, then background, new words."""
        extra = [] if self.background is None else [self.background_rate]
        extra += [] if self.new_words is None else [self.new_words.rate]
        if not extra:
            return doc_topic
        shares = np.empty((doc_topic.shape[0], doc_topic.shape[1] + len(extra)))
        shares[:, : doc_topic.shape[1]] = doc_topic * (1 - sum(extra))
        shares[:, doc_topic.shape[1] :] = extra
        return shares

    def _words(self, counts, rng):
        """The words of every source's tokens: source after source, document after document."""
        n_topics = len(self.topic_names)
        source_counts = counts.sum(axis=0)
        n_tabled = n_topics + (self.background is not None)
        if self.burstiness is None:
            words = [_draw_words(self.tables, source_counts[:n_tabled], rng)]
        else:
            extra = source_counts[n_topics:n_tabled]
            words = list(_bursty_words(self.tables, counts[:, :n_topics], self.burstiness,
                                       extra, rng))
        if self.new_words is not None:
            ranks = self.new_words.draw(rng, int(source_counts[-1]))
            words.append(len(self.vocabulary) + ranks - 1)
        return words[0] if len(words) == 1 else np.concatenate(words)

    def _named(self, words):
        """``(ids, vocabulary)``: new words (ids past the vocabulary) named and numbered."""
        if self.new_words is None:
            return words, self.vocabulary
        n_words = len(self.vocabulary)
        new = words >= n_words
        ranks, inverse = np.unique(words[new] - n_words + 1, return_inverse=True)
        names = np.array([f"{self.new_word_prefix}{r}" for r in ranks.tolist()], dtype=str)
        order = np.argsort(names)  # new words sorted by name, as _merge_vocabularies keeps them
        words[new] = n_words + np.argsort(order)[inverse]
        return words, np.concatenate([self.vocabulary, names[order].astype(object)])

    def _plan(self, root, block):
        """Block ``block``'s generator and documents' lengths, proportions and topic counts."""
        rng = _block_rng(root, block)
        lengths = self.lengths.draw(rng, _BLOCK_SIZE)
        doc_topic = self.doc_topic.draw(rng, _BLOCK_SIZE)
        return rng, lengths, doc_topic, rng.multinomial(lengths, self._sources(doc_topic))

    def block(self, root, block):
        """Draw block ``block`` (``_BLOCK_SIZE`` documents) of the corpus seeded by ``root``."""
        return self._whole_block(*self._plan(root, block))

    def block_range(self, root, block, start, stop):
        """Documents ``start`` to ``stop - 1`` of block ``block``: ``(corpus, first document)``.

        A block of fewer than ``MIN_TOKENS`` tokens is drawn whole (the corpus holds all its
        documents, the first is 0); a larger one draws only the documents asked for, in pieces
        of about ``MIN_TOKENS`` tokens, so that memory follows the output (see _block_part).
        """
        rng, lengths, doc_topic, counts = self._plan(root, block)
        if lengths.sum() < MIN_TOKENS or not self.plain:
            # realism changes the stream's layout that drawing in parts relies on
            return self._whole_block(rng, lengths, doc_topic, counts), 0
        state = rng.bit_generator.state
        lookup = partial(_look_up_words, self.tables)
        pieces = []
        for a, b in _pieces(lengths, start, stop):
            rng.bit_generator.state = state
            words, topics = draw_part(rng, counts, a, b, lookup, _DOC_BITS)
            pieces.append(self._corpus(words, lengths[a:b], topics, doc_topic[a:b]))
        return SampledCorpus.concatenate(pieces), start

    def working_bytes(self):
        """Memory drawing holds besides the output: one piece of a block at a time, whose
        tokens take about 37 bytes each at the peak of drawing (tracemalloc, 1,000 documents
        of 2,000 and 5,000 words; 5 of them are the output's)."""
        mean_length = self.lengths.mean()
        return max(mean_length, min(_BLOCK_SIZE * mean_length, MIN_TOKENS)) * _BYTES_PER_TOKEN

    def docs_per_piece(self):
        """Documents of about ``MIN_TOKENS`` tokens in all (a block's, at most): what a task
        writing a file draws at a time, so that its memory follows its output."""
        return int(min(_BLOCK_SIZE, max(1, MIN_TOKENS // max(self.lengths.mean(), 1))))

    def _corpus(self, words, lengths, topics, doc_topic, vocabulary=None):
        return SampledCorpus(
            words,
            np.concatenate([[0], np.cumsum(lengths)]),
            topics,
            doc_topic,
            self.topic_word,
            self.vocabulary if vocabulary is None else vocabulary,
            self.topic_names,
        )

    def _whole_block(self, rng, lengths, doc_topic, counts):
        # tokens source after source (topic k's tokens of document 0, 1, ...)
        words = self._words(counts, rng)
        topics = np.repeat(self.labels, counts.sum(axis=0))
        docs = np.repeat(np.tile(np.arange(_BLOCK_SIZE), counts.shape[1]), counts.T.ravel())
        # shuffled within documents: grouped by topic, the token order would give the truth away
        order = _document_order(docs, rng)
        ids, vocabulary = self._named(words[order])
        return self._corpus(ids, lengths, topics[order], doc_topic, vocabulary)

    def documents(self, root, start, stop, *, cache=None):
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
        corpus, first = self.block_range(root, block, start, stop)
        if cache is not None and first == 0 and len(corpus) == _BLOCK_SIZE:
            cache.clear()
            cache[block] = corpus
        return corpus[start - first : stop - first]

    def chunks(self, root, n_samples, chunk_size):
        """Yield the corpus seeded by ``root`` as consecutive chunks of ``chunk_size`` documents."""
        cache = {}
        for start in range(0, n_samples, chunk_size):
            yield self.documents(root, start, min(start + chunk_size, n_samples), cache=cache)
