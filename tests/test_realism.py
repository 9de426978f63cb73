"""Corpora like real text: each process proven in distribution, streaming, and refusals.

Tolerances: a sample mean is accepted within 4 standard errors of its expectation (a false
alarm about once in 16,000 runs per check; the seeds are fixed, so a run is reproducible), and
a goodness-of-fit test passes at p > 0.001.
"""

import json

import numpy as np
import pytest
import scipy.stats

from skmix import SampledCorpus, TopicMixtureGenerator, write_corpus
from skmix._realism import zipf_spectrum
from skmix.datasets import worksheet_topics
from skmix.processes import LogisticNormal, ZipfTail

Z = 4.0


def assert_close(values, expected, name):
    """The mean of ``values`` is within ``Z`` standard errors of ``expected``."""
    values = np.asarray(values, dtype=float)
    error = values.std(ddof=1) / np.sqrt(values.size)
    assert abs(values.mean() - expected) < Z * error, (name, values.mean(), expected, error)


# --- LogisticNormal ---------------------------------------------------------------------------

MEAN = np.array([0.0, 0.5, -0.5])
COVARIANCE = np.array([[1.0, 0.6, 0.0], [0.6, 1.0, -0.3], [0.0, -0.3, 0.5]])


def test_logistic_normal_log_ratios_have_the_normal_moments():
    theta = LogisticNormal(MEAN, COVARIANCE).for_topics(3).draw(np.random.default_rng(0), 20_000)
    # log(theta_i / theta_2) = eta_i - eta_2 is normal with these moments
    contrast = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]])
    ratios = np.log(theta[:, :2] / theta[:, 2:])
    mean, covariance = contrast @ MEAN, contrast @ COVARIANCE @ contrast.T
    for i in range(2):
        assert_close(ratios[:, i], mean[i], f"mean of log ratio {i}")
    centred = ratios - mean
    for i, j in [(0, 0), (1, 1), (0, 1)]:
        assert_close(centred[:, i] * centred[:, j], covariance[i, j], f"covariance {i}{j}")


def test_logistic_normal_draws_the_generators_doc_topic():
    generator = TopicMixtureGenerator(
        worksheet_topics(), doc_topic_prior=LogisticNormal(0.0, [[1.0, 0.9], [0.9, 1.0]])
    ).fit()
    corpus = generator.sample(2000, random_state=0)
    assert np.allclose(corpus.doc_topic.sum(axis=1), 1)
    assert generator.doc_topic_prior_.covariance.shape == (2, 2)
    # strongly correlated etas: proportions near 1/2 far more often than under a flat Dirichlet
    assert np.mean(np.abs(corpus.doc_topic[:, 0] - 0.5) < 0.2) > 0.6


@pytest.mark.parametrize(
    ("mean", "covariance", "message"),
    [
        ([0.0, 1.0, 2.0], 1.0, "mean"),
        (0.0, [[1.0, 2.0], [2.0, 1.0]], "positive semi-definite"),
        (0.0, [[1.0, 0.5], [0.0, 1.0]], "symmetric"),
        (np.nan, 1.0, "finite"),
    ],
)
def test_logistic_normal_refuses_bad_parameters(mean, covariance, message):
    with pytest.raises(ValueError, match=message):
        TopicMixtureGenerator(
            worksheet_topics(), doc_topic_prior=LogisticNormal(mean, covariance)
        ).fit()


# --- burstiness: the Dirichlet compound multinomial -------------------------------------------

PHI = np.array([0.4, 0.3, 0.2, 0.1])
WORDS = ["w0", "w1", "w2", "w3"]


def bursty_counts(kappa, n_documents=4000, length=10):
    generator = TopicMixtureGenerator(
        PHI[None, :], vocabulary=WORDS, doc_length=length, burstiness=kappa
    ).fit()
    return generator.sample(n_documents, random_state=0).to_csr().toarray()


def test_dcm_repeat_probability():
    """Two tokens of a document are the same word with probability (k sum phi^2 + 1) / (k + 1)."""
    kappa, length = 2.0, 10
    counts = bursty_counts(kappa, length=length)
    same = (counts * (counts - 1)).sum(axis=1) / (length * (length - 1))
    expected = (kappa * np.sum(PHI**2) + 1) / (kappa + 1)
    assert_close(same, expected, "repeat probability")
    assert abs(expected - np.sum(PHI**2)) > 20 * same.std() / np.sqrt(same.size)  # not plain


