"""MixSim's overlap (skmix.compare.overlap) and the presets at a chosen difficulty.

Tolerances: the quadratic-form distribution against closed forms and independent quadrature
within 1e-7 in one and two dimensions and with equal coefficients, 5e-7 in four and six
(Imhof's integral by scipy's quad, itself good to about 1e-8); Gaussian overlaps against Monte
Carlo within 3 standard errors (fixed seeds); targets within 1e-3 (the contract).
"""

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel
from scipy import integrate, stats
from sklearn.mixture import GaussianMixture

from skmix import GaussianMixtureSampler, TopicMixtureGenerator
from skmix._overlap import quadratic_form_cdf
from skmix.compare import OverlapMap, overlap
from skmix.datasets import (
    bars_topics,
    make_gaussian_mixture,
    make_topics,
    worksheet_gaussians,
    worksheet_topics,
)

# --- the law of a quadratic form in normal variables -------------------------------------------


def _one_term(a, b, c):
    """P(a Y^2 + b Y < c) from the roots of the parabola."""
    if a == 0:
        return stats.norm.cdf(c / abs(b))
    disc = b * b + 4 * a * c
    if disc <= 0:
        return 0.0 if a > 0 else 1.0
    r = np.sort([(-b - np.sqrt(disc)) / (2 * a), (-b + np.sqrt(disc)) / (2 * a)])
    inside = stats.norm.cdf(r[1]) - stats.norm.cdf(r[0])
    return inside if a > 0 else 1 - inside


def _two_terms(a, b, c):
    """P(a1 Y1^2 + b1 Y1 + a2 Y2^2 + b2 Y2 < c): the one-term law integrated over Y2."""
    def integrand(y):
        return _one_term(a[0], b[0], c - a[1] * y * y - b[1] * y) * stats.norm.pdf(y)
    return integrate.quad(integrand, -12, 12, limit=500, epsabs=1e-10, epsrel=1e-10)[0]


def _random_forms(seed, p, n, scales=(0.0, 0.3, 3.0)):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        a = rng.normal(size=p)
        b = rng.normal(size=p) * rng.choice(scales)
        yield a, b, a.sum() + 3 * rng.normal()


def test_one_dimension_matches_the_roots_of_the_parabola():
    forms = list(_random_forms(0, 1, 30))
    got = quadratic_form_cdf([f[0] for f in forms], [f[1] for f in forms], [f[2] for f in forms])
    want = [_one_term(a[0], b[0], c) for a, b, c in forms]
    np.testing.assert_allclose(got, want, atol=1e-7)


def test_two_dimensions_match_conditional_quadrature():
    forms = list(_random_forms(1, 2, 6))
    got = quadratic_form_cdf([f[0] for f in forms], [f[1] for f in forms], [f[2] for f in forms])
    np.testing.assert_allclose(got, [_two_terms(*f) for f in forms], atol=1e-7)


def _imhof(a, b, c):
    """P(sum a Y^2 + b Y < c) by Imhof's integral, adaptive quadrature (scipy's quad)."""
    def integrand(u):
        x = 2 * a * u
        phase = np.sum(0.5 * np.arctan(x) - a * b**2 * u**3 / (1 + x**2)) - c * u
        modulus = np.exp(np.sum(-0.25 * np.log1p(x**2) - b**2 * u**2 / (2 * (1 + x**2))))
        return modulus * np.sin(phase) / u
    return 0.5 - integrate.quad(integrand, 0, np.inf, limit=1000, epsabs=1e-9)[0] / np.pi


@pytest.mark.parametrize("p", [4, 6])
def test_more_dimensions_match_imhof(p):
    # b != 0 keeps scipy's quad quick (the slowly decaying b = 0 case is the chi-square test's)
    forms = list(_random_forms(p, p, 4, scales=(0.3, 1.0)))
    got = quadratic_form_cdf([f[0] for f in forms], [f[1] for f in forms], [f[2] for f in forms])
    np.testing.assert_allclose(got, [_imhof(*f) for f in forms], atol=5e-7)


