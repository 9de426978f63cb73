"""The ``skmix`` command: ``demo``, ``generate``, ``compare``, ``fit`` and ``study``.

Every argument is checked before any work starts and before any file is created. A refusal is
one line on stderr (``skmix: error: ...``) and exit status 2, never a traceback; ``compare``
exits 1 when the model does not pass.
"""

import argparse
import ctypes
import os
import platform
import sys

from . import __version__
from ._process import Terminated, command_signals

__all__ = ["main"]

_EXIT_ERROR = 2
_EXIT_INTERRUPTED = 130
_EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process ended by it

_SPEC_KEYS = ("topics", "vocabulary", "topic_weights", "doc_topic_prior", "doc_length",
              "background", "background_rate", "burstiness", "new_words")


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's default in ``--help``, except where there is none to show."""

    def _get_help_string(self, action):
        if action.default is None or action.required:
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: no usage block, a pointer to ``--help`` instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, formatter_class=_HelpFormatter, **kwargs)

    def error(self, message):
        self.exit(_EXIT_ERROR, f"skmix: error: {message} (see '{self.prog} --help')\n")


def _preset_worksheet():
    from .datasets import worksheet_topics

    return {"topics": worksheet_topics(), "doc_topic_prior": None, "doc_length": 20}


def _preset_bars():
    from .datasets import bars_topics

    return {"topics": bars_topics(5), "doc_topic_prior": 1.0, "doc_length": 100}


PRESETS = {
    "worksheet": _preset_worksheet,
    "bars": _preset_bars,
}
"""Preset name -> function returning ``TopicMixtureGenerator`` parameters."""


def _discrete_distribution(spec):
    """``{"poisson": {"mu": 100}}`` -> ``scipy.stats.poisson(mu=100)``: lengths in JSON."""
    import scipy.stats

    if len(spec) != 1:
        raise ValueError(f"doc_length as an object must name one distribution, got {spec!r}.")
    ((name, params),) = spec.items()
    distribution = getattr(scipy.stats, name, None)
    if not isinstance(distribution, scipy.stats.rv_discrete):
        raise ValueError(f"doc_length names {name!r}, not a scipy.stats discrete distribution.")
    if not isinstance(params, dict):
        raise TypeError(f"doc_length's {name!r} parameters must be an object, got {params!r}.")
    for key, value in params.items():  # a string such as "5" fails deep inside scipy otherwise
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"doc_length's {name!r} parameter {key!r} must be a number, "
                            f"got {value!r}.")
    try:
        return distribution(**params)
    except TypeError as exc:
        raise TypeError(f"doc_length {name!r} {params!r}: {exc}.") from exc


def _load_spec(path):
    """The generator parameters of a JSON spec file, with unknown keys refused."""
    from ._validation import read_json_object  # imports sklearn: not before signals are held

    spec = read_json_object(path, "a generator spec")
    unknown = sorted(set(spec) - set(_SPEC_KEYS))
    if unknown:
        raise ValueError(f"unknown keys {unknown}; allowed: {', '.join(_SPEC_KEYS)}.")
    if isinstance(spec.get("doc_length"), dict):
        spec["doc_length"] = _discrete_distribution(spec["doc_length"])
    return _spec_processes(spec)


def _spec_processes(spec):
    """Processes in JSON: ``"doc_topic_prior": {"LogisticNormal": {"mean": 0, "covariance":
    1}}`` and ``"new_words": {"rate": 0.1, "exponent": 1.5, "start": 1000}`` (a ZipfTail)."""
    from . import processes

    prior = spec.get("doc_topic_prior")
    if isinstance(prior, dict):
        if len(prior) != 1 or next(iter(prior)) not in processes.__all__:
            raise ValueError(f"doc_topic_prior as an object must name one process of "
                             f"{processes.__all__}, got {prior!r}.")
        ((name, params),) = prior.items()
        spec["doc_topic_prior"] = getattr(processes, name)(**params)
    if isinstance(spec.get("new_words"), dict):
        spec["new_words"] = processes.ZipfTail(**spec["new_words"])
    return spec


