"""TopicMixtureGenerator: topic forms, draws in distribution, the seed scheme and its refusals.

Statistical tests use fixed seeds; each states its tolerance. Tests of a p-value ask p > 0.001,
so a correct generator fails one of them about once in a thousand seeds.
"""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import linear_sum_assignment
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from skmix import SampledCorpus, TopicMixtureGenerator
from skmix._blocks import _BLOCK_SIZE, _alias_table, _block_rng
from skmix.datasets import bars_topics, worksheet_topics

P_MIN = 1e-3


def worksheet_word_probabilities(vocabulary):
    """p(word) under the worksheet's coin flip, computed by hand from the two word lists."""
    birthday, rings = worksheet_topics().values()
    return np.array([0.5 * (w in birthday) / 7 + 0.5 * (w in rings) / 8 for w in vocabulary])


def chi_square_p(counts, probabilities):
    """p-value of observed ``counts`` against ``probabilities`` (cells expected >= 5)."""
    expected = probabilities * counts.sum()
    keep = expected >= 5
    expected = expected[keep] * counts[keep].sum() / expected[keep].sum()
    return stats.chisquare(counts[keep], expected).pvalue


def hellinger_matched(truth, recovered):
    """Worst Hungarian-matched Hellinger distance between two sets of topics (rows)."""
    distance = np.sqrt(
        0.5 * ((np.sqrt(truth)[:, None, :] - np.sqrt(recovered)[None, :, :]) ** 2).sum(-1)
    )
    rows, cols = linear_sum_assignment(distance)
    return distance[rows, cols].max()


# --- topic forms ---------------------------------------------------------------------------


def test_forms_give_the_same_truth():
    words = [["a", "b"], ["b", "c", "d"]]
    as_lists = TopicMixtureGenerator(words).fit()
    as_dict = TopicMixtureGenerator({"x": words[0], "y": words[1]}).fit()
    as_weights = TopicMixtureGenerator([dict.fromkeys(w, 2.0) for w in words]).fit()
    array = np.array([[1, 1, 0, 0], [0, 1, 1, 1]])
    as_array = TopicMixtureGenerator(array, vocabulary=["a", "b", "c", "d"]).fit()
    for generator in (as_lists, as_dict, as_weights, as_array):
        assert generator.vocabulary_.tolist() == ["a", "b", "c", "d"]
        np.testing.assert_allclose(generator.topic_word_, array / array.sum(1, keepdims=True))
        assert generator.n_topics_ == 2
    assert as_lists.topic_names_ == as_array.topic_names_ == ["topic_0", "topic_1"]
    assert as_dict.topic_names_ == ["x", "y"]


def test_worksheet_truth_shares_merry_and_run():
    generator = TopicMixtureGenerator(worksheet_topics()).fit()
    assert generator.topic_names_ == ["birthday", "lord_of_the_rings"]
    shared = generator.vocabulary_[(generator.topic_word_ > 0).all(axis=0)]
    assert sorted(shared) == ["merry", "run"]
    np.testing.assert_allclose(generator.topic_weights_, [0.5, 0.5])
    assert generator.doc_topic_prior_ is None


def test_vocabulary_fixes_word_order_and_may_hold_unused_words():
    generator = TopicMixtureGenerator([["b", "a"]], vocabulary=["z", "a", "b"]).fit()
    np.testing.assert_allclose(generator.topic_word_, [[0, 0.5, 0.5]])
    corpus = generator.sample(200, random_state=0)
    assert set(corpus.token_ids.values.tolist()) == {1, 2}


def test_word_listed_twice_is_twice_as_likely():
    generator = TopicMixtureGenerator([["a", "a", "b"]]).fit()
    np.testing.assert_allclose(generator.topic_word_, [[2 / 3, 1 / 3]])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alias_table_holds_exactly_the_distribution(seed):
    rng = np.random.default_rng(seed)
    cases = [
        rng.dirichlet(np.full(1000, 0.05)),
        np.r_[1000.0, np.ones(999)],
        1 / np.arange(1, 2001),
        np.r_[0, 0, 3.0, 0, 1.0],
        np.array([1.0]),
    ]
    for p in cases:
        words, keep, alias = _alias_table(p)
        mass = np.zeros(p.size)
        np.add.at(mass, words, keep / words.size)
        np.add.at(mass, words[alias], (1 - keep) / words.size)
        np.testing.assert_allclose(mass, p / p.sum(), atol=1e-12)


# --- draws in distribution -----------------------------------------------------------------