@pytest.mark.parametrize("df", [3, 6])
def test_equal_coefficients_match_the_noncentral_chi_square(df):
    # a (Y + delta)^2 summed over df terms: a non-central chi-square scaled by a
    rng = np.random.default_rng(df)
    delta = rng.normal(size=df)
    for a, x in [(0.7, 4.0), (0.7, 9.0), (-1.3, -5.0)]:
        got = quadratic_form_cdf([np.full(df, a)], [2 * a * delta], [x - a * delta @ delta])[0]
        law = stats.ncx2(df, delta @ delta)
        want = law.cdf(x / a) if a > 0 else law.sf(x / a)
        assert got == pytest.approx(want, abs=1e-7)


def test_linear_and_degenerate_forms():
    assert quadratic_form_cdf([[0.0, 0.0]], [[3.0, 4.0]], [5.0])[0] == pytest.approx(
        stats.norm.cdf(1.0), abs=1e-12)
    # Q is 0: a tie counts half, as in MixSim's definition
    np.testing.assert_array_equal(quadratic_form_cdf(np.zeros((3, 2)), np.zeros((3, 2)),
                                                     [-1.0, 0.0, 1.0]), [0.0, 0.5, 1.0])


# --- Gaussian overlap: exact against closed forms and Monte Carlo ------------------------------


def test_equal_covariances_match_the_normal_closed_form():
    cov = np.array([[1.0, 0.3], [0.3, 0.5]])
    means, weights = np.array([[0.0, 0.0], [1.5, 0.4]]), np.array([0.3, 0.7])
    w = overlap({"means": means, "covariances": cov, "weights": weights,
                 "covariance_type": "tied"}).misclassification
    delta = np.sqrt((means[1] - means[0]) @ np.linalg.solve(cov, means[1] - means[0]))
    for i, j in [(0, 1), (1, 0)]:
        want = stats.norm.cdf((np.log(weights[j] / weights[i]) - delta**2 / 2) / delta)
        assert w[i, j] == pytest.approx(want, abs=1e-12)


def test_equal_weights_give_one_minus_total_variation():
    # one dimension, unequal variances: omega = integral of min(f_i, f_j)
    params = {"means": [[0.0], [1.0]], "covariances": [[[1.0]], [[2.5]]]}
    f = [stats.norm(0, 1), stats.norm(1, np.sqrt(2.5))]
    shared = integrate.quad(lambda x: min(f[0].pdf(x), f[1].pdf(x)), -30, 30, limit=400,
                            points=[-2.0, 0.0, 2.0], epsabs=1e-12)[0]
    assert overlap(params).max == pytest.approx(shared, abs=1e-7)


def _monte_carlo(params, n, seed):
    """w_j|i estimated from n points of each component, and its standard error."""
    means, covs, weights = params
    rng = np.random.default_rng(seed)
    k = len(means)
    laws = [stats.multivariate_normal(means[j], covs[j]) for j in range(k)]
    w = np.zeros((k, k))
    for i in range(k):
        x = rng.multivariate_normal(means[i], covs[i], size=n)
        scores = np.stack([np.log(weights[j]) + laws[j].logpdf(x) for j in range(k)])
        w[i] = (scores > scores[i]).mean(axis=1)
    return w, np.sqrt(np.maximum(w * (1 - w), 1 / n) / n)


MIXTURES = {
    "full": {"means": [[0.0, 0.0, 0.0], [1.0, 0.5, 0.0], [0.0, 1.2, 0.8]],
             "covariances": [np.eye(3) * 0.6, [[1.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0, 0.2, 0.5]],
                             np.diag([0.3, 0.9, 0.6])], "weights": [0.5, 0.3, 0.2]},
    "diag": {"means": [[0.0, 0.0], [1.5, 0.5], [0.5, 2.0]],
             "covariances": [[0.5, 0.8], [1.0, 0.3], [0.6, 0.6]], "covariance_type": "diag"},
    "spherical": {"means": [[0.0, 0.0], [1.0, 1.0], [2.5, 0.0]],
                  "covariances": [0.5, 1.5, 0.8], "weights": [0.2, 0.5, 0.3],
                  "covariance_type": "spherical"},
    "tied": {"means": [[0.0, 0.0], [1.0, 0.8], [1.8, -0.5]],
             "covariances": [[1.0, 0.4], [0.4, 0.7]], "covariance_type": "tied"},
    "worksheet": worksheet_gaussians(),
}


