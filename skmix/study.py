"""Recovery studies: how much data, which model, which K — over a grid, in parallel, resumable.

- :class:`RecoveryStudy`: for every grid cell (corpus size, prior, overlap, ...), every fitter
  and every repeat, draw data from the truth, fit, and judge the fit against the truth.
- :class:`KSelectionStudy`: fit one fitter at several K and say which K each criterion
  (held-out perplexity, coherence, ..., BIC, AIC, silhouette) picks against the planted K.
- :func:`fitter`: the built-in fitters (gensim, sklearn, tomotopy, lda; GaussianMixture,
  BayesianGaussianMixture, KMeans) with settings their documentation recommends.

Both studies' ``run(out=...)`` write one JSON line per row as it finishes and resume from that
file; every row has its own seed from one ``SeedSequence``, so the rows are the same for any
``n_jobs``, on a Dask cluster, and after a resumption. See ``docs/guide/studies.md``.
"""

import math
from numbers import Integral, Real

from ._study_criteria import CRITERIA, default_criteria
from ._study_fitters import BUILTIN_FITTERS, Fitter, check_fitter
from ._study_results import KSelectionResults, StudyResults
from ._study_run import (
    FORMAT_VERSION,
    HEADER_KEY,
    Judging,
    Task,
    check_out,
    child_seed,
    execute,
    fingerprint,
    int_seed,
    read_results,
)
from ._study_truth import SIZE_KEYS, describe, make_truth, truth_kind
from ._validation import _short, check_positive_int, seed_sequence

__all__ = [
    "BUILTIN_FITTERS",
    "CRITERIA",
    "KSelectionResults",
    "KSelectionStudy",
    "RecoveryStudy",
    "StudyResults",
    "fitter",
]

#: Row fields a grid key may not shadow.
_RESERVED = {"row", "kind", "cell", "fitter", "repeat", "k", "n_true", "n_tokens", "passed",
             "fraction_recovered", "mean_distance", "max_distance", "distances", "coverage",
             "redundancy", "n_recovered", "fit_seconds", "generate_seconds",
             "compare_seconds", *CRITERIA}


def fitter(name, **options):
    """A built-in fitter, with the settings its documentation recommends, over ``options``.

    Topic fitters get a ``SampledCorpus`` and return what ``match_topics`` takes:

    - ``"gensim"``: ``LdaModel`` with ``chunksize=100, passes=20, iterations=100,
      alpha="auto", eval_every=None`` (the model itself);
    - ``"sklearn"``: ``LatentDirichletAllocation`` with ``learning_method="batch",
      max_iter=50`` (its normalised ``components_`` and the words);
    - ``"tomotopy"``: ``tomotopy.LDAModel`` (alpha 0.1, eta 0.01, alpha optimised), trained
      ``iterations=1000`` in steps of ``step=50`` on one thread (the ``tomotopy`` extra);
    - ``"lda"``: ``lda.LDA`` with ``n_iter=1500, alpha=0.1, eta=0.01`` (the ``lda`` extra).

    The Gibbs samplers also keep their log-likelihood trace (for ``griffiths_2004``).
    Mixture fitters get the (n_samples, n_features) array: ``"gaussian_mixture"``,
    ``"bayesian_gaussian_mixture"`` (``max_iter=500``) and ``"kmeans"`` (sklearn's estimators,
    cloned with ``n_components``/``n_clusters`` and ``random_state`` set per fit).

    Parameters
    ----------
    name : str
        One of ``BUILTIN_FITTERS``.
    **options
        Keywords of the underlying model (``passes=10``, ``max_iter=20``, ``alpha=0.5``, ...);
        unknown ones are refused.

    Returns
    -------
    fitter : callable
        ``fitter(data, n, random_state) -> model``.

    Examples
    --------
    >>> from skmix.study import fitter
    >>> fitter("gensim", passes=5)
    fitter('gensim', passes=5)
    >>> fitter("gensim", passes=5).settings["alpha"]
    'auto'
    """
    return Fitter(name, **options)


