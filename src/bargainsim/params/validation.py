"""Documented parameter fields and their validation: every field carries its unit, allowed range or choices and
its source; :func:`validate` checks a parameter object before anything simulates."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import field
from typing import Any


class ConfigError(ValueError):
    """Invalid input, raised before any simulation runs; the message names the key and what is allowed."""


def check_integer(key: str | None, value: object, low: int | None = None, high: int | None = None,
                  allowed: str | None = None) -> int:
    """``value`` if it is an integer (not a bool) in [low, high] (a bound of None: none); otherwise a one-line
    ConfigError, "KEY = VALUE is not an integer; allowed values: …" or "KEY = VALUE is not allowed; allowed values:
    …" (just "VALUE …" without a key), the allowed values in words being ``allowed`` or the range ("integers ≥ 1",
    "integers in [0, 9]")."""
    integer = isinstance(value, int) and not isinstance(value, bool)
    if integer and (low is None or value >= low) and (high is None or value <= high):
        return value
    if allowed is None:
        bounds = {(True, True): f" in [{low}, {high}]", (True, False): f" ≥ {low}", (False, True): f" ≤ {high}",
                  (False, False): ""}
        allowed = "integers" + bounds[low is not None, high is not None]
    subject = repr(value) if key is None else f"{key} = {value!r}"
    raise ConfigError(f"{subject} {'is not allowed' if integer else 'is not an integer'}; allowed values: {allowed}")


def param(default: Any, *, unit: str = "", low: float | None = None, high: float | None = None,
          choices: tuple[str, ...] | None = None, source: str = "assumption", doc: str = "") -> Any:
    """A dataclass field with documentation metadata (unit, range or choices, source)."""
    meta = {"unit": unit, "low": low, "high": high, "choices": choices, "source": source, "doc": doc}
    return field(default=default, metadata=meta)


def section(cls: type, *, source: str, doc: str) -> Any:
    """A dataclass field holding a nested parameter dataclass (default: ``cls()``), whose own fields carry their
    documentation and are validated under the field's key."""
    meta = {"unit": "", "low": None, "high": None, "choices": None, "source": source, "doc": doc, "section": cls}
    return field(default_factory=cls, metadata=meta)


PROBABILITY = {"low": 0.0, "high": 1.0, "unit": "probability"}
PROTOCOL_CHOICES = ("consultation", "dialogue", "take_it_or_leave_it", "nash", "alternating", "screening", "signalling")
CALIBRATED = "calibrated (results/calibration: make calibrate)"


def specs(cls: type) -> list[tuple[str, dataclasses.Field]]:
    """The documented fields of a parameter dataclass."""
    return [(f.name, f) for f in dataclasses.fields(cls)]


def validate(obj: Any, prefix: str) -> None:
    """Check every field of a parameter dataclass against its range or choices; raise ConfigError naming the key."""
    for name, f in specs(type(obj)):
        value = getattr(obj, name)
        key = f"{prefix}.{name}"
        meta = f.metadata
        if meta.get("section"):
            validate(value, key)
            continue
        if meta.get("choices"):
            if value not in meta["choices"]:
                raise ConfigError(f"{key} = {value!r} is not allowed; allowed values: {', '.join(meta['choices'])}")
            continue
        if isinstance(f.default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} = {value!r} must be true or false")
            continue
        if isinstance(f.default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                raise ConfigError(f"{key} = {value!r} must be a number")
            low, high = meta.get("low"), meta.get("high")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ConfigError(f"{key} = {value!r} is outside the allowed range [{low}, {high}]")
    check = getattr(obj, "check", None)
    if check is not None:
        check(prefix)
