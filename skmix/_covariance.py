"""Covariance types: how each ``covariance_type`` stores K covariances in d dimensions, once.

Used by the sampler (shapes, unit covariances, precisions) and by ``match_components`` (full
matrices from any stored form), so a covariance type is known in one place.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class _CovarianceForm(NamedTuple):
    """How one ``covariance_type`` stores the covariances of K components in d dimensions."""

    shape: Callable  # (K, d) -> the shape of ``covariances``
    identity: Callable  # (K, d) -> unit covariances in this form
    as_matrices: Callable  # (covariances, K, d) -> the same as (K, d, d) matrices
    inverse: Callable  # covariances -> precisions in this form


_COVARIANCE_FORMS = {
    "full": _CovarianceForm(
        shape=lambda k, d: (k, d, d),
        identity=lambda k, d: np.tile(np.eye(d), (k, 1, 1)),
        as_matrices=lambda cov, k, d: cov,
        inverse=np.linalg.inv,
    ),
    "tied": _CovarianceForm(
        shape=lambda k, d: (d, d),
        identity=lambda k, d: np.eye(d),
        as_matrices=lambda cov, k, d: np.broadcast_to(cov, (k, d, d)),
        inverse=np.linalg.inv,
    ),
    "diag": _CovarianceForm(
        shape=lambda k, d: (k, d),
        identity=lambda k, d: np.ones((k, d)),
        as_matrices=lambda cov, k, d: cov[:, :, None] * np.eye(d),
        inverse=np.reciprocal,
    ),
    "spherical": _CovarianceForm(
        shape=lambda k, d: (k,),
        identity=lambda k, d: np.ones(k),
        as_matrices=lambda cov, k, d: cov[:, None, None] * np.eye(d),
        inverse=np.reciprocal,
    ),
}
