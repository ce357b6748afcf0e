"""Figures drawn from the comparison summary produced by :func:`bargainsim.analysis.summarize`.

Figures are built on :class:`matplotlib.figure.Figure` directly and rendered by
the Agg canvas, so plotting never touches pyplot's global state or backend.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bargainsim.analysis import HEADLINE, OUTCOMES, STATUS_QUO, arm_order, summary_baseline, summary_level

logger = logging.getLogger(__name__)

DPI = 150
BASELINE_COLOUR = "#7f7f7f"
# Okabe-Ito colours (safe for colour-blind readers and greyscale print), grey left out.
ARM_PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
)
ARM_MARKERS = ("o", "s", "D", "^", "v", "P")


def arm_colours(arms: Iterable[str], baseline: str = STATUS_QUO) -> dict[str, str]:
    """Colour per arm: grey for the baseline, the palette in order for the others."""
    others = (arm for arm in arm_order(arms, baseline) if arm != baseline)
    colours = {arm: ARM_PALETTE[i % len(ARM_PALETTE)] for i, arm in enumerate(others)}
    return {baseline: BASELINE_COLOUR, **colours}


def arm_markers(arms: Iterable[str], baseline: str = STATUS_QUO) -> dict[str, str]:
    """Marker per arm: a new marker each time the palette wraps, so every (colour, marker) pair is unique."""
    others = (arm for arm in arm_order(arms, baseline) if arm != baseline)
    markers = {arm: ARM_MARKERS[(i // len(ARM_PALETTE)) % len(ARM_MARKERS)] for i, arm in enumerate(others)}
    return {baseline: "o", **markers}


def _better(name: str) -> str:
    """'higher is better' / 'lower is better' / '' for an outcome."""
    higher = OUTCOMES[name].higher_is_better
    return "" if higher is None else ("higher is better" if higher else "lower is better")


def _error(centre: pd.Series, low: pd.Series, high: pd.Series) -> np.ndarray:
    """Asymmetric error-bar lengths (2 x n); missing intervals drawn as zero length."""
    err = np.vstack([centre - low, high - centre]).astype(float)
    return np.clip(np.nan_to_num(err, nan=0.0), 0.0, None)


def _save(fig: Figure, path: str | Path) -> Path:
    """Write the figure as PNG, creating the parent folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png")
    logger.debug("wrote %s", path)
    return path


