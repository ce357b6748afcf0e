"""Calibration of the status quo to the published national figures (DOMAIN.md §5).

The uncertain behavioural parameters named in the configuration are searched with :mod:`scipy.optimize` so that
the status quo's application rate, determinate share, adoption rate and first-instance acceptance match the 2024
figures of the Supreme People's Procuratorate. Every evaluation simulates the same cases and institutions (fixed
seed and replications: common random numbers), so the objective is a deterministic function of the parameters.
The search works on the unit cube of the parameters' bounds. The fitted values, rounded to a few significant
digits, are then checked on a fresh, larger validation run at another seed: mean and 95% CI over replications of
each figure against its target.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra.core.config_store import ConfigStore

from bargainsim import analysis
from bargainsim.analysis import OUTCOMES
from bargainsim.harness import posterior
from bargainsim.harness.config import check_seed
from bargainsim.harness.experiment import leave_interrupts, status_quo_metrics
from bargainsim.harness.files import ensure_writable, provenance, write_atomic
from bargainsim.harness.posterior import PosteriorConfig, PosteriorSettings, StatusQuoFigures
from bargainsim.harness.posterior import settings_from as posterior_settings
from bargainsim.params import (
    Behaviour,
    Caseload,
    ConfigError,
    Rules,
    Timing,
    check_integer,
    specs,
    validate,
)

logger = logging.getLogger(__name__)

TARGETS_2024: dict[str, float] = {
    "application_rate": 0.869,
    "determinate_share": 0.956,
    "adoption_rate": 0.966,
    "first_instance_acceptance": 0.969,
}
"""Supreme People's Procuratorate, 2024 criminal prosecution white paper, via seeds/004 (DOMAIN.md §5)."""

METHODS = ("least_squares", "nelder_mead", "powell")
TARGET_UNITS = ("share", "probability")
DIFF_STEP = 0.02
"""Finite-difference step of the Jacobian, as a share of each parameter's search interval: wide enough that the
derivative sees the smooth trend, not the 1/N steps of a simulated rate."""
SIMPLEX_STEP = 0.1
"""Edge of Nelder–Mead's initial simplex, as a share of each interval (its default, 5% of the start value, can
sit inside one flat step of a simulated rate)."""


# -- configuration schema (plain dataclasses; Hydra's structured config in cli.py) -------------------------------
@dataclass
class ValidationRun:
    """The fresh run that checks the fit: another seed, more cases."""

    seed: int = 2025
    replications: int = 10
    n_cases: int = 20000


@dataclass
class CalibrationConfig:
    """Schema of the calibration's configuration (``conf/calibration.yaml``)."""

    seed: int = 2024
    replications: int = 4
    n_cases: int = 10000
    jobs: int = 0
    method: str = "least_squares"
    max_evaluations: int = 60
    significant_digits: int = 3
    precision_pp: float = 0.1
    tolerance_pp: float = 1.5
    overwrite: bool = False
    targets: dict[str, float] = field(default_factory=lambda: dict(TARGETS_2024))
    parameters: dict[str, Any] = field(default_factory=dict)
    """Searched behavioural parameter → {low, high, start}: its search interval and starting value (start left out
    or null: the parameter's current value)."""
    validation: ValidationRun = field(default_factory=ValidationRun)
    posterior: PosteriorConfig = field(default_factory=PosteriorConfig)
    rules: Rules = field(default_factory=Rules)
    behaviour: Behaviour = field(default_factory=Behaviour)
    caseload: Caseload = field(default_factory=Caseload)
    timing: Timing = field(default_factory=Timing)


ConfigStore.instance().store(name="calibration_schema", node=CalibrationConfig)


# -- plain settings ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Searched:
    """One searched behavioural parameter."""

    name: str
    low: float
    high: float
    start: float
    unit: str

    def to_unit(self, value: float) -> float:
        return (value - self.low) / (self.high - self.low)

    def from_unit(self, u: float) -> float:
        return self.low + min(1.0, max(0.0, u)) * (self.high - self.low)