def _check_grid(grid):
    from sklearn.model_selection import ParameterGrid

    if not isinstance(grid, dict | list) or not grid:
        raise TypeError(f"grid must be a non-empty dict of key -> list of values (or a list "
                        f"of such dicts), got {_short(grid)}.")
    try:
        cells = list(ParameterGrid(grid))
    except TypeError as exc:
        raise TypeError(f"grid: {exc}") from exc
    for cell in cells:
        clash = sorted(set(cell) & _RESERVED)
        if clash:
            raise ValueError(f"grid keys {clash} would hide fields of the results; rename them.")
    return cells


def _check_size(cell, kind):
    if kind.size_key not in cell:
        raise ValueError(f"grid must give {kind.size_key!r} (the size of every {kind.kind} "
                         f"draw), got keys {sorted(cell)}.")
    other = [key for key in SIZE_KEYS if key != kind.size_key and key in cell]
    if other:
        raise ValueError(f"grid key {other[0]!r} is for another kind of truth; a {kind.kind} "
                         f"truth's size is {kind.size_key!r}.")
    size = cell[kind.size_key]
    check_positive_int(size, f"grid {kind.size_key}")
    return int(size)


def _check_choice(value, name, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {_short(value)}.")
    return value


def _check_threshold(threshold):
    if threshold is None:
        return None
    if isinstance(threshold, bool) or not isinstance(threshold, Real) or not (
            math.isfinite(threshold) and threshold >= 0):
        raise ValueError(f"threshold must be a finite number >= 0, got {_short(threshold)}.")
    return float(threshold)


class _Study:
    """What both studies share: the grid of truths, the seeds, the run."""

    _results_class = StudyResults

    def _prepare(self):
        """Validate everything and make every cell's truth, before any work or file."""
        cells = _check_grid(self.grid)
        check_positive_int(self.n_repeats, "n_repeats")
        truths, made = [], {}
        for cell in cells:
            params = {key: value for key, value in cell.items() if key not in SIZE_KEYS}
            key = repr(describe(params))
            if key not in made:
                made[key] = make_truth(self.truth, params)
            truths.append(made[key])
        kinds = {truth_kind(truth) for truth in truths}
        if len(kinds) > 1:
            raise TypeError("truth made both topic and mixture truths; one study, one kind.")
        kind = kinds.pop()
        sizes = [_check_size(cell, kind) for cell in cells]
        self._check_judging(kind)
        return cells, truths, sizes, kind

    def _check_judging(self, kind):
        if kind.kind == "topics":
            from .compare import DEFAULT_TOPIC_THRESHOLDS

            _check_choice(self.metric, "metric", DEFAULT_TOPIC_THRESHOLDS)
        else:
            _check_choice(self.metric, "metric", ["hellinger"])  # between two Gaussians
        _check_threshold(self.threshold)

    def _description(self, cells, truths, kind, given):
        import hashlib

        hasher = hashlib.sha256()
        for truth in truths:
            kind.fingerprint(truth, hasher)
        return {
            "study": type(self).__name__, "truth": describe(self.truth),
            "truths": hasher.hexdigest(), "grid": describe(cells),
            "n_repeats": int(self.n_repeats), "metric": self.metric,
            "threshold": describe(self.threshold), **self._more_description(),
            "random_state": ("fresh" if given is None
                             else describe([given.entropy, list(given.spawn_key)])),
        }

    def run(self, out=None, *, progress=False):
        """Run every row not yet in ``out``; return all rows.

        Parameters
        ----------
        out : str or path-like, default=None
            A JSON-lines file: rows are appended (and flushed) as they finish, after a header
            line that describes the study. If it already holds rows of this study, only the
            missing ones are run; if it holds another study's, a ``ValueError`` says what
            changed, before any work.
        progress : bool or None, default=False
            Show a tqdm progress bar (None: only on a terminal).

        Returns
        -------
        results : StudyResults
        """
        cells, truths, sizes, kind = self._prepare()
        out = check_out(out)
        # drawn once: a Generator or RandomState given as random_state is advanced by it
        given = None if self.random_state is None else seed_sequence(self.random_state)
        description = self._description(cells, truths, kind, given)
        header = {HEADER_KEY: FORMAT_VERSION, "fingerprint": fingerprint(description),
                  "study": description}
        found, done = read_results(out, header)
        if given is not None:
            root = given
        else:  # fresh entropy, or the entropy an earlier run of this study drew and kept
            root = seed_sequence(None if found is None else int(found["entropy"]))
        header["entropy"] = root.entropy
        tasks, fitters = self._tasks(root, cells, truths, sizes, kind)
        judging = self._judging(kind)
        rows = execute(tasks, lambda t: (t, truths[t.cell], fitters[t.fitter], judging),
                       n_jobs=self.n_jobs, out=out, header=header, done=done,
                       progress=progress)
        info = {"kind": kind.kind, "size_key": kind.size_key, "metric": self.metric,
                "params": list(dict.fromkeys(key for cell in cells for key in cell
                                             if key not in SIZE_KEYS)),
                **self._more_info()}
        return self._results_class(rows, info)


def _check_fitters(fitters, kind):
    if not isinstance(fitters, dict) or not fitters:
        raise TypeError(f"fitters must be a non-empty dict name -> fitter, got "
                        f"{_short(fitters)}.")
    checked = {}
    for name, value in fitters.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"fitter names must be non-empty strings, got {_short(name)}.")
        value = Fitter(value) if isinstance(value, str) else value
        checked[name] = check_fitter(value, name, kind.kind)
    return checked


