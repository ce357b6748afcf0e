"""Bad inputs to `bargainsim-transcript`."""

from __future__ import annotations

from corpus import BadInput

CASES: list[BadInput] = []
