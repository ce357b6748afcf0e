"""`bargainsim-report MULTIRUN_DIR`: collect a sweep's completed jobs into one dataset and write its report.

A job counts when its completion marker is present and every result file it lists is intact (see
:mod:`bargainsim.harness.sweep`); the others are listed as incomplete. Three kinds of sweep are recognised:

* **reform arms** (jobs run reforms beside the status quo): each reform is compared with the status quo of the
  same scenario (the other swept parameters), pairing runs by replication, which share their cases (common
  random numbers);
* **grids** (every job runs the status quo under swept rules or parameters): each grid cell is an arm, compared
  with the reference cell (the values of the study's own configuration); 2-D grids get heatmaps;
* **sensitivity** (jobs evaluate chunks of a Sobol design): first-order and total Sobol indices with bootstrap
  confidence intervals.

The comparison table gives, per outcome and arm, the mean with its 95% CI, the paired difference vs the baseline
with its CI, the paired effect size d_z (mean difference / SD of the differences), the paired t-test p-value and
the Holm-adjusted p-value (family: the arms compared with the baseline on one outcome, within one scenario).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from bargainsim import analysis
from bargainsim.analysis import HEADLINE, OUTCOMES, RUN_KEYS, STATUS_QUO
from bargainsim.apps.scripts import ArgumentParser, guarded
from bargainsim.harness import rundir, sensitivity, sweep
from bargainsim.harness.config import RunConfig, Sensitivity, config_dir, reform_catalogue
from bargainsim.harness.files import write_atomic
from bargainsim.params import ConfigError
from bargainsim.reporting import plots
from bargainsim.reporting.formatting import format_console

logger = logging.getLogger("bargainsim.reporting.report")

ALPHA = 0.05
ARM = "reform"
JOB = "job"
TRACK = "track"
# Sweep parameters that size or seed a run but define no scenario (swept seeds add replications).
SIZE_KEYS = ("n_cases", "replications", "save_cases", "save_figures", "seed")
# Grids with more cells than this get heatmaps only (a by-arm figure of 50 cells reads badly and weighs MBs).
MAX_ARM_FIGURES = 16
# Outcomes drawn as heatmaps over a grid: voluntariness and its information components, leniency, efficiency.
GRID_OUTCOMES = ("voluntariness", "defense_influence", "belief_error", "innocent_plea_rate", "discount",
                 "days_to_disposition")
COMPARISON_COLUMNS = [*analysis.SUMMARY_COLUMNS, "effect_size_dz", "p_holm", "significant"]


class ReportError(ConfigError):
    """Bad input: the directory is not a sweep, it holds nothing to report on, or the report cannot go where asked."""


KIND = "report"
"""The ``kind`` a report's completion marker records (a job's marker has none)."""
REPORT_FILE = re.compile(r"^(?:report\.md|(?:metrics|points)\.(?:csv|parquet)|comparison(?:_by_track)?\.csv|sobol\.csv"
                         r"|(?:outcomes_by_arm|tradeoff|tracks|heatmap|sobol)[^/]*\.png)$")
"""The names of the files a report writes: what ``--out`` may hold besides the report's marker."""
CHECKED_SIZES = ("n_cases", "districts", "replications")
"""Keys that size a job: jobs of different sizes are not combined without --allow-mixed."""
FREE_KEYS = (*sweep.NEUTRAL_KEYS, "save_cases", "save_figures", "seed")
"""Keys in which jobs may differ without being swept (no effect on results, or seeds that add replications)."""
SHOWN_JOBS = 6


@dataclass
class Sweep:
    """A sweep's completed jobs, gathered."""

    directory: Path
    jobs: pd.DataFrame                      # one row per completed job: job, path, sweep parameters
    incomplete: list[str]
    parameters: list[str]                   # sweep parameters that vary between jobs (sweep order)
    reference: dict[str, Any]               # the study's own value of each varying parameter
    config: dict[str, Any]                  # the study's configuration (Hydra's multirun.yaml, hydra key removed)
    study: str
    metrics: pd.DataFrame = field(default_factory=pd.DataFrame)
    points: pd.DataFrame | None = None
    sensitivity: Sensitivity | None = None
    seed: int = 0
    inputs: dict[str, Any] = field(default_factory=dict)   # each completed job's marker: configuration, file digests


def _unreadable(path: Path, job: str, reason: object) -> ReportError:
    text = next((line.strip() for line in str(reason).splitlines() if line.strip()), type(reason).__name__)
    text = text.replace(f"'{path}'", path.name).replace(str(path), path.name)
    return ReportError(f"job {job}: {path} cannot be read ({text[:160]}) although its {sweep.MARKER} vouches for "
                       f"it; delete {path.parent / sweep.MARKER} and re-run the sweep to redo the job")