def test_worksheet_word_frequencies_chi_square():
    generator = TopicMixtureGenerator(worksheet_topics(), random_state=0).fit()
    corpus = generator.sample(20_000)
    counts = np.bincount(corpus.token_ids.values, minlength=len(generator.vocabulary_))
    expected = worksheet_word_probabilities(generator.vocabulary_.tolist())
    assert expected[generator.vocabulary_.tolist().index("merry")] == pytest.approx(1 / 14 + 1 / 16)
    assert chi_square_p(counts, expected) > P_MIN


def test_every_token_word_belongs_to_its_topic():
    generator = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.3).fit()
    corpus = generator.sample(3000, random_state=1)
    topics, ids = corpus.token_topics.values, corpus.token_ids.values
    assert np.all(generator.topic_word_[topics, ids] > 0)
    birthday = set(worksheet_topics()["birthday"])
    for d in range(50):
        words = np.array(corpus[d])
        assert set(words[corpus.token_topics[d] == 0]) <= birthday


def test_words_within_each_topic_follow_its_distribution():
    rng = np.random.default_rng(3)
    topic_word = rng.dirichlet(np.full(40, 0.3), size=3)
    generator = TopicMixtureGenerator(
        topic_word, vocabulary=[f"w{j}" for j in range(40)], doc_length=50
    ).fit()
    corpus = generator.sample(4000, random_state=4)
    for k in range(3):
        ids = corpus.token_ids.values[corpus.token_topics.values == k]
        assert chi_square_p(np.bincount(ids, minlength=40), topic_word[k]) > P_MIN


def test_topic_shares_are_binomial_per_document_and_overall():
    weights = np.array([0.3, 0.7])
    generator = TopicMixtureGenerator(worksheet_topics(), topic_weights=weights).fit()
    corpus = generator.sample(5000, random_state=5)
    n_tokens = corpus.n_tokens
    first = np.count_nonzero(corpus.token_topics.values == 0)
    z = (first - n_tokens * 0.3) / np.sqrt(n_tokens * 0.3 * 0.7)
    assert abs(z) < 4  # a normal deviate beyond 4 has probability 6e-5
    per_document = np.array([np.count_nonzero(t == 0) for t in corpus.token_topics])
    observed = np.bincount(per_document, minlength=21)
    assert chi_square_p(observed, stats.binom(20, 0.3).pmf(np.arange(21))) > P_MIN
    np.testing.assert_allclose(corpus.doc_topic, np.tile(weights, (5000, 1)))


def test_dirichlet_marginals_are_beta():
    alpha = np.array([0.2, 1.0, 2.5])
    generator = TopicMixtureGenerator(
        [["a"], ["b"], ["c"]], doc_topic_prior=alpha, doc_length=1
    ).fit()
    corpus = generator.sample(4000, random_state=6)
    np.testing.assert_allclose(corpus.doc_topic.sum(axis=1), 1)
    for k, a in enumerate(alpha):
        beta = stats.beta(a, alpha.sum() - a)
        assert stats.kstest(corpus.doc_topic[:, k], beta.cdf).pvalue > P_MIN
    np.testing.assert_allclose(generator.topic_weights_, alpha / alpha.sum())


def test_document_topic_counts_follow_theta():
    generator = TopicMixtureGenerator(bars_topics(3), doc_topic_prior=0.5, doc_length=40).fit()
    corpus = generator.sample(3000, random_state=7)
    counts = np.stack([np.bincount(t, minlength=6) for t in corpus.token_topics])
    theta = corpus.doc_topic
    variance = 40 * theta * (1 - theta)
    informative = variance > 1
    z = ((counts - 40 * theta)[informative]) / np.sqrt(variance[informative])
    # given theta, counts are multinomial: standardised residuals have mean 0 and variance 1
    assert abs(z.mean()) < 4 / np.sqrt(z.size)
    assert 0.9 < z.var() < 1.1


def test_tokens_are_shuffled_within_documents():
    generator = TopicMixtureGenerator(worksheet_topics(), doc_length=40).fit()
    topics = generator.sample(2000, random_state=8).token_topics
    switches = np.mean([np.mean(t[1:] != t[:-1]) for t in topics])
    # i.i.d. fair topic picks switch half the time; grouped by topic, about 1 in 39
    assert abs(switches - 0.5) < 0.01


