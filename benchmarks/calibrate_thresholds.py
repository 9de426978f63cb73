"""Calibrate skmix.compare's default thresholds on real gensim and sklearn fits.

Draws LDA corpora from known topics, fits them with settings that find the topics and settings
that do not, and prints, per fit and per metric, the worst and mean matched distance to the truth
and whether the default threshold calls the fit found. Independently of any distance, a fit is
right when the topic matched to each true topic puts at least 80% of its probability on that
topic's words ("share", the smallest over topics; the bars are uniform over 5 words) and gives
each of those words at least half its true probability ("ratio", the smallest recovered/true
ratio): the right words in roughly the right proportions. The defaults must agree with it.
Then: on the worksheet's two word groups (documents with Dirichlet
mixes), the corpus sizes at which gensim and sklearn find the groups; and EM fits of the
worksheet's three Gaussians for the component threshold.

Run: python benchmarks/calibrate_thresholds.py   (about 10 minutes on 2 busy cores)
"""

import argparse
import time
import warnings

import numpy as np
from gensim.corpora import Dictionary
from gensim.matutils import corpus2csc
from gensim.models import LdaModel
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.mixture import GaussianMixture

from skmix import TopicMixtureGenerator
from skmix._adapters import topics_of
from skmix._matching import format_table
from skmix._topic_match import align
from skmix.compare import (
    DEFAULT_COMPONENT_THRESHOLD,
    DEFAULT_TOPIC_THRESHOLDS,
    match_components,
    match_topics,
)
from skmix.datasets import bars_topics, worksheet_gaussians, worksheet_topics

METRICS = list(DEFAULT_TOPIC_THRESHOLDS)


def _corpus(topics, n_docs, doc_length, alpha, seed):
    """Token lists from LDA over ``topics``: Dirichlet(alpha) mixes, ``doc_length`` words."""
    generator = TopicMixtureGenerator(topics, doc_topic_prior=alpha, doc_length=doc_length,
                                      random_state=seed)
    return list(generator.fit().sample(n_docs, random_state=seed))


def _gensim(docs, k, seed, **options):
    dictionary = Dictionary(docs)
    bow = [dictionary.doc2bow(doc) for doc in docs]
    return LdaModel(bow, num_topics=k, id2word=dictionary, random_state=seed, **options)


def _sklearn(docs, k, seed, **options):
    dictionary = Dictionary(docs)
    counts = corpus2csc([dictionary.doc2bow(doc) for doc in docs],
                        num_terms=len(dictionary)).T.tocsr()
    words = [dictionary[i] for i in range(len(dictionary))]
    model = LatentDirichletAllocation(k, learning_method="batch", random_state=seed, **options)
    return model.fit(counts), words


def _fits(alpha, k):
    """name -> function(docs, seed) returning a recovered-topics object for match_topics."""
    tuned = {"chunksize": 100, "passes": 20, "alpha": "auto"}
    # three gensim runs: variational LDA lands in a local optimum about one run in three
    restarts = {f"gensim chunksize=100 passes=20 alpha=auto, run {r}":
                lambda d, s, r=r: _gensim(d, k, 100 * r + s, **tuned) for r in range(3)}
    return {
        **restarts,
        "gensim defaults (chunksize=corpus, 1 pass)": lambda d, s: _gensim(d, k, s),
        "gensim 1 pass on 20 documents": lambda d, s: _gensim(d[:20], k, s, chunksize=100),
        "sklearn batch 100 it, true prior": lambda d, s: _sklearn(
            d, k, s, max_iter=100, doc_topic_prior=alpha),
        "sklearn batch 10 it": lambda d, s: _sklearn(d, k, s, max_iter=10),
        f"gensim as above, {k - 1} topics (merges)": lambda d, s: _gensim(d, k - 1, s, **tuned),
    }


def _recovery(truth, recovered, report):
    """The worst matched topic's share of probability on its true topic's words, and the
    smallest ratio recovered/true probability over those words (1 and 1 when exact)."""
    p, truth_words, _ = topics_of(truth, "truth")
    q, recovered_words, _ = topics_of(recovered, "recovered")
    p, q, _ = align(truth_words, recovered_words, p, q)
    shares, ratios = [], []
    for k, j in enumerate(report.match):
        words = p[k] > 0
        shares.append(q[j][words].sum() if j >= 0 else 0.0)
        ratios.append((q[j][words] / p[k][words]).min() if j >= 0 else 0.0)
    return min(shares), min(ratios)


