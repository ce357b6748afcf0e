"""Figures drawn from the comparison summary produced by :func:`bargainsim.analysis.summarize`.

Figures are built on :class:`matplotlib.figure.Figure` directly and rendered by
the Agg canvas, so plotting never touches pyplot's global state or backend.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from bargainsim.analysis import ALL_OUTCOMES, HEADLINE, arm_order, summary_baseline, summary_level
from bargainsim.analysis.vignette import FACTORS
from bargainsim.params import Behaviour, Caseload, Guideline, Rules, Timing
from bargainsim.reporting.style import (
    ARM_PALETTE,
    BASELINE_COLOUR,
    arm_colours,
    arm_markers,
    error_bars,
    gridlines,
    legend,
    outcome_label,
    panels,
    save,
)

logger = logging.getLogger(__name__)


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
            xerr=error_bars(row[centre], row[low], row[high]),
            fmt="o", color=colours[arm], ecolor=colours[arm], elinewidth=1.5, capsize=3,
            markersize=6,
        )
    if centre == "diff":
        ax.axvline(0.0, color=BASELINE_COLOUR, linewidth=1, linestyle="--", zorder=0)
    ax.set_yticks(range(len(arms)), list(reversed(arms)))
    ax.set_ylim(-0.6, len(arms) - 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    gridlines(ax, "x")


def plot_outcomes_by_reform(
    summary: pd.DataFrame, path: str | Path, outcomes: Sequence[str] | None = None,
    order: Sequence[str] | None = None,
) -> Path:
    """Grid of panels, one per outcome, of each arm's paired difference vs the baseline; with the baseline
    alone, its levels (mean and CI). ``order`` fixes the colour of each arm (see :func:`arm_colours`)."""
    names = list(outcomes) if outcomes is not None else [
        name for name in HEADLINE if name in set(summary["outcome"])
    ]
    if not names:
        raise ValueError("no outcomes to plot")
    baseline = summary_baseline(summary)
    all_arms = arm_order(summary["reform"], baseline)
    colours = arm_colours(all_arms, baseline, order)
    arms = [arm for arm in all_arms if arm != baseline]
    levels = not arms
    if levels:
        arms = [baseline]
    columns = ("mean", "ci_low", "ci_high") if levels else ("diff", "diff_ci_low", "diff_ci_high")

    fig, axes = panels(len(names), 4.0, 0.45 * len(arms) + 1.7, (1.2, 0.5))
    for ax, name in zip(axes, names):
        _point_range(ax, _rows(summary, name), arms, colours, columns)
        ax.set_xlabel(("" if levels else "Δ ") + outcome_label(name))
        ax.set_title(ALL_OUTCOMES[name].title, fontsize="medium")
    replications = int(summary.loc[summary["reform"].isin(arms), "n"].max())
    fig.suptitle(
        f"{baseline}: outcomes (mean and {summary_level(summary):.0%} CI over {replications} replications)" if levels
        else f"Difference vs {baseline} by reform arm "
             f"(mean and {summary_level(summary):.0%} paired CI over {replications} replications)"
    )
    return save(fig, path)


def _frontier(points: dict[str, tuple[float, float]], x_higher: bool, y_higher: bool) -> list[str]:
    """Arms no other arm beats on both axes (the trade-off frontier), ordered along x."""
    def better(a: tuple[float, float], b: tuple[float, float]) -> bool:
        ax_, ay = (a[0] if x_higher else -a[0]), (a[1] if y_higher else -a[1])
        bx, by = (b[0] if x_higher else -b[0]), (b[1] if y_higher else -b[1])
        return ax_ >= bx and ay >= by and (ax_ > bx or ay > by)
    front = [arm for arm, p in points.items() if not any(better(q, p) for other, q in points.items() if other != arm)]
    return sorted(front, key=lambda arm: points[arm][0])


_LABEL_DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))


def _place_labels(ax: Axes, points: dict[str, tuple[float, float]], colours: dict[str, str],
                  texts: dict[str, str] | None = None) -> None:
    """Label each point where the label overlaps no other label or point and stays inside the axes: candidate
    positions at growing distances in eight directions; a leader line joins a label set away from its point."""
    fig = ax.figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering()
    axes_box = ax.get_window_extent(renderer)
    pixel = fig.dpi / 72.0
    marks = [Bbox.from_bounds(*(ax.transData.transform(p) - 5 * pixel), 10 * pixel, 10 * pixel)
             for p in points.values()]
    placed: list[Bbox] = []
    for arm, point in sorted(points.items(), key=lambda item: -item[1][1]):
        label = texts.get(arm, arm) if texts else arm
        chosen = _free_place(ax, renderer, label, point, colours[arm], axes_box, placed + marks)
        if chosen is None:
            logger.debug("no free place for the label of %s; drawn at the point", arm)
            text = ax.annotate(label, point, xytext=(6, 6), textcoords="offset points", fontsize="small",
                               color=colours[arm])
            text.set_in_layout(False)
            text.update_positions(renderer)
            chosen = Text.get_window_extent(text, renderer)
        placed.append(chosen)


def _free_place(ax: Axes, renderer: object, label: str, point: tuple[float, float], colour: str, axes_box: Bbox,
                taken: list[Bbox]) -> Bbox | None:
    """Annotate ``point`` at the first candidate position whose label stays inside the axes and overlaps nothing
    ``taken``; the label's box (None, and no label, if there is no such position)."""
    pixel = ax.figure.dpi / 72.0
    for radius in (6, 14, 24, 36, 52, 72):
        for dx, dy in _LABEL_DIRECTIONS:
            text = ax.annotate(
                label, point, xytext=(dx * radius, dy * radius), textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                fontsize="small", color=colour, annotation_clip=False,
                arrowprops=None if radius <= 6 else {"arrowstyle": "-", "color": colour, "lw": 0.6},
            )
            text.set_in_layout(False)
            text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer).padded(2 * pixel)  # the text, not its leader
            inside = axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                return box
            text.remove()
    return None