def make_generator(args):
    """The fitted ``TopicMixtureGenerator`` of ``--preset`` or ``--spec`` (validated here).

    ``generate`` and ``compare`` both take their ground truth from this one function.

    Parameters
    ----------
    args : argparse.Namespace
        With ``preset`` (a key of :data:`PRESETS`) or ``spec`` (a JSON file's path) set.

    Returns
    -------
    generator : TopicMixtureGenerator

    Examples
    --------
    >>> from argparse import Namespace
    >>> from skmix._cli import make_generator
    >>> generator = make_generator(Namespace(preset="bars", spec=None))
    >>> generator.topic_names_[:2], generator.doc_length_
    (['row0', 'row1'], 100)
    """
    from ._topics import TopicMixtureGenerator

    if args.preset:
        return TopicMixtureGenerator(**PRESETS[args.preset]()).fit()
    try:
        return TopicMixtureGenerator(**_load_spec(args.spec)).fit()
    except (TypeError, ValueError) as exc:  # name the file the bad value came from
        kind = TypeError if isinstance(exc, TypeError) else ValueError  # not a subclass's args
        raise kind(f"--spec {args.spec!r}: {exc}") from exc


def _run_demo(args):
    from ._demo import run_demo

    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise ValueError(f"--out {args.out!r} is a file; give a folder for the plots.")
    run_demo(out=args.out, random_state=args.seed)
    return 0


_M_TOP_PAD = -2  # glibc's mallopt option: memory kept at the top of the heap when it shrinks
_TOP_PAD_BYTES = 64 * 2**20


def _keep_freed_heap():
    """Ask glibc's malloc to keep 64 MB at the top of the heap; return whether it did.

    Drawing a block allocates and frees a few MB of arrays; by default glibc gives the top of
    the heap back to the system after each block and takes it again, page by page, for the
    next: 200,000 page faults for 30 M tokens, and generate about 15% slower (measured with
    ``MALLOC_TOP_PAD_``, which does the same). The command owns its process, so it sets this
    for itself (and its workers, which inherit it); the library never changes the allocator
    of a process it is imported into.
    """
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        return ctypes.CDLL(None).mallopt(_M_TOP_PAD, _TOP_PAD_BYTES) == 1
    except (OSError, AttributeError):
        return False


def _run_generate(args):
    from ._parallel import write_corpus

    generator = make_generator(args)
    _keep_freed_heap()
    write_corpus(
        generator,
        args.n_docs,
        args.out,
        format=args.format,
        random_state=args.seed,
        jobs=args.jobs,
    )
    return 0


def _load_topic_word(path):
    """A ``.npz`` file's ``topic_word`` (K, V) and ``vocabulary`` (V words): no code runs."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as arrays:
            topic_word, vocabulary = arrays["topic_word"], arrays["vocabulary"]
    except (OSError, ValueError, KeyError, EOFError) as exc:
        raise ValueError(f"MODEL {path!r} is not an .npz file with arrays 'topic_word' and "
                         f"'vocabulary' of str ({exc}).") from None
    if vocabulary.dtype.kind != "U":
        raise ValueError(f"MODEL {path!r}: 'vocabulary' must be an array of str, got "
                         f"{vocabulary.dtype}.")
    return topic_word, vocabulary.tolist()


def _load_lda(path):
    """A saved gensim ``LdaModel`` (a pickle: loading it runs whatever code it holds), or the
    topic-word arrays of an ``.npz`` file; a ``ValueError`` saying why it could not be read."""
    from gensim.models import LdaModel

    if not os.path.isfile(path):
        raise ValueError(f"MODEL {path!r} is not a file.")
    if path.endswith(".npz"):
        return _load_topic_word(path)
    try:
        return LdaModel.load(path)
    except Exception as exc:  # gensim's load unpickles: any error means "not a saved model"
        raise ValueError(f"MODEL {path!r} is not a saved gensim LdaModel ({exc}).") from exc


def _run_compare(args):
    from .compare import match_topics

    truth = make_generator(args)
    model = _load_lda(args.model)
    options = {"metric": args.metric}
    if args.threshold is not None:
        options["threshold"] = args.threshold
    report = match_topics(truth, model, **options)
    print(report)
    return 0 if report.passed else 1


def _integer(minimum):
    """An argparse type: an integer >= ``minimum``."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}")
        return value

    return parse


def _add_truth(parser):
    """``--preset NAME | --spec FILE.json``: the ground truth, exactly one of the two."""
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--preset", choices=sorted(PRESETS), help="a ready-made ground truth")
    group.add_argument(
        "--spec",
        metavar="FILE.json",
        help=f"a JSON object of TopicMixtureGenerator parameters ({', '.join(_SPEC_KEYS)})",
    )


