"""Every model form ``match_topics`` reads, each against a real fitted model of its library.

An adapter is right when the report it gives is the report of the same topics passed as a
``(topics, words)`` pair: same distances, same matching, same rows.
"""

import warnings

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import HdpModel, LdaModel, LdaMulticore
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.pipeline import make_pipeline

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import bars_topics


@pytest.fixture(scope="module")
def truth():
    return TopicMixtureGenerator(bars_topics(5), doc_topic_prior=1.0, doc_length=50,
                                 random_state=0).fit()


@pytest.fixture(scope="module")
def corpus(truth):
    return truth.sample(300, random_state=1)


def _same_report(truth, model, pair, **kwargs):
    """The report of ``model`` equals the report of the same topics given as a pair."""
    got = match_topics(truth, model, **kwargs)
    expected = match_topics(truth, pair)
    np.testing.assert_allclose(got.distances, expected.distances, atol=1e-12)
    assert got.match.tolist() == expected.match.tolist()
    assert [r.distance for r in got.rows] == pytest.approx([r.distance for r in expected.rows])
    assert [r.recovered_words for r in got.rows] == [r.recovered_words for r in expected.rows]
    return got


def _gensim_corpus(corpus):
    dictionary = Dictionary(corpus)
    return dictionary, [dictionary.doc2bow(doc) for doc in corpus]


def _gensim_pair(model):
    return model.get_topics(), [model.id2word[i] for i in range(model.get_topics().shape[1])]


@pytest.mark.parametrize("make", [
    lambda bow, d: LdaModel(bow, num_topics=10, id2word=d, passes=2, random_state=0),
    lambda bow, d: LdaMulticore(bow, num_topics=10, id2word=d, passes=2, workers=1,
                                random_state=0),
    lambda bow, d: HdpModel(bow, id2word=d, T=20, random_state=0),
], ids=["LdaModel", "LdaMulticore", "HdpModel"])
def test_gensim_models(truth, corpus, make):
    dictionary, bow = _gensim_corpus(corpus)
    model = make(bow, dictionary)
    _same_report(truth, model, _gensim_pair(model))


def _tomotopy(kind, corpus, **options):
    tp = pytest.importorskip("tomotopy")
    model = getattr(tp, kind)(seed=0, **options)
    for doc in corpus:
        model.add_doc(list(doc))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # workers != 1 may differ by seed
        model.train(50, workers=1)
    return model


@pytest.mark.parametrize("kind, options", [
    ("LDAModel", {"k": 10}), ("CTModel", {"k": 10}), ("PAModel", {"k1": 3, "k2": 10}),
    ("HDPModel", {"initial_k": 5}),
])
def test_tomotopy_models(truth, corpus, kind, options):
    model = _tomotopy(kind, corpus, **options)
    n = getattr(model, "k2", model.k)
    live = [k for k in range(n) if not hasattr(model, "is_live_topic") or model.is_live_topic(k)]
    topics = np.array([model.get_topic_word_dist(k) for k in live])
    report = _same_report(truth, model, (topics, list(model.used_vocabs)))
    assert report.recovered_names == [f"topic_{k}" for k in live]
    assert len(live) <= n


def test_tomotopy_hdp_reads_live_topics_only(corpus):
    model = _tomotopy("HDPModel", corpus, initial_k=5)
    assert model.live_k < model.k  # else the test shows nothing
    report = match_topics(corpus, model)
    assert len(report.recovered_names) == model.live_k


def test_lda_package(truth, corpus):
    lda = pytest.importorskip("lda")
    model = lda.LDA(10, n_iter=50, random_state=0).fit(corpus.to_csr())
    words = corpus.vocabulary.tolist()
    _same_report(truth, model, (model.topic_word_, words), vocabulary=words)
    _same_report(truth, (model, words), (model.topic_word_, words))


@pytest.mark.parametrize("model", [
    LatentDirichletAllocation(10, max_iter=5, random_state=0),
    NMF(10, max_iter=200, random_state=0),
], ids=["LatentDirichletAllocation", "NMF"])
def test_sklearn_models(truth, corpus, model):
    model.fit(corpus.to_csr())
    words = corpus.vocabulary.tolist()
    _same_report(truth, model, (model.components_, words), vocabulary=words)


@pytest.mark.parametrize("steps", [
    [CountVectorizer(), LatentDirichletAllocation(10, max_iter=5, random_state=0)],
    [CountVectorizer(), TfidfTransformer(), NMF(10, max_iter=200, random_state=0)],
], ids=["CountVectorizer+LDA", "CountVectorizer+Tfidf+NMF"])
def test_sklearn_pipeline_takes_words_from_the_vectorizer(truth, corpus, steps):
    pipeline = make_pipeline(*steps).fit([" ".join(doc) for doc in corpus])
    words = pipeline[0].get_feature_names_out()
    _same_report(truth, pipeline, (pipeline[-1].components_, words))


def test_pipeline_without_a_topic_model_is_refused(corpus):
    pipeline = make_pipeline(CountVectorizer(), TfidfTransformer()).fit(
        [" ".join(doc) for doc in corpus])
    with pytest.raises(TypeError, match=r"Pipeline whose last step \(TfidfTransformer"):
        match_topics(corpus, pipeline)


def test_octis_output(truth, corpus):
    model = LatentDirichletAllocation(10, max_iter=5, random_state=0).fit(corpus.to_csr())
    words = corpus.vocabulary.tolist()
    output = {"topic-word-matrix": model.components_, "topics": [["x"]] * 10,
              "topic-document-matrix": model.transform(corpus.to_csr()).T}
    _same_report(truth, output, (model.components_, words), vocabulary=words)


def test_octis_output_needs_vocabulary(corpus):
    with pytest.raises(ValueError, match="vocabulary="):
        match_topics(corpus, {"topic-word-matrix": np.ones((2, corpus.vocabulary.size))})


def test_unknown_model_names_the_ways_in(corpus):
    with pytest.raises(TypeError, match="register_topic_adapter"):
        match_topics(corpus, object())
