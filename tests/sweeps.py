"""Running Hydra sweeps of the console entry point from tests, in a subprocess as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_sweep(sweep_dir: Path, *overrides: str, study: str | None = None, launcher: str = "basic",
              timeout: int = 300) -> subprocess.CompletedProcess:
    """``bargainsim -m`` (with a study's config when given) into ``sweep_dir``; fails the test on a non-zero exit."""
    command = [sys.executable, "-m", "bargainsim.apps.cli"]
    if study is not None:
        command += ["--config-dir", str(REPO / "experiments"), "--config-name", study]
    command += ["-m", f"hydra/launcher={launcher}", f"hydra.sweep.dir={sweep_dir}", "progress=false", *overrides]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=timeout)
    assert proc.returncode == 0, f"sweep failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
    return proc


def run_sweep_here(sweep_dir: Path, *overrides: str, study: str | None = None) -> None:
    """The same sweep run in this process with the basic launcher (no interpreter start-up per sweep)."""
    from hydra.core.global_hydra import GlobalHydra

    from bargainsim.apps import cli

    argv = ["bargainsim"]
    if study is not None:
        argv += ["--config-dir", str(REPO / "experiments"), "--config-name", study]
    argv += ["-m", "hydra/launcher=basic", f"hydra.sweep.dir={sweep_dir}", "progress=false", *overrides]
    saved = sys.argv
    sys.argv = argv
    try:
        GlobalHydra.instance().clear()
        cli.main()
    finally:
        sys.argv = saved
        GlobalHydra.instance().clear()