def _read(path: Path, job: str, reader: Callable[[Path], Any]) -> Any:
    """Read one of a job's result files; a file that cannot be read is bad input naming the job and the file."""
    if path.suffix in (".csv", ".yaml"):
        try:
            with path.open("rb") as handle:
                handle.seek(max(path.stat().st_size - 1, 0))
                last = handle.read(1)
        except OSError as error:
            raise _unreadable(path, job, error.strerror) from None
        if last != b"\n":
            raise _unreadable(path, job, "truncated: no final newline" if last else "empty")
    try:
        return reader(path)
    except ReportError:
        raise
    except Exception as error:  # noqa: BLE001 - whatever a damaged file raises, the message names it
        raise _unreadable(path, job, error) from None


def _read_config(path: Path, job: str) -> DictConfig:
    """A job's config.yaml: a mapping with every top-level key of the schema."""
    def load(p: Path) -> DictConfig:
        node = OmegaConf.load(p)
        missing = [f.name for f in fields(RunConfig) if not isinstance(node, DictConfig) or f.name not in node]
        if missing:
            raise ValueError(f"no {', '.join(missing[:3])}" if isinstance(node, DictConfig) else "not a mapping")
        return node
    return _read(path, job, load)


def _read_frame(path: Path, job: str, keys: list[str], replications: int | None = None) -> pd.DataFrame:
    """A job's metrics.csv or points.csv: the ``keys`` columns filled, the outcomes numeric, and (metrics) every
    arm's replications 0..n−1 each once."""
    def load(p: Path) -> pd.DataFrame:
        frame = pd.read_csv(p)
        missing = [key for key in keys if key not in frame.columns]
        if missing or frame.empty or frame[keys].isna().any().any():
            raise ValueError(f"no {', '.join(missing)} column" if missing else "empty or incomplete rows")
        wrong = [name for name in OUTCOMES if name in frame.columns and not pd.api.types.is_numeric_dtype(frame[name])]
        if wrong:
            raise ValueError(f"{wrong[0]} is not numeric")
        if replications is not None:
            expected = list(range(replications))
            if any(sorted(group.tolist()) != expected for _, group in frame.groupby(ARM)["replication"]):
                raise ValueError(f"not every arm has replications 0 to {replications - 1}")
        return frame
    return _read(path, job, load)


def _job_dirs(directory: Path) -> list[Path]:
    try:
        subdirs = [p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError as error:
        raise ReportError(f"cannot read the sweep directory {str(directory)!r} ({error.strerror})") from None
    jobs = [p for p in subdirs if (p.name.isdigit() or (p / sweep.MARKER).exists() or (p / "config.yaml").exists())
            and (sweep.read_marker(p) or {}).get("kind") != KIND]
    return sorted(jobs, key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0, p.name))


def _study_config(directory: Path) -> tuple[dict[str, Any], str]:
    path = directory / "multirun.yaml"
    if not path.is_file():
        return {}, directory.name
    try:
        node = OmegaConf.load(path)
        if not isinstance(node, DictConfig):
            raise ValueError("not a mapping")
        name = str(OmegaConf.select(node, "hydra.job.config_name", default=directory.name) or directory.name)
        container = OmegaConf.to_container(node, resolve=False)
    except Exception as error:  # noqa: BLE001 - a damaged multirun.yaml is bad input, named
        reason = next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)
        raise ReportError(f"{path} is not Hydra's record of a sweep ({reason[:160]}); run the sweep command again "
                          f"to rewrite it, or remove it to report without the study's configuration") from None
    container.pop("hydra", None)
    return container, name


def _lookup(config: dict[str, Any], key: str) -> Any:
    node: Any = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _leaves(node: Any, prefix: str = "") -> dict[str, Any]:
    """A configuration flattened to its dotted keys (an empty mapping is a leaf)."""
    if isinstance(node, dict) and node:
        flat: dict[str, Any] = {}
        for key, value in node.items():
            flat.update(_leaves(value, f"{prefix}{key}."))
        return flat
    return {prefix[:-1]: node}


def _group_reach(group: str) -> set[str]:
    """The keys the options of a config group (a directory of conf/, such as textbook) may set."""
    reach: set[str] = set()
    for path in (config_dir() / group).glob("*.yaml"):
        node = OmegaConf.to_container(OmegaConf.load(path), resolve=False) or {}
        node.pop("defaults", None)
        prefix = "" if "@package _global_" in path.read_text(encoding="utf-8") else f"{group}."
        reach |= {prefix + key for key in _leaves(node)}
    return reach


def _jobs_text(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_JOBS]) + (f" and {len(names) - SHOWN_JOBS} more" if len(names) > SHOWN_JOBS else "")
    return f"job{'s' if len(names) > 1 else ''} {shown}"


_ABSENT = object()


def _difference(key: str, values: dict[str, Any]) -> str:
    """'jobs 0, 1 ran n_cases = 1500 but job 2 ran n_cases = 300'."""
    groups: dict[str, tuple[Any, list[str]]] = {}
    for job, value in values.items():
        groups.setdefault(json.dumps(value, sort_keys=True, default=str), (value, []))[1].append(job)
    parts = [f"{_jobs_text(jobs)} ran {key} = {'(unset)' if value is _ABSENT else _value_text(value)}"
             for value, jobs in groups.values()]
    return parts[0] + " but " + " and ".join(parts[1:])