def test_dcm_word_count_is_beta_binomial():
    kappa, length = 2.0, 10
    counts = bursty_counts(kappa, length=length)[:, 0]
    law = scipy.stats.betabinom(length, kappa * PHI[0], kappa * (1 - PHI[0]))
    observed = np.bincount(counts, minlength=length + 1)
    expected = law.pmf(np.arange(length + 1)) * counts.size
    assert scipy.stats.chisquare(observed, expected).pvalue > 0.001


def test_large_kappa_is_plain_multinomial():
    counts = bursty_counts(1e9)[:, 0]
    observed = np.bincount(counts, minlength=11)
    expected = scipy.stats.binom(10, PHI[0]).pmf(np.arange(11)) * counts.size
    assert scipy.stats.chisquare(observed, expected).pvalue > 0.001


# --- background -------------------------------------------------------------------------------


def test_background_share_and_words():
    rate = 0.3
    generator = TopicMixtureGenerator(
        worksheet_topics(), doc_topic_prior=0.5, background={"the": 3, "a": 1},
        background_rate=rate,
    ).fit()
    corpus = generator.sample(2000, random_state=0)
    topics = corpus.token_topics.values
    words = corpus.vocabulary[corpus.token_ids.values]
    assert_close(topics == -1, rate, "background share")
    assert_close(words[topics == -1] == "the", 0.75, "share of 'the' in the background")
    assert set(words[topics >= 0]).isdisjoint({"the", "a"})
    assert generator.vocabulary_[-2:].tolist() == ["the", "a"]
    assert np.all(generator.topic_word_[:, -2:] == 0)
    assert generator.background_rate_ == rate and generator.background_[-2] == 0.75


def test_background_as_an_array_over_the_vocabulary():
    vocabulary = ["a", "b", "c"]
    generator = TopicMixtureGenerator(
        np.array([[0.5, 0.5, 0.0]]), vocabulary=vocabulary, background=np.array([0, 0, 1.0]),
        background_rate=0.5,
    ).fit()
    corpus = generator.sample(100, random_state=0)
    words = corpus.vocabulary[corpus.token_ids.values]
    assert np.all((words == "c") == (corpus.token_topics.values == -1))


# --- the open vocabulary ----------------------------------------------------------------------


def tail_corpus(tail, n_documents=2000, vocabulary=None):
    generator = TopicMixtureGenerator(
        [["apple", "pear"]] if vocabulary is None else [vocabulary], doc_length=50,
        new_words=tail,
    ).fit()
    return generator.sample(n_documents, random_state=0)


def test_new_word_share_and_zipf_ranks():
    tail = ZipfTail(0.2, 2.0, start=50)
    corpus = tail_corpus(tail)
    topics = corpus.token_topics.values
    assert_close(topics == -2, 0.2, "new-word share")
    words = corpus.vocabulary[corpus.token_ids.values[topics == -2]].astype(str)
    ranks = np.char.lstrip(words, "new_").astype(np.int64)
    for x in [60, 100, 400, 2000]:
        assert_close(ranks >= x, (x / 50) ** (1 - tail.exponent), f"P(rank >= {x})")


def test_new_words_grow_as_the_spectrum_says():
    """Distinct new words and those seen once, as the expectation that fit's 'auto' uses."""
    tail = ZipfTail(0.2, 1.6, start=100)
    corpus = tail_corpus(tail, n_documents=3000)
    new = corpus.token_ids.values[corpus.token_topics.values == -2]
    counts = np.bincount(new)
    distinct, once = zipf_spectrum(new.size, tail.exponent, tail.start)
    assert abs(np.count_nonzero(counts) / distinct - 1) < 0.03
    assert abs(np.count_nonzero(counts == 1) / once - 1) < 0.05


def test_new_words_never_clash_with_given_words():
    corpus = tail_corpus(ZipfTail(0.5, 1.5), n_documents=50, vocabulary=["new_1", "new_york"])
    new = corpus.vocabulary[corpus.token_ids.values[corpus.token_topics.values == -2]]
    assert all(word.startswith("new__") for word in new)
    assert len(set(corpus.vocabulary)) == len(corpus.vocabulary)


# --- streaming: the same documents for any chunking --------------------------------------------


@pytest.fixture(scope="module")
def realistic():
    return TopicMixtureGenerator(
        worksheet_topics(), doc_topic_prior=LogisticNormal(0.0, 1.0), doc_length=30,
        background=["the", "of"], background_rate=0.2, burstiness=1.0,
        new_words=ZipfTail(0.1, 1.5, start=20), random_state=0,
    ).fit()


def test_chunk_invariant_with_every_piece(realistic):
    whole = realistic.sample(2500, random_state=3)
    for chunk_size in (300, 1000):
        chunks = list(realistic.iter_sample(2500, chunk_size=chunk_size, random_state=3))
        joined = SampledCorpus.concatenate(chunks)
        assert list(joined) == list(whole)
        assert np.array_equal(joined.token_topics.values, whole.token_topics.values)
        assert np.array_equal(joined.vocabulary, whole.vocabulary)
    assert list(realistic.stream(2500, chunk_size=700, random_state=3)) == list(whole)