@pytest.mark.parametrize("name", sorted(MIXTURES))
def test_gaussian_overlap_matches_monte_carlo(name):
    from skmix._component_match import gaussians_of

    result = overlap(MIXTURES[name])
    w_mc, se = _monte_carlo(gaussians_of(MIXTURES[name], "m"), 100_000, seed=17)
    assert np.all(np.abs(result.misclassification - w_mc) <= 3 * se + 1e-12), (
        result.misclassification, w_mc, se)


def test_overlap_map_is_symmetric_and_invariant():
    params = MIXTURES["full"]
    result = overlap(params)
    assert np.allclose(result.matrix, result.matrix.T) and np.all(np.diag(result.matrix) == 1)
    # an affine change of coordinates changes nothing
    a = np.array([[2.0, 0.3, 0.0], [0.0, 1.0, -0.5], [0.1, 0.0, 3.0]])
    moved = {"means": np.asarray(params["means"]) @ a.T + 7,
             "covariances": [a @ np.asarray(c) @ a.T for c in params["covariances"]],
             "weights": params["weights"]}
    np.testing.assert_allclose(overlap(moved).matrix, result.matrix, atol=1e-7)
    # reordering the components reorders the map
    order = [2, 0, 1]
    shuffled = {key: [params[key][k] for k in order] for key in params}
    np.testing.assert_allclose(overlap(shuffled).matrix, result.matrix[np.ix_(order, order)],
                               atol=1e-9)


def test_overlap_grows_with_the_covariances():
    params = MIXTURES["full"]
    means = [overlap({**params, "covariances": np.asarray(params["covariances"]) * s}).mean
             for s in [0.01, 0.2, 1.0, 5.0, 50.0]]
    assert np.all(np.diff(means) > 0) and means[0] < 1e-3


def test_worksheet_gaussians_overlap_little():
    result = overlap(worksheet_gaussians())
    assert result.max < 0.01 and result.pair == (1, 2)


# --- topic overlap ----------------------------------------------------------------------------


def test_worksheet_topics_overlap_by_hand():
    # "merry" and "run" (1/7 in birthday, 1/8 in lord_of_the_rings): a word of the second topic
    # is likelier under the first when it is one of those two, 2/8; never the other way round
    result = overlap(worksheet_topics())
    np.testing.assert_allclose(result.misclassification, [[0, 0], [0.25, 0]])
    assert result.mean == result.max == pytest.approx(0.25)


def test_bars_overlap_by_hand():
    # a row and a column share one word, 1/5 in both (a tie: half of 1/5 each way); rows
    # (columns) share nothing: 25 of the 45 pairs at 0.2
    result = overlap(bars_topics(5))
    assert result.misclassification[0, 5] == pytest.approx(0.1)
    assert result.max == pytest.approx(0.2) and result.mean == pytest.approx(25 * 0.2 / 45)
    assert result.matrix[0, 1] == 0 and result.names[:2] == ["row0", "row1"]


def test_topic_overlap_matches_sampled_words():
    params = make_topics(4, 50, mean_overlap=0.3, random_state=3)
    topics, n = params["topics"], 200_000
    rng = np.random.default_rng(5)
    result = overlap(params)
    for i in range(4):
        words = rng.choice(50, size=n, p=topics[i])
        p_i, p_j = topics[i, words], topics[:, words]
        w = ((p_j > p_i) + 0.5 * (p_j == p_i)).mean(axis=1)
        se = np.sqrt(np.maximum(w * (1 - w), 1 / n) / n)
        w[i] = 0.0
        assert np.all(np.abs(result.misclassification[i] - w) <= 3 * se)


def test_overlap_takes_every_model_form():
    truth = make_topics(3, 30, mean_overlap=0.2, random_state=0)
    want = overlap(truth).matrix
    generator = TopicMixtureGenerator(**truth, doc_topic_prior=0.5, random_state=0).fit()
    np.testing.assert_allclose(overlap(generator).matrix, want)
    np.testing.assert_allclose(overlap(truth["topics"], vocabulary=truth["vocabulary"]).matrix,
                               want)
    corpus = generator.sample(60)
    lda = LdaModel(corpus.to_bow(), num_topics=3, id2word=corpus.dictionary(), random_state=0,
                   passes=2)
    assert overlap(lda).matrix.shape == (3, 3)
    sampler = GaussianMixtureSampler(**MIXTURES["diag"]).fit()
    np.testing.assert_allclose(overlap(sampler).matrix, overlap(MIXTURES["diag"]).matrix)
    X, _ = sampler.sample(300, random_state=0)
    fitted = GaussianMixture(3, covariance_type="diag", random_state=0).fit(X)
    assert overlap(fitted).matrix.shape == (3, 3)
    assert isinstance(overlap(Dictionary(corpus).token2id and worksheet_topics()), OverlapMap)