def check_mixed(configs: dict[str, DictConfig], parameters: set[str]) -> None:
    """Refuse jobs that cannot be compared: of different sizes (``CHECKED_SIZES``), or differing in a key that is
    neither a sweep parameter (nor set by a swept config group) nor free (``FREE_KEYS``), which means jobs of
    different commands share the directory."""
    flat = {job: _leaves(OmegaConf.to_container(config, resolve=False)) for job, config in configs.items()}
    keys = list(dict.fromkeys(key for leaves in flat.values() for key in leaves))
    reach = set().union(*(_group_reach(p) for p in parameters if (config_dir() / p).is_dir()))

    def swept(key: str) -> bool:
        return key in reach or any(key == p or key.startswith(p + ".") for p in parameters)

    sizes, others = [], []
    for key in keys:
        values = {job: leaves.get(key, _ABSENT) for job, leaves in flat.items()}
        if len({json.dumps(v, sort_keys=True, default=str) if v is not _ABSENT else "" for v in values.values()}) < 2:
            continue
        if key in CHECKED_SIZES:
            sizes.append(_difference(key, values))
        elif key.split(".", 1)[0] not in FREE_KEYS and not swept(key):
            others.append(_difference(key, values))
    if not sizes and not others:
        return
    lines = sizes + others[:2]
    if others:
        more = f" (and {len(others) - 2} more keys)" if len(others) > 2 else ""
        what = "not a parameter" if len(others) == 1 else "not parameters"
        lines[-1] += f"{more}, {what} of the sweep, so jobs of different commands share this directory"
    raise ReportError("; ".join(lines) + "; report them separately or pass --allow-mixed")


def sweep_directory(directory: str | Path) -> Path:
    """The sweep directory, or a ReportError saying why it cannot be one."""
    directory = Path(directory)
    if not directory.is_dir():
        what = "is a file" if directory.exists() else "does not exist"
        raise ReportError(f"{str(directory)!r} is not a directory (it {what}); give a sweep directory, the "
                          f"hydra.sweep.dir of a bargainsim -m run")
    return directory


def collect(directory: str | Path, allow_mixed: bool = False) -> Sweep:
    """Gather every completed job of a sweep directory: metrics (or Sobol points) with the job's sweep
    parameters as columns. Jobs of different sizes or commands are refused unless ``allow_mixed``."""
    directory = sweep_directory(directory)
    candidates = _job_dirs(directory)
    if not candidates and not (directory / "multirun.yaml").is_file():
        raise ReportError(f"{str(directory)!r} is not a sweep directory: no multirun.yaml and no job directories")
    config, study = _study_config(directory)
    complete, incomplete, rows, inputs = [], [], [], {}
    for job_dir in candidates:
        marker = sweep.read_marker(job_dir)
        if marker is None or not isinstance(marker.get("parameters", {}), dict) \
                or not sweep.is_complete(job_dir, marker.get("config_sha256", "")):
            incomplete.append(job_dir.name)
            continue
        complete.append(job_dir)
        rows.append({JOB: job_dir.name, "path": str(job_dir), **marker.get("parameters", {})})
        inputs[job_dir.name] = {"config": marker.get("config_sha256"),
                                "files": {name: entry.get("sha256") for name, entry in marker["files"].items()}}
    if not complete:
        raise ReportError(f"no completed jobs in {str(directory)!r} ({len(candidates)} job directories, none with "
                          f"an intact {sweep.MARKER}); run or resume the sweep first")
    configs = {}
    for job_dir in complete:
        if not (job_dir / "config.yaml").is_file():
            raise ReportError(f"job {job_dir.name} lists no config.yaml; is {str(directory)!r} a bargainsim sweep?")
        configs[job_dir.name] = _read_config(job_dir / "config.yaml", job_dir.name)
    jobs = pd.DataFrame(rows)
    keys = [key for key in jobs.columns if key not in (JOB, "path")]
    if not allow_mixed:
        check_mixed(configs, set(keys))
    varying = [key for key in keys if key not in SIZE_KEYS
               and jobs[key].map(lambda v: json.dumps(v, default=str)).nunique(dropna=False) > 1]
    for key in varying:
        # A job that reached this value by default (not by an override) takes it from its own configuration.
        missing = jobs[key].isna()
        if missing.any():
            jobs.loc[missing, key] = [OmegaConf.select(configs[job], key, throw_on_resolution_failure=False)
                                      for job in jobs.loc[missing, JOB]]
    reference = {key: _lookup(config, key) for key in varying}
    result = Sweep(directory, jobs, incomplete, varying, reference, config, study, inputs=inputs)
    if all((Path(p) / "points.csv").is_file() for p in jobs["path"]):
        _collect_points(result, configs)
    else:
        _collect_metrics(result, configs)
    return result


