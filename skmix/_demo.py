"""``skmix demo``: the classroom worksheet from start to finish.

Three 2-D Gaussians are sampled, shown in colour and in one colour, fitted by EM and compared
with the truth. Then two word groups: with the worksheet's coin flip per word no model can find
the groups again, and with a different mix in every document gensim's LdaModel does.
"""

import os
import textwrap

import numpy as np

from ._gaussian import GaussianMixtureSampler
from ._matching import _TITLE_PAD
from ._topics import TopicMixtureGenerator
from .compare import match_components, match_topics
from .datasets import worksheet_gaussians, worksheet_topics

__all__ = ["run_demo"]

N_POINTS = 300
N_DOCS = 200
DOC_LENGTH = 20
DOC_TOPIC_PRIOR = 0.2
# Small chunks and several passes (gensim's default chunk is the whole corpus: one update a
# pass); a few restarts, the best kept by gensim's own bound, never by the truth.
LDA_OPTIONS = {"chunksize": 20, "passes": 20, "alpha": "auto"}
LDA_RESTARTS = 3
SHARED_WORDS = ("merry", "run")
TOP_N = 8  # the groups have 7 and 8 words
PLOTS = ("scatter_colour.png", "scatter_plain.png", "topic_match.png")

WHY_NOT = (
    "Every document has the same 50/50 mixture, so the whole corpus is draws from one word "
    "distribution. Any split of that distribution into two groups explains the data equally "
    "well, so no model can tell the worksheet's groups from any other split."
)


def _say(text=""):
    print(textwrap.indent(text, "  ") if text else "")


def _heading(number, title):
    print()
    print(f"{number}. {title}")
    print("-" * (len(title) + 3))


def _gaussians(seed):
    """Sample the worksheet's Gaussians, fit them back by EM and compare."""
    _heading(1, "Three Gaussians: sample, forget the colours, fit by EM")
    truth = GaussianMixtureSampler(**worksheet_gaussians(), random_state=seed).fit()
    X, y = truth.sample(N_POINTS)
    for k, (mean, cov) in enumerate(zip(truth.means_, truth.covariances_, strict=True)):
        _say(f"component {k}: mean ({mean[0]:g}, {mean[1]:g}), "
             f"covariance diag({cov[0, 0]:g}, {cov[1, 1]:g})")
    _say(f"sampled {N_POINTS} points: {np.bincount(y).tolist()} from the three components")
    _say("Without the colours, could you still tell which point came from which Gaussian?")
    fitted = GaussianMixtureSampler(n_components=3, random_state=seed).fit(X)
    _say(f"EM on the points alone (GaussianMixtureSampler(n_components=3).fit(X)): "
         f"converged={fitted.converged_} after {fitted.n_iter_} iterations")
    report = match_components(truth, fitted, X=X, labels_true=y)
    _say(str(report))
    _say(f"EM's grouping of the points agrees with the true one: adjusted Rand index "
         f"{report.adjusted_rand:.3f} (1 is perfect, 0 is chance).")
    return {"X": X, "y": y, "truth": truth, "fitted": fitted}


def _fit_lda(corpus, seed):
    """gensim's LdaModel on ``corpus``, the best of a few restarts by its variational bound."""
    from gensim.models import LdaModel

    bow, dictionary = corpus.to_bow(), corpus.dictionary()
    models = [
        LdaModel(bow, num_topics=len(corpus.topic_names), id2word=dictionary,
                 random_state=seed + restart, **LDA_OPTIONS)
        for restart in range(LDA_RESTARTS)
    ]
    return max(models, key=lambda model: model.bound(bow))


def _show_documents(corpus, n=3):
    for d in range(n):
        doc, mix = corpus[d], corpus.doc_topic[d]
        shares = ", ".join(
            f"{name} {share:.2f}" for name, share in zip(corpus.topic_names, mix, strict=True)
        )
        _say(f"[{shares}]  {' '.join(doc)}")


def _shared_word_probabilities(model):
    """p(word | recovered topic) of the words both groups share."""
    ids = {word: i for i, word in model.id2word.items()}
    topics = model.get_topics()
    return [
        ", ".join(f"p({word}) = {topics[k, ids[word]]:.3f}" for word in SHARED_WORDS)
        for k in range(topics.shape[0])
    ]


def _topics(topics, prior, seed, number, title):
    """Sample documents from the two word groups, fit gensim LDA, compare with the truth."""
    _heading(number, title)
    generator = TopicMixtureGenerator(topics, doc_topic_prior=prior, doc_length=DOC_LENGTH,
                                      random_state=seed).fit()
    corpus = generator.sample(N_DOCS)
    _say(f"{N_DOCS} documents of {DOC_LENGTH} words; the first three, with their true mix:")
    _show_documents(corpus)
    model = _fit_lda(corpus, seed)
    _say(f"gensim LdaModel(num_topics=2, chunksize={LDA_OPTIONS['chunksize']}, "
         f"passes={LDA_OPTIONS['passes']}), best of {LDA_RESTARTS} restarts:")
    report = match_topics(generator, model, top_n=TOP_N)
    _say(str(report))
    return report, model


