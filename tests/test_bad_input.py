"""Bad input found by the attack of issue 15, each refused up front with an error naming it.

Every case here was accepted silently, failed with an error that named nothing, or ended in
a traceback on the command line before the fix.
"""

import json
import os
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from scipy import stats

from skmix import GaussianMixtureSampler, TopicMixtureGenerator
from skmix._cli import main
from skmix.compare import match_components, match_topics
from skmix.datasets import worksheet_topics


@pytest.fixture(scope="module")
def corpus():
    return TopicMixtureGenerator(worksheet_topics(), doc_length=5).fit().sample(3, random_state=0)


@pytest.fixture(scope="module")
def generator():
    return TopicMixtureGenerator(worksheet_topics(), doc_length=5).fit()


def _truth(covariances):
    return {"means": [[0.0, 0.0], [5.0, 5.0]], "covariances": covariances}


REFUSED = {
    "asymmetric covariance": (
        lambda: match_components(_truth([[[2.0, 1.0], [0.0, 2.0]], np.eye(2)]),
                                 _truth([np.eye(2), np.eye(2)])),
        ValueError, "covariances of truth"),
    "empty token in fit(X)": (
        lambda: TopicMixtureGenerator(n_topics=2).fit([["a", ""], ["b"]]),
        ValueError, "X holds an empty token"),
    "n_topics=True": (
        lambda: TopicMixtureGenerator([["a"]], n_topics=True).fit(),
        ValueError, "n_topics"),
    "doc_topic_prior='1'": (
        lambda: TopicMixtureGenerator([["a"], ["b"]], doc_topic_prior="1").fit(),
        TypeError, "doc_topic_prior"),
    "complex topic array": (
        lambda: TopicMixtureGenerator(np.array([[1 + 1j, 1.0]]), vocabulary=["a", "b"]).fit(),
        TypeError, "topics must be real"),
    "complex topics to compare": (
        lambda: match_topics((np.array([[1 + 1j, 1.0]]), ["a", "b"]),
                             (np.array([[1.0, 1.0]]), ["a", "b"])),
        TypeError, "topics of truth must be real"),
    "complex topic_weights": (
        lambda: TopicMixtureGenerator([["a"], ["b"]], topic_weights=[0.5 + 0j, 0.5]).fit(),
        TypeError, "topic_weights"),
    "string as a vocabulary": (
        lambda: match_topics(np.eye(3), np.eye(3), vocabulary="abc"),
        TypeError, "plain string"),
    "n_components=True": (
        lambda: GaussianMixtureSampler(n_components=True).fit(np.zeros((10, 2))),
        ValueError, "n_components"),
    "metric as a list": (
        lambda: match_topics((np.eye(2), ["a", "b"]), (np.eye(2), ["a", "b"]), metric=["l1"]),
        ValueError, "metric"),
    "uint64 length over 2**63": (
        lambda: TopicMixtureGenerator(
            [["a"]], doc_length=np.array([2**63 + 5], dtype=np.uint64)).fit(),
        ValueError, "doc_length"),
    "counts of 1e20": (
        lambda: TopicMixtureGenerator(n_topics=1, vocabulary=["a", "b"]).fit(
            scipy.sparse.csr_matrix(np.array([[1e20, 1.0]]))),
        ValueError, "X's counts add up"),
    "empty word in fit's vocabulary": (
        lambda: TopicMixtureGenerator(n_topics=1, vocabulary=["a", ""]).fit(
            scipy.sparse.csr_matrix(np.array([[1, 1]]))),
        ValueError, "vocabulary holds an empty word"),
    "poisson(-5) lengths": (
        lambda: TopicMixtureGenerator([["a"]], doc_length=stats.poisson(-5)).fit(),
        ValueError, "doc_length's distribution has invalid parameters"),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_refused_naming_the_parameter(case):
    call, error, words = case
    with pytest.raises(error, match=words):
        call()


@pytest.mark.parametrize("index", [np.array([True, False, True]), np.array([0.0, 1.5]),
                                   [0.5], [True]], ids=["bool", "float", "float list", "bools"])
def test_a_corpus_refuses_boolean_or_float_document_numbers(corpus, index):
    with pytest.raises(TypeError, match="documents are indexed by ints"):
        corpus[index]


def test_a_corpus_still_takes_int_arrays_and_empty_lists(corpus):
    assert list(corpus[np.array([2, 0], dtype=np.uint8)]) == [corpus[2], corpus[0]]
    assert len(corpus[[]]) == 0


def test_stream_refuses_an_unhashable_format(generator):
    with pytest.raises(ValueError, match="format must be one of"):
        generator.stream(5, format=["bow"])


# --- words the txt format cannot keep ---------------------------------------------------------


@pytest.mark.parametrize("word", ["cake\n", " orc", "tab\t", "x\u2028y", "nb\xa0sp", "\x1c"])
def test_txt_refuses_any_whitespace_in_a_word(tmp_path, word):
    # "cake\n" passed the old check: 1,000 documents came out as 11,023 lines, exit 0
    corpus = TopicMixtureGenerator([[word, "b"]]).fit().sample(50, random_state=0)
    with pytest.raises(ValueError, match="whitespace"):
        corpus.save(tmp_path / "c.txt")
    assert os.listdir(tmp_path) == []
    corpus.save(tmp_path / "c.jsonl", format="jsonl")
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").split("\n")
    assert [json.loads(line)["tokens"] for line in lines[:-1]] == list(corpus)


# --- overflowing weights ---------------------------------------------------------------------


def test_weights_whose_sum_overflows_are_normalised_safely():
    generator = TopicMixtureGenerator([{"a": 1e308, "b": 1e308}, {"c": 1}]).fit()
    np.testing.assert_allclose(generator.topic_word_, [[0.5, 0.5, 0], [0, 0, 1]])
    corpus = generator.sample(2000, random_state=0)
    words = corpus.token_ids.values[corpus.token_topics.values == 0]
    # topic 0 draws a and b, about half each (binomial, 5 sigma), never c
    assert set(words.tolist()) == {0, 1}
    assert abs((words == 0).mean() - 0.5) < 5 * 0.5 / np.sqrt(words.size)


def test_an_array_whose_row_sum_overflows_draws():
    generator = TopicMixtureGenerator([[1e308, 1e308, 1]], vocabulary=["a", "b", "c"]).fit()
    np.testing.assert_allclose(generator.topic_word_, [[0.5, 0.5, 0.5 / 1e308]])
    assert set(generator.sample(100, random_state=0).token_ids.values.tolist()) == {0, 1}


# --- the command line: one line naming the problem, never a traceback ------------------------


def _write(path, data):
    Path(path).write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


SPECS = {
    "deeply nested JSON": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "not UTF-8": ('{"topics": [["caf\xe9"]]}'.encode("latin-1"), "not UTF-8"),
    "mu as a string": ({"topics": [["a", "b"]], "doc_length": {"poisson": {"mu": "5"}}},
                       "'mu' must be a number"),
    "negative mu": ({"topics": [["a", "b"]], "doc_length": {"poisson": {"mu": -5}}},
                    "invalid parameters"),
    "mu true": ({"topics": [["a", "b"]], "doc_length": {"poisson": {"mu": True}}},
                "'mu' must be a number"),
}


@pytest.mark.parametrize("case", SPECS.values(), ids=SPECS.keys())
def test_a_bad_spec_is_one_line_and_no_file(tmp_path, case, capsys, monkeypatch):
    data, words = case
    monkeypatch.chdir(tmp_path)
    _write("spec.json", data)
    status = main(["generate", "--spec", "spec.json", "--n-docs", "5", "--out", "c.txt"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and err.startswith("skmix: error: --spec")
    assert words in err and os.listdir() == ["spec.json"]


# --- compare: pickles warned about, a safe .npz taken -----------------------------------------


def test_every_help_shows_its_defaults_and_compare_warns_about_pickles(capsys):
    for command, shown in [("generate", "(default: 1)"), ("demo", "(default: 0)"),
                           ("compare", "(default: hellinger)")]:
        assert main([command, "--help"]) == 0
        assert shown in capsys.readouterr().out
    main(["compare", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "pickle" in text and "trusted" in text and ".npz" in text


def test_compare_takes_a_topic_word_npz(tmp_path, capsys):
    truth = TopicMixtureGenerator(worksheet_topics()).fit()
    np.savez(tmp_path / "m.npz", topic_word=truth.topic_word_[::-1],
             vocabulary=truth.vocabulary_.astype(str))
    assert main(["compare", "--preset", "worksheet", str(tmp_path / "m.npz")]) == 0
    assert "birthday" in capsys.readouterr().out


class _Payload:
    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_a_pickle_named_npz_is_refused_without_running_it(tmp_path, capsys):
    import pickle

    payload = _Payload()
    payload.marker = str(tmp_path / "payload-ran")
    (tmp_path / "m.npz").write_bytes(pickle.dumps(payload))
    assert main(["compare", "--preset", "worksheet", str(tmp_path / "m.npz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'topic_word'" in err
    assert not (tmp_path / "payload-ran").exists()