def test_overlap_refuses_what_it_cannot_read():
    with pytest.raises(TypeError, match="model"):
        overlap(42)
    with pytest.raises(ValueError, match="model has 1 component: an overlap needs at least two"):
        overlap({"means": [[0.0, 1.0]], "covariances": [np.eye(2)]})
    with pytest.raises(ValueError, match="model has 1 topic: an overlap needs at least two"):
        overlap([["a", "b"]])
    with pytest.raises(ValueError, match="covariances of model"):
        overlap({"means": [[0.0], [1.0]], "covariances": [[[1.0]], [[-1.0]]]})


def test_overlap_refuses_a_vocabulary_that_does_not_fit():
    with pytest.raises(ValueError, match="3 words for 2 columns"):
        overlap(np.eye(2), vocabulary=["a", "b", "c"])
    with pytest.raises(ValueError, match="vocabulary="):
        overlap(np.eye(2))


def test_overlap_map_reads():
    text = str(overlap(MIXTURES["spherical"]))
    assert text.startswith("overlap of 3 Gaussian components: mean")
    assert "component_0" in text.splitlines()[1]
    # more than 12 topics: the summary line only
    assert str(overlap(bars_topics(7))).splitlines() == [
        "overlap of 14 topics: mean 0.0769, max 0.1429 (row0 and col0)"]


# --- make_gaussian_mixture ---------------------------------------------------------------------


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_gaussian_mean_target_reached(covariance_type):
    params = make_gaussian_mixture(4, 3, mean_overlap=0.05, covariance_type=covariance_type,
                                   random_state=1)
    assert abs(overlap(params).mean - 0.05) <= 1e-3
    X, y = GaussianMixtureSampler(**params, random_state=0).fit().sample(50)
    assert X.shape == (50, 3) and set(y) <= {0, 1, 2, 3}


def test_gaussian_max_and_both_targets_reached():
    result = overlap(make_gaussian_mixture(5, 2, max_overlap=0.2, random_state=2))
    assert abs(result.max - 0.2) <= 1e-3
    result = overlap(make_gaussian_mixture(5, 3, mean_overlap=0.05, max_overlap=0.25,
                                           min_weight=0.1, random_state=0))
    assert abs(result.mean - 0.05) <= 1e-3 and abs(result.max - 0.25) <= 1e-3


def test_gaussian_weights_and_seeds():
    params = make_gaussian_mixture(4, 2, mean_overlap=0.1, min_weight=0.2, random_state=3)
    assert params["weights"].min() >= 0.2 and params["weights"].sum() == pytest.approx(1)
    again = make_gaussian_mixture(4, 2, mean_overlap=0.1, min_weight=0.2, random_state=3)
    np.testing.assert_array_equal(params["means"], again["means"])
    assert np.all(make_gaussian_mixture(3, 2, random_state=0)["weights"] == 1 / 3)


