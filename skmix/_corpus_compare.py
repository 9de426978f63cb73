"""How alike two corpora are: a real one and a synthetic look-alike (:func:`compare_corpora`)."""

from dataclasses import dataclass, field

import numpy as np
import scipy.stats

from ._matching import format_table
from ._text_stats import text_statistics, topic_structure, word_ids
from ._validation import check_positive_int

__all__ = ["CorpusCheck", "CorpusComparison", "compare_corpora"]

#: Default thresholds of :func:`compare_corpora`: ``min_pvalue`` of the document-length KS
#: test, ``min_spearman`` of the word-frequency rank correlation, ``min_coverage`` of the real
#: tokens whose word the synthetic corpus uses.
DEFAULT_CORPUS_THRESHOLDS = {"min_pvalue": 0.01, "min_spearman": 0.6, "min_coverage": 0.9,
                             "max_relative_error": 0.1, "min_structure": 0.05}

#: The text statistics compared (see :mod:`skmix._text_stats`): attribute -> what a row says.
_TEXT_CHECKS = {
    "burstiness": "burstiness (repeats, top 200 words)",
    "heaps_beta": "vocabulary growth: Heaps beta",
    "hapax_share": "share of words seen once",
    "vocabulary_size": "distinct words",
    "distinct_per_document": "distinct words per document",
}


@dataclass(frozen=True)
class CorpusCheck:
    """One line of a :class:`CorpusComparison`: a statistic, its threshold and the verdict."""

    name: str
    value: float
    threshold: str
    passed: bool


@dataclass(frozen=True)
class CorpusComparison:
    """How alike a real and a synthetic corpus are (see :func:`compare_corpora`).

    Attributes
    ----------
    n_documents, n_tokens : tuple of int
        (real, synthetic).
    length_ks_statistic, length_ks_pvalue : float
        Two-sample Kolmogorov-Smirnov test of the document lengths (``scipy.stats.ks_2samp``).
    spearman : float
        Spearman rank correlation of the word counts of the real corpus's ``top_n`` most
        frequent words in the two corpora (NaN when either side is constant).
    top_n : int
        The number of real words that correlation is taken over.
    coverage : float
        Fraction of the real tokens whose word occurs in the synthetic corpus.
    vocabulary_coverage : float
        Fraction of the real corpus's distinct words that occur in the synthetic corpus.
    novel_fraction : float
        Fraction of the synthetic tokens whose word never occurs in the real corpus.
    checks : list of CorpusCheck
        The verdicts: lengths, word ranks, coverage, then each text statistic (its relative
        error) and the topic structure.
    statistics : dict of str to tuple of float
        Each text statistic (burstiness, Heaps beta, hapax share, vocabulary size, distinct
        words per document), (real, synthetic); those that grow with corpus size are taken
        on as many tokens on both sides (the first documents of the larger corpus).
    structure : tuple of float
        The topic structure (:func:`~skmix._text_stats.topic_structure`), (real, synthetic):
        near 0 without topics.
    structure_noise : float
        The synthetic structure's scale of chance (the spread of its shuffles').
    passed : bool
        Every check passed.
    """

    n_documents: tuple
    n_tokens: tuple
    length_ks_statistic: float
    length_ks_pvalue: float
    spearman: float
    top_n: int
    coverage: float
    vocabulary_coverage: float
    novel_fraction: float
    checks: list
    statistics: dict = field(default_factory=dict)
    structure: tuple = (np.nan, np.nan)
    structure_noise: float = np.nan

    @property
    def passed(self):
        """True when every check passes."""
        return all(check.passed for check in self.checks)

    def __str__(self):
        body = [
            [c.name, f"{c.value:.4g}", c.threshold, "yes" if c.passed else "NO"]
            for c in self.checks
        ]
        facts = [
            f"documents (real, synthetic): {self.n_documents[0]}, {self.n_documents[1]}",
            f"tokens (real, synthetic): {self.n_tokens[0]}, {self.n_tokens[1]}",
            f"length KS statistic: {self.length_ks_statistic:.4f}",
            f"distinct real words the synthetic corpus uses: {self.vocabulary_coverage:.4f}",
            f"synthetic tokens whose word is not in the real corpus: {self.novel_fraction:.4f}",
            f"corpora alike: {'passed' if self.passed else 'NOT passed'}",
        ]
        return "\n".join([format_table(["check", "value", "threshold", "passed"], body), *facts])