def _with_parameters(frame: pd.DataFrame, job: pd.Series, keys: list[str]) -> pd.DataFrame:
    frame.insert(0, JOB, job[JOB])
    for position, key in enumerate(keys, start=1):
        if key != ARM:
            frame.insert(position, key, job.get(key))
    return frame


def _collect_metrics(result: Sweep, configs: dict[str, DictConfig]) -> None:
    frames = []
    for _, job in result.jobs.iterrows():
        path = Path(job["path"]) / "metrics.csv"
        if not path.is_file():
            raise ReportError(f"job {job[JOB]} lists no metrics.csv; is {str(result.directory)!r} a bargainsim sweep?")
        replications = configs[job[JOB]].get("replications")
        frame = _read_frame(path, job[JOB], [*RUN_KEYS, "seed"],
                            replications if isinstance(replications, int) else None)
        frames.append(_with_parameters(frame, job, result.parameters))
    result.metrics = pd.concat(frames, ignore_index=True)
    result.seed = int(result.metrics["seed"].iloc[0])


def _collect_points(result: Sweep, configs: dict[str, DictConfig]) -> None:
    frames, specs = [], set()
    for _, job in result.jobs.iterrows():
        config_path = Path(job["path"]) / "config.yaml"
        spec = configs[job[JOB]]
        if not isinstance(spec.get("sensitivity"), DictConfig):
            raise _unreadable(config_path, job[JOB], "points.csv beside it but no sensitivity study")
        # Key order kept: the order of the parameters is the order of the design's columns.
        specs.add(json.dumps({**OmegaConf.to_container(spec.sensitivity), "chunk": None}))
        parameters = list(spec.sensitivity.get("parameters") or {})
        frame = _read_frame(Path(job["path"]) / "points.csv", job[JOB],
                            [sensitivity.POINT, ARM, "replication", *parameters])
        frames.append(_with_parameters(frame, job, []))
        seed = int(spec.seed)
    if len(specs) != 1:
        raise ReportError("the jobs of this sweep evaluate different sensitivity designs; report one design at a time")
    raw = json.loads(specs.pop())
    try:
        result.sensitivity = Sensitivity(tuple((k, float(v[0]), float(v[1])) for k, v in raw["parameters"].items()),
                                         int(raw["n_base"]), bool(raw["second_order"]), int(raw["chunks"]), 0)
        points = sensitivity.design(result.sensitivity, seed)
    except (ConfigError, ValueError, TypeError, KeyError, IndexError) as error:
        raise _unreadable(config_path, result.jobs[JOB].iloc[-1], f"not a sensitivity design: {error}") from None
    result.points = pd.concat(frames, ignore_index=True).sort_values([sensitivity.POINT, ARM, "replication"],
                                                                     ignore_index=True)
    result.seed = seed
    evaluated = result.points.groupby(sensitivity.POINT, sort=True)[[k for k, _, _ in result.sensitivity.parameters]]
    if evaluated.ngroups != len(points):
        raise ReportError(f"the sensitivity design has {len(points)} points but the completed jobs evaluated "
                          f"{evaluated.ngroups}; resume the sweep to evaluate the missing chunks")
    if not np.allclose(evaluated.first().to_numpy(dtype=float), points, rtol=1e-9, atol=1e-12):
        raise ReportError("the evaluated points are not those of the study's Sobol design (parameters, order, N "
                          "or seed changed); run the sweep again into a fresh directory")


def _value_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def cell_label(values: dict[str, Any]) -> str:
    """Arm label of a grid cell: ``disclosure=core, duty_lawyer_stage=review``."""
    return ", ".join(f"{key.split('.', 1)[-1]}={_value_text(value)}" for key, value in values.items())


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
        runs = metrics.drop(columns=[JOB]).drop_duplicates(scenario_keys + RUN_KEYS, keep="first")
        shared = metrics.drop(columns=[JOB]).merge(runs, on=scenario_keys + RUN_KEYS, suffixes=("", "_kept"))
        differs = [name for name in OUTCOMES if name in metrics.columns
                   and not np.allclose(shared[name], shared[f"{name}_kept"], equal_nan=True)]
        if differs:
            logger.warning("runs shared between jobs differ (%s); the first job's runs are used", ", ".join(differs))
        baseline = baseline or STATUS_QUO
        if baseline not in set(runs[ARM]):
            raise ReportError(f"--baseline {baseline!r} is not an arm of this sweep; "
                              f"arms: {', '.join(dict.fromkeys(runs[ARM]))}")
        return Design("reforms", runs.reset_index(drop=True), baseline, scenario_keys, [])
    labels = metrics[scenario_keys].apply(lambda row: cell_label(row.to_dict()), axis=1) if scenario_keys \
        else pd.Series(STATUS_QUO, index=metrics.index)
    metrics[ARM] = labels
    reference = cell_label(result.reference) if scenario_keys else STATUS_QUO
    note = ""
    if baseline is None:
        baseline = reference if reference in set(labels) else str(labels.iloc[0])
        if baseline != reference:
            note = (f"The study's reference cell ({reference}) is not in the grid; differences are taken against "
                    f"the first cell, {baseline}.")
    elif baseline not in set(labels):
        raise ReportError(f"--baseline {baseline!r} is not an arm of this sweep; "
                          f"arms: {', '.join(dict.fromkeys(labels))}")
    return Design("grid", metrics.drop(columns=[JOB]), baseline, [], scenario_keys, note)


