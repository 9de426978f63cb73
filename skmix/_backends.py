"""Fit backends: the topic models ``TopicMixtureGenerator.fit(X)`` learns topics with.

A backend is one :class:`Backend`, registered with :func:`register_backend` where it is
defined; ``TopicMixtureGenerator(backend=...)`` takes any registered name. Its protocol:

- ``fit(counts, vocabulary, n_topics, options, seed) -> (model, bound)``: the best of
  ``options["n_init"]`` restarts (one child of ``seed`` each) on the CSR document-term
  ``counts``, with its variational bound (which may be None when ``n_init`` is 1: nothing
  is compared); ``options`` holds ``passes``, ``iterations``,
  ``chunksize``, ``n_init`` and optionally ``init`` (the (K, V) topics to start from);
- ``summarise(model, counts) -> (topic_word, doc_topic_prior, doc_topic_counts)``: the
  (K, V) topic-word weights, the Dirichlet prior alpha (K,), and each document's expected
  tokens per topic (n_documents, K);
- ``starts_from_topics``: whether ``fit`` can start from ``options["init"]``; a backend that
  cannot is refused when ``TopicMixtureGenerator`` gets both ``topics`` and data.

Backends: ``"gensim"`` (online variational Bayes, ``LdaModel``), ``"sklearn"`` (online
variational Bayes, ``LatentDirichletAllocation``) and ``"tomotopy"`` (collapsed Gibbs
sampling, ``tomotopy.LDAModel``, the ``tomotopy`` extra; its restarts are ranked by the
log-likelihood of the last sample rather than a variational bound).
"""

import functools
from typing import Any, NamedTuple

import numpy as np
import scipy.optimize
import scipy.special

_LOG_ALPHA_BOUNDS = (np.log(1e-4), np.log(1e3))


class Backend(NamedTuple):
    """One fit backend: its name, ``fit``, ``summarise`` and whether it starts from topics."""

    name: str
    fit: Any
    summarise: Any
    starts_from_topics: bool = False


#: Every registered backend, by name.
BACKENDS = {}


def register_backend(backend):
    """Add ``backend`` (a :class:`Backend`) to :data:`BACKENDS`; return it."""
    BACKENDS[backend.name] = backend
    return backend


def _best_restart(restart, seed, n_init):
    """``(model, bound)`` of the best of ``n_init`` calls ``restart(child_seed)``."""
    # a generator, so that only the best model so far is held in memory
    fits = (restart(child) for child in seed.spawn(n_init))
    return max(fits, key=lambda fit: fit[1])


# --- backends -------------------------------------------------------------------------


def _legacy_random_state(seed):
    """A ``RandomState`` on ``seed``'s stream: what gensim and sklearn take."""
    return np.random.RandomState(np.random.MT19937(seed))


def _fit_gensim(counts, vocabulary, n_topics, options, seed):
    restart = functools.partial(_gensim_restart, counts, vocabulary, n_topics, options)
    return _best_restart(restart, seed, options["n_init"])


def _gensim_restart(counts, vocabulary, n_topics, options, seed):
    from gensim.matutils import Sparse2Corpus
    from gensim.models import LdaModel

    corpus = Sparse2Corpus(counts, documents_columns=False)
    model = LdaModel(
        num_topics=n_topics,
        id2word=dict(enumerate(vocabulary.tolist())),
        passes=options["passes"],
        iterations=options["iterations"],
        chunksize=options["chunksize"],
        alpha="auto",
        eval_every=None,
        random_state=_legacy_random_state(seed),
        # gensim's float32 adds 1.2e-7 to every word's E-step normaliser: on a large corpus
        # (topic sums in the millions) a word below ~1e-7 per topic then gets almost none of
        # its counts back, and half of a 50 M-token corpus's vocabulary was starved
        dtype=np.float64,
    )
    if options.get("init") is not None:
        _start_from(model, options["init"], counts.sum())
    model.update(corpus)
    # the bound is one more E-step over the whole corpus: only worth it to rank restarts
    return model, (model.bound(corpus) if options["n_init"] > 1 else None)


def _start_from(model, topic_word, n_tokens):
    """Set gensim's topic statistics to ``topic_word``, as expected counts of the corpus."""
    model.state.sstats[...] = topic_word * (n_tokens / len(topic_word))
    model.sync_state()


#: Documents inferred at a time: as bag-of-words tuples a document is ~10x its counts.
_INFERENCE_CHUNK = 2_000


