"""The entry points (the main job and the calibration): Hydra composes the configuration, everything else takes
plain values.

Every run is checked whole before anything is written: :class:`Preflight`, a Hydra callback, validates the run's
configuration (or, for a sweep, every job's) and its output directory before Hydra creates a directory, and
:func:`console` turns whatever goes wrong into one line on stderr — exit code 2 for bad input, 130 for an
interruption, 1 for a failure of the machine (a full disk) — instead of a traceback.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import hydra
from hydra import initialize_config_dir
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra._internal.utils import get_args_parser
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException, MissingConfigException, OverrideParseException
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf, open_dict
from omegaconf.errors import (
    ConfigAttributeError,
    ConfigKeyError,
    OmegaConfBaseException,
)

from bargainsim.apps import scripts
from bargainsim.harness import rundir, sensitivity, sweep
from bargainsim.harness.config import (
    RunConfig,
    check_known_keys,
    closest_keys,
    config_dir,
    not_a_parameter,
    schema_field,
    settings_from_config,
)
from bargainsim.harness.experiment import Results, run
from bargainsim.harness.files import ensure_writable, write_atomic, write_provenance
from bargainsim.params import ConfigError
from bargainsim.reporting.formatting import format_console

logger = logging.getLogger("bargainsim")


class Halt(BaseException):
    """Carries an error out of a Hydra callback or job, past Hydra's handlers (which turn an ``Exception`` raised
    in a callback into a warning, and log one raised in a job with a list of overrides)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error

    def __str__(self) -> str:
        return str(self.error)


def halting(job: Callable[[DictConfig], None]) -> Callable[[DictConfig], None]:
    """A Hydra task whose errors reach :func:`console` unlogged."""
    @functools.wraps(job)
    def task(cfg: DictConfig) -> None:
        try:
            job(cfg)
        except Exception as error:
            raise Halt(error) from None
    return task


# -- validation before anything is written ------------------------------------------------------------------------

def _task_config(config: DictConfig) -> DictConfig:
    """The job's own configuration: ``config`` without Hydra's node."""
    task = config.copy()
    with open_dict(task):
        del task["hydra"]
    return task


def _calibration() -> ModuleType:
    """The calibration (imported on first use: the main job does not need it)."""
    from bargainsim.harness import calibration

    return calibration


def _validation() -> ModuleType:
    """The validation suite (imported on first use: the main job does not need it)."""
    from bargainsim.harness import validation

    return validation


def check_main_job(config: DictConfig) -> None:
    """Validate a main-job configuration (raise ConfigError naming the key and what is allowed)."""
    settings_from_config(_task_config(config))


def check_calibration(config: DictConfig) -> None:
    """Validate a calibration configuration."""
    task = _task_config(config)
    check_known_keys(task, "conf/calibration.yaml")
    _calibration().settings_from(OmegaConf.to_object(task))


def check_validation(config: DictConfig) -> None:
    """Validate a validation run's configuration: a main job's, with the arms the facts compare."""
    _validation().check_arms(settings_from_config(_task_config(config)))


def _overrides(config: DictConfig) -> list[str]:
    return list(OmegaConf.to_container(config.hydra.overrides.task, resolve=False))


def check_overrides(overrides: list[str], schema: type) -> None:
    """What composition would silently accept: ``reform=[]`` (it would run every arm) and a switch given
    anything but true or false (OmegaConf reads ``save_cases=2`` as true)."""
    for override in OverridesParser.create().parse_overrides(overrides):
        key = override.key_or_group
        if key == "reform" and override.value() == []:
            raise ConfigError("reform=[] selects no reform; omit reform for every arm, reform=baseline for the status "
                              "quo alone, reform=NAME or reform=[NAME,NAME] for arms of your choice")
        spec = None if override.is_sweep_override() else schema_field(key, schema)
        if spec is not None and spec.type in (bool, "bool") and not isinstance(override.value(), bool):
            raise ConfigError(f"{key}={override.get_value_element_as_str()} is not allowed; {key} must be true or "
                              "false")


def sweep_jobs(config: DictConfig) -> list[tuple[list[str], DictConfig]]:
    """Every job of a basic sweep — its overrides and composed configuration — as the sweeper will launch them."""
    loader = GlobalHydra.instance().config_loader()
    params = [f"{key}={value}" for key, value in (config.hydra.sweeper.get("params") or {}).items()]
    parsed = OverridesParser.create(config_loader=loader).parse_overrides(params + _overrides(config))
    jobs = []
    for number, overrides in enumerate(BasicSweeper.split_arguments(parsed, None)[0]):
        job = loader.load_sweep_config(config, list(overrides))
        with open_dict(job):
            job.hydra.job.num = number
        jobs.append((list(overrides), job))
    return jobs


