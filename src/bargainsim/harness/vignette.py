"""A vignette study from its file to its results: the grid read and checked (YAML or CSV), behaviour overrides
validated like the main job's, and the table, heatmap and provenance written as one run
(:mod:`bargainsim.harness.rundir`: staged, swapped in whole, sealed by ``job.json``).

A YAML file holds ``factors`` (factor → list of levels, a factorial grid; omitted factors keep their defaults,
:data:`~bargainsim.analysis.vignette.FACTORS`), the options ``suspects``, ``seed``, ``belief_noise`` and
``duty_lawyer_role`` (:class:`~bargainsim.analysis.vignette.VignetteOptions`) and ``behaviour`` (parameter →
value, docs/parameters.md). A CSV file lists the cells themselves, one row each, a column per factor (lines
starting with ``#`` are comments); its options come from the command line.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from bargainsim.analysis.vignette import (
    FACTORS,
    Design,
    VignetteConduct,
    VignetteOptions,
    acceptance_table,
    option_fields,
)
from bargainsim.harness import rundir
from bargainsim.harness.config import closest_keys, not_a_parameter
from bargainsim.harness.files import environment
from bargainsim.harness.sweep import fingerprint
from bargainsim.params import Behaviour, ConfigError, check_integer, validate
from bargainsim.reporting.plots import plot_acceptance

KIND = "vignette"
"""The ``kind`` in the completion marker of a vignette's output directory."""
FILES = ("acceptance.csv", "acceptance.png", "vignette.json")
"""The files a vignette writes (besides its marker)."""
FILE_KEYS = ("factors", *option_fields(), "behaviour")
"""The keys of a YAML vignette file."""
FORMATS = (".yaml", ".yml", ".csv")
MAX_DECISIONS = 100_000_000
"""Most suspect-decisions (cells × suspects) one vignette makes."""


@dataclass(frozen=True)
class Vignette:
    """A checked vignette: its grid, options and behaviour, and where they came from."""

    source: Path
    design: Design
    options: VignetteOptions
    behaviour: Behaviour
    overrides: dict[str, Any]

    def config(self) -> dict[str, Any]:
        """Everything that determines the results, as plain values: the grid (its levels, and its cells unless
        they are every combination of them), the options, the behaviour overrides and the behaviour a suspect's
        decision reads."""
        grid: dict[str, Any] = {"levels": {k: list(v) for k, v in self.design.levels.items()}}
        if not self.design.factorial:
            grid["cells"] = [asdict(cell) for cell in self.design.cells]
        return {"design_file": str(self.source), "design_sha256": rundir.digest(self.source), **grid,
                "options": asdict(self.options), "behaviour_overrides": self.overrides,
                "behaviour": asdict(VignetteConduct.of(self.behaviour))}


def check_option(key: str, name: str, value: object) -> Any:
    """An option's value if allowed (its field in :class:`VignetteOptions` says what is); otherwise a ConfigError
    naming ``key``."""
    f = option_fields()[name]
    meta = f.metadata
    if meta["choices"]:
        if value not in meta["choices"]:
            raise ConfigError(f"{key} = {value!r} is not allowed; allowed values: {', '.join(meta['choices'])}")
        return value
    if isinstance(f.default, int):
        return check_integer(key, value, int(meta["low"]), int(meta["high"]))
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not meta["low"] <= value <= meta["high"]:
        raise ConfigError(f"{key} = {value!r} is not allowed; allowed values: numbers in "
                          f"[{meta['low']:g}, {meta['high']:g}] ({meta['unit']})")
    return float(value)


def behaviour_with(entries: Mapping[str, Any], base: Behaviour | None = None, where: str = "") -> Behaviour:
    """``base`` (by default the model's behaviour) with ``entries`` (parameter → value) set and validated like the
    main job's; a ConfigError names ``where``behaviour.KEY and what is allowed."""
    base = base or Behaviour()
    known = {f.name: f for f in dataclasses.fields(Behaviour)}
    values = {}
    for name, value in entries.items():
        key = f"behaviour.{name}"
        if name not in known:
            raise ConfigError(where + not_a_parameter(key, closest_keys(key)))
        default = known[name].default
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif isinstance(default, int) and not isinstance(default, bool):
            value = check_integer(where + key, value)
        values[name] = value
    behaviour = dataclasses.replace(base, **values)
    try:
        validate(behaviour, "behaviour")
    except ConfigError as error:
        raise ConfigError(f"{where}{error}") from None
    return behaviour


