"""Bad inputs to `bargainsim` (the main job and its sweeps)."""

from __future__ import annotations

from corpus import BadInput

CASES: list[BadInput] = []
