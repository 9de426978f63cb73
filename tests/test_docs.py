"""The shell examples of the README and the user guide run as shown.

Every ```` ```console ```` block of ``README.md`` and ``docs/guide/*.md`` is run here, command by
command (``$ `` starts a command, ``> `` continues it), in a fresh temporary folder, and what
each command prints (stdout and stderr, as a terminal shows them) must be what the page shows
under it; ``...`` on a line of its own stands for any number of lines, and within a line for
any text. The Python examples of the same pages are doctests (``--doctest-glob`` in
pyproject.toml). The quick-start commands, which make a virtual environment and install skmix
into it, are run by ``.ci/run`` on a fresh clone instead. A command shown only to say how a figure
was measured (a benchmark, minutes long) goes in a ```` ```bash ```` block, which is not run.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs" / "guide").glob("*.md"))]
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
QUICK_START = re.compile(r"\.venv/")


def console_blocks(page):
    """(line number, text) of each console block of ``page``."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in BLOCK.finditer(text)]


def commands(block):
    """(command, expected output) pairs of a console block."""
    pairs = []
    for line in block.splitlines():
        if line.startswith("$ "):
            pairs.append([line[2:], []])
        elif line.startswith("> ") or line == ">":
            pairs[-1][0] += "\n" + line[2:]
        else:
            pairs[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in pairs]


def matches(expected, actual):
    """``actual`` as ``expected`` shows it, with ``...`` for any lines or any text in a line."""
    pattern = "".join(
        r"(?:.*\n)*" if line == "..." else ".*".join(map(re.escape, line.split("..."))) + r"\n"
        for line in (line.rstrip() for line in expected.splitlines())
    )
    return re.fullmatch(pattern, "".join(f"{line.rstrip()}\n" for line in actual.splitlines()))


# A page is one shell session: its blocks run in order, in one folder.
SESSIONS = {
    str(page.relative_to(ROOT)): [block for _, block in console_blocks(page)
                                  if not QUICK_START.search(block)]
    for page in PAGES
}
SESSIONS = {page: blocks for page, blocks in SESSIONS.items() if blocks}


def test_pages_have_console_blocks():
    assert sum(map(len, SESSIONS.values())) >= 2


def test_matches_is_not_lenient():
    assert matches("a\n...\nc", "a\nb\nb\nc")
    assert matches("a ... c", "a bbb c")
    assert not matches("a\nc", "a\nb\nc")
    assert not matches("a", "")


@pytest.mark.slow
@pytest.mark.parametrize("page", list(SESSIONS))
def test_console_blocks(page, tmp_path):
    # The interpreter running the tests, and its console scripts (skmix), come first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "COLUMNS": "100", "MPLBACKEND": "Agg"}
    for command, expected in (pair for block in SESSIONS[page] for pair in commands(block)):
        result = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                                cwd=tmp_path, env=env, timeout=600)
        shown = result.stdout + result.stderr
        assert matches(expected, shown), (
            f"{page}: $ {command}\nexpected:\n{expected}\ngot:\n{shown}")