def _cross(ax: Axes, xr: pd.DataFrame, yr: pd.DataFrame, colour: str, marker: str,
           label: str) -> tuple[float, float]:
    """One arm's means with their CIs in both directions; the point."""
    ax.errorbar(
        xr["mean"], yr["mean"],
        xerr=error_bars(xr["mean"], xr["ci_low"], xr["ci_high"]),
        yerr=error_bars(yr["mean"], yr["ci_low"], yr["ci_high"]),
        fmt=marker, color=colour, ecolor=colour, elinewidth=1.5, capsize=3, markersize=7, label=label,
    )
    return float(xr["mean"].iloc[0]), float(yr["mean"].iloc[0])


def plot_tradeoff(
    summary: pd.DataFrame,
    path: str | Path,
    x: str = "days_to_disposition",
    y: str = "voluntariness",
    order: Sequence[str] | None = None,
) -> Path:
    """Scatter of each arm's mean ``y`` against mean ``x`` with CIs in both directions, labels placed clear of
    each other, and the trade-off frontier (arms no other arm beats on both outcomes) joined by a dashed line."""
    baseline = summary_baseline(summary)
    arms = arm_order(summary["reform"], baseline)
    colours, markers = arm_colours(arms, baseline, order), arm_markers(arms, baseline, order)
    x_rows, y_rows = _rows(summary, x), _rows(summary, y)

    # Many arms or long names (grid cells): number the points and name them in the legend.
    numbered = len(arms) > 12 or max(len(arm) for arm in arms) > 28
    texts = {arm: str(i) for i, arm in enumerate(arms, start=1)} if numbered else None
    fig = Figure(figsize=(8.0, 6.0), layout="constrained")
    ax = fig.subplots()
    points: dict[str, tuple[float, float]] = {}
    for arm in arms:
        if arm in x_rows.index and arm in y_rows.index:
            point = _cross(ax, x_rows.loc[[arm]], y_rows.loc[[arm]], colours[arm], markers[arm],
                           f"{texts[arm]}  {arm}" if texts else arm)
            if all(math.isfinite(v) for v in point):
                points[arm] = point
    x_higher, y_higher = ALL_OUTCOMES[x].higher_is_better, ALL_OUTCOMES[y].higher_is_better
    if x_higher is not None and y_higher is not None and len(points) > 1:
        front = _frontier(points, x_higher, y_higher)
        ax.plot([points[arm][0] for arm in front], [points[arm][1] for arm in front], linestyle="--",
                color="#444444", linewidth=1, zorder=0, label="frontier (no arm better on both)")
    ax.set_xlabel(outcome_label(x, ", "))
    ax.set_ylabel(outcome_label(y, ", "))
    x_group, y_group = ALL_OUTCOMES[x].group, ALL_OUTCOMES[y].group
    ax.set_title(
        f"{y_group.capitalize()} vs {x_group}" if x_group != y_group
        else f"{ALL_OUTCOMES[y].title} vs {ALL_OUTCOMES[x].title.lower()}"
    )
    ax.margins(0.15)
    gridlines(ax)
    fig.legend(title=f"Arm (mean, {summary_level(summary):.0%} CI)", fontsize="small", title_fontsize="small",
               loc="outside right upper")
    _place_labels(ax, points, colours, texts)
    return save(fig, path)