def holm(p_values: pd.Series) -> pd.Series:
    """Holm's step-down adjustment of a family of p-values (NaN entries left out of the family)."""
    valid = p_values.dropna().sort_values(kind="stable")
    m = len(valid)
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * valid.to_numpy()))
    return pd.Series(adjusted, index=valid.index).reindex(p_values.index)


def effect_sizes(runs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Paired effect size d_z per (arm, outcome): mean paired difference over its standard deviation."""
    outcomes = [name for name in OUTCOMES if name in runs.columns]
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
    summary = analysis.summarize(runs[RUN_KEYS + [name for name in OUTCOMES if name in runs.columns]],
                                 baseline, level)
    summary = summary.merge(effect_sizes(runs, baseline), on=[ARM, "outcome"], how="left")
    summary.loc[summary[ARM] == baseline, "effect_size_dz"] = np.nan
    summary["p_holm"] = summary.groupby("outcome", sort=False)["p_value"].transform(holm)
    summary["significant"] = summary["p_holm"] < ALPHA
    return summary[COMPARISON_COLUMNS]


def comparisons(plan: Design, level: float = 0.95) -> pd.DataFrame:
    """Comparison tables of every scenario, stacked, with the scenario's parameters as leading columns."""
    if not plan.scenarios:
        return compare(plan.runs, plan.baseline, level)
    tables = []
    for values, runs in plan.runs.groupby(plan.scenarios, sort=False, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        table = compare(runs, plan.baseline, level)
        for position, (key, value) in enumerate(zip(plan.scenarios, values)):
            table.insert(position, key, value)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def by_track(result: Sweep, plan: Design, level: float = 0.95) -> pd.DataFrame | None:
    """Comparison tables per offense track, from the jobs' cases.parquet (None when the jobs kept no cases)."""
    paths = [Path(p) / "cases.parquet" for p in result.jobs["path"]]
    if plan.kind != "reforms" or not all(path.is_file() for path in paths):
        return None
    frames = []
    for (_, job), path in zip(result.jobs.iterrows(), paths):
        cases = _read(path, job[JOB], lambda p: pd.read_parquet(p, columns=[*analysis.CASE_COLUMNS, TRACK]))
        for track, part in cases.groupby(TRACK, sort=True):
            metrics = analysis.run_metrics(part.reset_index(drop=True))
            metrics.insert(0, TRACK, track)
            frames.append(_with_parameters(metrics, job, result.parameters))
    metrics = pd.concat(frames, ignore_index=True).drop(columns=[JOB])
    metrics = metrics.drop_duplicates(plan.scenarios + [TRACK] + RUN_KEYS, keep="first")
    tables = []
    for values, runs in metrics.groupby(plan.scenarios + [TRACK], sort=False):
        values = values if isinstance(values, tuple) else (values,)
        table = compare(runs, plan.baseline, level)
        for position, (key, value) in enumerate(zip(plan.scenarios + [TRACK], values)):
            table.insert(position, key, value)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


# ---- Markdown ---------------------------------------------------------------------------------------------------

def _fmt(value: float, decimals: int, signed: bool = False) -> str:
    if pd.isna(value):
        return "n/a"
    value = round(float(value), decimals) + 0.0
    return f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"


def _p_text(p: float) -> str:
    if pd.isna(p):
        return ""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def outcome_table(table: pd.DataFrame, outcome: str, baseline: str) -> str:
    """Markdown table of one outcome: arm, mean [CI], paired difference [CI], d_z, p, Holm p."""
    spec = OUTCOMES[outcome]
    d = spec.decimals
    lines = [f"| Arm | Mean [95% CI] | Δ vs {baseline} [95% CI] | d_z | p | p (Holm) |",
             "|---|---:|---:|---:|---:|---:|"]
    for _, row in table[table["outcome"] == outcome].iterrows():
        mean = f"{_fmt(row['mean'], d)} [{_fmt(row['ci_low'], d)}, {_fmt(row['ci_high'], d)}]"
        if row[ARM] == baseline:
            lines.append(f"| {row[ARM]} | {mean} | (baseline) | | | |")
            continue
        diff = (f"{_fmt(row['diff'], d, True)} [{_fmt(row['diff_ci_low'], d, True)}, "
                f"{_fmt(row['diff_ci_high'], d, True)}]")
        star = " *" if row["significant"] else ""
        lines.append(f"| {row[ARM]} | {mean} | {diff}{star} | {_fmt(row['effect_size_dz'], 2, True)} | "
                     f"{_p_text(row['p_value'])} | {_p_text(row['p_holm'])} |")
    return "\n".join(lines)


def _scenario_title(keys: list[str], values: tuple) -> str:
    return ", ".join(f"`{key}` = {_value_text(value)}" for key, value in zip(keys, values))


def _config_section(result: Sweep) -> list[str]:
    jobs = result.jobs
    lines = ["## Configuration", ""]
    lines.append(f"- Sweep directory: `{result.directory}`; study `{result.study}`.")
    lines.append(f"- Completed jobs: {len(jobs)}" + (f"; incomplete (left out): {', '.join(result.incomplete)}"
                                                     if result.incomplete else "; none incomplete") + ".")
    lines.append(f"- Root seed: {result.seed}.")
    for key in [k for k in jobs.columns if k not in (JOB, "path")]:
        values = list(dict.fromkeys(jobs[key].map(_value_text)))
        lines.append(f"- `{key}`: {', '.join(values)}" + (" (swept)" if key in result.parameters else ""))
    revisions, versions = set(), set()
    for path in jobs["path"]:
        try:
            run = json.loads((Path(path) / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        revisions.add(str(run.get("git_revision")))
        versions.add(", ".join(f"{k} {v}" for k, v in run.get("versions", {}).items()))
    lines.append(f"- Git revision of the jobs: {', '.join(sorted(revisions)) or 'unknown'}.")
    lines.append(f"- Package versions: {'; '.join(sorted(versions)) or 'unknown'}.")
    if result.config:
        yaml = OmegaConf.to_yaml(OmegaConf.create(result.config)).rstrip()
        lines += ["", "<details><summary>The study's configuration (before each job's sweep overrides)</summary>",
                  "", "```yaml", yaml, "```", "", "</details>"]
    return lines


# ---- the report -------------------------------------------------------------------------------------------------

def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in str(text))


def _catalogue_order() -> list[str]:
    return [STATUS_QUO, *[name for name, entries in reform_catalogue().items() if entries]]


def previous_report(out_dir: Path, key: str = "--out") -> list[str]:
    """The files of an earlier report that ``out_dir`` holds, which a new report replaces; ReportError if it holds
    anything else (another run, the user's own files). A report's files are those its marker lists and those named
    as a report names them (a report made before markers, or one interrupted while being swapped in)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    marker = rundir.read_marker(out_dir)
    ours = marker is not None and marker.get("kind") == KIND
    listed = set(marker["files"]) if ours else set()
    names, others = [], []
    for path in sorted(out_dir.iterdir()):
        if rundir.is_temporary(path.name) or (path.name == rundir.MARKER and ours):
            continue
        report_file = path.is_file() and not path.is_symlink() and (REPORT_FILE.match(path.name) or path.name in listed)
        (names if report_file else others).append(path.name)
    if others:
        shown = ", ".join(others[:4]) + (", …" if len(others) > 4 else "")
        raise ReportError(f"{key}={out_dir} holds files that are not a previous report's ({shown}); choose an empty "
                          f"or new directory")
    return names


def _missing_ancestor(path: Path) -> Path | None:
    """The outermost directory of ``path`` that does not exist yet (None when ``path`` exists)."""
    missing = None
    for directory in [path.absolute(), *path.absolute().parents]:
        if os.path.lexists(directory):
            break
        missing = directory
    return missing


def write_report(result: Sweep, out_dir: Path, baseline: str | None = None, level: float = 0.95) -> dict[str, Path]:
    """Write the dataset, the tables, the figures and report.md into a staging directory, then swap them into
    ``out_dir`` in place of the previous report (whose files are all removed) and seal them with the marker
    ``job.json`` (kind ``report``, with a fingerprint of the inputs). A failed or interrupted report leaves the
    previous report or nothing that looks complete, and removes the directories it created. The files, by name."""
    out_dir = Path(out_dir)
    stale = previous_report(out_dir)
    created = _missing_ancestor(out_dir)
    inputs = {"jobs": result.inputs, "baseline": baseline, "level": level}
    extra = {"kind": KIND, "sweep": str(result.directory), "jobs": list(result.jobs[JOB]),
             "incomplete": result.incomplete}
    try:
        with rundir.staged(out_dir) as staging:
            files = _write_files(result, staging, baseline, level)
            return rundir.commit(out_dir, staging, files, sweep.fingerprint(inputs), extra, stale)
    except BaseException:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise


def _write_files(result: Sweep, out_dir: Path, baseline: str | None, level: float) -> dict[str, Path]:
    """Write the dataset, the tables, the figures and report.md into ``out_dir``; the files written, by name."""
    files: dict[str, Path] = {}

    def save_frame(name: str, frame: pd.DataFrame, parquet: bool = False) -> None:
        files[f"{name}.csv"] = write_atomic(out_dir / f"{name}.csv", lambda p: frame.to_csv(p, index=False))
        if parquet:
            files[f"{name}.parquet"] = write_atomic(out_dir / f"{name}.parquet",
                                                    lambda p: frame.to_parquet(p, index=False))

    def save_figure(name: str, draw) -> str:
        files[name] = write_atomic(out_dir / name, draw)
        return name

    lines = [f"# {result.study.replace('_', ' ').capitalize()}: sweep report", "",
             f"Generated by `bargainsim-report` (bargainsim {_version()}) from {len(result.jobs)} completed jobs."]
    if result.points is not None:
        lines += _sensitivity_part(result, out_dir, files, save_frame, save_figure, level)
    else:
        lines += _comparison_part(result, save_frame, save_figure, baseline, level)
    lines += [""] + _config_section(result)
    files["report.md"] = write_atomic(out_dir / "report.md",
                                      lambda p: p.write_text("\n".join(lines) + "\n", encoding="utf-8"))
    return files


def _version() -> str:
    try:
        return metadata.version("bargainsim")
    except metadata.PackageNotFoundError:
        return "unknown"


def _comparison_part(result: Sweep, save_frame, save_figure, baseline: str | None, level: float) -> list[str]:
    plan = design(result, baseline)
    order = _catalogue_order() if plan.kind == "reforms" else None
    save_frame("metrics", plan.runs, parquet=True)
    table = comparisons(plan, level)
    save_frame("comparison", table)
    lines = ["", "## How to read this report", "",
             f"Each arm is compared with `{plan.baseline}`"
             + (" of the same scenario" if plan.scenarios else "")
             + ", pairing runs by replication: paired runs share their cases and institution (common random "
               "numbers). Means and paired differences carry Student-t 95% confidence intervals over "
               "replications; d_z is the mean paired difference divided by the SD of the differences; p is the "
               "paired t-test; p (Holm) adjusts p over the arms compared on one outcome (Holm-Bonferroni, "
               f"family-wise error {ALPHA:g}); `*` marks differences significant after adjustment. "
               "Every outcome for every arm is in `comparison.csv`; the runs behind it in `metrics.csv`."]
    if plan.note:
        lines += ["", plan.note]
    groups = [((), table)] if not plan.scenarios else list(table.groupby(plan.scenarios, sort=False))
    for values, part in groups:
        values = values if isinstance(values, tuple) else (values,)
        suffix = "" if not plan.scenarios else "_" + _safe("_".join(_value_text(v) for v in values))
        summary = part[analysis.SUMMARY_COLUMNS]
        heading = "## Results" if not plan.scenarios else f"## Scenario: {_scenario_title(plan.scenarios, values)}"
        lines += ["", heading]
        lines += ["", "Headline outcomes, all arms at a glance (details per outcome below):", "", "```text",
                  format_console(summary), "```"]
        heatmaps_instead = plan.kind == "grid" and len(plan.grid) >= 2 and summary[ARM].nunique() > MAX_ARM_FIGURES
        if heatmaps_instead:
            lines += ["", f"With {summary[ARM].nunique()} grid cells, the heatmaps below take the place of the "
                          "by-arm and trade-off figures."]
        else:
            outcomes_png = save_figure(f"outcomes_by_arm{suffix}.png",
                                       lambda p, s=summary: plots.plot_outcomes_by_reform(s, p, order=order))
            tradeoff_png = save_figure(f"tradeoff{suffix}.png",
                                       lambda p, s=summary: plots.plot_tradeoff(s, p, order=order))
            lines += ["", f"![Headline outcomes by arm]({outcomes_png})", "",
                      f"![Voluntariness vs days to disposition]({tradeoff_png})"]
        for outcome in [name for name in HEADLINE if name in set(part["outcome"])] + ["defense_influence"]:
            lines += ["", f"### {OUTCOMES[outcome].label}", "", outcome_table(part, outcome, plan.baseline)]
    if plan.kind == "grid" and len(plan.grid) >= 2:
        lines += ["", "## Grid heatmaps", ""]
        x, y, *facets = plan.grid
        summary = table.set_index(ARM)
        keys = plan.runs.drop_duplicates(ARM).set_index(ARM)[plan.grid]
        for outcome in GRID_OUTCOMES:
            rows = keys.join(summary[summary["outcome"] == outcome][["mean", "ci_low", "ci_high", "level"]])
            facet = facets[0] if len(facets) == 1 else None
            if len(facets) > 1:
                facet = "facet"
                rows[facet] = rows[facets].apply(lambda r: cell_label(r.to_dict()), axis=1)
            name = save_figure(f"heatmap_{outcome}.png", lambda p, r=rows, o=outcome, f=facet:
                               plots.plot_heatmaps(r, p, o, x, y, f))
            lines += [f"![{OUTCOMES[outcome].title} over the grid]({name})", ""]
    tracks = by_track(result, plan, level)
    if tracks is not None:
        save_frame("comparison_by_track", tracks)
        lines += ["", "## By offense track", "",
                  "Each arm's outcomes among misdemeanor and felony cases separately (from the jobs' "
                  "`cases.parquet`); all outcomes in `comparison_by_track.csv`."]
        groups = [((), tracks)] if not plan.scenarios else list(tracks.groupby(plan.scenarios, sort=False))
        for values, part in groups:
            values = values if isinstance(values, tuple) else (values,)
            suffix = "" if not plan.scenarios else "_" + _safe("_".join(_value_text(v) for v in values))
            if plan.scenarios:
                lines += ["", f"### Scenario: {_scenario_title(plan.scenarios, values)}"]
            name = save_figure(f"tracks{suffix}.png", lambda p, s=part: plots.plot_levels_by_group(
                s, p, TRACK, [*HEADLINE, "defense_influence"], order=order))
            lines += ["", f"![Outcomes by track]({name})"]
            for track, rows in part.groupby(TRACK, sort=True):
                for outcome in ("voluntariness", "discount", "days_to_disposition"):
                    lines += ["", f"#### {track}: {OUTCOMES[outcome].label}", "",
                              outcome_table(rows, outcome, plan.baseline)]
    return lines


def _sensitivity_part(result: Sweep, out_dir: Path, files: dict[str, Path], save_frame, save_figure,
                      level: float) -> list[str]:
    points = result.points
    files["points.parquet"] = write_atomic(out_dir / "points.parquet", lambda p: points.to_parquet(p, index=False))
    table = sensitivity.indices(points, result.sensitivity, result.seed, level=level)
    save_frame("sobol", table)
    spec = result.sensitivity
    lines = ["", "## How to read this report", "",
             f"Sobol indices over {len(spec.parameters)} uncertain parameters (Saltelli design, N = {spec.n_base}, "
             f"{points[sensitivity.POINT].nunique()} points, each run over "
             f"{points['replication'].nunique()} replications with common random numbers). S1 is the share of an "
             "outcome's variance due to a parameter alone; ST includes its interactions. Intervals are "
             f"{level:.0%} bootstrap CIs ({sensitivity.RESAMPLES} resamples). Targets are the arms' levels and, for a "
             "reform arm, its paired effect against the status quo. All indices in `sobol.csv`, the evaluated "
             "points in `points.parquet`.", "", "| Parameter | Range |", "|---|---|"]
    lines += [f"| `{key}` | [{low:g}, {high:g}] |" for key, low, high in spec.parameters]
    for target in dict.fromkeys(table["target"]):
        name = save_figure(f"sobol_{_safe(target.replace(' − ', '_vs_'))}.png",
                           lambda p, t=target: plots.plot_sobol(table, p, t))
        lines += ["", f"## {target}", "", f"![Sobol indices of {target}]({name})", "",
                  "Largest total index per outcome:", "", "| Outcome | Parameter | S1 [CI] | ST [CI] |",
                  "|---|---|---:|---:|"]
        part = table[table["target"] == target]
        for outcome, rows in part.groupby("outcome", sort=False):
            if rows["ST"].isna().all():
                lines.append(f"| {OUTCOMES[outcome].title} | (constant or undefined) | | |")
                continue
            top = rows.loc[rows["ST"].idxmax()]
            lines.append(f"| {OUTCOMES[outcome].title} | `{top['parameter']}` | {top['S1']:.2f} ± "
                         f"{top['S1_conf']:.2f} | {top['ST']:.2f} ± {top['ST_conf']:.2f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """`bargainsim-report MULTIRUN_DIR [--out DIR] [--baseline ARM] [--allow-mixed]`: tables, figures and report.md
    for a sweep. Bad input (exit code 2) is refused before anything is written."""
    parser = ArgumentParser(prog="bargainsim-report", description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep_dir", metavar="SWEEP_DIR",
                        help="a Hydra multirun directory (hydra.sweep.dir) of bargainsim jobs")
    parser.add_argument("--out", metavar="DIR",
                        help="where to write the report: a new or empty directory, or one holding an earlier report, "
                             "which is replaced whole (default: SWEEP_DIR/report)")
    parser.add_argument("--baseline", metavar="ARM",
                        help="arm to compare against (default: status_quo, or a grid's reference cell)")
    parser.add_argument("--allow-mixed", action="store_true",
                        help="combine jobs of different sizes (n_cases, districts, replications) or of different "
                             "commands, which are refused otherwise")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    out_dir = Path(args.out) if args.out is not None else Path(args.sweep_dir) / "report"

    def report() -> int:
        sweep_directory(args.sweep_dir)
        try:
            rundir.check_directory(out_dir if args.out is None else args.out, "--out")
            previous_report(out_dir)
        except ConfigError as error:
            if args.out is None:
                raise ReportError(f"{error} (--out defaults to SWEEP_DIR/report; pass --out DIR)") from None
            raise
        result = collect(args.sweep_dir, args.allow_mixed)
        if args.baseline is not None and result.points is None:
            design(result, args.baseline)
        files = write_report(result, out_dir, args.baseline)
        sys.stdout.write(f"Report of {len(result.jobs)} jobs in {out_dir}:\n")
        for path in files.values():
            sys.stdout.write(f"  {path.name}\n")
        return 0

    return guarded(parser.prog, report)


if __name__ == "__main__":
    sys.exit(main())
