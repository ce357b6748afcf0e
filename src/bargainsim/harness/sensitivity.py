"""Global sensitivity analysis: a Sobol design over uncertain parameters, its evaluation in chunks, and the indices.

The design (Saltelli's extension of a scrambled Sobol sequence, via SALib) is a pure function of the study's
parameters, its base size N and the root seed, so every job of a sweep computes the same design and evaluates its
own contiguous chunk of points. Every point runs the configured arms over the same replications and seeds (common
random numbers across points), so the indices measure the parameters, not sampling noise between populations.
The report turns the evaluated points into first-order and total Sobol indices with bootstrap confidence intervals.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from bargainsim import analysis
from bargainsim.analysis.tables import to_frame
from bargainsim.harness.config import Sensitivity, Settings
from bargainsim.harness.experiment import execute, tasks_for
from bargainsim.params import validate

logger = logging.getLogger(__name__)

POINT = "point"
# Outcomes whose Sobol indices the report computes: the headline outcomes and the defense's influence.
OUTCOMES: tuple[str, ...] = (*analysis.HEADLINE, "defense_influence")
# Bootstrap resamples for the confidence intervals of the indices.
RESAMPLES = 500


def problem(spec: Sensitivity) -> dict:
    """The SALib problem: parameter names and bounds."""
    return {"num_vars": len(spec.parameters), "names": [key for key, _, _ in spec.parameters],
            "bounds": [[low, high] for _, low, high in spec.parameters]}


def design(spec: Sensitivity, seed: int) -> np.ndarray:
    """The full Sobol/Saltelli design, N × (D + 2) points (N × (2D + 2) with second-order indices)."""
    from SALib.sample import sobol as sobol_sample  # SALib loads only where a sensitivity study runs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return sobol_sample.sample(problem(spec), spec.n_base, calc_second_order=spec.second_order,
                                   scramble=True, seed=seed)


def chunk_points(n_points: int, spec: Sensitivity) -> range:
    """The contiguous block of point indices evaluated by this job's chunk."""
    bounds = np.linspace(0, n_points, spec.chunks + 1).round().astype(int)
    return range(int(bounds[spec.chunk]), int(bounds[spec.chunk + 1]))


def settings_at(settings: Settings, values: dict[str, float]) -> Settings:
    """The settings with the parameters of one design point applied (and validated); the guideline's in every
    arm's rules."""
    def changes(section: str) -> dict[str, float]:
        return {key.rpartition(".")[2]: value for key, value in values.items() if key.rpartition(".")[0] == section}

    sections = {}
    for section in ("behaviour", "caseload", "timing"):
        obj = dataclasses.replace(getattr(settings, section), **changes(section))
        validate(obj, section)
        sections[section] = obj
    guideline = changes("rules.guideline")
    arms = tuple(dataclasses.replace(arm, rules=dataclasses.replace(
        arm.rules, guideline=dataclasses.replace(arm.rules.guideline, **guideline))) for arm in settings.arms)
    for arm in arms:
        validate(arm.rules.guideline, "rules.guideline")
    return dataclasses.replace(settings, arms=arms, **sections)


def evaluate(settings: Settings) -> pd.DataFrame:
    """Run this job's chunk of the design: one row per (point, arm, replication), parameter values and metrics."""
    spec = settings.sensitivity
    if spec is None:
        raise ValueError("settings carry no sensitivity study")
    points = design(spec, settings.seed)
    names = [key for key, _, _ in spec.parameters]
    chunk = chunk_points(len(points), spec)
    logger.info("sensitivity chunk %d/%d: points %d-%d of %d", spec.chunk + 1, spec.chunks, chunk.start,
                chunk.stop - 1, len(points))
    return evaluate_points(settings, names, points, chunk)


