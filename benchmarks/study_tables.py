"""The published answers of skmix.study, from one command.

Run: ``python benchmarks/study_tables.py [--quick] [--jobs 2] [--out-dir study-tables]``
(the default run fits a few hundred models, many of them for seconds: plan on an hour or so
on 2 cores; ``--quick`` took 4 minutes for the bars table on a loaded 2-core machine, with too
few repeats and sizes for its answers to be more than a smoke test). Every study writes its rows to
``OUT_DIR/<name>.jsonl`` as they finish, so an interrupted run continues where it stopped;
its curves go to ``OUT_DIR/<name>.png``. The tables are printed as markdown.

1. Topics: the bars of Griffiths & Steyvers (10 topics, 100 words a document) at alpha 0.1
   and 1, and, when ``skmix.datasets.make_topics`` exists, a Zipf-law truth of 10 topics at
   three mean overlaps: the smallest corpus at which gensim, sklearn, tomotopy and lda (each
   with the settings of ``skmix.study.fitter``) recover every topic in 80% of the repeats,
   and each fitter's reseed ceiling.
2. K selection on the bars (alpha 1, planted K = 10): the K each criterion picks.
3. Gaussian mixtures at three overlaps (``make_gaussian_mixture`` when it exists, otherwise
   the worksheet's three Gaussians with their covariances scaled by 1, 3 and 9): the sample
   size at which GaussianMixture and KMeans recover the components in 80% of the repeats, and
   whether BIC finds K.
"""

import argparse
import os

from skmix import GaussianMixtureSampler, TopicMixtureGenerator
from skmix.datasets import bars_topics, worksheet_gaussians
from skmix.study import KSelectionStudy, RecoveryStudy, fitter

TOPIC_FITTERS = ("gensim", "sklearn", "tomotopy", "lda")


class ZipfTopics:
    """A ``make_topics`` truth (10 topics over 1,000 words) at a chosen mean overlap."""

    def __call__(self, mean_overlap, doc_topic_prior=0.1):
        from skmix.datasets import make_topics

        made = make_topics(n_topics=10, n_words=1000, mean_overlap=mean_overlap, random_state=0)
        return TopicMixtureGenerator(**made, doc_topic_prior=doc_topic_prior, doc_length=100)


class Gaussians:
    """Three 2-D Gaussians at a chosen overlap: ``make_gaussian_mixture``, or the worksheet's
    with scaled covariances when that function is not there."""

    def __call__(self, overlap):
        try:
            from skmix.datasets import make_gaussian_mixture
        except ImportError:
            truth = worksheet_gaussians()
            return GaussianMixtureSampler(means=truth["means"],
                                          covariances=truth["covariances"] * overlap)
        return GaussianMixtureSampler(**make_gaussian_mixture(
            n_components=3, n_features=2, mean_overlap=overlap, random_state=0))


def has(name):
    import skmix.datasets

    return hasattr(skmix.datasets, name)


def markdown(frame):
    import pandas

    columns = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join("-" if pandas.isna(v) else str(v) for v in row) + " |")
    return "\n".join(lines)


def run(study, name, args):
    path = os.path.join(args.out_dir, f"{name}.jsonl")
    results = study.run(out=path, progress=True)
    try:
        import matplotlib

        matplotlib.use("Agg")
        results.plot(path=os.path.join(args.out_dir, f"{name}.png"))
    except ImportError:
        pass
    return results


def topic_fitters(quick):
    if quick:
        return {"gensim": fitter("gensim", passes=5), "sklearn": fitter("sklearn", max_iter=20),
                "tomotopy": fitter("tomotopy", iterations=300), "lda": fitter("lda", n_iter=200)}
    return {name: fitter(name) for name in TOPIC_FITTERS}


def bars_answers(args):
    sizes = [100, 300] if args.quick else [100, 250, 500, 1000, 2000]
    truth = TopicMixtureGenerator(bars_topics(), doc_length=100)
    study = RecoveryStudy(truth, topic_fitters(args.quick),
                          grid={"n_documents": sizes, "doc_topic_prior": [0.1, 1.0]},
                          n_repeats=args.repeats, n_jobs=args.jobs, random_state=0)
    results = run(study, "bars_recovery", args)
    print("## Bars: smallest corpus recovered in 80% of repeats (documents of 100 words)\n")
    print(markdown(results.min_sizes(0.8)))
    print("\nReseed ceiling (two refits on the largest corpus, matched to each other):\n")
    print(markdown(results.reseed_ceiling().round(3)))


