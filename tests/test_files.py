"""Writing files safely (SPEC, "Files and memory"): what ``save``, ``write_corpus`` and
``skmix generate`` do to the path they are given.

Each case was found wrong by the attack of issue 15: a device, a FIFO or a symlink replaced by a
regular file; permissions and hard links lost; a read-only file overwritten; a whole corpus
written before an empty, folder or trailing-slash path failed; a valid 249-character name
refused because the temporary name was too long.
"""

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from skmix import TopicMixtureGenerator, write_corpus
from skmix._blocks import DocumentBlocks
from skmix._cli import main
from skmix.datasets import worksheet_topics

SKMIX = Path(sys.executable).with_name("skmix")
N_DOCS = 1500


@pytest.fixture(scope="module")
def generator():
    return TopicMixtureGenerator(worksheet_topics(), doc_length=10, random_state=0).fit()


@pytest.fixture(scope="module")
def corpus(generator):
    return generator.sample(20, random_state=1)


def _lines(path):
    return Path(path).read_text().splitlines()


class _CountingBlocks(DocumentBlocks):
    """Counts the documents it draws, to prove a refusal came before any drawing."""

    drawn = 0

    def documents(self, root, start, stop, **options):
        type(self).drawn += stop - start
        return super().documents(root, start, stop, **options)


class _CountingGenerator(TopicMixtureGenerator):
    def fit(self, X=None, y=None):
        super().fit(X, y)
        self._blocks_.__class__ = _CountingBlocks
        return self


def _refused_before_drawing(path, match, folder):
    counting = _CountingGenerator(worksheet_topics()).fit()
    _CountingBlocks.drawn = 0
    before = sorted(os.listdir(folder))
    with pytest.raises(ValueError, match=match):
        write_corpus(counting, N_DOCS, path)
    assert _CountingBlocks.drawn == 0
    assert sorted(os.listdir(folder)) == before  # no temporary file left


# --- what is not a regular file is refused, before any drawing ------------------------------


def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _refused_before_drawing(fifo, "FIFO", tmp_path)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        _refused_before_drawing(path, "socket", tmp_path)
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_device_is_refused_and_stays_a_device(corpus, tmp_path):
    # as root, the old atomic rename replaced /dev/null itself with a regular file; a private
    # copy of /dev/null (same device numbers) is the safe way to show it
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device needs root")
    with pytest.raises(ValueError, match="character device"):
        corpus.save(device)
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert os.listdir(tmp_path) == ["null"]


def test_a_folder_is_refused_before_drawing(tmp_path):
    (tmp_path / "sub").mkdir()
    _refused_before_drawing(tmp_path / "sub", "folder", tmp_path)


@pytest.mark.parametrize("name", ["new.txt/", "sub/"])
def test_a_trailing_slash_is_refused_before_drawing(tmp_path, name):
    (tmp_path / "sub").mkdir()
    _refused_before_drawing(os.path.join(str(tmp_path), name), "ends with '/'", tmp_path)


def test_a_missing_folder_is_refused_before_drawing(tmp_path):
    _refused_before_drawing(tmp_path / "missing" / "c.txt", "does not exist", tmp_path)


def test_an_empty_path_is_refused_and_writes_nothing(corpus, tmp_path, monkeypatch):
    # save("") used to write the whole corpus under a hidden name in the folder, then fail
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="path is empty"):
        corpus.save("")
    with pytest.raises(ValueError, match="path is empty"):
        write_corpus(TopicMixtureGenerator(worksheet_topics()).fit(), N_DOCS, "")
    assert os.listdir(tmp_path) == []


def test_a_path_through_a_file_is_refused(corpus, tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="does not exist"):
        corpus.save(tmp_path / "f" / "c.txt")


# --- an existing file: what is kept --------------------------------------------------------


def test_a_symlink_is_written_through_and_stays_a_symlink(corpus, tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    corpus.save(link)
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert [line.split() for line in _lines(target)] == list(corpus)
    assert sorted(os.listdir(tmp_path)) == ["link.txt", "real.txt"]


def test_a_dangling_symlink_creates_its_target(corpus, tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    corpus.save(link)
    assert link.is_symlink() and len(_lines(tmp_path / "real.txt")) == len(corpus)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_the_permissions_of_an_existing_file_are_kept(generator, tmp_path, mode):
    path = tmp_path / "c.txt"
    path.write_text("old\n")
    path.chmod(mode)
    write_corpus(generator, N_DOCS, path, jobs=1)
    assert stat.S_IMODE(path.stat().st_mode) == mode and len(_lines(path)) == N_DOCS


def test_a_new_file_gets_the_mode_open_would_give_it(corpus, tmp_path):
    umask = os.umask(0o022)
    try:
        corpus.save(tmp_path / "c.txt")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "c.txt").stat().st_mode) == 0o644