@dataclass(frozen=True)
class Size:
    """Seed, replications and cases per replication of a status-quo simulation."""

    seed: int
    replications: int
    n_cases: int


@dataclass(frozen=True)
class CalibrationSettings:
    """Everything a calibration needs, as plain validated values."""

    fit: Size
    validation: Size
    jobs: int
    method: str
    max_evaluations: int
    significant_digits: int
    precision_pp: float
    tolerance_pp: float
    targets: dict[str, float]
    parameters: tuple[Searched, ...]
    posterior: PosteriorSettings | None
    rules: Rules
    behaviour: Behaviour
    caseload: Caseload
    timing: Timing


def _searchable() -> dict[str, dataclasses.Field]:
    """Behavioural parameters that can be searched: the continuous ones."""
    return {name: f for name, f in specs(Behaviour)
            if isinstance(f.default, float) and f.metadata.get("low") is not None}


def settings_from(config: CalibrationConfig) -> CalibrationSettings:
    """Validate the calibration's configuration; raise ConfigError naming the key and what is allowed."""
    check_seed("seed", config.seed)
    check_seed("validation.seed", config.validation.seed)
    for key, value, minimum in (("replications", config.replications, 2), ("n_cases", config.n_cases, 1),
                                ("jobs", config.jobs, 0), ("max_evaluations", config.max_evaluations, 1),
                                ("significant_digits", config.significant_digits, 1),
                                ("validation.replications", config.validation.replications, 2),
                                ("validation.n_cases", config.validation.n_cases, 1)):
        check_integer(key, value, minimum)
    if config.method not in METHODS:
        raise ConfigError(f"method = {config.method!r} is not allowed; allowed values: {', '.join(METHODS)}")
    for key, value in (("precision_pp", config.precision_pp), ("tolerance_pp", config.tolerance_pp)):
        if not value > 0:
            raise ConfigError(f"{key} = {value!r} must be > 0 (percentage points)")
    if config.validation.seed == config.seed:
        raise ConfigError(f"validation.seed = {config.validation.seed} must differ from seed: the validation run "
                          "checks the fit on cases it was not fitted to")
    allowed_targets = [name for name, o in OUTCOMES.items() if o.unit in TARGET_UNITS]
    if not config.targets:
        raise ConfigError(f"targets is empty; give at least one of: {', '.join(allowed_targets)}")
    for name, value in config.targets.items():
        if name not in allowed_targets:
            raise ConfigError(f"targets.{name} is not a calibratable figure; allowed: {', '.join(allowed_targets)}")
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"targets.{name} = {value!r} is outside the allowed range [0, 1] (a share)")
    for prefix, obj in (("rules", config.rules), ("behaviour", config.behaviour), ("caseload", config.caseload),
                        ("timing", config.timing)):
        validate(obj, prefix)
    searchable = _searchable()
    if not config.parameters:
        raise ConfigError(f"parameters is empty; search at least one of: {', '.join(searchable)}")
    searched = [_searched(name, bound, searchable, config.behaviour) for name, bound in config.parameters.items()]
    if len(config.parameters) > len(config.targets) and config.method == "least_squares":
        raise ConfigError(f"parameters: {len(config.parameters)} searched against {len(config.targets)} targets; "
                          "least_squares needs no more parameters than targets (search fewer, or add targets)")
    return CalibrationSettings(
        Size(config.seed, config.replications, config.n_cases),
        Size(config.validation.seed, config.validation.replications, config.validation.n_cases),
        config.jobs, config.method, config.max_evaluations, config.significant_digits, float(config.precision_pp),
        float(config.tolerance_pp),
        {name: float(value) for name, value in config.targets.items()}, tuple(searched),
        None if config.posterior.population_size == 0 else
        posterior_settings(config.posterior, config.targets, config.behaviour),
        config.rules, config.behaviour, config.caseload, config.timing)


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ConfigError(f"{key} = {value!r} must be a number")
    return float(value)


