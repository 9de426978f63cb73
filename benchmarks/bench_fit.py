"""Fit times and recovery of TopicMixtureGenerator.fit(X), gensim, sklearn and tomotopy backends.

Run: ``python benchmarks/bench_fit.py`` (a few minutes on 2 cores).

Three corpora: gensim's Lee news articles (300 documents, 20 topics), the bars of Griffiths &
Steyvers with alpha = 0.1 (3,000 documents of 100 words) and with alpha = 1 (2,000 documents,
the paper's corpus). For each, the baseline is gensim's ``LdaModel`` with its own defaults (one
pass, the whole corpus as one chunk, symmetric alpha), timed in the same run; skmix's defaults
(``passes=20, iterations=100, chunksize=100, n_init=5``; sklearn makes one flat-prior fit more
to estimate alpha; tomotopy makes 25 Gibbs sweeps per pass) are given as a ratio of that time.
``--only-bars [BACKEND ...]`` runs the alpha = 1 bars alone (all three backends, or those
named), timed in one run.
Recovery is the Hungarian-matched Hellinger distance to the true topics (worst / mean, from
``skmix.compare.match_topics``); for Lee, the look-alike's ``compare_corpora`` figures.
A last table shows why ``passes=20`` and ``n_init=5``: single runs on the alpha = 1 bars at 10
and 20 passes, with the variational bound each restart is ranked by.
"""

import sys
import time

import numpy as np
from gensim.matutils import Sparse2Corpus

from skmix import TopicMixtureGenerator
from skmix._corpus_compare import compare_corpora
from skmix._topic_fit import document_term_counts
from skmix.compare import match_topics
from skmix.datasets import bars_topics


def lee_corpus():
    from gensim.parsing.preprocessing import STOPWORDS
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as lines:
        return [[w for w in simple_preprocess(line) if w not in STOPWORDS] for line in lines]


def bars_truth(alpha):
    return TopicMixtureGenerator(bars_topics(5), doc_topic_prior=alpha, doc_length=100).fit()


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def gensim_baseline(docs, n_topics):
    """gensim's LdaModel as its documentation starts it: its own defaults."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    dictionary = Dictionary(docs)
    bow = [dictionary.doc2bow(doc) for doc in docs]
    return LdaModel(bow, num_topics=n_topics, id2word=dictionary, random_state=0)


def recovery(truth, recovered):
    if truth is None:
        return "-"
    report = match_topics(truth, recovered)
    verdict = "found" if report.passed else "NOT found"
    return f"{report.max_distance:.3f} / {report.mean_distance:.3f} {verdict}"


def look_alike(docs, generator):
    report = compare_corpora(docs, generator.sample(3000, random_state=1))
    return f"KS p={report.length_ks_pvalue:.2f} Spearman={report.spearman:.2f}"


BACKENDS = ("gensim", "sklearn", "tomotopy")


def bench_corpus(name, docs, n_topics, truth, backends=BACKENDS):
    print(f"\n{name}: {len(docs)} documents, {sum(map(len, docs))} tokens, {n_topics} topics")
    print(f"{'fit':<34} {'seconds':>8} {'ratio':>6}  {'worst / mean Hellinger':<26} extra")
    baseline, base_time = timed(lambda: gensim_baseline(docs, n_topics))
    print(f"{'gensim LdaModel, its defaults':<34} {base_time:8.1f} {1.0:6.1f}  "
          f"{recovery(truth, baseline):<26}")
    for backend in backends:
        generator = TopicMixtureGenerator(n_topics=n_topics, backend=backend, random_state=0)
        generator, seconds = timed(lambda g=generator: g.fit(docs))
        alpha = generator.doc_topic_prior_
        extra = f"alpha mean {alpha.mean():.3f} [{alpha.min():.3f}, {alpha.max():.3f}]"
        if truth is None:
            extra += "  " + look_alike(docs, generator)
        label = f"skmix {backend}, defaults (n_init={generator.n_init})"
        print(f"{label:<34} {seconds:8.1f} "
              f"{seconds / base_time:6.1f}  {recovery(truth, generator):<26} {extra}")


def bench_passes(docs, truth):
    print("\nbars alpha=1: single gensim runs (n_init=1): why 20 passes, and why restarts")
    print(f"{'passes':>6} {'seed':>4} {'seconds':>8} {'bound':>9}  worst / mean Hellinger")
    for passes in (10, 20):
        for seed in range(4):
            generator = TopicMixtureGenerator(n_topics=10, passes=passes, n_init=1,
                                              random_state=seed)
            generator, seconds = timed(lambda g=generator: g.fit(docs))
            counts, _ = document_term_counts(docs, list(generator.vocabulary_))
            bound = generator.model_.bound(Sparse2Corpus(counts, documents_columns=False))
            print(f"{passes:6d} {seed:4d} {seconds:8.1f} {bound:9.0f}  "
                  f"{recovery(truth, generator)}")


def main():
    np.set_printoptions(precision=3)
    if "--only-bars" in sys.argv:
        truth = bars_truth(1.0)
        chosen = [b for b in sys.argv[sys.argv.index("--only-bars") + 1:] if b in BACKENDS]
        bench_corpus("bars, alpha=1.0", list(truth.sample(2000, random_state=0)), 10, truth,
                     chosen or BACKENDS)
        return
    bench_corpus("Lee news articles (gensim test data)", lee_corpus(), 20, None)
    for alpha, n_docs in ((0.1, 3000), (1.0, 2000)):
        truth = bars_truth(alpha)
        docs = list(truth.sample(n_docs, random_state=0))
        bench_corpus(f"bars, alpha={alpha}", docs, 10, truth)
    truth = bars_truth(1.0)
    bench_passes(list(truth.sample(2000, random_state=0)), truth)


if __name__ == "__main__":
    main()