def overlap_answers(args):
    if not has("make_topics"):
        print("\n(make_topics is not in this skmix: the overlap table is skipped)")
        return
    sizes = [100, 300] if args.quick else [100, 250, 500, 1000, 2000]
    study = RecoveryStudy(ZipfTopics(), topic_fitters(args.quick),
                          grid={"n_documents": sizes, "mean_overlap": [0.05, 0.1, 0.2]},
                          n_repeats=args.repeats, n_jobs=args.jobs, random_state=0)
    try:
        results = run(study, "zipf_overlap_recovery", args)
    except ValueError as exc:  # an overlap make_topics cannot reach
        print(f"\n(make_topics refused the overlaps: {exc})")
        return
    print("\n## make_topics truth (Zipf, 10 topics, alpha 0.1): smallest corpus, by overlap\n")
    print(markdown(results.min_sizes(0.8)))


def k_answers(args):
    k_values = [5, 10, 15] if args.quick else [5, 8, 10, 12, 15, 20]
    truth = TopicMixtureGenerator(bars_topics(), doc_topic_prior=1.0, doc_length=100)
    study = KSelectionStudy(truth, topic_fitters(args.quick)["tomotopy"], k_values,
                            grid={"n_documents": [300 if args.quick else 1000]},
                            n_repeats=args.repeats, n_jobs=args.jobs, random_state=0)
    results = run(study, "bars_k_selection", args)
    print("\n## Bars (alpha 1, planted K = 10, tomotopy): the K each criterion picks\n")
    print(markdown(results.pick_summary()))
    print("\nCoverage and redundancy per K:\n")
    print(markdown(results.by_k()[["k", "coverage", "redundancy", "passed"]].round(3)))


def gaussian_answers(args):
    overlaps = [0.001, 0.01, 0.05] if has("make_gaussian_mixture") else [1.0, 3.0, 9.0]
    key = "mean overlap" if has("make_gaussian_mixture") else "covariance scale"
    sizes = [30, 100, 300] if args.quick else [30, 100, 300, 1000, 3000]
    fitters = {"GaussianMixture": fitter("gaussian_mixture", n_init=3),
               "KMeans": fitter("kmeans", n_init=10)}
    study = RecoveryStudy(Gaussians(), fitters,
                          grid={"n_samples": sizes, "overlap": overlaps},
                          n_repeats=args.repeats, n_jobs=args.jobs, random_state=0)
    results = run(study, "gaussian_recovery", args)
    print(f"\n## Three 2-D Gaussians ({key}): smallest sample recovered in 80% of repeats\n")
    print(markdown(results.min_sizes(0.8)))
    k_study = KSelectionStudy(Gaussians(), fitters["GaussianMixture"], [1, 2, 3, 4, 5, 6],
                              grid={"n_samples": [300, 1000], "overlap": overlaps},
                              criteria=["bic", "aic", "silhouette"], n_repeats=args.repeats,
                              n_jobs=args.jobs, random_state=0)
    k_results = run(k_study, "gaussian_k_selection", args)
    print("\nDoes BIC (and AIC, silhouette) find K = 3?\n")
    print(markdown(k_results.pick_summary()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few sizes and repeats")
    parser.add_argument("--jobs", type=int, default=2, help="rows run in parallel")
    parser.add_argument("--repeats", type=int, default=None,
                        help="repeats per cell (default 5; 2 with --quick)")
    parser.add_argument("--out-dir", default="study-tables",
                        help="results (JSONL, resumed) and plots")
    parser.add_argument("--only", choices=["bars", "overlap", "k", "gaussian"], default=None,
                        help="one table only")
    args = parser.parse_args()
    args.repeats = args.repeats or (2 if args.quick else 5)
    os.makedirs(args.out_dir, exist_ok=True)
    tables = {"bars": bars_answers, "overlap": overlap_answers, "k": k_answers,
              "gaussian": gaussian_answers}
    for name, table in tables.items():
        if args.only in (None, name):
            table(args)


if __name__ == "__main__":
    main()
