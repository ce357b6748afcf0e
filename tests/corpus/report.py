"""Bad inputs to `bargainsim-report`."""

from __future__ import annotations

from corpus import BadInput

CASES: list[BadInput] = []
