"""pytest set-up for the doctests of the Markdown pages (README.md, docs/guide/*.md).

pytest runs every ``>>> `` example of those pages (``--doctest-glob`` in pyproject.toml). In
Markdown an example's expected output is followed by the closing code fence; doctest would read
that fence as more expected output, so in ``.md`` files a fence line reads as a blank line.
"""

import doctest
import re

_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE)


class _MarkdownDocTestParser(doctest.DocTestParser):
    """doctest's parser, with Markdown code fences read as blank lines in ``.md`` files."""

    def parse(self, string, name="<string>"):
        if name.endswith(".md"):
            string = _FENCE.sub("", string)
        return super().parse(string, name)


_STANDARD_PARSER = doctest.DocTestParser


def pytest_configure(config):
    # pytest's text-file collector builds ``doctest.DocTestParser()`` for each file it reads.
    doctest.DocTestParser = _MarkdownDocTestParser


def pytest_unconfigure(config):
    doctest.DocTestParser = _STANDARD_PARSER
