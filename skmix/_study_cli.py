"""``skmix study SPEC.json --out results.jsonl``: a study described in a JSON file.

The spec is a JSON object::

    {
      "study": "recovery",                  # or "k_selection"
      "truth": {"preset": "bars"},          # see below
      "fitters": {"gensim": {"fitter": "gensim", "passes": 20}, "sklearn": "sklearn"},
      "grid": {"n_documents": [100, 300, 1000], "doc_topic_prior": [0.1, 1.0]},
      "n_repeats": 3, "metric": "hellinger", "threshold": null, "seed": 0
    }

``truth`` is one of:

- ``{"preset": "bars"}`` or ``{"preset": "worksheet"}`` (``skmix generate``'s presets) or
  ``{"preset": "worksheet_gaussians"}``; other keys override the preset's parameters;
- ``TopicMixtureGenerator`` parameters (``"topics"``, ``"doc_topic_prior"``, ``"doc_length"``,
  ...), as ``skmix generate --spec`` takes them;
- ``GaussianMixtureSampler`` parameters (``"means"``, ``"covariances"``, ``"weights"``, ...);
- ``{"make_topics": {...}, "doc_topic_prior": 0.1, "doc_length": 100}`` or
  ``{"make_gaussian_mixture": {...}}``: the truth made by that ``skmix.datasets`` function.

Grid keys are the size (``n_documents`` or ``n_samples``), the truth's parameters, or the
parameters of its ``make_*`` function. A fitter is a built-in name or an object with
``"fitter"`` (the name) and its options. ``k_selection`` takes ``"fitter"`` (one),
``"k_values"``, and optionally ``"criteria"`` and ``"held_out"``; ``recovery`` optionally
``"reseed"``. ``seed`` defaults to 0.
"""

import inspect
import os
import sys
from typing import NamedTuple

from ._validation import _short, read_json_object

_COMMON_KEYS = {"study", "truth", "grid", "n_repeats", "metric", "threshold", "seed"}
_STUDY_KEYS = {
    "recovery": _COMMON_KEYS | {"fitters", "reseed"},
    "k_selection": _COMMON_KEYS | {"fitter", "k_values", "criteria", "held_out"},
}
_MAKERS = {"make_topics": "topics", "make_gaussian_mixture": "mixture"}
_MIXTURE_KEYS = {"means", "covariances", "weights", "n_components", "covariance_type"}


def _estimator_class(kind):
    if kind == "topics":
        from ._topics import TopicMixtureGenerator

        return TopicMixtureGenerator
    from ._gaussian import GaussianMixtureSampler

    return GaussianMixtureSampler


class Shared(NamedTuple):
    """What a study spec shares with ``skmix generate --spec``, handed over by ``_cli`` when it
    registers the command (``_cli`` imports this module, so this module does not import it).
    """

    presets: dict  # preset name -> TopicMixtureGenerator parameters
    distribution: object  # {"poisson": {"mu": 100}} -> a frozen scipy.stats distribution


def _json_params(params, shared):
    """Estimator parameters from JSON: a ``doc_length`` object names a scipy distribution."""
    if isinstance(params.get("doc_length"), dict):
        return {**params, "doc_length": shared.distribution(params["doc_length"])}
    return params


class SpecTruth:
    """The truth of a spec made by a ``skmix.datasets`` function, per grid cell.

    Called with a cell's parameters: those the function takes go to it, the others to the
    generator or sampler built from its output.
    """

    def __init__(self, maker, maker_params, params):
        self.maker, self.maker_params, self.params = maker, maker_params, params

    def _function(self):
        from . import datasets

        function = getattr(datasets, self.maker, None)
        if function is None:
            raise ValueError(f"truth {self.maker!r}: skmix.datasets.{self.maker} is not in this "
                             "version of skmix.")
        return function

    def __call__(self, **cell):
        function = self._function()
        takes = inspect.signature(function).parameters
        made = function(**{**self.maker_params, **{k: v for k, v in cell.items() if k in takes}})
        params = {**self.params, **{k: v for k, v in cell.items() if k not in takes}}
        return _estimator_class(_MAKERS[self.maker])(**made, **params)


def _preset(params, shared):
    name = params.pop("preset")
    if name == "worksheet_gaussians":
        from .datasets import worksheet_gaussians

        return _estimator_class("mixture")(**worksheet_gaussians(), **params)
    if name not in shared.presets:
        raise ValueError(f"truth preset must be one of {[*shared.presets, 'worksheet_gaussians']}"
                         f", got {_short(name)}.")
    return _estimator_class("topics")(**{**shared.presets[name](), **_json_params(params, shared)})


def truth_from_spec(spec, shared):
    """The truth a spec's ``"truth"`` object describes."""
    if not isinstance(spec, dict) or not spec:
        raise TypeError(f"truth must be a JSON object, got {_short(spec)}.")
    params = dict(spec)
    if "preset" in params:
        return _preset(params, shared)
    makers = [key for key in _MAKERS if key in params]
    if makers:
        maker_params = params.pop(makers[0])
        if not isinstance(maker_params, dict):
            raise TypeError(f"truth {makers[0]!r} must be an object of its parameters, got "
                            f"{_short(maker_params)}.")
        return SpecTruth(makers[0], maker_params, _json_params(params, shared))
    kind = "mixture" if _MIXTURE_KEYS & set(params) else "topics"
    return _estimator_class(kind)(**_json_params(params, shared))


