"""``skmix fit``: a generator fitted to a corpus file, saved as a spec ``generate --spec`` takes."""

import json
from argparse import Namespace

import numpy as np
import pytest

from skmix import TopicMixtureGenerator
from skmix._cli import main, make_generator
from skmix.compare import match_topics
from skmix.datasets import worksheet_topics

N_DOCS = 300


@pytest.fixture(scope="module")
def truth():
    return TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.2, random_state=0).fit()


@pytest.fixture(scope="module")
def corpus(truth):
    return truth.sample(N_DOCS, random_state=1)


def fit(path, folder, *options):
    out = folder / f"{path.name}.spec.json"
    status = main(["fit", str(path), "--n-topics", "2", "--seed", "0", "--out", str(out),
                   *options])
    assert status == 0
    return out


def from_spec(path):
    return make_generator(Namespace(preset=None, spec=str(path)))


@pytest.fixture(scope="module")
def txt_spec(corpus, tmp_path_factory):
    """The spec ``skmix fit`` writes for the corpus saved as ``txt`` (fitted once)."""
    folder = tmp_path_factory.mktemp("txt")
    corpus.save(folder / "corpus.txt")
    return fit(folder / "corpus.txt", folder)


@pytest.mark.slow
def test_the_spec_is_the_fitted_generator_and_finds_the_truth(truth, corpus, txt_spec):
    spec = txt_spec
    direct = TopicMixtureGenerator(n_topics=2, random_state=0).fit(list(corpus))
    loaded = from_spec(spec)
    # the spec holds the fitted topics exactly (JSON keeps every float); the generator made
    # from it normalises each row again, which may move the last bit (2.8e-17 seen)
    np.testing.assert_allclose(loaded.topic_word_, direct.topic_word_, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(loaded.doc_topic_prior_, direct.doc_topic_prior_)
    assert sorted(loaded.doc_length_.tolist()) == sorted(direct.doc_length_.tolist())
    assert match_topics(truth, loaded).passed


@pytest.mark.slow
def test_generate_takes_the_spec(txt_spec, tmp_path):
    spec = txt_spec
    out = tmp_path / "fake.txt"
    assert main(["generate", "--spec", str(spec), "--n-docs", "50", "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 50
    assert {len(line.split()) for line in lines} == {20}  # the real lengths, all 20


@pytest.mark.slow
def test_jsonl_gives_the_same_spec_as_txt(corpus, txt_spec, tmp_path):
    corpus.save(tmp_path / "corpus.jsonl", format="jsonl")
    txt = json.loads(txt_spec.read_text())
    jsonl = json.loads(fit(tmp_path / "corpus.jsonl", tmp_path, "--format", "jsonl").read_text())
    assert jsonl == txt


@pytest.mark.slow
def test_mm_words_are_column_numbers(truth, corpus, tmp_path):
    corpus.save(tmp_path / "corpus.mm", format="mm")
    spec = json.loads(fit(tmp_path / "corpus.mm", tmp_path, "--format", "mm").read_text())
    assert spec["vocabulary"] == [str(j) for j in range(len(truth.vocabulary_))]
    words = truth.vocabulary_[[int(word) for word in spec["vocabulary"]]]
    assert match_topics(truth, (np.array(spec["topics"]), words)).passed


def refused(argv, tmp_path, capsys):
    before = sorted(tmp_path.iterdir())
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.startswith("skmix: error: ") and error.count("\n") == 1, error
    assert sorted(tmp_path.iterdir()) == before
    return error


def test_says_what_it_wrote(tmp_path, capsys):
    (tmp_path / "corpus.txt").write_text("a b a b\nc d c d\n")
    assert main(["fit", str(tmp_path / "corpus.txt"), "--n-topics", "2", "--seed", "0",
                 "--out", str(tmp_path / "spec.json")]) == 0
    assert f"spec written to {tmp_path / 'spec.json'}" in capsys.readouterr().out
    assert json.loads((tmp_path / "spec.json").read_text())["doc_length"] == [4, 4]


def test_refuses_a_missing_corpus(tmp_path, capsys):
    error = refused(["fit", str(tmp_path / "nope.txt"), "--n-topics", "2",
                     "--out", str(tmp_path / "spec.json")], tmp_path, capsys)
    assert "is not a file" in error


@pytest.mark.parametrize("out", ["missing/spec.json", "."])
def test_refuses_an_output_it_cannot_create(out, tmp_path, capsys):
    (tmp_path / "corpus.txt").write_text("a b\nb c\n")
    error = refused(["fit", str(tmp_path / "corpus.txt"), "--n-topics", "2",
                     "--out", str(tmp_path / out)], tmp_path, capsys)
    assert "--out" in error


@pytest.mark.parametrize(("option", "message"), [
    (["--n-topics", "0"], "argument --n-topics: expected an integer >= 1, got '0'"),
    (["--n-topics", "2", "--backend", "nope"], "'backend' parameter"),
    (["--n-topics", "2", "--format", "xml"], "argument --format: invalid choice"),
    (["--n-topics", "2", "--seed", "-1"], "argument --seed: expected an integer >= 0"),
])
def test_refuses_bad_options(option, message, tmp_path, capsys):
    (tmp_path / "corpus.txt").write_text("a b\nb c\n")
    error = refused(["fit", str(tmp_path / "corpus.txt"), *option,
                     "--out", str(tmp_path / "spec.json")], tmp_path, capsys)
    assert message in error


def test_refuses_a_jsonl_line_without_tokens(tmp_path, capsys):
    (tmp_path / "corpus.jsonl").write_text('{"tokens": ["a", "b"]}\n{"words": ["b"]}\n')
    error = refused(["fit", str(tmp_path / "corpus.jsonl"), "--format", "jsonl", "--n-topics",
                     "1", "--out", str(tmp_path / "spec.json")], tmp_path, capsys)
    assert "line 2" in error


def test_refuses_an_empty_corpus(tmp_path, capsys):
    (tmp_path / "corpus.txt").write_text("\n\n")
    refused(["fit", str(tmp_path / "corpus.txt"), "--n-topics", "1",
             "--out", str(tmp_path / "spec.json")], tmp_path, capsys)
