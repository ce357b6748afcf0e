"""Paired comparisons of reform arms with the baseline over replications: means, paired differences, Student-t
intervals and p-values (:func:`summarize`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import special

from bargainsim.analysis.outcomes import ALL_OUTCOMES, RUN_KEYS
from bargainsim.core.record import STATUS_QUO

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = [
    "reform", "outcome", "group", "n", "mean", "ci_low", "ci_high",
    "diff", "diff_ci_low", "diff_ci_high", "p_value", "baseline", "level",
]

# Relative size below which a standard deviation is treated as floating-point noise.
_ZERO_SD = 1e-12


def arm_order(arms: Iterable[str], baseline: str = STATUS_QUO) -> list[str]:
    """Distinct arms in order of first appearance, with the baseline first if present."""
    order = list(dict.fromkeys(arms))
    if baseline in order:
        order.remove(baseline)
        order.insert(0, baseline)
    return order


def _t_interval(
    mean: np.ndarray, sd: np.ndarray, n: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Student-t confidence interval; NaN when n < 2, degenerate when sd is 0."""
    df = np.where(n >= 2, n - 1, np.nan)
    half = special.stdtrit(df, 0.5 + level / 2) * sd / np.sqrt(n)
    return mean - half, mean + half


def _snap_sd(sd: pd.Series, scale: pd.Series) -> pd.Series:
    """Standard deviations at floating-point-noise size relative to ``scale`` set to 0."""
    return sd.mask(sd <= _ZERO_SD * np.maximum(scale, 1.0), 0.0)


def _paired(metrics: pd.DataFrame, outcomes: list[str], arms: list[str], baseline: str) -> pd.DataFrame:
    """Per (arm, outcome): replications, mean, SD, and the same of the paired differences with the baseline's run
    of the same replication, with the largest magnitudes involved (the scales of floating-point noise)."""
    long = metrics.melt(
        id_vars=RUN_KEYS, value_vars=outcomes, var_name="outcome", value_name="value"
    )
    long["value"] = long["value"].astype("float64")
    base = long.loc[long["reform"] == baseline, ["replication", "outcome", "value"]]
    long = long.merge(base.rename(columns={"value": "base"}), on=["replication", "outcome"],
                      how="left")
    long["diff"] = long["value"] - long["base"]
    long["value_scale"] = long["value"].abs()
    long["diff_scale"] = np.fmax(long["value_scale"], long["base"].abs())

    grouped = long.groupby(["reform", "outcome"], sort=False)
    agg = grouped.agg(
        n=("value", "count"), mean=("value", "mean"), sd=("value", "std"),
        value_scale=("value_scale", "max"),
        n_pairs=("diff", "count"), diff=("diff", "mean"), diff_sd=("diff", "std"),
        diff_scale=("diff_scale", "max"),
    )
    agg = agg.reindex(pd.MultiIndex.from_product([arms, outcomes], names=["reform", "outcome"]))
    agg["n"] = agg["n"].fillna(0).astype(int)
    return agg


def _intervals(agg: pd.DataFrame, level: float) -> dict[str, np.ndarray]:
    """The t intervals of the means and of the paired differences, and the paired t-test's p-values."""
    sd = _snap_sd(agg["sd"], agg["value_scale"])
    diff_sd = _snap_sd(agg["diff_sd"], agg["diff_scale"])
    negligible = agg["diff"].abs() <= _ZERO_SD * np.maximum(agg["diff_scale"], 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ci_low, ci_high = _t_interval(agg["mean"], sd, agg["n"], level)
        diff_ci_low, diff_ci_high = _t_interval(agg["diff"], diff_sd, agg["n_pairs"], level)
        t_stat = np.where((diff_sd == 0) & negligible, np.nan,
                          agg["diff"] / (diff_sd / np.sqrt(agg["n_pairs"])))
        df = np.where(agg["n_pairs"] >= 2, agg["n_pairs"] - 1, np.nan)
        p_value = 2 * special.stdtr(df, -np.abs(t_stat))
    columns = {"ci_low": ci_low, "ci_high": ci_high, "diff_ci_low": diff_ci_low, "diff_ci_high": diff_ci_high,
               "p_value": p_value}
    return {name: np.asarray(values, dtype=float) for name, values in columns.items()}


def summarize(
    metrics: pd.DataFrame, baseline: str = STATUS_QUO, level: float = 0.95
) -> pd.DataFrame:
    """Tidy comparison table, one row per (reform, outcome).

    ``mean`` and its Student-t CI are over replications; ``diff`` is the mean paired
    difference (arm - baseline, matched on ``replication``) with a paired-t CI and
    p-value. CIs are NaN with fewer than two replications and collapse to the point
    estimate when the variance is zero; a constant non-zero paired difference has
    p-value 0. The baseline's own rows have ``diff`` 0 and NaN ``p_value``. The
    ``baseline`` and ``level`` columns record how the table was made.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    if metrics.duplicated(RUN_KEYS).any():
        raise ValueError("metrics hold more than one row for some (reform, replication)")
    outcomes = [name for name in ALL_OUTCOMES if name in metrics.columns]
    arms = arm_order(metrics["reform"], baseline)
    if baseline not in arms:
        logger.warning("baseline arm %r not in metrics; differences will be NaN", baseline)
    agg = _paired(metrics, outcomes, arms, baseline)
    summary = pd.DataFrame({
        "reform": agg.index.get_level_values("reform"),
        "outcome": agg.index.get_level_values("outcome"),
        "group": [ALL_OUTCOMES[name].group for name in agg.index.get_level_values("outcome")],
        "n": agg["n"].to_numpy(),
        "mean": agg["mean"].to_numpy(),
        "diff": agg["diff"].to_numpy(),
        **_intervals(agg, level),
        "baseline": baseline,
        "level": level,
    })
    summary.loc[summary["reform"] == baseline, "p_value"] = np.nan
    return summary[SUMMARY_COLUMNS]


def summary_level(summary: pd.DataFrame) -> float:
    """Confidence level recorded in a summary (0.95 if not recorded)."""
    return float(summary["level"].iloc[0]) if "level" in summary.columns and len(summary) else 0.95


def summary_baseline(summary: pd.DataFrame) -> str:
    """Baseline arm recorded in a summary (status quo if not recorded)."""
    if "baseline" in summary.columns and len(summary):
        return str(summary["baseline"].iloc[0])
    return STATUS_QUO
