"""Files a run leaves: written to a temporary name and renamed into place (no file that looks complete but is
not), in a directory checked to be writable first, with the provenance that makes the run reproducible."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from bargainsim.params import ConfigError

if TYPE_CHECKING:
    from bargainsim.harness.config import Settings


def ensure_writable(out_dir: Path) -> None:
    """Fail early, naming the directory, if results cannot be written there."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".probe-"):
            pass
    except OSError as error:
        raise ConfigError(f"output directory {str(out_dir)!r} is not writable: {error.strerror or error}") from None


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through ``write(tmp)`` to a temporary sibling, then rename it to ``path``."""
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def provenance(settings: Settings) -> dict:
    """What makes the run reproducible: settings, versions, platform."""
    return {"settings": asdict(settings), **environment()}


def environment() -> dict:
    """The versions, revision and platform that produced a result."""
    versions = {}
    for package in ("bargainsim", "mesa", "numpy", "pandas", "pyarrow", "hydra-core"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    try:
        revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True,
                                  text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        revision = None
    return {"versions": versions, "git_revision": revision, "python": platform.python_version(),
            "platform": platform.platform()}


def write_provenance(settings: Settings, out_dir: Path) -> Path:
    """Write :func:`provenance` to ``out_dir/run.json`` (atomically)."""
    return write_atomic(out_dir / "run.json", lambda p: p.write_text(
        json.dumps(provenance(settings), indent=2, default=str), encoding="utf-8"))
