"""The results of a study: tidy rows, the tables drawn from them, and their pictures.

Tables and frames are pandas (the ``study`` extra), pictures matplotlib (the ``plot`` extra),
both imported only when asked for.
"""

import numpy as np

from ._matching import _import_pyplot


def _pandas():
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("study results as tables need pandas; install it with: "
                          "pip install 'skmix[study]'") from exc
    return pandas


def _values(key):
    """The values of a groupby key, as a list (pandas gives a tuple for a list of columns)."""
    return list(key) if isinstance(key, tuple) else [key]


def _check_rate(rate):
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
        raise ValueError(f"rate must be a number in (0, 1], got {rate!r}.")
    return float(rate)


class StudyResults:
    """The rows of a :class:`~skmix.study.RecoveryStudy` run, and what they say.

    Attributes
    ----------
    rows : list of dict
        One per grid cell x fitter x repeat (``kind="fit"``), then the reseed rows
        (``kind="reseed"``: two fits of one fitter with other seeds on the same data, matched
        to each other), in row order. Each has the grid parameters, ``n_tokens`` (topics),
        ``fit_seconds``, ``generate_seconds``, ``compare_seconds`` and every report figure
        (``passed``, ``fraction_recovered``, ``mean_distance``, ``max_distance``,
        ``distances``, ``coverage``, ``redundancy``, ...).
    info : dict
        ``kind`` (``"topics"`` or ``"mixture"``), ``size_key``, ``params`` (the other grid
        keys) and ``fitters`` (their names, in order).
    """

    def __init__(self, rows, info):
        self.rows = rows
        self.info = info

    def __repr__(self):
        return (f"{type(self).__name__}({len(self.rows)} rows, {self.info['kind']} truth, "
                f"fitters {self.info['fitters']}, grid keys "
                f"{[self.size_key, *self.info['params']]})")

    @property
    def size_key(self):
        """str: ``"n_documents"`` (topics) or ``"n_samples"`` (mixtures)."""
        return self.info["size_key"]

    @property
    def frame(self):
        """pandas.DataFrame: the rows, one column per field (needs the ``study`` extra)."""
        return _pandas().DataFrame(self.rows)

    def _fits(self, kind="fit"):
        frame = self.frame
        return frame[frame["kind"] == kind]

    def _groups(self):
        """The columns that, with the size, name a curve: fitter and the other grid keys."""
        return ["fitter", *self.info["params"]]

    def pass_rates(self):
        """Per fitter, other grid parameters and size: the share of repeats that passed and
        the spread of the mean distance.

        Returns
        -------
        table : pandas.DataFrame
            Columns ``passed`` (share), ``mean_distance`` (mean over repeats),
            ``distance_min``, ``distance_max`` and ``repeats``.
        """
        fits = self._fits()
        grouped = fits.groupby([*self._groups(), self.size_key], sort=True, dropna=False)
        return grouped.agg(passed=("passed", "mean"), mean_distance=("mean_distance", "mean"),
                           distance_min=("mean_distance", "min"),
                           distance_max=("mean_distance", "max"),
                           repeats=("passed", "size")).reset_index()

    def min_sizes(self, rate=0.8):
        """The smallest size at which each curve passes in ``rate`` of its repeats.

        A size counts when that share of repeats passed there and at every larger size of
        the grid (one lucky small size does not count); ``None`` when no size does.

        Parameters
        ----------
        rate : float, default=0.8
            The share of repeats that must pass.

        Returns
        -------
        table : pandas.DataFrame
            One row per fitter and value of the other grid keys, column ``min_size``.
        """
        rate = _check_rate(rate)
        rates = self.pass_rates()
        groups = self._groups()
        rows = []
        for key, curve in rates.groupby(groups, sort=False, dropna=False):
            rows.append([*_values(key), _smallest_passing(curve, self.size_key, rate)])
        table = _pandas().DataFrame(rows, columns=[*groups, "min_size"])
        return table.astype({"min_size": "Int64"})  # <NA> where no size is enough

    def min_size(self, fitter, rate=0.8, **where):
        """The smallest size at which ``fitter`` passes in ``rate`` of the repeats.

        Parameters
        ----------
        fitter : str
            A fitter's name.
        rate : float, default=0.8
            The share of repeats that must pass (there and at every larger size).
        **where
            Values of the other grid keys, when the grid has several.

        Returns
        -------
        size : int or None
            None when no size of the grid is enough.
        """
        if fitter not in self.info["fitters"]:
            raise ValueError(f"fitter must be one of {self.info['fitters']}, got {fitter!r}.")
        unknown = sorted(set(where) - set(self.info["params"]))
        if unknown:
            raise ValueError(f"{unknown} are not grid keys; the grid varies "
                             f"{self.info['params']}.")
        table = self.min_sizes(rate)
        table = table[table["fitter"] == fitter]
        for key, value in where.items():
            table = table[table[key] == value]
        if len(table) != 1:
            raise ValueError(f"{len(table)} curves of {fitter!r} match {where}: give a value "
                             f"for each of {self.info['params']}.")
        size = table["min_size"].iloc[0]
        return None if size is _pandas().NA else int(size)

    def reseed_ceiling(self):
        """Each fitter against itself: two fits with other seeds on the same data, matched.

        A fitter cannot be expected to agree with the truth more closely than with its own
        refits; a mean distance near the truth's is as good as that fitter gets.

        Returns
        -------
        table : pandas.DataFrame
            Per fitter, other grid parameters and size: ``mean_distance``, ``max_distance``
            (between the two refits) and ``reproduced`` (every topic or component of one
            fit matched within the threshold by the other).
        """
        reseeds = self._fits("reseed")
        grouped = reseeds.groupby([*self._groups(), self.size_key], sort=True, dropna=False)
        return grouped.agg(mean_distance=("mean_distance", "mean"),
                           max_distance=("max_distance", "max"),
                           reproduced=("passed", "mean")).reset_index()

    def plot(self, path=None):
        """Recovery against size per fitter: share of repeats passed, and distances with their
        spread (the band: smallest to largest over repeats; dotted: the reseed ceiling).

        Needs matplotlib (the ``plot`` extra).

        Parameters
        ----------
        path : str or path-like, default=None
            Where to save the figure (PNG, SVG, ... by its extension).

        Returns
        -------
        figure : matplotlib.figure.Figure
        """
        plt = _import_pyplot(type(self).__name__)
        figure, (share, spread) = plt.subplots(1, 2, figsize=(11, 4.2))
        rates, ceilings = self.pass_rates(), self.reseed_ceiling()
        for i, (key, curve) in enumerate(rates.groupby(self._groups(), sort=False,
                                                       dropna=False)):
            label, colour = _label(self._groups(), key), f"C{i % 10}"
            x = curve[self.size_key]
            share.plot(x, curve["passed"], "o-", color=colour, label=label)
            spread.plot(x, curve["mean_distance"], "o-", color=colour, label=label)
            spread.fill_between(x, curve["distance_min"], curve["distance_max"], color=colour,
                                alpha=0.2)
            _draw_ceiling(spread, ceilings, self._groups(), key, colour)
        _decorate(share, spread, self.size_key, self.info, sorted(set(rates[self.size_key])))
        return _save(figure, path)