def compare_corpora(
    real,
    synthetic,
    *,
    top_n=500,
    min_pvalue=DEFAULT_CORPUS_THRESHOLDS["min_pvalue"],
    min_spearman=DEFAULT_CORPUS_THRESHOLDS["min_spearman"],
    min_coverage=DEFAULT_CORPUS_THRESHOLDS["min_coverage"],
    max_relative_error=DEFAULT_CORPUS_THRESHOLDS["max_relative_error"],
    min_structure=DEFAULT_CORPUS_THRESHOLDS["min_structure"],
):
    """Say how alike two corpora of token lists are, and whether they pass as look-alikes.

    Three checks, each with a threshold: the document lengths are indistinguishable (two-sample
    Kolmogorov-Smirnov p-value > ``min_pvalue``); the real corpus's ``top_n`` most frequent
    words are about as frequent, in the same order, in the synthetic corpus (Spearman rank
    correlation of their counts > ``min_spearman``); the synthetic corpus uses the words that
    make up the real one (the share of real tokens whose word it uses >= ``min_coverage``).
    The rank correlation says something only when word frequencies differ, as in real text
    (Zipf's law); over words of equal frequency (the bars) their order is noise.

    Then what tells real text from a plain topic-model sample (:mod:`skmix._text_stats`):
    burstiness, Heaps beta, the share of words seen once, the number of distinct words and
    distinct words per document each within ``max_relative_error`` of the real corpus's (the
    size-dependent ones on as many tokens on both sides; Heaps beta and the hapax share,
    near 0 for a closed vocabulary, relative to at least 0.1); and the topic structure,
    different words sharing documents beyond chance, at least ``min_structure`` times the
    real corpus's and 3 standard deviations of chance. A corpus whose tokens were shuffled
    across documents, or drawn from one topic, has none (on gensim's Lee corpus, see
    ``docs/guide/realism.md``).

    Parameters
    ----------
    real, synthetic : iterable of list of str, or SampledCorpus
        The corpora, each read once (a one-shot generator works).
    top_n : int, default=500
        How many of the real corpus's most frequent words the rank correlation is taken over.
    min_pvalue : float, default=0.01
        Lengths pass when the KS test's p-value is above it.
    min_spearman : float, default=0.6
        Word ranks pass when the rank correlation is above it.
    min_coverage : float, default=0.9
        Coverage passes at or above it.
    max_relative_error : float, default=0.1
        Each text statistic passes when ``|synthetic / real - 1|`` is at most this.
    min_structure : float, default=0.05
        The topic structure passes when the synthetic corpus's is at least this times the
        real one's (always when the real corpus shows none).

    Returns
    -------
    report : CorpusComparison
        ``str(report)`` is a readable table; ``report.passed`` the verdict.

    Examples
    --------
    >>> from skmix.compare import compare_corpora
    >>> real = [["a", "b", "a"], ["b", "c"], ["a"]] * 20
    >>> report = compare_corpora(real, real)
    >>> report.passed, round(report.spearman, 3), report.coverage
    (True, 1.0, 1.0)
    >>> [round(value, 3) for value in report.statistics["burstiness"]]  # 1 token in 6 repeats
    [0.167, 0.167]
    """
    top_n = check_positive_int(top_n, "top_n")
    _check_threshold(min_pvalue, "min_pvalue")
    _check_threshold(min_spearman, "min_spearman")
    _check_threshold(min_coverage, "min_coverage")
    _check_threshold(max_relative_error, "max_relative_error")
    _check_threshold(min_structure, "min_structure")
    real_ids = _sorted_ids(*word_ids(real, "real"))
    synthetic_ids = _sorted_ids(*word_ids(synthetic, "synthetic"))
    real_words, real_counts, real_lengths = _word_counts(*real_ids)
    synthetic_words, synthetic_counts, synthetic_lengths = _word_counts(*synthetic_ids)
    in_synthetic = np.isin(real_words, synthetic_words[synthetic_counts > 0])
    in_real = np.isin(synthetic_words, real_words)
    ks = scipy.stats.ks_2samp(real_lengths, synthetic_lengths)
    spearman, used = _rank_correlation(real_words, real_counts, synthetic_words, synthetic_counts,
                                       top_n)
    coverage = real_counts[in_synthetic].sum() / real_counts.sum()
    checks = [
        CorpusCheck("document lengths: KS p-value", float(ks.pvalue), f"> {min_pvalue}",
                    bool(ks.pvalue > min_pvalue)),
        CorpusCheck(f"top-{used} word ranks: Spearman", float(spearman), f"> {min_spearman}",
                    bool(spearman > min_spearman)),
        CorpusCheck("real tokens covered", float(coverage), f">= {min_coverage}",
                    bool(coverage >= min_coverage)),
    ]
    statistics = _text_statistics(real_ids, synthetic_ids)
    real_structure, _ = topic_structure(*real_ids[:2])
    synthetic_structure, noise = topic_structure(*synthetic_ids[:2])
    structure = (real_structure, synthetic_structure)
    checks += _text_checks(statistics, max_relative_error)
    checks.append(_structure_check(structure, noise, min_structure))
    return CorpusComparison(
        n_documents=(real_lengths.size, synthetic_lengths.size),
        n_tokens=(int(real_counts.sum()), int(synthetic_counts.sum())),
        length_ks_statistic=float(ks.statistic),
        length_ks_pvalue=float(ks.pvalue),
        spearman=float(spearman),
        top_n=used,
        coverage=float(coverage),
        vocabulary_coverage=float(in_synthetic.mean()),
        novel_fraction=float(synthetic_counts[~in_real].sum() / synthetic_counts.sum()),
        checks=checks,
        statistics=statistics,
        structure=structure,
        structure_noise=noise,
    )


