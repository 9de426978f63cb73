"""``skmix fit``: a generator fitted to a corpus file, saved as a spec ``skmix generate`` takes.

The look-alike workflow in two commands: ``skmix fit CORPUS --n-topics K --out SPEC.json``, then
``skmix generate --spec SPEC.json --n-docs N --out FILE``. The corpus file is read once, a line
at a time, into the fit's count matrix (the text itself is never held in memory); the spec holds
the fitted topics (rows of word probabilities with their ``vocabulary``), the learned
document-topic prior and the real documents' lengths, which ``generate`` draws from.
"""

import json
import os

__all__ = ["add_fit_command"]


def _txt_documents(path):
    """Token lists of a ``txt`` corpus: one document a line, words separated by whitespace."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            yield line.split()


def _jsonl_documents(path):
    """Token lists of a ``jsonl`` corpus: the ``"tokens"`` of the JSON object on each line."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                tokens = json.loads(line)["tokens"]
            except (ValueError, TypeError, KeyError) as exc:
                raise ValueError(
                    f"CORPUS {path!r} line {number}: not a JSON object with \"tokens\" ({exc})."
                ) from exc
            yield tokens


def _mm_counts(path):
    """A Matrix Market file's counts; it keeps no words, so they are the column numbers."""
    import scipy.io

    try:
        counts = scipy.io.mmread(path).tocsr()
    except (ValueError, TypeError, OSError) as exc:
        raise ValueError(f"CORPUS {path!r} is not a Matrix Market file ({exc}).") from exc
    return counts, [str(column) for column in range(counts.shape[1])]


# format -> path -> (X for fit, its vocabulary or None)
_READERS = {
    "txt": lambda path: (_txt_documents(path), None),
    "jsonl": lambda path: (_jsonl_documents(path), None),
    "mm": _mm_counts,
}


def generator_spec(generator):
    """The JSON spec of a fitted ``TopicMixtureGenerator``: what ``generate --spec`` reads.

    Parameters
    ----------
    generator : TopicMixtureGenerator
        Fitted.

    Returns
    -------
    spec : dict
        ``topics`` (K rows of word probabilities), ``vocabulary``, ``doc_topic_prior`` (or
        None) and ``doc_length`` (an int, or the lengths to draw from).

    Examples
    --------
    >>> from skmix import TopicMixtureGenerator
    >>> from skmix._fit_command import generator_spec
    >>> spec = generator_spec(TopicMixtureGenerator([["a", "b"], ["b"]], doc_length=3).fit())
    >>> spec["topics"], spec["vocabulary"], spec["doc_length"]
    ([[0.5, 0.5], [0.0, 1.0]], ['a', 'b'], 3)
    """
    lengths = generator.doc_length_
    prior = generator.doc_topic_prior_
    return {
        "topics": generator.topic_word_.tolist(),
        "vocabulary": [str(word) for word in generator.vocabulary_],
        "doc_topic_prior": None if prior is None else prior.tolist(),
        "doc_length": lengths if isinstance(lengths, int) else [int(n) for n in lengths],
    }


def _check_files(corpus, out):
    """Refuse a missing corpus or an output that cannot be created, before any work."""
    if not os.path.isfile(corpus):
        raise ValueError(f"CORPUS {corpus!r} is not a file.")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise ValueError(f"--out {out!r}: folder {folder!r} does not exist.")
    if os.path.isdir(out):
        raise ValueError(f"--out {out!r} is a folder; give a file name.")


def _run_fit(args):
    from ._files import replaced_atomically
    from ._topics import TopicMixtureGenerator

    _check_files(args.corpus, args.out)
    X, vocabulary = _READERS[args.format](args.corpus)
    generator = TopicMixtureGenerator(n_topics=args.n_topics, vocabulary=vocabulary,
                                      backend=args.backend, random_state=args.seed).fit(X)
    with replaced_atomically(args.out, "--out") as temporary, \
            open(temporary, "w", encoding="utf-8") as file:
        json.dump(generator_spec(generator), file)
    print(f"fitted {args.n_topics} topics over {len(generator.vocabulary_)} words to "
          f"{len(generator.doc_length_)} documents of {args.corpus}")
    print(f"topics: {', '.join(generator.topic_names_)}")
    print(f"spec written to {args.out}: skmix generate --spec {args.out} --n-docs N --out FILE")
    return 0


def add_fit_command(subparsers, integer):
    """Add ``skmix fit`` to the command line's subparsers.

    Parameters
    ----------
    subparsers : argparse subparsers
    integer : callable
        ``integer(minimum)`` is the argparse type of an integer >= ``minimum`` (the command
        line's own, so that its messages are the same).
    """
    parser = subparsers.add_parser(
        "fit", help="fit a generator to a corpus file; save it as a spec for generate --spec"
    )
    parser.add_argument("corpus", metavar="CORPUS", help="the corpus file, read once, streamed")
    parser.add_argument("--format", choices=tuple(_READERS), default="txt",
                        help="txt: a document a line; jsonl: objects with \"tokens\"; mm: Matrix "
                        "Market counts, words named by column (default: %(default)s)")
    parser.add_argument("--n-topics", type=integer(1), required=True, metavar="K",
                        help="number of topics to learn")
    parser.add_argument("--backend", default="gensim", metavar="NAME",
                        help="the topic model fitted: gensim or sklearn (default: %(default)s)")
    parser.add_argument("--seed", type=integer(0), default=None, metavar="S",
                        help="seed of the fit: the same seed writes the same spec")
    parser.add_argument("--out", required=True, metavar="SPEC.json",
                        help="the spec file (written under a temporary name, then renamed)")
    parser.set_defaults(run=_run_fit)