def _rows(summary: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Summary rows of one outcome, indexed by arm."""
    rows = summary[summary["outcome"] == outcome].set_index("reform")
    if rows.empty:
        raise ValueError(f"outcome {outcome!r} not in summary")
    return rows


def _point_range(ax: Axes, rows: pd.DataFrame, arms: list[str], colours: dict[str, str],
                 columns: tuple[str, str, str] = ("diff", "diff_ci_low", "diff_ci_high")) -> None:
    """Horizontal point-range chart (paired differences by default), first arm at the top."""
    centre, low, high = columns
    for position, arm in enumerate(reversed(arms)):
        if arm not in rows.index:
            continue
        row = rows.loc[[arm]]
        ax.errorbar(
            row[centre], [position],
            xerr=_error(row[centre], row[low], row[high]),
            fmt="o", color=colours[arm], ecolor=colours[arm], elinewidth=1.5, capsize=3,
            markersize=6,
        )
    if centre == "diff":
        ax.axvline(0.0, color=BASELINE_COLOUR, linewidth=1, linestyle="--", zorder=0)
    ax.set_yticks(range(len(arms)), list(reversed(arms)))
    ax.set_ylim(-0.6, len(arms) - 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def plot_outcomes_by_reform(
    summary: pd.DataFrame, path: str | Path, outcomes: Sequence[str] | None = None
) -> Path:
    """Grid of panels, one per outcome, of each arm's paired difference vs the baseline; with the baseline
    alone, its levels (mean and CI)."""
    names = list(outcomes) if outcomes is not None else [
        name for name in HEADLINE if name in set(summary["outcome"])
    ]
    if not names:
        raise ValueError("no outcomes to plot")
    baseline = summary_baseline(summary)
    all_arms = arm_order(summary["reform"], baseline)
    colours = arm_colours(all_arms, baseline)
    arms = [arm for arm in all_arms if arm != baseline]
    levels = not arms
    if levels:
        arms = [baseline]
    columns = ("mean", "ci_low", "ci_high") if levels else ("diff", "diff_ci_low", "diff_ci_high")

    ncols = min(3, len(names))
    nrows = math.ceil(len(names) / ncols)
    fig = Figure(
        figsize=(4.0 * ncols + 1.2, (0.45 * len(arms) + 1.7) * nrows + 0.5),
        layout="constrained",
    )
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    for ax, name in zip(axes, names):
        _point_range(ax, _rows(summary, name), arms, colours, columns)
        better = _better(name)
        ax.set_xlabel(("" if levels else "Δ ") + OUTCOMES[name].label + (f"\n{better}" if better else ""))
        ax.set_title(OUTCOMES[name].title, fontsize="medium")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    replications = int(summary.loc[summary["reform"].isin(arms), "n"].max())
    fig.suptitle(
        f"{baseline}: outcomes (mean and {summary_level(summary):.0%} CI over {replications} replications)" if levels
        else f"Difference vs {baseline} by reform arm "
             f"(mean and {summary_level(summary):.0%} paired CI over {replications} replications)"
    )
    return _save(fig, path)


def plot_tradeoff(
    summary: pd.DataFrame,
    path: str | Path,
    x: str = "days_to_disposition",
    y: str = "voluntariness",
) -> Path:
    """Scatter of each arm's mean ``y`` against mean ``x``, with CIs in both directions."""
    baseline = summary_baseline(summary)
    arms = arm_order(summary["reform"], baseline)
    colours, markers = arm_colours(arms, baseline), arm_markers(arms, baseline)
    x_rows, y_rows = _rows(summary, x), _rows(summary, y)

    fig = Figure(figsize=(7.0, 5.5), layout="constrained")
    ax = fig.subplots()
    for arm in arms:
        if arm not in x_rows.index or arm not in y_rows.index:
            continue
        xr, yr = x_rows.loc[[arm]], y_rows.loc[[arm]]
        ax.errorbar(
            xr["mean"], yr["mean"],
            xerr=_error(xr["mean"], xr["ci_low"], xr["ci_high"]),
            yerr=_error(yr["mean"], yr["ci_low"], yr["ci_high"]),
            fmt=markers[arm], color=colours[arm], ecolor=colours[arm], elinewidth=1.5, capsize=3,
            markersize=7, label=arm,
        )
        ax.annotate(
            arm, (float(xr["mean"].iloc[0]), float(yr["mean"].iloc[0])),
            xytext=(6, 6), textcoords="offset points", fontsize="small", color=colours[arm],
        )
    for setter, name in ((ax.set_xlabel, x), (ax.set_ylabel, y)):
        better = _better(name)
        setter(OUTCOMES[name].label + (f", {better}" if better else ""))
    x_group, y_group = OUTCOMES[x].group, OUTCOMES[y].group
    ax.set_title(
        f"{y_group.capitalize()} vs {x_group}" if x_group != y_group
        else f"{OUTCOMES[y].title} vs {OUTCOMES[x].title.lower()}"
    )
    ax.grid(color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(title=f"Arm (mean, {summary_level(summary):.0%} CI)", fontsize="small",
              title_fontsize="small", loc="best")
    return _save(fig, path)


def plot_calibration(figures: pd.DataFrame, tolerance_pp: float, path: str | Path) -> Path:
    """One panel per calibrated figure: the target with its tolerance band, the figure before calibration, and the
    simulated mean with its CI (columns of :func:`bargainsim.calibration.figure_table`)."""
    if figures.empty:
        raise ValueError("no calibrated figures to plot")
    fig = Figure(figsize=(2.6 * len(figures) + 0.6, 3.2), layout="constrained")
    axes = fig.subplots(1, len(figures), squeeze=False).ravel()
    for ax, row in zip(axes, figures.itertuples()):
        target, band = 100.0 * row.target, tolerance_pp
        ax.axhspan(target - band, target + band, color="#dddddd", zorder=0, label=f"target ± {band:g} pp")
        ax.axhline(target, color=BASELINE_COLOUR, linestyle="--", linewidth=1)
        ax.plot([-0.4], [100.0 * row.start_mean], marker="o", markerfacecolor="none", color=BASELINE_COLOUR,
                linestyle="none", markersize=6, label="before calibration (fit run)")
        mean = pd.Series([100.0 * row.mean])
        ax.errorbar([0], mean, yerr=_error(mean, pd.Series([100.0 * row.ci_low]), pd.Series([100.0 * row.ci_high])),
                    fmt="o", color=ARM_PALETTE[0], capsize=4, markersize=6, label="simulated (95% CI)")
        ax.set_xlim(-1, 1)
        ax.set_xticks([])
        low = min(target - 2.5 * band, 100.0 * min(row.ci_low, row.start_mean) - 0.5 * band)
        high = max(target + 2.5 * band, 100.0 * max(row.ci_high, row.start_mean) + 0.5 * band)
        ax.set_ylim(low, high)
        ax.set_title(OUTCOMES[row.figure].title, fontsize="medium")
        ax.set_ylabel("%")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize="small", loc="outside lower center", ncols=3)
    fig.suptitle("Status quo vs the 2024 national figures (validation run)", fontsize="medium")
    return _save(fig, path)