def _text_statistics(real_ids, synthetic_ids):
    """Each text statistic, (real, synthetic), on as many tokens on both sides."""
    real_ids, synthetic_ids = _same_size(real_ids), _same_size(synthetic_ids, real_ids)
    real_ids = _same_size(real_ids, synthetic_ids)
    real = text_statistics(*real_ids[:2]).as_dict()
    synthetic = text_statistics(*synthetic_ids[:2]).as_dict()
    return {name: (real[name], synthetic[name]) for name in _TEXT_CHECKS}


def _same_size(ids, other=None):
    """``ids`` cut to the first documents holding about as many tokens as ``other``."""
    if other is None:
        return ids
    tokens, offsets, words = ids
    n_documents = int(np.searchsorted(offsets, other[1][-1], side="left"))
    n_documents = max(min(n_documents, offsets.size - 1), 1)
    return tokens[: offsets[n_documents]], offsets[: n_documents + 1], words


def _text_checks(statistics, max_relative_error):
    checks = []
    for name, label in _TEXT_CHECKS.items():
        real, synthetic = statistics[name]
        scale = max(abs(real), _ERROR_FLOOR.get(name, 0))
        error = abs(synthetic - real) / scale if scale else float(synthetic != real)
        checks.append(CorpusCheck(f"{label}: {synthetic:.4g} vs {real:.4g}", float(error),
                                  f"<= {max_relative_error}", bool(error <= max_relative_error)))
    return checks


#: Statistics near 0 for a closed vocabulary (Heaps beta, hapax share): errors relative to
#: at least this, so that 0.005 against 0.012 is not a 140% error.
_ERROR_FLOOR = {"heaps_beta": 0.1, "hapax_share": 0.1}


def _structure_check(structure, noise, min_structure):
    """Structure passes at ``min_structure`` times the real one's and 3 noise units, when the
    real corpus shows any (more than 3 units of the synthetic's noise)."""
    real, synthetic = structure
    needed = max(min_structure * real, _STRUCTURE_Z * noise)
    passed = bool(not real > _STRUCTURE_Z * noise or synthetic >= needed)
    return CorpusCheck(f"topic structure (real {real:.3g})", float(synthetic),
                       f">= {min_structure} x real, {_STRUCTURE_Z} x noise", passed)


#: Standard deviations of chance the synthetic structure must clear.
_STRUCTURE_Z = 3


def _check_threshold(value, name):
    low, high = _THRESHOLD_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TypeError(f"{name} must be a number, got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}.")


_THRESHOLD_RANGES = {"min_pvalue": (0, 1), "min_spearman": (-1, 1), "min_coverage": (0, 1),
                     "max_relative_error": (0, np.inf), "min_structure": (0, np.inf)}


def _sorted_ids(ids, offsets, words):
    """A corpus read by ``word_ids`` renumbered in sorted word order: the same numbers for a
    ``SampledCorpus`` and its token lists, so ties between words break the same way."""
    order = np.argsort(words, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[ids], offsets, words[order]


def _word_counts(ids, offsets, words):
    """``(words, counts, doc_lengths)`` of a corpus read by :func:`_sorted_ids`."""
    return words, np.bincount(ids, minlength=len(words)), np.diff(offsets)


def _rank_correlation(real_words, real_counts, synthetic_words, synthetic_counts, top_n):
    """Spearman correlation of the counts of the real ``top_n`` words on the two sides."""
    top = np.argsort(-real_counts, kind="stable")[:top_n]
    position = np.searchsorted(synthetic_words, real_words[top]).clip(max=synthetic_words.size - 1)
    found = synthetic_words[position] == real_words[top]
    other = np.where(found, synthetic_counts[position], 0)
    if np.ptp(real_counts[top]) == 0 or np.ptp(other) == 0:
        return np.nan, top.size
    return scipy.stats.spearmanr(real_counts[top], other).statistic, top.size