def _format_level(value: object) -> str:
    return f"{value:g}" if isinstance(value, (int, float, np.floating, np.integer)) else str(value)


def plot_heatmaps(
    cells: pd.DataFrame, path: str | Path, outcome: str, x: str, y: str, facet: str | None = None,
) -> Path:
    """Heatmap of an outcome's mean over a 2-D grid (``x`` by ``y`` columns of ``cells``), one panel per value of
    ``facet``; each cell shows its mean and CI half-width. ``cells`` has columns x, y, [facet], mean, ci_low,
    ci_high."""
    facets = list(dict.fromkeys(cells[facet])) if facet else [None]
    xs, ys = list(dict.fromkeys(cells[x])), list(dict.fromkeys(cells[y]))
    spec = ALL_OUTCOMES[outcome]
    higher = spec.higher_is_better
    cmap = "viridis" if higher is not False else "viridis_r"
    low, high = float(np.nanmin(cells["mean"])), float(np.nanmax(cells["mean"]))
    if high - low < 1e-9:
        low, high = low - 0.5 * 10 ** -spec.decimals, high + 0.5 * 10 ** -spec.decimals
    fig = Figure(figsize=(1.2 + 0.9 * len(xs) * len(facets) + 1.5, 1.6 + 0.55 * len(ys)), layout="constrained")
    axes = fig.subplots(1, len(facets), squeeze=False, sharey=True).ravel()
    image = None
    for ax, level in zip(axes, facets):
        part = cells if facet is None else cells[cells[facet] == level]
        grid = np.full((len(ys), len(xs)), np.nan)
        half = np.full_like(grid, np.nan)
        for _, row in part.iterrows():
            i, j = ys.index(row[y]), xs.index(row[x])
            grid[i, j] = row["mean"]
            half[i, j] = (row["ci_high"] - row["ci_low"]) / 2.0
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, vmin=low, vmax=high)
        _cell_texts(ax, grid, half, spec.decimals, (low + high) / 2.0, dark_below=cmap == "viridis")
        ax.set_xticks(range(len(xs)), [_format_level(v) for v in xs])
        ax.set_yticks(range(len(ys)), [_format_level(v) for v in ys])
        ax.set_xlabel(_axis_name(x))
        if facet is not None:
            name = facet.split(".", 1)[-1].replace("_", " ")
            title = f"{name} = {_format_level(level)}" if "." in facet else str(level)
            ax.set_title(title, fontsize="medium")
    axes[0].set_ylabel(_axis_name(y))
    fig.colorbar(image, ax=list(axes), label=outcome_label(outcome), shrink=0.9)
    fig.suptitle(f"{spec.title}: mean over replications (±{summary_level(cells):.0%} CI half-width)")
    return save(fig, path)


