"""Match recovered topics to true ones: ``match_topics`` and ``TopicMatchReport``.

Every accepted input is turned into the same three things - a (K, V) array of word probabilities
(rows normalised), its V words and its K topic names - then both sides are put on one vocabulary,
aligned by the words themselves (a word missing on one side has probability 0 there). Nothing
is matched by position: gensim numbers its words by its ``Dictionary``, sklearn by its vectorizer.
"""

from dataclasses import dataclass

import numpy as np

from ._adapters import topics_of
from ._document_recovery import _check_documents, document_recovery
from ._matching import UNMATCHED, MatchReport, assert_passed, format_table, one_to_one
from ._metrics import (
    TOPIC_METRICS,
    _check_metric,
    _check_threshold,
)
from ._validation import check_positive_int

#: A true and a recovered topic that share this much probability mass are "related": two such
#: recovered topics for one true topic is a split, two true topics in one recovered is a merge.
SHARED_MASS_RELATED = 0.3


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
        Every true topic matched at a distance <= ``threshold``, and no more than
        ``max_extra_topics`` recovered topics beyond the true ones.
    coverage : float
        Fraction of true topics within ``threshold`` of some recovered topic (matched or not).
    redundant : dict
        Recovered topics left unmatched that repeat a true topic (within ``threshold`` of it):
        name -> the true topic's name.
    redundancy : float
        ``len(redundant)`` over the number of recovered topics.
    max_extra_topics : int or None
    documents : DocumentRecovery or None
        With ``documents=``: the model's per-document mixes (and per-token topics, for models
        that keep them) against the truth.
    """

    kind = "topic"

    def __init__(self, rows, distances, match, true_names, recovered_names, metric, threshold,
                 top_n, max_extra_topics=None, documents=None):
        self.max_extra_topics = max_extra_topics
        self.documents = documents
        self.rows = rows
        self.distances = distances
        self.match = match
        self.true_names = true_names
        self.recovered_names = recovered_names
        self.metric = metric
        self.threshold = threshold
        self.top_n = top_n
        self.max_possible = TOPIC_METRICS[metric].max_possible

    @property
    def coverage(self):
        """Fraction of true topics within ``threshold`` of some recovered topic."""
        return float(np.mean(self.distances.min(axis=1) <= self.threshold))

    @property
    def redundant(self):
        """Unmatched recovered topics within ``threshold`` of a true topic: name -> true name."""
        nearest = self.distances.argmin(axis=0)
        names = dict(zip(self.recovered_names, range(len(self.recovered_names)), strict=True))
        return {name: self.true_names[nearest[names[name]]] for name in self.unmatched
                if self.distances[nearest[names[name]], names[name]] <= self.threshold}

    @property
    def redundancy(self):
        """Share of the recovered topics that repeat a true topic another one was matched to."""
        return len(self.redundant) / len(self.recovered_names)

    @property
    def too_many(self):
        """True when more than ``max_extra_topics`` recovered topics beyond the true ones."""
        extra = len(self.recovered_names) - len(self.true_names)
        return self.max_extra_topics is not None and extra > self.max_extra_topics

    @property
    def passed(self):
        """Every true topic found, and not more than ``max_extra_topics`` extra topics."""
        return super().passed and not self.too_many

    def _summary(self):
        lines = super()._summary()
        extra = len(self.recovered_names) - len(self.true_names)
        if extra > 0:
            repeats = ", ".join(f"{r} ~ {t}" for r, t in self.redundant.items())
            lines.append(
                f"{len(self.recovered_names)} recovered for {len(self.true_names)} true topics: "
                f"coverage {self.coverage:.2f}, redundancy {self.redundancy:.2f}"
                + (f" ({repeats})" if repeats else ""))
        if self.too_many:
            lines.append(f"too many topics: {extra} extra, max_extra_topics="
                         f"{self.max_extra_topics}")
        if self.documents is not None:
            lines.append(self.documents.summary())
        return lines

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


#: A true topic's "words" for the diffuse note: those holding this much of its mass.
DIFFUSE_TRUE_MASS = 0.9


def _diffuse(p, q):
    """The note for a recovered topic with the right top words but too far: how much of its
    mass lies outside the words that hold ``DIFFUSE_TRUE_MASS`` of the true topic's."""
    order = np.argsort(-p, kind="stable")
    words = order[:np.searchsorted(np.cumsum(p[order]), DIFFUSE_TRUE_MASS) + 1]
    return f"diffuse: {1 - q[words].sum():.0%} of its mass outside the true words"


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
        found = bool(distances[k, j] <= threshold)
        note = notes[k] if found or precision < 1 else "; ".join(
            filter(None, [_diffuse(p[k], q[j]), notes[k]]))
        rows.append(TopicMatch(true_names[k], recovered_names[j], float(distances[k, j]),
                               precision, found, true_words, recovered_words, note))
    return rows


