"""How a sweep's runs are compared, and the comparison tables: each arm against the baseline of its scenario,
pairing runs by replication, with the paired effect size d_z and Holm-adjusted p-values.

Reform arms (jobs run reforms beside the status quo) are compared with the status quo of the same scenario (the
other swept parameters); in a grid (every job runs the status quo under swept rules or parameters) each cell is an
arm, compared with the reference cell (the values of the study's own configuration).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bargainsim import analysis
from bargainsim.analysis import ALL_OUTCOMES, RUN_KEYS, STATUS_QUO
from bargainsim.apps.report.jobs import ARM, JOB, ReportError, Sweep, read_file, with_parameters
from bargainsim.reporting.formatting import number, p_text, value_text

logger = logging.getLogger(__name__)

ALPHA = 0.05
TRACK = "track"
COMPARISON_COLUMNS = [*analysis.SUMMARY_COLUMNS, "effect_size_dz", "p_holm", "significant"]


def cell_label(values: dict[str, Any]) -> str:
    """Arm label of a grid cell: ``disclosure=core, duty_lawyer_stage=review``."""
    return ", ".join(f"{key.split('.', 1)[-1]}={value_text(value)}" for key, value in values.items())


@dataclass
class Design:
    """How the sweep's runs are compared: arm labels, baseline, scenarios."""

    kind: str                    # 'reforms' or 'grid'
    runs: pd.DataFrame           # metrics with the arm label in 'reform', duplicates of shared runs removed
    baseline: str
    scenarios: list[str]         # varying parameters that define a scenario (reform arms), else []
    grid: list[str]              # varying parameters that define a grid cell (grids), else []
    note: str = ""


def design(result: Sweep, baseline: str | None = None) -> Design:
    """Decide how to compare the sweep's runs (see the module docstring)."""
    metrics = result.metrics.copy()
    if metrics["seed"].nunique() > 1:
        # Seeds swept too: a run is identified, and paired, by its (seed, replication).
        metrics["replication"] = metrics.groupby(["seed", "replication"], sort=True).ngroup()
    scenario_keys = [key for key in result.parameters if key != ARM]
    if (metrics[ARM] != STATUS_QUO).any():
        return _reform_design(metrics, scenario_keys, baseline or STATUS_QUO)
    return _grid_design(metrics, scenario_keys, result.reference, baseline)


def _not_an_arm(baseline: str, arms: pd.Series) -> ReportError:
    return ReportError(f"--baseline {baseline!r} is not an arm of this sweep; arms: {', '.join(dict.fromkeys(arms))}")


def _reform_design(metrics: pd.DataFrame, scenario_keys: list[str], baseline: str) -> Design:
    """Reform arms, each compared with the baseline arm of its scenario; a run shared by several jobs counted once."""
    runs = metrics.drop(columns=[JOB]).drop_duplicates(scenario_keys + RUN_KEYS, keep="first")
    shared = metrics.drop(columns=[JOB]).merge(runs, on=scenario_keys + RUN_KEYS, suffixes=("", "_kept"))
    differs = [name for name in ALL_OUTCOMES if name in metrics.columns
               and not np.allclose(shared[name], shared[f"{name}_kept"], equal_nan=True)]
    if differs:
        logger.warning("runs shared between jobs differ (%s); the first job's runs are used", ", ".join(differs))
    if baseline not in set(runs[ARM]):
        raise _not_an_arm(baseline, runs[ARM])
    return Design("reforms", runs.reset_index(drop=True), baseline, scenario_keys, [])


def _grid_design(metrics: pd.DataFrame, grid: list[str], reference: dict[str, Any], baseline: str | None) -> Design:
    """Grid cells as arms, compared with the reference cell (or the first cell, or the one asked for)."""
    labels = metrics[grid].apply(lambda row: cell_label(row.to_dict()), axis=1) if grid \
        else pd.Series(STATUS_QUO, index=metrics.index)
    metrics[ARM] = labels
    reference_label = cell_label(reference) if grid else STATUS_QUO
    note = ""
    if baseline is None:
        baseline = reference_label if reference_label in set(labels) else str(labels.iloc[0])
        if baseline != reference_label:
            note = (f"The study's reference cell ({reference_label}) is not in the grid; differences are taken "
                    f"against the first cell, {baseline}.")
    elif baseline not in set(labels):
        raise _not_an_arm(baseline, labels)
    return Design("grid", metrics.drop(columns=[JOB]), baseline, [], grid, note)


def holm(p_values: pd.Series) -> pd.Series:
    """Holm's step-down adjustment of a family of p-values (NaN entries left out of the family)."""
    valid = p_values.dropna().sort_values(kind="stable")
    m = len(valid)
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * valid.to_numpy()))
    return pd.Series(adjusted, index=valid.index).reindex(p_values.index)


