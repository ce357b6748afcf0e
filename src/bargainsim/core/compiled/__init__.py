"""The compiled procedure: the same district, stage by stage, as numba kernels over arrays.

A model nobody watches (no trackers, no defense strategy) runs its whole district here: each case's facts are a
row of the population's columns (:class:`bargainsim.core.cases.Population`), its state a row of a structured array
with one field per attribute of :mod:`bargainsim.core.state`, and the institution's clocks, counsel and calendars
arrays. The kernels sequence the stages exactly as :class:`~bargainsim.core.model.PleaModel` does — day by day,
phase by phase, each day's due cases in the order they were scheduled — and compute with the plain-Python
decision functions themselves, compiled (:func:`compiled`). The Python procedure stays the reference: the tests
check that both give identical records (``tests/test_compiled.py``).

Kernels are cached on disk (numba's cache), under a directory named by a digest of the core's sources, so a change
to any stage or decision function compiles afresh instead of reusing a stale kernel.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import types
from collections.abc import Callable
from pathlib import Path

_CORE = Path(__file__).resolve().parents[1]


def _cache_dir() -> str:
    """Where compiled kernels are kept: ``$BARGAINSIM_CACHE`` or the user's cache directory, per source digest."""
    digest = hashlib.sha256()
    for source in sorted(_CORE.rglob("*.py")):
        digest.update(source.read_bytes())
    base = os.environ.get("BARGAINSIM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "bargainsim")
    return os.path.join(base, "numba", digest.hexdigest()[:16])


def _prune(directory: str, keep: int = 4) -> None:
    """Remove all but the ``keep`` most recently used kernel directories beside ``directory``."""
    parent = Path(directory).parent
    if not parent.is_dir():
        return
    others = sorted((p for p in parent.iterdir() if p.is_dir() and str(p) != directory),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in others[keep - 1:]:
        shutil.rmtree(stale, ignore_errors=True)


if "NUMBA_CACHE_DIR" not in os.environ:
    os.environ["NUMBA_CACHE_DIR"] = _cache_dir()
    _prune(os.environ["NUMBA_CACHE_DIR"])

import numba  # noqa: E402  (the cache directory must be set first)

numba.config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]

kernel = numba.njit(cache=True, nogil=True)
"""Compile a stage of the compiled procedure (cached on disk)."""

_COMPILED: dict[Callable, Callable] = {}


def compiled(function: Callable) -> Callable:
    """The compiled twin of a plain-Python decision function: the same code, with the plain functions of this
    package it calls replaced by their own twins, compiled with numba."""
    if function in _COMPILED:
        return _COMPILED[function]
    if function.__code__.co_kwonlyargcount:
        raise TypeError(f"{function.__qualname__}: numba misreads keyword-only arguments; compile a function whose "
                        "arguments are all positional")
    scope = dict(function.__globals__)
    for name in function.__code__.co_names:
        value = scope.get(name)
        if isinstance(value, types.FunctionType) and value.__module__.startswith("bargainsim."):
            scope[name] = compiled(value)
    twin = types.FunctionType(function.__code__, scope, function.__name__, function.__defaults__,
                              function.__closure__)
    twin.__kwdefaults__ = function.__kwdefaults__
    twin.__qualname__, twin.__module__, twin.__doc__ = function.__qualname__, function.__module__, function.__doc__
    _COMPILED[function] = result = kernel(twin)
    return result
