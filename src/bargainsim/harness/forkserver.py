"""Imported by the fork server alone (its preload, :func:`bargainsim.harness.experiment.worker_context`): a worker
that cannot start because the run it was started for has already stopped — a Ctrl-C while the pool was starting,
its queues' locks gone with the main process — ends silently instead of printing a traceback."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType


def _quiet_when_orphaned(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    starting = any(frame.name == "_main" and frame.filename.endswith("spawn.py")
                   for frame in traceback.extract_tb(trace))
    if starting and isinstance(error, (OSError, EOFError)):
        return
    sys.__excepthook__(kind, error, trace)


sys.excepthook = _quiet_when_orphaned
