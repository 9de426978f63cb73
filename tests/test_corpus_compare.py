"""Tests of compare_corpora: document lengths, word ranks and coverage of two corpora."""

import numpy as np
import pytest
from scipy.stats import poisson

from skmix import TopicMixtureGenerator
from skmix._corpus_compare import compare_corpora
from skmix.datasets import bars_topics


def zipf_generator(mean_length=50):
    """Three topics over 200 words whose frequencies fall off as 1/rank, as in real text."""
    rng = np.random.default_rng(0)
    zipf = 1.0 / np.arange(1, 201)
    topics = np.array([rng.permutation(zipf) * 0.3 + zipf for _ in range(3)])
    words = [f"w{i}" for i in range(200)]
    return TopicMixtureGenerator(
        topics, vocabulary=words, doc_topic_prior=0.5, doc_length=poisson(mean_length)
    ).fit()


def test_two_samples_of_one_generator_pass():
    generator = zipf_generator()
    report = compare_corpora(generator.sample(400, random_state=1),
                             generator.sample(2000, random_state=2))
    assert report.passed, str(report)
    assert report.length_ks_pvalue > 0.01
    assert report.spearman > 0.9
    assert report.coverage == pytest.approx(1.0)
    assert report.n_documents == (400, 2000)


def test_different_lengths_fail_the_ks_check_only():
    report = compare_corpora(zipf_generator(50).sample(400, random_state=1),
                             zipf_generator(60).sample(400, random_state=2))
    assert [check.passed for check in report.checks[:3]] == [False, True, True]
    assert not report.passed
    assert "document lengths: KS p-value" in str(report)
    assert "NOT passed" in str(report)


def test_reversed_word_frequencies_fail_the_rank_check():
    real = [["a"] * 5 + ["b"] * 3 + ["c"]] * 30
    synthetic = [["a"] + ["b"] * 3 + ["c"] * 5] * 30
    report = compare_corpora(real, synthetic, top_n=3)
    assert report.spearman == pytest.approx(-1.0)
    assert [check.passed for check in report.checks[:3]] == [True, False, True]


def test_coverage_counts_real_tokens_whose_word_is_used():
    real = [["a", "a", "a", "b"], ["c", "a"]] * 10
    synthetic = [["a", "z"], ["a"]] * 10
    report = compare_corpora(real, synthetic)
    assert report.coverage == pytest.approx(4 / 6)
    assert report.vocabulary_coverage == pytest.approx(1 / 3)
    assert report.novel_fraction == pytest.approx(1 / 3)
    assert not report.checks[2].passed


def test_sampled_corpus_lists_and_generators_give_the_same_report():
    corpus = zipf_generator().sample(200, random_state=3)
    other = zipf_generator().sample(300, random_state=4)
    direct = compare_corpora(corpus, other)
    as_lists = compare_corpora(list(corpus), (doc for doc in other))
    assert direct == as_lists


def test_thresholds_are_arguments():
    real = [["a", "b"], ["a"]] * 10
    assert not compare_corpora(real, real, min_spearman=1.0).passed
    assert compare_corpora(real, real, min_spearman=0.99).passed


def shuffled(corpus, seed=0):
    """The tokens of ``corpus`` shuffled across documents, lengths kept: no topics left."""
    tokens = np.concatenate([np.array(document, dtype=object) for document in corpus])
    np.random.default_rng(seed).shuffle(tokens)
    return [part.tolist() for part in np.split(tokens, np.cumsum(list(map(len, corpus)))[:-1])]


@pytest.fixture(scope="module")
def bars():
    return TopicMixtureGenerator(bars_topics(10), doc_topic_prior=0.2, doc_length=40).fit()


def test_the_structure_check_passes_a_sample_and_fails_the_negative_controls(bars):
    real = bars.sample(400, random_state=1)
    same = compare_corpora(real, bars.sample(400, random_state=2))
    assert same.checks[-1].passed and same.structure[1] > 0.5 * same.structure[0]
    mixed = bars.topic_word_.mean(axis=0, keepdims=True)  # one topic: the bars' average
    one_topic = TopicMixtureGenerator(mixed, vocabulary=bars.vocabulary_, doc_length=40).fit()
    for control in [shuffled(list(real)), one_topic.sample(400, random_state=2)]:
        report = compare_corpora(real, control)
        assert not report.checks[-1].passed and not report.passed
        assert abs(report.structure[1]) < 3 * report.structure_noise + 0.05 * same.structure[0]


def test_text_statistics_fail_a_less_bursty_corpus(bars):
    real = TopicMixtureGenerator(bars.topic_word_, vocabulary=bars.vocabulary_,
                                 doc_topic_prior=0.2, doc_length=40, burstiness=1.0).fit()
    report = compare_corpora(real.sample(400, random_state=1), bars.sample(400, random_state=2))
    failed = {check.name.split(":")[0] for check in report.checks if not check.passed}
    assert {"burstiness (repeats, top 200 words)", "distinct words per document"} <= failed
    assert report.statistics["burstiness"][0] > report.statistics["burstiness"][1]


@pytest.mark.parametrize(
    ("real", "synthetic", "options", "error", "match"),
    [
        ([], [["a"]], {}, ValueError, "real is empty"),
        ([["a"]], [[]], {}, ValueError, "synthetic has 1 documents but every one is empty"),
        ("a b", [["a"]], {}, TypeError, "real must be an iterable of token lists"),
        ([["a"]], ["a b"], {}, TypeError, r"synthetic\[0\] is a plain string"),
        ([["a", 1]], [["a"]], {}, TypeError, "real must hold str tokens"),
        ([["a"]], [["a"]], {"top_n": 0}, ValueError, "top_n must be >= 1"),
        ([["a"]], [["a"]], {"min_pvalue": 2}, ValueError, "min_pvalue must be between 0 and 1"),
        ([["a"]], [["a"]], {"min_spearman": "x"}, TypeError, "min_spearman must be a number"),
        ([["a"]], [["a"]], {"min_coverage": -1}, ValueError, "min_coverage must be between"),
        ([["a"]], [["a"]], {"max_relative_error": -0.1}, ValueError, "max_relative_error must"),
        ([["a"]], [["a"]], {"min_structure": None}, TypeError, "min_structure must be a number"),
    ],
)
def test_bad_input_is_refused(real, synthetic, options, error, match):
    with pytest.raises(error, match=match):
        compare_corpora(real, synthetic, **options)


def test_a_statistic_near_zero_is_judged_against_its_floor_even_when_the_real_one_is_zero():
    from skmix._corpus_compare import _text_checks

    statistics = {"burstiness": (0.2, 0.2), "heaps_beta": (0.0, 0.005),
                  "hapax_share": (0.0, 0.0024), "vocabulary_size": (0, 3),
                  "distinct_per_document": (0.9, 0.9)}
    checks = {c.name.split(":")[0]: c for c in _text_checks(statistics, 0.1)}
    # 0.0024 of words seen once against none: 2.4% of the floor (0.1), not a 100% error
    assert checks["share of words seen once"].passed
    assert checks["share of words seen once"].value == pytest.approx(0.024)
    assert checks["vocabulary growth"].passed
    # no floor for a count: 3 distinct words against none is wrong
    assert not checks["distinct words"].passed