def _summarise_gensim(model, counts):
    from gensim.matutils import Sparse2Corpus

    gamma = np.empty((counts.shape[0], model.num_topics))
    for start in range(0, counts.shape[0], _INFERENCE_CHUNK):
        chunk = Sparse2Corpus(counts[start:start + _INFERENCE_CHUNK], documents_columns=False)
        gamma[start:start + len(chunk)] = model.inference(list(chunk))[0]
    topic_word = model.get_topics().astype(np.float64)
    alpha = np.asarray(model.alpha, dtype=np.float64)
    # gamma = alpha + the expected number of the document's tokens in each topic
    gamma -= alpha
    return topic_word, alpha, gamma


register_backend(Backend("gensim", _fit_gensim, _summarise_gensim, starts_from_topics=True))


def _fit_sklearn(counts, vocabulary, n_topics, options, seed):
    """Empirical Bayes in two stages, since sklearn keeps alpha fixed during a fit.

    One fit with a flat prior (alpha = 1, the most sklearn takes) estimates alpha; then
    ``n_init`` restarts with that estimate (its mean, at most 1); the best bound of all is
    kept. A prior far below the truth blurs the topics of documents that mix many topics (the
    bars with alpha = 1 at sklearn's ``1/K``), while a fit at alpha = 1 still finds sparse
    topics and over-estimates a sparse alpha only moderately (0.25 for a true 0.1), which the
    restarts at the estimate correct. One flat fit is enough: the estimate hardly depends on
    whether it lost a topic (1.20-1.25 over six runs on the bars with alpha = 1).
    """
    flat_seed, refit_seed = seed.spawn(2)
    restart = functools.partial(_sklearn_restart, counts, n_topics, options)
    flat = restart(1.0, flat_seed)
    alpha = min(float(_sklearn_prior(flat[0], counts)[0].mean()), 1.0)
    refit = _best_restart(functools.partial(restart, alpha), refit_seed, options["n_init"])
    return max(flat, refit, key=lambda fit: fit[1])


def _sklearn_restart(counts, n_topics, options, doc_topic_prior, seed):
    from sklearn.decomposition import LatentDirichletAllocation

    model = LatentDirichletAllocation(
        n_components=n_topics,
        doc_topic_prior=doc_topic_prior,
        learning_method="online",
        # gensim's step sizes (Hoffman et al.'s tau0=1, kappa=0.5): sklearn's own (10, 0.7)
        # were stuck in a local optimum on the bars in one run of two
        learning_offset=1.0,
        learning_decay=0.5,
        max_iter=options["passes"],
        max_doc_update_iter=options["iterations"],
        batch_size=options["chunksize"],
        random_state=_legacy_random_state(seed),
    )
    model.fit(counts)
    return model, model.score(counts)


def _sklearn_prior(model, counts):
    """``(alpha, doc_topic_counts)``: the prior estimated from the model's topic counts."""
    gamma = model.transform(counts, normalize=False)
    doc_topic_counts = np.clip(gamma - model.doc_topic_prior_, 0.0, None)
    return dirichlet_multinomial_mle(doc_topic_counts), doc_topic_counts


def _summarise_sklearn(model, counts):
    return model.components_, *_sklearn_prior(model, counts)


register_backend(Backend("sklearn", _fit_sklearn, _summarise_sklearn))


#: Gibbs sweeps per pass: a sweep resamples every token once, far less work than a
#: variational pass, so ``passes=20`` means 500 sweeps (tomotopy's alpha is re-estimated
#: every 10 of them, its ``optim_interval``); fewer left the chain short of its mode on the
#: bars with alpha = 1 (docs/guide/judging.md).
GIBBS_SWEEPS_PER_PASS = 25


def _fit_tomotopy(counts, vocabulary, n_topics, options, seed):
    documents = _token_lists(counts, vocabulary)
    restart = functools.partial(_tomotopy_restart, documents, n_topics, options)
    model, bound = _best_restart(restart, seed, options["n_init"])
    # tomotopy numbers words by first appearance: summarise puts them back in this order
    model.skmix_vocabulary = vocabulary
    return model, bound


