"""Corpora read from disk, a document at a time: :func:`read_corpus`.

A :class:`CorpusFile` is what gensim calls a streamed corpus: re-iterable (every pass reads
the file again, the same documents in the same order), with ``len()``, holding only the line
being read. ``TopicMixtureGenerator.fit`` counts it a chunk of documents at a time, so a file
larger than memory can be learned from.
"""

import json
import os

from ._validation import _short


def _txt_document(line):
    return line.split()


def _jsonl_document(line):
    return json.loads(line)["tokens"]


_LINE_READERS = {"txt": _txt_document, "jsonl": _jsonl_document}


class CorpusFile:
    """A corpus file as a re-iterable sequence of token lists (see :func:`read_corpus`)."""

    def __init__(self, path, format, vocabulary=None):
        self.path = os.fspath(path)
        self.format = format
        self.vocabulary = vocabulary
        self._length = None

    def __iter__(self):
        if self.format == "mm":
            yield from self._mm_documents()
            return
        read = _LINE_READERS[self.format]
        with open(self.path, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield read(line)

    def _mm_documents(self):
        from gensim.corpora import MmCorpus

        corpus = MmCorpus(self.path)
        words = self.vocabulary
        for bow in corpus:
            yield [words[int(i)] if words is not None else str(int(i)) for i, n in bow
                   for _ in range(int(n))]

    def __len__(self):
        if self._length is None:
            self._length = self._count()
        return self._length

    def _count(self):
        if self.format == "mm":
            from gensim.corpora import MmCorpus

            return len(MmCorpus(self.path))
        with open(self.path, "rb") as lines:
            return sum(1 for line in lines if line.strip())

    def __repr__(self):
        return f"CorpusFile({self.path!r}, format={self.format!r})"


def read_corpus(path, format="txt", *, vocabulary=None):
    """A corpus on disk as a re-iterable of token lists with ``len()``, read as it is used.

    Every pass reads the file again, one document at a time, so memory does not grow with the
    file: gensim's ``LdaModel`` can make many passes over it, and
    ``TopicMixtureGenerator(...).fit(read_corpus(path))`` learns from files larger than memory
    (it counts the words a chunk of documents at a time).

    Parameters
    ----------
    path : str or path-like
        The file.
    format : {"txt", "jsonl", "mm"}, default="txt"
        ``txt``: one document a line, tokens separated by white space. ``jsonl``: one JSON
        object a line, its ``"tokens"`` the document (as ``SampledCorpus.save`` writes).
        ``mm``: Matrix Market counts (gensim's ``MmCorpus``); each word id ``i`` is read as
        ``vocabulary[i]``, or as ``str(i)`` without a vocabulary. Blank lines are skipped.
    vocabulary : sequence of str, default=None
        The words of an ``mm`` file's ids.

    Returns
    -------
    corpus : CorpusFile

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skmix import read_corpus
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "corpus.txt"
    >>> _ = path.write_text("cake party cake\\norc ring\\n")
    >>> corpus = read_corpus(path)
    >>> len(corpus), list(corpus), list(corpus) == list(corpus)
    (2, [['cake', 'party', 'cake'], ['orc', 'ring']], True)
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path-like, got {_short(path)}.")
    if format not in (*_LINE_READERS, "mm"):
        raise ValueError(f"format must be one of ['jsonl', 'mm', 'txt'], got {_short(format)}.")
    if not os.path.isfile(path):
        raise ValueError(f"path {os.fspath(path)!r} is not a file.")
    if vocabulary is not None and format != "mm":
        raise ValueError(f"vocabulary is for format='mm' (word ids), got format={format!r}.")
    if vocabulary is not None:
        vocabulary = list(vocabulary)
    return CorpusFile(path, format, vocabulary)
