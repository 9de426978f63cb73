"""The threshold calibration's verdicts across model families (a small run of
benchmarks/calibrate_thresholds.py): the default thresholds agree with an independent judge
(share of each matched topic's mass on its true words, and the smallest recovered/true ratio)
on fits that find the bars and fits that do not."""

import importlib.util
import pathlib

import pytest

pytest.importorskip("tomotopy")
pytest.importorskip("lda")

_PATH = pathlib.Path(__file__).parent.parent / "benchmarks" / "calibrate_thresholds.py"


@pytest.fixture(scope="module")
def calibration():
    spec = importlib.util.spec_from_file_location("calibrate_thresholds", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("name, right", [
    ("tomotopy 500 sweeps, true alpha", True),
    ("tomotopy 5 sweeps", False),
    ("lda 1000 it, true alpha", True),
    ("lda 20 it", False),
    ("NMF KL (mu, 500 it)", True),
    ("NMF KL 3 it", False),
])
def test_defaults_separate_fits_that_find_the_bars_from_fits_that_do_not(calibration, name,
                                                                         right):
    truth = calibration.bars_topics(5)
    docs = calibration._corpus(truth, 1000, 100, 0.1, 0)
    recovered = calibration._fits(0.1, len(truth))[name](docs, 0)
    row = calibration._row("bars", name, 0.0, truth, recovered)
    assert row[3].endswith("yes" if right else "no"), row  # the independent judge
    assert row[-1] == "", row  # every metric's default threshold agrees with it
