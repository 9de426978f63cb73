"""How alike two corpora are: a real one and a synthetic look-alike (:func:`compare_corpora`)."""

from dataclasses import dataclass

import numpy as np
import scipy.stats

from ._corpus import SampledCorpus
from ._matching import format_table
from ._topic_fit import read_token_lists
from ._validation import check_positive_int

__all__ = ["CorpusCheck", "CorpusComparison", "compare_corpora"]

#: Default thresholds of :func:`compare_corpora`: ``min_pvalue`` of the document-length KS
#: test, ``min_spearman`` of the word-frequency rank correlation, ``min_coverage`` of the real
#: tokens whose word the synthetic corpus uses.
DEFAULT_CORPUS_THRESHOLDS = {"min_pvalue": 0.01, "min_spearman": 0.6, "min_coverage": 0.9}


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
        The three verdicts: lengths, word ranks, coverage.
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

    @property
    def passed(self):
        """True when the lengths, word ranks and coverage all pass."""
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
):
    """Say how alike two corpora of token lists are, and whether they pass as look-alikes.

    Three checks, each with a threshold: the document lengths are indistinguishable (two-sample
    Kolmogorov-Smirnov p-value > ``min_pvalue``); the real corpus's ``top_n`` most frequent
    words are about as frequent, in the same order, in the synthetic corpus (Spearman rank
    correlation of their counts > ``min_spearman``); the synthetic corpus uses the words that
    make up the real one (the share of real tokens whose word it uses >= ``min_coverage``).
    The rank correlation says something only when word frequencies differ, as in real text
    (Zipf's law); over words of equal frequency (the bars) their order is noise.

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

    Returns
    -------
    report : CorpusComparison
        ``str(report)`` is a readable table; ``report.passed`` the verdict.

    Examples
    --------
    >>> from skmix.compare import compare_corpora
    >>> real = [["a", "b", "a"], ["b", "c"], ["a"]] * 20
    >>> report = compare_corpora(real, real[::-1])
    >>> report.passed, round(report.spearman, 3), report.coverage
    (True, 1.0, 1.0)
    """
    top_n = check_positive_int(top_n, "top_n")
    _check_threshold(min_pvalue, "min_pvalue")
    _check_threshold(min_spearman, "min_spearman")
    _check_threshold(min_coverage, "min_coverage")
    real_words, real_counts, real_lengths = _word_counts(real, "real")
    synthetic_words, synthetic_counts, synthetic_lengths = _word_counts(synthetic, "synthetic")
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
    )


def _check_threshold(value, name):
    low, high = _THRESHOLD_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TypeError(f"{name} must be a number, got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}.")


_THRESHOLD_RANGES = {"min_pvalue": (0, 1), "min_spearman": (-1, 1), "min_coverage": (0, 1)}


def _word_counts(corpus, name):
    """``(words, counts, doc_lengths)`` of a corpus, read once; ``words`` sorted."""
    if isinstance(corpus, SampledCorpus):
        counts = np.bincount(corpus.token_ids.values, minlength=len(corpus.vocabulary))
        order = np.argsort(corpus.vocabulary.astype(str))
        return corpus.vocabulary.astype(str)[order], counts[order], corpus.doc_lengths
    tokens, lengths = read_token_lists(corpus, name)
    words, counts = np.unique(np.array(tokens, dtype=str), return_counts=True)
    return words, counts, lengths


def _rank_correlation(real_words, real_counts, synthetic_words, synthetic_counts, top_n):
    """Spearman correlation of the counts of the real ``top_n`` words on the two sides."""
    top = np.argsort(-real_counts, kind="stable")[:top_n]
    position = np.searchsorted(synthetic_words, real_words[top]).clip(max=synthetic_words.size - 1)
    found = synthetic_words[position] == real_words[top]
    other = np.where(found, synthetic_counts[position], 0)
    if np.ptp(real_counts[top]) == 0 or np.ptp(other) == 0:
        return np.nan, top.size
    return scipy.stats.spearmanr(real_counts[top], other).statistic, top.size
