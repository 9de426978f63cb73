"""The ``skmix`` command.

What a user runs goes through the installed console script in a subprocess. The many ways of
being refused go through ``main(argv)`` in this process (the function the script calls), so
that each costs milliseconds rather than a Python start-up; a few refusals also go through
the script, to prove what the user sees: one line, exit 2, no traceback, no file.
"""

import json
import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from gensim.models import LdaModel

from skmix import TopicMixtureGenerator
from skmix._cli import main
from skmix._demo import _write_plots
from skmix.datasets import worksheet_topics

SKMIX = Path(sys.executable).with_name("skmix")
GOOD_SPEC = {"topics": worksheet_topics(), "doc_topic_prior": 0.2, "doc_length": 20}


def run(*args, cwd):
    return subprocess.run(
        [str(SKMIX), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300,
    )


def assert_refused(status, stderr, folder, expected_files):
    """Exit 2, one line ``skmix: error: ...`` on stderr (so no traceback), no new file."""
    assert status == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("skmix: error: "), lines[0]
    assert sorted(os.listdir(folder)) == sorted(expected_files)


def refused_in_process(argv, folder, expected_files, capsys, monkeypatch):
    monkeypatch.chdir(folder)
    status = main([str(arg) for arg in argv])
    assert_refused(status, capsys.readouterr().err, folder, expected_files)


def write_json(path, obj):
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def test_console_script_and_python_m_agree(tmp_path):
    assert SKMIX.is_file(), f"the console script {SKMIX} is not installed"
    script = run("--version", cwd=tmp_path)
    module = subprocess.run([sys.executable, "-m", "skmix", "--version"], capture_output=True,
                            text=True, cwd=tmp_path)
    assert script.returncode == module.returncode == 0
    assert script.stdout.startswith("skmix ") and script.stdout == module.stdout


def test_generate_does_not_import_the_parts_it_does_not_use(tmp_path):
    # skmix's names are imported on first use: generate (txt) starts without sklearn.mixture
    # (the Gaussian sampler, 0.13 s), skmix.compare or gensim
    code = (
        "import sys, skmix, skmix._cli\n"
        "assert skmix._cli.main(['generate', '--preset', 'bars', '--n-docs', '10', '--out', "
        "'c.txt']) == 0\n"
        "print(sorted(m for m in ('sklearn.mixture', 'skmix._gaussian', 'skmix.compare', "
        "'gensim') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_command_module_imports_nothing_heavy_before_it_holds_signals():
    # a Ctrl-C during sklearn's imports, before command_signals, died with a traceback and
    # status -2 (benchmarks/fault_injection.py counted it a mismatch)
    code = ("import sys, skmix._cli\n"
            "print(sorted(m for m in ('sklearn', 'scipy', 'gensim') if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")
def test_generate_keeps_its_freed_heap_instead_of_faulting_it_back(tmp_path):
    # measured: 99,000 more documents cost 66,700 more page faults with glibc's default (the
    # top of the heap given back and taken again every block), about 430 with the 64 MB pad
    def page_faults(n_docs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
        result = run("generate", "--preset", "bars", "--n-docs", str(n_docs), "--out", "c.txt",
                     cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before

    assert page_faults(100_000) - page_faults(1_000) < 10_000


def test_the_package_names_resolve_on_first_use():
    import skmix

    assert set(skmix.__all__) <= set(dir(skmix))
    for name in set(skmix.__all__) - {"__version__"}:
        assert getattr(skmix, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        skmix.nope  # noqa: B018


@pytest.mark.slow
def test_demo_prints_both_reports_and_writes_its_pictures(tmp_path):
    result = run("demo", "--out", tmp_path / "pictures", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "FAILED" in result.stdout and "PASSED" in result.stdout
    assert "one word distribution" in " ".join(result.stdout.split())
    pictures = tmp_path / "pictures"
    for name in ("scatter_colour.png", "scatter_plain.png", "topic_match.png"):
        assert (pictures / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_without_matplotlib_says_so_and_writes_nothing(tmp_path, capsys, monkeypatch):
    for name in ("matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)  # makes ``import matplotlib`` fail
    assert _write_plots(str(tmp_path / "pictures"), None, None, None) == []
    assert "matplotlib is not installed" in capsys.readouterr().out
    assert os.listdir(tmp_path) == []


def test_generate_from_a_spec_file(tmp_path):
    spec = write_json(tmp_path / "spec.json", {**GOOD_SPEC, "doc_length": {"poisson": {"mu": 5}}})
    out = tmp_path / "corpus.txt"
    result = run("generate", "--spec", spec, "--n-docs", 30, "--out", out, "--seed", 1,
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    documents = out.read_text(encoding="utf-8").splitlines()
    words = {word for group in worksheet_topics().values() for word in group}
    assert len(documents) == 30
    assert {token for doc in documents for token in doc.split()} <= words


def test_generate_bars_preset_as_jsonl(tmp_path):
    out = tmp_path / "bars.jsonl"
    result = run("generate", "--preset", "bars", "--n-docs", 5, "--out", out, "--format",
                 "jsonl", "--seed", 0, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [len(record["tokens"]) for record in records] == [100] * 5


GENERATE_REFUSALS = {
    "no truth": [],
    "preset and spec": ["--preset", "bars", "--spec", "spec.json"],
    "unknown preset": ["--preset", "nope"],
    "missing spec file": ["--spec", "missing.json"],
    "spec not JSON": ["--spec", "notjson.json"],
    "spec not an object": ["--spec", "list.json"],
    "spec unknown key": ["--spec", "unknown_key.json"],
    "spec negative prior": ["--spec", "negative_prior.json"],
    "spec empty topic": ["--spec", "empty_topic.json"],
    "spec unknown distribution": ["--spec", "bad_distribution.json"],
}
GENERATE_ARGUMENT_REFUSALS = {
    "zero documents": ["--n-docs", "0"],
    "documents not a number": ["--n-docs", "ten"],
    "zero jobs": ["--jobs", "0"],
    "unknown format": ["--format", "xml"],
    "negative seed": ["--seed", "-1"],
    "missing folder": ["--out", "missing/corpus.txt"],
    "out is a folder": ["--out", "."],
}
SPEC_FILES = {
    "spec.json": json.dumps(GOOD_SPEC),
    "notjson.json": "{topics: ",
    "list.json": json.dumps([["a", "b"]]),
    "unknown_key.json": json.dumps({**GOOD_SPEC, "n_docs": 3}),
    "negative_prior.json": json.dumps({**GOOD_SPEC, "doc_topic_prior": -1}),
    "empty_topic.json": json.dumps({"topics": [["a"], []]}),
    "bad_distribution.json": json.dumps({**GOOD_SPEC, "doc_length": {"norm": {"loc": 3}}}),
}


@pytest.fixture
def spec_folder(tmp_path):
    for name, text in SPEC_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def generate_argv(truth=("--preset", "worksheet"), **changes):
    options = {"--n-docs": "3", "--out": "corpus.txt", **changes}
    return ["generate", *truth, *(part for option in options.items() for part in option)]


@pytest.mark.parametrize("truth", GENERATE_REFUSALS.values(), ids=GENERATE_REFUSALS)
def test_generate_refuses_bad_truth_and_leaves_no_file(spec_folder, truth, capsys, monkeypatch):
    refused_in_process(generate_argv(truth), spec_folder, SPEC_FILES, capsys, monkeypatch)


@pytest.mark.parametrize(
    "argument", GENERATE_ARGUMENT_REFUSALS.values(), ids=GENERATE_ARGUMENT_REFUSALS
)
def test_generate_refuses_bad_arguments_and_leaves_no_file(
    spec_folder, argument, capsys, monkeypatch
):
    argv = generate_argv(**dict([argument]))
    refused_in_process(argv, spec_folder, SPEC_FILES, capsys, monkeypatch)


@pytest.mark.parametrize(
    "argv",
    [generate_argv(["--spec", "negative_prior.json"]), generate_argv(**{"--jobs": "0"})],
    ids=["bad spec value", "bad argument"],
)
def test_the_console_script_refuses_in_one_line(spec_folder, argv):
    result = run(*argv, cwd=spec_folder)
    assert "Traceback" not in result.stderr
    assert_refused(result.returncode, result.stderr, spec_folder, SPEC_FILES)


def test_demo_refuses_a_file_as_its_folder(tmp_path, capsys, monkeypatch):
    (tmp_path / "taken").write_text("", encoding="utf-8")
    refused_in_process(["demo", "--out", "taken"], tmp_path, ["taken"], capsys, monkeypatch)


def _fit_lda(corpus, *, passes, restarts, chunksize=20):
    """gensim LDA, the best of ``restarts`` fits by its own bound."""
    bow, dictionary = corpus.to_bow(), corpus.dictionary()
    models = [LdaModel(bow, num_topics=2, id2word=dictionary, chunksize=chunksize,
                       passes=passes, alpha="auto", random_state=seed)
              for seed in range(restarts)]
    return max(models, key=lambda model: model.bound(bow))


@pytest.fixture(scope="module")
def saved_models(tmp_path_factory):
    """A good model (groups found) and a bad one (one pass over 20 coin-flip documents)."""
    folder = tmp_path_factory.mktemp("models")
    mixed = TopicMixtureGenerator(**GOOD_SPEC).fit().sample(300, random_state=0)
    coin = TopicMixtureGenerator(worksheet_topics(), doc_length=20).fit()
    models = {
        "good": _fit_lda(mixed, passes=20, restarts=3),
        "bad": _fit_lda(coin.sample(20, random_state=0), passes=1, restarts=1, chunksize=2000),
    }
    for name, model in models.items():
        model.save(str(folder / name))
    write_json(folder / "spec.json", GOOD_SPEC)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("truth", [["--spec", "spec.json"], ["--preset", "worksheet"]])
def test_compare_passes_a_good_model(saved_models, truth):
    result = run("compare", *truth, "good", cwd=saved_models)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED" in result.stdout
    assert all(name in result.stdout for name in worksheet_topics())


@pytest.mark.slow
def test_compare_fails_a_bad_model_with_status_1(saved_models):
    result = run("compare", "--preset", "worksheet", "bad", cwd=saved_models)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED" in result.stdout and result.stderr == ""


@pytest.mark.parametrize("model", ["missing", "spec.json"], ids=["missing", "not a model"])
def test_compare_refuses_what_is_not_a_saved_model(tmp_path, model, capsys, monkeypatch):
    write_json(tmp_path / "spec.json", GOOD_SPEC)
    argv = ["compare", "--preset", "worksheet", model]
    refused_in_process(argv, tmp_path, ["spec.json"], capsys, monkeypatch)
