"""The jobs of a sweep directory, read and checked: which jobs completed, their configurations, their metrics (or
Sobol points), and whether they can be reported together.

A job counts when its completion marker is present and every result file it lists is intact (see
:mod:`bargainsim.harness.sweep`); the others are listed as incomplete. A file that a marker vouches for but that
cannot be read is bad input (:class:`ReportError`) naming the job and the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from bargainsim.analysis import FROM_CASES_COLUMNS, OUTCOMES, RUN_KEYS, case_metrics
from bargainsim.harness import robustness, sensitivity, sweep
from bargainsim.harness.config import RunConfig, Sensitivity, config_dir, sensitivity_ranges
from bargainsim.harness.robustness import Robustness
from bargainsim.params import ConfigError
from bargainsim.reporting.formatting import value_text

ARM = "reform"
JOB = "job"
# Sweep parameters that size or seed a run but define no scenario (swept seeds add replications).
SIZE_KEYS = ("n_cases", "replications", "save_cases", "save_figures", "seed")
KIND = "report"
"""The ``kind`` a report's completion marker records (a job's marker has none)."""
CHECKED_SIZES = ("n_cases", "districts", "replications")
"""Keys that size a job: jobs of different sizes are not combined without --allow-mixed."""
FREE_KEYS = (*sweep.NEUTRAL_KEYS, "save_cases", "save_figures", "seed")
"""Keys in which jobs may differ without being swept (no effect on results, or seeds that add replications)."""
SHOWN_JOBS = 6


class ReportError(ConfigError):
    """Bad input: the directory is not a sweep, it holds nothing to report on, or the report cannot go where asked."""


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
    robustness: Robustness | None = None
    seed: int = 0
    inputs: dict[str, Any] = field(default_factory=dict)   # each completed job's marker: configuration, file digests


def _first_line(reason: object) -> str:
    """The first non-blank line of an error or reason (its type's name if it has none)."""
    return next((line.strip() for line in str(reason).splitlines() if line.strip()), type(reason).__name__)


def _unreadable(path: Path, job: str, reason: object) -> ReportError:
    text = _first_line(reason).replace(f"'{path}'", path.name).replace(str(path), path.name)
    return ReportError(f"job {job}: {path} cannot be read ({text[:160]}) although its {sweep.MARKER} vouches for "
                       f"it; delete {path.parent / sweep.MARKER} and re-run the sweep to redo the job")


def read_file(path: Path, job: str, reader: Callable[[Path], Any]) -> Any:
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
    return read_file(path, job, load)


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
    return read_file(path, job, load)


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
        raise ReportError(f"{path} is not Hydra's record of a sweep ({_first_line(error)[:160]}); run the sweep "
                          f"command again to rewrite it, or remove it to report without the study's configuration"
                          ) from None
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
    """The keys the options of a config group (a directory of conf/, such as textbook) may set, under the package
    each file's ``# @package`` header names (``_global_``: the root; none: the group's name), with those of the
    other groups its defaults choose (a jurisdiction's ``/guideline``)."""
    reach: set[str] = set()
    for path in (config_dir() / group).glob("*.yaml"):
        node = OmegaConf.to_container(OmegaConf.load(path), resolve=False) or {}
        for entry in node.pop("defaults", None) or []:
            for other in entry if isinstance(entry, dict) else ():
                name = str(other).lstrip("/").split("@")[0]
                if name != group and (config_dir() / name).is_dir():
                    reach |= _group_reach(name)
        header = re.search(r"^#\s*@package\s+(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        package = header.group(1) if header else group
        prefix = "" if package == "_global_" else f"{package}."
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
    parts = [f"{_jobs_text(jobs)} ran {key} = {'(unset)' if value is _ABSENT else value_text(value)}"
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
    jobs, incomplete, inputs = _completed(candidates)
    if jobs.empty:
        raise ReportError(f"no completed jobs in {str(directory)!r} ({len(candidates)} job directories, none with "
                          f"an intact {sweep.MARKER}); run or resume the sweep first")
    configs = _job_configs(jobs, directory)
    keys = [key for key in jobs.columns if key not in (JOB, "path")]
    if not allow_mixed:
        check_mixed(configs, set(keys))
    varying = _varying(jobs, keys, configs)
    reference = {key: _lookup(config, key) for key in varying}
    result = Sweep(directory, jobs, incomplete, varying, reference, config, study, inputs=inputs)
    if all((Path(p) / "points.csv").is_file() for p in jobs["path"]):
        _collect_points(result, configs)
    else:
        _collect_metrics(result, configs)
    return result


def _completed(candidates: list[Path]) -> tuple[pd.DataFrame, list[str], dict[str, Any]]:
    """The completed jobs (job, path and sweep parameters), the incomplete ones' names, and each completed job's
    inputs (configuration and file digests, from its marker)."""
    rows, incomplete, inputs = [], [], {}
    for job_dir in candidates:
        marker = sweep.read_marker(job_dir)
        if marker is None or not isinstance(marker.get("parameters", {}), dict) \
                or not sweep.is_complete(job_dir, marker.get("config_sha256", "")):
            incomplete.append(job_dir.name)
            continue
        rows.append({JOB: job_dir.name, "path": str(job_dir), **marker.get("parameters", {})})
        inputs[job_dir.name] = {"config": marker.get("config_sha256"),
                                "files": {name: entry.get("sha256") for name, entry in marker["files"].items()}}
    return pd.DataFrame(rows), incomplete, inputs


def _job_configs(jobs: pd.DataFrame, directory: Path) -> dict[str, DictConfig]:
    """Each completed job's config.yaml."""
    configs = {}
    for job, path in zip(jobs[JOB], jobs["path"]):
        if not (Path(path) / "config.yaml").is_file():
            raise ReportError(f"job {job} lists no config.yaml; is {str(directory)!r} a bargainsim sweep?")
        configs[job] = _read_config(Path(path) / "config.yaml", job)
    return configs


def _varying(jobs: pd.DataFrame, keys: list[str], configs: dict[str, DictConfig]) -> list[str]:
    """The sweep parameters whose values differ between jobs (sizes and seeds aside); a job that reached a value by
    default (not by an override) gets it from its own configuration, in ``jobs``."""
    varying = [key for key in keys if key not in SIZE_KEYS
               and jobs[key].map(lambda v: json.dumps(v, default=str)).nunique(dropna=False) > 1]
    for key in varying:
        missing = jobs[key].isna()
        if missing.any():
            jobs.loc[missing, key] = [OmegaConf.select(configs[job], key, throw_on_resolution_failure=False)
                                      for job in jobs.loc[missing, JOB]]
    return varying


def with_parameters(frame: pd.DataFrame, job: pd.Series, keys: list[str]) -> pd.DataFrame:
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
        cases = Path(job["path"]) / "cases.parquet"
        if cases.is_file():
            extra = read_file(cases, job[JOB],
                              lambda p: case_metrics(pd.read_parquet(p, columns=[*FROM_CASES_COLUMNS])))
            frame = frame.merge(extra, on=RUN_KEYS, how="left", validate="one_to_one")
        frames.append(with_parameters(frame, job, result.parameters))
    result.metrics = pd.concat(frames, ignore_index=True)
    result.seed = int(result.metrics["seed"].iloc[0])


def _collect_draws(result: Sweep, configs: dict[str, DictConfig]) -> None:
    """A robustness study's evaluated posterior draws: every draw of the study, each with the parameters the
    study's posterior and seed give it."""
    frames, studies = [], set()
    for _, job in result.jobs.iterrows():
        spec = configs[job[JOB]]
        studies.add(json.dumps({**OmegaConf.to_container(spec.robustness), "chunk": None}))
        frames.append(_read_frame(Path(job["path"]) / "points.csv", job[JOB], [robustness.DRAW, ARM, "replication"]))
        result.seed = int(spec.seed)
    if len(studies) != 1:
        raise ReportError("the jobs of this sweep draw from different posteriors or draws; report one study at a "
                          "time")
    result.robustness = robustness.robustness_from_config(OmegaConf.create({**json.loads(studies.pop()),
                                                                            "chunk": 0}))
    expected = robustness.draws(result.robustness)
    points = pd.concat(frames, ignore_index=True).sort_values([robustness.DRAW, ARM, "replication"],
                                                              ignore_index=True)
    evaluated = points.groupby(robustness.DRAW, sort=True).first()
    if len(evaluated) != len(expected):
        raise ReportError(f"the robustness study has {len(expected)} draws but the completed jobs evaluated "
                          f"{len(evaluated)}; resume the sweep to evaluate the missing chunks")
    names = [c for c in expected.columns if c != robustness.DRAW]
    if not np.allclose(evaluated[names].to_numpy(float), expected[names].to_numpy(float), rtol=1e-9, atol=1e-12):
        raise ReportError("the evaluated draws are not those of the study's posterior (file, draws or seed "
                          "changed); run the sweep again into a fresh directory")
    result.points = points


def _collect_points(result: Sweep, configs: dict[str, DictConfig]) -> None:
    if all(isinstance(spec.get("robustness"), DictConfig) for spec in configs.values()):
        _collect_draws(result, configs)
        return
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
        frames.append(with_parameters(frame, job, []))
        seed = int(spec.seed)
    if len(specs) != 1:
        raise ReportError("the jobs of this sweep evaluate different sensitivity designs; report one design at a time")
    raw = json.loads(specs.pop())
    try:
        ranges = sensitivity_ranges(raw["parameters"], raw.get("posterior"))
        result.sensitivity = Sensitivity(tuple((k, float(v[0]), float(v[1])) for k, v in ranges.items()),
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

