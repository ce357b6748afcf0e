"""How the figures look: each arm's colour and marker (fixed by the reform catalogue's order), panel grids,
outcome labels, error bars, and writing a figure as PNG."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bargainsim.analysis import ALL_OUTCOMES, STATUS_QUO, arm_order

logger = logging.getLogger(__name__)

DPI = 150
BASELINE_COLOUR = "#7f7f7f"
# Okabe-Ito colours (safe for colour-blind readers and greyscale print), grey left out.
ARM_PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
)
ARM_MARKERS = ("o", "s", "D", "^", "v", "P")


def _palette_order(arms: Iterable[str], baseline: str, order: Sequence[str] | None) -> list[str]:
    """Non-baseline arms in palette order: the arms of ``order`` (such as the reform catalogue) by their position
    there, so a reform keeps its colour from figure to figure and study to study; other arms after them."""
    present = [arm for arm in arm_order(arms, baseline) if arm != baseline]
    if order is None:
        return present
    fixed = [arm for arm in dict.fromkeys(order) if arm != baseline]
    return fixed + [arm for arm in present if arm not in fixed]


def _by_palette_rank(arms: Iterable[str], baseline: str, order: Sequence[str] | None, base: str,
                     style: Callable[[int], str]) -> dict[str, str]:
    """A style per arm: ``base`` for the baseline, ``style(rank)`` for the others by their palette rank."""
    arms = list(arms)
    ranked = {arm: style(i) for i, arm in enumerate(_palette_order(arms, baseline, order))}
    return {baseline: base, **{arm: ranked[arm] for arm in arm_order(arms, baseline) if arm != baseline}}


def arm_colours(arms: Iterable[str], baseline: str = STATUS_QUO,
                order: Sequence[str] | None = None) -> dict[str, str]:
    """Colour per arm: grey for the baseline, the palette in order for the others (in ``order`` if given)."""
    return _by_palette_rank(arms, baseline, order, BASELINE_COLOUR, lambda i: ARM_PALETTE[i % len(ARM_PALETTE)])


def arm_markers(arms: Iterable[str], baseline: str = STATUS_QUO,
                order: Sequence[str] | None = None) -> dict[str, str]:
    """Marker per arm: a new marker each time the palette wraps, so every (colour, marker) pair is unique."""
    return _by_palette_rank(arms, baseline, order, "o",
                            lambda i: ARM_MARKERS[(i // len(ARM_PALETTE)) % len(ARM_MARKERS)])


def _better(name: str) -> str:
    """'higher is better' / 'lower is better' / '' for an outcome."""
    higher = ALL_OUTCOMES[name].higher_is_better
    return "" if higher is None else ("higher is better" if higher else "lower is better")


def outcome_label(name: str, separator: str = "\n") -> str:
    """An outcome's label with unit, and which direction is better where one is."""
    better = _better(name)
    return ALL_OUTCOMES[name].label + (f"{separator}{better}" if better else "")


def gridlines(ax: Axes, axis: str = "both") -> None:
    """Light grid lines behind the data."""
    ax.grid(axis=axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def panels(count: int, width: float, height: float, extra: tuple[float, float]) -> tuple[Figure, np.ndarray]:
    """A figure of ``count`` panels sharing the vertical axis, up to three a row, each ``width`` × ``height``
    inches (plus ``extra`` for the whole figure); panels left over are hidden."""
    ncols = min(3, count)
    nrows = math.ceil(count / ncols)
    fig = Figure(figsize=(width * ncols + extra[0], height * nrows + extra[1]), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    return fig, axes


def legend(fig: Figure, ax: Axes, **options: object) -> None:
    """The figure's legend, of the entries of one panel."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, fontsize="small", **options)


def error_bars(centre: pd.Series, low: pd.Series, high: pd.Series) -> np.ndarray:
    """Asymmetric error-bar lengths (2 x n); missing intervals drawn as zero length."""
    err = np.vstack([centre - low, high - centre]).astype(float)
    return np.clip(np.nan_to_num(err, nan=0.0), 0.0, None)


def save(fig: Figure, path: str | Path) -> Path:
    """Write the figure as PNG, creating the parent folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png")
    logger.debug("wrote %s", path)
    return path
