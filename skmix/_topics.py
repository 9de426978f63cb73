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

The seed scheme (blocks of 1,000 documents, one child seed per block) is written in
:mod:`skmix._blocks`.
"""

import numbers
from collections.abc import Mapping
from functools import partial
from typing import ClassVar

import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, check_non_negative, validate_data

from ._backends import BACKENDS
from ._base import SamplerMixin
from ._blocks import _BLOCK_SIZE, DocumentBlocks
from ._compat import HasMethods, Interval, StrOptions, _check_feature_names, _fit_context
from ._corpus import STREAM_FORMATS, CorpusStream
from ._realism import (
    Realism,
    check_background,
    check_burstiness,
    check_new_words,
    check_rate,
    check_shares,
    is_auto,
    refuse_auto,
)
from ._topic_spec import parse_topics
from ._validation import (
    IntervalNotBool,
    _short,
    check_n_samples,
    check_positive_int,
    seed_sequence,
)
from .processes import Dirichlet, Fixed, doc_topic_process, length_law, topic_shares

__all__ = ["TopicMixtureGenerator"]


#: The parameters that describe a generator given by hand; fit(X) learns what they say, so a
#: value other than the default is refused with X rather than silently replaced.
_LEARNED_FROM_DATA = {"topic_weights": None, "doc_topic_prior": None, "doc_length": 20}


def _is_default(value, default):
    """Whether ``value`` is ``default`` (None, or an int such as numpy's ``int64(20)``)."""
    if default is None:
        return value is None
    is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    return is_int and value == default


def _is_matrix(X):
    """Whether ``X`` is a document-term matrix (any numpy array, sparse matrix or frame)."""
    return isinstance(X, np.ndarray) or scipy.sparse.issparse(X) or hasattr(X, "columns")


def _prior_attribute(process):
    """``doc_topic_prior_``: alpha for a Dirichlet, None for a fixed mix, else the process."""
    if isinstance(process, Dirichlet):
        return process.alpha
    return None if isinstance(process, Fixed) else process


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
        to several topics. Needed when ``fit`` gets no data; with data, the fit starts from
        them (``backend="gensim"``).
    n_topics : int, default=None
        The number of topics to learn when ``fit`` gets data. With ``topics`` it is taken from
        them (if given too, it must agree with their number).
    vocabulary : list of str, default=None
        The words, in the order of the array's columns (required with an array). With word
        lists it fixes the word order and may hold words no topic uses; by default words are
        numbered in order of first appearance.
    topic_weights : array-like of shape (n_topics,), default=None
        The share of each topic, the same in every document. Default uniform. Not with
        ``doc_topic_prior``.
    doc_topic_prior : float, array-like of shape (n_topics,) or process, default=None
        How each document draws its topic proportions. A float or array: the Dirichlet
        parameter alpha (> 0; a float is the same for every topic), the same as
        ``skmix.processes.Dirichlet(alpha)``. A process object from :mod:`skmix.processes`
        (e.g. ``Dirichlet``, ``Fixed``, ``LogisticNormal`` for correlated topics), or a
        user's own object with ``draw(rng,
        n_documents)`` returning an (n_documents, n_topics) array of proportions. ``None``:
        every document uses ``topic_weights`` (``Fixed(topic_weights)``).
    doc_length : int, frozen scipy.stats discrete distribution or array-like of int, default=20
        Every document's length: fixed, drawn from the distribution (e.g.
        ``scipy.stats.poisson(100)``), or drawn with replacement from the array.
    random_state : None, int, RandomState, Generator or SeedSequence, default=None
        Seeds the stream ``sample`` continues.
    backend : {"gensim", "sklearn", "tomotopy"}, default="gensim"
        The topic model that learns the topics when ``fit`` gets data. ``"tomotopy"``
        (collapsed Gibbs sampling, the ``tomotopy`` extra) makes 25 sweeps per pass.
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

    background : list of str, dict of str to float, array-like of shape (n_words,) or \
            "auto", default=None
        Background words (stop words, boilerplate) that every token comes from with
        probability ``background_rate``; their tokens have topic ``-1`` in ``token_topics``.
        Words no topic uses are added at the end of ``vocabulary_``. ``"auto"`` (with data):
        the words at least half the documents use, weighted by their counts.
    background_rate : float, default=0.0
        The share of tokens drawn from ``background``, in [0, 1) (learned with ``"auto"``).
    burstiness : float or "auto", default=None
        kappa > 0: each document draws its own version of each topic from
        Dirichlet(kappa * phi_k) (the Dirichlet compound multinomial); small kappa, words
        repeat within documents as in real text. ``"auto"`` (with data): the kappa that makes
        a look-alike as bursty as the corpus. ``None``: plain multinomial draws.
    new_words : ZipfTail, object or "auto", default=None
        An open vocabulary: a share of the tokens are new words (topic ``-2``), e.g.
        ``skmix.processes.ZipfTail(rate, exponent, start)``, named so they never clash with
        given words; any object with ``rate`` and ``draw(rng, n_tokens)`` returning ranks
        from 1. ``"auto"`` (with data): the corpus's words seen once become the tail, whose
        law is learned so that a look-alike has the corpus's distinct words and words seen
        once. Not with ``format="mm"`` or ``stream(format="bow")`` (no fixed word ids).

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
    n_features_in_ : int
        The number of columns of a document-term matrix ``X`` (only after fitting to one).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        The column names of ``X``, when it is a DataFrame with string column names.
    background_ : ndarray of shape (n_words,) or None
        The background's word distribution over ``vocabulary_``.
    background_rate_ : float
        The share of tokens from the background.
    burstiness_ : float or None
        The DCM's kappa.
    new_words_ : ZipfTail, object or None
        The law of new words.


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

    # one entry per parameter; a new parameter adds its line (values are checked further
    # where they are read: a topic spec by parse_topics, a prior by its process, a length by
    # its law)
    _parameter_constraints: ClassVar[dict] = {
        "topics": [list, tuple, Mapping, "array-like", None],
        "n_topics": [IntervalNotBool(numbers.Integral, 1, None, closed="left"), None],
        "vocabulary": ["array-like", None],
        "topic_weights": ["array-like", None],
        "doc_topic_prior": [
            Interval(numbers.Real, 0, None, closed="neither"),
            "array-like",
            HasMethods(["draw"]),
            None,
        ],
        "doc_length": [
            IntervalNotBool(numbers.Integral, 1, None, closed="left"),
            "array-like",
            HasMethods(["rvs", "support"]),
        ],
        # what sklearn takes, any int a SeedSequence takes, a Generator or a SeedSequence
        "random_state": [
            IntervalNotBool(numbers.Integral, 0, None, closed="left"),
            np.random.RandomState,
            np.random.Generator,
            np.random.SeedSequence,
            None,
        ],
        "backend": [StrOptions(set(BACKENDS))],
        "passes": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
        "iterations": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
        "chunksize": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
        "n_init": [IntervalNotBool(numbers.Integral, 1, None, closed="left")],
        "background": [list, tuple, Mapping, "array-like", StrOptions({"auto"}), None],
        "background_rate": [IntervalNotBool(numbers.Real, 0, 1, closed="left")],
        "burstiness": [IntervalNotBool(numbers.Real, 0, None, closed="neither"),
                       StrOptions({"auto"}), None],
        "new_words": [HasMethods(["draw"]), StrOptions({"auto"}), None],
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
        background=None,
        background_rate=0.0,
        burstiness=None,
        new_words=None,
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
        self.background = background
        self.background_rate = background_rate
        self.burstiness = burstiness
        self.new_words = new_words

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None):
        """Set up the generator from ``topics`` (X is None) or learn it from a corpus X.

        Parameters
        ----------
        X : None, iterable of list of str, or {array-like, sparse matrix} of shape \
                (n_documents, n_words)
            None: the generator is the one ``topics`` gives. Token lists (any re-iterable of
            ``list[str]``, read once) or a document-term matrix of non-negative counts (a
            numpy array, scipy sparse matrix or DataFrame; weights such as tf-idf are taken
            as sklearn's LDA takes them, document lengths rounded): learn the topics with
            ``backend``, the document-topic prior and the document lengths. With ``topics``,
            the fit starts from them (their number, names and vocabulary) and refines them;
            without, it learns ``n_topics`` topics. A matrix's words are ``vocabulary``, else
            its column names, else ``"x0"``, ``"x1"``, ... ``topic_weights``,
            ``doc_topic_prior`` and ``doc_length`` are learned: a value other than their
            default is refused with X.
        y : None
            Ignored.

        Returns
        -------
        self : TopicMixtureGenerator
        """
        spec = None if self.topics is None else parse_topics(self.topics, self.vocabulary)
        if spec is not None and self.n_topics is not None and self.n_topics != len(spec[0]):
            raise ValueError(f"n_topics={self.n_topics} but topics holds {len(spec[0])} topics.")
        if X is None:
            self._set_from_topics(spec)
        else:
            self._set_from_data(X, spec)
        self._init_seed()
        return self

    def _set_from_topics(self, spec):
        if spec is None:
            raise ValueError("topics must be given when fit gets no data (X is None).")
        refuse_auto(background=self.background, burstiness=self.burstiness,
                    new_words=self.new_words)
        realism = self._check_realism()
        self._forget_features()
        names, vocabulary, topic_word = spec
        vocabulary, topic_word, background, rate = check_background(
            self.background, self.background_rate, vocabulary, topic_word
        )
        process = doc_topic_process(self.doc_topic_prior, self.topic_weights, len(names))
        self._set_truth(vocabulary, topic_word, names, topic_shares(process, len(names)))
        self._set_drawing(process, self.doc_length, Realism(background, rate, *realism))

    def _check_realism(self):
        """``(burstiness, new_words)`` checked, before any work."""
        burstiness, new_words = self.burstiness, self.new_words
        check_rate(self.background_rate)
        if not is_auto(burstiness):
            burstiness = check_burstiness(burstiness)
        if not is_auto(new_words):
            new_words = check_new_words(new_words)
            check_shares(self.background_rate, new_words)
        return burstiness, new_words

    def _fit_start(self, spec):
        """``(n_topics, vocabulary, init topics, names)`` of a fit to data."""
        for name, default in _LEARNED_FROM_DATA.items():
            value = getattr(self, name)
            if not _is_default(value, default):
                raise ValueError(
                    f"{name}={_short(value)} describes a generator given by hand, but fit(X) "
                    f"learns it from X: leave {name} at its default ({default!r}) to fit X, or "
                    "call fit() without X to draw with it."
                )
        if spec is None:
            if self.n_topics is None:
                raise ValueError(
                    "n_topics is required to fit a corpus: say how many topics to learn, or "
                    "give topics to start from."
                )
            return self.n_topics, self.vocabulary, None, None
        if not BACKENDS[self.backend].starts_from_topics:
            raise ValueError(
                f"backend={self.backend!r} cannot start a fit from given topics; use a backend "
                f"that can ({sorted(n for n, b in BACKENDS.items() if b.starts_from_topics)}), "
                "or give n_topics instead of topics."
            )
        names, vocabulary, topic_word = spec
        return len(names), vocabulary, topic_word, names

    def _validate_corpus(self, X, vocabulary):
        """A matrix checked as sklearn checks data, with its words; token lists as they are."""
        if not _is_matrix(X):
            self._forget_features()
            return X, vocabulary
        X = validate_data(self, X, accept_sparse="csr", dtype=[np.float64, np.float32])
        check_non_negative(X, f"{type(self).__name__}.fit")
        if vocabulary is None:
            names = getattr(self, "feature_names_in_", None)
            vocabulary = [f"x{j}" for j in range(X.shape[1])] if names is None else names
        return X, vocabulary

    def _forget_features(self):
        """Drop ``n_features_in_`` and ``feature_names_in_`` of an earlier fit to a matrix."""
        _check_feature_names(self, None, reset=True)
        self.__dict__.pop("n_features_in_", None)

    def _set_from_data(self, X, spec):
        realism = self._check_realism()
        n_topics, vocabulary, init, names = self._fit_start(spec)
        X, vocabulary = self._validate_corpus(X, vocabulary)
        if is_auto(self.background, self.burstiness, self.new_words):
            from ._lookalike import fit_lookalike

            if init is not None:
                raise ValueError(
                    "background, burstiness or new_words 'auto' learn the topics from X's "
                    "other words, not from given topics: give n_topics instead of topics."
                )
            fit_lookalike(self, X, vocabulary)
            return
        result = self._fit_topics(X, vocabulary, n_topics, init)
        vocabulary, topic_word, background, rate = check_background(
            self.background, self.background_rate, np.asarray(result.vocabulary, dtype=object),
            np.asarray(result.topic_word, dtype=float),
        )
        self._set_truth(
            vocabulary,
            topic_word,
            list(result.topic_names) if names is None else names,
            np.asarray(result.topic_weights, dtype=float),
        )
        prior = Dirichlet(np.asarray(result.doc_topic_prior, dtype=float))
        self._set_drawing(prior, np.asarray(result.doc_lengths, dtype=np.int64),
                          Realism(background, rate, *realism))
        self.model_ = result.model

    def _fit_topics(self, X, vocabulary, n_topics, init=None):
        """Fit the backend to ``X``: a :class:`~skmix._topic_fit.TopicFit`."""
        from ._topic_fit import fit_topic_model

        return fit_topic_model(
            X,
            n_topics=n_topics,
            vocabulary=vocabulary,
            backend=self.backend,
            passes=self.passes,
            iterations=self.iterations,
            chunksize=self.chunksize,
            n_init=self.n_init,
            seed=seed_sequence(self.random_state),
            init=init,
        )

    def _set_truth(self, vocabulary, topic_word, names, weights):
        self.vocabulary_, self.topic_word_, self.topic_names_ = vocabulary, topic_word, names
        self.topic_weights_ = weights
        self.n_topics_ = len(names)

    def _set_drawing(self, process, doc_length, realism=None):
        """Keep the drawing state: the process, the length law, realism and the alias tables."""
        realism = realism or Realism()
        lengths = length_law(doc_length)
        self.doc_length_ = lengths.value
        self.doc_topic_prior_ = _prior_attribute(process)
        self.background_, self.background_rate_ = realism.background, realism.background_rate
        self.burstiness_, self.new_words_ = realism.burstiness, realism.new_words
        self._blocks_ = DocumentBlocks(
            self.topic_word_, self.vocabulary_, self.topic_names_, lengths, process,
            **realism._asdict(),
        )

    def _bytes_per_sample(self):
        # a token: its int32 id and small-int topic; a document: its offset and proportions
        return self._blocks_.lengths.mean() * 6 + 8 * (1 + self.n_topics_)

    def _working_bytes(self, n_samples=None):
        return self._blocks_.working_bytes()

    def _sample(self, n_samples, seed):
        """Draw ``n_samples`` documents; returns a :class:`SampledCorpus`."""
        return self._blocks_.documents(seed, 0, n_samples)

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
        return self._blocks_.chunks(root, n_samples, chunk_size)

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
        if format == "bow":
            self._blocks_.check_fixed_vocabulary("format='bow'")
        chunks = partial(self._blocks_.chunks, root, n_samples, chunk_size)
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
        from ._parallel import corpus_bag, import_dask

        import_dask()
        npartitions = check_positive_int(npartitions, "npartitions")
        n_samples, _, root = self._check_stream_args(n_samples, _BLOCK_SIZE, random_state)
        return corpus_bag(self._blocks_, root, n_samples, npartitions)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # fit() is meaningful without X (topics given); fitted from data it takes token lists
        # (strings) or a document-term matrix, dense or sparse, of non-negative counts, finite,
        # and never a target
        tags.target_tags.required = False
        tags.input_tags.string = True
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        tags.input_tags.allow_nan = False
        return tags