def _searched(name: str, bound: Any, searchable: dict[str, dataclasses.Field], behaviour: Behaviour) -> Searched:
    """One entry of ``parameters``, checked against the parameter's own allowed range."""
    if name not in searchable:
        raise ConfigError(f"parameters.{name} is not a continuous behaviour parameter; allowed: "
                          f"{', '.join(searchable)}")
    if not isinstance(bound, dict) or not {"low", "high"} <= set(bound) <= {"low", "high", "start"}:
        raise ConfigError(f"parameters.{name} = {bound!r} must give low, high and optionally start")
    low, high = _number(f"parameters.{name}.low", bound["low"]), _number(f"parameters.{name}.high", bound["high"])
    meta = searchable[name].metadata
    if not meta["low"] <= low < high <= meta["high"]:
        raise ConfigError(f"parameters.{name}: low = {low!r}, high = {high!r} must satisfy "
                          f"{meta['low']} ≤ low < high ≤ {meta['high']}")
    start = bound.get("start")
    start = getattr(behaviour, name) if start is None else _number(f"parameters.{name}.start", start)
    if not low <= start <= high:
        raise ConfigError(f"parameters.{name}.start = {start!r} is outside [{low}, {high}]")
    return Searched(name, low, high, float(start), meta["unit"])


# -- simulation ----------------------------------------------------------------------------------------------------
@contextmanager
def workers(jobs: int, tasks: int) -> Iterator[Executor | None]:
    """A process pool kept for the whole calibration (None: run in this process)."""
    count = min(tasks, jobs or os.cpu_count() or 1)
    if count <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn"),
                             initializer=leave_interrupts) as pool:
        yield pool


def simulate_status_quo(settings: CalibrationSettings, behaviour: Behaviour, size: Size,
                        pool: Executor | None) -> pd.DataFrame:
    """Per-replication metrics of the status quo under ``behaviour``; identical whatever the pool."""
    return status_quo_metrics(settings.rules, behaviour, settings.caseload, settings.timing, size.seed,
                              size.replications, size.n_cases, pool)


class Objective:
    """The simulated figures as a function of the searched parameters, on the fit's fixed cases.

    Works on the unit cube of the parameters' bounds; every evaluation is logged and kept in ``history``.
    """

    def __init__(self, settings: CalibrationSettings, pool: Executor | None) -> None:
        self.settings, self.pool = settings, pool
        self.names = [p.name for p in settings.parameters]
        self.targets = np.array(list(settings.targets.values()))
        self.history: list[dict] = []
        self._cache: dict[tuple[float, ...], np.ndarray] = {}

    def values(self, u: np.ndarray) -> tuple[float, ...]:
        """Parameter values of a point of the unit cube."""
        return tuple(p.from_unit(float(x)) for p, x in zip(self.settings.parameters, u))

    def behaviour(self, values: tuple[float, ...]) -> Behaviour:
        return dataclasses.replace(self.settings.behaviour, **dict(zip(self.names, values)))

    def figures(self, values: tuple[float, ...]) -> np.ndarray:
        """Mean of each target figure over the fit's replications."""
        if values not in self._cache:
            metrics = simulate_status_quo(self.settings, self.behaviour(values), self.settings.fit, self.pool)
            figures = metrics[list(self.settings.targets)].mean().to_numpy(dtype=float)
            self._cache[values] = figures
            residuals = 100.0 * (figures - self.targets)
            loss = float(np.sum(residuals ** 2))
            self.history.append({"evaluation": len(self.history) + 1, **dict(zip(self.names, values)),
                                 **dict(zip(self.settings.targets, figures)), "loss_pp2": loss})
            logger.info("evaluation %d: %s → %s; loss %.4f pp²", len(self.history),
                        ", ".join(f"{n}={v:.4g}" for n, v in zip(self.names, values)),
                        ", ".join(f"{n}={f:.4f}" for n, f in zip(self.settings.targets, figures)), loss)
        return self._cache[values]

    def residuals(self, u: np.ndarray) -> np.ndarray:
        """Simulated minus target, in percentage points."""
        return 100.0 * (self.figures(self.values(u)) - self.targets)

    def jacobian(self, u: np.ndarray) -> np.ndarray:
        """Forward differences of the residuals with a step of DIFF_STEP of each interval (backward at the upper
        bound)."""
        base = self.residuals(u)
        columns = []
        for i in range(len(u)):
            step = DIFF_STEP if u[i] + DIFF_STEP <= 1.0 else -DIFF_STEP
            moved = np.array(u, dtype=float)
            moved[i] += step
            columns.append((self.residuals(moved) - base) / step)
        return np.column_stack(columns)

    def loss(self, u: np.ndarray) -> float:
        """Sum of squared residuals, in pp²."""
        return float(np.sum(self.residuals(u) ** 2))

    def best(self) -> tuple[float, ...]:
        """The evaluated point with the lowest loss."""
        row = min(self.history, key=lambda h: h["loss_pp2"])
        return tuple(row[name] for name in self.names)


