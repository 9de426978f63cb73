"""write_corpus: corpus files written as they are drawn, in parallel, the same for any jobs."""

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import numpy as np
import pytest
from gensim.corpora import MmCorpus
from scipy.stats import poisson
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from skmix import TopicMixtureGenerator, write_corpus
from skmix._blocks import DocumentBlocks
from skmix.datasets import bars_topics, worksheet_topics

SKMIX = Path(sys.executable).with_name("skmix")

# 2,500 documents: two full blocks of the seed scheme and a partial one.
N_DOCS = 2500


@pytest.fixture(scope="module")
def generator():
    """LDA mode with variable lengths (empty documents included), so offsets matter."""
    return TopicMixtureGenerator(
        bars_topics(3), doc_topic_prior=0.5, doc_length=poisson(4), random_state=0
    ).fit()


def read_bytes(path):
    return Path(path).read_bytes()


@pytest.mark.parametrize("format", ["txt", "jsonl", "mm"])
def test_file_is_the_same_for_any_jobs(generator, tmp_path, format):
    serial = write_corpus(generator, N_DOCS, tmp_path / f"1.{format}", format=format,
                          random_state=7, jobs=1)
    parallel = write_corpus(generator, N_DOCS, tmp_path / f"2.{format}", format=format,
                            random_state=7, jobs=2)
    assert read_bytes(serial) == read_bytes(parallel)
    assert sorted(os.listdir(tmp_path)) == [f"1.{format}", f"2.{format}"]  # no temporary left


def test_file_is_the_same_when_workers_draw_several_blocks_a_task(tmp_path):
    short = TopicMixtureGenerator(worksheet_topics(), doc_length=2, random_state=0).fit()
    n_docs = 40_500  # 41 blocks: tasks of 2 blocks for two workers, the last one partial
    for jobs in (1, 2):
        write_corpus(short, n_docs, tmp_path / f"{jobs}.txt", random_state=1, jobs=jobs)
    assert read_bytes(tmp_path / "1.txt") == read_bytes(tmp_path / "2.txt")
    assert read_bytes(tmp_path / "1.txt").count(b"\n") == n_docs


def test_txt_round_trips_to_the_sampled_documents(generator, tmp_path):
    path = write_corpus(generator, N_DOCS, tmp_path / "corpus.txt", random_state=3, jobs=2)
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == N_DOCS + 1  # one line per document, empty ones too
    expected = generator.sample(N_DOCS, random_state=3)
    assert [line.split() for line in lines[:-1]] == list(expected)
    assert sum(len(line.split()) for line in lines) == expected.n_tokens


def test_jsonl_round_trips_documents_and_truth(generator, tmp_path):
    path = write_corpus(generator, N_DOCS, tmp_path / "corpus.jsonl", format="jsonl",
                        random_state=3, jobs=2)
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    expected = generator.sample(N_DOCS, random_state=3)
    assert [row["tokens"] for row in rows] == list(expected)
    assert [row["token_topics"] for row in rows] == [t.tolist() for t in expected.token_topics]
    np.testing.assert_allclose([row["doc_topic"] for row in rows], expected.doc_topic)


def test_mm_loads_in_gensim_and_matches_gensims_own_writer(generator, tmp_path):
    path = write_corpus(generator, N_DOCS, tmp_path / "corpus.mm", format="mm", random_state=3,
                        jobs=2)
    expected = generator.sample(N_DOCS, random_state=3)
    loaded = MmCorpus(path)
    assert (loaded.num_docs, loaded.num_terms) == (N_DOCS, len(generator.vocabulary_))
    assert [[(i, int(c)) for i, c in doc] for doc in loaded] == expected.to_bow()
    expected.save(tmp_path / "gensim.mm", format="mm")  # gensim's MmWriter, document by document
    assert read_bytes(path) == read_bytes(tmp_path / "gensim.mm")


def test_without_random_state_continues_the_generators_stream(tmp_path):
    first = TopicMixtureGenerator(worksheet_topics(), random_state=5).fit()
    second = clone(first).fit()
    write_corpus(first, 1200, tmp_path / "a.txt", jobs=2)
    write_corpus(first, 1200, tmp_path / "b.txt")
    lines = [path.read_text().splitlines() for path in (tmp_path / "a.txt", tmp_path / "b.txt")]
    assert [line.split() for line in lines[0]] == list(second.sample(1200))
    assert [line.split() for line in lines[1]] == list(second.sample(1200))
    assert lines[0] != lines[1]


