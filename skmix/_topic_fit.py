"""Learn a topic model from a corpus: what ``TopicMixtureGenerator.fit(X)`` runs.

The corpus is read once into a compact document-term count matrix; the backend (gensim's
``LdaModel`` or sklearn's ``LatentDirichletAllocation``) is fitted ``n_init`` times from
independent seeds and the fit with the best variational bound is kept, as sklearn's
``GaussianMixture`` keeps its best restart. Nothing here is an LDA of its own: the backends
do the inference, this module prepares their input and reads their answer.
"""

import itertools
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse

from ._backends import BACKENDS
from ._topic_spec import check_vocabulary
from ._validation import _short

__all__ = ["TopicFit", "fit_topic_model", "read_token_lists"]

_N_NAME_WORDS = 3


class TopicFit(NamedTuple):
    """What a fitted topic model says about a corpus.

    Attributes
    ----------
    vocabulary : ndarray of str of shape (n_words,)
    topic_word : ndarray of shape (n_topics, n_words)
        Word probabilities of each topic; rows sum to 1.
    topic_names : list of str
        Unique names made of each topic's top words, e.g. ``"police_said_fire"``.
    doc_topic_prior : ndarray of shape (n_topics,)
        The learned Dirichlet prior (alpha) of the documents' topic proportions.
    topic_weights : ndarray of shape (n_topics,)
        The share of the corpus's tokens that each topic explains.
    doc_lengths : ndarray of int of shape (n_documents,)
        The lengths of the corpus's non-empty documents.
    model : gensim.models.LdaModel or sklearn.decomposition.LatentDirichletAllocation
        The fitted backend model (the restart with the best bound).
    """

    vocabulary: np.ndarray
    topic_word: np.ndarray
    topic_names: list
    doc_topic_prior: np.ndarray
    topic_weights: np.ndarray
    doc_lengths: np.ndarray
    model: Any


def fit_topic_model(
    X, *, n_topics, vocabulary, backend, passes, iterations, chunksize, n_init, seed, init=None
):
    """Fit ``n_topics`` topics to the corpus ``X`` with ``backend``, keeping the best restart.

    The options are taken as they are: ``TopicMixtureGenerator`` checks them (its
    ``_parameter_constraints``) before it calls this; only what depends on the data is
    checked here.

    Parameters
    ----------
    X : iterable of list of str, or sparse matrix of shape (n_documents, n_words)
        Token lists (a list, any re-iterable such as :func:`skmix.read_corpus`, or a one-shot
        generator: ``X`` is read exactly once, a chunk of documents at a time, into a count
        matrix; the documents themselves are never all in memory), or a validated
        document-term matrix of non-negative counts (or weights, as sklearn's LDA takes)
        whose columns are ``vocabulary``. Documents without tokens are dropped: they carry
        nothing to learn.
    n_topics : int
        The number of topics, between 1 and the number of words.
    vocabulary : sequence of str or None
        Required with a count matrix (one word per column). With token lists, it fixes the
        words and their order, and other tokens are ignored (as sklearn's ``CountVectorizer``
        does with a vocabulary); ``None`` takes every token, sorted.
    backend : str
        A registered backend (:data:`skmix._backends.BACKENDS`). ``"gensim"``: online
        variational Bayes by ``LdaModel`` with a learned asymmetric alpha
        (``alpha="auto"``). ``"sklearn"``: online variational Bayes by
        ``LatentDirichletAllocation`` with gensim's step sizes. sklearn cannot learn alpha
        during a fit, so it is learned by empirical Bayes in two stages: a fit with a flat
        prior (alpha = 1), then the restarts with the alpha estimated from it (at most 1, as
        sklearn requires), each estimate made from the fitted per-document topic counts by
        :func:`~skmix._backends.dirichlet_multinomial_mle`. sklearn's own ``1 / n_topics``
        blurred the topics of documents that mix many topics evenly (the bars with alpha = 1).
        ``"tomotopy"``: collapsed Gibbs sampling by ``tomotopy.LDAModel`` (one worker),
        ``25 * passes`` sweeps, its asymmetric alpha re-estimated every 10 sweeps.
    passes : int
        Passes over the corpus (gensim ``passes``, sklearn ``max_iter``).
    iterations : int
        The most E-step iterations per document (gensim ``iterations``, sklearn
        ``max_doc_update_iter``).
    chunksize : int
        Documents per online update (gensim ``chunksize``, sklearn ``batch_size``).
    n_init : int
        Fits from independent seeds; the one with the highest variational bound is kept
        (with ``"sklearn"``, of these and the flat-prior fit before them).
    seed : numpy.random.SeedSequence
        Spawns one child seed per restart.
    init : ndarray of shape (n_topics, n_words) or None, default=None
        Topics every restart starts from (a backend that ``starts_from_topics``).

    Returns
    -------
    fit : TopicFit

    Examples
    --------
    >>> import numpy as np
    >>> from skmix._topic_fit import fit_topic_model
    >>> docs = [["cake", "party", "cake"], ["orc", "ring", "orc"]] * 20
    >>> fit = fit_topic_model(docs, n_topics=2, vocabulary=None, backend="gensim", passes=5,
    ...                       iterations=50, chunksize=10, n_init=1,
    ...                       seed=np.random.SeedSequence(0))
    >>> fit.vocabulary.tolist()
    ['cake', 'orc', 'party', 'ring']
    >>> fit.topic_word.shape, fit.doc_lengths[:3].tolist()
    ((2, 4), [3, 3, 3])
    """
    engine = BACKENDS[backend]
    options = {"passes": passes, "iterations": iterations, "chunksize": chunksize,
               "n_init": n_init, "init": init}
    counts, vocabulary = document_term_counts(X, vocabulary)
    if n_topics > vocabulary.size:
        raise ValueError(
            f"n_topics={n_topics} is larger than the vocabulary: n_features={vocabulary.size} "
            "words; ask for at most as many topics as there are words."
        )
    counts = non_empty_rows(counts)
    model, _ = engine.fit(counts, vocabulary, n_topics, options, seed)
    return _summary(engine, model, counts, vocabulary)


