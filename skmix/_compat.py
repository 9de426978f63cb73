"""Every private scikit-learn name skmix uses, imported here and nowhere else.

scikit-learn may move or change its private names in any release; when one does, this module is
the one place to adapt (``tests/test_compat.py`` checks each name is there and does its job).
"""

import importlib

from sklearn.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_feature_names

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_check_feature_names",
    "_fit_context",
]

# sklearn.mixture costs about 0.13 s to import: only the Gaussian sampler's names load it
_MIXTURE = {
    "BaseMixture": "sklearn.mixture._base",
    "_compute_precision_cholesky": "sklearn.mixture._gaussian_mixture",
}


def __getattr__(name):
    if name not in _MIXTURE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_MIXTURE[name]), name)
