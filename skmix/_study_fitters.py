"""The fitters of a study: built-in topic models and clustering estimators behind one call.

A fitter is called as ``fitter(data, n, random_state)`` and returns what the comparison takes:
for topics ``data`` is a ``SampledCorpus`` and the model anything ``match_topics`` takes; for
mixtures ``data`` is the (n_samples, n_features) array and the model a fitted mixture, a
clustering estimator or the labels. Inside a study every fitter is wrapped in a ``_Fitting``,
which also keeps what some criteria need (a Gibbs sampler's log-likelihood trace, the labels).
"""

import importlib
import inspect
import warnings
from typing import NamedTuple

import numpy as np

from ._validation import _short

#: Share of a Gibbs sampler's iterations discarded as burn-in before its log-likelihoods are
#: averaged (griffiths_2004), as tmtoolkit asks of its callers.
_BURN_IN = 0.5


class Fitted(NamedTuple):
    """What one fit gave: the model to judge, labels (mixtures), a log-likelihood trace."""

    model: object
    labels: object = None
    log_likelihoods: object = None


# --- built-in topic models ------------------------------------------------------------------


def _fit_gensim(corpus, n_topics, seed, options):
    from gensim.models import LdaModel

    model = LdaModel(corpus=corpus.to_bow(), id2word=corpus.dictionary(), num_topics=n_topics,
                     random_state=seed, **options)
    return Fitted(model)


def _fit_sklearn(corpus, n_topics, seed, options):
    from sklearn.decomposition import LatentDirichletAllocation

    model = LatentDirichletAllocation(n_components=n_topics, random_state=seed, **options)
    model.fit(corpus.to_csr())
    topic_word = model.components_ / model.components_.sum(axis=1, keepdims=True)
    return Fitted((topic_word, list(corpus.vocabulary)))


def _fit_tomotopy(corpus, n_topics, seed, options):
    import tomotopy

    options = dict(options)
    iterations, step = options.pop("iterations"), options.pop("step")
    model = tomotopy.LDAModel(k=n_topics, seed=seed, **options)
    for document in corpus:
        model.add_doc(document)
    trace = []
    for _ in range(0, iterations, step):
        model.train(step, workers=1)
        trace.append(model.ll_per_word * model.num_words)
    topic_word = np.array([model.get_topic_word_dist(k) for k in range(n_topics)])
    kept = trace[int(len(trace) * _BURN_IN):]
    return Fitted((topic_word, list(model.used_vocabs)), log_likelihoods=kept)


def _fit_lda(corpus, n_topics, seed, options):
    import logging

    import lda

    logger = logging.getLogger("lda")
    if len(logger.handlers) == 1:  # lda.LDA would call logging.basicConfig(level=INFO) for the
        logger.addHandler(logging.NullHandler())  # whole process when it sees only its own
    model = lda.LDA(n_topics=n_topics, random_state=seed, **options)
    model.fit(corpus.to_csr().astype(np.int64))
    trace = model.loglikelihoods_
    return Fitted((model.topic_word_, list(corpus.vocabulary)),
                  log_likelihoods=trace[int(len(trace) * _BURN_IN):])


# --- built-in clustering estimators ---------------------------------------------------------


def _import_class(class_path):
    module, name = class_path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _fit_estimator(class_path):
    def fit(X, n_components, seed, options):
        return fit_estimator(_import_class(class_path)(**options), X, n_components, seed)

    return fit


def _n_param(estimator):
    params = estimator.get_params(deep=False)
    for name in ("n_components", "n_clusters"):
        if name in params:
            return name
    raise TypeError(f"fitter {type(estimator).__name__} has neither n_components nor "
                    "n_clusters: give a callable (X, n_components, random_state) instead.")


def fit_estimator(estimator, X, n_components, seed):
    """Clone ``estimator``, set its number of components and ``random_state``, fit it to X."""
    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning

    model = clone(estimator).set_params(**{_n_param(estimator): n_components})
    if "random_state" in model.get_params(deep=False):
        model.set_params(random_state=seed)
    with warnings.catch_warnings():  # a hard cell of a study may not converge: that is a result
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        model.fit(X)
    labels = model.predict(X) if hasattr(model, "predict") else model.labels_
    return Fitted(model, labels=np.asarray(labels))


class _Builtin(NamedTuple):
    kind: str  # "topics" or "mixture"
    fit: object  # (data, n, seed, options) -> Fitted
    defaults: dict
    accepts: object  # () -> the class whose keywords the options must be, or None