def test_hard_links_are_kept(corpus, tmp_path):
    path, other = tmp_path / "c.txt", tmp_path / "other-name.txt"
    path.write_text("old content, longer than nothing\n" * 1000)
    os.link(path, other)
    inode = path.stat().st_ino
    corpus.save(path)
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    assert _lines(other) == _lines(path) and len(_lines(path)) == len(corpus)
    assert sorted(os.listdir(tmp_path)) == ["c.txt", "other-name.txt"]


def test_a_read_only_file_is_refused_and_kept(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("keep me\n")
    path.chmod(0o444)
    _refused_before_drawing(path, "read-only", tmp_path)
    assert path.read_text() == "keep me\n"


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a" * 249, "a" * 255, "é" * 127], ids=["249", "255", "utf8"])
def test_a_long_valid_name_is_written(corpus, tmp_path, name):
    # the temporary name used to add 14 characters and pass the 255-byte limit
    corpus.save(tmp_path / name)
    assert os.listdir(tmp_path) == [name]


def test_a_name_over_the_limit_is_refused_by_name(corpus, tmp_path):
    with pytest.raises(ValueError, match="too long"):
        corpus.save(tmp_path / ("a" * 256))
    assert os.listdir(tmp_path) == []


def test_two_writers_on_one_path_leave_one_complete_file(generator, tmp_path):
    path = tmp_path / "c.txt"
    runs = [subprocess.Popen([str(SKMIX), "generate", "--preset", "bars", "--n-docs", "3000",
                              "--out", str(path), "--seed", str(seed)]) for seed in (1, 2)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    assert os.listdir(tmp_path) == ["c.txt"] and len(_lines(path)) == 3000


# --- the command ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "folder", "trailing slash", "read-only", "empty"])
def test_the_command_refuses_in_one_line_and_keeps_the_path(tmp_path, kind, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = {"fifo": "p", "folder": "d", "trailing slash": "d/", "read-only": "r", "empty": ""}[kind]
    os.mkfifo("p")
    os.mkdir("d")
    Path("r").write_text("x")
    os.chmod("r", 0o444)
    started = time.monotonic()
    status = main(["generate", "--preset", "bars", "--n-docs", "300000", "--out", out])
    err = capsys.readouterr().err
    assert status == 2 and len(err.splitlines()) == 1 and err.startswith("skmix: error: ")
    assert time.monotonic() - started < 5  # refused up front, not after the documents
    assert sorted(os.listdir()) == ["d", "p", "r"] and stat.S_ISFIFO(os.lstat("p").st_mode)
    assert Path("r").read_text() == "x"


# --- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path):
    """A 1 MB tmpfs (needs root on Linux), unmounted afterwards."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root on Linux)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


_SAVE_MM = """
import sys
from skmix import TopicMixtureGenerator
from skmix.datasets import bars_topics
corpus = TopicMixtureGenerator(bars_topics(5), doc_topic_prior=1.0, doc_length=100).fit().sample(
    20000, random_state=0)
try:
    corpus.save(sys.argv[1], format="mm")
except OSError as error:
    print(error)
"""


def test_a_full_disk_leaves_the_old_file_and_says_so_once(full_disk):
    # gensim's MmWriter, abandoned by the error, printed "Exception ignored" from __del__
    path = full_disk / "c.mm"
    path.write_text("old\n")
    result = subprocess.run([sys.executable, "-c", _SAVE_MM, str(path)], capture_output=True,
                            text=True, timeout=300)
    assert result.stderr == "" and "No space left on device" in result.stdout
    assert str(path) in result.stdout
    assert os.listdir(full_disk) == ["c.mm"] and path.read_text() == "old\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_command_on_a_full_disk_is_one_line(full_disk, jobs):
    path = full_disk / "c.txt"
    path.write_text("old\n")
    result = subprocess.run([str(SKMIX), "generate", "--preset", "bars", "--n-docs", "20000",
                             "--out", str(path), "--jobs", str(jobs)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("skmix: error: ") and "No space left" in result.stderr
    assert os.listdir(full_disk) == ["c.txt"] and path.read_text() == "old\n"


def test_the_counting_generator_counts(tmp_path):
    # the refusals above count no drawing: this shows they would see one
    counting = _CountingGenerator(worksheet_topics()).fit()
    _CountingBlocks.drawn = 0
    write_corpus(counting, N_DOCS, tmp_path / "c.txt")
    assert _CountingBlocks.drawn == N_DOCS
