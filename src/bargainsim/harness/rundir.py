"""A run directory always holds one run: results are staged, swapped in whole, and sealed by a completion marker.

Every job — the main job, a sweep job, a sensitivity chunk, the calibration — writes its files into a hidden
staging directory beside its results (``.staging-<pid>``). Only when every file is written does :func:`commit`
swap them in: it first removes the previous marker (from then on nothing looks complete), then the previous run's
files, moves the new ones into place and writes the marker ``job.json`` last, with the size and SHA-256 digest of
every file. So an interrupted, killed or failed run leaves either the previous complete run or files without a
marker, never a mix that looks complete; what a killed run leaves (its staging directory, temporaries of an atomic
write) is removed by :func:`clean_stale` when the next run starts in that directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bargainsim.harness.files import write_atomic
from bargainsim.params import ConfigError

MARKER = "job.json"
STAGING = ".staging-"
RESULT_FILES = frozenset({
    "cases.parquet", "metrics.csv", "summary.csv", "summary.md", "outcomes_by_reform.png", "tradeoff.png",
    "points.csv", "config.yaml", "run.json", "parameters.csv", "figures.csv", "evaluations.csv", "calibration.md",
    "calibration.png", "validation.csv", "validation.md", MARKER,
})
"""Every file name a run of any entry point writes: what marks a directory as holding a run."""
_TEMPORARY = re.compile(r"^\.(?:staging-|.+\.tmp-)(\d+)")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_temporary(name: str) -> bool:
    """Whether a directory entry is a run's staging directory or an atomic-write temporary."""
    return _TEMPORARY.match(name) is not None


def clean_stale(out_dir: Path) -> list[str]:
    """Remove the staging directories and atomic-write temporaries left by runs that are no longer alive."""
    removed = []
    if not Path(out_dir).is_dir():
        return removed
    for path in Path(out_dir).iterdir():
        match = _TEMPORARY.match(path.name)
        if match is None or _alive(int(match.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def earlier_run(out_dir: Path) -> list[str]:
    """The files of an earlier run that ``out_dir`` holds (empty when it holds none)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    return sorted(p.name for p in out_dir.iterdir() if p.name in RESULT_FILES)


def check_new_run(out_dir: Path, key: str, overwrite: bool) -> None:
    """Refuse to write a run into a directory that holds another run's files, unless asked to replace them."""
    files = earlier_run(out_dir)
    if files and not overwrite:
        shown = ", ".join(files[:4]) + (", …" if len(files) > 4 else "")
        raise ConfigError(f"{key}={out_dir} already holds a run ({shown}); choose another directory or add "
                          f"overwrite=true to replace it")


def check_directory(path: Path | str, key: str) -> None:
    """Fail, naming ``key``, if a directory cannot be made at ``path`` or written to; creates nothing."""
    text = str(path)
    if not text.strip():
        raise ConfigError(f"{key} is empty; give a directory to write the results into")
    target = Path(text).absolute()
    existing = target
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        what = "is a file" if existing == target else f"lies under {existing}, which is a file"
        raise ConfigError(f"{key}={text} is not writable: it {what}, not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"{key}={text} is not writable: no permission to write in {existing}")


def missing_ancestor(path: Path) -> Path | None:
    """The outermost directory of ``path`` that does not exist yet (None when ``path`` exists): what to remove
    when a write that created ``path`` fails."""
    missing = None
    for directory in [Path(path).absolute(), *Path(path).absolute().parents]:
        if os.path.lexists(directory):
            break
        missing = directory
    return missing


def digest(path: Path) -> str:
    """SHA-256 of a file's content."""
    sha = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def read_marker(out_dir: Path) -> dict[str, Any] | None:
    """The directory's completion marker, or None if it is absent, unreadable or not a marker's shape."""
    try:
        marker = json.loads((Path(out_dir) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or not isinstance(marker.get("files"), dict) \
            or not all(isinstance(entry, dict) for entry in marker["files"].values()):
        return None
    return marker


def write_marker(out_dir: Path, marker: Mapping[str, Any]) -> Path:
    """Write a marker atomically."""
    return write_atomic(Path(out_dir) / MARKER, lambda p: p.write_text(json.dumps(marker, indent=2, default=str),
                                                                       encoding="utf-8"))


def is_complete(out_dir: Path, config_hash: str | None = None) -> bool:
    """Whether ``out_dir`` holds a finished run (of this configuration, when given) with every file intact."""
    marker = read_marker(out_dir)
    if marker is None or (config_hash is not None and marker.get("config_sha256") != config_hash):
        return False
    for name, entry in marker["files"].items():
        path = Path(out_dir) / name
        if not path.is_file() or path.stat().st_size != entry.get("size") or digest(path) != entry.get("sha256"):
            return False
    return True


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A fresh staging directory inside ``out_dir``, removed when the block fails or is interrupted."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(out_dir)
    staging = out_dir / f"{STAGING}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def commit(out_dir: Path, staging: Path, files: Mapping[str, Path], config_hash: str,
           extra: Mapping[str, Any] | None = None, stale: Iterable[str] = ()) -> dict[str, Path]:
    """Replace ``out_dir``'s previous run by the staged ``files`` and seal it with a marker written last.

    The previous run's files are those its marker lists, those named in :data:`RESULT_FILES` and ``stale`` (names
    the caller knows to be the previous run's). Returns the files at their final paths, the marker included (key
    ``marker``)."""
    out_dir = Path(out_dir)
    previous = read_marker(out_dir)
    (out_dir / MARKER).unlink(missing_ok=True)
    old = set(earlier_run(out_dir)) | set(previous["files"] if previous else ()) | set(stale)
    for name in old:
        if "/" not in name and (out_dir / name).is_file():
            (out_dir / name).unlink()
    final = {}
    for key, path in files.items():
        target = out_dir / Path(path).relative_to(staging)
        os.replace(path, target)
        final[key] = target
    marker = {
        "config_sha256": config_hash,
        **dict(extra or {}),
        "files": {p.name: {"size": p.stat().st_size, "sha256": digest(p)} for p in final.values()},
        "completed": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    final["marker"] = write_marker(out_dir, marker)
    return final