def _cell_texts(ax: Axes, grid: np.ndarray, half: np.ndarray, decimals: int, mid: float, dark_below: bool) -> None:
    """Each heatmap cell's mean and CI half-width, white on the dark side of ``mid``."""
    for i, j in zip(*np.nonzero(np.isfinite(grid))):
        dark = (grid[i, j] < mid) == dark_below
        spread = f"\n±{half[i, j]:.{decimals}f}" if np.isfinite(half[i, j]) else ""
        ax.text(j, i, f"{grid[i, j]:.{decimals}f}{spread}", ha="center", va="center", fontsize="x-small",
                color="white" if dark else "black")


def _axis_name(key: str) -> str:
    """Axis label of a sweep parameter such as ``rules.disclosure``: its name, with its unit from its field in
    :mod:`bargainsim.params`."""
    section, _, name = key.rpartition(".")
    cls = {"rules": Rules, "rules.guideline": Guideline, "behaviour": Behaviour, "caseload": Caseload,
           "timing": Timing}.get(section)
    units = {f.name: f.metadata.get("unit", "") for f in dataclasses.fields(cls)} if cls else {}
    label = (name or key).replace("_", " ")
    return f"{label} ({units[name]})" if units.get(name) else label


def plot_sobol(indices: pd.DataFrame, path: str | Path, target: str) -> Path:
    """Bar charts of first-order (S1) and total (ST) Sobol indices with CIs, one panel per outcome, for one
    target (an arm's level or a reform's effect)."""
    part = indices[indices["target"] == target]
    outcomes = list(dict.fromkeys(part["outcome"]))
    if not outcomes:
        raise ValueError(f"no Sobol indices for {target!r}")
    parameters = list(dict.fromkeys(part["parameter"]))
    fig, axes = panels(len(outcomes), 4.2, 0.32 * len(parameters) + 1.4, (1.8, 0.8))
    positions = np.arange(len(parameters))
    for ax, outcome in zip(axes, outcomes):
        rows = part[part["outcome"] == outcome].set_index("parameter").reindex(parameters)
        for offset, (column, colour, label) in enumerate((("S1", "#0072B2", "first order S1"),
                                                         ("ST", "#D55E00", "total ST"))):
            ax.barh(positions + (0.2 if offset == 0 else -0.2), rows[column].fillna(0.0), height=0.38,
                    xerr=rows[f"{column}_conf"].fillna(0.0), color=colour, ecolor="#333333", capsize=2,
                    label=label)
        ax.axvline(0.0, color=BASELINE_COLOUR, linewidth=0.8)
        ax.set_yticks(positions, [name.split(".", 1)[-1] for name in parameters])
        ax.invert_yaxis()
        ax.set_xlabel("Sobol index (share of output variance)")
        ax.set_title(ALL_OUTCOMES[outcome].label if outcome in ALL_OUTCOMES else outcome, fontsize="medium")
        gridlines(ax, "x")
    level = float(part["level"].iloc[0]) if "level" in part.columns else 0.95
    n_base = int(part["n_base"].iloc[0]) if "n_base" in part.columns else 0
    legend(fig, axes[0], loc="outside lower center", ncols=2)
    fig.suptitle(f"Sobol indices of {target} (N = {n_base}, {level:.0%} bootstrap CI)")
    return save(fig, path)


