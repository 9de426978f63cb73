"""Sampled corpora: compact token ids with their ground truth, conversions and file writers.

A :class:`SampledCorpus` keeps its documents as one flat integer array of token ids plus
document offsets (and the topic of every token as a small integer array beside them). Token
lists of ``str`` are built only when documents are read, and the gensim bag-of-words, gensim
``Dictionary`` and scipy CSR conversions are computed straight from the integer ids.

Files are written by :mod:`skmix._formats`.
"""

import gc
import numbers
from contextlib import contextmanager
from functools import lru_cache
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

__all__ = [
    "STREAM_FORMATS",
    "CorpusStream",
    "RaggedArray",
    "SampledCorpus",
]

# Documents are turned into str lists this many at a time, so reading a huge corpus never
# holds every token as a Python object at once.
_DOCS_PER_BATCH = 1000


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while millions of small lists and tuples are built.

    They hold no cycles, but each allocation counts towards a collection, and the collections
    repeatedly scan them: building a large corpus's documents took about 3x longer with it on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class RaggedArray:
    """A flat array cut into rows by offsets: ``ragged[d]`` is row ``d`` (a view).

    Parameters
    ----------
    values : ndarray of shape (n_values,)
        The rows, one after the other.
    offsets : ndarray of shape (n_rows + 1,)
        Row ``d`` is ``values[offsets[d]:offsets[d + 1]]``; ``offsets[0] == 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmix._corpus import RaggedArray
    >>> ragged = RaggedArray(np.array([3, 1, 4, 1, 5]), np.array([0, 2, 2, 5]))
    >>> ragged[2]
    array([4, 1, 5])
    >>> len(ragged), ragged.lengths.tolist()
    (3, [2, 0, 3])
    """

    def __init__(self, values, offsets):
        self.values = values
        self.offsets = offsets

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, index):
        d = _check_index(index, len(self))
        return self.values[self.offsets[d] : self.offsets[d + 1]]

    def __iter__(self):
        return (self[d] for d in range(len(self)))

    @property
    def lengths(self):
        """ndarray of shape (n_rows,): the length of every row."""
        return np.diff(self.offsets)

    def __repr__(self):
        return f"RaggedArray(n_rows={len(self)}, n_values={self.values.size})"


def _index_array(index):
    """A list or array of document numbers as an intp array; booleans and floats refused
    (``[True, False]`` would read as documents 1 and 0, ``[1.5]`` as document 1)."""
    array = np.asarray(index)
    if array.size and array.dtype.kind not in "iu":
        raise TypeError(
            f"documents are indexed by ints, got an array of {array.dtype} {_short_repr(index)}."
        )
    return array.astype(np.intp)


