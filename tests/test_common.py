"""scikit-learn's estimator checks over every skmix estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmix import GaussianMixtureSampler, TopicMixtureGenerator

# sklearn's checks fit random dense and sparse matrices of 1 to 10 columns: the generator is
# checked as it learns from data (n_topics), with a fast fit; given topics fix the words, so a
# matrix of other columns is refused (tests/test_topic_fit.py tests that path)
ESTIMATORS = [
    GaussianMixtureSampler(random_state=0),
    TopicMixtureGenerator(n_topics=2, passes=2, iterations=20, n_init=1, random_state=0),
]

# estimator class -> {check name: why it is expected to fail}; none so far: every check passes
EXPECTED_FAILED_CHECKS = {GaussianMixtureSampler: {}, TopicMixtureGenerator: {}}


@parametrize_with_checks(
    ESTIMATORS, expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS[type(estimator)]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda estimator: type(estimator).__name__)
def test_every_parameter_is_declared_in_parameter_constraints(estimator):
    assert set(estimator._parameter_constraints) == set(estimator.get_params())