def _summary(engine, model, counts, vocabulary):
    """Read the fitted ``model`` into a :class:`TopicFit`."""
    topic_word, doc_topic_prior, doc_topic_counts = engine.summarise(model, counts)
    topic_word = topic_word / topic_word.sum(axis=1, keepdims=True)
    topic_tokens = doc_topic_counts.sum(axis=0)
    return TopicFit(
        vocabulary=vocabulary,
        topic_word=topic_word,
        topic_names=topic_names(topic_word, vocabulary),
        doc_topic_prior=doc_topic_prior,
        topic_weights=topic_tokens / topic_tokens.sum(),
        doc_lengths=np.rint(np.asarray(counts.sum(axis=1))).astype(np.int64).ravel(),
        model=model,
    )


def topic_names(topic_word, vocabulary):
    """Unique readable names: each topic's top words joined by ``_`` (``#k`` added on a tie).

    Examples
    --------
    >>> import numpy as np
    >>> topic_names(np.array([[0.5, 0.3, 0.2, 0.0]]), np.array(["a", "b", "c", "d"]))
    ['a_b_c']
    """
    top = np.argsort(-topic_word, axis=1, kind="stable")[:, :_N_NAME_WORDS]
    names = ["_".join(words) for words in vocabulary[top].tolist()]
    repeated = {name for name in names if names.count(name) > 1}
    return [f"{name}#{k}" if name in repeated else name for k, name in enumerate(names)]


# --- reading the corpus ---------------------------------------------------------------


def document_term_counts(X, vocabulary=None):
    """Read ``X`` once into ``(counts, vocabulary)``: a CSR count matrix and its words.

    See :func:`fit_topic_model` for the accepted forms of ``X`` and ``vocabulary``.

    Examples
    --------
    >>> counts, words = document_term_counts([["b", "a", "b"], ["c"]])
    >>> counts.toarray().tolist(), words.tolist()
    ([[1, 2, 0], [0, 0, 1]], ['a', 'b', 'c'])
    """
    if scipy.sparse.issparse(X) or (isinstance(X, np.ndarray) and X.dtype.kind in "biuf"):
        return _count_matrix(X, vocabulary)
    fixed = vocabulary is not None
    index = {w: i for i, w in enumerate(check_vocabulary(vocabulary).tolist())} if fixed else {}
    blocks, n_documents, n_tokens = [], 0, 0
    for chunk in _document_chunks(X, "X"):
        tokens, lengths = _chunk_tokens(chunk, n_documents, "X")
        blocks.append(_chunk_counts(tokens, lengths, index, grow=not fixed))
        n_documents, n_tokens = n_documents + lengths.size, n_tokens + lengths.sum()
    _check_not_empty(n_documents, n_tokens, "X")
    counts = _joined(blocks, len(index))
    words = np.array(list(index), dtype=object)
    if not fixed:  # every token's word, in sorted order
        counts, words = _sorted_columns(counts, words)
    elif counts.nnz == 0:
        raise ValueError(
            f"X has no token from vocabulary (of {words.size} words, e.g. "
            f"{_short(words[:5].tolist())}): nothing to fit."
        )
    return counts, words


