"""The other half of a topic model: its per-document mixes and per-token topics, judged.

``match_topics(..., documents=corpus)`` reads, through the reader for the recovered model's
kind (``_DOCUMENT_READERS``, duck-typed like the topic adapters so nothing is imported to
check a type), the model's topic mix of every document of ``corpus`` and, for models that keep
them (tomotopy; lda, from its final counts), the topic it assigned to every token. Mixes are
put in the truth's topic order by the topic matching and compared with the true ``doc_topic``
by Hellinger distance;
assigned topics are compared token by token with the true ``token_topics`` (accuracy through
the matching, and normalised mutual information, which needs no matching).
"""

from typing import NamedTuple

import numpy as np
from scipy.sparse import coo_matrix
from sklearn.metrics import normalized_mutual_info_score

from ._matching import UNMATCHED


class DocumentRecovery(NamedTuple):
    """How well a model's per-document mixes and per-token topics match the truth.

    Attributes
    ----------
    n_documents : int
    mean_distance, max_distance : float
        Mean and worst Hellinger distance between a document's true topic proportions and the
        model's mix (topics put in the truth's order by the matching; a recovered topic left
        unmatched is a topic the truth gives no mass).
    distances : ndarray of shape (n_documents,)
    n_tokens : int or None
        Tokens compared (background tokens, topic -1 in the truth, and tokens the model
        dropped are left out); None when the model keeps no token assignments.
    token_accuracy : float or None
        Share of tokens whose assigned topic is matched to their true topic.
    token_nmi : float or None
        Normalised mutual information between true and assigned topics.
    """

    n_documents: int
    mean_distance: float
    max_distance: float
    distances: np.ndarray
    n_tokens: int | None = None
    token_accuracy: float | None = None
    token_nmi: float | None = None

    def __repr__(self):
        return f"DocumentRecovery({self.summary()})"

    def summary(self):
        line = (f"documents: {self.n_documents}, hellinger mean {self.mean_distance:.3f}, "
                f"max {self.max_distance:.3f}")
        if self.n_tokens is not None:
            line += (f"; tokens: {self.n_tokens}, accuracy {self.token_accuracy:.3f}, "
                     f"NMI {self.token_nmi:.3f}")
        return line


def _check_documents(documents):
    """``documents`` must carry its truth: a ``SampledCorpus``."""
    if not all(hasattr(documents, a) for a in ("doc_topic", "token_topics", "token_ids")):
        raise TypeError(
            "documents must be a SampledCorpus (the corpus the model saw, or a held-out one "
            f"drawn from the same truth), got {type(documents).__name__}."
        )
    if len(documents) == 0:
        raise ValueError("documents is empty: it has no documents to judge the model on.")
    return documents


def _normalise(mixes):
    """Rows summing to 1; a row without mass (NMF can give one) becomes uniform."""
    mixes = np.clip(np.asarray(mixes, dtype=float), 0.0, None)
    totals = mixes.sum(axis=1, keepdims=True)
    empty = totals[:, 0] == 0
    mixes[empty] = 1.0
    totals[empty] = mixes.shape[1]
    return mixes / totals


def _token_columns(documents, words):
    """Every token's (document, column of its word in ``words``; -1 for other words)."""
    index = {w: i for i, w in enumerate(map(str, words))}
    translate = np.array([index.get(str(w), -1) for w in documents.vocabulary], dtype=np.int64)
    rows = np.repeat(np.arange(len(documents)), documents.token_ids.lengths)
    return rows, translate[documents.token_ids.values]


def _counts(documents, words):
    """The CSR counts of ``documents`` with columns in ``words`` order (other words dropped)."""
    rows, ids = _token_columns(documents, words)
    keep = ids >= 0
    data = np.ones(int(keep.sum()), dtype=np.int64)
    return coo_matrix((data, (rows[keep], ids[keep])), shape=(len(documents), len(words))).tocsr()


# --- readers: model, documents, its words -> (mixes (n, K_recovered), token topics or None) ---

def _same_corpus(documents, n_model_documents):
    return n_model_documents == len(documents)