@pytest.mark.parametrize(
    ("doc_length", "mean", "variance"),
    [(12, 12, 0), (stats.poisson(30), 30, 30), (np.array([5, 10, 10, 30]), 13.75, 89.1875)],
    ids=["int", "poisson", "array"],
)
def test_document_lengths(doc_length, mean, variance):
    generator = TopicMixtureGenerator(worksheet_topics(), doc_length=doc_length).fit()
    lengths = generator.sample(4000, random_state=9).doc_lengths
    assert abs(lengths.mean() - mean) <= 4 * np.sqrt(variance / lengths.size)
    assert lengths.var() == pytest.approx(variance, rel=0.1, abs=1e-12)
    if isinstance(doc_length, np.ndarray):
        assert set(lengths.tolist()) <= set(doc_length.tolist())


def test_empty_documents_are_allowed_in_length_arrays():
    corpus = TopicMixtureGenerator([["a"]], doc_length=[0, 2]).fit().sample(100, random_state=0)
    assert set(corpus.doc_lengths.tolist()) == {0, 2}
    assert [] in list(corpus)


# --- the stream and the seed scheme -------------------------------------------------------


def test_sample_continues_one_reproducible_stream():
    first = TopicMixtureGenerator(worksheet_topics(), random_state=10).fit()
    second = clone(first).fit()
    a1, a2 = list(first.sample(30)), list(first.sample(30))
    assert a1 != a2
    assert [a1, a2] == [list(second.sample(30)), list(second.sample(30))]
    assert list(first.sample(30, random_state=3)) == list(second.sample(30, random_state=3))


def assert_same_corpus(left, right):
    np.testing.assert_array_equal(left.token_ids.values, right.token_ids.values)
    np.testing.assert_array_equal(left.token_ids.offsets, right.token_ids.offsets)
    np.testing.assert_array_equal(left.token_topics.values, right.token_topics.values)
    np.testing.assert_array_equal(left.doc_topic, right.doc_topic)


@pytest.mark.parametrize("chunk_size", [7, 333, 1000, 2600])
def test_same_seed_same_corpus_for_any_chunk_size(chunk_size):
    generator = TopicMixtureGenerator(
        bars_topics(), doc_topic_prior=1.0, doc_length=stats.poisson(15)
    )
    generator.fit()
    n = 2 * _BLOCK_SIZE + 501
    whole = generator.sample(n, random_state=11)
    chunks = list(generator.iter_sample(n, chunk_size=chunk_size, random_state=11))
    assert [len(c) for c in chunks[:-1]] == [chunk_size] * (len(chunks) - 1)
    assert_same_corpus(SampledCorpus.concatenate(chunks), whole)


def test_stream_yields_the_sample_on_every_pass():
    generator = TopicMixtureGenerator(bars_topics(), doc_topic_prior=0.5).fit()
    whole = generator.sample(1500, random_state=12)
    tokens = generator.stream(1500, chunk_size=400, random_state=12)
    bow = generator.stream(1500, chunk_size=999, random_state=12, format="bow")
    assert len(tokens) == len(bow) == 1500
    assert list(tokens) == list(whole) == list(tokens)
    assert list(bow) == whole.to_bow() == list(bow)
    assert bow.id2word[0] == generator.vocabulary_[0]


def test_block_seed_scheme_is_the_roots_children():
    root = np.random.SeedSequence(13)
    children = np.random.SeedSequence(13).spawn(3)
    for block in range(3):
        np.testing.assert_array_equal(
            _block_rng(root, block).random(4), np.random.default_rng(children[block]).random(4)
        )
    generator = TopicMixtureGenerator(worksheet_topics()).fit()
    blocks = generator._blocks_
    assert_same_corpus(blocks.block(root, 1), blocks.documents(root, 1000, 2000))


def test_pickled_generator_draws_the_same():
    generator = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.2).fit()
    restored = pickle.loads(pickle.dumps(generator))
    assert_same_corpus(generator.sample(50, random_state=1), restored.sample(50, random_state=1))


# --- models take the output as it is -------------------------------------------------------


@pytest.mark.slow
def test_gensim_lda_recovers_bars_from_the_corpus():
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    generator = TopicMixtureGenerator(bars_topics(), doc_topic_prior=0.5, doc_length=50).fit()
    corpus = generator.sample(1500, random_state=14)
    dictionary = Dictionary(corpus)
    model = LdaModel(
        [dictionary.doc2bow(document) for document in corpus],
        id2word=dictionary,
        num_topics=10,
        chunksize=100,
        passes=10,
        alpha="auto",
        random_state=1,
    )
    columns = [dictionary.token2id[word] for word in generator.vocabulary_]
    recovered = model.get_topics()[:, columns]
    assert hellinger_matched(generator.topic_word_, recovered) < 0.2


