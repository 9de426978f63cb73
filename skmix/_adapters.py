"""Model adapters: any topic model or written-out topics -> (topics, words, names).

``match_topics`` reads a model through the adapter registered for its type (or a parent type)
with :func:`register_topic_adapter`; an adapter is one function ``model -> (topic_word,
words)`` (or ``(topic_word, words, names)``), registered beside it. Models of libraries skmix
does not import (skmix's own generator and corpus, gensim, sklearn, arrays, written-out
topics) are recognised by their attributes (``_TOPIC_FORMS``), so none is imported to check.
"""

from collections.abc import Mapping

import numpy as np

from ._topic_spec import parse_topics
from ._validation import _short

# --- turning each input form into (topics, words, names) -------------------------------------

def _check_words(words, name, n_columns):
    """The words of a vocabulary as a list of distinct non-empty strings, one per column."""
    if words is None:
        raise ValueError(
            f"{name} is an array or model without words: pass it as a (topics, words) pair or "
            "give vocabulary= (the word of each column)."
        )
    if isinstance(words, str | bytes):  # "abc" would be the three words a, b, c
        raise TypeError(f"the words of {name} must be a sequence of str, got a plain string "
                        f"{_short(words)}.")
    words = [str(w) if isinstance(w, np.str_) else w for w in words]
    bad = [w for w in words if not isinstance(w, str) or not w]
    if bad:
        raise TypeError(f"the words of {name} must be non-empty strings, got {_short(bad[0])}.")
    if len(words) != n_columns:
        raise ValueError(
            f"the words of {name} do not match its topics: {len(words)} words for "
            f"{n_columns} columns."
        )
    if len(set(words)) != len(words):
        raise ValueError(f"the words of {name} must be distinct, got {_short(words)}.")
    return words


def _check_topics(topics, name):
    """A (K, V) array of word probabilities (rows normalised) from non-negative weights."""
    if np.iscomplexobj(topics):
        raise TypeError(f"the topics of {name} must be real numbers, got complex ones.")
    try:
        topics = np.asarray(topics, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"the topics of {name} must be numbers, got {_short(topics)}.") from exc
    if topics.ndim != 2 or topics.shape[0] == 0 or topics.shape[1] == 0:
        raise ValueError(f"the topics of {name} must be a non-empty 2-D array, got shape "
                         f"{topics.shape}.")
    # one pass per check over what may be 1,000 x 50,000 weights: NaN or inf in a row makes
    # its sum non-finite, a negative weight makes the minimum negative
    totals = topics.sum(axis=1, keepdims=True)
    if not np.all(np.isfinite(totals)):
        raise ValueError(f"the topic weights of {name} must be finite, got NaN or infinity.")
    if topics.min() < 0:
        raise ValueError(f"the topic weights of {name} must be non-negative, got "
                         f"{topics.min():.6g}.")
    empty = np.flatnonzero(totals[:, 0] == 0)
    if empty.size:
        raise ValueError(f"{name} has empty topics (all weights 0): rows {empty.tolist()}.")
    # a new array, in rows (topics are read row by row, whatever the caller's layout): the
    # caller's is left as it was, and no separate copy is made (at 1,000 x 50,000 each 400 MB
    # of fresh memory costs up to a second on a loaded machine)
    return np.divide(topics, totals, order="C")


def _default_names(n_topics):
    return [f"topic_{k}" for k in range(n_topics)]


def _from_arrays(topics, words, name, names=None):
    topics = _check_topics(topics, name)
    words = _check_words(words, name, topics.shape[1])
    return topics, words, list(names) if names is not None else _default_names(len(topics))


def _model_topics(obj):
    """The (K, V) weights of an array, or of a fitted sklearn model's ``components_``."""
    return obj.components_ if hasattr(obj, "components_") else obj


def _from_spec(spec, name):
    """Word lists or dicts, read as the generator reads them (a repeated word counts twice)."""
    names, words, topics = parse_topics(spec, None, label=name)
    return _from_arrays(topics, words, name, names)


def _is_pair(obj):
    """A ``(topics, words)`` pair: an array or fitted sklearn model, and its vocabulary."""
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    topics = obj[0]
    try:
        # complex counts as numbers here, so that _check_topics refuses it by name
        return hasattr(topics, "components_") or np.asarray(topics).dtype.kind in "fiuc"
    except ValueError:  # ragged: two word lists of different lengths, not a pair
        return False


def _is_array(obj):
    return hasattr(obj, "components_") or (
        isinstance(obj, np.ndarray) and obj.dtype.kind in "fiuc")


def _is_spec(obj):
    """Topics written out: a dict name -> words, or a list of word lists or word dicts."""
    return isinstance(obj, Mapping) or (isinstance(obj, list | tuple) and not _is_array(obj))


