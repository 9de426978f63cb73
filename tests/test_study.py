"""skmix.study: recovery and K-selection studies, their seeds, resumable files, CLI and plots.

Fitters with known answers (one that returns the true topics, one that returns noise, one that
returns the truth only from a corpus size on) pin what ``min_size`` and the K picks must say;
real fits (sklearn, gensim, tomotopy, lda, GaussianMixture, KMeans) run on small draws.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skmix import GaussianMixtureSampler, TopicMixtureGenerator
from skmix._cli import main
from skmix.datasets import bars_topics, worksheet_gaussians
from skmix.study import KSelectionStudy, RecoveryStudy, fitter

SKMIX = Path(sys.executable).with_name("skmix")
TIMINGS = {"fit_seconds", "generate_seconds", "compare_seconds"}


def _pickle_this_module_by_value():
    """Worker processes (loky, Dask) cannot import this test module: send its functions."""
    import cloudpickle  # what joblib's loky and Dask pickle functions with

    cloudpickle.register_pickle_by_value(sys.modules[__name__])


_pickle_this_module_by_value()


# --- fitters with known answers --------------------------------------------------------------

def true_topics(corpus, n_topics, random_state):
    return corpus.topic_word, list(corpus.vocabulary)


def noise_topics(corpus, n_topics, random_state):
    rng = np.random.default_rng(random_state)
    return rng.dirichlet(np.ones(len(corpus.vocabulary)), size=n_topics), list(corpus.vocabulary)


def true_from_40_documents(corpus, n_topics, random_state):
    fit = true_topics if len(corpus) >= 40 else noise_topics
    return fit(corpus, n_topics, random_state)


def truth_merged_or_repeated(corpus, n_topics, random_state):
    """n < K: the first n - 1 true topics and one that merges the others; n >= K: every true
    topic, then the first n - K again."""
    truth = corpus.topic_word
    if n_topics < truth.shape[0]:
        merged = truth[n_topics - 1:].mean(axis=0)
        return np.vstack([truth[:n_topics - 1], merged]), list(corpus.vocabulary)
    return truth[np.arange(n_topics) % truth.shape[0]], list(corpus.vocabulary)


def bars(**params):
    return TopicMixtureGenerator(bars_topics(), **{"doc_topic_prior": 1.0, "doc_length": 20,
                                                   **params})


def without_timings(rows):
    return [{key: value for key, value in row.items() if key not in TIMINGS} for row in rows]


def small_topic_study(**options):
    fitters = {"truth": true_topics, "noise": noise_topics,
               "sklearn": fitter("sklearn", max_iter=3)}
    return RecoveryStudy(bars(), fitters, grid={"n_documents": [20, 40]}, n_repeats=2,
                         random_state=7, **options)


# --- recovery: known answers ------------------------------------------------------------------

def test_min_size_with_known_answers():
    fitters = {"truth": true_topics, "noise": noise_topics, "grows": true_from_40_documents}
    study = RecoveryStudy(bars(), fitters, grid={"n_documents": [10, 20, 40, 80]}, n_repeats=2,
                          random_state=0)
    results = study.run()
    assert results.min_size("truth") == 10
    assert results.min_size("grows") == 40
    assert results.min_size("noise") is None
    fits = results.frame[results.frame["kind"] == "fit"]
    assert len(fits) == 4 * 3 * 2
    truth_rows = fits[fits["fitter"] == "truth"]
    assert truth_rows["max_distance"].max() == pytest.approx(0, abs=1e-6)
    assert truth_rows["coverage"].eq(1).all() and truth_rows["redundancy"].eq(0).all()
    assert fits[fits["fitter"] == "noise"]["passed"].eq(False).all()
    # tokens: 20 words a document
    assert (fits["n_tokens"] == 20 * fits["n_documents"]).all()
    # the reseed rows: at the largest size only, one per fitter
    ceiling = results.reseed_ceiling()
    assert set(ceiling["fitter"]) == {"truth", "noise", "grows"}
    assert set(ceiling["n_documents"]) == {80}
    reproduced = dict(zip(ceiling["fitter"], ceiling["reproduced"], strict=True))
    assert reproduced == {"truth": 1.0, "noise": 0.0, "grows": 1.0}


def test_min_size_needs_the_other_grid_keys_pinned():
    study = RecoveryStudy(bars, {"truth": true_topics, "grows": true_from_40_documents},
                          grid={"n_documents": [20, 40], "doc_length": [10, 20]}, n_repeats=1,
                          reseed=False, random_state=0)
    results = study.run()
    assert results.min_size("grows", doc_length=10) == 40
    with pytest.raises(ValueError, match="doc_length"):
        results.min_size("grows")
    with pytest.raises(ValueError, match="fitter must be one of"):
        results.min_size("nope", doc_length=10)
    with pytest.raises(ValueError, match="rate"):
        results.min_size("grows", rate=0, doc_length=10)
    assert len(results.min_sizes()) == 4


def test_every_row_has_its_own_seed_and_fitters_share_the_data():
    rows = small_topic_study(reseed=False).run().rows
    assert [row["row"] for row in rows] == list(range(len(rows)))
    # the noise fitter is seeded per row: distances differ between repeats and cells
    noise = [row["mean_distance"] for row in rows if row["fitter"] == "noise"]
    assert len(set(noise)) == len(noise)
    # the same corpus for every fitter of a cell and repeat: same token count
    tokens = {(row["cell"], row["repeat"], row["n_tokens"]) for row in rows}
    assert len(tokens) == 4


# --- the same rows for any n_jobs, on a cluster, after a resumption -----------------------------

def test_same_rows_for_one_and_two_jobs():
    one = small_topic_study(n_jobs=1).run().rows
    two = small_topic_study(n_jobs=2).run().rows
    assert without_timings(one) == without_timings(two)


def test_same_rows_for_mixtures_for_one_and_two_jobs():
    from sklearn.cluster import KMeans
    from sklearn.mixture import GaussianMixture

    def study(n_jobs):
        return RecoveryStudy(GaussianMixtureSampler(**worksheet_gaussians()),
                             {"gmm": GaussianMixture(), "kmeans": KMeans(n_init=2)},
                             grid={"n_samples": [30, 300]}, n_repeats=2, n_jobs=n_jobs,
                             random_state=3)

    one, two = study(1).run(), study(2).run()
    assert without_timings(one.rows) == without_timings(two.rows)
    assert one.min_size("gmm") == 300
    fits = one.frame[one.frame["kind"] == "fit"]
    assert fits["adjusted_rand"].between(-1, 1).all()
    assert fits[fits["n_samples"] == 300]["adjusted_rand"].min() > 0.9


def test_same_rows_on_a_local_dask_cluster():
    from distributed import Client, LocalCluster
    from joblib import parallel_config

    local = small_topic_study(reseed=False).run().rows
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster), parallel_config(
                          backend="dask"):
        on_cluster = small_topic_study(reseed=False).run().rows
    assert without_timings(on_cluster) == without_timings(local)


def test_resumed_run_skips_finished_rows(tmp_path):
    out = tmp_path / "results.jsonl"
    full = small_topic_study().run(out=out)
    lines = out.read_text().splitlines()
    # cut the file after 3 rows and half a line, as a killed run leaves it
    out.write_text("\n".join(lines[:4]) + "\n" + lines[4][: len(lines[4]) // 2])
    resumed = small_topic_study(n_jobs=2).run(out=out)
    assert without_timings(resumed.rows) == without_timings(full.rows)
    rows = [json.loads(line) for line in out.read_text().splitlines()[1:]]
    assert sorted(row["row"] for row in rows) == list(range(len(full.rows)))
    # the first three rows were not run again: their timings are the first run's
    assert rows[:3] == full.rows[:3]


def test_changed_study_is_refused_on_resume(tmp_path):
    out = tmp_path / "results.jsonl"
    small_topic_study(reseed=False).run(out=out)
    before = out.read_bytes()
    for changed, key in [({"threshold": 0.5}, "threshold"), ({"random_state": 8}, "random_state")]:
        study = small_topic_study(reseed=False)
        for name, value in changed.items():
            setattr(study, name, value)
        with pytest.raises(ValueError, match=f"another study.*{key}"):
            study.run(out=out)
    other_truth = RecoveryStudy(bars(doc_length=21), {"truth": true_topics},
                                grid={"n_documents": [20, 40]}, n_repeats=2, random_state=7)
    with pytest.raises(ValueError, match="another study"):
        other_truth.run(out=out)
    assert out.read_bytes() == before


def test_fresh_entropy_is_kept_for_the_resumption(tmp_path):
    out = tmp_path / "results.jsonl"
    study = RecoveryStudy(bars(), {"noise": noise_topics}, grid={"n_documents": [20]},
                          n_repeats=3, reseed=False)
    first = study.run(out=out)
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:2]) + "\n")
    again = study.run(out=out)
    assert without_timings(again.rows) == without_timings(first.rows)


# --- killed and resumed through the command line ----------------------------------------------

SPEC = {
    "study": "recovery",
    "truth": {"preset": "bars", "doc_length": 30},
    "fitters": {"sklearn": {"fitter": "sklearn", "max_iter": 10}},
    "grid": {"n_documents": [40, 80]},
    "n_repeats": 3,
    "seed": 5,
}


def _rows_in(path):
    if not path.exists():
        return 0
    return max(path.read_bytes().count(b"\n") - 1, 0)


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "jobs"), [(signal.SIGKILL, 1), (signal.SIGINT, 2)])
def test_killed_command_resumes_to_the_same_rows(tmp_path, signum, jobs):
    from skmix._cli import PRESETS, _discrete_distribution
    from skmix._study_cli import Shared, study_from_spec

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    out = tmp_path / "results.jsonl"
    command = [str(SKMIX), "study", str(spec), "--out", str(out), "--jobs", str(jobs)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               restore_signals=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while _rows_in(out) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signum)
    stderr = process.communicate(timeout=60)[1].decode()
    assert _rows_in(out) < 7, "the run finished before it was stopped"
    if signum == signal.SIGINT:
        assert process.returncode == 130, stderr
        assert "interrupted" in stderr
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()[1:]]
    assert sorted(row["row"] for row in rows) == list(range(7))  # none twice, none missing
    reference = study_from_spec(SPEC, Shared(PRESETS, _discrete_distribution)).run().rows
    assert without_timings(sorted(rows, key=lambda r: r["row"])) == without_timings(reference)


# --- K selection ----------------------------------------------------------------------------

def test_k_picks_with_known_answers():
    # documents of 100 words: document completion sees 50 of each, enough to place the bars
    study = KSelectionStudy(bars(doc_length=100), truth_merged_or_repeated, [6, 10, 14],
                            grid={"n_documents": [100]}, n_repeats=2, held_out=0.5,
                            random_state=0, criteria=["perplexity", "cao_juan_2009",
                                                      "arun_2010", "griffiths_2004"])
    results = study.run()
    summary = results.pick_summary().set_index("criterion")
    for name in ("perplexity", "cao_juan_2009", "arun_2010"):
        assert summary.loc[name, "picked"] == 10, name
        assert summary.loc[name, "share_planted"] == 1.0, name
    assert summary.loc["griffiths_2004", "picked"] is pd.NA  # no Gibbs trace: not applicable
    by_k = results.by_k().set_index("k")
    assert by_k.loc[6, "coverage"] == pytest.approx(0.5)
    assert by_k.loc[10, "coverage"] == 1.0 and by_k.loc[10, "redundancy"] == 0.0
    assert by_k.loc[14, "coverage"] == 1.0
    assert by_k.loc[14, "redundancy"] == pytest.approx(4 / 14)
    assert (results.frame["n_true"] == 10).all()


def test_k_selection_with_noise_picks_nothing_better_than_truth():
    study = KSelectionStudy(bars(), noise_topics, [5, 10], grid={"n_documents": [40]},
                            n_repeats=1, random_state=0, criteria=["perplexity"])
    by_k = study.run().by_k()
    assert (by_k["coverage"] == 0).all()


def test_bic_finds_the_worksheet_gaussians():
    study = KSelectionStudy(GaussianMixtureSampler(**worksheet_gaussians()),
                            fitter("gaussian_mixture"), [1, 2, 3, 4, 5],
                            grid={"n_samples": [400]}, n_repeats=2, random_state=0)
    summary = study.run().pick_summary().set_index("criterion")
    assert summary.loc["bic", "picked"] == 3
    assert summary.loc["bic", "share_planted"] == 1.0
    assert summary.loc["silhouette", "picked"] == 3


def test_k_selection_criteria_of_real_gibbs_and_variational_fits():
    study = KSelectionStudy(bars(doc_length=50), fitter("lda", n_iter=100), [5, 10],
                            grid={"n_documents": [100]}, n_repeats=1, random_state=0)
    results = study.run()
    scores = results.frame.set_index("k")
    for name in ("perplexity", "u_mass", "c_npmi", "griffiths_2004", "cao_juan_2009",
                 "arun_2010"):
        assert np.isfinite(scores[name]).all(), name
    assert (scores["perplexity"] > 1).all() and (scores["perplexity"] < 25).all()


# --- built-in fitters fit real models -------------------------------------------------------

@pytest.mark.parametrize(("name", "options"), [
    ("gensim", {"passes": 4}), ("sklearn", {"max_iter": 10}),
    ("tomotopy", {"iterations": 100}), ("lda", {"n_iter": 100}),
])
def test_builtin_topic_fitters(name, options):
    study = RecoveryStudy(bars(doc_length=50), {name: fitter(name, **options),
                                                "noise": noise_topics},
                          grid={"n_documents": [200]}, n_repeats=1, reseed=False,
                          random_state=0)
    rows = study.run().rows
    assert [row["kind"] for row in rows] == ["fit", "fit"]
    assert all(0 <= row["mean_distance"] <= 1 and row["n_recovered"] == 10 for row in rows)
    # a real model fitted to the bars is much closer to them than noise is
    assert rows[0]["mean_distance"] < rows[1]["mean_distance"] - 0.1


def test_fitter_is_picklable_and_says_its_settings():
    import pickle

    made = fitter("lda", n_iter=50)
    assert pickle.loads(pickle.dumps(made)) == made
    assert made.settings == {"n_iter": 50, "alpha": 0.1, "eta": 0.01}


def test_labels_callable_for_mixtures():
    from sklearn.cluster import AgglomerativeClustering

    def agglomerative(X, n_components, random_state):
        return AgglomerativeClustering(n_clusters=n_components).fit_predict(X)

    study = RecoveryStudy(GaussianMixtureSampler(**worksheet_gaussians()),
                          {"ward": agglomerative}, grid={"n_samples": [300]}, n_repeats=1,
                          random_state=0)
    row = study.run().rows[0]
    assert row["passed"] and row["adjusted_rand"] > 0.9


# --- pictures ------------------------------------------------------------------------------

def test_plots_are_written(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    fitters = {"truth": true_topics, "grows": true_from_40_documents}
    results = RecoveryStudy(bars(), fitters, grid={"n_documents": [20, 40]}, n_repeats=2,
                            random_state=0).run()
    figure = results.plot(path=tmp_path / "curves.png")
    assert (tmp_path / "curves.png").stat().st_size > 10_000
    assert len(figure.axes) == 2 and len(figure.axes[0].lines) == 2
    k_results = KSelectionStudy(bars(), truth_merged_or_repeated, [8, 10], grid={
        "n_documents": [20]}, n_repeats=1, criteria=["perplexity", "cao_juan_2009"],
        random_state=0).run()
    k_results.plot(path=tmp_path / "k.png")
    assert (tmp_path / "k.png").stat().st_size > 10_000


# --- the command line -------------------------------------------------------------------------

def test_command_runs_a_spec_and_plots(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({
        "study": "k_selection",
        "truth": {"preset": "worksheet_gaussians"},
        "fitter": "gaussian_mixture",
        "k_values": [2, 3, 4],
        "criteria": ["bic", "aic"],
        "grid": {"n_samples": [200]},
        "n_repeats": 2,
    }))
    out, plot = tmp_path / "r.jsonl", tmp_path / "k.png"
    assert main(["study", str(spec), "--out", str(out), "--plot", str(plot)]) == 0
    printed = capsys.readouterr().out
    assert "bic" in printed and plot.stat().st_size > 0
    assert len(out.read_text().splitlines()) == 1 + 3 * 2
    # the same command again: nothing to run, the same summary
    assert main(["study", str(spec), "--out", str(out)]) == 0
    assert capsys.readouterr().out == printed


def test_spec_with_generator_parameters_and_grid_of_priors(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({
        "truth": {"topics": {"a": ["x", "y"], "b": ["z", "w"]}, "doc_length": {
            "poisson": {"mu": 10}}},
        "fitters": {"lda": {"fitter": "lda", "n_iter": 50}},
        "grid": {"n_documents": [30], "doc_topic_prior": [0.1, 1.0]},
        "n_repeats": 1, "reseed": False,
    }))
    assert main(["study", str(spec), "--out", str(tmp_path / "r.jsonl")]) == 0
    assert "doc_topic_prior" in capsys.readouterr().out


def _write(tmp_path, spec):
    path = tmp_path / "spec.json"
    if isinstance(spec, bytes):
        path.write_bytes(spec)
    else:
        path.write_text(json.dumps(spec) if not isinstance(spec, str) else spec)
    return path


@pytest.mark.parametrize(("spec", "message"), [
    ("{nope", "not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply to be a study spec"),
    ("{\"truth\": \"caf\xe9\"}".encode("latin-1"), "not UTF-8 text: byte 0xe9"),
    ([1, 2], "JSON object"),
    ({**SPEC, "colour": 1}, "unknown keys"),
    ({**SPEC, "study": "other"}, "study must be one of"),
    ({**SPEC, "truth": {"preset": "nope"}}, "preset"),
    ({**SPEC, "fitters": {"x": "nope"}}, "fitter name"),
    ({**SPEC, "fitters": {"x": {"fitter": "gensim", "colour": 1}}}, "unknown options"),
    ({**SPEC, "grid": {"n_samples": [10]}}, "n_documents"),
    ({**SPEC, "truth": {"make_nothing": {}}, }, ""),
])
def test_command_refuses_bad_specs(tmp_path, capsys, spec, message):
    path = _write(tmp_path, spec)
    assert main(["study", str(path), "--out", str(tmp_path / "r.jsonl")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("skmix: error: ")
    assert message in err
    assert sorted(os.listdir(tmp_path)) == ["spec.json"]


# --- rejections, before any work or file ---------------------------------------------------

@pytest.mark.parametrize(("options", "error", "message"), [
    ({"grid": {"n_documents": [10], "colour": [1]}}, ValueError, "colour"),
    ({"grid": {"doc_length": [10]}}, ValueError, "n_documents"),
    ({"grid": {"n_documents": [0]}}, ValueError, "n_documents"),
    ({"grid": {"n_documents": [10], "passed": [1]}}, ValueError, "passed"),
    ({"grid": "n_documents"}, TypeError, "grid"),
    ({"fitters": {}}, TypeError, "fitters"),
    ({"fitters": {"x": 3}}, TypeError, "fitter 'x'"),
    ({"fitters": {"x": fitter("kmeans")}}, ValueError, "mixture"),
    ({"n_repeats": 0}, ValueError, "n_repeats"),
    ({"metric": "nope"}, ValueError, "metric"),
    ({"threshold": -1}, ValueError, "threshold"),
])
def test_recovery_study_refusals(tmp_path, options, error, message):
    arguments = {"truth": bars(), "fitters": {"t": true_topics},
                 "grid": {"n_documents": [10]}} | options
    out = tmp_path / "r.jsonl"
    with pytest.raises(error, match=message):
        RecoveryStudy(arguments.pop("truth"), arguments.pop("fitters"), **arguments).run(out)
    assert not out.exists()


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"k_values": []}, ValueError, "k_values"),
    ({"k_values": [2, 2]}, ValueError, "k_values"),
    ({"k_values": "3"}, TypeError, "k_values"),
    ({"criteria": ["bic"]}, ValueError, "criteria"),
    ({"criteria": "perplexity"}, TypeError, "criteria"),
    ({"held_out": 2}, ValueError, "held_out"),
])
def test_k_selection_refusals(tmp_path, options, error, message):
    arguments = {"k_values": [2, 3], "grid": {"n_documents": [10]}} | options
    out = tmp_path / "r.jsonl"
    with pytest.raises(error, match=message):
        KSelectionStudy(bars(), true_topics, arguments.pop("k_values"), **arguments).run(out)
    assert not out.exists()


def test_out_must_be_a_file_and_a_results_file(tmp_path):
    study = small_topic_study(reseed=False)
    with pytest.raises(ValueError, match="not a regular file"):
        study.run(out=tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        study.run(out=tmp_path / "no" / "r.jsonl")
    other = tmp_path / "other.jsonl"
    other.write_text('{"tokens": ["a"]}\n')
    with pytest.raises(ValueError, match="not a skmix study results file"):
        study.run(out=other)
    assert other.read_text() == '{"tokens": ["a"]}\n'
    unfinished = tmp_path / "unfinished.txt"
    unfinished.write_text("a line without its end")
    with pytest.raises(ValueError, match="not a skmix study results file"):
        study.run(out=unfinished)
    assert unfinished.read_text() == "a line without its end"


def test_unknown_fitter_names_and_options():
    with pytest.raises(ValueError, match="fitter name must be one of"):
        fitter("mallet")
    with pytest.raises(TypeError, match="unknown options"):
        fitter("sklearn", n_components=3)


def test_missing_optional_package_is_named(monkeypatch):
    import skmix._study_fitters as fitters

    def missing(class_path):
        raise ModuleNotFoundError(f"No module named {class_path.split('.')[0]!r}",
                                  name=class_path.split(".")[0])

    monkeypatch.setattr(fitters, "_import_class", missing)
    with pytest.raises(ImportError, match=r"needs the tomotopy package.*skmix\[tomotopy\]"):
        fitter("tomotopy")


def failing_fitter(corpus, n_topics, random_state):
    if len(corpus) > 20:
        raise RuntimeError("cannot fit this")
    return true_topics(corpus, n_topics, random_state)


def test_a_failing_fit_names_its_row_and_keeps_the_finished_ones(tmp_path):
    out = tmp_path / "r.jsonl"
    study = RecoveryStudy(bars(), {"f": failing_fitter}, grid={"n_documents": [10, 40]},
                          n_repeats=2, reseed=False, random_state=0)
    with pytest.raises(RuntimeError, match="cannot fit") as failure:
        study.run(out=out)
    assert "in study row 2: fitter 'f'" in "".join(failure.value.__notes__)
    assert [json.loads(line)["row"] for line in out.read_text().splitlines()[1:]] == [0, 1]


def test_a_truth_fitted_to_real_text_is_used_as_it_is():
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as lines:
        lee = [simple_preprocess(line) for line in lines]
    look_alike = TopicMixtureGenerator(n_topics=4, passes=2, n_init=1, random_state=0).fit(lee)
    study = RecoveryStudy(look_alike, {"truth": true_topics, "noise": noise_topics},
                          grid={"n_documents": [20, 40]}, n_repeats=1, random_state=0)
    results = study.run()
    assert results.min_size("truth") == 20 and results.min_size("noise") is None
    tokens = results.frame.groupby("n_documents")["n_tokens"].first()
    assert tokens[40] > tokens[20] > 0  # Lee's document lengths, drawn
    with pytest.raises(ValueError, match="fitted to data"):  # a clone would need the data
        RecoveryStudy(look_alike, {"truth": true_topics},
                      grid={"n_documents": [20], "doc_length": [5]}).run()


class BarsOfLength:
    """A truth callable as an object: its fingerprint must not hold its address."""

    def __call__(self, doc_length):
        return bars(doc_length=doc_length)


def test_a_callable_object_truth_resumes(tmp_path):
    out = tmp_path / "r.jsonl"

    def study():
        return RecoveryStudy(BarsOfLength(), {"truth": true_topics},
                             grid={"n_documents": [10], "doc_length": [5, 10]}, n_repeats=2,
                             random_state=0)

    first = study().run(out=out)
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:3]) + "\n")
    assert without_timings(study().run(out=out).rows) == without_timings(first.rows)