@pytest.mark.slow
def test_sklearn_lda_recovers_bars_from_csr():
    from sklearn.decomposition import LatentDirichletAllocation

    generator = TopicMixtureGenerator(bars_topics(), doc_topic_prior=0.5, doc_length=50).fit()
    corpus = generator.sample(500, random_state=15)
    model = LatentDirichletAllocation(
        n_components=10, doc_topic_prior=0.5, max_iter=30, random_state=0
    ).fit(corpus.to_csr())
    recovered = model.components_ / model.components_.sum(axis=1, keepdims=True)
    assert hellinger_matched(generator.topic_word_, recovered) < 0.2


# --- any accepted topic spec ---------------------------------------------------------------

words = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
word_lists = st.lists(st.lists(words, min_size=1, max_size=6), min_size=1, max_size=5)
weights = st.one_of(st.just(0.0), st.floats(0.1, 10))
weighted = st.lists(
    st.dictionaries(words, weights, min_size=1, max_size=6).filter(lambda t: any(t.values())),
    min_size=1,
    max_size=4,
)


arrays = st.integers(1, 4).flatmap(
    lambda n_words: st.lists(
        st.lists(st.sampled_from([0.0, 0.5, 1.0, 7.0]), min_size=n_words, max_size=n_words).filter(
            any
        ),
        min_size=1,
        max_size=4,
    )
)


@settings(max_examples=40, deadline=None)
@given(topics=st.one_of(word_lists, weighted), prior=st.sampled_from([None, 0.3, 2.0]))
def test_any_accepted_spec_draws_only_its_words(topics, prior):
    generator = TopicMixtureGenerator(topics, doc_topic_prior=prior, doc_length=6).fit()
    corpus = generator.sample(20, random_state=0)
    for document, document_topics in zip(corpus, corpus.token_topics, strict=True):
        assert len(document) == len(document_topics) == 6
        for word, topic in zip(document, document_topics, strict=True):
            assert word in topics[topic]
            if isinstance(topics[topic], dict):
                assert topics[topic][word] > 0


@settings(max_examples=30, deadline=None)
@given(rows=arrays)
def test_any_accepted_array_draws_only_words_of_positive_weight(rows):
    vocabulary = [f"w{j}" for j in range(len(rows[0]))]
    generator = TopicMixtureGenerator(rows, vocabulary=vocabulary, doc_length=8).fit()
    corpus = generator.sample(10, random_state=0)
    weights = np.array(rows)
    assert np.all(weights[corpus.token_topics.values, corpus.token_ids.values] > 0)


# --- refusals --------------------------------------------------------------------------------

