"""GaussianMixtureSampler: its draws in distribution, its stream, EM, scoring and its refusals.

Statistical tests use fixed seeds; each states its tolerance. Tests of a p-value ask p > 0.001,
so a correct sampler fails one of them about once in a thousand seeds (the KS p-values of
squared Mahalanobis distances were checked uniform over 900 seeds while writing these tests).
"""

import pickle

import numpy as np
import pytest
from scipy import stats
from scipy.optimize import linear_sum_assignment
from scipy.special import logsumexp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.mixture import GaussianMixture

from skmix import GaussianMixtureSampler
from skmix._covariance import _COVARIANCE_FORMS
from skmix._gaussian import (
    _CHUNK_ROWS,
    _COMPARE_MAX_CUTS,
    _ELEMENTWISE_MAX_FEATURES,
    _label_thresholds,
)
from skmix.datasets import worksheet_gaussians

COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]
# one dimension on each side of the switch between the two ways of drawing rows
N_FEATURES = [2, _ELEMENTWISE_MAX_FEATURES + 2]
WEIGHTS = np.array([0.2, 0.3, 0.5])
P_MIN = 1e-3


def random_covariances(covariance_type, n_components, n_features, rng):
    """Random symmetric positive definite covariances in ``covariance_type``'s form."""
    a = rng.normal(size=(n_components, n_features, n_features))
    full = a @ a.transpose(0, 2, 1) / n_features + 0.5 * np.eye(n_features)
    return {
        "full": full,
        "tied": full[0],
        "diag": np.diagonal(full, axis1=1, axis2=2).copy(),
        "spherical": full[:, 0, 0].copy(),
    }[covariance_type]


def make_truth(covariance_type, n_features, seed=0):
    """A fitted ground-truth sampler with 3 well separated components."""
    rng = np.random.default_rng(seed)
    return GaussianMixtureSampler(
        means=rng.normal(scale=10, size=(3, n_features)),
        covariances=random_covariances(covariance_type, 3, n_features, rng),
        weights=WEIGHTS,
        covariance_type=covariance_type,
        random_state=seed,
    ).fit()


def full_covariances(sampler):
    """The sampler's covariances as (K, d, d) matrices, whatever its covariance_type."""
    k, d = sampler.means_.shape
    return _COVARIANCE_FORMS[sampler.covariance_type].as_matrices(sampler.covariances_, k, d)


@pytest.fixture
def worksheet():
    return GaussianMixtureSampler(**worksheet_gaussians(), random_state=0).fit()


# --- ground truth -------------------------------------------------------------------------------


def test_worksheet_ground_truth(worksheet):
    given = worksheet_gaussians()
    np.testing.assert_array_equal(worksheet.means_, given["means"])
    np.testing.assert_array_equal(worksheet.covariances_, given["covariances"])
    np.testing.assert_allclose(worksheet.weights_, [1 / 3] * 3)
    assert worksheet.n_features_in_ == 2
    assert not hasattr(worksheet, "converged_")  # no EM was run


def test_ground_truth_defaults_to_unit_covariances():
    sampler = GaussianMixtureSampler(means=[[0, 0, 0]], covariance_type="diag").fit()
    np.testing.assert_array_equal(sampler.covariances_, np.ones((1, 3)))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_score_samples_is_the_mixture_density(covariance_type):
    truth = make_truth(covariance_type, 3)
    X = np.random.default_rng(1).normal(scale=10, size=(50, 3))
    log_densities = np.array(
        [
            np.log(w) + stats.multivariate_normal(m, c).logpdf(X)
            for w, m, c in zip(truth.weights_, truth.means_, full_covariances(truth), strict=True)
        ]
    )
    log_total = logsumexp(log_densities, axis=0)
    np.testing.assert_allclose(truth.score_samples(X), log_total)
    np.testing.assert_allclose(truth.predict_proba(X), np.exp(log_densities - log_total).T)


# --- sampling in distribution ------------------------------------------------------------------