def parse_override(text: str) -> tuple[str, Any]:
    """``behaviour.KEY=VALUE`` as (KEY, VALUE), the value read as YAML reads it (numbers, true/false, words)."""
    key, equals, value = text.partition("=")
    section, dot, name = key.partition(".")
    if not equals or section != "behaviour" or not dot or not name:
        raise ConfigError(f"{text!r} is not an override; allowed: behaviour.KEY=VALUE, KEY a behavioural parameter "
                          "(docs/parameters.md)")
    return name, _scalar(value)


def _scalar(text: str) -> Any:
    """A command-line value: an integer, a number, true/false, or the text itself."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.strip().lower(), text)


class _Loader(yaml.SafeLoader):
    """YAML as the configuration reads it: ``1e-3`` is a number (PyYAML's YAML 1.1 wants ``1.0e-3``)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"), list("-+0123456789"))


def _read_text(path: Path) -> str:
    if path.suffix.lower() not in FORMATS:
        raise ConfigError(f"{path}: not a vignette file; allowed formats: {', '.join(FORMATS)}")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; give a vignette file ({', '.join(FORMATS)}), e.g. "
                          "conf/vignette/plea_justice.yaml") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a directory; give a vignette file ({', '.join(FORMATS)})") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(f"{path} cannot be read ({reason}); give a readable UTF-8 vignette file") from None


def read_yaml(path: Path, text: str) -> tuple[Design, dict[str, Any], dict[str, Any]]:
    """The grid, the options and the behaviour overrides of a YAML vignette file."""
    try:
        node = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "malformed"
        raise ConfigError(f"{path} is not valid YAML{where}: {problem}; allowed keys: {', '.join(FILE_KEYS)}") \
            from None
    node = {} if node is None else node
    if not isinstance(node, dict):
        raise ConfigError(f"{path} must be a mapping of keys ({', '.join(FILE_KEYS)}), not a {type(node).__name__}")
    for key in node:
        if key not in FILE_KEYS:
            hint = f"; factors go under factors: (factors.{key})" if key in FACTORS else ""
            raise ConfigError(f"{path}: {key!r} is not a key of a vignette file; allowed keys: "
                              f"{', '.join(FILE_KEYS)}{hint}")
    for section in ("factors", "behaviour"):
        if not isinstance(node.get(section) or {}, dict):
            raise ConfigError(f"{path}: {section} must be a mapping (name: value), not {node[section]!r}")
    design = Design.factorial(node.get("factors") or {}, where=f"{path}: factors")
    options = {name: check_option(f"{path}: {name}", name, node[name]) for name in option_fields() if name in node}
    return design, options, dict(node.get("behaviour") or {})


def _csv_value(text: str) -> str | float:
    try:
        return float(text)
    except ValueError:
        return text.strip()


def read_csv(path: Path, text: str) -> Design:
    """The cells a CSV vignette file lists: a header of factor names, one row per cell."""
    lines = [line for line in io.StringIO(text) if not line.lstrip().startswith("#") and line.strip()]
    rows = list(csv.reader(lines))
    if not rows:
        raise ConfigError(f"{path} has no header; allowed columns: {', '.join(FACTORS)}")
    header = [name.strip() for name in rows[0]]
    unknown = [name for name in header if name not in FACTORS]
    if unknown:
        raise ConfigError(f"{path}: column {unknown[0]!r} is not a factor; allowed columns: {', '.join(FACTORS)}")
    cells = []
    for number, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise ConfigError(f"{path}: row {number} has {len(row)} value{'s' * (len(row) != 1)} for "
                              f"{len(header)} columns; give one value per column")
        cells.append({name: _csv_value(value) for name, value in zip(header, row)})
    return Design.of_rows(cells, where=f"{path}: ")


