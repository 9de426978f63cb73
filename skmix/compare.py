"""Compare what a model recovered with the truth it was trained on.

- :func:`match_topics` / :func:`assert_topics_recovered`: topics (gensim and sklearn LDA, skmix
  generators and corpora, arrays, word lists) matched one-to-one to the true topics by their words.
- :func:`match_components` / :func:`assert_components_recovered`: the components of a fitted
  Gaussian mixture matched to the true ones, with label agreement when labels are given.
- :func:`register_topic_adapter`: teach ``match_topics`` to read another kind of model.
- :func:`compare_corpora`: how alike a real corpus and a synthetic look-alike are (document
  lengths, word-frequency ranks, vocabulary coverage).
- :func:`overlap`: MixSim's pairwise misclassification overlap of a Gaussian mixture or a set of
  topics (how hard they are to tell apart).

Both matchings are Hungarian (``scipy.optimize.linear_sum_assignment``) on a distance matrix, and
both reports have ``rows``, ``distances``, ``passed``, a readable ``str()`` table and ``plot()``.
"""

from ._adapters import register_topic_adapter
from ._component_match import (
    DEFAULT_COMPONENT_THRESHOLD,
    ComponentMatch,
    ComponentMatchReport,
    assert_components_recovered,
    match_components,
)
from ._corpus_compare import (
    DEFAULT_CORPUS_THRESHOLDS,
    CorpusCheck,
    CorpusComparison,
    compare_corpora,
)
from ._metrics import DEFAULT_TOPIC_THRESHOLDS
from ._overlap import OverlapMap, overlap
from ._topic_match import (
    TopicMatch,
    TopicMatchReport,
    assert_topics_recovered,
    match_topics,
)

__all__ = [
    "DEFAULT_COMPONENT_THRESHOLD",
    "DEFAULT_CORPUS_THRESHOLDS",
    "DEFAULT_TOPIC_THRESHOLDS",
    "ComponentMatch",
    "ComponentMatchReport",
    "CorpusCheck",
    "CorpusComparison",
    "OverlapMap",
    "TopicMatch",
    "TopicMatchReport",
    "assert_components_recovered",
    "assert_topics_recovered",
    "compare_corpora",
    "match_components",
    "match_topics",
    "overlap",
    "register_topic_adapter",
]