@pytest.mark.parametrize("n_features", N_FEATURES)
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_sample_moments_per_component(covariance_type, n_features):
    truth = make_truth(covariance_type, n_features)
    X, y = truth.sample(30_000)
    assert X.shape == (30_000, n_features) and y.shape == (30_000,)
    for k, (mean, cov) in enumerate(zip(truth.means_, full_covariances(truth), strict=True)):
        rows = X[y == k]
        n = len(rows)
        # 5 standard errors: of a mean, sqrt(var / n); of a covariance entry,
        # sqrt((S_ii S_jj + S_ij^2) / n) for Gaussian data
        variances = np.diag(cov)
        np.testing.assert_array_less(np.abs(rows.mean(0) - mean), 5 * np.sqrt(variances / n))
        se_cov = np.sqrt((np.outer(variances, variances) + cov**2) / n)
        np.testing.assert_array_less(np.abs(np.cov(rows.T) - cov), 5 * se_cov)


@pytest.mark.parametrize("n_features", N_FEATURES)
def test_component_counts_follow_weights(n_features):
    _, y = make_truth("full", n_features).sample(30_000)
    counts = np.bincount(y, minlength=3)
    assert stats.chisquare(counts, 30_000 * WEIGHTS).pvalue > P_MIN


@pytest.mark.parametrize("n_features", N_FEATURES)
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_mahalanobis_distances_are_chi2(covariance_type, n_features):
    truth = make_truth(covariance_type, n_features)
    X, y = truth.sample(20_000, random_state=12)
    for k, (mean, cov) in enumerate(zip(truth.means_, full_covariances(truth), strict=True)):
        diff = X[y == k] - mean
        squared = np.einsum("ij,ij->i", diff @ np.linalg.inv(cov), diff)
        assert stats.kstest(squared, stats.chi2(n_features).cdf).pvalue > P_MIN


@pytest.mark.parametrize("n_features", N_FEATURES)
def test_rows_are_shuffled(n_features):
    _, y = make_truth("full", n_features).sample(20_000)
    # In an i.i.d. label sequence, neighbours differ with probability 1 - sum(w^2) = 0.62;
    # rows grouped by component would give 2 changes in all. Tolerance 0.02 (about 6 sd).
    changes = np.mean(y[1:] != y[:-1])
    assert abs(changes - (1 - np.sum(WEIGHTS**2))) < 0.02


def test_one_sample():
    X, y = make_truth("full", 2).sample()
    assert X.shape == (1, 2) and y.shape == (1,)


def test_law_holds_across_chunks():
    # the elementwise path works _CHUNK_ROWS rows at a time; over three chunks, the last one
    # ragged: counts by chi-square, means within 5 standard errors, Mahalanobis distances by KS
    truth = make_truth("full", 2)
    n_samples = 2 * _CHUNK_ROWS + 123
    X, y = truth.sample(n_samples, random_state=3)
    assert stats.chisquare(np.bincount(y, minlength=3), n_samples * WEIGHTS).pvalue > P_MIN
    for k, (mean, cov) in enumerate(zip(truth.means_, full_covariances(truth), strict=True)):
        diff = X[y == k] - mean
        np.testing.assert_array_less(np.abs(diff.mean(0)), 5 * np.sqrt(np.diag(cov) / len(diff)))
        squared = np.einsum("ij,ij->i", diff @ np.linalg.inv(cov), diff)
        assert stats.kstest(squared, stats.chi2(2).cdf).pvalue > P_MIN


@pytest.mark.parametrize("n_features", N_FEATURES)
def test_many_components_follow_weights(n_features):
    # more cuts than _COMPARE_MAX_CUTS: labels come from a binary search instead
    n_components = _COMPARE_MAX_CUTS + 12
    rng = np.random.default_rng(5)
    weights = rng.dirichlet(np.ones(n_components))
    truth = GaussianMixtureSampler(
        means=rng.normal(size=(n_components, n_features)), weights=weights, random_state=5
    ).fit()
    X, y = truth.sample(60_000)
    assert stats.chisquare(np.bincount(y, minlength=n_components), 60_000 * weights).pvalue > P_MIN
    k = int(np.argmax(weights))  # unit covariances: each coordinate has variance 1
    np.testing.assert_array_less(np.abs(X[y == k].mean(0) - truth.means_[k]),
                                 5 / np.sqrt(np.sum(y == k)))


@pytest.mark.parametrize("n_features", N_FEATURES)
def test_components_without_weight_are_never_drawn(n_features):
    weights = np.array([0.0, 0.5, 0.0, 0.5, 0.0])
    truth = GaussianMixtureSampler(
        means=np.arange(5.0)[:, None] * np.ones(n_features), weights=weights, random_state=0
    ).fit()
    _, y = truth.sample(50_000)
    counts = np.bincount(y, minlength=5)
    assert counts[[0, 2, 4]].tolist() == [0, 0, 0]
    assert stats.binomtest(counts[1], 50_000, 0.5).pvalue > P_MIN