def load(path: str | Path, overrides: Sequence[str] = (), options: Mapping[str, Any] | None = None) -> Vignette:
    """Read and check a vignette file, then the command line's ``overrides`` (``behaviour.KEY=VALUE``) and
    ``options`` (option → value), which take precedence. Every ConfigError names the file's key or the option."""
    path = Path(path)
    text = _read_text(path)
    if path.suffix.lower() == ".csv":
        design, chosen, entries = read_csv(path, text), {}, {}
    else:
        design, chosen, entries = read_yaml(path, text)
    behaviour = behaviour_with(entries, where=f"{path}: ")
    given = dict(parse_override(override) for override in overrides)
    behaviour = behaviour_with(given, behaviour)
    chosen.update({name: check_option(f"--{name.replace('_', '-')}", name, value)
                   for name, value in (options or {}).items() if value is not None})
    vignette_options = VignetteOptions(**chosen)
    decisions = len(design.cells) * vignette_options.suspects
    if decisions > MAX_DECISIONS:
        raise ConfigError(f"{path}: {len(design.cells)} cells × {vignette_options.suspects} suspects = {decisions:,} "
                          f"decisions; allowed ≤ {MAX_DECISIONS:,} (fewer levels or --suspects)")
    return Vignette(path, design, vignette_options, behaviour, {**entries, **given})


def unread_overrides(vignette: Vignette) -> list[str]:
    """The overridden behavioural parameters that no vignette decision reads."""
    read = {f.name for f in dataclasses.fields(VignetteConduct)}
    return [f"behaviour.{name}" for name in vignette.overrides if name not in read]


def previous_output(out_dir: Path, key: str = "--out") -> list[str]:
    """The files of an earlier vignette that ``out_dir`` holds, which a new one replaces; a ConfigError if it holds
    anything else (another run, the user's own files)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    marker = rundir.read_marker(out_dir)
    ours = marker is not None and marker.get("kind") == KIND
    names, others = [], []
    for path in sorted(out_dir.iterdir()):
        if rundir.is_temporary(path.name) or (path.name == rundir.MARKER and ours):
            continue
        (names if path.is_file() and not path.is_symlink() and path.name in FILES else others).append(path.name)
    if others:
        shown = ", ".join(others[:4]) + (", …" if len(others) > 4 else "")
        raise ConfigError(f"{key}={out_dir} holds files that are not a previous vignette's ({shown}); choose an "
                          "empty or new directory")
    return names


def write_vignette(vignette: Vignette, table: pd.DataFrame, out_dir: Path) -> dict[str, Path]:
    """Write ``acceptance.csv``, ``acceptance.png`` and ``vignette.json`` (the configuration, versions and
    platform) into a staging directory, then swap them into ``out_dir`` in place of a previous vignette and seal
    them with ``job.json``. An interrupted or failed write leaves the previous vignette or nothing that looks
    complete."""
    out_dir = Path(out_dir)
    stale = previous_output(out_dir)
    created = rundir.missing_ancestor(out_dir)
    config = vignette.config()
    provenance = {"command": "bargainsim-vignette", "config": config, **environment()}
    try:
        with rundir.staged(out_dir) as staging:
            files = {name: staging / name for name in FILES}
            table.to_csv(files["acceptance.csv"], index=False, float_format="%.6g", lineterminator="\n")
            plot_acceptance(table, files["acceptance.png"], vignette.options.suspects)
            files["vignette.json"].write_text(json.dumps(provenance, indent=2, default=str) + "\n", encoding="utf-8")
            return rundir.commit(out_dir, staging, files, fingerprint(config), {"kind": KIND}, stale)
    except BaseException:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise


def run(vignette: Vignette, out_dir: Path) -> tuple[pd.DataFrame, dict[str, Path]]:
    """Compute the vignette's acceptance table and write its files into ``out_dir``."""
    table = acceptance_table(vignette.design, vignette.behaviour, vignette.options)
    return table, write_vignette(vignette, table, out_dir)