def _smallest_passing(curve, size_key, rate):
    curve = curve.sort_values(size_key)
    ok = (curve["passed"] >= rate).to_numpy()
    suffix_ok = np.logical_and.accumulate(ok[::-1])[::-1]  # passes here and at every larger size
    sizes = curve[size_key].to_numpy()[suffix_ok]
    return int(sizes[0]) if sizes.size else None


def _label(groups, key):
    values = _values(key)
    return ", ".join([str(values[0]), *(f"{g}={v}" for g, v in zip(groups[1:], values[1:],
                                                                   strict=True))])


def _draw_ceiling(ax, ceilings, groups, key, colour):
    mask = np.ones(len(ceilings), dtype=bool)
    for column, value in zip(groups, _values(key), strict=True):
        mask &= (ceilings[column] == value).to_numpy()
    if mask.any():
        ax.axhline(ceilings["mean_distance"][mask].mean(), color=colour, linestyle=":")


def _decorate(share, spread, size_key, info, sizes):
    for ax in (share, spread):
        ax.set_xscale("log")
        ax.set_xticks(sizes, [str(size) for size in sizes])  # the grid's sizes, not 10^k
        ax.minorticks_off()
        ax.set_xlabel(size_key.replace("_", " "))
        ax.grid(alpha=0.3)
    share.set_ylim(-0.03, 1.03)
    share.set_ylabel("share of repeats passed")
    spread.set_ylabel(f"mean {info.get('metric', 'hellinger')} distance to the truth")
    spread.set_ylim(bottom=0)
    spread.set_title("band: spread over repeats; dotted: reseed ceiling", fontsize="small")
    share.set_title("recovered: every true item within the threshold", fontsize="small")
    share.legend(fontsize="small")


