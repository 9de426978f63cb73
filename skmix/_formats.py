"""File formats: how a corpus is written to ``txt``, ``jsonl`` and ``mm`` files.

A format is one :class:`FileFormat`, registered with :func:`register_format` where it is
defined: its word check, its writer of drawn chunks (``write_chunks``, ``SampledCorpus.save``),
its chunk encoder (bytes, made where ``write_corpus``'s workers draw) and the file those bytes
go into. A new format is one more block at the end of this module.

Files are written through :func:`atomic_path` (:func:`skmix._files.replaced_atomically`): the
path is checked first (a regular file only), then written under a temporary name in the target's
folder and renamed onto it only when complete, so a refused or interrupted write leaves no
partial file.
"""

import io
import json
from contextlib import suppress
from functools import partial
from itertools import chain
from typing import NamedTuple

import numpy as np

from ._files import check_output_path
from ._files import replaced_atomically as atomic_path


class FileFormat(NamedTuple):
    """One file format, whole.

    Attributes
    ----------
    name : str
        What ``format=`` and ``--format`` take.
    check_words : callable
        ``check_words(vocabulary)``: refuse, before any writing, words the format cannot store.
    write_file : callable
        ``write_file(path, first, chunks)``: write the ``SampledCorpus`` ``first`` and the rest.
    encode : callable
        ``encode(corpus, start) -> bytes``: a chunk whose first document is document ``start``,
        encoded where it was drawn (in a worker process, with ``write_corpus(jobs=...)``).
    open : callable
        ``open(path, n_docs, n_words)``: a file taking encoded chunks, with ``write(bytes)``,
        ``finish()`` (when complete) and ``close()``.
    """

    name: str
    check_words: object
    write_file: object
    encode: object
    open: object


#: Every registered format, by name.
FORMATS = {}


def register_format(file_format):
    """Add ``file_format`` (a :class:`FileFormat`) to :data:`FORMATS`; return it."""
    FORMATS[file_format.name] = file_format
    return file_format


def check_save_format(format):
    """Return ``format`` if it is a registered format; raise ``ValueError`` otherwise."""
    if not isinstance(format, str) or format not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, got {format!r}.")
    return format


def check_words_for_format(vocabulary, format):
    """Refuse, before any writing, a vocabulary that ``format`` cannot store faithfully."""
    FORMATS[check_save_format(format)].check_words(vocabulary)


def write_chunks(path, chunks, *, format="txt"):
    """Write a stream of corpus chunks into one file, atomically.

    :func:`skmix.write_corpus` draws a generator's corpus and writes it, in parallel if asked;
    this writes chunks already drawn (``SampledCorpus.save`` writes one).

    The format is checked before anything is drawn or written; the chunks are consumed one at
    a time, so memory is bounded by a chunk; the file appears at ``path`` only when complete.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace.
    chunks : iterable of SampledCorpus
        Consecutive parts of one corpus (e.g. ``generator.iter_sample(...)``), at least one.
    format : {"txt", "jsonl", "mm"}, default="txt"
        See :meth:`SampledCorpus.save`.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmix import TopicMixtureGenerator
    >>> from skmix._formats import write_chunks
    >>> from skmix.datasets import worksheet_topics
    >>> generator = TopicMixtureGenerator(worksheet_topics()).fit()
    >>> path = os.path.join(tempfile.mkdtemp(), "corpus.jsonl")
    >>> write_chunks(path, generator.iter_sample(50, chunk_size=20, random_state=0),
    ...              format="jsonl")
    >>> sum(1 for _ in open(path))
    50
    """
    file_format = FORMATS[check_save_format(format)]
    check_output_path(path)  # before the first chunk is drawn
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        raise ValueError("chunks must hold at least one SampledCorpus, got none.")
    file_format.check_words(first.vocabulary)
    with atomic_path(path) as temporary:
        file_format.write_file(temporary, first, chunks)


# --- txt and jsonl: lines of text ------------------------------------------------------------


def _write_txt(corpus, file):
    """Write ``corpus`` into an open text file: one document a line, tokens space-separated."""
    file.writelines(" ".join(document) + "\n" for document in corpus)


def _write_jsonl(corpus, file):
    """Write ``corpus`` into an open text file: one JSON object a line, with its truth."""
    rows = zip(corpus, corpus.doc_topic.tolist(), corpus.token_topics, strict=True)
    file.writelines(
        json.dumps({"tokens": tokens, "doc_topic": theta, "token_topics": topics.tolist()}) + "\n"
        for tokens, theta, topics in rows
    )