def evaluate_points(settings: Settings, names: list[str], points: np.ndarray, chosen: Sequence[int],
                    label: str = POINT, extra: Callable[[pd.DataFrame], pd.DataFrame] | None = None
                    ) -> pd.DataFrame:
    """Run the configured arms and replications at each chosen row of ``points`` (values of the parameters
    ``names``, keys such as ``behaviour.risk_aversion``): one row per (point, arm, replication), the point's index
    under ``label``, its parameter values and the run's metrics (and the columns ``extra`` computes per run from
    its case records)."""
    tasks, owners = [], []
    for index in chosen:
        point_tasks = tasks_for(settings_at(settings, dict(zip(names, points[index].tolist()))))
        tasks += point_tasks
        owners += [index] * len(point_tasks)
    needed = Counter(owners)
    per_point: dict[int, list[pa.Table]] = {}
    frames = []
    for owner, table in zip(owners, execute(tasks, settings.jobs, settings.progress)):
        per_point.setdefault(owner, []).append(table)
        if len(per_point[owner]) == needed[owner]:
            cases = to_frame(pa.concat_tables(per_point.pop(owner)))
            metrics = analysis.run_metrics(cases)
            if extra is not None:
                metrics = metrics.merge(extra(cases), on=analysis.RUN_KEYS, how="left", validate="one_to_one")
            metrics.insert(0, label, owner)
            for position, name in enumerate(names, start=1):
                metrics.insert(position, name, points[owner, names.index(name)])
            frames.append(metrics)
    if not frames:
        return pd.DataFrame(columns=[label, *names, *analysis.RUN_KEYS])
    return pd.concat(frames, ignore_index=True)


def responses(points: pd.DataFrame, outcomes: Sequence[str], baseline: str = analysis.STATUS_QUO) -> pd.DataFrame:
    """Per design point, the mean over replications of each outcome for each arm, and of each reform arm's paired
    difference from the baseline: columns ``target`` (an arm, or 'arm − baseline'), ``outcome``, then one column
    per point."""
    means = points.groupby([POINT, "reform"], sort=True)[list(outcomes)].mean()
    rows = []
    arms = analysis.arm_order(points["reform"], baseline)
    for arm in arms:
        level = means.xs(arm, level="reform")
        for outcome in outcomes:
            rows.append((arm, outcome, level[outcome]))
        if arm != baseline and baseline in arms:
            base = means.xs(baseline, level="reform")
            for outcome in outcomes:
                rows.append((f"{arm} − {baseline}", outcome, level[outcome] - base[outcome]))
    return pd.DataFrame([{"target": target, "outcome": outcome, **series.to_dict()}
                         for target, outcome, series in rows])


def indices(points: pd.DataFrame, spec: Sensitivity, seed: int, outcomes: Sequence[str] = OUTCOMES,
            level: float = 0.95) -> pd.DataFrame:
    """First-order and total Sobol indices with bootstrap CIs, one row per (target, outcome, parameter).

    ``points`` must hold every point of the design. A response that is constant or undefined at some point gets
    NaN indices (and a logged note) rather than a misleading number."""
    from SALib.analyze import sobol as sobol_analyze
    n_points = len(design(spec, seed))
    present = np.sort(points[POINT].unique())
    if len(present) != n_points or not np.array_equal(present, np.arange(n_points)):
        raise ValueError(f"the sensitivity design has {n_points} points but {len(present)} were evaluated; "
                         "run the missing chunks first")
    outcomes = [name for name in outcomes if name in points.columns]
    table = responses(points, outcomes)
    rows = []
    names = [key for key, _, _ in spec.parameters]
    for _, response in table.iterrows():
        y = response[[index for index in range(n_points)]].to_numpy(dtype=float)
        usable = np.isfinite(y).all() and np.ptp(y) > 1e-12 * max(1.0, np.abs(y).max())
        if usable:
            with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                result = sobol_analyze.analyze(problem(spec), y, calc_second_order=spec.second_order,
                                               num_resamples=RESAMPLES, conf_level=level, seed=seed)
        else:
            logger.info("Sobol indices of %s for %s skipped: the response is constant or undefined",
                        response["outcome"], response["target"])
        for i, name in enumerate(names):
            rows.append({
                "target": response["target"], "outcome": response["outcome"], "parameter": name,
                "S1": float(result["S1"][i]) if usable else np.nan,
                "S1_conf": float(result["S1_conf"][i]) if usable else np.nan,
                "ST": float(result["ST"][i]) if usable else np.nan,
                "ST_conf": float(result["ST_conf"][i]) if usable else np.nan,
                "response_mean": float(np.nanmean(y)), "response_sd": float(np.nanstd(y)),
                "n_points": n_points, "n_base": spec.n_base, "level": level,
            })
    return pd.DataFrame(rows)
