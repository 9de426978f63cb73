"""Property tests over the public API: valid input draws within its contract, invalid input
gets the documented error naming the parameter. Sized to run in well under a minute."""

import os
import string

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skmix import GaussianMixtureSampler, TopicMixtureGenerator
from skmix.compare import match_topics

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

words = st.text(alphabet=string.ascii_lowercase + "éß日", min_size=1, max_size=6)
word_lists = st.lists(st.lists(words, min_size=1, max_size=6), min_size=1, max_size=4)
priors = st.one_of(st.none(), st.floats(0.05, 5.0))
lengths = st.integers(1, 40)
counts = st.integers(1, 60)
seeds = st.integers(0, 2**32 - 1)


@SETTINGS
@given(topics=word_lists, prior=priors, length=lengths, n=counts, seed=seeds)
def test_sampled_corpora_keep_their_contract(topics, prior, length, n, seed):
    generator = TopicMixtureGenerator(topics, doc_topic_prior=prior, doc_length=length).fit()
    corpus = generator.sample(n, random_state=seed)
    assert len(corpus) == n and corpus.doc_lengths.tolist() == [length] * n
    assert set(corpus.token_ids.values.tolist()) <= set(range(len(generator.vocabulary_)))
    # every token's word belongs to the topic that drew it
    drawn = generator.topic_word_[corpus.token_topics.values, corpus.token_ids.values]
    assert np.all(drawn > 0)
    np.testing.assert_allclose(corpus.doc_topic.sum(axis=1), 1.0)
    assert list(corpus) == list(generator.sample(n, random_state=seed))


@SETTINGS
@given(weights=st.lists(st.dictionaries(words, st.floats(1e-300, 1e308), min_size=1,
                                        max_size=5), min_size=1, max_size=3))
def test_any_finite_positive_weights_give_distributions(weights):
    generator = TopicMixtureGenerator(weights).fit()
    assert np.all(np.isfinite(generator.topic_word_))
    np.testing.assert_allclose(generator.topic_word_.sum(axis=1), 1.0)
    corpus = generator.sample(5, random_state=0)
    assert np.all(generator.topic_word_[corpus.token_topics.values, corpus.token_ids.values] > 0)


@SETTINGS
@given(n=st.one_of(st.integers(max_value=0), st.floats(allow_nan=True), st.text(max_size=3),
                   st.booleans(), st.none()))
def test_bad_n_samples_is_refused_by_name(n):
    generator = TopicMixtureGenerator([["a", "b"]]).fit()
    with pytest.raises((TypeError, ValueError), match="n_samples"):
        generator.sample(n)


@SETTINGS
@given(prior=st.one_of(st.floats(max_value=0.0), st.just(float("nan")), st.just(float("inf")),
                       st.text(max_size=3), st.booleans(), st.complex_numbers()))
def test_bad_priors_are_refused_by_name(prior):
    with pytest.raises((TypeError, ValueError), match="doc_topic_prior"):
        TopicMixtureGenerator([["a"], ["b"]], doc_topic_prior=prior).fit()


@SETTINGS
@given(length=st.one_of(st.integers(max_value=0), st.floats(), st.text(max_size=3),
                        st.booleans()))
def test_bad_lengths_are_refused_by_name(length):
    with pytest.raises((TypeError, ValueError), match="doc_length"):
        TopicMixtureGenerator([["a"]], doc_length=length).fit()


@SETTINGS
@given(word=st.text(min_size=1, max_size=5).filter(lambda w: any(c.isspace() for c in w)))
def test_txt_refuses_every_word_with_whitespace(word, tmp_path_factory):
    folder = tmp_path_factory.mktemp("txt")
    corpus = TopicMixtureGenerator([[word, "b"]]).fit().sample(3, random_state=0)
    with pytest.raises(ValueError, match="whitespace"):
        corpus.save(folder / "c.txt")
    assert os.listdir(folder) == []


@SETTINGS
@given(index=st.lists(st.one_of(st.booleans(), st.floats(0, 2)), min_size=1, max_size=3))
def test_documents_are_indexed_by_ints_only(index):
    corpus = TopicMixtureGenerator([["a", "b"]]).fit().sample(3, random_state=0)
    with pytest.raises(TypeError, match="indexed by ints"):
        corpus[np.asarray(index)]


@SETTINGS
@given(k=st.integers(1, 3), d=st.integers(1, 3), n=st.integers(1, 200), seed=seeds,
       data=st.data())
def test_gaussian_samples_have_the_asked_shape(k, d, n, seed, data):
    means = data.draw(st.lists(st.lists(st.floats(-1e3, 1e3), min_size=d, max_size=d),
                               min_size=k, max_size=k))
    sampler = GaussianMixtureSampler(means=means).fit()
    X, labels = sampler.sample(n, random_state=seed)
    assert X.shape == (n, d) and np.all(np.isfinite(X))
    assert labels.shape == (n,) and set(labels.tolist()) <= set(range(k))


@SETTINGS
@given(weights=st.lists(st.floats(-1, 2), min_size=2, max_size=2).filter(
    lambda w: min(w) < 0 or abs(sum(w) - 1) > 1e-3))
def test_bad_mixture_weights_are_refused_by_name(weights):
    with pytest.raises(ValueError, match="weights"):
        GaussianMixtureSampler(means=[[0.0], [1.0]], weights=weights).fit()


@SETTINGS
@given(topics=st.lists(st.lists(st.floats(0, 10), min_size=4, max_size=4).filter(
    lambda row: sum(row) > 0), min_size=1, max_size=4))
def test_topics_match_themselves(topics):
    pair = (np.array(topics), ["w", "x", "y", "z"])
    report = match_topics(pair, pair)
    assert report.passed and np.allclose(np.diag(report.distances), 0, atol=1e-6)
