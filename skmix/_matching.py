"""Matching machinery shared by the topic and the component comparisons.

Both comparisons reduce to the same steps: a (K_true, K_recovered) distance matrix, a one-to-one
assignment that minimises the summed distance (the Hungarian algorithm, scipy's
``linear_sum_assignment``), a threshold that says which true items were found, a plain-text table
and a heatmap. :class:`MatchReport` holds those steps once; the topic and component reports add
their own columns.
"""

import numpy as np
from scipy.optimize import linear_sum_assignment

UNMATCHED = -1


def one_to_one(distances):
    """The recovered index matched to each true row (``UNMATCHED`` when K_recovered < K_true).

    Parameters
    ----------
    distances : ndarray of shape (n_true, n_recovered)

    Returns
    -------
    match : ndarray of int of shape (n_true,)
    """
    rows, cols = linear_sum_assignment(distances)
    match = np.full(distances.shape[0], UNMATCHED)
    match[rows] = cols
    return match


def format_table(header, rows):
    """Left-aligned plain-text columns, the header underlined."""
    cells = [[str(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _import_pyplot(owner):
    """matplotlib's pyplot, or an ImportError that names the ``plot`` extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{owner}.plot needs matplotlib; install it with: pip install 'skmix[plot]'"
        ) from exc
    return plt


class MatchReport:
    """The result of matching true items to recovered ones: what both reports share.

    Subclasses set ``rows`` (objects with ``name``, ``distance`` and ``found``), ``distances``,
    ``match``, ``threshold``, ``metric``, ``true_names``, ``recovered_names`` and ``max_possible``
    (the distance an unmatched true item counts as), and fill in ``_table``.
    """

    kind = "item"

    @property
    def matched_distances(self):
        """Distance of each true item to its match; unmatched items count as ``max_possible``."""
        return np.array([row.distance for row in self.rows])

    @property
    def mean_distance(self):
        """Mean distance of the true items to their matches."""
        return float(self.matched_distances.mean())

    @property
    def max_distance(self):
        """Largest distance of a true item to its match (the worst recovered item)."""
        return float(self.matched_distances.max())

    @property
    def fraction_recovered(self):
        """Fraction of true items matched at a distance <= ``threshold``."""
        return float(np.mean([row.found for row in self.rows]))

    @property
    def passed(self):
        """True when every true item is matched at a distance <= ``threshold``."""
        return all(row.found for row in self.rows)

    @property
    def unmatched(self):
        """Names of the recovered items no true item was matched to."""
        taken = set(self.match[self.match != UNMATCHED].tolist())
        return [name for j, name in enumerate(self.recovered_names) if j not in taken]

    @property
    def lost(self):
        """Names of the true items not found (no match, or matched beyond ``threshold``)."""
        return [row.name for row in self.rows if not row.found]

    def _summary(self):
        verdict = "PASSED" if self.passed else "FAILED"
        found = sum(row.found for row in self.rows)
        lines = [
            f"{type(self).__name__}: {verdict} - {found} of {len(self.rows)} true {self.kind}s "
            f"found ({self.metric} <= {self.threshold:g}); mean {self.mean_distance:.3f}, "
            f"max {self.max_distance:.3f}",
        ]
        if self.lost:
            lines.append(f"lost: {', '.join(self.lost)}")
        if self.unmatched:
            lines.append(f"recovered {self.kind}s left unmatched: {', '.join(self.unmatched)}")
        return lines

    def __str__(self):
        return "\n".join([*self._summary(), "", self._table()])

    def __repr__(self):
        return self._summary()[0]

    def plot(self, ax=None):
        """Draw the distance matrix as a heatmap, each true item's match marked.

        A matched cell has a thick frame drawn inside it, so that frames of neighbouring cells
        never touch: solid black when the match is found (within ``threshold``), dashed red
        when it is not. A legend above the heatmap says so.

        Needs matplotlib (the ``plot`` extra: ``pip install 'skmix[plot]'``).

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.

        Returns
        -------
        ax : matplotlib Axes
        """
        plt = _import_pyplot(type(self).__name__)
        if ax is None:
            _, ax = plt.subplots(figsize=(2.5 + 0.5 * len(self.recovered_names),
                                          2.5 + 0.4 * len(self.true_names)),
                                 layout="constrained")
        image = ax.imshow(self.distances, cmap="viridis_r", vmin=0, vmax=self.max_possible,
                          aspect="auto")
        ax.figure.colorbar(image, ax=ax, label=f"{self.metric} distance")
        ax.set_xticks(range(len(self.recovered_names)), self.recovered_names, rotation=90)
        ax.set_yticks(range(len(self.true_names)), self.true_names)
        ax.set_xlabel(f"recovered {self.kind}")
        ax.set_ylabel(f"true {self.kind}")
        for i, (row, j) in enumerate(zip(self.rows, self.match, strict=True)):
            if j != UNMATCHED:
                ax.add_patch(plt.Rectangle((j - 0.4, i - 0.4), 0.8, 0.8, fill=False,
                                           **_MATCH_FRAMES[row.found]))
        handles = [plt.Rectangle((0, 0), 1, 1, fill=False, **frame)
                   for frame in _MATCH_FRAMES.values()]
        # The legend sits between the heatmap and the title (lifted above it).
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                  ncols=len(handles), frameon=False, borderaxespad=0.2, handlelength=1.5,
                  fontsize="small")
        ax.set_title("PASSED" if self.passed else f"FAILED: lost {', '.join(self.lost)}",
                     pad=_TITLE_PAD)
        return ax


_TITLE_PAD = 20  # points: room for the legend's one row under the title
# How a matched cell is framed in ``plot``, by whether the match is found.
_MATCH_FRAMES = {
    True: {"edgecolor": "black", "linestyle": "solid", "linewidth": 3,
           "label": "match, found"},
    False: {"edgecolor": "red", "linestyle": (0, (2, 1)), "linewidth": 3,
            "label": "match, too far: lost"},
}


def assert_passed(report):
    """Raise ``AssertionError`` with the report's table unless it passed; return the report."""
    if not report.passed:
        raise AssertionError("\n" + str(report))
    return report