def plot_levels_by_group(summary: pd.DataFrame, path: str | Path, group: str,
                         outcomes: Sequence[str] | None = None, order: Sequence[str] | None = None) -> Path:
    """Panels per outcome of each arm's mean and CI within each level of ``group`` (such as the track): groups
    on the vertical axis, arms side by side in their colours."""
    names = list(outcomes) if outcomes is not None else [n for n in HEADLINE if n in set(summary["outcome"])]
    baseline = summary_baseline(summary)
    arms = arm_order(summary["reform"], baseline)
    colours, markers = arm_colours(arms, baseline, order), arm_markers(arms, baseline, order)
    levels = list(dict.fromkeys(summary[group]))
    fig, axes = panels(len(names), 4.0, 0.5 * len(levels) * max(1, len(arms)) ** 0.5 + 1.6, (1.5, 0.8))
    step = 0.7 / max(1, len(arms))
    for ax, name in zip(axes, names):
        rows = summary[summary["outcome"] == name]
        for k, arm in enumerate(arms):
            part = rows[rows["reform"] == arm].set_index(group).reindex(levels)
            position = np.arange(len(levels)) + 0.35 - step * (k + 0.5)
            ax.errorbar(part["mean"], position, xerr=error_bars(part["mean"], part["ci_low"], part["ci_high"]),
                        fmt=markers[arm], color=colours[arm], capsize=3, markersize=6, linestyle="none",
                        label=arm)
        ax.set_yticks(range(len(levels)), levels)
        ax.invert_yaxis()
        ax.set_xlabel(outcome_label(name))
        ax.set_title(ALL_OUTCOMES[name].title, fontsize="medium")
        gridlines(ax, "x")
    legend(fig, axes[0], title="Arm", loc="outside right upper", title_fontsize="small")
    fig.suptitle(f"Outcomes by {group.replace('_', ' ')} (mean and {summary_level(summary):.0%} CI over replications)")
    return save(fig, path)


def plot_calibration(figures: pd.DataFrame, tolerance_pp: float, path: str | Path) -> Path:
    """One panel per calibrated figure: the target with its tolerance band, the figure before calibration, and the
    simulated mean with its CI (columns of :func:`bargainsim.harness.calibration.figure_table`)."""
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
        ax.errorbar([0], mean, yerr=error_bars(mean, pd.Series([100.0 * row.ci_low]), pd.Series([100.0 * row.ci_high])),
                    fmt="o", color=ARM_PALETTE[0], capsize=4, markersize=6, label="simulated (95% CI)")
        ax.set_xlim(-1, 1)
        ax.set_xticks([])
        low = min(target - 2.5 * band, 100.0 * min(row.ci_low, row.start_mean) - 0.5 * band)
        high = max(target + 2.5 * band, 100.0 * max(row.ci_high, row.start_mean) + 0.5 * band)
        ax.set_ylim(low, high)
        ax.set_title(ALL_OUTCOMES[row.figure].title, fontsize="medium")
        ax.set_ylabel("%")
    legend(fig, axes[0], loc="outside lower center", ncols=3)
    fig.suptitle("Status quo vs the 2024 national figures (validation run)", fontsize="medium")
    return save(fig, path)


def plot_acceptance(table: pd.DataFrame, path: str | Path, suspects: int, x: str = "offer",
                    y: str = "conviction_probability", rows: str = "guilt") -> Path:
    """Heatmaps of a vignette's acceptance rates (:func:`bargainsim.analysis.vignette.acceptance_table`): ``x`` by
    ``y`` in each panel; a column of panels per level of the first other factor that varies, a row per level of
    ``rows`` and of the remaining ones; each cell shows its rate and the half-width of its 95% CI, on one colour
    scale from 0 to 1. Factors held fixed are named in the title."""
    others = [name for name in FACTORS if name in table.columns and name not in (x, y, rows)]
    varying = [name for name in others if table[name].nunique() > 1]
    across, down = varying[:1], [rows, *varying[1:]]
    panel_rows = list(dict.fromkeys(zip(*(table[name] for name in down))))
    panel_columns = list(dict.fromkeys(zip(*(table[name] for name in across)))) if across else [()]
    xs, ys = list(dict.fromkeys(table[x])), list(dict.fromkeys(table[y]))
    fig = Figure(figsize=(1.4 + (0.75 * len(xs) + 0.5) * len(panel_columns),
                          1.0 + (0.45 * len(ys) + 0.75) * len(panel_rows)), layout="constrained")
    axes = fig.subplots(len(panel_rows), len(panel_columns), squeeze=False, sharex=True, sharey=True)
    image = None
    for i, row_key in enumerate(panel_rows):
        for j, column_key in enumerate(panel_columns):
            ax = axes[i, j]
            mask = np.ones(len(table), dtype=bool)
            for name, value in zip([*down, *across], [*row_key, *column_key]):
                mask &= (table[name] == value).to_numpy()
            grid = np.full((len(ys), len(xs)), np.nan)
            half = np.full_like(grid, np.nan)
            for _, row in table[mask].iterrows():
                grid[ys.index(row[y]), xs.index(row[x])] = row["rate"]
                half[ys.index(row[y]), xs.index(row[x])] = (row["ci_high"] - row["ci_low"]) / 2.0
            image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis", vmin=0.0, vmax=1.0)
            _cell_texts(ax, grid, half, 2, 0.5, dark_below=True)
            ax.set_xticks(range(len(xs)), [_format_level(v) for v in xs])
            ax.set_yticks(range(len(ys)), [_format_level(v) for v in ys])
            parts = list(zip([*down, *across], [*row_key, *column_key]))
            lines = (", ".join(_factor_level(n, v) for n, v in parts if isinstance(v, str)),
                     ", ".join(_factor_level(n, v) for n, v in parts if not isinstance(v, str)))
            ax.set_title("\n".join(line for line in lines if line), fontsize="small")
    fig.supxlabel(_factor_label(x), fontsize="medium")
    fig.supylabel(_factor_label(y), fontsize="medium")
    fig.colorbar(image, ax=list(axes.ravel()), label="acceptance rate", shrink=0.9)
    held = "; ".join(_factor_level(name, table[name].iloc[0]) for name in others if name not in varying)
    fig.suptitle(f"Acceptance rate per cell (±95% CI half-width), {suspects:,} suspects per cell"
                 + (f"\n{held}" if held else ""), fontsize="medium")
    return save(fig, path)