def _token_lists(counts, vocabulary):
    """Each row of the CSR ``counts`` as a list of its words (each repeated by its count)."""
    # Gibbs sampling draws a topic per token: weights (which sklearn's LDA takes) are rounded
    repeats = np.rint(counts.data).astype(np.int64)
    tokens = vocabulary[np.repeat(counts.indices, repeats)].tolist()
    ends = np.cumsum(np.diff(np.r_[0, np.cumsum(repeats)][counts.indptr]))
    return [tokens[start:end] for start, end in zip(np.r_[0, ends[:-1]], ends, strict=True)]


def _tomotopy_restart(documents, n_topics, options, seed):
    import tomotopy

    # one worker: tomotopy's draws depend on the seed alone only then
    model = tomotopy.LDAModel(k=n_topics, seed=int(seed.generate_state(1)[0] % 2**31))
    for words in documents:
        model.add_doc(words)
    model.train(GIBBS_SWEEPS_PER_PASS * options["passes"], workers=1)
    return model, model.ll_per_word * model.num_words


def _summarise_tomotopy(model, counts):
    """Topics in the corpus's word order; each document's tokens per topic from the Gibbs
    state (the last sweep's assignments)."""
    column = {word: i for i, word in enumerate(model.used_vocabs)}
    order = np.array([column.get(word, -1) for word in model.skmix_vocabulary.tolist()])
    by_id = np.array([model.get_topic_word_dist(k) for k in range(model.k)], dtype=np.float64)
    topic_word = np.where(order >= 0, by_id[:, np.clip(order, 0, None)], 0.0)
    topics = np.concatenate([np.asarray(doc.topics, dtype=np.int64) for doc in model.docs])
    lengths = [len(doc.topics) for doc in model.docs]
    rows = np.repeat(np.arange(len(lengths)), lengths)
    doc_topic_counts = np.zeros((len(lengths), model.k))
    np.add.at(doc_topic_counts, (rows[topics >= 0], topics[topics >= 0]), 1.0)
    return topic_word, np.asarray(model.alpha, dtype=np.float64), doc_topic_counts


register_backend(Backend("tomotopy", _fit_tomotopy, _summarise_tomotopy))


_MLE_ROWS = 50_000


def dirichlet_multinomial_mle(counts):
    """The Dirichlet prior ``alpha`` that best explains per-document topic ``counts``.

    Maximises the Dirichlet-multinomial (Polya) likelihood of the rows of ``counts`` (they
    may be fractional: expected counts from a fitted model) over ``log(alpha)`` with
    scipy's L-BFGS-B, as Minka (2000) and Wallach (2008) estimate LDA's alpha. Each alpha is
    kept between 1e-4 and 1e3.

    Parameters
    ----------
    counts : ndarray of shape (n_documents, n_topics)

    Returns
    -------
    alpha : ndarray of shape (n_topics,)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> theta = rng.dirichlet([0.5, 0.5, 0.5], size=4000)
    >>> counts = np.array([rng.multinomial(100, p) for p in theta])
    >>> np.round(dirichlet_multinomial_mle(counts), 1).tolist()
    [0.5, 0.5, 0.5]
    """
    counts = np.asarray(counts, dtype=np.float64)
    lengths = counts.sum(axis=1)
    # rows a block at a time: a corpus of 500,000 documents would need several
    # (n_documents, n_topics) temporaries at once
    blocks = [slice(start, start + _MLE_ROWS) for start in range(0, len(counts), _MLE_ROWS)]

    def negative_log_likelihood(log_alpha):
        alpha = np.exp(log_alpha)
        total = alpha.sum()
        value = (scipy.special.gammaln(lengths + total).sum()
                 - lengths.size * scipy.special.gammaln(total)
                 + lengths.size * scipy.special.gammaln(alpha).sum())
        per_topic = -lengths.size * scipy.special.digamma(alpha)
        for rows in blocks:
            shifted = counts[rows] + alpha
            value -= scipy.special.gammaln(shifted).sum()
            per_topic += scipy.special.digamma(shifted, out=shifted).sum(axis=0)
        per_total = (scipy.special.digamma(lengths + total) - scipy.special.digamma(total)).sum()
        return value, (per_total - per_topic) * alpha

    # bounded so that a topic no document uses still gets a usable (tiny) alpha
    bounds = [_LOG_ALPHA_BOUNDS] * counts.shape[1]
    start = np.zeros(counts.shape[1])
    result = scipy.optimize.minimize(
        negative_log_likelihood, start, jac=True, method="L-BFGS-B", bounds=bounds
    )
    return np.exp(result.x)
