"""Match recovered topics to true ones: ``match_topics`` and ``TopicMatchReport``.

Every accepted input is turned into the same three things - a (K, V) array of word probabilities
(rows normalised), its V words and its K topic names - then both sides are put on one vocabulary,
aligned by the words themselves (a word missing on one side has probability 0 there). Nothing
is matched by position: gensim numbers its words by its ``Dictionary``, sklearn by its vectorizer.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import xlogy

from ._matching import UNMATCHED, MatchReport, assert_passed, format_table, one_to_one
from ._validation import _short, check_positive_int

#: Default ``threshold`` per metric; calibrated by ``benchmarks/calibrate_thresholds.py``
#: (``docs/calibration.md``): Hellinger 0.3 is above every gensim/sklearn fit
#: of the bars that found them (worst 0.25) and below every one that did not (0.33 and more) or
#: merged two topics (0.54).
DEFAULT_TOPIC_THRESHOLDS = {"hellinger": 0.3, "jensen_shannon": 0.3, "cosine": 0.15, "l1": 0.4}

#: A true and a recovered topic that share this much probability mass are "related": two such
#: recovered topics for one true topic is a split, two true topics in one recovered is a merge.
SHARED_MASS_RELATED = 0.3


# --- turning each input form into (topics, words, names) -------------------------------------

def _check_words(words, name, n_columns):
    """The words of a vocabulary as a list of distinct non-empty strings, one per column."""
    if words is None:
        raise ValueError(
            f"{name} is an array or model without words: pass it as a (topics, words) pair or "
            "give vocabulary= (the word of each column)."
        )
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


def _from_weight_dicts(weight_dicts, name, names):
    """Topics given as word -> weight (a word list is uniform over its distinct words)."""
    if not weight_dicts:
        raise ValueError(f"{name} has no topics.")
    for topic_name, weights in zip(names, weight_dicts, strict=True):
        if not weights:
            raise ValueError(f"{name} has an empty topic: {topic_name!r}.")
    words = list(dict.fromkeys(w for weights in weight_dicts for w in weights))
    index = {w: i for i, w in enumerate(words)}
    topics = np.zeros((len(weight_dicts), len(words)))
    for k, weights in enumerate(weight_dicts):
        topics[k, [index[w] for w in weights]] = list(weights.values())
    return _from_arrays(topics, words, name, names)


def _as_weights(topic, name):
    """One topic as a word -> weight dict."""
    if isinstance(topic, Mapping):
        return dict(topic)
    if isinstance(topic, str) or not hasattr(topic, "__iter__"):
        raise TypeError(f"each topic of {name} must be a list of words or a dict word -> weight, "
                        f"got {_short(topic)}.")
    return dict.fromkeys(topic, 1.0)


def _is_pair(obj):
    """A ``(topics, words)`` pair: an array or fitted sklearn model, and its vocabulary."""
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    topics = obj[0]
    try:
        return hasattr(topics, "components_") or np.asarray(topics).dtype.kind in "fiu"
    except ValueError:  # ragged: two word lists of different lengths, not a pair
        return False


def _is_array(obj):
    return hasattr(obj, "components_") or (
        isinstance(obj, np.ndarray) and obj.dtype.kind in "fiu")


def _is_word_lists(obj):
    return isinstance(obj, list | tuple) and not _is_array(obj)


# (test, converter) pairs, tried in order: duck-typed, so skmix's generator and corpus, gensim
# and sklearn models are read without importing their modules.
_TOPIC_FORMS = [
    (lambda o: hasattr(o, "topic_word_") and hasattr(o, "vocabulary_"),
     lambda o, n, v: _from_arrays(o.topic_word_, o.vocabulary_, n, o.topic_names_)),
    (lambda o: hasattr(o, "topic_word") and hasattr(o, "vocabulary"),
     lambda o, n, v: _from_arrays(o.topic_word, o.vocabulary, n, o.topic_names)),
    (lambda o: hasattr(o, "get_topics") and hasattr(o, "id2word"),
     lambda o, n, v: _from_gensim(o, n)),
    (_is_pair, lambda o, n, v: _from_arrays(_model_topics(o[0]), o[1], n)),
    (_is_array, lambda o, n, v: _from_arrays(_model_topics(o), v, n)),
    (lambda o: isinstance(o, Mapping),
     lambda o, n, v: _from_weight_dicts([_as_weights(t, n) for t in o.values()], n,
                                        [str(k) for k in o])),
    (_is_word_lists,
     lambda o, n, v: _from_weight_dicts([_as_weights(t, n) for t in o], n,
                                        _default_names(len(o)))),
]


def _from_gensim(model, name):
    """A gensim topic model: the full ``get_topics()`` matrix, words from ``id2word``."""
    topics = model.get_topics()
    return _from_arrays(topics, [model.id2word[i] for i in range(topics.shape[1])], name)


def topics_of(obj, name, vocabulary=None):
    """``(topics, words, names)`` of any accepted form: a (K, V) array of probabilities, V words
    and K topic names."""
    for test, convert in _TOPIC_FORMS:
        if test(obj):
            return convert(obj, name, vocabulary)
    raise TypeError(
        f"{name} must be a fitted TopicMixtureGenerator, a SampledCorpus, a gensim LdaModel, a "
        "(topics, words) pair, an array or fitted sklearn LatentDirichletAllocation with "
        f"vocabulary=, a list of word lists or a dict name -> words; got {type(obj).__name__}."
    )


#: Rows per block when reordering columns: a block (16 x 50,000 floats, 6 MB) stays in cache
#: and its buffer is reused, where a second 1,000 x 50,000 array would be 400 MB of fresh
#: memory (up to a second to obtain on a loaded machine).
_BLOCK_ROWS = 16


def _reorder_columns(topics, order):
    """``topics[:, order]``, written back into ``topics`` a block of rows at a time."""
    buffer = np.empty((_BLOCK_ROWS, len(order)))
    for start in range(0, topics.shape[0], _BLOCK_ROWS):
        block = topics[start:start + _BLOCK_ROWS]
        np.take(block, order, axis=1, out=buffer[:len(block)])
        block[:] = buffer[:len(block)]
    return topics


def _widen(topics, own_words, index, n_words):
    """``topics`` with one column per word of the union (``index``), zero where not its own.

    ``topics`` is an array of this module's own (``topics_of`` makes a new one): when both
    sides have the same words in another order, its columns are reordered in place.
    """
    columns = np.fromiter((index[w] for w in own_words), dtype=np.intp, count=len(own_words))
    if np.array_equal(columns, np.arange(len(own_words))):  # already in order: no scatter
        padding = np.zeros((len(topics), n_words - len(own_words)))
        return topics if n_words == len(own_words) else np.hstack([topics, padding])
    if n_words == len(own_words):
        return _reorder_columns(topics, np.argsort(columns))
    wide = np.zeros((topics.shape[0], n_words))
    wide[:, columns] = topics
    return wide


def align(truth_words, recovered_words, *topic_sets):
    """Put topics on the union of both vocabularies (truth's words first); missing words are 0."""
    words = list(dict.fromkeys([*truth_words, *recovered_words]))
    index = {w: i for i, w in enumerate(words)}
    aligned = [_widen(topics, own_words, index, len(words)) for topics, own_words
               in zip(topic_sets, (truth_words, recovered_words), strict=True)]
    return (*aligned, np.array(words))


# --- distances between topics ----------------------------------------------------------------

def _products(a, b):
    """``a @ b.T``; sparse when ``a`` is mostly zeros, as a truth given as word lists is beside a
    fitted vocabulary: the cost is then its non-zeros x K_recovered, not K_true x V x K_recovered.
    """
    if np.count_nonzero(a) < 0.1 * a.size:
        return np.asarray(csr_matrix(a) @ b.T)
    return a @ b.T


#: Hellinger distances below this, estimated in float32, are computed again in float64: an error
#: e in sum sqrt(p q) moves the distance d by about e / (2 d), so float32 (e ~ 1e-5 over 50,000
#: words) is exact enough only far from 0. Far pairs are most pairs; the near ones are few, unless
#: more than this many per topic, when the whole product is taken in float64.
HELLINGER_FLOAT32_ABOVE = 0.5
_MAX_REFINED_PER_TOPIC = 4


def _hellinger_exact(p, q):
    return np.sqrt(np.clip(1.0 - _products(np.sqrt(p), np.sqrt(q)), 0.0, 1.0))


def _hellinger(p, q):
    """sqrt(1 - sum sqrt(p q)): 0 for identical topics, 1 for disjoint ones.

    The square roots and their product in float32 (half the memory, twice the speed at 1,000 x
    1,000 topics over 50,000 words), then the distances below ``HELLINGER_FLOAT32_ABOVE`` again
    in float64, pair by pair.
    """
    roots = [np.sqrt(x, dtype=np.float32) for x in (p, q)]
    distances = np.sqrt(np.clip(1.0 - _products(*roots).astype(float), 0.0, 1.0))
    near = distances < HELLINGER_FLOAT32_ABOVE
    if near.sum() > _MAX_REFINED_PER_TOPIC * max(near.shape):
        return _hellinger_exact(p, q)
    for k in np.flatnonzero(near.any(axis=1)):
        columns = np.flatnonzero(near[k])
        shared = np.sqrt(p[k] * q[columns]).sum(axis=1)
        distances[k, columns] = np.sqrt(np.clip(1.0 - shared, 0.0, 1.0))
    return distances


def _cosine(p, q):
    """1 - cos(p, q): 0 for proportional topics, 1 for disjoint ones."""
    norms = [np.sqrt(np.einsum("ij,ij->i", x, x)) for x in (p, q)]
    return np.clip(1.0 - _products(p, q) / np.outer(*norms), 0.0, 1.0)


def _over_support(p, q, on_support, total):
    """Distances that are sums over words, evaluated only where each true topic has mass.

    Where p = 0 each such sum has a closed-form share (``total``), so each true topic costs
    O(K_recovered x its support) instead of O(K_recovered x V): word-list truths are sparse.
    """
    out = np.empty((p.shape[0], q.shape[0]))
    for k, row in enumerate(p):
        support = np.flatnonzero(row)
        out[k] = total + on_support(row[support], q[:, support]).sum(axis=1)
    return out


def _jensen_shannon(p, q):
    """sqrt of the Jensen-Shannon divergence in bits: 0 for identical topics, 1 for disjoint.

    Per word the divergence adds (p log2(2p/(p+q)) + q log2(2q/(p+q))) / 2, which is (p + q) / 2
    when p = 0: the sum is 1 plus, over the support of p, that term minus (p + q) / 2.
    """
    def on_support(ps, qs):
        m = ps + qs
        term = (xlogy(ps, 2 * ps / m) + xlogy(qs, 2 * qs / m)) / (2 * np.log(2))
        return term - m / 2

    return np.sqrt(np.clip(_over_support(p, q, on_support, 1.0), 0.0, 1.0))


def _l1(p, q):
    """sum |p - q| = 2 - 2 sum min(p, q): 0 for identical topics, 2 for disjoint ones."""
    return np.clip(_over_support(p, q, lambda ps, qs: -2 * np.minimum(ps, qs), 2.0), 0.0, 2.0)


#: metric -> (function of two row-normalised arrays, the largest distance it can give)
TOPIC_METRICS = {
    "hellinger": (_hellinger, 1.0),
    "jensen_shannon": (_jensen_shannon, 1.0),
    "cosine": (_cosine, 1.0),
    "l1": (_l1, 2.0),
}


def _check_metric(metric):
    if metric not in TOPIC_METRICS:
        raise ValueError(f"metric must be one of {sorted(TOPIC_METRICS)}, got {metric!r}.")
    return TOPIC_METRICS[metric]


def _check_threshold(threshold, default, name="threshold"):
    if threshold is None:
        return default
    if isinstance(threshold, bool) or not isinstance(threshold, int | float | np.number) or (
            not np.isfinite(threshold) or threshold < 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {_short(threshold)}.")
    return float(threshold)


# --- the report --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TopicMatch:
    """One true topic and the recovered topic matched to it.

    Attributes
    ----------
    name : str
        The true topic's name.
    matched : str or None
        The recovered topic's name; None when there were fewer recovered topics than true ones.
    distance : float
        The distance between the two (the metric's largest value when unmatched).
    precision : float
        Of the true topic's top-n words, the fraction among the recovered topic's top-n
        (n = ``top_n``, or fewer when the true topic has fewer words).
    found : bool
        ``distance <= threshold``.
    true_words, recovered_words : tuple of str
        The top words of each side, most probable first.
    note : str
        Split or merge seen around this topic ("" when none).
    """

    name: str
    matched: str | None
    distance: float
    precision: float
    found: bool
    true_words: tuple
    recovered_words: tuple
    note: str = ""


class TopicMatchReport(MatchReport):
    """How well recovered topics match the true ones (see :func:`match_topics`).

    Attributes
    ----------
    rows : list of TopicMatch
        One per true topic, in the truth's order.
    distances : ndarray of shape (n_true, n_recovered)
        Every true topic's distance to every recovered topic.
    match : ndarray of int of shape (n_true,)
        The recovered index matched to each true topic (-1 when unmatched).
    true_names, recovered_names : list of str
    unmatched : list of str
        Recovered topics no true topic was matched to.
    lost : list of str
        True topics not found.
    metric : str
    threshold : float
    mean_distance, max_distance : float
        Over the true topics' matches (an unmatched true topic counts as the metric's maximum).
    fraction_recovered : float
        Fraction of true topics found.
    passed : bool
        Every true topic matched at a distance <= ``threshold``.
    """

    kind = "topic"

    def __init__(self, rows, distances, match, true_names, recovered_names, metric, threshold,
                 top_n):
        self.rows = rows
        self.distances = distances
        self.match = match
        self.true_names = true_names
        self.recovered_names = recovered_names
        self.metric = metric
        self.threshold = threshold
        self.top_n = top_n
        self.max_possible = TOPIC_METRICS[metric][1]

    def _table(self):
        header = ["true topic", "recovered", self.metric, f"top-{self.top_n}", "found",
                  "true top words", "recovered top words", "note"]
        body = [[row.name, row.matched or "-", f"{row.distance:.3f}", f"{row.precision:.2f}",
                 "yes" if row.found else "LOST", " ".join(row.true_words),
                 " ".join(row.recovered_words), row.note] for row in self.rows]
        return format_table(header, body)


def _top_words(weights, words, n):
    """The n most probable words with non-zero weight, ties in vocabulary order.

    A partition finds the candidates (every word at least as probable as the n-th), so only
    those are sorted: O(V) per topic rather than a sort of the whole vocabulary.
    """
    n = min(n, weights.size)
    nth = np.partition(weights, weights.size - n)[weights.size - n]
    candidates = np.flatnonzero((weights >= nth) & (weights > 0))
    order = candidates[np.lexsort((candidates, -weights[candidates]))][:n]
    return tuple(words[order])


def _shared_mass(p, q):
    return float(np.minimum(p, q).sum())


def _notes(p, q, distances, match, true_names, recovered_names):
    """Per true topic: a split (its two nearest recovered topics both share >= 30% of its
    mass) or a merge (its match, or nearest recovered topic, shares >= 30% of the mass of
    another true topic too)."""
    notes = [[] for _ in true_names]
    if q.shape[0] >= 2:
        nearest_two = np.argsort(distances, axis=1)[:, :2]
        for k, pair in enumerate(nearest_two):
            shares = [_shared_mass(p[k], q[j]) for j in pair]
            if min(shares) >= SHARED_MASS_RELATED:
                notes[k].append("split over " + " + ".join(
                    f"{recovered_names[j]} ({s:.0%})" for j, s in zip(pair, shares, strict=True)))
    nearest = np.where(match != UNMATCHED, match, distances.argmin(axis=1))
    holders = {}
    for k, j in enumerate(nearest):
        if _shared_mass(p[k], q[j]) >= SHARED_MASS_RELATED:
            holders.setdefault(j, []).append(k)
    for j, ks in holders.items():
        for k in ks if len(ks) > 1 else ():
            others = ", ".join(true_names[i] for i in ks if i != k)
            notes[k].append(f"merged with {others} in {recovered_names[j]}")
    return ["; ".join(n) for n in notes]


def _rows(p, q, words, distances, match, names, threshold, top_n, max_possible):
    true_names, recovered_names = names
    notes = _notes(p, q, distances, match, true_names, recovered_names)
    rows = []
    for k, j in enumerate(match):
        true_words = _top_words(p[k], words, top_n)
        if j == UNMATCHED:
            rows.append(TopicMatch(true_names[k], None, max_possible, 0.0, False, true_words, (),
                                   notes[k]))
            continue
        recovered_words = _top_words(q[j], words, top_n)
        precision = len(set(true_words) & set(recovered_words[:len(true_words)])) / len(true_words)
        rows.append(TopicMatch(true_names[k], recovered_names[j], float(distances[k, j]),
                               precision, bool(distances[k, j] <= threshold), true_words,
                               recovered_words, notes[k]))
    return rows


def match_topics(truth, recovered, *, vocabulary=None, metric="hellinger", top_n=10,
                 threshold=None):
    """Match recovered topics one-to-one to the true ones and say whether they were found.

    Both sides are put on one vocabulary by their words (a word missing on one side has
    probability 0 there; sklearn's pseudo-counts and any weights are normalised per topic), the
    distance between every true and every recovered topic is computed, and the one-to-one
    matching with the smallest total distance is taken (the Hungarian algorithm,
    ``scipy.optimize.linear_sum_assignment``). The two sides may have different numbers of
    topics: the report lists the recovered topics left over, and a true topic without a partner
    counts as lost.

    Parameters
    ----------
    truth, recovered : topic-bearing object
        Each one of:

        - a fitted ``TopicMixtureGenerator`` or a ``SampledCorpus`` (their topics and names);
        - a gensim ``LdaModel`` (the full ``get_topics()`` matrix, words from ``id2word``);
        - a pair ``(topics, words)``: a (K, V) array, or a fitted sklearn
          ``LatentDirichletAllocation`` (its ``components_``), and the word of each column
          (e.g. ``CountVectorizer.get_feature_names_out()``);
        - a (K, V) array or a fitted sklearn model alone, with ``vocabulary=``;
        - a list of word lists (uniform over the distinct words of each topic), a list of dicts
          word -> weight, or a dict name -> word list or name -> {word: weight}.
    vocabulary : sequence of str, default=None
        The words of the columns of a bare array or sklearn model (on either side).
    metric : {"hellinger", "jensen_shannon", "cosine", "l1"}, default="hellinger"
        The distance between two topics: Hellinger ``sqrt(1 - sum sqrt(p q))`` and the square
        root of the Jensen-Shannon divergence in bits (both in [0, 1]), cosine distance
        ``1 - cos(p, q)`` (in [0, 1]), or ``sum |p - q|`` (in [0, 2]).
    top_n : int, default=10
        How many top words to show and to compare (top-n precision).
    threshold : float, default=None
        A true topic is found when its match is at most this far. None takes
        ``DEFAULT_TOPIC_THRESHOLDS[metric]``: hellinger 0.3, jensen_shannon 0.3, cosine 0.15,
        l1 0.4, calibrated on real gensim and sklearn fits (``docs/calibration.md``).

    Returns
    -------
    report : TopicMatchReport
        ``passed``, ``rows``, ``distances`` and a readable ``str()`` table.

    Examples
    --------
    >>> from skmix.compare import match_topics
    >>> truth = {"birthday": ["cake", "balloon", "merry"], "orcs": ["orc", "ring", "merry"]}
    >>> recovered = [{"ring": 0.5, "orc": 0.3, "merry": 0.2}, {"cake": 0.4, "balloon": 0.4,
    ...                                                         "merry": 0.2}]
    >>> report = match_topics(truth, recovered)
    >>> report.passed, [row.matched for row in report.rows]
    (True, ['topic_1', 'topic_0'])
    >>> round(report.max_distance, 3)
    0.132
    """
    function, max_possible = _check_metric(metric)
    top_n = check_positive_int(top_n, "top_n")
    threshold = _check_threshold(threshold, DEFAULT_TOPIC_THRESHOLDS[metric])
    p, truth_words, true_names = topics_of(truth, "truth", vocabulary)
    q, recovered_words, recovered_names = topics_of(recovered, "recovered", vocabulary)
    p, q, words = align(truth_words, recovered_words, p, q)
    distances = function(p, q)
    match = one_to_one(distances)
    rows = _rows(p, q, words, distances, match, (true_names, recovered_names), threshold, top_n,
                 max_possible)
    return TopicMatchReport(rows, distances, match, true_names, recovered_names, metric,
                            threshold, top_n)


def assert_topics_recovered(truth, recovered, *, vocabulary=None, metric="hellinger", top_n=10,
                            threshold=None):
    """Assert every true topic was recovered; the ``AssertionError`` message is the table.

    Made for model-validation tests in pytest: the failure shows which topics were lost, with
    their top words on both sides.

    Parameters
    ----------
    truth, recovered : topic-bearing object
        As for :func:`match_topics`.
    vocabulary, metric, top_n, threshold
        As for :func:`match_topics`.

    Returns
    -------
    report : TopicMatchReport
        When it passed.

    Raises
    ------
    AssertionError
        When a true topic is not matched within the threshold.

    Examples
    --------
    >>> from skmix.compare import assert_topics_recovered
    >>> truth = [["cake", "balloon"], ["orc", "ring"]]
    >>> assert_topics_recovered(truth, [["ring", "orc"], ["balloon", "cake"]]).passed
    True
    """
    return assert_passed(match_topics(truth, recovered, vocabulary=vocabulary, metric=metric,
                                      top_n=top_n, threshold=threshold))
