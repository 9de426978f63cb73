"""Memory follows the output (SPEC, "Files and memory"), and sizes are checked up front.

Issue 15: ``sample(1)`` of a 100,000-word document drew a whole block of 1,000 such documents
(3.7 GB, 15 s); a spec of 1,000,000-word documents with ``--n-docs 5`` was killed by the OOM
killer at 24 GB; ``sample(500_000_000)`` passed a size check made against the machine's total
memory rather than what was available.
"""

import os
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from skmix import TopicMixtureGenerator, write_corpus
from skmix._cli import main
from skmix._validation import available_memory
from skmix.datasets import bars_topics


def _peak_bytes(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_one_long_document_draws_only_itself():
    generator = TopicMixtureGenerator([["a", "b"], ["c"]], doc_topic_prior=1.0,
                                      doc_length=100_000).fit()
    started = time.monotonic()
    corpus, peak = _peak_bytes(lambda: generator.sample(1, random_state=0))
    assert corpus.n_tokens == 100_000
    # the output is 0.5 MB; a 1,000-document block of these was 100 M tokens (3.7 GB)
    assert peak < 20 * 2**20, peak
    assert time.monotonic() - started < 10


# Blocks over 2**22 tokens are drawn in parts; these sizes put the block just over that bound.
LARGE_BLOCKS = {
    "fixed, Dirichlet": lambda: TopicMixtureGenerator(
        bars_topics(3), doc_topic_prior=0.5, doc_length=4300),
    "empirical lengths, one mixture": lambda: TopicMixtureGenerator(
        [["a", "b", "c"], ["d"]], topic_weights=[0.3, 0.7],
        doc_length=np.array([0, 3000, 9000, 6000])),
    "poisson lengths, one topic": lambda: TopicMixtureGenerator(
        [["x", "y", "z"]], doc_length=stats.poisson(4400)),
}


def _same(a, b):
    return (np.array_equal(a.token_ids.values, b.token_ids.values)
            and np.array_equal(a.token_topics.values, b.token_topics.values)
            and np.array_equal(a.doc_lengths, b.doc_lengths)
            and np.array_equal(a.doc_topic, b.doc_topic))


@pytest.mark.parametrize("make", LARGE_BLOCKS.values(), ids=LARGE_BLOCKS.keys())
def test_parts_of_a_large_block_are_the_documents_of_the_whole(make):
    generator = make().fit()
    whole = generator.sample(1200, random_state=5)
    assert whole[:1000].n_tokens >= 2**22  # the first block is one that is drawn in parts
    for start, stop in [(0, 1), (1, 3), (499, 502), (998, 1000), (990, 1010), (0, 1200)]:
        chunks = generator.iter_sample(stop, chunk_size=max(stop - start, 1), random_state=5)
        part = list(chunks)[-1] if start else next(iter(
            generator.iter_sample(stop, chunk_size=stop, random_state=5)))
        assert _same(part, whole[stop - len(part):stop]), (start, stop)
    assert _same(generator.sample(3, random_state=5), whole[:3])


def test_a_file_of_long_documents_is_the_sample(tmp_path):
    generator = TopicMixtureGenerator(bars_topics(3), doc_topic_prior=0.5, doc_length=4300).fit()
    path = write_corpus(generator, 7, tmp_path / "c.txt", random_state=2)
    lines = [line.split() for line in Path(path).read_text().splitlines()]
    assert lines == list(generator.sample(7, random_state=2))


def test_sizes_are_checked_against_the_memory_available():
    available = available_memory()
    with open("/proc/meminfo") as file:
        total = int(next(line for line in file if line.startswith("MemTotal")).split()[1]) * 1024
    assert available <= total
    generator = TopicMixtureGenerator([["a", "b"]], doc_length=100).fit()
    too_many = int(available / generator._bytes_per_sample()) + 1000
    with pytest.raises(ValueError, match=rf"n_samples={too_many} needs about .* GiB"):
        generator.sample(too_many)


def test_a_document_too_long_to_draw_is_refused_before_drawing():
    generator = TopicMixtureGenerator([["a", "b"]], doc_length=stats.poisson(1e12)).fit()
    with pytest.raises(ValueError, match="n_samples=1 needs about"):
        generator.sample(1)


@pytest.mark.skipif(not os.path.exists("/proc/meminfo"), reason="Linux's MemAvailable")
def test_available_memory_is_what_linux_says_is_available():
    with open("/proc/meminfo") as file:
        line = next(line for line in file if line.startswith("MemAvailable"))
    assert abs(available_memory() - int(line.split()[1]) * 1024) < 2**30


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_of_long_documents_are_written_in_pieces_and_match(tmp_path, jobs):
    # 975 documents a task instead of 1,000: still the same bytes as the sample
    generator = TopicMixtureGenerator([["a", "b"], ["c"]], doc_topic_prior=1.0,
                                      doc_length=4300).fit()
    path = write_corpus(generator, 1100, tmp_path / "c.txt", random_state=3, jobs=jobs)
    lines = [line.split() for line in Path(path).read_text().splitlines()]
    assert lines == list(generator.sample(1100, random_state=3))


def _spec(tmp_path, doc_length):
    (tmp_path / "spec.json").write_text(
        '{"topics": [["a", "b"], ["c"]], "doc_length": ' + doc_length + "}")


def test_the_command_writes_a_few_million_word_documents(tmp_path, capsys, monkeypatch):
    # killed by the OOM killer at 24 GB before: 5 documents drew a block of 1,000
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path, "1000000")
    assert main(["generate", "--spec", "spec.json", "--n-docs", "3", "--out", "c.txt"]) == 0
    assert [len(line.split()) for line in Path("c.txt").read_text().splitlines()] == [10**6] * 3


def test_the_command_refuses_documents_too_long_to_draw(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path, '{"poisson": {"mu": 1e12}}')
    assert main(["generate", "--spec", "spec.json", "--n-docs", "5", "--out", "c.txt"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "doc_length" in err and "GiB" in err
    assert sorted(os.listdir()) == ["spec.json"]