def search(objective: Objective) -> str:
    """Run the optimizer from the start values until every figure is within ``precision_pp`` of its target (finer
    is below the sampling error of the fit's cases), the optimizer converges, or the budget is spent; return how
    it ended."""
    settings = objective.settings
    u0 = np.array([p.to_unit(p.start) for p in settings.parameters])
    k = len(u0)

    from scipy import (
        optimize,  # loaded when a calibration runs, not by every entry point that imports this module
    )

    def precise_enough(intermediate_result: optimize.OptimizeResult) -> None:
        if np.max(np.abs(objective.residuals(intermediate_result.x))) <= settings.precision_pp:
            raise StopIteration

    if settings.method == "least_squares":
        result = optimize.least_squares(objective.residuals, u0, jac=objective.jacobian, bounds=(0.0, 1.0),
                                        xtol=1e-3, ftol=1e-4, max_nfev=max(1, settings.max_evaluations // (k + 1)),
                                        callback=precise_enough)
    else:
        method = {"nelder_mead": "Nelder-Mead", "powell": "Powell"}[settings.method]
        simplex = [u0] + [u0 + np.eye(k)[i] * (SIMPLEX_STEP if u0[i] + SIMPLEX_STEP <= 1.0 else -SIMPLEX_STEP)
                          for i in range(k)]
        options = {"maxfev": settings.max_evaluations, "xtol": 1e-3, "ftol": 1e-4} if method == "Powell" else \
            {"maxfev": settings.max_evaluations, "xatol": 1e-3, "fatol": 1e-3, "initial_simplex": np.array(simplex)}
        result = optimize.minimize(objective.loss, u0, method=method, bounds=[(0.0, 1.0)] * k, options=options,
                                   callback=precise_enough)
    if np.max(np.abs(objective.figures(objective.best()) - objective.targets)) * 100.0 <= settings.precision_pp:
        return f"every figure within {settings.precision_pp:g} pp of its target"
    return str(result.message)


def round_significant(value: float, digits: int) -> float:
    """``value`` to ``digits`` significant digits."""
    return 0.0 if value == 0 else round(value, digits - 1 - math.floor(math.log10(abs(value))))


# -- the calibration -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Calibration:
    """A finished calibration: fitted parameters, the figures at the fit and on validation, the search log."""

    parameters: pd.DataFrame
    figures: pd.DataFrame
    evaluations: pd.DataFrame
    message: str
    files: dict[str, Path]


def parameter_table(settings: CalibrationSettings, fitted: tuple[float, ...]) -> pd.DataFrame:
    """One row per searched parameter: unit, bounds, start, the optimizer's value and the rounded default."""
    return pd.DataFrame([{"parameter": p.name, "unit": p.unit, "low": p.low, "high": p.high, "start": p.start,
                          "fitted": value, "default": round_significant(value, settings.significant_digits)}
                         for p, value in zip(settings.parameters, fitted)])


def figure_table(settings: CalibrationSettings, at_start: np.ndarray, at_fit: np.ndarray,
                 validation: pd.DataFrame) -> pd.DataFrame:
    """One row per target: the target, the fit run's mean at the start values and at the fitted values, and the
    validation run's mean, 95% CI and between-replication sd, with the deviation in percentage points."""
    summary = analysis.summarize(validation).set_index("outcome")
    rows = []
    for (name, target), start_mean, fit_mean in zip(settings.targets.items(), at_start, at_fit):
        row = summary.loc[name]
        deviation = 100.0 * (row["mean"] - target)
        rows.append({"figure": name, "target": target, "start_mean": start_mean, "fit_mean": fit_mean,
                     "mean": row["mean"],
                     "ci_low": row["ci_low"], "ci_high": row["ci_high"], "sd": float(validation[name].std()),
                     "replications": int(row["n"]), "deviation_pp": deviation,
                     "within_tolerance": abs(deviation) <= settings.tolerance_pp})
    return pd.DataFrame(rows)


def calibrate(settings: CalibrationSettings) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    """Search, round, re-run the fit at the rounded values, validate: (parameters, figures, evaluations, message)."""
    tasks = max(settings.fit.replications, settings.validation.replications)
    with workers(settings.jobs, tasks) as pool:
        objective = Objective(settings, pool)
        logger.info("calibrating %s against %s: %d replications × %d cases per evaluation (seed %d)",
                    ", ".join(objective.names), ", ".join(settings.targets), settings.fit.replications,
                    settings.fit.n_cases, settings.fit.seed)
        message = search(objective)
        parameters = parameter_table(settings, objective.best())
        rounded = tuple(float(v) for v in parameters["default"])
        at_start = objective.figures(tuple(p.start for p in settings.parameters))
        at_fit = objective.figures(rounded)
        logger.info("validating at %s: %d replications × %d cases (seed %d)",
                    ", ".join(f"{n}={v:g}" for n, v in zip(objective.names, rounded)),
                    settings.validation.replications, settings.validation.n_cases, settings.validation.seed)
        validation = simulate_status_quo(settings, objective.behaviour(rounded), settings.validation, pool)
    return parameters, figure_table(settings, at_start, at_fit, validation), pd.DataFrame(objective.history), message


def format_markdown(settings: CalibrationSettings, parameters: pd.DataFrame, figures: pd.DataFrame,
                    command: str, message: str, evaluations: int) -> str:
    """The calibration report: the fit table, the fitted parameters, how it was made."""
    v, f = settings.validation, settings.fit
    fig_rows = "\n".join(
        f"| {OUTCOMES[r.figure].title} (`{r.figure}`) | {100 * r.target:.1f}% | {100 * r.start_mean:.1f}% "
        f"| {100 * r.mean:.2f}% "
        f"| [{100 * r.ci_low:.2f}, {100 * r.ci_high:.2f}] | {r.deviation_pp:+.2f} "
        f"| {'yes' if r.within_tolerance else '**no**'} |" for r in figures.itertuples())
    par_rows = "\n".join(
        f"| `behaviour.{r.parameter}` | {r.unit} | [{r.low:g}, {r.high:g}] | {r.start:g} | {r.fitted:.5g} "
        f"| **{r.default:g}** |" for r in parameters.itertuples())
    return f"""# Calibration of the status quo

Target: the 2024 national figures (Supreme People's Procuratorate white paper, via seeds/004; DOMAIN.md §5),
each within {settings.tolerance_pp:g} percentage points.

## Target vs simulated

Validation run at the calibrated defaults: seed {v.seed}, {v.replications} replications × {v.n_cases:,} cases
(cases the fit never saw). Mean and Student-t 95% CI over replications. "Before": the fit's cases at the start
values (the assumptions before calibration).

| figure | target | before | simulated | 95% CI | deviation (pp) | within {settings.tolerance_pp:g} pp |
|---|---|---|---|---|---|---|
{fig_rows}

## Fitted parameters

Searched with `{settings.method}` on the unit cube of the bounds, common random numbers: every evaluation
simulates the same {f.replications} replications × {f.n_cases:,} cases (seed {f.seed}). {evaluations} evaluations;
stopped: {message[:1].lower() + message[1:].rstrip('.')}. The fitted values, rounded to {settings.significant_digits} significant digits,
are the defaults in `src/bargainsim/params/behaviour.py` (source "calibrated").

| parameter | unit | bounds | start | fitted | default |
|---|---|---|---|---|---|
{par_rows}

## Reproduce

```sh
{command}
```

Configuration: [`config.yaml`](config.yaml); every evaluation: [`evaluations.csv`](evaluations.csv); versions and
platform: [`run.json`](run.json).
"""


def infer_posterior(settings: CalibrationSettings, out_dir: Path) -> posterior.Posterior:
    """The posterior of the parameters its section names, around the calibrated status quo (:mod:`.posterior`)."""
    spec = settings.posterior
    model = StatusQuoFigures(settings.rules, settings.behaviour, settings.caseload, settings.timing,
                             tuple(settings.targets), spec.seed, spec.replications, spec.n_cases)
    defaults = {name: getattr(settings.behaviour, name) for name in spec.priors}
    return posterior.run(spec, model, settings.targets, defaults, settings.validation.seed,
                         settings.jobs or os.cpu_count() or 1, out_dir)


def run(settings: CalibrationSettings, out_dir: Path | str, command: str) -> Calibration:
    """Calibrate and write parameters.csv, figures.csv, evaluations.csv, calibration.md, calibration.png and
    run.json into ``out_dir``."""
    out_dir = Path(out_dir)
    ensure_writable(out_dir)
    parameters, figures, evaluations, message = calibrate(settings)
    missed = figures.loc[~figures["within_tolerance"], "figure"].tolist()
    if missed:
        logger.warning("outside the %g pp tolerance on validation: %s", settings.tolerance_pp, ", ".join(missed))
    record = {"command": command, "optimizer_message": message, "evaluations": len(evaluations),
              **provenance(settings)}
    report = format_markdown(settings, parameters, figures, command, message, len(evaluations))
    from bargainsim.reporting import plots

    files: dict[str, Path] = {}
    if settings.posterior is not None:
        inferred = infer_posterior(settings, out_dir)
        files.update(inferred.files)
        report += posterior.format_markdown(settings.posterior, inferred, settings.validation.seed)
        record["posterior_defaults"] = {"distance": inferred.default_distance,
                                        "better_fitting_share": inferred.default_fit_share,
                                        "kde_level": inferred.default_level}
    files |= {
        "parameters": write_atomic(out_dir / "parameters.csv", lambda p: parameters.to_csv(p, index=False)),
        "figures": write_atomic(out_dir / "figures.csv", lambda p: figures.to_csv(p, index=False)),
        "evaluations": write_atomic(out_dir / "evaluations.csv", lambda p: evaluations.to_csv(p, index=False)),
        "report": write_atomic(out_dir / "calibration.md", lambda p: p.write_text(report, encoding="utf-8")),
        "figure": write_atomic(out_dir / "calibration.png",
                               lambda p: plots.plot_calibration(figures, settings.tolerance_pp, p)),
        "provenance": write_atomic(out_dir / "run.json", lambda p: p.write_text(
            json.dumps(record, indent=2, default=str), encoding="utf-8")),
    }
    return Calibration(parameters, figures, evaluations, message, files)


def format_console(calibration: Calibration) -> str:
    """Target vs simulated (validation run) and the fitted parameters, for the terminal."""
    lines = [f"{'figure':<28}{'target':>8}{'simulated':>11}{'95% CI':>18}{'dev (pp)':>10}"]
    for r in calibration.figures.itertuples():
        lines.append(f"{r.figure:<28}{r.target:>8.3f}{r.mean:>11.4f}   [{r.ci_low:.4f}, {r.ci_high:.4f}]"
                     f"{r.deviation_pp:>+10.2f}")
    lines.append("")
    lines.append(f"{'parameter':<32}{'start':>10}{'fitted':>12}{'default':>10}")
    for r in calibration.parameters.itertuples():
        lines.append(f"{r.parameter:<32}{r.start:>10.4g}{r.fitted:>12.5g}{r.default:>10.4g}")
    return "\n".join(lines)