def effect_sizes(runs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Paired effect size d_z per (arm, outcome): mean paired difference over its standard deviation."""
    outcomes = [name for name in ALL_OUTCOMES if name in runs.columns]
    long = runs.melt(id_vars=RUN_KEYS, value_vars=outcomes, var_name="outcome", value_name="value")
    base = long[long[ARM] == baseline].drop(columns=ARM).rename(columns={"value": "base"})
    long = long.merge(base, on=["replication", "outcome"])
    long["diff"] = long["value"].astype(float) - long["base"].astype(float)
    grouped = long.groupby([ARM, "outcome"], sort=False)["diff"]
    stats = pd.DataFrame({"mean": grouped.mean(), "sd": grouped.std(ddof=1)})
    with np.errstate(divide="ignore", invalid="ignore"):
        dz = np.where(stats["sd"] > 1e-12, stats["mean"] / stats["sd"], np.nan)
    return pd.DataFrame({"effect_size_dz": dz}, index=stats.index).reset_index()


def compare(runs: pd.DataFrame, baseline: str, level: float = 0.95) -> pd.DataFrame:
    """The comparison table of one scenario: analysis.summarize plus d_z and Holm-adjusted significance."""
    summary = analysis.summarize(runs[RUN_KEYS + [name for name in ALL_OUTCOMES if name in runs.columns]],
                                 baseline, level)
    summary = summary.merge(effect_sizes(runs, baseline), on=[ARM, "outcome"], how="left")
    summary.loc[summary[ARM] == baseline, "effect_size_dz"] = np.nan
    summary["p_holm"] = summary.groupby("outcome", sort=False)["p_value"].transform(holm)
    summary["significant"] = summary["p_holm"] < ALPHA
    return summary[COMPARISON_COLUMNS]


def _compare_within(runs: pd.DataFrame, keys: list[str], baseline: str, level: float) -> pd.DataFrame:
    """Comparison tables of each group of runs alike in ``keys``, stacked, with the keys as leading columns."""
    if not keys:
        return compare(runs, baseline, level)
    tables = []
    for values, part in runs.groupby(keys, sort=False, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        table = compare(part, baseline, level)
        for position, (key, value) in enumerate(zip(keys, values)):
            table.insert(position, key, value)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def comparisons(plan: Design, level: float = 0.95) -> pd.DataFrame:
    """Comparison tables of every scenario, stacked, with the scenario's parameters as leading columns."""
    return _compare_within(plan.runs, plan.scenarios, plan.baseline, level)


def by_track(result: Sweep, plan: Design, level: float = 0.95) -> pd.DataFrame | None:
    """Comparison tables per offense track, from the jobs' cases.parquet (None when the jobs kept no cases)."""
    paths = [Path(p) / "cases.parquet" for p in result.jobs["path"]]
    if plan.kind != "reforms" or not all(path.is_file() for path in paths):
        return None
    frames = []
    for (_, job), path in zip(result.jobs.iterrows(), paths):
        cases = read_file(path, job[JOB], lambda p: pd.read_parquet(p, columns=[*analysis.CASE_COLUMNS, TRACK]))
        for track, part in cases.groupby(TRACK, sort=True):
            metrics = analysis.run_metrics(part.reset_index(drop=True))
            metrics.insert(0, TRACK, track)
            frames.append(with_parameters(metrics, job, result.parameters))
    metrics = pd.concat(frames, ignore_index=True).drop(columns=[JOB])
    metrics = metrics.drop_duplicates(plan.scenarios + [TRACK] + RUN_KEYS, keep="first")
    return _compare_within(metrics, plan.scenarios + [TRACK], plan.baseline, level)


def outcome_table(table: pd.DataFrame, outcome: str, baseline: str) -> str:
    """Markdown table of one outcome: arm, mean [CI], paired difference [CI], d_z, p, Holm p."""
    d = ALL_OUTCOMES[outcome].decimals
    lines = [f"| Arm | Mean [95% CI] | Δ vs {baseline} [95% CI] | d_z | p | p (Holm) |",
             "|---|---:|---:|---:|---:|---:|"]
    for _, row in table[table["outcome"] == outcome].iterrows():
        mean = f"{number(row['mean'], d)} [{number(row['ci_low'], d)}, {number(row['ci_high'], d)}]"
        if row[ARM] == baseline:
            lines.append(f"| {row[ARM]} | {mean} | (baseline) | | | |")
            continue
        diff = (f"{number(row['diff'], d, True)} [{number(row['diff_ci_low'], d, True)}, "
                f"{number(row['diff_ci_high'], d, True)}]")
        star = " *" if row["significant"] else ""
        lines.append(f"| {row[ARM]} | {mean} | {diff}{star} | {number(row['effect_size_dz'], 2, True)} | "
                     f"{p_text(row['p_value'])} | {p_text(row['p_holm'])} |")
    return "\n".join(lines)