def match_topics(truth, recovered, *, vocabulary=None, metric="hellinger", top_n=10,
                 threshold=None, max_extra_topics=None, documents=None):
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
        - a gensim ``LdaModel``, ``LdaMulticore``, ``HdpModel`` or any object with
          ``get_topics()`` and ``id2word`` (the full topic matrix, words from ``id2word``);
        - a trained tomotopy model (``LDAModel`` and its subclasses: CTM, PA's sub-topics,
          HDP's live topics only), words from ``used_vocabs``;
        - a fitted sklearn ``Pipeline`` ending in a vectorizer (and any transformers) then a
          topic model, words from the vectorizer;
        - a pair ``(topics, words)``: a (K, V) array, or a fitted sklearn
          ``LatentDirichletAllocation``/``NMF`` or ``lda.LDA`` (its ``components_``), and the
          word of each column (e.g. ``CountVectorizer.get_feature_names_out()``);
        - a (K, V) array, such a model, or OCTIS output (a dict with
          ``"topic-word-matrix"``) alone, with ``vocabulary=``;
        - any type given an adapter with :func:`register_topic_adapter`;
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
        ``DEFAULT_TOPIC_THRESHOLDS[metric]``: hellinger 0.3, jensen_shannon 0.3, cosine 0.09,
        l1 0.35, calibrated on real gensim, sklearn, tomotopy, ``lda`` and NMF fits
        (``docs/calibration.md``, ``benchmarks/calibrate_thresholds.py``).
    max_extra_topics : int, default=None
        The most recovered topics beyond the true ones before the report fails (None: any).
        More recovered than true topics always adds coverage and redundancy to the report.
    documents : SampledCorpus, default=None
        The corpus the model saw (or one held out from the same truth): the report's
        ``documents`` then says how far the model's per-document mixes are from the true
        ``doc_topic`` and, for models that keep token assignments, how many tokens got their
        true topic (tomotopy's sampled topics; for ``lda.LDA``, which deletes them, each
        token's most probable topic under its final counts).

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
    chosen = _check_metric(metric)
    top_n = check_positive_int(top_n, "top_n")
    threshold = _check_threshold(threshold, chosen.default_threshold)
    if max_extra_topics is not None:
        max_extra_topics = check_positive_int(max_extra_topics, "max_extra_topics", minimum=0)
    if documents is not None:
        _check_documents(documents)
    p, truth_words, true_names = topics_of(truth, "truth", vocabulary)
    q, recovered_words, recovered_names = topics_of(recovered, "recovered", vocabulary)
    p, q, words = align(truth_words, recovered_words, p, q)
    distances = chosen.function(p, q)
    match = one_to_one(distances)
    rows = _rows(p, q, words, distances, match, (true_names, recovered_names), threshold, top_n,
                 chosen.max_possible)
    judged = None if documents is None else document_recovery(
        recovered, documents, recovered_words, match, true_names)
    return TopicMatchReport(rows, distances, match, true_names, recovered_names, metric,
                            threshold, top_n, max_extra_topics, judged)


def assert_topics_recovered(truth, recovered, *, vocabulary=None, metric="hellinger", top_n=10,
                            threshold=None, max_extra_topics=None, documents=None):
    """Assert every true topic was recovered; the ``AssertionError`` message is the table.

    Made for model-validation tests in pytest: the failure shows which topics were lost, with
    their top words on both sides.

    Parameters
    ----------
    truth, recovered : topic-bearing object
        As for :func:`match_topics`.
    vocabulary, metric, top_n, threshold, max_extra_topics, documents
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
                                      top_n=top_n, threshold=threshold,
                                      max_extra_topics=max_extra_topics, documents=documents))