#: Documents counted at a time: the corpus is never held whole, only its counts (a file read
#: by ``read_corpus`` streams through).
COUNT_CHUNK_DOCUMENTS = 1_000


def _iterate_documents(X, name):
    """An iterator over ``X``'s documents, refusing a plain string or a non-iterable."""
    if isinstance(X, str | bytes):
        raise TypeError(
            f"{name} must be an iterable of token lists, got a plain string {_short(X)}; "
            "split each document into a list of words first."
        )
    try:
        iterator = iter(X)
    except TypeError as exc:
        raise TypeError(f"{name} must be an iterable of token lists, got {_short(X)}.") from exc
    return iterator


def _document_chunks(X, name):
    """``X``'s documents in lists of ``COUNT_CHUNK_DOCUMENTS``, read once."""
    iterator = _iterate_documents(X, name)
    while chunk := list(itertools.islice(iterator, COUNT_CHUNK_DOCUMENTS)):
        yield chunk


def _chunk_tokens(chunk, first, name):
    documents = [_document(doc, first + i, name) for i, doc in enumerate(chunk)]
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    tokens = list(itertools.chain.from_iterable(documents))
    _check_str_tokens(tokens, lengths, name, first)
    return tokens, lengths


def _chunk_counts(tokens, lengths, index, grow):
    """The CSR counts of one chunk; with ``grow``, new words are added to ``index``."""
    if grow:
        new = set(tokens).difference(index)
        index.update(zip(sorted(new), itertools.count(len(index))))
    ids = np.fromiter(map(index.get, tokens, itertools.repeat(-1)), np.int64, count=len(tokens))
    rows = np.repeat(np.arange(lengths.size), lengths)
    known = ids >= 0
    ones = np.ones(int(known.sum()), dtype=np.int64)
    shape = (lengths.size, len(index))
    return scipy.sparse.coo_matrix((ones, (rows[known], ids[known])), shape=shape).tocsr()


def _joined(blocks, n_words):
    """The CSR blocks stacked, each freed as it is copied: the corpus's counts are held about
    once, not twice as ``scipy.sparse.vstack`` would (50,000,000 tokens: ~0.5 GB, not 1)."""
    nnz = sum(block.nnz for block in blocks)
    indptr = np.zeros(sum(block.shape[0] for block in blocks) + 1, dtype=np.int64)
    np.cumsum(np.concatenate([np.diff(block.indptr) for block in blocks]), out=indptr[1:])
    index_dtype = np.int32 if max(nnz, n_words) < 2**31 else np.int64
    indices = np.empty(nnz, dtype=index_dtype)
    data = np.empty(nnz, dtype=np.int64)
    start = 0
    blocks.reverse()  # popped from the end, in order
    while blocks:
        block = blocks.pop()
        indices[start:start + block.nnz] = block.indices
        data[start:start + block.nnz] = block.data
        start += block.nnz
        if len(blocks) % 16 == 0:
            _trim_heap()
    return scipy.sparse.csr_matrix((data, indices, indptr.astype(index_dtype)),
                                   shape=(indptr.size - 1, n_words), copy=False)


def _trim_heap():
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing): the freed blocks are small enough to live on the heap, where free() keeps them
    resident, and the joined matrix would otherwise sit beside them."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _sorted_columns(counts, words):
    """Columns in ``words``' sorted order, renumbered in place a slice at a time."""
    order = np.argsort(words)
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    step = 1 << 22
    for start in range(0, counts.nnz, step):
        piece = counts.indices[start:start + step]
        piece[:] = position[piece]
    counts.has_sorted_indices = False
    counts.sort_indices()
    return counts, words[order]


