"""Corpora larger than memory: files written in parallel, and Dask bags.

Both rest on the seed scheme of :mod:`skmix._blocks`: one root ``numpy.random.SeedSequence``
per call, block ``b`` of ``_BLOCK_SIZE`` documents drawn from the root's ``b``-th child, by the
fitted generator's :class:`~skmix._blocks.DocumentBlocks` (all that workers and tasks get).
Any range of documents can therefore be drawn anywhere, independently, and the pieces joined
in order are the corpus ``sample(n, random_state=...)`` gives.

- :func:`write_corpus` draws runs of whole blocks, in this process (``jobs=1``) or in ``jobs``
  worker processes, encodes each run to bytes where it was drawn, and writes the bytes in
  document order from this process: the file is the same byte for byte whatever ``jobs``.
- :func:`corpus_bag` makes one Dask task per partition of documents; whichever scheduler or
  machine runs it, a partition draws the same documents.
"""

import os
import signal
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, nullcontext
from functools import partial
from itertools import islice, pairwise
from types import SimpleNamespace

from sklearn.utils.validation import check_is_fitted
from tqdm import tqdm

from ._blocks import _BLOCK_SIZE
from ._files import check_output_path
from ._formats import (
    FORMATS,
    atomic_path,
    check_save_format,
    check_words_for_format,
)
from ._process import die_with_parent, interrupts_held, raise_if_stopped
from ._validation import _short, available_memory, check_positive_int

__all__ = ["corpus_bag", "write_corpus"]

# Tasks handed to the workers ahead of the one being written, per worker: enough to keep
# every worker busy while this process writes, few enough to bound memory.
_TASKS_AHEAD_PER_JOB = 2
# Blocks per task when the corpus has enough of them. With glibc's default heap, one or four
# made malloc give memory back and fault it in again every task (50 M tokens: 414,000 and
# 216,000 page faults against 22,000 with two; the workers' CPU time 24% and 13% higher):
# part 0 of benchmarks/bench_scale.py.
_MAX_BLOCKS_PER_TASK = 2


# --- encoding a range of documents to bytes --------------------------------------------------


def _encode_range(blocks, root, format, start, stop):
    """Documents ``start`` to ``stop - 1`` of the corpus seeded by ``root``, encoded."""
    return FORMATS[format].encode(blocks.documents(root, start, stop), start)


# --- drawing the chunks: here, or in worker processes ----------------------------------------


def _ranges(n_docs, blocks_per_task, most_docs):
    """``(start, stop)`` of consecutive runs of ``blocks_per_task`` whole blocks, or of
    ``most_docs`` documents when fewer (long documents: a task's memory follows its output)."""
    step = min(_BLOCK_SIZE * blocks_per_task, most_docs)
    return ((start, min(start + step, n_docs)) for start in range(0, n_docs, step))


def _serial_chunks(encode, n_docs, jobs, most_docs):
    ranges = _ranges(n_docs, 1, most_docs)
    return ((stop - start, encode(start, stop)) for start, stop in ranges)


_worker = SimpleNamespace(encode=None)


def _start_worker(encode, parent_pid):
    """Worker initializer: keep the encoder (the generator arrives once per worker)."""
    die_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group; only the parent must react, so that it can stop
    # the pool in order and remove its temporary file. SIGTERM, which the command may have
    # turned into an exception, ends a worker at once again: it is how the pool stops one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker.encode = encode


def _encode_in_worker(start, stop):
    return stop - start, _worker.encode(start, stop)