def _save(figure, path):
    figure.tight_layout()
    if path is not None:
        figure.savefig(path, dpi=110)
    return figure


class KSelectionResults(StudyResults):
    """The rows of a :class:`~skmix.study.KSelectionStudy` run: one per grid cell x K x repeat,
    with every criterion's score, ``coverage`` and ``redundancy``; and which K each criterion
    picks against the planted K (``n_true``).
    """

    def _cells(self):
        return [*self.info["params"], self.size_key]

    def picks(self):
        """The K each criterion picks in each cell and repeat.

        Returns
        -------
        table : pandas.DataFrame
            Columns: the grid keys, ``repeat``, ``criterion``, ``picked`` (``<NA>`` when
            the criterion does not apply to the fitter) and ``n_true``.
        """
        fits = self._fits()
        rows = []
        for key, group in fits.groupby([*self._cells(), "repeat"], sort=True, dropna=False):
            for name, better in self.info["criteria"].items():
                rows.append([*_values(key), name, _best_k(group, name, better),
                             int(group["n_true"].iloc[0])])
        table = _pandas().DataFrame(rows, columns=[*self._cells(), "repeat", "criterion",
                                                   "picked", "n_true"])
        return table.astype({"picked": "Int64"})

    def pick_summary(self):
        """Per grid cell and criterion: the planted K, the K picked most often, and the share
        of repeats that picked the planted K.

        Returns
        -------
        table : pandas.DataFrame
        """
        picks = self.picks()
        rows = []
        for key, group in picks.groupby([*self._cells(), "criterion"], sort=False,
                                        dropna=False):
            picked = group["picked"].dropna().astype(int)
            mode = None if picked.empty else int(picked.mode().min())
            rows.append([*_values(key), int(group["n_true"].iloc[0]), mode,
                         float((group["picked"] == group["n_true"]).fillna(False).mean())])
        table = _pandas().DataFrame(rows, columns=[*self._cells(), "criterion", "n_true",
                                                   "picked", "share_planted"])
        return table.astype({"picked": "Int64"})  # <NA> where a criterion does not apply

    def by_k(self):
        """Per grid cell and K: mean coverage, redundancy, share passed and criterion scores.

        Returns
        -------
        table : pandas.DataFrame
        """
        fits = self._fits()
        columns = ["coverage", "redundancy", "passed", *self.info["criteria"]]
        return fits.groupby([*self._cells(), "k"], sort=True, dropna=False)[columns].mean(
        ).reset_index()

    def plot(self, path=None):
        """Each criterion's mean score against K, the planted K marked.

        Parameters
        ----------
        path : str or path-like, default=None
            Where to save the figure.

        Returns
        -------
        figure : matplotlib.figure.Figure
        """
        plt = _import_pyplot(type(self).__name__)
        criteria = list(self.info["criteria"])
        n_cols = min(3, len(criteria))
        n_rows = -(-len(criteria) // n_cols)
        figure, axes = plt.subplots(n_rows, n_cols, figsize=(4 * n_cols, 3.2 * n_rows),
                                    squeeze=False)
        table, planted = self.by_k(), sorted(set(self.frame["n_true"]))
        for ax, name in zip(axes.ravel(), criteria, strict=False):
            for i, (key, curve) in enumerate(table.groupby(self._cells(), sort=False)):
                label = ", ".join(f"{column}={value}" for column, value in zip(
                    self._cells(), _values(key), strict=True))
                ax.plot(curve["k"], curve[name], "o-", color=f"C{i % 10}", label=label)
            for k in planted:
                ax.axvline(k, color="grey", linestyle=":")
            ax.set_title(f"{name} ({self.info['criteria'][name]}imise)")
            ax.set_xlabel("K")
        for ax in axes.ravel()[len(criteria):]:
            ax.set_visible(False)
        axes.ravel()[0].legend(fontsize="small")
        return _save(figure, path)


def _best_k(group, name, better):
    scores = group[["k", name]].dropna()
    if scores.empty:
        return None
    index = scores[name].idxmin() if better == "min" else scores[name].idxmax()
    return int(scores.loc[index, "k"])