class RecoveryStudy(_Study):
    """How much data each fitter needs to recover the truth: a grid x fitters x repeats.

    Every row draws data from the truth of its grid cell (the same data for every fitter of
    that cell and repeat), fits one fitter with the truth's number of topics or components,
    and matches the fit to the truth (``match_topics``; ``match_components`` with the adjusted
    Rand index). For each fitter, at the largest size of the grid, a reseed row fits it twice
    more with other seeds on the data of repeat 0 and matches the two fits to each other: the
    reseed ceiling.

    Parameters
    ----------
    truth : TopicMixtureGenerator, GaussianMixtureSampler or callable
        The ground truth. Grid keys that are its parameters are set with ``set_params`` per
        cell (the estimator is cloned and fitted); a callable is called with them
        (``(**params) -> generator or sampler``, e.g. over ``make_topics`` overlaps) and
        should be deterministic (seed what it draws), or a resumed run is refused as changed.
    fitters : dict of str to fitter
        Name -> ``fitter(NAME, ...)``, a built-in name, a clustering estimator (mixture
        truths: cloned, ``n_components``/``n_clusters`` and ``random_state`` set), or a
        callable ``(data, n, random_state) -> model`` whose model ``match_topics`` (topics:
        ``data`` is a ``SampledCorpus``) or ``match_components`` takes, or labels (mixtures:
        ``data`` the array).
    grid : dict of str to list, or list of such dicts
        As sklearn's ``ParameterGrid`` takes it. ``"n_documents"`` (topics) or
        ``"n_samples"`` (mixtures) is the size of each draw and must be there.
    n_repeats : int, default=3
        Draws (and fits) per cell and fitter.
    metric : str, default="hellinger"
        The topic distance (``match_topics``); mixtures use the Hellinger distance.
    threshold : float, default=None
        The distance under which a topic or component is found; None: the comparison's
        default.
    reseed : bool, default=True
        Add the reseed rows.
    n_jobs : int, default=None
        Rows run in parallel by joblib (None: 1, or what ``joblib.parallel_config`` says, e.g.
        ``backend="dask"`` with a ``distributed.Client``). The rows do not depend on it.
    random_state : int, SeedSequence or None, default=None
        The root of every row's seed. None: fresh entropy, kept in the results file, so that a
        resumed run continues with it.

    Examples
    --------
    >>> from sklearn.mixture import GaussianMixture
    >>> from skmix import GaussianMixtureSampler
    >>> from skmix.datasets import worksheet_gaussians
    >>> from skmix.study import RecoveryStudy
    >>> truth = GaussianMixtureSampler(**worksheet_gaussians())
    >>> study = RecoveryStudy(truth, {"em": GaussianMixture()},
    ...                       grid={"n_samples": [20, 200]}, n_repeats=3, random_state=0)
    >>> results = study.run()
    >>> [(row["n_samples"], row["passed"]) for row in results.rows if row["kind"] == "fit"]
    [(20, False), (20, False), (20, False), (200, True), (200, True), (200, True)]
    >>> results.min_size("em")
    200
    """

    def __init__(self, truth, fitters, *, grid, n_repeats=3, metric="hellinger",
                 threshold=None, reseed=True, n_jobs=None, random_state=None):
        self.truth = truth
        self.fitters = fitters
        self.grid = grid
        self.n_repeats = n_repeats
        self.metric = metric
        self.threshold = threshold
        self.reseed = reseed
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _check_judging(self, kind):
        super()._check_judging(kind)
        _check_fitters(self.fitters, kind)

    def _more_description(self):
        return {"fitters": describe(self.fitters), "reseed": bool(self.reseed)}

    def _more_info(self):
        return {"fitters": list(self.fitters)}

    def _judging(self, kind):
        return Judging(kind, self.metric, _check_threshold(self.threshold))

    def _tasks(self, root, cells, truths, sizes, kind):
        fitters = _check_fitters(self.fitters, kind)
        names = list(fitters)
        tasks = []
        for c, cell in enumerate(cells):
            n_true = kind.n_true(truths[c])
            for f, name in enumerate(names):
                for r in range(self.n_repeats):
                    tasks.append(Task(len(tasks), "fit", c, cell, name, r, n_true,
                                      child_seed(root, 0, c, r),
                                      (int_seed(child_seed(root, 1, c, r, f)),)))
        largest = max(sizes)
        for c, cell in enumerate(cells):
            if not self.reseed or sizes[c] != largest:
                continue
            for f, name in enumerate(names):
                seeds = tuple(int_seed(child_seed(root, 2, c, f, j)) for j in range(2))
                tasks.append(Task(len(tasks), "reseed", c, cell, name, 0,
                                  kind.n_true(truths[c]), child_seed(root, 0, c, 0), seeds))
        return tasks, fitters