def _short_repr(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_index(index, n):
    """Return ``index`` as a non-negative int below ``n`` (negative ints count from the end)."""
    if not isinstance(index, numbers.Integral) or isinstance(index, bool):
        raise TypeError(f"documents are indexed by an int or a slice, got {index!r}.")
    d = int(index) + n if index < 0 else int(index)
    if not 0 <= d < n:
        raise IndexError(f"document index {index} out of range for {n} documents.")
    return d


class SampledCorpus:
    """A corpus drawn from a topic mixture, with the truth that made it.

    A sequence of documents, each a ``list[str]``: ``len``, iteration, ``corpus[d]`` and
    slicing (``corpus[a:b]`` is a ``SampledCorpus``), so gensim's ``Dictionary`` and
    ``LdaModel`` take it as it is. Documents are stored as integer ids into ``vocabulary`` and
    turned into strings only when read.

    Parameters
    ----------
    token_ids : ndarray of shape (n_tokens,)
        The id (index into ``vocabulary``) of every token, document after document.
    offsets : ndarray of shape (n_documents + 1,)
        Document ``d`` is ``token_ids[offsets[d]:offsets[d + 1]]``; ``offsets[0] == 0``.
    token_topics : ndarray of shape (n_tokens,)
        The topic that drew every token, aligned with ``token_ids``.
    doc_topic : ndarray of shape (n_documents, n_topics)
        The topic proportions every document was drawn with.
    topic_word : ndarray of shape (n_topics, n_words)
        The word distribution of every topic (rows sum to 1).
    vocabulary : ndarray of shape (n_words,)
        The words, as ``str``.
    topic_names : list of str
        One name per topic.

    Attributes
    ----------
    token_ids : RaggedArray
        ``token_ids[d]`` is the integer array of document ``d``'s word ids;
        ``token_ids.values`` the flat array of every token's id.
    token_topics : RaggedArray
        ``token_topics[d]`` is the integer array of the topic of each token of document ``d``.
    doc_topic, topic_word, vocabulary, topic_names
        As given.

    Examples
    --------
    >>> from skmix import TopicMixtureGenerator
    >>> from skmix.datasets import worksheet_topics
    >>> corpus = TopicMixtureGenerator(worksheet_topics(), doc_length=5).fit().sample(
    ...     3, random_state=0)
    >>> len(corpus), len(corpus[0]), corpus.topic_names
    (3, 5, ['birthday', 'lord_of_the_rings'])
    >>> all(isinstance(word, str) for word in corpus[0])
    True
    >>> corpus.token_topics[0].shape, corpus.doc_topic.shape, corpus.to_csr().shape
    ((5,), (3, 2), (3, 13))
    """

    def __init__(
        self, token_ids, offsets, token_topics, doc_topic, topic_word, vocabulary, topic_names
    ):
        offsets = np.asarray(offsets, dtype=np.int64)
        self.token_ids = RaggedArray(np.asarray(token_ids), offsets)
        self.token_topics = RaggedArray(np.asarray(token_topics), offsets)
        self.doc_topic = np.asarray(doc_topic)
        self.topic_word = topic_word
        self.vocabulary = np.asarray(vocabulary, dtype=object)
        self.topic_names = list(topic_names)

    @classmethod
    def concatenate(cls, chunks):
        """Join corpora drawn from one generator into one corpus, documents in order.

        Parameters
        ----------
        chunks : iterable of SampledCorpus
            At least one corpus; all share the first one's topics and vocabulary.

        Returns
        -------
        corpus : SampledCorpus

        Examples
        --------
        >>> from skmix import SampledCorpus, TopicMixtureGenerator
        >>> from skmix.datasets import worksheet_topics
        >>> generator = TopicMixtureGenerator(worksheet_topics()).fit()
        >>> chunks = generator.iter_sample(10, chunk_size=4, random_state=0)
        >>> joined = SampledCorpus.concatenate(chunks)
        >>> list(joined) == list(generator.sample(10, random_state=0))
        True
        """
        chunks = list(chunks)
        if not chunks:
            raise ValueError("chunks must hold at least one SampledCorpus, got none.")
        first = chunks[0]
        if any(chunk.vocabulary is not first.vocabulary for chunk in chunks):
            chunks = _with_one_vocabulary(chunks)
            first = chunks[0]
        ends = np.cumsum([0] + [chunk.n_tokens for chunk in chunks[:-1]])
        pieces = zip(chunks, ends, strict=True)
        shifted = [chunk.token_ids.offsets[1:] + end for chunk, end in pieces]
        offsets = np.concatenate([[0], *shifted])
        return cls(
            np.concatenate([chunk.token_ids.values for chunk in chunks]),
            offsets,
            np.concatenate([chunk.token_topics.values for chunk in chunks]),
            np.concatenate([chunk.doc_topic for chunk in chunks]),
            first.topic_word,
            first.vocabulary,
            first.topic_names,
        )

    def __len__(self):
        return len(self.token_ids)

    @property
    def n_tokens(self):
        """int: the number of tokens in all documents."""
        return int(self.token_ids.values.size)

    @property
    def doc_lengths(self):
        """ndarray of shape (n_documents,): the number of tokens of every document."""
        return self.token_ids.lengths

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._take(np.arange(len(self))[index], contiguous=index.step in (None, 1))
        if isinstance(index, list | np.ndarray):
            return self._take(_index_array(index), contiguous=False)
        return self.vocabulary[self.token_ids[index]].tolist()

    def __iter__(self):
        for start in range(0, len(self), _DOCS_PER_BATCH):
            yield from _documents(self[start : start + _DOCS_PER_BATCH])

    def _take(self, docs, *, contiguous):
        """The documents ``docs`` as a new corpus (views of the arrays when contiguous)."""
        offsets = self.token_ids.offsets
        if contiguous and docs.size:
            tokens = slice(offsets[docs[0]], offsets[docs[-1] + 1])
            new_offsets = offsets[docs[0] : docs[-1] + 2] - offsets[docs[0]]
            docs = slice(docs[0], docs[-1] + 1)
        else:
            docs = np.arange(len(self))[docs]  # checks the range, counts negatives from the end
            lengths = self.doc_lengths[docs]
            new_offsets = np.concatenate([[0], np.cumsum(lengths)])
            starts = np.repeat(offsets[docs] - new_offsets[:-1], lengths)
            tokens = starts + np.arange(new_offsets[-1])
        return SampledCorpus(
            self.token_ids.values[tokens],
            new_offsets,
            self.token_topics.values[tokens],
            self.doc_topic[docs],
            self.topic_word,
            self.vocabulary,
            self.topic_names,
        )

    def to_csr(self):
        """The document-term count matrix, for sklearn (e.g. ``LatentDirichletAllocation``).

        Returns
        -------
        counts : scipy.sparse.csr_matrix of shape (n_documents, n_words)
            Integer counts, column indices sorted within each row; column ``j`` is
            ``vocabulary[j]``.
        """
        n_words = len(self.vocabulary)
        step = _INT32_KEYS // n_words
        if len(self) > step:  # the keys of more documents would overflow int32
            parts = [self[a : a + step].to_csr() for a in range(0, len(self), step)]
            matrix = sp.vstack(parts, format="csr")
        else:
            entries = _count_entries(self.token_ids, n_words)
            matrix = sp.csr_matrix(entries, shape=(len(self), n_words))
        matrix.has_canonical_format = True  # sorted and summed by _count_entries
        return matrix

    def to_bow(self):
        """The documents in gensim's bag-of-words form, ids in ``vocabulary`` order.

        Returns
        -------
        bow : list of list of (int, int)
            Per document, ``(word id, count)`` pairs sorted by id, as
            ``Dictionary.doc2bow`` gives them.
        """
        counts = self.to_csr()
        with _gc_paused():
            pairs = _bow_pairs(counts).tolist()
            return [pairs[a:b] for a, b in pairwise(counts.indptr.tolist())]

    def dictionary(self):
        """A gensim ``Dictionary`` whose ids are the positions in ``vocabulary``.

        Every word of the vocabulary is in it (words never drawn have document frequency 0),
        so the ids agree with :meth:`to_bow` and with ``topic_word``'s columns.

        Returns
        -------
        dictionary : gensim.corpora.Dictionary
        """
        from gensim.corpora import Dictionary

        counts = self.to_csr()
        dictionary = Dictionary()
        dictionary.token2id = {word: i for i, word in enumerate(self.vocabulary.tolist())}
        dfs = np.bincount(counts.indices, minlength=len(self.vocabulary))
        cfs = np.bincount(self.token_ids.values, minlength=len(self.vocabulary))
        dictionary.dfs = {i: int(dfs[i]) for i in np.flatnonzero(dfs).tolist()}
        dictionary.cfs = {i: int(cfs[i]) for i in np.flatnonzero(cfs).tolist()}
        dictionary.num_docs, dictionary.num_pos, dictionary.num_nnz = (
            len(self),
            self.n_tokens,
            int(counts.nnz),
        )
        return dictionary

    def save(self, path, format="txt"):
        """Write the corpus to ``path``; nothing is left there if the write fails.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write (replaced if it exists).
        format : {"txt", "jsonl", "mm"}, default="txt"
            ``"txt"``: one document a line, tokens separated by single spaces.
            ``"jsonl"``: one JSON object a line with ``"tokens"`` (the words),
            ``"doc_topic"`` (the document's topic proportions) and ``"token_topics"``.
            ``"mm"``: Matrix Market counts via gensim (``MmCorpus`` reads it back), columns
            in ``vocabulary`` order.

        Examples
        --------
        >>> import os, tempfile
        >>> from skmix import TopicMixtureGenerator
        >>> from skmix.datasets import worksheet_topics
        >>> corpus = TopicMixtureGenerator(worksheet_topics(), doc_length=4).fit().sample(2)
        >>> path = os.path.join(tempfile.mkdtemp(), "corpus.txt")
        >>> corpus.save(path)
        >>> [line.split() for line in open(path)] == list(corpus)
        True
        """
        from ._formats import write_chunks

        write_chunks(path, [self], format=format)

    def __repr__(self):
        return (
            f"SampledCorpus(n_documents={len(self)}, n_tokens={self.n_tokens}, "
            f"n_topics={len(self.topic_names)}, n_words={len(self.vocabulary)})"
        )


def _merge_vocabularies(vocabularies):
    """One vocabulary for corpora whose vocabularies share a prefix and then differ.

    Beyond the longest common prefix (the generator's words), words are sorted, so new words
    get the same place whatever the chunking. Returns the vocabulary and, per corpus, the
    new id of each of its words.
    """
    shortest = min(len(v) for v in vocabularies)
    same = np.logical_and.reduce([v[:shortest] == vocabularies[0][:shortest] for v in vocabularies])
    common = shortest if same.all() else int(np.argmin(same))
    extra = np.unique(np.concatenate([v[common:].astype(str) for v in vocabularies]))
    merged = np.concatenate([vocabularies[0][:common], extra.astype(object)])
    maps = [
        np.concatenate([np.arange(common), common + np.searchsorted(extra, v[common:].astype(str))])
        for v in vocabularies
    ]
    return merged, maps


def _with_one_vocabulary(chunks):
    """The corpora ``chunks`` renumbered into one vocabulary (new words of an open one)."""
    vocabularies = [chunk.vocabulary for chunk in chunks]
    if all(np.array_equal(v, vocabularies[0]) for v in vocabularies):
        return chunks
    vocabulary, maps = _merge_vocabularies(vocabularies)
    return [
        SampledCorpus(new_ids[chunk.token_ids.values], chunk.token_ids.offsets,
                      chunk.token_topics.values, chunk.doc_topic, chunk.topic_word, vocabulary,
                      chunk.topic_names)
        for chunk, new_ids in zip(chunks, maps, strict=True)
    ]


#: Keys ``document * n_words + word`` below this fit in int32 (see :func:`_count_entries`).
_INT32_KEYS = 2**31 - 1


def _count_entries(token_ids, n_words):
    """``(counts, word ids, indptr)``: the CSR count matrix of a :class:`RaggedArray` of ids.

    One ``np.sort`` of the keys ``document * n_words + word`` as int32 (the caller keeps
    ``len(token_ids) * n_words`` within :data:`_INT32_KEYS`): numpy sorts 32-bit integers
    with SIMD, twice as fast as 64-bit ones; ``to_csr`` took 2x longer through scipy's
    row-by-row sort (``sum_duplicates``). Sorted, every document's tokens stay in its own
    range, so taking the document part away again leaves its words in order; equal neighbours
    are one entry.
    """
    documents = np.arange(len(token_ids), dtype=np.int32) * np.int32(n_words)
    base = np.repeat(documents, token_ids.lengths)
    keys = token_ids.values.astype(np.int32)
    keys += base
    keys.sort()
    new_entry = np.ones(keys.size + 1, dtype=bool)  # and a last bound after the last token
    np.not_equal(keys[1:], keys[:-1], out=new_entry[1:-1])
    bounds = np.flatnonzero(new_entry)
    keys -= base
    return np.diff(bounds), keys[bounds[:-1]], np.searchsorted(bounds, token_ids.offsets)


_make_pairs = np.frompyfunc(lambda word, count: (word, count), 2, 1)


@lru_cache(maxsize=8)
def _single_pairs(n_words):
    """The tuples ``(j, 1)`` for every word id ``j``, made once and shared (they are immutable)."""
    return _make_pairs(range(n_words), [1] * n_words)


def _bow_pairs(counts):
    """The ``(word id, count)`` tuple of every stored entry of a CSR count matrix.

    Most entries count 1 (97% in a 200-word document over 10,000 words): they reuse shared
    tuples, which makes ``to_bow`` about 3x faster than a tuple per entry.
    """
    pairs = np.empty(counts.nnz, dtype=object)
    single = counts.data == 1
    pairs[single] = _single_pairs(counts.shape[1])[counts.indices[single]]
    several = ~single
    pairs[several] = _make_pairs(counts.indices[several].tolist(), counts.data[several].tolist())
    return pairs


def _documents(corpus):
    """The documents of ``corpus`` as str lists: one gather of the word objects, then each
    document's slice of them made a list (cheaper than one list of all sliced again: 15%)."""
    with _gc_paused():
        words = corpus.vocabulary[corpus.token_ids.values]
        return [words[a:b].tolist() for a, b in pairwise(corpus.token_ids.offsets.tolist())]


#: What a :class:`CorpusStream` yields per document, by ``format``.
STREAM_FORMATS = {"tokens": iter, "bow": lambda chunk: iter(chunk.to_bow())}


class CorpusStream:
    """A re-iterable corpus that draws its documents again, chunk by chunk, on every pass.

    Made by :meth:`TopicMixtureGenerator.stream`. Every pass regenerates the same documents
    from the same seed, so gensim's ``LdaModel`` can make many passes, and memory is bounded
    by one chunk whatever the length.

    Parameters
    ----------
    chunks : callable
        Called with no argument at the start of every pass; returns an iterator of
        :class:`SampledCorpus` chunks (always the same documents).
    n_documents : int
        The number of documents a pass yields.
    format : {"tokens", "bow"}
        ``"tokens"`` yields ``list[str]`` documents, ``"bow"`` gensim bag-of-words documents
        with ids in ``vocabulary`` order.
    vocabulary, topic_word, topic_names
        The generator's truth, kept so the stream can be compared with a model directly.
    """

    def __init__(self, chunks, n_documents, format, vocabulary, topic_word, topic_names):
        if not isinstance(format, str) or format not in STREAM_FORMATS:
            raise ValueError(f"format must be one of {list(STREAM_FORMATS)}, got {format!r}.")
        self._chunks = chunks
        self._n_documents = n_documents
        self.format = format
        self.vocabulary = vocabulary
        self.topic_word = topic_word
        self.topic_names = topic_names

    def __len__(self):
        return self._n_documents

    def __iter__(self):
        documents = STREAM_FORMATS[self.format]
        for chunk in self._chunks():
            yield from documents(chunk)

    @property
    def id2word(self):
        """dict of int to str: the word of every id, as gensim's ``LdaModel(id2word=...)`` takes."""
        return dict(enumerate(self.vocabulary.tolist()))

    def __repr__(self):
        return f"CorpusStream(n_documents={len(self)}, format={self.format!r})"
