"""Ready-made ground truths: the classroom worksheet's and Griffiths & Steyvers' bars, and
random Gaussian mixtures and topics at a chosen difficulty (``make_gaussian_mixture``,
``make_topics``: MixSim's overlap, see :func:`skmix.compare.overlap`)."""

import numpy as np

from ._difficulty import make_gaussian_mixture, make_topics
from ._validation import check_positive_int

__all__ = [
    "bars_topics",
    "make_gaussian_mixture",
    "make_topics",
    "worksheet_gaussians",
    "worksheet_topics",
]


def __dir__():
    return __all__


def worksheet_gaussians():
    """The worksheet's three 2-D Gaussians, as keyword arguments of ``GaussianMixtureSampler``.

    Returns
    -------
    params : dict
        ``means`` of shape (3, 2): (1, 1), (5, 2), (1, 4); ``covariances`` of shape (3, 2, 2):
        diag(0.1, 0.1), diag(0.5, 0.4), diag(1, 0.1). Weights are left out (uniform).

    Examples
    --------
    >>> from skmix.datasets import worksheet_gaussians
    >>> worksheet_gaussians()["means"]
    array([[1., 1.],
           [5., 2.],
           [1., 4.]])
    """
    means = np.array([[1.0, 1.0], [5.0, 2.0], [1.0, 4.0]])
    variances = np.array([[0.1, 0.1], [0.5, 0.4], [1.0, 0.1]])
    covariances = np.stack([np.diag(v) for v in variances])
    return {"means": means, "covariances": covariances}


def worksheet_topics():
    """The worksheet's two word groups; "merry" and "run" are in both.

    Returns
    -------
    topics : dict of str to list of str
        ``"birthday"`` (a kids' birthday party, 7 words) and ``"lord_of_the_rings"`` (8 words).

    Examples
    --------
    >>> from skmix.datasets import worksheet_topics
    >>> sorted(set(worksheet_topics()["birthday"]) & set(worksheet_topics()["lord_of_the_rings"]))
    ['merry', 'run']
    """
    return {
        "birthday": ["balloon", "happy", "run", "merry", "cake", "jump", "pizza"],
        "lord_of_the_rings": ["spider", "ring", "drums", "orc", "battle", "merry", "run", "frodo"],
    }


def bars_topics(size=5):
    """The "bars" topics of Griffiths & Steyvers (2004), each uniform over one row or column.

    The vocabulary is a ``size x size`` grid of words ``"r{row}c{col}"``; topic ``"row{i}"``
    holds the words of row ``i`` and ``"col{j}"`` those of column ``j``: ``2 * size`` topics.

    Parameters
    ----------
    size : int, default=5
        The side of the grid.

    Returns
    -------
    topics : dict of str to list of str

    Examples
    --------
    >>> from skmix.datasets import bars_topics
    >>> topics = bars_topics(3)
    >>> list(topics)
    ['row0', 'row1', 'row2', 'col0', 'col1', 'col2']
    >>> topics["col1"]
    ['r0c1', 'r1c1', 'r2c1']
    """
    size = check_positive_int(size, "size")
    rows = {f"row{i}": [f"r{i}c{j}" for j in range(size)] for i in range(size)}
    cols = {f"col{j}": [f"r{i}c{j}" for i in range(size)] for j in range(size)}
    return rows | cols