def test_label_cuts_after_the_last_weight_are_at_one():
    # 0.1 ten times sums to 0.9999999999999999: a uniform above it must not pick the last
    # component, which has no weight
    thresholds = _label_thresholds(np.array([0.1] * 10 + [0.0]))
    assert np.cumsum([0.1] * 10)[-1] < 1.0
    assert thresholds[-1] == 1.0
    np.testing.assert_allclose(thresholds[:-1], np.cumsum([0.1] * 9))


# --- the stream --------------------------------------------------------------------------------


def test_successive_calls_differ(worksheet):
    first, second = worksheet.sample(100)[0], worksheet.sample(100)[0]
    assert not np.any(first == second)


def test_refit_and_clone_replay_the_stream(worksheet):
    calls = [worksheet.sample(50)[0] for _ in range(3)]
    for replay in (worksheet.fit(), clone(worksheet).fit()):
        for expected in calls:
            np.testing.assert_array_equal(replay.sample(50)[0], expected)


def test_per_call_random_state_is_reproducible_and_leaves_the_stream(worksheet):
    stream = [worksheet.sample(50)[0] for _ in range(2)]
    worksheet.fit()
    first = worksheet.sample(50)[0]
    seeded = worksheet.sample(50, random_state=7)[0]
    np.testing.assert_array_equal(first, stream[0])
    np.testing.assert_array_equal(worksheet.sample(50)[0], stream[1])  # stream not disturbed
    np.testing.assert_array_equal(worksheet.sample(50, random_state=7)[0], seeded)
    assert not np.any(seeded == stream[1])


def test_no_random_state_gives_fresh_streams():
    params = worksheet_gaussians()
    first = GaussianMixtureSampler(**params).fit().sample(20)[0]
    second = GaussianMixtureSampler(**params).fit().sample(20)[0]
    assert not np.any(first == second)


def test_pickle_keeps_parameters_and_stream(worksheet):
    worksheet.sample(10)
    copy = pickle.loads(pickle.dumps(worksheet))
    np.testing.assert_array_equal(copy.means_, worksheet.means_)
    np.testing.assert_array_equal(copy.sample(30)[0], worksheet.sample(30)[0])


def test_clone_is_unfitted_with_same_params(worksheet):
    copy = clone(worksheet)
    assert copy.get_params()["random_state"] == 0
    np.testing.assert_array_equal(copy.get_params()["means"], worksheet.means)
    with pytest.raises(NotFittedError):
        copy.sample(1)


# --- EM ----------------------------------------------------------------------------------------


def test_em_recovers_worksheet_means(worksheet):
    X, _ = worksheet.sample(30_000)
    fitted = GaussianMixtureSampler(3, random_state=0).fit(X)
    truth = worksheet.means_
    errors = np.linalg.norm(truth[:, None, :] - fitted.means_[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(errors)
    assert errors[rows, cols].max() < 0.05
    assert fitted.converged_ and fitted.n_iter_ >= 1 and np.isfinite(fitted.lower_bound_)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_em_matches_sklearn(covariance_type, worksheet):
    X, _ = worksheet.sample(2_000, random_state=1)
    ours = GaussianMixtureSampler(3, covariance_type=covariance_type, random_state=0).fit(X)
    theirs = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name))
    for method in ("predict", "predict_proba", "score_samples", "score", "bic", "aic"):
        np.testing.assert_allclose(getattr(ours, method)(X), getattr(theirs, method)(X))


def test_em_starts_from_given_parameters(worksheet):
    X, _ = worksheet.sample(3_000, random_state=2)
    # reversed, an order k-means alone does not find here ((5, 2) comes first then)
    start = {name: value[::-1] for name, value in worksheet_gaussians().items()}
    fitted = GaussianMixtureSampler(**start, weights=[0.3, 0.3, 0.4], random_state=0).fit(X)
    np.testing.assert_allclose(fitted.means_, start["means"], atol=0.1)  # kept the order
    mixture = fitted.gaussian_mixture_
    np.testing.assert_allclose(mixture.weights_init, [0.3, 0.3, 0.4])
    np.testing.assert_allclose(mixture.precisions_init, np.linalg.inv(start["covariances"]))