# (test, converter) pairs, tried in order: duck-typed, so skmix's generator and corpus, gensim
# and sklearn models are read without importing their modules.
_TOPIC_FORMS = [
    (lambda o: hasattr(o, "topic_word_") and hasattr(o, "vocabulary_"),
     lambda o, n, v: _from_arrays(o.topic_word_, o.vocabulary_, n, o.topic_names_)),
    (lambda o: hasattr(o, "topic_word") and hasattr(o, "vocabulary"),
     # a corpus's vocabulary may end with new words (an open vocabulary) no topic has
     lambda o, n, v: _from_arrays(o.topic_word, o.vocabulary[: np.shape(o.topic_word)[1]], n,
                                  o.topic_names)),
    (lambda o: hasattr(o, "get_topics") and hasattr(o, "id2word"),
     lambda o, n, v: _from_gensim(o, n)),
    (lambda o: hasattr(o, "get_topic_word_dist") and hasattr(o, "used_vocabs"),
     lambda o, n, v: _from_tomotopy(o, n)),
    (lambda o: hasattr(o, "steps") and hasattr(o, "named_steps"),
     lambda o, n, v: _from_pipeline(o, n)),
    (lambda o: isinstance(o, Mapping) and "topic-word-matrix" in o,
     lambda o, n, v: _from_arrays(o["topic-word-matrix"], v, n)),
    (_is_pair, lambda o, n, v: _from_arrays(_model_topics(o[0]), o[1], n)),
    (_is_array, lambda o, n, v: _from_arrays(_model_topics(o), v, n)),
    (_is_spec, lambda o, n, v: _from_spec(o, n)),
]


def _from_gensim(model, name):
    """A gensim topic model: the full ``get_topics()`` matrix, words from ``id2word``."""
    topics = model.get_topics()
    return _from_arrays(topics, [model.id2word[i] for i in range(topics.shape[1])], name)


def tomotopy_topic_ids(model):
    """The ids of a tomotopy model's topics: live ones only for HDP, sub-topics for PA."""
    n_topics = getattr(model, "k2", model.k)
    if hasattr(model, "is_live_topic"):
        return [k for k in range(n_topics) if model.is_live_topic(k)]
    return list(range(n_topics))


def _from_tomotopy(model, name):
    """A trained tomotopy model (LDA, CTM, PA, HDP, ...): words from ``used_vocabs``."""
    ids = tomotopy_topic_ids(model)
    topics = np.array([model.get_topic_word_dist(k) for k in ids], dtype=float)
    return _from_arrays(topics, list(model.used_vocabs), name, [f"topic_{k}" for k in ids])


def _from_pipeline(pipeline, name):
    """A fitted sklearn ``Pipeline`` ending in a topic model: words from the steps before it."""
    model = pipeline.steps[-1][1]
    if not hasattr(model, "components_"):
        raise TypeError(f"{name} is a Pipeline whose last step ({type(model).__name__}) has no "
                        "components_: end it with a fitted topic model (e.g. "
                        "LatentDirichletAllocation or NMF).")
    return _from_arrays(model.components_, pipeline[:-1].get_feature_names_out(), name)


#: type -> adapter, looked up along a model's type's MRO
_ADAPTERS = {}


def register_topic_adapter(model_type, adapter):
    """Teach ``match_topics`` (and ``assert_topics_recovered``) to read models of a type.

    Parameters
    ----------
    model_type : type
        The models' class; subclasses use the adapter too, unless they have their own.
    adapter : callable
        ``adapter(model)`` returns ``(topic_word, words)`` or ``(topic_word, words, names)``:
        non-negative weights of shape (n_topics, n_words) (rows are normalised for you), the
        word of each column, and optionally the topic names.

    Examples
    --------
    >>> import numpy as np
    >>> from skmix.compare import match_topics, register_topic_adapter
    >>> class Bag:
    ...     counts = np.array([[3.0, 1.0], [0.0, 2.0]])
    ...     words = ["cake", "orc"]
    >>> register_topic_adapter(Bag, lambda model: (model.counts, model.words))
    >>> match_topics([["cake", "cake", "cake", "orc"], ["orc"]], Bag()).max_distance
    0.0
    """
    if not isinstance(model_type, type):
        raise TypeError(f"model_type must be a class, got {_short(model_type)}.")
    if not callable(adapter):
        raise TypeError(f"adapter must be callable, got {_short(adapter)}.")
    _ADAPTERS[model_type] = adapter


def _registered(obj, name):
    """``(topics, words, names)`` through the adapter registered for ``obj``'s type, or None."""
    adapter = next((_ADAPTERS[c] for c in type(obj).__mro__ if c in _ADAPTERS), None)
    if adapter is None:
        return None
    topics, words, *names = adapter(obj)
    return _from_arrays(topics, words, name, *names)


def topics_of(obj, name, vocabulary=None):
    """``(topics, words, names)`` of any accepted form: a (K, V) array of probabilities, V words
    and K topic names."""
    registered = _registered(obj, name)
    if registered is not None:
        return registered
    for test, convert in _TOPIC_FORMS:
        if test(obj):
            return convert(obj, name, vocabulary)
    raise TypeError(
        f"{name} must be a fitted TopicMixtureGenerator, a SampledCorpus, a gensim or tomotopy "
        "topic model, a fitted sklearn Pipeline ending in a topic model, a (topics, words) "
        "pair, an array, lda.LDA, OCTIS output or fitted sklearn LatentDirichletAllocation/NMF "
        "with vocabulary=, a list of word lists or a dict name -> words (or register an "
        f"adapter with register_topic_adapter); got {type(obj).__name__}."
    )
