"""Look-alikes of real text, before and after: the table of docs/guide/realism.md.

For each real corpus shipped with gensim's tests (nothing is downloaded): the corpus's
statistics (burstiness of the top 200 words, Heaps beta, share of words seen once, distinct
words, distinct words per document; see ``skmix._text_stats``), then those of a same-size
look-alike sampled from a plain LDA fit ("before") and from a fit with
``background="auto", burstiness="auto", new_words="auto"`` ("after"), each as a ratio to the
real value (target: after within 10%, i.e. 0.90 to 1.10), the verdict of
``compare_corpora``, and the topic structure it measures for the look-alikes and for two
negative controls: the corpus's tokens shuffled across documents and a one-topic look-alike.
Fits use ``passes=10, n_init=1, random_state=0``; the look-alikes are drawn with
``random_state=1``.

Run: ``python benchmarks/lookalike_stats.py`` (``--lee`` for the Lee corpus only, about a
minute).
"""

import sys
import time

import numpy as np
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from skmix import TopicMixtureGenerator
from skmix._text_stats import text_statistics, word_ids
from skmix.compare import compare_corpora

#: name -> (file in gensim's test data, how a line becomes tokens, topics to fit)
CORPORA = {
    "Lee (lee_background.cor)": ("lee_background.cor", simple_preprocess, 10),
    "Wikipedia (head500.noblanks.cor)": ("head500.noblanks.cor", str.split, 20),
}
STATISTICS = {
    "burstiness": "burstiness (top 200)",
    "heaps_beta": "Heaps beta",
    "hapax_share": "words seen once",
    "vocabulary_size": "distinct words",
    "distinct_per_document": "distinct / document",
}
FIT = {"passes": 10, "n_init": 1, "random_state": 0}
AUTO = {"background": "auto", "burstiness": "auto", "new_words": "auto"}


def load(file, tokenize):
    with open(datapath(file), encoding="utf-8") as text:
        return [tokenize(line) for line in text if line.strip()]


def shuffled(corpus, seed=0):
    """The corpus's tokens shuffled across documents, lengths kept: text without topics."""
    tokens = np.concatenate([np.array(document, dtype=object) for document in corpus])
    np.random.default_rng(seed).shuffle(tokens)
    return [part.tolist() for part in np.split(tokens, np.cumsum(list(map(len, corpus)))[:-1])]


def statistics(corpus):
    return text_statistics(*word_ids(corpus)[:2]).as_dict()


def table(name, real, n_topics):
    start = time.process_time()
    plain = TopicMixtureGenerator(n_topics=n_topics, **FIT).fit(real)
    auto = TopicMixtureGenerator(n_topics=n_topics, **FIT, **AUTO).fit(real)
    seconds = time.process_time() - start
    before, after = (model.sample(len(real), random_state=1) for model in (plain, auto))
    values = [statistics(corpus) for corpus in (real, before, after)]
    n_tokens = sum(map(len, real))
    print(f"\n{name}: {len(real)} documents, {n_tokens:,} tokens, {n_topics} topics "
          f"(both fits: {seconds:.0f} CPU s)")
    print(f"| {'statistic':22s} | {'real':>8s} | {'before':>8s} | {'after':>8s} "
          f"| {'before/real':>11s} | {'after/real':>10s} |")
    print(f"|{'-' * 24}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 13}|{'-' * 12}|")
    for key, label in STATISTICS.items():
        r, b, a = (v[key] for v in values)
        print(f"| {label:22s} | {r:8.5g} | {b:8.5g} | {a:8.5g} | {b / r:11.3f} | {a / r:10.3f} |")
    for side, corpus in (("before", before), ("after", after)):
        verdict = compare_corpora(real, corpus)
        failed = [check.name.split(":")[0] for check in verdict.checks if not check.passed]
        print(f"compare_corpora {side}: {'passed' if verdict.passed else 'NOT passed'}"
              + (f" (failed: {'; '.join(failed)})" if failed else ""))
    controls = {"shuffled": shuffled(real), "one topic": TopicMixtureGenerator(
        n_topics=1, **FIT, **AUTO).fit(real).sample(len(real), random_state=1)}
    structures = {side: compare_corpora(real, corpus) for side, corpus in
                  {"before": before, "after": after, **controls}.items()}
    real_structure = structures["after"].structure[0]
    print(f"topic structure: real {real_structure:.3f}; " + ", ".join(
        f"{side} {report.structure[1]:.3f} (noise {report.structure_noise:.3f}, "
        f"check {'passed' if report.checks[-1].passed else 'failed'})"
        for side, report in structures.items()))
    print(f"learned: background_rate={auto.background_rate_:.3f}, "
          f"burstiness={auto.burstiness_:.3g}, new_words={auto.new_words_!r}")


def main(names):
    for name in names:
        file, tokenize, n_topics = CORPORA[name]
        table(name, load(file, tokenize), n_topics)


if __name__ == "__main__":
    main(list(CORPORA)[:1] if sys.argv[1:] == ["--lee"] else list(CORPORA))