def _parallel_chunks(encode, n_docs, jobs, most_docs):
    """The encoded ranges, drawn by ``jobs`` processes, yielded in document order."""
    n_blocks = -(-n_docs // _BLOCK_SIZE)
    per_task = max(1, min(_MAX_BLOCKS_PER_TASK, n_blocks // (2 * _TASKS_AHEAD_PER_JOB * jobs)))
    pool = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(encode, os.getpid()))
    ranges = _ranges(n_docs, per_task, most_docs)
    try:
        # the workers are started (forked) by these first submits: a Ctrl-C landing in the parent's
        # at-fork handlers would be reported there as ignored, and the write would go on
        with interrupts_held():
            pending = deque(
                pool.submit(_encode_in_worker, start, stop)
                for start, stop in islice(ranges, _TASKS_AHEAD_PER_JOB * jobs)
            )
        for start, stop in ranges:
            pending.append(pool.submit(_encode_in_worker, start, stop))
            yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(encode, n_docs, jobs, most_docs=_BLOCK_SIZE):
    """``(n_documents, bytes)`` of consecutive ranges, drawn here or by ``jobs`` processes."""
    jobs = min(jobs, -(-n_docs // _BLOCK_SIZE))  # no more processes than blocks
    return (_serial_chunks if jobs == 1 else _parallel_chunks)(encode, n_docs, jobs, most_docs)


# --- progress ---------------------------------------------------------------------------------


def _progress_bar(n_docs, progress):
    """A tqdm bar over documents on stderr, or a stand-in that shows nothing."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return nullcontext(SimpleNamespace(update=lambda n: None))
    return tqdm(total=n_docs, unit="doc", unit_scale=True, file=sys.stderr, desc="documents")


# --- checks -----------------------------------------------------------------------------------


def _document_blocks(generator):
    """The fitted generator's :class:`~skmix._blocks.DocumentBlocks`: all that drawing needs."""
    if not hasattr(generator, "to_bag"):  # duck-typed: importing _topics would be a cycle
        raise TypeError(
            f"generator must be a fitted TopicMixtureGenerator, got {_short(generator)} "
            f"({type(generator).__name__})."
        )
    check_is_fitted(generator)
    return generator._blocks_


def _check_memory(blocks, jobs):
    """Refuse documents too long to draw in the memory available, before any work."""
    needed, limit = blocks.working_bytes() * jobs, available_memory()
    if needed > limit:
        raise ValueError(
            f"doc_length: documents of about {blocks.lengths.mean():.3g} words need about "
            f"{needed / 2**30:.1f} GiB to draw ({jobs} at a time), more than the "
            f"{limit / 2**30:.1f} GiB of memory available."
        )


def _check_progress(progress):
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be None, True or False, got {_short(progress)}.")
    return progress


def write_corpus(
    generator, n_docs, path, *, format="txt", random_state=None, jobs=1, progress=None
):
    """Write ``n_docs`` documents drawn from ``generator`` to a file, as they are drawn.

    Memory does not grow with ``n_docs``: documents are drawn, encoded and written a block
    (1,000 documents; up to 2 blocks per task with ``jobs > 1``) at a time. With ``jobs > 1``,
    worker processes draw and encode blocks while this process writes them in order, so the
    file is the same, byte for byte, for any ``jobs``: the documents of
    ``generator.sample(n_docs, random_state=random_state)``.
    Everything is checked before anything is drawn or created; the file is written under a
    temporary name beside ``path`` and renamed when complete, so a refused, failed or
    interrupted (Ctrl-C) call leaves no file behind.

    Parameters
    ----------
    generator : TopicMixtureGenerator
        A fitted generator.
    n_docs : int
        The number of documents (any size: they never sit in memory together).
    path : str or os.PathLike
        The file to create or replace.
    format : {"txt", "jsonl", "mm"}, default="txt"
        As for :meth:`SampledCorpus.save`: ``"txt"`` one document a line, tokens separated by
        spaces; ``"jsonl"`` one JSON object a line with the document's truth; ``"mm"``
        Matrix Market counts that gensim's ``MmCorpus`` reads, columns in ``vocabulary_``
        order.
    random_state : None, int, RandomState, Generator or SeedSequence, default=None
        As for ``sample``: ``None`` continues the generator's stream.
    jobs : int, default=1
        Processes drawing documents; 1 draws in this process.
    progress : bool or None, default=None
        Show a tqdm progress bar on stderr; ``None`` shows it when stderr is a terminal.

    Returns
    -------
    path : str
        The file written.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmix import TopicMixtureGenerator, write_corpus
    >>> from skmix.datasets import worksheet_topics
    >>> generator = TopicMixtureGenerator(worksheet_topics()).fit()
    >>> path = write_corpus(generator, 2500, os.path.join(tempfile.mkdtemp(), "corpus.txt"),
    ...                     random_state=0, jobs=2)
    >>> lines = open(path).read().splitlines()
    >>> len(lines), [line.split() for line in lines] == list(generator.sample(2500, random_state=0))
    (2500, True)
    """
    format = check_save_format(format)
    blocks = _document_blocks(generator)
    check_words_for_format(generator.vocabulary_, format)
    if format == "mm":
        blocks.check_fixed_vocabulary("format='mm'")
    n_docs = check_positive_int(n_docs, "n_docs")
    jobs = check_positive_int(jobs, "jobs")
    _check_memory(blocks, jobs)
    check_output_path(path)
    path = os.fspath(path)
    progress = _check_progress(progress)
    root = generator._call_seed(random_state)  # last: a refused call leaves the stream as it was
    encode = partial(_encode_range, blocks, root, format)
    with atomic_path(path) as temporary:
        out = FORMATS[format].open(temporary, n_docs, len(generator.vocabulary_))
        chunks = _chunks(encode, n_docs, jobs, blocks.docs_per_piece())
        _write_chunks(out, chunks, n_docs, progress)
    return path


def _write_chunks(out, chunks, n_docs, progress):
    """Write the encoded blocks into ``out`` in order; close the pool and file whatever happens."""
    with closing(out), closing(chunks), _progress_bar(n_docs, progress) as bar:
        for n_documents, data in chunks:
            raise_if_stopped()
            out.write(data)
            bar.update(n_documents)
        out.finish()


# --- Dask ---------------------------------------------------------------------------------------


def _token_lists(blocks, root, start, stop):
    """One bag partition: documents ``start`` to ``stop - 1`` as ``list[str]``."""
    return list(blocks.documents(root, start, stop))


def import_dask():
    try:
        import dask
        import dask.bag
    except ImportError as exc:
        raise ImportError(
            "to_bag needs dask: pip install 'skmix[dask]' (dask[bag] and distributed)."
        ) from exc
    return dask


def corpus_bag(blocks, root, n_samples, npartitions):
    """A ``dask.bag.Bag`` of ``n_samples`` documents; see :meth:`TopicMixtureGenerator.to_bag`."""
    dask = import_dask()
    npartitions = min(npartitions, n_samples)  # no empty partition, as dask's from_sequence
    bounds = [n_samples * i // npartitions for i in range(npartitions + 1)]
    source = dask.delayed(blocks)  # one task: shipped to each worker once, not per partition
    parts = [
        dask.delayed(_token_lists)(source, root, start, stop)
        for start, stop in pairwise(bounds)
    ]
    return dask.bag.from_delayed(parts)
