"""Resumable sweep jobs: the test that lets a re-run skip a finished job.

A job's directory is complete when its marker ``job.json`` (:mod:`bargainsim.harness.rundir`, written last) records the
fingerprint of the job's resolved configuration and lists result files that are all present with the recorded
sizes and SHA-256 digests. An interrupted job (no marker, a marker of a different configuration, or a result file
missing or changed) is simply run again, and its earlier results stay until the new ones replace them whole. The
marker also records the job's sweep parameters, so the report can put them beside the job's metrics.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bargainsim.harness.rundir import MARKER, is_complete, read_marker, write_marker

__all__ = ["MARKER", "NEUTRAL_KEYS", "fingerprint", "is_complete", "read_marker", "refresh_parameters"]

NEUTRAL_KEYS = ("jobs", "progress", "overwrite")
"""Keys that change how a job runs but never what it computes (results do not depend on them)."""


def fingerprint(resolved: Mapping[str, Any]) -> str:
    """SHA-256 of a job's resolved configuration (plain containers), ignoring keys that do not change results."""
    relevant = {key: value for key, value in resolved.items() if key not in NEUTRAL_KEYS}
    text = json.dumps(relevant, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def refresh_parameters(out_dir: Path, parameters: Mapping[str, Any], overrides: Iterable[str]) -> None:
    """Record a skipped job's parameters as this sweep states them (the same configuration may have been reached
    through other overrides, such as a default now swept explicitly); the results and their digests stay."""
    marker = read_marker(out_dir)
    if marker is None or (marker.get("parameters") == dict(parameters) and marker.get("overrides") == list(overrides)):
        return
    marker.update(parameters=dict(parameters), overrides=list(overrides))
    write_marker(Path(out_dir), marker)