def _fitter_from_spec(value, name):
    from ._study_fitters import Fitter

    if isinstance(value, str):
        value = {"fitter": value}
    if not isinstance(value, dict) or "fitter" not in value:
        raise TypeError(f"fitter {name!r} must be a built-in name or an object with "
                        f"\"fitter\" and its options, got {_short(value)}.")
    options = dict(value)
    try:
        return Fitter(options.pop("fitter"), **options)
    except ImportError as exc:  # a one-line refusal on the command line, as for bad values
        raise ValueError(str(exc)) from exc


def _grid_from_spec(grid, shared):
    def convert(cells):
        if not isinstance(cells, dict):
            raise TypeError(f"grid must be an object key -> list of values, got {_short(cells)}.")
        return {key: [_json_params({key: v}, shared)[key] for v in values]
                if isinstance(values, list)
                else values for key, values in cells.items()}

    return [convert(cells) for cells in grid] if isinstance(grid, list) else convert(grid)


def study_from_spec(spec, shared, n_jobs=None):
    """The ``RecoveryStudy`` or ``KSelectionStudy`` a parsed spec describes."""
    from .study import KSelectionStudy, RecoveryStudy

    if not isinstance(spec, dict):
        raise ValueError(f"must hold a JSON object, got a JSON {type(spec).__name__}.")
    kind = spec.get("study", "recovery")
    if kind not in _STUDY_KEYS:
        raise ValueError(f"study must be one of {list(_STUDY_KEYS)}, got {_short(kind)}.")
    unknown = sorted(set(spec) - _STUDY_KEYS[kind])
    missing = sorted({"truth", "grid"} - set(spec))
    if unknown or missing:
        raise ValueError(f"unknown keys {unknown} or missing keys {missing}; a {kind} study "
                         f"takes {sorted(_STUDY_KEYS[kind])}.")
    common = {"grid": _grid_from_spec(spec["grid"], shared),
              "n_repeats": spec.get("n_repeats", 3),
              "metric": spec.get("metric", "hellinger"), "threshold": spec.get("threshold"),
              "n_jobs": n_jobs, "random_state": spec.get("seed", 0)}
    truth = truth_from_spec(spec["truth"], shared)
    if kind == "recovery":
        fitters = spec.get("fitters")
        if not isinstance(fitters, dict) or not fitters:
            raise ValueError(f"fitters must be a non-empty object, got {_short(fitters)}.")
        fitters = {name: _fitter_from_spec(value, name) for name, value in fitters.items()}
        return RecoveryStudy(truth, fitters, reseed=spec.get("reseed", True), **common)
    if "fitter" not in spec or "k_values" not in spec:
        raise ValueError("a k_selection study needs \"fitter\" and \"k_values\".")
    return KSelectionStudy(truth, _fitter_from_spec(spec["fitter"], "fitter"),
                           spec["k_values"], criteria=spec.get("criteria"),
                           held_out=spec.get("held_out", 0.2), **common)


def load_study(path, shared, n_jobs=None):
    """The study of a JSON spec file; errors name the file."""
    try:
        return study_from_spec(read_json_object(path, "a study spec"), shared, n_jobs)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"SPEC {path!r}: {exc}") from exc


def _check_plot(path):
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path) or not os.path.isdir(folder):
        raise ValueError(f"--plot {path!r} must be a file in an existing folder.")


def _summary(results):
    import pandas

    with pandas.option_context("display.width", 120, "display.max_columns", 20):
        if hasattr(results, "pick_summary"):
            return f"K picked by each criterion:\n{results.pick_summary().to_string()}"
        lines = [f"smallest size passing in 80% of repeats:\n{results.min_sizes().to_string()}"]
        ceiling = results.reseed_ceiling()
        if len(ceiling):
            lines.append(f"reseed ceiling:\n{ceiling.to_string()}")
        return "\n\n".join(lines)


def run_study_command(args):
    """``skmix study``: validate, run (resuming ``--out``), print the summary, plot."""
    try:  # the summary needs pandas: say so before the study runs, not after
        import pandas  # noqa: F401
    except ImportError as exc:
        raise ValueError("skmix study needs pandas: pip install 'skmix[study]'.") from exc
    study = load_study(args.spec, args.study_shared, n_jobs=args.jobs)
    _check_plot(args.plot)
    results = study.run(out=args.out, progress=None)
    print(_summary(results))
    if args.plot:
        results.plot(path=args.plot)
        print(f"plot written to {args.plot}", file=sys.stderr)
    return 0


def add_study_parser(subparsers, integer, shared):
    """Register ``skmix study``: ``integer(minimum)`` is the CLI's integer type, ``shared`` its
    presets and length distributions (a :class:`Shared`)."""
    parser = subparsers.add_parser(
        "study", help="run a recovery or K-selection study described in a JSON file",
        description="Run a study (a grid of truths x fitters x repeats). Rows are appended to "
        "--out as they finish; the same command again resumes an interrupted run. The spec "
        "format is in docs/guide/studies.md.")
    parser.add_argument("spec", metavar="SPEC.json", help="the study, as a JSON object")
    parser.add_argument("--out", required=True, metavar="FILE.jsonl",
                        help="results, one JSON line per row (resumed if it exists)")
    parser.add_argument("--jobs", type=integer(1), default=1, metavar="J",
                        help="rows run in parallel (worker processes; default: 1)")
    parser.add_argument("--plot", metavar="FILE.png", default=None,
                        help="write the curves (recovery) or criteria against K (k_selection); "
                        "default: no plot")
    parser.set_defaults(run=run_study_command, study_shared=shared)