def _add_demo(subparsers):
    parser = subparsers.add_parser("demo", help="the classroom worksheet, end to end, with plots")
    parser.add_argument(
        "--out", metavar="DIR", default="demo-output", help="folder for the PNG plots (created)"
    )
    parser.add_argument("--seed", type=_integer(0), default=0, help="seed of every draw and fit")
    parser.set_defaults(run=_run_demo)


def _add_generate(subparsers):
    parser = subparsers.add_parser("generate", help="write a corpus file of any size")
    _add_truth(parser)
    parser.add_argument("--n-docs", type=_integer(1), required=True, metavar="N",
                        help="number of documents")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="the corpus file (written under a temporary name, then renamed)")
    parser.add_argument("--seed", type=_integer(0), default=None, metavar="S",
                        help="the same seed writes the same file, whatever --jobs "
                        "(default: fresh entropy)")
    from ._formats import SAVE_FORMATS

    parser.add_argument("--format", choices=SAVE_FORMATS, default="txt",
                        help="txt: a document a line; jsonl: tokens and truth; mm: Matrix Market")
    parser.add_argument("--jobs", type=_integer(1), default=1, metavar="J",
                        help="worker processes drawing documents")
    parser.set_defaults(run=_run_generate)


def _add_compare(subparsers):
    from ._metrics import DEFAULT_TOPIC_THRESHOLDS

    parser = subparsers.add_parser(
        "compare",
        help="match a saved gensim LdaModel to the truth (exit 1 if it does not pass)",
        description="Match a model's topics to the truth; exit 1 if it does not pass. "
        "WARNING: a file saved by gensim's LdaModel.save is a Python pickle, and loading a "
        "pickle runs any code it holds: give only files you trust. A FILE.npz of two arrays, "
        "'topic_word' (K, V) and 'vocabulary' (V words), is read without running code: "
        "numpy.savez('m.npz', topic_word=model.get_topics(), "
        "vocabulary=[model.id2word[i] for i in range(model.num_terms)]).",
    )
    _add_truth(parser)
    parser.add_argument("model", metavar="MODEL",
                        help="a FILE.npz of 'topic_word' and 'vocabulary' (safe), or a file "
                        "written by LdaModel.save (a pickle: trusted files only)")
    parser.add_argument("--metric", choices=list(DEFAULT_TOPIC_THRESHOLDS), default="hellinger",
                        help="distance between a true and a recovered topic")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="largest distance at which a topic counts as found (default: per metric, "
        + ", ".join(f"{metric} {value:g}" for metric, value in DEFAULT_TOPIC_THRESHOLDS.items())
        + ")",
    )
    parser.set_defaults(run=_run_compare)


def _add_fit(subparsers):
    from ._fit_command import add_fit_command

    add_fit_command(subparsers, _integer)


def _add_study(subparsers):
    from ._study_cli import Shared, add_study_parser

    add_study_parser(subparsers, _integer, Shared(PRESETS, _discrete_distribution))


def _build_parser():
    parser = _Parser(
        prog="skmix",
        description="Data with a known ground truth, and checks that a model finds it again.",
    )
    parser.add_argument("--version", action="version", version=f"skmix {__version__}")
    subparsers = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for add in (_add_demo, _add_generate, _add_compare, _add_fit, _add_study):
        add(subparsers)
    return parser


def _parse_and_run(argv):
    try:
        args = _build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code
    try:
        return args.run(args)
    except (ValueError, TypeError, OSError) as exc:
        message = " ".join(str(exc).split())
        print(f"skmix: error: {message}", file=sys.stderr)
        return _EXIT_ERROR


def main(argv=None):
    """Run the ``skmix`` command line; return the exit status.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after ``skmix``; ``None`` reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 1 when ``compare`` finds the model does not pass, 2 on an error.

    Examples
    --------
    >>> from skmix._cli import main
    >>> main(["generate", "--preset", "nope", "--n-docs", "1", "--out", "corpus.txt"])
    2
    """
    try:
        # from the start: a signal while numpy and scipy load must not print a traceback
        with command_signals():
            return _parse_and_run(argv)
    except KeyboardInterrupt:
        print("skmix: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED
    except Terminated:
        print("skmix: terminated", file=sys.stderr)
        return _EXIT_TERMINATED
