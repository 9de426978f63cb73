"""skmix.read_corpus: re-iterable, len(), memory bounded; fit(read_corpus(...)) streams."""

import json
import subprocess
import sys

import numpy as np
import pytest

from skmix import TopicMixtureGenerator, read_corpus
from skmix.datasets import worksheet_topics


@pytest.fixture(scope="module")
def sampled():
    generator = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.5, doc_length=20,
                                      random_state=0).fit()
    return generator.sample(50, random_state=0)


@pytest.mark.parametrize("format", ["txt", "jsonl", "mm"])
def test_reads_back_what_was_saved_on_every_pass(tmp_path, sampled, format):
    path = tmp_path / f"corpus.{format}"
    sampled.save(path, format=format)
    vocabulary = sampled.vocabulary.tolist() if format == "mm" else None
    corpus = read_corpus(path, format=format, vocabulary=vocabulary)
    assert len(corpus) == len(sampled)
    expected = [sorted(doc) for doc in sampled] if format == "mm" else list(sampled)
    for _ in range(2):  # every pass reads the file again
        got = [sorted(doc) for doc in corpus] if format == "mm" else list(corpus)
        assert got == expected


def test_fit_learns_the_same_from_the_file_as_from_memory(tmp_path, sampled):
    path = tmp_path / "corpus.txt"
    sampled.save(path)
    options = {"n_topics": 2, "passes": 2, "n_init": 1, "random_state": 0}
    from_file = TopicMixtureGenerator(**options).fit(read_corpus(path))
    in_memory = TopicMixtureGenerator(**options).fit(list(sampled))
    assert from_file.vocabulary_.tolist() == in_memory.vocabulary_.tolist()
    np.testing.assert_allclose(from_file.topic_word_, in_memory.topic_word_)


def test_counting_in_chunks_equals_counting_at_once(monkeypatch, sampled):
    from skmix import _topic_fit

    whole = _topic_fit.document_term_counts(list(sampled))
    monkeypatch.setattr(_topic_fit, "COUNT_CHUNK_DOCUMENTS", 7)
    chunked = _topic_fit.document_term_counts(iter(list(sampled)))
    assert chunked[1].tolist() == whole[1].tolist()
    assert (chunked[0] != whole[0]).nnz == 0
    with pytest.raises(TypeError, match=r"document 9 holds 3"):
        _topic_fit.document_term_counts([["a"]] * 9 + [["b", 3]])
    with pytest.raises(ValueError, match="empty token '' in document 8"):
        _topic_fit.document_term_counts([["a"]] * 8 + [["b", ""]])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"path": 3}, TypeError, "path must be a str"),
    ({"format": "csv"}, ValueError, "format must be one of"),
    ({"path": "no/such/file.txt"}, ValueError, "is not a file"),
    ({"vocabulary": ["a"]}, ValueError, "vocabulary is for format='mm'"),
])
def test_bad_arguments_are_refused(tmp_path, kwargs, error, match):
    path = tmp_path / "corpus.txt"
    path.write_text("a b\n")
    with pytest.raises(error, match=match):
        read_corpus(**{"path": path, **kwargs})


_CHILD = """
import json, resource, sys
from skmix import TopicMixtureGenerator, read_corpus
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
corpus = read_corpus(sys.argv[1])
generator = TopicMixtureGenerator(n_topics=2, passes=1, n_init=1, random_state=0).fit(corpus)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before": before * 1024, "after": after * 1024, "n": len(corpus)}))
"""


def test_fit_from_a_file_keeps_memory_bounded(tmp_path):
    """2,000,000 tokens of 5 letters (22 MB of text, ~130 MB as a list of str): the fit
    streams it and adds less than that to the process's peak."""
    generator = TopicMixtureGenerator(worksheet_topics(), doc_topic_prior=0.5, doc_length=200,
                                      random_state=0).fit()
    path = tmp_path / "big.txt"
    from skmix import write_corpus

    write_corpus(generator, 10_000, path)
    child = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                           text=True, check=True)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    assert figures["n"] == 10_000
    assert figures["after"] - figures["before"] < 100 * 2**20, figures


def test_counts_are_joined_and_trimmed_as_vstack_and_row_indexing_would():
    import scipy.sparse

    from skmix import _topic_fit

    docs = [["b", "a", "b"], [], ["c", "a"], ["zz"]] * 700  # 2,800 documents: three chunks
    counts, words = _topic_fit.document_term_counts(docs)
    index = {w: i for i, w in enumerate(words)}
    rows = [np.bincount([index[w] for w in doc], minlength=len(words)) for doc in docs]
    np.testing.assert_array_equal(counts.toarray(), np.array(rows))
    assert counts.has_sorted_indices and counts.indices.dtype == np.int32
    trimmed = _topic_fit.non_empty_rows(counts)
    expected = counts[np.flatnonzero(counts.getnnz(axis=1))]
    assert (trimmed != expected).nnz == 0 and trimmed.shape == (2100, 4)
    assert np.shares_memory(trimmed.data, counts.data)  # no copy of the corpus's counts
    full = scipy.sparse.csr_matrix(np.ones((3, 2), dtype=np.int64))
    assert _topic_fit.non_empty_rows(full) is full