def test_em_defaults_to_one_component(worksheet):
    X, _ = worksheet.sample(500, random_state=3)
    assert GaussianMixtureSampler().fit(X).means_.shape == (1, 2)


def test_ground_truth_refit_forgets_feature_names_of_an_earlier_fit():
    sampler = GaussianMixtureSampler(**worksheet_gaussians())
    sampler.feature_names_in_ = np.array(["a", "b"], dtype=object)  # as fit(DataFrame) leaves
    assert not hasattr(sampler.fit(), "feature_names_in_")


# --- refusals ----------------------------------------------------------------------------------

WORKSHEET = worksheet_gaussians()


@pytest.mark.parametrize(
    "params, match",
    [
        ({"weights": [0.5, 0.7, -0.2]}, r"weights must be non-negative.*-0\.2"),
        ({"weights": [0.5, np.nan, 0.5]}, r"weights must be finite.*nan"),
        ({"weights": [0.5, 0.5]}, r"disagree.*len\(means\)=3, len\(weights\)=2"),
        ({"weights": [0.2, 0.2, 0.2]}, r"weights must sum to 1, got sum 0\.6"),
        ({"covariances": np.ones((3, 2))}, r"covariances must have shape \(3, 2, 2\).*\(3, 2\)"),
        ({"covariances": [[[1, 0.5], [0, 1]]] * 3}, r"covariances must be symmetric"),
        ({"covariances": [[[1, 2], [2, 1]]] * 3}, r"covariances must be positive definite.*-1"),
        ({"means": [[1, 1], [5, 2, 0], [1, 4]]}, r"means must be an array.*rows of one length"),
        ({"means": [[1, 1], [5, np.inf], [1, 4]]}, r"means must be finite.*inf"),
        ({"means": [1, 5, 1]}, r"means must be a non-empty 2-D array.*\(3,\)"),
        ({"n_components": 2}, r"disagree.*n_components=2, len\(means\)=3"),
        ({"covariance_type": "round"}, r"covariance_type.*'round'"),
    ],
    ids=[
        "weights-negative",
        "weights-nan",
        "weights-length",
        "weights-sum",
        "covariances-shape",
        "covariances-asymmetric",
        "covariances-not-positive-definite",
        "means-mixed-lengths",
        "means-not-finite",
        "means-1d",
        "n_components-disagrees",
        "covariance_type-unknown",
    ],
)
def test_fit_refuses(params, match):
    with pytest.raises(ValueError, match=match):
        GaussianMixtureSampler(**(WORKSHEET | params)).fit()


@pytest.mark.parametrize(
    "covariance_type, covariances, match",
    [
        ("diag", [[1, 1], [1, -1], [1, 1]], r"positive definite: component 1 has eigenvalue -1"),
        ("spherical", [1, 0, 1], r"positive definite: component 1 has eigenvalue 0"),
        ("tied", np.eye(3), r"covariances must have shape \(2, 2\).*\(3, 3\)"),
    ],
)
def test_fit_refuses_bad_covariances_of_other_types(covariance_type, covariances, match):
    params = WORKSHEET | {"covariance_type": covariance_type, "covariances": covariances}
    with pytest.raises(ValueError, match=match):
        GaussianMixtureSampler(**params).fit()


def test_fit_without_data_needs_means():
    with pytest.raises(ValueError, match="means is required"):
        GaussianMixtureSampler(3).fit()


def test_fit_refuses_means_of_other_dimension_than_data():
    X = np.random.default_rng(0).normal(size=(100, 3))
    with pytest.raises(ValueError, match="means has 2 columns but X has 3 features"):
        GaussianMixtureSampler(**WORKSHEET).fit(X)


@pytest.mark.parametrize(
    "n_samples, error, match",
    [
        (0, ValueError, "n_samples must be >= 1, got 0"),
        (-5, ValueError, "n_samples must be >= 1, got -5"),
        (2.5, TypeError, r"n_samples must be an integer, got 2\.5"),
        ("10", TypeError, "n_samples must be an integer, got '10'"),
        (10**13, ValueError, r"n_samples=10000000000000 needs about .* GiB"),
    ],
    ids=["zero", "negative", "float", "string", "too-large"],
)
def test_sample_refuses(worksheet, n_samples, error, match):
    with pytest.raises(error, match=match):
        worksheet.sample(n_samples)


def test_sample_before_fit():
    with pytest.raises(NotFittedError):
        GaussianMixtureSampler(**WORKSHEET).sample(10)