def _check_k_values(k_values):
    if isinstance(k_values, str) or not hasattr(k_values, "__iter__"):
        raise TypeError(f"k_values must be a list of ints >= 1, got {_short(k_values)}.")
    k_values = list(k_values)
    if not k_values or any(isinstance(k, bool) or not isinstance(k, Integral) or k < 1
                           for k in k_values) or len(set(k_values)) != len(k_values):
        raise ValueError(f"k_values must be distinct ints >= 1, got {_short(k_values)}.")
    return [int(k) for k in k_values]


class KSelectionStudy(_Study):
    """Which K each selection criterion picks, against the planted K.

    For every grid cell and repeat one draw is made; the fitter is fitted to it at every K of
    ``k_values`` and each fit is scored by every criterion, and matched to the truth (coverage:
    the share of true topics or components some fit topic is close to; redundancy: the share
    of fit topics that repeat a true one another already covers).

    Parameters
    ----------
    truth : TopicMixtureGenerator, GaussianMixtureSampler or callable
        As for :class:`RecoveryStudy`.
    fitter : fitter
        One fitter, as a value of ``RecoveryStudy``'s ``fitters``.
    k_values : list of int
        The numbers of topics or components to fit.
    grid : dict or list of dict
        As for :class:`RecoveryStudy`.
    criteria : list of str, default=None
        Names from ``CRITERIA``: topics ``perplexity``, ``u_mass``, ``c_npmi``,
        ``griffiths_2004`` (Gibbs fitters only), ``cao_juan_2009``, ``arun_2010``; mixtures
        ``bic``, ``aic`` (fitted mixtures only), ``silhouette``. None: all for the truth's kind.
    n_repeats, metric, threshold, n_jobs, random_state
        As for :class:`RecoveryStudy`.
    held_out : float, default=0.2
        Topics: held-out documents for the perplexity, as a share of ``n_documents``, drawn
        with the training corpus (after it).

    Examples
    --------
    >>> from skmix import GaussianMixtureSampler
    >>> from skmix.datasets import worksheet_gaussians
    >>> from skmix.study import KSelectionStudy, fitter
    >>> truth = GaussianMixtureSampler(**worksheet_gaussians())
    >>> study = KSelectionStudy(truth, fitter("gaussian_mixture"), [2, 3, 4],
    ...                         grid={"n_samples": [300]}, criteria=["bic"], n_repeats=2,
    ...                         random_state=0)
    >>> study.run().pick_summary()[["criterion", "n_true", "picked", "share_planted"]]
      criterion  n_true  picked  share_planted
    0       bic       3       3            1.0
    """

    _results_class = KSelectionResults

    def __init__(self, truth, fitter, k_values, *, grid, criteria=None, n_repeats=3,
                 metric="hellinger", threshold=None, held_out=0.2, n_jobs=None,
                 random_state=None):
        self.truth = truth
        self.fitter = fitter
        self.k_values = k_values
        self.grid = grid
        self.criteria = criteria
        self.n_repeats = n_repeats
        self.metric = metric
        self.threshold = threshold
        self.held_out = held_out
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fitter_name(self):
        if isinstance(self.fitter, str):
            return self.fitter
        return getattr(self.fitter, "name", None) or getattr(
            self.fitter, "__name__", type(self.fitter).__name__)

    def _criteria(self, kind):
        if self.criteria is None:
            return default_criteria(kind.kind)
        if isinstance(self.criteria, str) or not self.criteria:
            raise TypeError(f"criteria must be a non-empty list of names, got "
                            f"{_short(self.criteria)}.")
        allowed = default_criteria(kind.kind)
        for name in self.criteria:
            _check_choice(name, f"criteria for a {kind.kind} truth", allowed)
        return list(self.criteria)

    def _check_judging(self, kind):
        super()._check_judging(kind)
        _check_fitters({self._fitter_name(): self.fitter}, kind)
        _check_k_values(self.k_values)
        self._criteria(kind)
        if isinstance(self.held_out, bool) or not isinstance(self.held_out, Real) or not (
                0 <= self.held_out <= 1):
            raise ValueError(f"held_out must be a number in [0, 1], got {_short(self.held_out)}.")

    def _more_description(self):
        return {"fitter": describe(self.fitter), "k_values": describe(self.k_values),
                "criteria": describe(self.criteria), "held_out": describe(self.held_out)}

    def _more_info(self):
        return {"fitters": [self._fitter_name()], "k_values": list(self.k_values),
                "criteria": {name: CRITERIA[name].better for name in self._kind_criteria}}

    def _judging(self, kind):
        self._kind_criteria = self._criteria(kind)
        return Judging(kind, self.metric, _check_threshold(self.threshold),
                       tuple(self._kind_criteria),
                       float(self.held_out) if kind.kind == "topics" else 0.0)

    def _tasks(self, root, cells, truths, sizes, kind):
        name = self._fitter_name()
        fitters = _check_fitters({name: self.fitter}, kind)
        tasks = []
        for c, cell in enumerate(cells):
            for i, k in enumerate(_check_k_values(self.k_values)):
                for r in range(self.n_repeats):
                    tasks.append(Task(len(tasks), "fit", c, cell, name, r, k,
                                      child_seed(root, 0, c, r),
                                      (int_seed(child_seed(root, 1, c, r, i)),)))
        return tasks, fitters

