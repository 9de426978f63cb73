"""match_topics(documents=...): document and token recovery; coverage, redundancy, extras and
the diffuse note."""

import warnings

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.metrics import normalized_mutual_info_score

from skmix import TopicMixtureGenerator
from skmix.compare import assert_topics_recovered, match_topics
from skmix.datasets import bars_topics


@pytest.fixture(scope="module")
def truth():
    return TopicMixtureGenerator(bars_topics(5), doc_topic_prior=1.0, doc_length=50,
                                 random_state=0).fit()


@pytest.fixture(scope="module")
def corpus(truth):
    return truth.sample(300, random_state=1)


def _tomotopy_lda(corpus, k=10):
    tp = pytest.importorskip("tomotopy")
    model = tp.LDAModel(k=k, alpha=1.0, seed=0)  # the true prior: found on 300 documents
    for doc in corpus:
        model.add_doc(list(doc))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        model.train(200, workers=1)
    return model


def _hellinger(p, q):
    return np.sqrt(1 - np.sqrt(p * q).sum(axis=1))


def test_the_truth_as_recovered_scores_perfectly(truth, corpus):
    documents = match_topics(truth, corpus, documents=corpus).documents
    assert documents.max_distance < 1e-7
    assert documents.token_accuracy == 1.0 and documents.token_nmi == pytest.approx(1.0)
    assert documents.n_tokens == corpus.n_tokens and documents.n_documents == len(corpus)


def test_tomotopy_equals_an_independent_computation(truth, corpus):
    model = _tomotopy_lda(corpus)
    report = match_topics(truth, model, documents=corpus)
    # by hand: column k of the model's mixes is the recovered topic matched to true topic k
    mixes = np.array([d.get_topic_dist() for d in model.docs], dtype=float)
    mixes /= mixes.sum(axis=1, keepdims=True)
    expected = _hellinger(corpus.doc_topic, mixes[:, report.match])
    np.testing.assert_allclose(report.documents.distances, expected, atol=1e-6)
    assigned = np.concatenate([np.asarray(d.topics) for d in model.docs])
    true_topics = corpus.token_topics.values
    accuracy = np.mean(report.match[true_topics] == assigned)
    assert report.documents.token_accuracy == pytest.approx(accuracy)
    assert report.documents.token_nmi == pytest.approx(
        normalized_mutual_info_score(true_topics, assigned))
    # found topics with a good fit: the documents follow
    assert report.passed and report.documents.mean_distance < 0.35
    assert "tokens: 15000, accuracy" in str(report)


def test_tomotopy_held_out_documents_are_inferred(truth, corpus):
    model = _tomotopy_lda(corpus)
    held_out = truth.sample(40, random_state=2)
    documents = match_topics(truth, model, documents=held_out).documents
    assert documents.n_documents == 40 and documents.token_accuracy is None
    assert documents.mean_distance < 0.5


def test_tomotopy_with_another_corpus_of_the_same_size_is_refused(truth, corpus):
    model = _tomotopy_lda(corpus)
    with pytest.raises(ValueError, match="not the same tokens"):
        match_topics(truth, model, documents=truth.sample(300, random_state=9))


def test_gensim_equals_get_document_topics(truth, corpus):
    dictionary = Dictionary(corpus)
    bow = [dictionary.doc2bow(doc) for doc in corpus]
    # converged E-steps, so that both computations reach the same mixes
    model = LdaModel(bow, num_topics=10, id2word=dictionary, passes=3, iterations=200,
                     gamma_threshold=1e-8, random_state=0)
    report = match_topics(truth, model, documents=corpus)
    mixes = np.zeros((len(corpus), 10))
    for d, doc in enumerate(bow):
        for k, weight in model.get_document_topics(doc, minimum_probability=0.0):
            mixes[d, k] = weight
    expected = _hellinger(corpus.doc_topic, mixes[:, report.match])
    # a document's E-step starts at random and may settle elsewhere: nearly all agree
    agree = np.abs(report.documents.distances - expected) < 1e-3
    assert agree.mean() > 0.9, agree.mean()
    assert report.documents.token_accuracy is None


def test_sklearn_and_lda_equal_their_own_mixes(truth, corpus):
    lda = pytest.importorskip("lda")
    counts, words = corpus.to_csr(), corpus.vocabulary.tolist()
    sk = LatentDirichletAllocation(10, max_iter=10, random_state=0).fit(counts)
    gibbs = lda.LDA(10, n_iter=100, random_state=0).fit(counts)
    for model, mixes in [(sk, sk.transform(counts)), (gibbs, gibbs.doc_topic_)]:
        report = match_topics(truth, model, vocabulary=words, documents=corpus)
        expected = _hellinger(corpus.doc_topic, mixes[:, report.match])
        np.testing.assert_allclose(report.documents.distances, expected, atol=1e-9)


