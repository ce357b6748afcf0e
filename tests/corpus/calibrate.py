"""Bad inputs to `bargainsim-calibrate`."""

from __future__ import annotations

from corpus import BadInput

CASES: list[BadInput] = []