def _tomotopy(model, documents, words):
    from ._adapters import tomotopy_topic_ids

    ids = tomotopy_topic_ids(model)
    sub = hasattr(model, "k2")  # PA: the word-level topics are the sub-topics
    if not _same_corpus(documents, len(model.docs)):
        made = [model.make_doc(list(doc)) for doc in documents]
        mixes, _ = model.infer(made)
        return _normalise(np.asarray(mixes)[:, ids]), None
    docs = model.docs
    mixes = np.array([d.get_sub_topic_dist() if sub else d.get_topic_dist() for d in docs])
    assigned = np.concatenate([np.asarray(d.subtopics if sub else d.topics, dtype=np.int64)
                               for d in docs])
    model_words = np.concatenate([np.asarray(d.words, dtype=np.int64) for d in docs])
    _check_same_tokens(documents, np.asarray(model.vocabs, dtype=object)[model_words])
    position = np.full(getattr(model, "k2", model.k), UNMATCHED)
    position[ids] = np.arange(len(ids))
    # a token whose word the model dropped (rm_top, min_cf) has topic -1: left out
    assigned = np.where(assigned >= 0, position[np.clip(assigned, 0, None)], -2)
    return _normalise(mixes[:, ids]), assigned


def _check_same_tokens(documents, model_tokens):
    true_tokens = documents.vocabulary[documents.token_ids.values]
    if model_tokens.shape != true_tokens.shape or not np.array_equal(model_tokens, true_tokens):
        raise ValueError(
            "documents has as many documents as the model was trained on but not the same "
            "tokens: pass the corpus the model saw, in the same order (or a held-out corpus of "
            "another size)."
        )


def _gensim(model, documents, words):
    from gensim.models import LdaModel

    index = {w: i for i, w in enumerate(words)}
    bow = [sorted(_bag(doc, index).items()) for doc in documents]
    if isinstance(model, LdaModel):
        gamma, _ = model.inference(bow)
        return _normalise(gamma), None
    mixes = np.zeros((len(bow), model.get_topics().shape[0]))
    for d, doc in enumerate(bow):
        for k, weight in model[doc]:
            mixes[d, k] = weight
    return _normalise(mixes), None


def _bag(doc, index):
    bag = {}
    for word in doc:
        if word in index:
            bag[index[word]] = bag.get(index[word], 0) + 1
    return bag


def _sklearn(model, documents, words):
    fitted = getattr(model, "doc_topic_", None)  # lda.LDA keeps the mixes of its corpus
    if fitted is not None and _same_corpus(documents, fitted.shape[0]):
        return _normalise(fitted), None
    return _normalise(model.transform(_counts(documents, words))), None


def _lda(model, documents, words):
    """``lda.LDA``: the mixes it kept and, on its own corpus, each token's topic.

    lda deletes its sampled assignments after fitting but keeps the final counts; a token of
    word w in document d gets its most probable topic under them,
    ``argmax_k doc_topic_[d, k] * topic_word_[k, w]`` (the collapsed Gibbs conditional the
    sampler drew from).
    """
    if not _same_corpus(documents, model.ndz_.shape[0]):
        return _sklearn(model, documents, words)
    rows, ids = _token_columns(documents, words)
    seen = ids >= 0
    per_document = np.bincount(rows[seen], minlength=len(documents))
    per_word = np.bincount(ids[seen], minlength=len(words))
    if not (np.array_equal(per_document, model.ndz_.sum(axis=1))
            and np.array_equal(per_word, model.nzw_.sum(axis=0))):
        raise ValueError(
            "documents has as many documents as the lda model was trained on but not the "
            "same word counts: pass the corpus the model saw, in the same order (or a "
            "held-out corpus of another size)."
        )
    doc_topic = np.asarray(model.doc_topic_, dtype=float)
    topic_word = np.asarray(model.topic_word_, dtype=float)
    assigned = np.full(ids.size, -2, dtype=np.int64)  # a word the model never saw: left out
    positions = np.flatnonzero(seen)
    for start in range(0, positions.size, _TOKEN_BLOCK):
        block = positions[start:start + _TOKEN_BLOCK]
        assigned[block] = (doc_topic[rows[block]] * topic_word[:, ids[block]].T).argmax(axis=1)
    return _normalise(doc_topic), assigned


_TOKEN_BLOCK = 1 << 18  # tokens scored at a time: (block, K) floats


def _pipeline(model, documents, words):
    return _normalise(model.transform([" ".join(doc) for doc in documents])), None


def _octis(output, documents, words):
    mixes = output.get("topic-document-matrix")
    if mixes is None:
        raise ValueError("recovered is OCTIS output without a 'topic-document-matrix': document "
                         "recovery needs the model's mix of every document.")
    mixes = np.asarray(mixes, dtype=float).T
    if mixes.shape[0] != len(documents):
        raise ValueError(f"recovered's 'topic-document-matrix' has {mixes.shape[0]} documents, "
                         f"documents has {len(documents)}.")
    return _normalise(mixes), None


def _sampled(corpus, documents, words):
    """A ``SampledCorpus`` as the recovered side: its own truth (the known-answer check)."""
    if len(corpus) != len(documents):
        raise ValueError(f"recovered is a corpus of {len(corpus)} documents, documents has "
                         f"{len(documents)}: they must be the same corpus.")
    return corpus.doc_topic, corpus.token_topics.values