def test_lda_tokens_take_their_most_probable_topic_under_the_final_counts(truth, corpus):
    lda = pytest.importorskip("lda")
    counts, words = corpus.to_csr(), corpus.vocabulary.tolist()
    model = lda.LDA(10, n_iter=1000, alpha=1.0, eta=0.01, random_state=0).fit(counts)
    report = match_topics(truth, (model, words), documents=corpus)
    # by hand: every token of word w in document d, argmax_k of doc_topic_[d, k] topic_word_[k, w]
    rows = np.repeat(np.arange(len(corpus)), corpus.token_ids.lengths)
    scores = model.doc_topic_[rows] * model.topic_word_[:, corpus.token_ids.values].T
    assigned = scores.argmax(axis=1)
    true_topics = corpus.token_topics.values
    assert report.documents.n_tokens == corpus.n_tokens
    assert report.documents.token_accuracy == pytest.approx(
        np.mean(report.match[true_topics] == assigned))
    assert report.documents.token_nmi == pytest.approx(
        normalized_mutual_info_score(true_topics, assigned))
    # a good fit (its topics found) labels tokens nearly as well as the truth itself does: a
    # bar word belongs to a row and a column, so even the true mixes and topics label only
    # 76% of the tokens right this way (the Bayes ceiling; lda 0.67 at seeds 0, 1 and 2)
    true_ids = np.searchsorted(truth.vocabulary_, corpus.vocabulary)[corpus.token_ids.values]
    oracle = np.mean((corpus.doc_topic[rows] * truth.topic_word_[:, true_ids].T).argmax(axis=1)
                     == true_topics)
    assert oracle == pytest.approx(0.757, abs=0.01)
    assert report.passed and report.documents.token_accuracy > oracle - 0.15


def test_lda_with_another_corpus_of_the_same_size_is_refused(truth, corpus):
    lda = pytest.importorskip("lda")
    counts, words = corpus.to_csr(), corpus.vocabulary.tolist()
    model = lda.LDA(10, n_iter=20, random_state=0).fit(counts)
    with pytest.raises(ValueError, match="not the same word counts"):
        match_topics(truth, model, vocabulary=words,
                     documents=truth.sample(300, random_state=9))


def test_documents_must_be_a_sampled_corpus(truth, corpus):
    with pytest.raises(TypeError, match="documents must be a SampledCorpus"):
        match_topics(truth, corpus, documents=list(corpus))


def test_a_model_without_mixes_is_refused_with_documents(truth, corpus):
    with pytest.raises(TypeError, match="per-document mixes"):
        match_topics(truth, bars_topics(5), documents=corpus)


def test_too_many_topics_fail_with_max_extra_topics(truth, corpus):
    model = _tomotopy_lda(corpus, k=12)
    report = match_topics(truth, model)
    assert report.passed  # extras alone do not fail a report...
    assert not match_topics(truth, model, max_extra_topics=1).passed  # ...unless limited
    assert match_topics(truth, model, max_extra_topics=2).passed
    text = str(match_topics(truth, model, max_extra_topics=0))
    assert "too many topics: 2 extra, max_extra_topics=0" in text
    assert "12 recovered for 10 true topics: coverage 1.00" in text
    with pytest.raises(AssertionError, match="too many topics"):
        assert_topics_recovered(truth, model, max_extra_topics=0)


@pytest.mark.parametrize("value", [-1, 1.5, "2", True])
def test_bad_max_extra_topics_is_refused(truth, value):
    with pytest.raises((TypeError, ValueError), match="max_extra_topics"):
        match_topics(truth, truth, max_extra_topics=value)


def test_coverage_and_redundancy():
    truth = bars_topics(5)
    repeated = {**truth, "again": truth["row0"] + ["r0c0"]}  # row0, r0c0 twice as likely
    report = match_topics(truth, repeated)
    assert report.coverage == 1.0 and report.redundant == {"again": "row0"}
    assert report.redundancy == pytest.approx(1 / 11)
    half = {name: truth[name] for name in list(truth)[:5]}
    assert match_topics(truth, half).coverage == 0.5


def test_diffuse_note_says_how_much_mass_is_outside(truth):
    p = truth.topic_word_
    blurred = 0.6 * p + 0.4 / p.shape[1]  # right top words, 32% of the mass elsewhere
    report = match_topics(truth, (blurred, truth.vocabulary_))
    assert not report.passed and all(row.precision == 1.0 for row in report.rows)
    assert all(row.note.startswith("diffuse: 32% of its mass outside the true words")
               for row in report.rows)
    assert "diffuse" not in str(match_topics(truth, truth))


def test_background_tokens_are_left_out_of_token_recovery():
    truth = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=1.0, doc_length=50,
                                  background=["the", "of"], background_rate=0.3,
                                  random_state=0).fit()
    corpus = truth.sample(100, random_state=1)
    background = int((corpus.token_topics.values == -1).sum())
    assert background > 0
    documents = match_topics(truth, corpus, documents=corpus).documents
    assert documents.n_tokens == corpus.n_tokens - background
    assert documents.token_accuracy == 1.0
