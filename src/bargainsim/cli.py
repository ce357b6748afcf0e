"""The entry points (the main job and the calibration): Hydra composes the configuration, everything else takes
plain values."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from typing import Any

import hydra
from hydra.experimental.callback import Callback
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from bargainsim import analysis, calibration
from bargainsim.config import config_dir, settings_from_config
from bargainsim.experiment import Results, ensure_writable, run, write_atomic
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


def run_job(cfg: DictConfig, out_dir: Path) -> Results:
    """Validate, simulate and write everything into ``out_dir``; the configuration is saved beside the results."""
    settings = settings_from_config(cfg)
    results = run(settings, out_dir)
    results.files["config"] = write_atomic(out_dir / "config.yaml",
                                           lambda p: p.write_text(OmegaConf.to_yaml(cfg), encoding="utf-8"))
    return results


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")
def main(cfg: DictConfig) -> None:
    """`bargainsim [key=value ...]`: run the arms, print the comparison, say where the files are."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        results = run_job(cfg, out_dir)
    except ConfigError as error:
        logger.error("invalid configuration: %s", error)
        if out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()
        sys.exit(2)
    sys.stdout.write(analysis.format_console(results.summary) + "\n")
    sys.stdout.write(f"\nResults in {out_dir}:\n")
    for path in results.files.values():
        sys.stdout.write(f"  {path.name}\n")


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
        logger.error("invalid configuration: %s", error)
        if out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()
        sys.exit(2)
    result.files["config"] = write_atomic(out_dir / "config.yaml",
                                          lambda p: p.write_text(OmegaConf.to_yaml(cfg), encoding="utf-8"))
    sys.stdout.write(calibration.format_console(result) + "\n")
    sys.stdout.write(f"\nResults in {out_dir}:\n")
    for path in result.files.values():
        sys.stdout.write(f"  {path.name}\n")


if __name__ == "__main__":
    main()