def test_gaussian_unreachable_target_names_the_range(monkeypatch):
    monkeypatch.setattr("skmix._difficulty._MAX_DRAWS", 5)  # each failed draw costs a search
    with pytest.raises(ValueError, match=r"reachable range was 0 < mean_overlap < 0\.\d+"):
        make_gaussian_mixture(3, 2, mean_overlap=0.97, random_state=0)
    with pytest.raises(ValueError, match=r"reachable range is 0 < mean_overlap"):
        make_gaussian_mixture(3, 4, mean_overlap=0.2, max_overlap=0.21, random_state=0)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"n_components": 1}, ValueError, "n_components must be >= 2"),
    ({"n_components": 2.5}, TypeError, "n_components must be an integer"),
    ({"n_features": 0}, ValueError, "n_features must be >= 1"),
    ({"mean_overlap": 0.0}, ValueError, "mean_overlap must be between 0 and 1"),
    ({"mean_overlap": 1.2}, ValueError, "mean_overlap must be between 0 and 1"),
    ({"mean_overlap": "0.1"}, TypeError, "mean_overlap must be a number"),
    ({"max_overlap": True}, TypeError, "max_overlap must be a number"),
    ({"max_overlap": -0.1}, ValueError, "max_overlap must be between 0 and 1"),
    ({"mean_overlap": 0.2, "max_overlap": 0.1}, ValueError, "max_overlap=0.1 must be between"),
    ({"mean_overlap": 0.01, "max_overlap": 0.5}, ValueError, "times the number of pairs"),
    ({"covariance_type": "round"}, ValueError, "covariance_type must be one of"),
    ({"covariance_type": "tied", "mean_overlap": 0.05, "max_overlap": 0.1}, ValueError,
     "not both"),
    ({"min_weight": 0.0}, ValueError, r"min_weight must be in \(0, 1/n_components\]"),
    ({"min_weight": 0.5}, ValueError, "min_weight must be in"),
    ({"min_weight": "a"}, TypeError, "min_weight must be a number"),
    ({"random_state": "seed"}, TypeError, "random_state must be"),
])
def test_make_gaussian_mixture_rejects(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_gaussian_mixture(**kwargs)


# --- make_topics -----------------------------------------------------------------------------


@pytest.mark.parametrize("law", ["zipf", "uniform"])
def test_topic_targets_reached(law):
    for targets in [{"mean_overlap": 0.15}, {"max_overlap": 0.3},
                    {"mean_overlap": 0.1, "max_overlap": 0.3}]:
        params = make_topics(8, 400, word_distribution=law, random_state=4, **targets)
        result = overlap(params)
        for name, got in [("mean_overlap", result.mean), ("max_overlap", result.max)]:
            if name in targets:
                assert abs(got - targets[name]) <= 1e-3
        np.testing.assert_allclose(params["topics"].sum(axis=1), 1.0)


def test_topics_follow_the_word_law_and_feed_the_generator():
    params = make_topics(4, 100, mean_overlap=0.05, zipf_exponent=1.5, random_state=0)
    block = params["topics"][0, :25]
    np.testing.assert_allclose(block / block[0], np.arange(1, 26) ** -1.5)
    assert params["vocabulary"][:2] == ["w00", "w01"] and len(set(params["vocabulary"])) == 100
    corpus = TopicMixtureGenerator(**params, doc_topic_prior=0.1, random_state=0).fit().sample(5)
    assert len(corpus) == 5 and all(word in params["vocabulary"] for word in corpus[0])


def test_topic_unreachable_targets_name_the_range():
    with pytest.raises(ValueError, match=r"reachable range is 0 < mean_overlap <= 0\.\d+"):
        make_topics(10, 100, mean_overlap=0.9, random_state=0)
    with pytest.raises(ValueError, match=r"reachable range is 0 < max_overlap <= 0\.\d+"):
        make_topics(10, 100, max_overlap=0.95, random_state=0)
    with pytest.raises(ValueError, match=r"reachable range is 0\.\d+ <= mean_overlap <= 0\."):
        make_topics(10, 100, mean_overlap=0.02, max_overlap=0.6, random_state=0)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"n_topics": 1}, ValueError, "n_topics must be >= 2"),
    ({"n_topics": "3"}, TypeError, "n_topics must be an integer"),
    ({"n_words": 5}, ValueError, "n_words must be >= 10"),
    ({"mean_overlap": 1.0}, ValueError, "mean_overlap must be between 0 and 1"),
    ({"max_overlap": "high"}, TypeError, "max_overlap must be a number"),
    ({"word_distribution": "gauss"}, ValueError, "word_distribution must be one of"),
    ({"zipf_exponent": 0}, ValueError, "zipf_exponent must be a finite number > 0"),
    ({"zipf_exponent": float("nan")}, ValueError, "zipf_exponent must be a finite number"),
    ({"zipf_exponent": "1"}, TypeError, "zipf_exponent must be a number"),
    ({"random_state": -1}, ValueError, "random_state must be a non-negative integer"),
])
def test_make_topics_rejects(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_topics(**kwargs)
