"""The entry points (the main job and the calibration): Hydra composes the configuration, everything else takes
plain values."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from bargainsim import analysis, calibration, sensitivity, sweep
from bargainsim.config import config_dir, settings_from_config
from bargainsim.experiment import Results, ensure_writable, run, write_atomic, write_provenance
from bargainsim.params import ConfigError

logger = logging.getLogger("bargainsim")


class OutputDirectoryCheck(Callback):
    """Before Hydra creates the run (or sweep) directory: fail cleanly, naming it, if it cannot be created."""

    def _check(self, directory: str) -> None:
        try:
            ensure_writable(Path(directory))
        except ConfigError as error:
            sys.stderr.write(f"invalid configuration: hydra output {error}\n")
            sys.exit(2)

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._check(config.hydra.run.dir)

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._check(config.hydra.sweep.dir)


def _write_config(cfg: DictConfig, out_dir: Path) -> Path:
    return write_atomic(out_dir / "config.yaml", lambda p: p.write_text(OmegaConf.to_yaml(cfg), encoding="utf-8"))


def _reject(error: ConfigError, out_dir: Path) -> None:
    """Invalid input: say why, remove the output directory if nothing was written there, exit with status 2."""
    logger.error("invalid configuration: %s", error)
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()
    sys.exit(2)


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


def run_sensitivity_job(cfg: DictConfig, out_dir: Path) -> dict[str, Path]:
    """Evaluate this job's chunk of the Sobol design into ``points.csv``, with run.json and config.yaml."""
    settings = settings_from_config(cfg)
    ensure_writable(out_dir)
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


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")
def main(cfg: DictConfig) -> None:
    """`bargainsim [key=value ...]` runs the arms, prints the comparison and says where the files are.
    `bargainsim -m ...` sweeps: each job loops over its replications in one process (``jobs=0`` means 1 there,
    the launcher runs the jobs in parallel), writes its completion marker last, and is skipped when the sweep
    directory already holds it complete."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    multirun = hydra_cfg.mode == RunMode.MULTIRUN
    if multirun and cfg.jobs == 0:
        cfg.jobs = 1
    overrides = list(hydra_cfg.overrides.task)
    parameters = job_parameters(cfg, overrides, dict(hydra_cfg.runtime.choices))
    config_hash = sweep.fingerprint(OmegaConf.to_container(cfg, resolve=True))
    if multirun:
        if sweep.is_complete(out_dir, config_hash):
            sweep.refresh_parameters(out_dir, parameters, overrides)
            logger.info("job %s is complete in %s; skipped", hydra_cfg.job.num, out_dir)
            sys.stdout.write(f"Job {hydra_cfg.job.num} already complete in {out_dir}; skipped\n")
            return
        sweep.clear_marker(out_dir)
    try:
        if cfg.get("sensitivity") is not None:
            files = run_sensitivity_job(cfg, out_dir)
            results = None
        else:
            results = run_job(cfg, out_dir)
            files = results.files
    except ConfigError as error:
        _reject(error, out_dir)
    if multirun:
        files["marker"] = sweep.mark_complete(out_dir, config_hash, files.values(), parameters, overrides)
    if results is not None:
        sys.stdout.write(analysis.format_console(results.summary) + "\n")
    _list_files(out_dir, files)


ConfigStore.instance().store(name="calibration_schema", node=calibration.CalibrationConfig)


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="calibration")
def calibrate(cfg: DictConfig) -> None:
    """`bargainsim-calibrate [key=value ...]`: fit the status quo to the national figures, validate the fit on
    fresh cases, print target vs simulated, say where the files are."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    overrides = HydraConfig.get().overrides
    command = " ".join(["bargainsim-calibrate", *(o for o in overrides.hydra if not o.startswith("hydra.mode=")),
                        *overrides.task])
    try:
        settings = calibration.settings_from(OmegaConf.to_object(cfg))
        result = calibration.run(settings, out_dir, command)
    except ConfigError as error:
        _reject(error, out_dir)
    result.files["config"] = _write_config(cfg, out_dir)
    sys.stdout.write(calibration.format_console(result) + "\n")
    _list_files(out_dir, result.files)


if __name__ == "__main__":
    main()
