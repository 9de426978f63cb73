"""The private scikit-learn names of skmix._compat are there and do what skmix relies on."""

import numpy as np

from skmix import _compat


def test_every_private_name_is_importable():
    for name in [*_compat.__all__, *_compat._MIXTURE]:
        assert getattr(_compat, name) is not None


def test_precision_cholesky_of_unit_covariances_is_the_identity():
    cholesky = _compat._compute_precision_cholesky(np.tile(np.eye(2), (3, 1, 1)), "full")
    np.testing.assert_allclose(cholesky, np.tile(np.eye(2), (3, 1, 1)))


def test_the_mixture_constraints_skmix_borrows_are_declared():
    assert {"tol", "max_iter", "n_init"} <= set(_compat.BaseMixture._parameter_constraints)


def test_has_methods_accepts_a_process_and_refuses_an_object_without_draw():
    from skmix.processes import Dirichlet

    constraint = _compat.HasMethods(["draw"])
    assert constraint.is_satisfied_by(Dirichlet(1.0))
    assert not constraint.is_satisfied_by(object())