_DOCUMENT_READERS = [
    (lambda o: hasattr(o, "doc_topic") and hasattr(o, "token_topics"), _sampled),
    (lambda o: hasattr(o, "get_topic_word_dist") and hasattr(o, "docs"), _tomotopy),
    (lambda o: hasattr(o, "get_topics") and hasattr(o, "id2word"), _gensim),
    (lambda o: hasattr(o, "steps") and hasattr(o, "transform"), _pipeline),
    (lambda o: isinstance(o, dict) and "topic-word-matrix" in o, _octis),
    (lambda o: isinstance(o, tuple) and len(o) == 2 and hasattr(o[0], "transform"),
     lambda o, d, w: _read(o[0], d, w)),
    (lambda o: hasattr(o, "ndz_") and hasattr(o, "nzw_") and hasattr(o, "doc_topic_"), _lda),
    (lambda o: hasattr(o, "components_") and hasattr(o, "transform"), _sklearn),
]


def _read(model, documents, words):
    for test, reader in _DOCUMENT_READERS:
        if test(model):
            return reader(model, documents, words)
    raise TypeError(
        f"documents= needs a recovered model that gives per-document mixes (gensim, tomotopy, "
        f"sklearn, lda, a Pipeline, OCTIS output with 'topic-document-matrix'); got "
        f"{type(model).__name__}."
    )


def _hellinger_rows(p, q):
    return np.sqrt(np.clip(1.0 - np.sqrt(p * q).sum(axis=1), 0.0, 1.0))


def _in_truth_order(mixes, match, n_true):
    """The model's mixes over (true topics, then unmatched recovered topics)."""
    extra = np.setdiff1d(np.arange(mixes.shape[1]), match[match != UNMATCHED])
    ordered = np.zeros((mixes.shape[0], n_true + extra.size))
    matched = np.flatnonzero(match != UNMATCHED)
    ordered[:, matched] = mixes[:, match[matched]]
    ordered[:, n_true:] = mixes[:, extra]
    return ordered


def _true_doc_topic(documents, true_names):
    """``documents.doc_topic`` with its columns in the report's true-topic order."""
    if list(documents.topic_names) == list(true_names):
        return documents.doc_topic, np.arange(len(true_names))
    if sorted(documents.topic_names) != sorted(true_names):
        raise ValueError(
            f"documents has topics {_names(documents.topic_names)}, the truth "
            f"{_names(true_names)}: documents must be drawn from the truth."
        )
    order = [list(documents.topic_names).index(name) for name in true_names]
    return documents.doc_topic[:, order], np.argsort(order)


def _names(names):
    return ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")


def _tokens(true_topics, assigned, match):
    """Accuracy and NMI over tokens with a true topic (>= 0) and an assigned one (>= 0)."""
    keep = (true_topics >= 0) & (assigned >= 0)
    true_topics, assigned = true_topics[keep], assigned[keep]
    if not true_topics.size:
        return 0, float("nan"), float("nan")
    matched_to = np.full(max(int(assigned.max()) + 1, match.max() + 1), -2)
    matched_to[match[match != UNMATCHED]] = np.flatnonzero(match != UNMATCHED)
    accuracy = float(np.mean(matched_to[assigned] == true_topics))
    return int(true_topics.size), accuracy, float(normalized_mutual_info_score(true_topics,
                                                                               assigned))


def document_recovery(recovered, documents, recovered_words, match, true_names):
    """Judge ``recovered``'s per-document mixes and per-token topics against ``documents``.

    ``match`` is the topic matching (the recovered index of each true topic, in the report's
    true-topic order).
    """
    documents = _check_documents(documents)
    truth, column_of = _true_doc_topic(documents, true_names)
    mixes, assigned = _read(recovered, documents, list(recovered_words))
    mixes = np.asarray(mixes, dtype=float)
    ordered = _in_truth_order(mixes, match, len(true_names))
    padded = np.zeros_like(ordered)
    padded[:, :truth.shape[1]] = truth
    distances = _hellinger_rows(padded, ordered)
    result = dict(n_documents=len(documents), mean_distance=float(distances.mean()),
                  max_distance=float(distances.max()), distances=distances)
    if assigned is not None:
        true_topics = np.asarray(documents.token_topics.values, dtype=np.int64)
        true_topics = np.where(true_topics >= 0, column_of[np.clip(true_topics, 0, None)], -1)
        n, accuracy, nmi = _tokens(true_topics, np.asarray(assigned, dtype=np.int64), match)
        result.update(n_tokens=n, token_accuracy=accuracy, token_nmi=nmi)
    return DocumentRecovery(**result)