def non_empty_rows(counts):
    """``counts`` without its empty documents, sharing its data (only ``indptr`` is new)."""
    kept = np.diff(counts.indptr) > 0
    if kept.all():
        return counts
    indptr = np.concatenate([counts.indptr[:1], counts.indptr[1:][kept]])
    return scipy.sparse.csr_matrix((counts.data, counts.indices, indptr),
                                   shape=(int(kept.sum()), counts.shape[1]), copy=False)


def _check_not_empty(n_documents, n_tokens, name):
    if not n_documents:
        raise ValueError(
            f"{name} is empty: it has no documents (a generator that was already consumed reads "
            "as empty)."
        )
    if not n_tokens:
        raise ValueError(f"{name} has {n_documents} documents but every one is empty.")


def read_token_lists(X, name):
    """Read a corpus of token lists once: ``(tokens, lengths)``, every token a ``str``.

    ``tokens`` is the flat list of all tokens, ``lengths`` the number of tokens per document.
    Refuses a plain string (for the corpus or for a document), non-string tokens and a corpus
    without documents or without tokens, naming ``name``.

    Examples
    --------
    >>> tokens, lengths = read_token_lists([["a", "b"], [], ["c"]], "X")
    >>> tokens, lengths.tolist()
    (['a', 'b', 'c'], [2, 0, 1])
    """
    iterator = _iterate_documents(X, name)
    documents = [_document(doc, index, name) for index, doc in enumerate(iterator)]
    if not documents:
        raise ValueError(
            f"{name} is empty: it has no documents (a generator that was already consumed reads "
            "as empty)."
        )
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    if not lengths.any():
        raise ValueError(f"{name} has {len(documents)} documents but every one is empty.")
    tokens = list(itertools.chain.from_iterable(documents))
    _check_str_tokens(tokens, lengths, name)
    return tokens, lengths


def _document(doc, index, name):
    if isinstance(doc, str | bytes):
        raise TypeError(
            f"{name}[{index}] is a plain string {_short(doc)}, not a list of tokens; split each "
            "document into words first (e.g. gensim.utils.simple_preprocess)."
        )
    try:
        return list(doc)
    except TypeError as exc:
        raise TypeError(
            f"{name}[{index}] must be a list of str tokens, got {_short(doc)} "
            f"({type(doc).__name__}); a count matrix must be a numpy array or scipy sparse matrix."
        ) from exc


def _check_str_tokens(tokens, lengths, name, first=0):
    """Refuse non-``str`` tokens; ``set(map(type, ...))`` checks them all at C speed."""
    if all(issubclass(kind, str) for kind in set(map(type, tokens))):
        if "" in tokens:  # an empty token is no word; it would become a column of its own
            position = tokens.index("")
            document = first + int(np.searchsorted(np.cumsum(lengths), position, side="right"))
            raise ValueError(f"{name} holds an empty token '' in document {document}.")
        return
    position = next(i for i, token in enumerate(tokens) if not isinstance(token, str))
    document = first + int(np.searchsorted(np.cumsum(lengths), position, side="right"))
    raise TypeError(
        f"{name} must hold str tokens, but document {document} holds {_short(tokens[position])} "
        f"({type(tokens[position]).__name__})."
    )


def _count_matrix(X, vocabulary):
    """A validated document-term matrix as CSR, with its vocabulary (one word per column)."""
    if vocabulary is None:
        raise ValueError(
            "vocabulary is required with a count matrix X: give the word of each of its "
            f"{X.shape[-1]} columns."
        )
    counts = scipy.sparse.csr_matrix(X)  # shared: nothing downstream writes to it
    vocabulary = check_vocabulary(vocabulary, size=counts.shape[1], label="X")
    total = float(counts.sum(dtype=float))
    if total >= 2**62:  # 1e20 would wrap around to negative lengths as int64
        raise ValueError(f"X's counts add up to {total:.3g} tokens, more than 2**62.")
    if not counts.data.any():
        raise ValueError(f"X has {counts.shape[0]} documents but every one is empty (all zeros).")
    return counts, vocabulary
