"""Old seeds give old corpora: the SHA-256 of files drawn before any refactoring or new process.

The digests in ``tests/golden/corpora.json`` were recorded at commit ddb22bf (before the seams of
issue 12 and every later change to drawing). A change that alters one of these files changes
what users' seeds give them. numpy streams are reproducible per numpy build only, so the digests
are checked against the numpy version they were recorded with and skipped on another.

To record them again (only where numpy itself changed the streams):
``python tests/test_golden.py --record``.
"""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from skmix import TopicMixtureGenerator, write_corpus
from skmix.datasets import bars_topics, worksheet_topics

GOLDEN = Path(__file__).parent / "golden" / "corpora.json"
N_DOCS = 2300  # three blocks, the last one ragged

SPECS = {
    "worksheet_coin_flip": lambda: TopicMixtureGenerator(worksheet_topics(), doc_length=20),
    "bars_dirichlet": lambda: TopicMixtureGenerator(
        bars_topics(5), doc_topic_prior=1.0, doc_length=100),
    "dirichlet_array_prior_weights": lambda: TopicMixtureGenerator(
        [{"a": 2, "b": 1, "c": 1}, {"c": 3, "d": 1}, {"e": 1, "f": 1, "a": 0.5}],
        doc_topic_prior=[0.2, 0.5, 1.0], doc_length=15),
    "array_topics_poisson": lambda: TopicMixtureGenerator(
        np.array([[0.5, 0.3, 0.2, 0.0], [0.0, 0.1, 0.4, 0.5]]),
        vocabulary=["w0", "w1", "w2", "w3"], doc_topic_prior=0.3,
        doc_length=stats.poisson(12)),
    "empirical_lengths_topic_weights": lambda: TopicMixtureGenerator(
        {"x": ["a", "a", "b"], "y": ["b", "c"]}, topic_weights=[0.7, 0.3],
        doc_length=np.array([0, 3, 7, 7, 30])),
}
FORMATS = ("txt", "jsonl", "mm")
JOBS = (1, 2)


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _draw_all(tmp):
    digests = {}
    for name, make in SPECS.items():
        generator = make().fit()
        for format in FORMATS:
            for jobs in JOBS:
                path = write_corpus(generator, N_DOCS, Path(tmp) / f"{name}.{jobs}.{format}",
                                    format=format, random_state=12345, jobs=jobs)
                digests[f"{name}.{format}.jobs{jobs}"] = _digest(path)
        sampled = generator.sample(N_DOCS, random_state=7)
        for format in FORMATS:
            sampled.save(Path(tmp) / f"s.{format}", format=format)
            digests[f"{name}.sample.save.{format}"] = _digest(Path(tmp) / f"s.{format}")
    return digests


def _cli_digests(tmp):
    digests = {}
    for preset in ("worksheet", "bars"):
        for jobs in JOBS:
            out = Path(tmp) / f"cli-{preset}-{jobs}.txt"
            subprocess.run([sys.executable, "-m", "skmix", "generate", "--preset", preset,
                            "--n-docs", str(N_DOCS), "--out", str(out), "--seed", "3",
                            "--jobs", str(jobs)], check=True, capture_output=True)
            digests[f"cli.{preset}.jobs{jobs}"] = _digest(out)
    return digests


def _recorded():
    recorded = json.loads(GOLDEN.read_text())
    if recorded["numpy"] != np.__version__:
        pytest.skip(f"golden corpora were drawn with numpy {recorded['numpy']}")
    return recorded["digests"]


@pytest.mark.slow
def test_old_seeds_give_old_corpora(tmp_path):
    recorded = _recorded()
    digests = _draw_all(tmp_path)
    changed = sorted(key for key in recorded if not key.startswith("cli.")
                     and digests[key] != recorded[key])
    assert not changed, f"these corpora changed: {changed}"


@pytest.mark.slow
def test_old_seeds_give_old_corpora_on_the_command_line(tmp_path):
    recorded = _recorded()
    digests = _cli_digests(tmp_path)
    changed = sorted(key for key in digests if digests[key] != recorded[key])
    assert not changed, f"these corpora changed: {changed}"


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        digests = _draw_all(tmp) | _cli_digests(tmp)
    GOLDEN.write_text(json.dumps({"numpy": np.__version__, "digests": digests}, indent=1) + "\n")
    print(f"recorded {len(digests)} digests with numpy {np.__version__}")
