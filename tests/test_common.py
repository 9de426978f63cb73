"""scikit-learn's estimator checks over every skmix estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skmix import GaussianMixtureSampler

ESTIMATORS = [GaussianMixtureSampler(random_state=0)]

# check name -> why it is expected to fail (none so far: every check passes)
EXPECTED_FAILED_CHECKS = {}


@parametrize_with_checks(
    ESTIMATORS, expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
