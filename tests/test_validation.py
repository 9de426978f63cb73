"""The shared validation helpers (skmix._validation) and the presets (skmix.datasets)."""

import numpy as np
import pytest

from skmix._validation import (
    available_memory,
    check_n_samples,
    check_positive_int,
    check_probability_vector,
    seed_sequence,
)
from skmix.datasets import bars_topics, worksheet_gaussians, worksheet_topics

# --- check_positive_int ------------------------------------------------------------------------


def test_positive_int_accepts_numpy_integers():
    value = check_positive_int(np.int64(4), "n_topics")
    assert value == 4 and type(value) is int


def test_positive_int_honours_minimum():
    assert check_positive_int(0, "size", minimum=0) == 0


@pytest.mark.parametrize(
    "value, error, match",
    [
        (True, TypeError, r"n_topics must be an integer, got True \(bool\)"),
        (2.0, TypeError, r"n_topics must be an integer, got 2\.0 \(float\)"),
        ("3", TypeError, r"n_topics must be an integer, got '3' \(str\)"),
        (0, ValueError, "n_topics must be >= 1, got 0"),
    ],
    ids=["bool", "float", "string", "below-minimum"],
)
def test_positive_int_refuses(value, error, match):
    with pytest.raises(error, match=match):
        check_positive_int(value, "n_topics")


# --- check_n_samples and available_memory ------------------------------------------------------


def test_available_memory_is_positive():
    assert available_memory() > 2**20


def test_n_samples_within_memory():
    assert check_n_samples(1000, bytes_per_sample=24) == 1000


def test_n_samples_beyond_memory_names_the_value():
    too_many = available_memory() // 4  # twice as many 8-byte samples as memory holds
    with pytest.raises(ValueError, match=rf"n_samples={too_many} needs about .* GiB"):
        check_n_samples(too_many, bytes_per_sample=8)


def test_n_samples_uses_the_given_name():
    with pytest.raises(ValueError, match="n_docs must be >= 1, got 0"):
        check_n_samples(0, bytes_per_sample=8, name="n_docs")


# --- check_probability_vector ------------------------------------------------------------------


def test_probability_vector_renormalises_within_tolerance():
    weights = check_probability_vector([0.5, 0.5 + 1e-7], "weights")
    assert weights.sum() == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize(
    "values, kwargs, error, match",
    [
        (["a", "b"], {}, TypeError, "weights must be an array of numbers, got"),
        ([[0.5, 0.5]], {}, ValueError, r"must be a non-empty 1-D array, got shape \(1, 2\)"),
        ([], {}, ValueError, r"weights must be a non-empty 1-D array, got shape \(0,\)"),
        ([0.5, 0.5], {"size": 3}, ValueError, "weights must have length 3, got 2"),
        ([0.5, np.nan], {}, ValueError, "weights must be finite"),
        ([1.5, -0.5], {}, ValueError, r"weights must be non-negative, got \[1\.5, -0\.5\]"),
        ([0.3, 0.3], {}, ValueError, r"weights must sum to 1, got sum 0\.6"),
    ],
    ids=["not-numbers", "2-d", "empty", "wrong-length", "nan", "negative", "sum"],
)
def test_probability_vector_refuses(values, kwargs, error, match):
    with pytest.raises(error, match=match):
        check_probability_vector(values, "weights", **kwargs)


# --- seed_sequence -----------------------------------------------------------------------------


def test_seed_from_int_is_reproducible():
    assert seed_sequence(42).entropy == 42
    first = np.random.default_rng(seed_sequence(42)).random(3)
    np.testing.assert_array_equal(first, np.random.default_rng(seed_sequence(42)).random(3))


def test_seed_sequence_is_used_as_given():
    seed = np.random.SeedSequence(7)
    assert seed_sequence(seed) is seed


@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_seed_from_a_generator_is_drawn_from_it(make):
    generator = make(0)
    first, second = seed_sequence(generator), seed_sequence(generator)
    assert first.generate_state(4).tolist() != second.generate_state(4).tolist()  # it advanced
    assert seed_sequence(make(0)).generate_state(4).tolist() == first.generate_state(4).tolist()


def test_seed_none_is_fresh_entropy():
    assert seed_sequence(None).entropy != seed_sequence(None).entropy


@pytest.mark.parametrize(
    "random_state, error, match",
    [
        (-1, ValueError, "random_state must be a non-negative integer, got -1"),
        ("seed", TypeError, r"random_state must be None, an int, .* got 'seed' \(str\)"),
        (1.5, TypeError, r"random_state must be None, an int, .* got 1\.5 \(float\)"),
    ],
    ids=["negative", "string", "float"],
)
def test_seed_refuses(random_state, error, match):
    with pytest.raises(error, match=match):
        seed_sequence(random_state)


# --- presets -----------------------------------------------------------------------------------


def test_worksheet_gaussians():
    params = worksheet_gaussians()
    assert set(params) == {"means", "covariances"}
    np.testing.assert_array_equal(params["means"], [[1, 1], [5, 2], [1, 4]])
    expected = [np.diag([0.1, 0.1]), np.diag([0.5, 0.4]), np.diag([1.0, 0.1])]
    np.testing.assert_array_equal(params["covariances"], expected)


def test_worksheet_topics():
    topics = worksheet_topics()
    assert topics["birthday"] == ["balloon", "happy", "run", "merry", "cake", "jump", "pizza"]
    assert topics["lord_of_the_rings"] == [
        "spider", "ring", "drums", "orc", "battle", "merry", "run", "frodo",
    ]  # fmt: skip


def test_bars_topics_names_and_words():
    topics = bars_topics()
    assert list(topics) == [f"row{i}" for i in range(5)] + [f"col{j}" for j in range(5)]
    assert topics["row2"] == [f"r2c{j}" for j in range(5)]
    assert topics["col4"] == [f"r{i}c4" for i in range(5)]
    words = {word for group in topics.values() for word in group}
    assert words == {f"r{i}c{j}" for i in range(5) for j in range(5)}


def test_bars_topics_refuses_bad_size():
    with pytest.raises(ValueError, match="size must be >= 1, got 0"):
        bars_topics(0)