REFUSED = {
    "empty topic list": (dict(topics=[]), ValueError, "topics must hold at least one"),
    "empty topic dict": (dict(topics={}), ValueError, "topics must hold at least one"),
    "empty topic": (dict(topics=[["a"], []]), ValueError, r"topics\['topic_1'\] is empty"),
    "non-str word": (dict(topics=[["a", 3]]), TypeError, "only str words, got 3"),
    "empty word": (dict(topics=[["a", ""]]), ValueError, "empty word"),
    "string as topics": (dict(topics="abc"), TypeError, "'topics' parameter of Topic"),
    "string as topic": (
        dict(topics=["ab", "cd"]), TypeError, r"topics\['topic_0'\] must be a list"
    ),
    "negative word weight": (dict(topics=[{"a": -1.0}]), ValueError, "non-negative"),
    "negative weights": (
        dict(topics=[["a"], ["b"]], topic_weights=[-0.5, 1.5]), ValueError, "topic_weights"
    ),
    "NaN weights": (
        dict(topics=[["a"], ["b"]], topic_weights=[np.nan, 1]), ValueError, "topic_weights"
    ),
    "weights wrong length": (
        dict(topics=[["a"], ["b"]], topic_weights=[1.0]), ValueError, "topic_weights must have"
    ),
    "weights not summing to 1": (
        dict(topics=[["a"], ["b"]], topic_weights=[0.5, 0.6]), ValueError, "sum to 1"
    ),
    "weights and prior": (
        dict(topics=[["a"]], topic_weights=[1.0], doc_topic_prior=1.0), ValueError, "not both"
    ),
    "prior zero": (dict(topics=[["a"]], doc_topic_prior=0), ValueError, "doc_topic_prior"),
    "prior negative": (dict(topics=[["a"]], doc_topic_prior=-1), ValueError, "doc_topic_prior"),
    "prior NaN": (dict(topics=[["a"]], doc_topic_prior=np.nan), ValueError, "doc_topic_prior"),
    "prior object without draw": (
        dict(topics=[["a"]], doc_topic_prior=object()), ValueError, "'doc_topic_prior' parameter"
    ),
    "prior string": (dict(topics=[["a"]], doc_topic_prior="flat"), TypeError, "doc_topic_prior"),
    "vocabulary as a string": (
        dict(topics=[["a"]], vocabulary="a"), ValueError, "'vocabulary' parameter"
    ),
    "prior wrong length": (
        dict(topics=[["a"], ["b"]], doc_topic_prior=[1, 1, 1]), ValueError, "doc_topic_prior"
    ),
    "negative length": (dict(topics=[["a"]], doc_length=-3), ValueError, "doc_length"),
    "zero length": (dict(topics=[["a"]], doc_length=0), ValueError, "doc_length"),
    "negative length array": (dict(topics=[["a"]], doc_length=[3, -1]), ValueError, "doc_length"),
    "float length array": (dict(topics=[["a"]], doc_length=[2.5]), TypeError, "doc_length"),
    "negative length support": (
        dict(topics=[["a"]], doc_length=stats.randint(-3, 3)), ValueError, "doc_length"
    ),
    "continuous length": (dict(topics=[["a"]], doc_length=stats.norm(5)), TypeError, "discrete"),
    "string length": (dict(topics=[["a"]], doc_length="long"), TypeError, "doc_length"),
    "array without vocabulary": (dict(topics=np.ones((2, 3))), ValueError, "vocabulary must be"),
    "array vocabulary mismatch": (
        dict(topics=np.ones((2, 3)), vocabulary=["a", "b"]), ValueError, "vocabulary has 2 words"
    ),
    "array negative entry": (
        dict(topics=[[1.0, -1.0]], vocabulary=["a", "b"]), ValueError, "non-negative"
    ),
    "array NaN entry": (dict(topics=[[1.0, np.nan]], vocabulary=["a", "b"]), ValueError, "finite"),
    "array zero row": (dict(topics=[[1.0, 0], [0, 0]], vocabulary=["a", "b"]), ValueError, "zeros"),
    "repeated vocabulary": (
        dict(topics=np.ones((1, 2)), vocabulary=["a", "a"]), ValueError, "repeated"
    ),
    "word not in vocabulary": (
        dict(topics=[["a", "q"]], vocabulary=["a"]), ValueError, "not in vocabulary"
    ),
    "n_topics mismatch": (dict(topics=[["a"]], n_topics=2), ValueError, "n_topics=2"),
    "n_topics zero": (dict(topics=[["a"]], n_topics=0), ValueError, "n_topics"),
    "no topics": (dict(), ValueError, "topics must be given"),
    "unknown backend": (dict(topics=[["a"]], backend="mallet"), ValueError, "backend"),
    "bad random_state": (dict(topics=[["a"]], random_state="seed"), TypeError, "random_state"),
}


@pytest.mark.parametrize(("params", "error", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_fit_refuses(params, error, message):
    with pytest.raises(error, match=message):
        TopicMixtureGenerator(**params).fit()


SAMPLE_REFUSED = {
    "zero": (0, ValueError, "n_samples must be >= 1"),
    "float": (1.5, TypeError, "n_samples must be an integer"),
    "string": ("3", TypeError, "n_samples must be an integer"),
    "too large": (10**15, ValueError, "n_samples=1000000000000000 needs"),
}


@pytest.mark.parametrize(("n", "error", "message"), SAMPLE_REFUSED.values(), ids=SAMPLE_REFUSED)
def test_sample_refuses(n, error, message):
    generator = TopicMixtureGenerator([["a"]]).fit()
    with pytest.raises(error, match=message):
        generator.sample(n)


@pytest.mark.parametrize("method", ["iter_sample", "stream"])
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(n_samples=0), ValueError, "n_samples"),
        (dict(n_samples=10, chunk_size=0), ValueError, "chunk_size"),
        (dict(n_samples=10, chunk_size=10**15), ValueError, "chunk_size="),
    ],
)
def test_streaming_refuses(method, kwargs, error, message):
    generator = TopicMixtureGenerator([["a"]]).fit()
    with pytest.raises(error, match=message):
        getattr(generator, method)(**kwargs)


def test_streaming_accepts_more_documents_than_memory():
    stream = TopicMixtureGenerator([["a"]]).fit().stream(10**15)
    assert len(stream) == 10**15


def test_stream_refuses_unknown_format():
    with pytest.raises(ValueError, match="format must be one of"):
        TopicMixtureGenerator([["a"]]).fit().stream(5, format="csv")


@pytest.mark.parametrize("method", ["sample", "iter_sample", "stream"])
def test_sampling_before_fit_raises_not_fitted(method):
    with pytest.raises(NotFittedError):
        getattr(TopicMixtureGenerator([["a"]]), method)(3)
