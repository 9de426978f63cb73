"""Look-alikes of real text: fit(X) with "auto" realism on gensim's Lee corpus, and the
negative controls that compare_corpora must fail. Nothing is downloaded: the corpus ships
with gensim's tests."""

import numpy as np
import pytest
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from skmix import TopicMixtureGenerator
from skmix._text_stats import text_statistics, word_ids
from skmix.compare import compare_corpora
from skmix.processes import ZipfTail

AUTO = {"background": "auto", "burstiness": "auto", "new_words": "auto"}
FIT = {"passes": 10, "n_init": 1, "random_state": 0}
STATISTICS = ["burstiness", "heaps_beta", "hapax_share", "vocabulary_size",
              "distinct_per_document"]


def statistics(corpus):
    return text_statistics(*word_ids(corpus)[:2]).as_dict()


def shuffled(corpus, seed=0):
    """The corpus's tokens shuffled across documents, lengths kept: text without topics."""
    tokens = np.concatenate([np.array(document, dtype=object) for document in corpus])
    np.random.default_rng(seed).shuffle(tokens)
    ends = np.cumsum([len(document) for document in corpus])
    return [part.tolist() for part in np.split(tokens, ends[:-1])]


@pytest.fixture(scope="module")
def lee():
    with open(datapath("lee_background.cor"), encoding="utf-8") as file:
        return [simple_preprocess(line) for line in file if line.strip()]


@pytest.fixture(scope="module")
def lookalike(lee):
    return TopicMixtureGenerator(n_topics=10, **FIT, **AUTO).fit(lee)


@pytest.mark.slow
def test_auto_lookalike_is_within_10_percent_and_plain_lda_is_not(lee, lookalike):
    real = statistics(lee)
    auto = statistics(lookalike.sample(len(lee), random_state=1))
    plain = TopicMixtureGenerator(n_topics=10, **FIT).fit(lee)
    before = statistics(plain.sample(len(lee), random_state=1))
    for name in STATISTICS:
        assert abs(auto[name] / real[name] - 1) <= 0.1, (name, auto[name], real[name])
    assert abs(before["hapax_share"] / real["hapax_share"] - 1) > 0.1
    assert abs(before["distinct_per_document"] / real["distinct_per_document"] - 1) > 0.1


@pytest.mark.slow
def test_what_auto_learns(lookalike):
    assert 0 < lookalike.background_rate_ < 0.5
    background_words = lookalike.vocabulary_[lookalike.background_ > 0]
    assert {"the", "of", "to"} <= set(background_words)
    assert np.all(lookalike.topic_word_[:, lookalike.background_ > 0] == 0)
    assert lookalike.burstiness_ > 0
    assert isinstance(lookalike.new_words_, ZipfTail) and lookalike.new_words_.exponent > 1


@pytest.mark.slow
def test_compare_corpora_passes_the_lookalike_and_fails_the_negative_controls(lee, lookalike):
    report = compare_corpora(lee, lookalike.sample(len(lee), random_state=2))
    assert report.passed, str(report)
    for control in [shuffled(lee), _one_topic(lee).sample(len(lee), random_state=2)]:
        report = compare_corpora(lee, control)
        assert not report.passed
        assert not report.checks[-1].passed, str(report)  # the topic structure


def _one_topic(lee):
    return TopicMixtureGenerator(n_topics=1, **FIT, **AUTO).fit(lee)


def test_fit_refuses_a_given_background_beside_auto():
    corpus = [["a", "b", "a"], ["c", "b"]] * 10
    with pytest.raises(ValueError, match="background must be 'auto' or None"):
        TopicMixtureGenerator(n_topics=1, background=["a"], background_rate=0.1,
                              burstiness="auto", passes=1).fit(corpus)


def test_fit_auto_on_a_small_corpus_gives_a_working_generator():
    rng = np.random.default_rng(0)
    corpus = [rng.choice([f"w{i}" for i in range(40)], size=20).tolist() for _ in range(60)]
    corpus += [["rare1"], ["rare2", "w1"]]
    generator = TopicMixtureGenerator(n_topics=2, passes=2, n_init=1, random_state=0,
                                      **AUTO).fit(corpus)
    sample = generator.sample(50, random_state=0)
    assert len(sample) == 50 and "rare1" not in generator.vocabulary_


def test_fit_to_data_keeps_given_realism():
    rng = np.random.default_rng(0)
    corpus = [rng.choice([f"w{i}" for i in range(30)], size=15).tolist() for _ in range(40)]
    generator = TopicMixtureGenerator(
        n_topics=2, passes=2, n_init=1, random_state=0, background=["zzz"],
        background_rate=0.2, burstiness=2.0, new_words=ZipfTail(0.1, 2.0, start=31),
    ).fit(corpus)
    assert generator.vocabulary_[-1] == "zzz" and generator.background_[-1] == 1
    assert generator.burstiness_ == 2.0 and generator.new_words_.rate == 0.1
    topics = generator.sample(300, random_state=0).token_topics.values
    assert {-2, -1, 0, 1} == set(topics.tolist())


def test_fit_refuses_auto_from_given_topics():
    corpus = [["a", "b", "a"], ["c", "b"]] * 10
    with pytest.raises(ValueError, match="give n_topics instead of topics"):
        TopicMixtureGenerator([["a", "b"], ["c"]], burstiness="auto", passes=1).fit(corpus)


def test_a_large_corpus_is_calibrated_on_every_kth_document(monkeypatch):
    import scipy.sparse

    from skmix import _lookalike

    lengths = np.full(1000, 50)
    counts = scipy.sparse.csr_matrix(np.ones((1000, 50), dtype=np.int64))
    monkeypatch.setattr(_lookalike, "CALIBRATION_TOKENS", 10_000)
    sample, sample_lengths = _lookalike._calibration_sample(counts, lengths)
    assert sample.shape[0] == sample_lengths.size == 200 and sample_lengths.sum() <= 10_000
    assert _lookalike._calibration_sample(counts[:100], lengths[:100])[0].shape[0] == 100


def test_burstiness_learned_from_a_sample_of_documents_is_the_whole_corpus_s(lee, monkeypatch):
    from skmix import _lookalike

    whole = TopicMixtureGenerator(n_topics=5, passes=5, n_init=1, random_state=0,
                                  burstiness="auto").fit(lee)
    monkeypatch.setattr(_lookalike, "CALIBRATION_TOKENS", sum(map(len, lee)) // 3)
    sampled = TopicMixtureGenerator(n_topics=5, passes=5, n_init=1, random_state=0,
                                    burstiness="auto").fit(lee)
    np.testing.assert_allclose(sampled.topic_word_, whole.topic_word_)  # same topics
    # kappa from a third of the documents: as bursty a look-alike, to a few percent
    ids = [text_statistics(*word_ids(g.sample(len(lee), random_state=1))[:2]).burstiness
           for g in (whole, sampled)]
    assert ids[1] == pytest.approx(ids[0], rel=0.05), ids
