"""The tomotopy fit backend (the gensim and sklearn ones are tested in test_topic_fit.py)."""

import numpy as np
import pytest

from skmix import TopicMixtureGenerator
from skmix.compare import match_topics
from skmix.datasets import bars_topics

pytest.importorskip("tomotopy")


@pytest.fixture(scope="module")
def bars():
    truth = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=0.1, doc_length=100,
                                  random_state=0).fit()
    return truth, truth.sample(500, random_state=0)


def _fit(corpus, **options):
    options = {"n_topics": 10, "backend": "tomotopy", "n_init": 1, "random_state": 0, **options}
    return TopicMixtureGenerator(**options).fit(corpus)


def test_tomotopy_backend_finds_the_bars(bars):
    truth, corpus = bars
    fitted = _fit(list(corpus), n_init=3)  # one Gibbs run in a few merges two bars
    report = match_topics(truth, fitted)
    assert report.passed, report
    # the learned prior is sparse, as the truth's (0.1); tomotopy re-estimates it as it samples
    assert 0.03 < fitted.doc_topic_prior_.mean() < 0.3
    np.testing.assert_allclose(fitted.topic_word_.sum(axis=1), 1.0)
    assert fitted.topic_weights_.sum() == pytest.approx(1.0)


def test_tomotopy_backend_keeps_the_given_vocabulary_order(bars):
    truth, corpus = bars
    words = [*truth.vocabulary_.tolist()[::-1], "never_seen"]
    fitted = _fit(corpus.to_csr()[:, ::-1], vocabulary=words[:-1], passes=5)
    assert fitted.vocabulary_.tolist() == words[:-1]
    unseen = _fit(list(corpus), vocabulary=words, passes=5)
    assert unseen.vocabulary_.tolist() == words
    assert np.all(unseen.topic_word_[:, -1] == 0)  # a word no document has is never drawn
    # same topics either way: the columns follow the words, not tomotopy's numbering
    assert match_topics(fitted, unseen).max_distance < 0.2


def test_tomotopy_backend_is_reproducible(bars):
    _, corpus = bars
    first, second = (_fit(list(corpus[:100]), passes=2) for _ in range(2))
    np.testing.assert_array_equal(first.topic_word_, second.topic_word_)
    assert not np.array_equal(first.topic_word_, _fit(list(corpus[:100]), passes=2,
                                                      random_state=1).topic_word_)


def test_tomotopy_backend_keeps_the_best_restart(bars):
    _, corpus = bars
    fitted = _fit(list(corpus[:100]), passes=2, n_init=3)
    assert fitted.model_.k == 10 and len(fitted.model_.docs) == 100