def _word_groups(seed):
    topics = worksheet_topics()
    _heading(2, "Two word groups")
    for name, words in topics.items():
        _say(f"{name}: {' '.join(words)}")
    _say(f'"{SHARED_WORDS[0]}" and "{SHARED_WORDS[1]}" are in both groups.')
    coin, _ = _topics(topics, None, seed, 3,
                      "The worksheet's coin flip: each word picks its group 50/50")
    _say()
    _say("Why nothing is found:")
    _say(textwrap.fill(WHY_NOT, width=94))
    mixed, model = _topics(topics, DOC_TOPIC_PRIOR, seed, 4,
                           f"Each document its own mix: proportions ~ Dirichlet({DOC_TOPIC_PRIOR})")
    _say()
    verdict = "found again" if mixed.passed else "NOT found this time"
    _say(f"The groups are {verdict}; the shared words are in both recovered groups:")
    for name, line in zip(mixed.recovered_names, _shared_word_probabilities(model), strict=True):
        _say(f"  {name}: {line}")
    return coin, mixed


def _scatter(ax, X, title):
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title)
    # "datalim": the axes keep the box the layout gave them, so the title stays inside
    ax.set_aspect("equal", adjustable="datalim")


def _coloured(ax, X, y, truth):
    for k, mean in enumerate(truth.means_):
        ax.scatter(*X[y == k].T, s=12, alpha=0.8, color=f"C{k}",
                   label=f"component {k}: mean ({mean[0]:g}, {mean[1]:g})")
    _scatter(ax, X, "The truth: each point coloured by the Gaussian it came from")
    ax.legend(loc="upper right", fontsize="small")


def _plain(ax, X, fitted):
    """The points in one colour, with EM's two-standard-deviation ellipses and means."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Ellipse

    ax.scatter(*X.T, s=12, alpha=0.8, color="C7")
    for mean, cov in zip(fitted.means_, fitted.covariances_, strict=True):
        values, vectors = np.linalg.eigh(cov)
        angle = np.degrees(np.arctan2(vectors[1, -1], vectors[0, -1]))
        width, height = 4 * np.sqrt(values[::-1])
        ax.add_patch(Ellipse(mean, width, height, angle=angle, fill=False, color="black", lw=1.5))
        ax.plot(*mean, marker="+", color="black", ms=12)
    _scatter(ax, X, "Without colours: EM's answer from the points alone")
    handles = [
        Line2D([], [], ls="", marker="o", color="C7", label="the same points, colours forgotten"),
        Line2D([], [], ls="-", color="black", label="EM's components (2 standard deviations)"),
        Line2D([], [], ls="", marker="+", ms=12, color="black", label="EM's means"),
    ]
    ax.legend(handles=handles, loc="upper right", fontsize="small")


def _annotate(ax, report):
    """Write each distance in its cell of the heatmap, light on the dark cells."""
    for (i, j), distance in np.ndenumerate(report.distances):
        dark = distance > 0.5 * report.max_possible
        ax.text(j, i, f"{distance:.2f}", ha="center", va="center",
                color="white" if dark else "black")


def _figures(gaussians, coin, mixed):
    """The demo's three figures, by file name (matplotlib's Figure: no GUI backend needed)."""
    from matplotlib.figure import Figure

    colour = Figure(figsize=(8, 4.8), layout="constrained")
    _coloured(colour.subplots(), gaussians["X"], gaussians["y"], gaussians["truth"])
    plain = Figure(figsize=(8, 4.8), layout="constrained")
    _plain(plain.subplots(), gaussians["X"], gaussians["fitted"])
    match = Figure(figsize=(11, 4.2), layout="constrained")
    match.suptitle("Hellinger distance of each true word group to each topic LDA recovered")
    for ax, report, title in zip(match.subplots(1, 2), (coin, mixed),
                                 ("Coin flip per word", "Dirichlet mix per document"),
                                 strict=True):
        report.plot(ax=ax)
        _annotate(ax, report)
        ax.set_title(f"{title}: {'PASSED' if report.passed else 'FAILED'}", pad=_TITLE_PAD)
    return dict(zip(PLOTS, (colour, plain, match), strict=True))


def _write_plots(out, gaussians, coin, mixed):
    try:
        figures = _figures(gaussians, coin, mixed)
    except ImportError:
        print(f"\nmatplotlib is not installed: no plots written to {out} "
              "(pip install 'skmix[plot]').")
        return []
    os.makedirs(out, exist_ok=True)
    paths = [os.path.join(out, name) for name in figures]
    for path, figure in zip(paths, figures.values(), strict=True):
        figure.savefig(path, dpi=100)
    print(f"\nPlots written: {', '.join(paths)}")
    return paths


def run_demo(out="demo-output", *, random_state=0):
    """Run the worksheet demo, print its reports and write its plots to ``out``.

    Parameters
    ----------
    out : str, default="demo-output"
        Folder for ``scatter_colour.png``, ``scatter_plain.png`` and ``topic_match.png``
        (created); nothing is written when matplotlib is not installed.
    random_state : int, default=0
        Seed of every draw and fit: the same seed prints the same demo.

    Returns
    -------
    paths : list of str
        The plots written.
    """
    print(f"skmix demo: the worksheet, start to finish (seed {random_state})")
    gaussians = _gaussians(random_state)
    coin, mixed = _word_groups(random_state)
    return _write_plots(out, gaussians, coin, mixed)
