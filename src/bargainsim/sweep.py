"""Resumable sweep jobs: a completion marker written last, and the test that lets a re-run skip a finished job.

A job's directory is complete when its marker ``job.json`` exists, records the fingerprint of the job's resolved
configuration, and lists result files that are all present with the recorded sizes and SHA-256 digests. The
marker is written atomically after every result file, so an interrupted job (no marker, a stale marker from a
different configuration, or a result file missing or changed) is simply run again. The marker also records the
job's sweep parameters, so the report can put them beside the job's metrics.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bargainsim.experiment import write_atomic

logger = logging.getLogger(__name__)

MARKER = "job.json"
# Keys that change how a job runs but never what it computes (results do not depend on them).
NEUTRAL_KEYS = ("jobs", "progress")


def fingerprint(resolved: Mapping[str, Any]) -> str:
    """SHA-256 of a job's resolved configuration (plain containers), ignoring keys that do not change results."""
    relevant = {key: value for key, value in resolved.items() if key not in NEUTRAL_KEYS}
    text = json.dumps(relevant, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def read_marker(out_dir: Path) -> dict[str, Any] | None:
    """The job's marker, or None if it is absent or unreadable."""
    try:
        return json.loads((Path(out_dir) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_complete(out_dir: Path, config_hash: str) -> bool:
    """Whether ``out_dir`` holds a finished job of exactly this configuration, with every result file intact."""
    marker = read_marker(out_dir)
    if marker is None or marker.get("config_sha256") != config_hash:
        return False
    for name, entry in marker.get("files", {}).items():
        path = Path(out_dir) / name
        if not path.is_file() or path.stat().st_size != entry["size"] or _digest(path) != entry["sha256"]:
            logger.info("result file %s of %s is missing or changed; the job runs again", name, out_dir)
            return False
    return True


def clear_marker(out_dir: Path) -> None:
    """Remove a marker before the job (re)writes its results, so a crash cannot leave a stale one."""
    (Path(out_dir) / MARKER).unlink(missing_ok=True)


def mark_complete(out_dir: Path, config_hash: str, files: Iterable[Path],
                  parameters: Mapping[str, Any], overrides: Iterable[str]) -> Path:
    """Write the marker last: the configuration fingerprint, the sweep parameters and each result file's digest."""
    out_dir = Path(out_dir)
    marker = {
        "config_sha256": config_hash,
        "parameters": dict(parameters),
        "overrides": list(overrides),
        "files": {path.name: {"size": path.stat().st_size, "sha256": _digest(path)} for path in files},
        "completed": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    return write_atomic(out_dir / MARKER, lambda p: p.write_text(json.dumps(marker, indent=2, default=str),
                                                                 encoding="utf-8"))


def refresh_parameters(out_dir: Path, parameters: Mapping[str, Any], overrides: Iterable[str]) -> None:
    """Record a skipped job's parameters as this sweep states them (the same configuration may have been reached
    through other overrides, such as a default now swept explicitly); the results and their digests stay."""
    marker = read_marker(out_dir)
    if marker is None or (marker.get("parameters") == dict(parameters) and marker.get("overrides") == list(overrides)):
        return
    marker.update(parameters=dict(parameters), overrides=list(overrides))
    write_atomic(Path(out_dir) / MARKER, lambda p: p.write_text(json.dumps(marker, indent=2, default=str),
                                                                encoding="utf-8"))