def _factor_label(name: str) -> str:
    """Axis label of a vignette factor, with its unit in months."""
    return name.replace("_", " ") + (" (months)" if FACTORS[name].unit == "months" else "")


def _factor_level(name: str, value: object) -> str:
    """A vignette factor's level in a panel title: the level itself for words, 'name = value [months]' for
    numbers."""
    if isinstance(value, str):
        return value.replace("_", " ") if name != "counsel" else f"counsel: {value}"
    unit = " months" if FACTORS[name].unit == "months" else ""
    return f"{name.replace('_', ' ')} = {_format_level(value)}{unit}"


def _grid(count: int, columns: int = 4) -> tuple[int, int]:
    return math.ceil(count / columns), min(count, columns)


def plot_marginals(particles: pd.DataFrame, priors: dict[str, tuple[float, float]], defaults: dict[str, float],
                   path: str | Path) -> Path:
    """One panel per parameter: the weighted posterior histogram over its prior range (a flat prior is the
    dashed line), and the default."""
    names = list(priors)
    rows, columns = _grid(len(names))
    fig = Figure(figsize=(2.6 * columns + 0.4, 2.1 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    weights = particles["weight"].to_numpy(float)
    for ax, name in zip(axes, names):
        low, high = priors[name]
        ax.hist(particles[name], bins=20, range=(low, high), weights=weights, density=True,
                color=ARM_PALETTE[0], alpha=0.7)
        ax.axhline(1.0 / (high - low), color=BASELINE_COLOUR, linestyle="--", linewidth=1, label="prior")
        ax.axvline(defaults[name], color=ARM_PALETTE[1], linewidth=1.5, label="default")
        ax.set_xlim(low, high)
        ax.set_yticks([])
        ax.set_title(name, fontsize="small")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    legend(fig, axes[0], loc="outside lower center", ncols=2)
    fig.suptitle("Posterior marginals of the behavioural parameters", fontsize="medium")
    return save(fig, path)


def plot_pairs(particles: pd.DataFrame, priors: dict[str, tuple[float, float]], defaults: dict[str, float],
               summary: pd.DataFrame, path: str | Path, count: int = 6) -> Path:
    """Pairwise weighted scatter of the ``count`` parameters the national figures inform most (the smallest
    posterior sd relative to the prior's), with the defaults."""
    names = summary.sort_values("sd_ratio")["parameter"].head(count).tolist()
    fig = Figure(figsize=(1.9 * len(names) + 0.4, 1.9 * len(names) + 0.4), layout="constrained")
    axes = fig.subplots(len(names), len(names), squeeze=False)
    sizes = 400.0 * particles["weight"].to_numpy(float)
    for i, y in enumerate(names):
        for j, x in enumerate(names):
            ax = axes[i, j]
            if i == j:
                ax.hist(particles[x], bins=20, range=priors[x], weights=particles["weight"], color=ARM_PALETTE[0],
                        alpha=0.7)
                ax.set_yticks([])
            else:
                ax.scatter(particles[x], particles[y], s=sizes, color=ARM_PALETTE[0], alpha=0.35, linewidths=0)
                ax.plot([defaults[x]], [defaults[y]], marker="x", color=ARM_PALETTE[1], markersize=7)
                ax.set_ylim(*priors[y])
            ax.set_xlim(*priors[x])
            ax.tick_params(labelsize="x-small")
            if i == len(names) - 1:
                ax.set_xlabel(x, fontsize="x-small")
            if j == 0 and i != j:
                ax.set_ylabel(y, fontsize="x-small")
    fig.suptitle("Posterior pairs of the best-informed parameters (× the defaults)", fontsize="medium")
    return save(fig, path)


def plot_predictive(simulated: pd.DataFrame, targets: dict[str, float], path: str | Path) -> Path:
    """One panel per target: the figures simulated at the posterior draws (fresh cases) and the published one."""
    fig = Figure(figsize=(2.6 * len(targets) + 0.6, 3.0), layout="constrained")
    axes = fig.subplots(1, len(targets), squeeze=False).ravel()
    for ax, (name, target) in zip(axes, targets.items()):
        ax.hist(100.0 * simulated[name], bins=20, color=ARM_PALETTE[0], alpha=0.7, label="simulated at draws")
        ax.axvline(100.0 * target, color=BASELINE_COLOUR, linestyle="--", linewidth=1.5, label="published")
        ax.set_yticks([])
        ax.set_xlabel("%")
        ax.set_title(ALL_OUTCOMES[name].title, fontsize="small")
    legend(fig, axes[0], loc="outside lower center", ncols=2)
    fig.suptitle("Posterior predictive check: the national figures", fontsize="medium")
    return save(fig, path)


def plot_robustness(per_draw: pd.DataFrame, table: pd.DataFrame, path: str | Path) -> Path:
    """One panel per headline outcome: each reform's effects over the posterior draws (a box of the 5–95%
    range with the median), zero dashed; robust effects in colour, fragile ones grey."""
    outcomes = [name for name in HEADLINE if name in set(per_draw["outcome"])]
    arms = list(dict.fromkeys(per_draw["reform"]))
    rows, columns = _grid(len(outcomes), 3)
    fig = Figure(figsize=(4.2 * columns, 0.28 * len(arms) * rows + 1.2 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    robust = {(r.reform, r.outcome): r.robust for r in table.itertuples()}
    for ax, outcome in zip(axes, outcomes):
        for y, arm in enumerate(arms):
            values = per_draw[(per_draw["reform"] == arm) & (per_draw["outcome"] == outcome)]["effect"].dropna()
            if values.empty:
                continue
            low, median, high = np.quantile(values, [0.05, 0.5, 0.95])
            colour = ARM_PALETTE[0] if robust.get((arm, outcome)) else "#aaaaaa"
            ax.plot([low, high], [y, y], color=colour, linewidth=4, alpha=0.6, solid_capstyle="butt")
            ax.plot([median], [y], marker="|", color="black", markersize=9)
        ax.axvline(0.0, color=BASELINE_COLOUR, linestyle="--", linewidth=1)
        ax.set_yticks(range(len(arms)), arms if ax in axes[::columns] else [""] * len(arms), fontsize="x-small")
        ax.invert_yaxis()
        ax.set_title(ALL_OUTCOMES[outcome].title, fontsize="small")
        ax.tick_params(axis="x", labelsize="x-small")
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle("Reform effects over the posterior (5–95% of draws, median; grey: sign not robust)",
                 fontsize="medium")
    return save(fig, path)