class Preflight(Callback):
    """Before Hydra creates a directory: the configuration of the run (or of every job of a sweep) is valid, and
    its results can be written where they are meant to go without destroying another run."""

    def __init__(self, app: str = "main") -> None:
        calibrating = app == "calibration"
        checks = {"calibration": check_calibration, "validation": check_validation}
        self.check: Callable[[DictConfig], None] = checks.get(app, check_main_job)
        self.schema = _calibration().CalibrationConfig if calibrating else RunConfig

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        try:
            check_overrides(_overrides(config), self.schema)
            self.check(config)
            out_dir = config.hydra.run.dir
            rundir.check_directory(out_dir or "", "hydra.run.dir")
            rundir.check_new_run(Path(out_dir), "hydra.run.dir", bool(config.get("overwrite", False)))
        except Exception as error:
            raise Halt(error) from None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        try:
            check_overrides(_overrides(config), self.schema)
            sweep_dir = config.hydra.sweep.dir
            rundir.check_directory(sweep_dir or "", "hydra.sweep.dir")
            for overrides, job in sweep_jobs(config):
                label = f"job {job.hydra.job.num} ({' '.join(overrides) or 'no overrides'})"
                try:
                    check_overrides(overrides, self.schema)
                    self.check(job)
                except ConfigError as error:
                    raise ConfigError(f"{label}: {error}") from None
                job_dir = Path(sweep_dir) / str(job.hydra.sweep.subdir)
                if os.path.lexists(job_dir) and not job_dir.is_dir():
                    raise ConfigError(f"{label}: its directory {job_dir} is a file; move it away or choose "
                                      f"another hydra.sweep.dir")
        except Exception as error:
            raise Halt(error) from None


# -- the jobs -----------------------------------------------------------------------------------------------------

def _write_config(cfg: DictConfig, out_dir: Path) -> Path:
    return write_atomic(out_dir / "config.yaml", lambda p: p.write_text(OmegaConf.to_yaml(cfg), encoding="utf-8"))


def _list_files(out_dir: Path, files: dict[str, Path]) -> None:
    sys.stdout.write(f"\nResults in {out_dir}:\n")
    for path in files.values():
        sys.stdout.write(f"  {path.name}\n")


def run_job(cfg: DictConfig, out_dir: Path) -> Results:
    """Validate, simulate and write everything into ``out_dir``; the configuration is saved beside the results."""
    settings = settings_from_config(cfg)
    results = run(settings, out_dir)
    results.files["config"] = _write_config(cfg, out_dir)
    return results


def run_points_job(cfg: DictConfig, out_dir: Path) -> dict[str, Path]:
    """Evaluate this job's chunk of a Sobol design or of a robustness study's posterior draws into
    ``points.csv``, with run.json and config.yaml."""
    settings = settings_from_config(cfg)
    ensure_writable(out_dir)
    if settings.robustness is not None:
        from bargainsim.harness import robustness

        points = robustness.evaluate(settings)
    else:
        points = sensitivity.evaluate(settings)
    return {
        "points": write_atomic(out_dir / "points.csv", lambda p: points.to_csv(p, index=False)),
        "provenance": write_provenance(settings, out_dir),
        "config": _write_config(cfg, out_dir),
    }


def job_parameters(cfg: DictConfig, overrides: list[str], choices: dict[str, Any]) -> dict[str, Any]:
    """The value each command-line or sweep override gave this job: a group's chosen option (``reform``), or the
    resolved value of a key (``rules.disclosure``). Hydra's own settings and result-neutral keys are left out."""
    parameters: dict[str, Any] = {}
    for override in OverridesParser.create().parse_overrides(overrides):
        key = override.key_or_group
        if key.startswith("hydra") or key in sweep.NEUTRAL_KEYS:
            continue
        if key in choices:
            parameters[key] = choices[key]
            continue
        value = OmegaConf.select(cfg, key)
        parameters[key] = OmegaConf.to_container(value, resolve=True) if OmegaConf.is_config(value) else value
    return parameters


