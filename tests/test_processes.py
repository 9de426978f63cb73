"""Document-topic processes and length laws (skmix.processes)."""

import numpy as np
import pytest
from scipy import stats

from skmix import TopicMixtureGenerator
from skmix.datasets import bars_topics
from skmix.processes import Dirichlet, Fixed


class _Corner:
    """A user's process: every document is all topic 0 (only ``draw``, nothing else)."""

    def draw(self, rng, n_documents):
        theta = np.zeros((n_documents, 10))
        theta[:, 0] = 1
        return theta


def test_dirichlet_and_fixed_objects_draw_what_their_shorthands_draw():
    for shorthand, process in [
        ({"doc_topic_prior": 0.5}, {"doc_topic_prior": Dirichlet(0.5)}),
        ({"topic_weights": [0.3, 0.7]}, {"doc_topic_prior": Fixed([0.3, 0.7])}),
    ]:
        topics = bars_topics(2) if "doc_topic_prior" in shorthand else [["a"], ["b", "c"]]
        a = TopicMixtureGenerator(topics, **shorthand).fit().sample(50, random_state=3)
        b = TopicMixtureGenerator(topics, **process).fit().sample(50, random_state=3)
        np.testing.assert_array_equal(a.token_ids.values, b.token_ids.values)
        np.testing.assert_array_equal(a.doc_topic, b.doc_topic)


def test_dirichlet_means_match_alpha():
    theta = Dirichlet([1.0, 2.0, 5.0]).for_topics(3).draw(np.random.default_rng(0), 20_000)
    np.testing.assert_allclose(theta.mean(axis=0), [1 / 8, 2 / 8, 5 / 8], atol=0.01)


def test_a_users_own_process_is_used():
    generator = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=_Corner()).fit()
    corpus = generator.sample(20, random_state=0)
    assert set(np.unique(corpus.token_topics.values)) == {0}
    np.testing.assert_allclose(generator.topic_weights_, np.eye(10)[0])


def test_a_process_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match=r"doc_topic_prior .* must draw \(n_documents, 4\)"):
        TopicMixtureGenerator(bars_topics(2), doc_topic_prior=_Corner()).fit()


@pytest.mark.parametrize(
    ("doc_length", "mean"), [(7, 7.0), (stats.poisson(30), 30.0), ([10, 20], 15.0)]
)
def test_every_length_law_draws_its_mean(doc_length, mean):
    generator = TopicMixtureGenerator(bars_topics(2), doc_length=doc_length).fit()
    lengths = generator.sample(4000, random_state=0).doc_lengths
    assert lengths.mean() == pytest.approx(mean, rel=0.02)