def test_written_by_workers_with_truth(realistic, tmp_path):
    path = tmp_path / "c.jsonl"
    write_corpus(realistic, 2200, path, format="jsonl", random_state=1, jobs=2)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    whole = realistic.sample(2200, random_state=1)
    assert [row["tokens"] for row in rows] == list(whole)
    topics = np.concatenate([row["token_topics"] for row in rows])
    assert {-2, -1, 0, 1} <= set(topics.tolist())


def test_open_vocabulary_refuses_fixed_id_outputs(realistic, tmp_path):
    with pytest.raises(ValueError, match="format='mm' needs a fixed vocabulary"):
        write_corpus(realistic, 10, tmp_path / "c.mm", format="mm")
    assert not (tmp_path / "c.mm").exists()
    with pytest.raises(ValueError, match="format='bow' needs a fixed vocabulary"):
        realistic.stream(10, format="bow")


def test_off_draws_what_it_drew():
    """Realism off (its defaults given explicitly) draws no extra random numbers."""
    plain = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.5).fit()
    explicit = TopicMixtureGenerator(
        worksheet_topics(), doc_topic_prior=0.5, background=None, background_rate=0.0,
        burstiness=None, new_words=None,
    ).fit()
    assert list(plain.sample(1500, random_state=0)) == list(explicit.sample(1500, random_state=0))


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "error", "message"),
    [
        ({"background_rate": 0.2}, ValueError, "background_rate=0.2 needs a background"),
        ({"background": ["the"]}, ValueError, "background_rate=0"),
        ({"background": ["the"], "background_rate": 1.0}, ValueError, "background_rate"),
        ({"background": ["the"], "background_rate": -0.1}, ValueError, "background_rate"),
        ({"background": "the", "background_rate": 0.1}, TypeError, "background"),
        ({"background": [], "background_rate": 0.1}, ValueError, "background"),
        ({"background": {"the": -1}, "background_rate": 0.1}, ValueError, "background"),
        ({"background": np.ones(3), "background_rate": 0.1}, ValueError, "one weight per word"),
        ({"burstiness": 0}, ValueError, "burstiness"),
        ({"burstiness": -1.0}, ValueError, "burstiness"),
        ({"burstiness": "high"}, ValueError, "burstiness"),
        ({"burstiness": "auto"}, ValueError, "burstiness='auto' is learned from a corpus"),
        ({"background": "auto"}, ValueError, "background='auto' is learned from a corpus"),
        ({"new_words": "auto"}, ValueError, "new_words='auto' is learned from a corpus"),
        ({"new_words": 0.1}, TypeError, "new_words"),
        ({"new_words": ZipfTail(1.0, 2.0)}, ValueError, "rate"),
        ({"new_words": ZipfTail(0.1, 1.0)}, ValueError, "exponent"),
        ({"new_words": ZipfTail(0.1, 2.0, start=0)}, ValueError, "start"),
        ({"new_words": ZipfTail(0.5, 2.0), "background": ["the"], "background_rate": 0.5},
         ValueError, "below 1"),
    ],
)
def test_refusals(parameters, error, message):
    with pytest.raises(error, match=message):
        TopicMixtureGenerator(worksheet_topics(), **parameters).fit()


def test_generate_reads_realism_from_a_spec_file(tmp_path):
    from skmix._cli import main

    spec = {
        "topics": [["apple", "pear"], ["orc", "ring"]],
        "doc_topic_prior": {"LogisticNormal": {"mean": 0.0, "covariance": 1.0}},
        "background": ["the"], "background_rate": 0.25, "burstiness": 0.5,
        "new_words": {"rate": 0.1, "exponent": 1.5, "start": 10},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    out = tmp_path / "c.jsonl"
    main(["generate", "--spec", str(tmp_path / "spec.json"), "--n-docs", "300", "--out",
          str(out), "--format", "jsonl", "--seed", "0"])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    topics = np.concatenate([row["token_topics"] for row in rows])
    assert len(rows) == 300 and {-2, -1} <= set(topics.tolist())


def test_a_corpus_with_new_words_matches_its_generator(realistic):
    from skmix.compare import match_topics

    corpus = realistic.sample(200, random_state=0)
    assert len(corpus.vocabulary) > len(realistic.vocabulary_)
    report = match_topics(corpus, realistic)
    assert report.max_distance == pytest.approx(0, abs=1e-12)