def _row(label, name, seconds, truth, recovered):
    reports = {m: match_topics(truth, recovered, metric=m, top_n=5) for m in METRICS}
    share, ratio = _recovery(truth, recovered, reports["hellinger"])
    right = share >= 0.8 and ratio >= 0.5
    cells = [f"{r.max_distance:.2f}/{r.mean_distance:.2f} {'found' if r.passed else 'NOT'}"
             for r in reports.values()]
    agree = all(r.passed == right for r in reports.values())
    return [label, name, f"{seconds:.1f}", f"{share:.2f} {ratio:.2f} {'yes' if right else 'no'}",
            *cells,
            "" if agree else "DISAGREES"]


def bars_table(alphas, sizes, seeds):
    truth = bars_topics(5)
    header = ["corpus", "fit", "fit s", "share ratio right",
              *[f"{m} <= {DEFAULT_TOPIC_THRESHOLDS[m]:g}" for m in METRICS], ""]
    rows = []
    for alpha in alphas:
        for n_docs in sizes:
            for seed in seeds:
                docs = _corpus(truth, n_docs, 100, alpha, seed)
                for name, fit in _fits(alpha, len(truth)).items():
                    start = time.perf_counter()
                    recovered = fit(docs, seed)
                    label = f"bars a={alpha:g} n={n_docs} seed={seed}"
                    rows.append(_row(label, name, time.perf_counter() - start, truth, recovered))
                    print(format_table(header, rows[-1:]).splitlines()[-1], flush=True)
    merged = dict(truth)
    merged["row0"] = truth["row0"] + truth["row1"]
    rows.append(_row("bars", "the truth with row0+row1 merged", 0.0, truth, merged))
    return format_table(header, rows)


def worksheet_sizes(sizes, alpha, seeds):
    """For each size: how many seeds' fits find both worksheet groups, per library."""
    truth = worksheet_topics()
    fits = {
        "gensim chunksize=100 passes=20 alpha=auto": lambda d, s: _gensim(
            d, 2, s, chunksize=100, passes=20, alpha="auto"),
        "sklearn batch 100 it": lambda d, s: _sklearn(d, 2, s, max_iter=100,
                                                      doc_topic_prior=alpha),
    }
    rows = []
    for n_docs in sizes:
        for name, fit in fits.items():
            found, worst, seconds = 0, [], 0.0
            for seed in seeds:
                docs = _corpus(truth, n_docs, 20, alpha, seed)
                start = time.perf_counter()
                report = match_topics(truth, fit(docs, seed))
                seconds += time.perf_counter() - start
                found += report.passed
                worst.append(report.max_distance)
            rows.append([n_docs, name, f"{found}/{len(seeds)}",
                         " ".join(f"{w:.2f}" for w in worst), f"{seconds / len(seeds):.1f}"])
            print(format_table(["n"] * 5, rows[-1:]).splitlines()[-1], flush=True)
    header = ["documents", "fit", "found", "worst hellinger per seed", "fit s"]
    return format_table(header, rows)


def gaussian_table(sizes, seeds):
    truth = worksheet_gaussians()
    fits = {
        "GaussianMixture(3)": {"n_components": 3},
        "GaussianMixture(3, diag)": {"n_components": 3, "covariance_type": "diag"},
        "GaussianMixture(3, spherical)": {"n_components": 3, "covariance_type": "spherical"},
        "GaussianMixture(2) (merges)": {"n_components": 2},
    }
    rows = []
    for n in sizes:
        for seed in seeds:
            rng = np.random.default_rng(seed)
            y = rng.integers(0, 3, n)
            X = truth["means"][y] + np.einsum(
                "nij,nj->ni", np.sqrt(truth["covariances"][y]), rng.standard_normal((n, 2)))
            for name, options in fits.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = GaussianMixture(random_state=seed, n_init=3, **options).fit(X)
                report = match_components(truth, model, X=X, labels_true=y)
                rows.append([n, seed, name, f"{report.max_distance:.2f}",
                             f"{report.mean_distance:.2f}", f"{report.adjusted_rand:.2f}",
                             "found" if report.passed else "NOT"])
    header = ["points", "seed", "fit", "worst", "mean", "ARI",
              f"hellinger <= {DEFAULT_COMPONENT_THRESHOLD:g}"]
    return format_table(header, rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="seeds per bars corpus")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    start = time.perf_counter()
    print("Bars (10 topics, 25 words, 100 words a document): worst/mean distance per metric")
    bars = bars_table([0.1, 0.5, 1.0], [500, 2000], seeds)
    print("\nWorksheet groups (20 words a document, Dirichlet alpha=0.5): fits that find both")
    sheet = worksheet_sizes([10, 20, 50, 100, 200, 500], 0.5, [0, 1, 2])
    print("\nWorksheet Gaussians, EM (n_init=3): Hellinger distance between Gaussians")
    gauss = gaussian_table([30, 100, 300, 1000], [0, 1])
    print("\n" + bars + "\n\n" + sheet + "\n\n" + gauss)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