def _check_txt_words(vocabulary):
    """Refuse, before writing, words that ``txt``'s space separation could not keep apart."""
    # any whitespace, leading and trailing too: split() would drop "cake\n"'s newline unseen
    bad = [word for word in vocabulary.tolist() if any(char.isspace() for char in word)]
    if bad:
        raise ValueError(
            f"format='txt' separates tokens by spaces, but the vocabulary has words with "
            f"whitespace: {bad[:3]!r}; use format='jsonl'."
        )


def _accept_any_words(vocabulary):
    """``jsonl`` quotes every word and ``mm`` stores word ids: any word can be written."""


def _write_text(write_chunk, temporary, first, chunks):
    with open(temporary, "w", encoding="utf-8") as file:
        for chunk in chain([first], chunks):
            write_chunk(chunk, file)


def _text_chunk(write_chunk, corpus, start):
    """The lines of ``corpus``, written by the format's ``write_chunk``."""
    buffer = io.StringIO()
    write_chunk(corpus, buffer)
    return buffer.getvalue().encode("utf-8")


class _PlainFile:
    """``txt``/``jsonl``: the encoded chunks one after the other."""

    def __init__(self, path, n_docs, n_words):
        self._file = open(path, "wb")  # noqa: SIM115 -- closed by close(), in write_corpus's with

    def write(self, data):
        self._file.write(data)

    def finish(self):
        self.close()

    def close(self):
        self._file.close()


def _text_format(name, write_chunk, check_words):
    return FileFormat(
        name,
        check_words,
        partial(_write_text, write_chunk),
        partial(_text_chunk, write_chunk),
        _PlainFile,
    )


register_format(_text_format("txt", _write_txt, _check_txt_words))
register_format(_text_format("jsonl", _write_jsonl, _accept_any_words))


# --- mm: Matrix Market counts, as gensim's MmCorpus reads them --------------------------------


def _write_mm(temporary, first, chunks):
    """gensim's ``MmWriter.write_corpus``, with the writer closed here even on failure.

    Left to gensim, a writer abandoned by an error (a full disk) is closed by its ``__del__``,
    whose second failing flush Python prints as "Exception ignored in: MmWriter.__del__".
    """
    from gensim.matutils import MmWriter

    writer = MmWriter(temporary)
    try:
        writer.write_headers(-1, -1, -1)  # room for the counts, filled in below
        n_docs, n_entries = 0, 0
        for chunk in chain([first], chunks):
            for document in chunk.to_bow():
                n_entries += writer.write_vector(n_docs, document)[1]
                n_docs += 1
        writer.fake_headers(n_docs, len(first.vocabulary), n_entries)
    except BaseException:
        with suppress(OSError):  # the error being raised already says what went wrong
            writer.close()
        raise
    writer.close()


def _mm_chunk(corpus, start):
    """The Matrix Market entries of ``corpus``, whose first document is document ``start``.

    The lines gensim's ``MmWriter.write_vector`` writes (1-based ``doc word count``, words in
    id order), formatted here in one operation per chunk so that workers can do it: gensim's
    writer formats entry by entry into its own open file.
    """
    counts = corpus.to_csr()
    docs = np.repeat(np.arange(start + 1, start + 1 + len(corpus)), np.diff(counts.indptr))
    entries = np.column_stack([docs, counts.indices + 1, counts.data]).ravel().tolist()
    return (("%i %i %i\n" * counts.nnz) % tuple(entries)).encode("ascii")


class _MatrixMarketFile:
    """``mm``: gensim's ``MmWriter`` header, the entries, then the header's real counts."""

    def __init__(self, path, n_docs, n_words):
        from gensim.matutils import MmWriter

        self._writer = MmWriter(path)
        self._writer.write_headers(-1, -1, -1)  # room for the counts, filled in by finish()
        self._shape = (n_docs, n_words)
        self._n_entries = 0

    def write(self, data):
        self._writer.fout.write(data)
        self._n_entries += data.count(b"\n")  # one line per non-zero entry

    def finish(self):
        self._writer.fake_headers(*self._shape, self._n_entries)
        self._writer.close()

    def close(self):
        self._writer.close()


register_format(FileFormat("mm", _accept_any_words, _write_mm, _mm_chunk, _MatrixMarketFile))

#: Every format :func:`write_chunks` and :meth:`SampledCorpus.save` accept.
SAVE_FORMATS = tuple(FORMATS)