def test_replaces_an_existing_file(generator, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("old\n")
    write_corpus(generator, 10, path, random_state=0)
    assert path.read_text().count("\n") == 10


def test_progress_bar_only_when_asked_or_on_a_terminal(generator, tmp_path, capsys):
    write_corpus(generator, N_DOCS, tmp_path / "quiet.txt", random_state=0)  # stderr is captured
    assert capsys.readouterr().err == ""
    write_corpus(generator, N_DOCS, tmp_path / "bar.txt", random_state=0, progress=True)
    assert "100%" in capsys.readouterr().err
    assert read_bytes(tmp_path / "quiet.txt") == read_bytes(tmp_path / "bar.txt")


BAD_CALLS = {
    "unknown format": ({"format": "csv"}, ValueError, "format"),
    "zero documents": ({"n_docs": 0}, ValueError, "n_docs"),
    "fractional documents": ({"n_docs": 2.5}, TypeError, "n_docs"),
    "zero jobs": ({"jobs": 0}, ValueError, "jobs"),
    "jobs as text": ({"jobs": "2"}, TypeError, "jobs"),
    "progress as text": ({"progress": "yes"}, TypeError, "progress"),
    "negative seed": ({"random_state": -1}, ValueError, "random_state"),
    "seed of a wrong type": ({"random_state": "seed"}, TypeError, "random_state"),
    "missing folder": ({"path": "missing/corpus.txt"}, ValueError, "does not exist"),
    "path is a folder": ({"path": "."}, ValueError, "folder"),
    "path of a wrong type": ({"path": 3.5}, TypeError, "path"),
}


@pytest.mark.parametrize("case", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_refusals_name_the_parameter_and_leave_no_file(generator, tmp_path, monkeypatch, case):
    changes, error, words = case
    monkeypatch.chdir(tmp_path)
    call = {"n_docs": N_DOCS, "path": "corpus.txt", "jobs": 2} | changes
    fresh = clone(generator).fit()
    with pytest.raises(error, match=words):
        write_corpus(fresh, call.pop("n_docs"), call.pop("path"), **call)
    assert os.listdir(tmp_path) == []
    # a refused call draws nothing: the generator's stream is where a fresh copy's is
    assert list(fresh.sample(5)) == list(clone(generator).fit().sample(5))


def test_refuses_what_is_not_a_fitted_generator(tmp_path):
    with pytest.raises(NotFittedError):
        write_corpus(TopicMixtureGenerator(worksheet_topics()), 5, tmp_path / "a.txt")
    with pytest.raises(TypeError, match="generator"):
        write_corpus([["merry", "run"]], 5, tmp_path / "a.txt")
    assert os.listdir(tmp_path) == []


def test_refuses_txt_for_words_with_spaces_before_writing(tmp_path):
    spaced = TopicMixtureGenerator([["new york", "paris"]]).fit()
    with pytest.raises(ValueError, match="whitespace"):
        write_corpus(spaced, 5, tmp_path / "a.txt")
    assert os.listdir(tmp_path) == []
    write_corpus(spaced, 5, tmp_path / "a.jsonl", format="jsonl")  # jsonl keeps them apart


class _FailingBlocks(DocumentBlocks):
    """Draws like its parent, then is interrupted at document ``fail_at`` (as Ctrl-C would)."""

    fail_at = 1500

    def documents(self, root, start, stop, **options):
        if start >= self.fail_at:
            raise KeyboardInterrupt
        return super().documents(root, start, stop, **options)


class _FailingGenerator(TopicMixtureGenerator):
    """A generator whose drawing is interrupted at document 1,500."""

    def fit(self, X=None, y=None):
        super().fit(X, y)
        self._blocks_.__class__ = _FailingBlocks
        return self


@pytest.mark.parametrize(("format", "jobs"), [("txt", 1), ("mm", 1), ("txt", 2)])
def test_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, format, jobs):
    path = tmp_path / f"corpus.{format}"
    path.write_text("old\n")
    failing = _FailingGenerator(worksheet_topics()).fit()
    with pytest.raises(KeyboardInterrupt):
        write_corpus(failing, N_DOCS, path, format=format, jobs=jobs)
    assert os.listdir(tmp_path) == [path.name] and path.read_text() == "old\n"


def run_cli(*args, cwd):
    return subprocess.run([str(SKMIX), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_cli_generate_is_the_same_for_any_jobs(tmp_path):
    for jobs in (1, 2):
        result = run_cli("generate", "--preset", "bars", "--n-docs", N_DOCS, "--seed", 4,
                         "--out", f"{jobs}.txt", "--jobs", jobs, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert read_bytes(tmp_path / "1.txt") == read_bytes(tmp_path / "2.txt")
    bars = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=1.0, doc_length=100).fit()
    lines = (tmp_path / "1.txt").read_text().splitlines()
    assert [line.split() for line in lines] == list(bars.sample(N_DOCS, random_state=4))


def test_cli_generate_shows_a_progress_bar_on_a_terminal(tmp_path):
    leader, follower = pty.openpty()
    # 24 x 80 characters: a terminal of size 0 x 0 leaves tqdm no room to draw
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with os.fdopen(leader, "rb", buffering=0) as terminal:
        process = subprocess.Popen(
            [str(SKMIX), "generate", "--preset", "worksheet", "--n-docs", str(N_DOCS), "--out",
             "c.txt"],
            cwd=tmp_path, stderr=follower, stdout=subprocess.DEVNULL,
        )
        os.close(follower)
        shown = b""
        while chunk := _read_until_closed(terminal):
            shown += chunk
        assert process.wait(timeout=300) == 0
    assert b"100%" in shown and b"2.50k/2.50k" in shown, shown
    assert (tmp_path / "c.txt").read_text().count("\n") == N_DOCS


def _read_until_closed(terminal):
    """The next output on the terminal; b"" once its other end is closed (or after 60 s)."""
    try:
        return terminal.read(65536) if select.select([terminal], [], [], 60)[0] else b""
    except OSError:  # EIO: every writer has closed the other end
        return b""


def test_cli_generate_refusal_leaves_no_file(tmp_path):
    (tmp_path / "spec.json").write_text(json.dumps({"topics": [["new york", "paris"]]}))
    result = run_cli("generate", "--spec", "spec.json", "--n-docs", 10, "--out", "c.txt",
                     "--jobs", 2, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("skmix: error: ") and "whitespace" in result.stderr
    assert os.listdir(tmp_path) == ["spec.json"]


def _as_a_foreground_job():
    # A shell starts background jobs with SIGINT ignored and the command, as any program, keeps
    # that; this test is about the Ctrl-C a terminal sends, so it must not inherit a suite run
    # with `pytest &` (4 failures in one such run).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("delay", [0.0, 0.5], ids=["while-the-workers-start", "while-writing"])
@pytest.mark.parametrize(
    ("signum", "status", "said"),
    [(signal.SIGINT, 130, "skmix: interrupted"), (signal.SIGTERM, 143, "skmix: terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_a_stopped_cli_write_leaves_no_file(tmp_path, signum, status, said, delay, jobs):
    # delay 0: the signal lands as the workers are forked; before _interrupts_held, an at-fork
    # handler swallowed a Ctrl-C and the 5 GB file was written to the end (6 runs in 6).
    # SIGTERM used to end the command at once, leaving its hidden temporary file.
    process = subprocess.Popen(
        [str(SKMIX), "generate", "--preset", "bars", "--n-docs", "10000000", "--out", "big.txt",
         "--jobs", str(jobs)],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=_as_a_foreground_job,
    )
    deadline = time.monotonic() + 60
    while not any(name.endswith(".tmp") for name in os.listdir(tmp_path)):
        assert time.monotonic() < deadline and process.poll() is None, "no write started"
        time.sleep(0.005)
    time.sleep(delay)
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the workers too: they hold stderr open
        process.communicate()
        pytest.fail(f"skmix generate went on after signal {signum}")
    assert process.returncode == status, stderr
    assert stderr.strip() == said
    assert os.listdir(tmp_path) == []