_BUILTINS = {
    # LdaModel as gensim's tutorials fit it: online updates of 100 documents, several passes,
    # the document-topic prior learned (alpha="auto"); eval_every=None skips the perplexity
    # gensim would otherwise log every update (a third of the fit time).
    "gensim": _Builtin("topics", _fit_gensim,
                       {"chunksize": 100, "passes": 20, "iterations": 100, "alpha": "auto",
                        "eval_every": None},
                       lambda: _import_class("gensim.models.LdaModel")),
    # batch variational Bayes (sklearn's default method) with more than its default 10 passes
    "sklearn": _Builtin("topics", _fit_sklearn, {"learning_method": "batch", "max_iter": 50},
                        lambda: _import_class(
                            "sklearn.decomposition.LatentDirichletAllocation")),
    # collapsed Gibbs sampling with tomotopy's priors (alpha 0.1, eta 0.01, alpha optimised
    # every 10 iterations); one worker thread, so a seed gives one result
    "tomotopy": _Builtin("topics", _fit_tomotopy, {"iterations": 1000, "step": 50},
                         lambda: _import_class("tomotopy.LDAModel")),
    # collapsed Gibbs sampling as the lda package documents it: its priors (alpha 0.1, eta
    # 0.01) and the 1,500 iterations of its README
    "lda": _Builtin("topics", _fit_lda, {"n_iter": 1500, "alpha": 0.1, "eta": 0.01},
                    lambda: _import_class("lda.LDA")),
    "gaussian_mixture": _Builtin("mixture", _fit_estimator("sklearn.mixture.GaussianMixture"),
                                 {}, lambda: _import_class("sklearn.mixture.GaussianMixture")),
    "bayesian_gaussian_mixture": _Builtin(
        "mixture", _fit_estimator("sklearn.mixture.BayesianGaussianMixture"), {"max_iter": 500},
        lambda: _import_class("sklearn.mixture.BayesianGaussianMixture")),
    "kmeans": _Builtin("mixture", _fit_estimator("sklearn.cluster.KMeans"), {},
                       lambda: _import_class("sklearn.cluster.KMeans")),
}

#: Options a built-in fitter takes besides its class's keywords (tomotopy's training length).
_EXTRA_OPTIONS = {"tomotopy": {"iterations", "step"}}
#: Keywords the study sets itself, per built-in.
_SET_BY_STUDY = {"num_topics", "n_components", "n_clusters", "n_topics", "k", "random_state",
                 "seed", "corpus", "id2word"}

BUILTIN_FITTERS = tuple(_BUILTINS)


def _check_options(name, builtin, options):
    try:
        cls = builtin.accepts()
    except ImportError as exc:
        raise ImportError(f"fitter({name!r}) needs the {exc.name} package: pip install "
                          f"'skmix[{name}]'.") from exc
    parameters = inspect.signature(cls).parameters
    allowed = (set(parameters) | _EXTRA_OPTIONS.get(name, set())) - _SET_BY_STUDY
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(f"fitter({name!r}) got unknown options {unknown}; {cls.__name__} takes "
                        f"{sorted(allowed)}.")


class Fitter:
    """A built-in fitter, made by :func:`skmix.study.fitter`.

    Called as ``fitter(data, n, random_state)`` it returns the fitted model in a form the
    comparison takes.

    Parameters
    ----------
    name : str
        One of ``BUILTIN_FITTERS``.
    **options
        Keywords of the underlying model, over the fitter's defaults.
    """

    def __init__(self, name, **options):
        if name not in _BUILTINS:
            raise ValueError(f"fitter name must be one of {list(_BUILTINS)}, got {_short(name)}.")
        _check_options(name, _BUILTINS[name], options)
        self.name = name
        self.options = options

    @property
    def kind(self):
        """``"topics"`` or ``"mixture"``: the truths this fitter is for."""
        return _BUILTINS[self.name].kind

    @property
    def settings(self):
        """The options the model is fitted with: the defaults, updated by the given ones."""
        return {**_BUILTINS[self.name].defaults, **self.options}

    def fit(self, data, n, random_state):
        """Fit and return a :class:`Fitted` (the model and what the criteria need)."""
        return _BUILTINS[self.name].fit(data, n, random_state, self.settings)

    def __call__(self, data, n, random_state):
        return self.fit(data, n, random_state).model

    def __repr__(self):
        options = "".join(f", {key}={value!r}" for key, value in self.options.items())
        return f"fitter({self.name!r}{options})"

    def __eq__(self, other):
        return isinstance(other, Fitter) and (self.name, self.options) == (other.name,
                                                                           other.options)

    def __hash__(self):
        return hash((self.name, repr(sorted(self.options.items()))))


def _is_estimator(obj):
    return hasattr(obj, "get_params") and hasattr(obj, "fit")


def check_fitter(fitter, name, kind):
    """A fitter of a study, refused unless it is a built-in for ``kind``, an estimator or a
    callable."""
    if isinstance(fitter, Fitter):
        if fitter.kind != kind:
            raise ValueError(f"fitter {name!r} is {fitter!r}, made for {fitter.kind}, but the "
                             f"truth is a {kind} truth.")
        return fitter
    if _is_estimator(fitter):
        if kind != "mixture":
            raise TypeError(f"fitter {name!r}: an estimator fits a mixture truth; for topics "
                            "give fitter('sklearn') or a callable (corpus, n_topics, "
                            "random_state).")
        _n_param(fitter)
        return fitter
    if not callable(fitter):
        raise TypeError(f"fitter {name!r} must be fitter(NAME, ...), a clustering estimator or "
                        f"a callable (data, n, random_state) -> model, got {_short(fitter)}.")
    return fitter


def run_fitter(fitter, data, n, seed):
    """Fit once; a :class:`Fitted` whatever the kind of fitter."""
    if isinstance(fitter, Fitter):
        return fitter.fit(data, n, seed)
    if _is_estimator(fitter):
        return fit_estimator(fitter, data, n, seed)
    model = fitter(data, n, seed)
    if isinstance(model, np.ndarray) and model.ndim == 1:
        return Fitted(model, labels=model)
    if _is_estimator(model) and hasattr(data, "shape"):
        labels = model.predict(data) if hasattr(model, "predict") else getattr(
            model, "labels_", None)
        return Fitted(model, labels=None if labels is None else np.asarray(labels))
    return Fitted(model, log_likelihoods=getattr(model, "loglikelihoods_", None))