def _quiet_interrupts(unraisable: Any) -> None:
    """Python's report of an exception it could not raise, unless it is a Ctrl-C that arrived inside a finalizer
    or a weak-reference callback: the run stops in one line anyway, in this process or in its launcher's."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _main_job(cfg: DictConfig) -> None:
    """The task of `bargainsim`: run the arms (or a sensitivity chunk) into a staging directory, swap the results
    in whole and seal them with the completion marker; in a sweep, skip a job already complete."""
    sys.unraisablehook = _quiet_interrupts   # also in a launcher's worker process, which runs this task
    if multiprocessing.parent_process() is not None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # a launcher's worker: its launcher stops it on Ctrl-C
    logging.getLogger("MESA").setLevel(logging.WARNING)
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    multirun = hydra_cfg.mode == RunMode.MULTIRUN
    if multirun and cfg.jobs == 0:
        cfg.jobs = 1
    overrides = list(hydra_cfg.overrides.task)
    parameters = job_parameters(cfg, overrides, dict(hydra_cfg.runtime.choices))
    config_hash = sweep.fingerprint(OmegaConf.to_container(cfg, resolve=True))
    settings_from_config(cfg)
    if multirun and sweep.is_complete(out_dir, config_hash):
        sweep.refresh_parameters(out_dir, parameters, overrides)
        logger.info("job %s is complete in %s; skipped", hydra_cfg.job.num, out_dir)
        sys.stdout.write(f"Job {hydra_cfg.job.num} already complete in {out_dir}; skipped\n")
        return
    results = None
    with rundir.staged(out_dir) as staging:
        if cfg.get("sensitivity") is not None or cfg.get("robustness") is not None:
            files = run_points_job(cfg, staging)
        else:
            results = run_job(cfg, staging)
            files = results.files
        files = rundir.commit(out_dir, staging, files, config_hash,
                              {"parameters": parameters, "overrides": overrides})
    if results is not None:
        sys.stdout.write(format_console(results.summary) + "\n")
    _list_files(out_dir, files)


def _calibration_job(cfg: DictConfig) -> None:
    """The task of `bargainsim-calibrate`: fit, validate on fresh cases, print target vs simulated, seal the
    files with a completion marker."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    overrides = HydraConfig.get().overrides
    command = " ".join(["bargainsim-calibrate", *(o for o in overrides.hydra if not o.startswith("hydra.mode=")),
                        *overrides.task])
    settings = _calibration().settings_from(OmegaConf.to_object(cfg))
    with rundir.staged(out_dir) as staging:
        result = _calibration().run(settings, staging, command)
        result.files["config"] = _write_config(cfg, staging)
        files = rundir.commit(out_dir, staging, result.files,
                              sweep.fingerprint(OmegaConf.to_container(cfg, resolve=True)),
                              {"overrides": list(overrides.task)})
    sys.stdout.write(_calibration().format_console(result) + "\n")
    _list_files(out_dir, files)


def _validation_job(cfg: DictConfig) -> None:
    """The task of `bargainsim-validate`: every arm on the registered protocol's cases, each registered fact
    measured and judged, the table sealed with a completion marker and printed."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    settings = settings_from_config(cfg)
    with rundir.staged(out_dir) as staging:
        result = _validation().run(settings, staging)
        result.files["config"] = _write_config(cfg, staging)
        files = rundir.commit(out_dir, staging, result.files,
                              sweep.fingerprint(OmegaConf.to_container(cfg, resolve=True)),
                              {"overrides": list(HydraConfig.get().overrides.task)})
    sys.stdout.write(_validation().format_console(result.table) + "\n")
    _list_files(out_dir, files)


# -- the console --------------------------------------------------------------------------------------------------

def _group_options(group: str) -> list[str]:
    """The options of a configuration group (or the primary configurations, for ``group`` empty)."""
    if not GlobalHydra.instance().is_initialized():
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return _group_options(group)
    return [name for name in GlobalHydra.instance().config_loader().get_group_options(group)
            if not name.startswith("_") and name not in ("schema", "calibration_schema")]


def _override_keys(argv: list[str]) -> list[str]:
    keys = []
    for argument in argv:
        if "=" in argument and not argument.startswith("-"):
            keys.append(argument.split("=", 1)[0].lstrip("+~"))
    return keys


def describe(error: BaseException, argv: list[str], schema: type = RunConfig) -> str:
    """One line saying what was wrong with the command line and what is allowed."""
    keys = _override_keys(argv)
    cause = error.__cause__
    if isinstance(error, MissingConfigException) and error.missing_cfg_file:
        group, _, name = str(error.missing_cfg_file).rpartition("/")
        options = _group_options(group)
        if not group:
            return f"--config-name: there is no configuration {name!r}; available: {', '.join(options)}"
        return f"{group}: there is no option {name!r}; available: {', '.join(options)}"
    if isinstance(error, OverrideParseException):
        override = scripts.first_line(error).split(": ", 1)[-1]
        return (f"cannot read the override {override!r}; write key=value, and quote a value with spaces or non-ASCII "
                f"characters, e.g. 'key=\"value\"'")
    if isinstance(error, AssertionError) or (isinstance(error, HydraException) and isinstance(cause, AssertionError)):
        for key in keys:
            if key.startswith("reform."):
                return (f"{key}: a custom reform joins a reform selection; add reform=baseline to run it beside the "
                        f"status quo (or define it in a file under conf/reform/)")
            if key.startswith("sensitivity."):
                return (f"{key}: this run has no sensitivity study; start one from its experiment "
                        f"(--config-dir experiments --config-name sensitivity -m) and change sensitivity.* there")
    if isinstance(cause, OmegaConfBaseException):
        key = getattr(cause, "full_key", None) or ""
        text = scripts.first_line(cause)
        if isinstance(cause, (ConfigKeyError, ConfigAttributeError)) and str(error).startswith("Could not override"):
            key = str(error).split("'")[1]
            return not_a_parameter(key, closest_keys(key, schema))
        return f"{key + ': ' if key else ''}{text}"
    return scripts.first_line(error) or type(error).__name__


def _failure(error: BaseException, prog: str, argv: list[str], schema: type) -> int:
    """Say in one line on stderr what went wrong; the exit code."""
    if isinstance(error, (HydraException, OmegaConfBaseException, AssertionError)):
        line, code = f"invalid configuration: {describe(error, argv, schema)}", 2
    else:
        line, code = scripts.failure(error)
        line = f"invalid configuration: {line}" if isinstance(error, ConfigError) else line
    sys.stderr.write(f"{prog}: {line}\n")
    return code


def check_arguments(argv: list[str]) -> None:
    """Hydra's own options, checked as Hydra will parse them, but refused in one line (argparse says two)."""
    parser = get_args_parser()

    def refuse(message: str) -> None:
        raise ConfigError(f"{message}; see --help for the options")

    parser.error = refuse  # type: ignore[method-assign]
    parser.parse_args(argv)


def console(app: Callable[[], Any], prog: str, argv: list[str] | None, schema: type = RunConfig) -> int:
    """Run a Hydra application as a console script: on failure one line on stderr, never a traceback.

    Exit codes: 0 done, 2 bad input (nothing written), 130 interrupted, 1 a failure of the machine (the line says
    what). ``HYDRA_FULL_ERROR=1`` keeps the full traceback of an unexpected error, as in Hydra."""
    argv = list(sys.argv[1:] if argv is None else argv)
    saved_argv, wanted_traceback = sys.argv, os.environ.get("HYDRA_FULL_ERROR") == "1"
    sys.argv = [prog, *argv]
    os.environ["HYDRA_FULL_ERROR"] = "1"     # Hydra re-raises instead of printing its own report
    logging.raiseExceptions = False          # a closed pipe (`bargainsim --info | head`) is no error to report
    sys.unraisablehook = _quiet_interrupts
    os.environ.setdefault("PYTHONWARNINGS", "ignore::UserWarning:multiprocessing.resource_tracker")  # after Ctrl-C
    try:
        check_arguments(argv)
        app()
        return 0
    except SystemExit:
        raise
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except BaseException as raised:  # noqa: BLE001 - every failure becomes one line
        error = raised.error if isinstance(raised, Halt) else raised
        if wanted_traceback and not isinstance(error, (ConfigError, KeyboardInterrupt)):
            raise
        return _failure(error, prog, argv, schema)
    finally:
        sys.argv = saved_argv
        if not wanted_traceback:
            os.environ.pop("HYDRA_FULL_ERROR", None)


_main_app = hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")(halting(_main_job))
_validation_app = hydra.main(version_base="1.3", config_path=str(config_dir()),
                             config_name="validate")(halting(_validation_job))
_calibration_app = hydra.main(version_base="1.3", config_path=str(config_dir()),
                              config_name="calibration")(halting(_calibration_job))


def main(argv: list[str] | None = None) -> int:
    """`bargainsim [key=value ...]` runs the arms, prints the comparison and says where the files are.
    `bargainsim -m ...` sweeps: each job loops over its replications in one process (``jobs=0`` means 1 there,
    the launcher runs the jobs in parallel), writes its completion marker last, and is skipped when the sweep
    directory already holds it complete."""
    return console(_main_app, "bargainsim", argv)


def calibrate(argv: list[str] | None = None) -> int:
    """`bargainsim-calibrate [key=value ...]`: fit the status quo to the national figures, validate the fit on
    fresh cases, print target vs simulated, say where the files are."""
    return console(_calibration_app, "bargainsim-calibrate", argv, _calibration().CalibrationConfig)


def validate(argv: list[str] | None = None) -> int:
    """`bargainsim-validate [key=value ...]`: run the validation suite (conf/validation/facts.yaml) at the
    registered protocol, print each fact's model figure and verdict, say where the table is."""
    return console(_validation_app, "bargainsim-validate", argv)


if __name__ == "__main__":
    sys.exit(main())
