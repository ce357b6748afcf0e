"""The configuration boundary: Hydra's structured schema, the reform catalogue, and validated plain settings.

Nothing past this module sees a ``DictConfig``: :func:`settings_from_config` turns the composed configuration into
a :class:`Settings` of plain dataclasses, or raises :class:`ConfigError` naming the offending key and what is
allowed, before anything simulates.
"""

from __future__ import annotations

import dataclasses
import difflib
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Optional

import numpy as np
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from bargainsim.core.record import STATUS_QUO
from bargainsim.params import (
    INSTITUTION_KEYS,
    STAFF,
    Behaviour,
    Caseload,
    ConfigError,
    Guideline,
    Rules,
    Timing,
    check_integer,
    validate,
)


def config_dir() -> Path:
    """The directory of the YAML configuration: packaged with the wheel, or the repository's ``conf/``."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "conf"
    return packaged if packaged.is_dir() else package.parents[1] / "conf"


@dataclass
class SensitivityConfig:
    """Schema of a global sensitivity study: the uncertain parameters with their ranges, the Sobol design size,
    and which chunk of the design this job evaluates."""

    parameters: dict[str, Any] = field(default_factory=dict)
    posterior: Optional[str] = None
    n_base: int = 64
    second_order: bool = False
    chunks: int = 1
    chunk: int = 0


@dataclass
class RobustnessConfig:
    """Schema of a robustness study: the posterior to draw from, how many draws with which seed, and which chunk
    of them this job evaluates (:mod:`bargainsim.harness.robustness`)."""

    posterior: str = "results/calibration/posterior.parquet"
    draws: int = 100
    seed: int = 0
    chunks: int = 1
    chunk: int = 0


@dataclass
class JurisdictionConfig:
    """Schema of a jurisdiction preset's own entry (conf/jurisdiction): its name, and the reforms that do not apply
    there, each with the reason (its rules are set under ``rules``, its guideline in ``rules.guideline``)."""

    name: str = "china"
    excludes: dict[str, str] = field(default_factory=dict)


@dataclass
class RunConfig:
    """Schema of the main job's configuration (typed: Hydra rejects a wrong type at load time)."""

    seed: int = 2024
    replications: int = 5
    n_cases: int = 12000
    jobs: int = 0
    progress: bool = True
    districts: int = 1
    save_cases: bool = True
    save_figures: bool = True
    overwrite: bool = False
    rules: Rules = field(default_factory=Rules)
    behaviour: Behaviour = field(default_factory=Behaviour)
    caseload: Caseload = field(default_factory=Caseload)
    timing: Timing = field(default_factory=Timing)
    jurisdiction: JurisdictionConfig = field(default_factory=JurisdictionConfig)
    reform: Optional[dict[str, Any]] = None
    sensitivity: Optional[SensitivityConfig] = None
    robustness: Optional[RobustnessConfig] = None


ConfigStore.instance().store(name="schema", node=RunConfig)


@dataclass(frozen=True)
class Arm:
    """One arm of an experiment: a label, the reforms it combines, and the rules they produce."""

    label: str
    reforms: tuple[str, ...]
    rules: Rules


@dataclass(frozen=True)
class Sensitivity:
    """A validated Sobol study: ``(key, low, high)`` per uncertain parameter (keys such as
    ``behaviour.risk_aversion``), the base sample size N, and the chunk of the design this job evaluates."""

    parameters: tuple[tuple[str, float, float], ...]
    n_base: int
    second_order: bool
    chunks: int
    chunk: int


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, as plain validated values."""

    seed: int
    replications: int
    n_cases: int
    jobs: int
    progress: bool
    behaviour: Behaviour
    caseload: Caseload
    timing: Timing
    arms: tuple[Arm, ...]
    districts: int = 1
    save_cases: bool = True
    save_figures: bool = True
    sensitivity: Sensitivity | None = None
    robustness: Any = None
    jurisdiction: str = "china"


RULE_KEYS = tuple(f.name for f in dataclasses.fields(Rules)
                  if not f.metadata.get("section") and f.name not in INSTITUTION_KEYS)
"""The rules a reform may set: every procedural rule (the guideline is chosen apart, with ``guideline=NAME``; the
institutions of other jurisdictions with ``jurisdiction=NAME``)."""
MAX_SEED = 2**63 - 1
"""Seeds are stored as int64 in every record."""


def _schema_of(parents: list[str], schema: type) -> type | None:
    """The configuration dataclass at a dotted path of nested sections (None if there is none); an optional
    section (``sensitivity``) counts as its dataclass."""
    for part in parents:
        hint = typing.get_type_hints(schema).get(part) if dataclasses.is_dataclass(schema) else None
        schema = next((t for t in typing.get_args(hint) or (hint,) if dataclasses.is_dataclass(t)), None)
    return schema if dataclasses.is_dataclass(schema) else None


def schema_field(key: str, schema: type = RunConfig) -> dataclasses.Field | None:
    """The schema's field for a dotted key (None if the schema has no such key)."""
    *parents, name = key.split(".")
    section = _schema_of(parents, schema)
    return next((f for f in dataclasses.fields(section) if f.name == name), None) if section else None


def closest_keys(key: str, schema: type = RunConfig) -> list[str]:
    """The valid keys closest to a dotted ``key`` that ``schema`` (a configuration dataclass) does not have."""
    *parents, name = key.split(".")
    section = _schema_of(parents, schema)
    if section is None:
        return []
    names = [f.name for f in dataclasses.fields(section)]
    return ["".join(f"{part}." for part in parents) + match for match in difflib.get_close_matches(name, names, 3)]


def unknown_keys(node: DictConfig, prefix: str = "") -> Iterator[str]:
    """Dotted keys of a composed configuration that its schema does not have (added with ``+`` or ``++``)."""
    schema = OmegaConf.get_type(node)
    if not dataclasses.is_dataclass(schema):
        return
    fields = {f.name for f in dataclasses.fields(schema)}
    for key in node:
        if key not in fields:
            yield f"{prefix}{key}"
        elif isinstance(child := node._get_node(key), DictConfig) and not child._is_none():
            yield from unknown_keys(child, f"{prefix}{key}.")


def not_a_parameter(key: str, close: list[str], where: str = "docs/parameters.md") -> str:
    """The message for a key the schema does not have."""
    hint = f"did you mean {' or '.join(close)}?" if close else f"the valid keys are listed in {where}"
    return f"{key} is not a parameter; {hint}"


def check_known_keys(cfg: DictConfig, where: str = "docs/parameters.md") -> None:
    """Refuse a key the schema does not know, naming the closest valid one."""
    for key in unknown_keys(cfg):
        if key.split(".")[0] != "hydra":
            raise ConfigError(not_a_parameter(key, closest_keys(key, OmegaConf.get_type(cfg)), where))


def reform_catalogue(directory: Path | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Every reform file of ``conf/reform`` composed with the files its defaults list bundles:
    name → {reform entry → rule overrides}."""
    directory = (directory or config_dir()) / "reform"

    def load(name: str, seen: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        if name in seen:
            raise ConfigError(f"reform {name!r} includes itself through {' → '.join(seen)}")
        node = OmegaConf.load(directory / f"{name}.yaml") or OmegaConf.create({})
        merged: dict[str, dict[str, Any]] = {}
        for entry in node.get("defaults", []):
            if entry != "_self_":
                merged.update(load(str(entry), (*seen, name)))
        own = OmegaConf.to_container(node, resolve=True)
        own.pop("defaults", None)
        merged.update({key: dict(value or {}) for key, value in own.items()})
        return merged

    return {path.stem: load(path.stem, ()) for path in sorted(directory.glob("*.yaml"))}


def reform_entries(reform: str, key: str = "") -> dict[str, dict[str, Any]]:
    """The reform entries of a reform name from ``conf/reform``, or of several joined by '+' (ConfigError naming
    ``key`` and the allowed names if one is unknown)."""
    catalogue = reform_catalogue()
    allowed = sorted(name for name, entries in catalogue.items() if entries)
    entries: dict[str, dict[str, Any]] = {}
    for name in reform.split("+"):
        if name not in allowed:
            raise ConfigError(f"{key + ' ' if key else ''}{name!r} is not a reform; allowed values: "
                              f"{', '.join(allowed)}")
        entries.update(catalogue[name])
    return entries


def make_arm(entries: dict[str, dict[str, Any]], base: Rules) -> Arm:
    """Combine selected reform entries into one arm. An empty entry names a bundle (such as full_package) and
    labels the arm; otherwise the label joins the reform names with '+'."""
    overrides: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for name, rules in entries.items():
        for key, value in rules.items():
            if key == "guideline":
                raise ConfigError(f"reform.{name}.guideline: a reform changes procedural rules, not the guideline; "
                                  "choose the guideline with guideline=NAME or rules.guideline.KEY=VALUE")
            if key in INSTITUTION_KEYS:
                raise ConfigError(f"reform.{name}.{key}: a reform changes China's procedure, not the plea system; "
                                  f"choose the system with jurisdiction=NAME or set rules.{key}=VALUE")
            if key not in RULE_KEYS:
                raise ConfigError(f"reform.{name}.{key} is not a rule; allowed rules: {', '.join(RULE_KEYS)}")
            if key in overrides and overrides[key] != value:
                raise ConfigError(f"reforms {owner[key]!r} and {name!r} set rules.{key} differently "
                                  f"({overrides[key]!r} vs {value!r}); choose one")
            overrides[key], owner[key] = value, name
    bundles = [name for name, rules in entries.items() if not rules]
    reforms = tuple(name for name, rules in entries.items() if rules)
    label = "+".join(bundles or reforms) or STATUS_QUO
    rules = dataclasses.replace(base, **overrides)
    validate(rules, f"reform.{label}")
    return Arm(label, reforms, rules)


@cache
def preset_rules(jurisdiction: str) -> frozenset[str]:
    """The rules a jurisdiction preset sets (the keys under ``rules`` in conf/jurisdiction/NAME.yaml)."""
    path = config_dir() / "jurisdiction" / f"{jurisdiction}.yaml"
    node = OmegaConf.load(path) if path.is_file() else None
    return frozenset(node.get("rules", None) or {}) if node is not None else frozenset()


def inapplicable(entries: dict[str, dict[str, Any]], base: Rules, jurisdiction: str,
                 excludes: dict[str, str]) -> str | None:
    """Why a reform (its entries) does not apply under the jurisdiction whose status quo is ``base``: the preset
    excludes one of its entries (``excludes``: reform → reason), or the preset itself already sets the rules it
    would change (:func:`preset_rules`); None if it applies."""
    for name in entries:
        if name in excludes:
            return f"reform {name!r} does not apply under jurisdiction={jurisdiction}: {excludes[name]}"
    changes = {key: value for rules in entries.values() for key, value in rules.items()}
    own = preset_rules(jurisdiction)
    if changes and all(key in own and getattr(base, key, None) == value for key, value in changes.items()):
        already = ", ".join(f"rules.{key}={value!r}" for key, value in changes.items())
        return f"reform {'+'.join(entries)!r} changes nothing under jurisdiction={jurisdiction}: {already} is " \
               "already its status quo"
    return None


def arms_for(selection: dict[str, dict[str, Any]] | None, base: Rules, directory: Path | None = None,
             jurisdiction: str = "china", excludes: dict[str, str] | None = None) -> tuple[Arm, ...]:
    """The status quo plus: every single reform and the full package that apply under the jurisdiction (no
    selection), or the one arm that combines the selected reforms — refused, naming why, where they do not
    apply (:func:`inapplicable`)."""
    excludes = excludes or {}
    arms = [Arm(STATUS_QUO, (), base)]
    if selection is None:
        for entries in reform_catalogue(directory).values():
            if entries and inapplicable(entries, base, jurisdiction, excludes) is None:
                arms.append(make_arm(entries, base))
    elif selection:
        why = inapplicable(selection, base, jurisdiction, excludes)
        if why is not None:
            raise ConfigError(f"{why}; choose another reform or jurisdiction (docs/jurisdictions.md)")
        arms.append(make_arm(selection, base))
    return tuple(arms)


JURISDICTIONS = ("china", "us_federal", "england_wales", "germany", "italy")
"""The jurisdiction presets of conf/jurisdiction."""


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction preset as plain values: its name, its status quo's rules (with its guideline), the behaviour
    (the calibrated one, changed only where the preset documents an institutional fact) and the reforms it
    excludes, with the reason."""

    name: str
    rules: Rules
    behaviour: Behaviour
    excludes: dict[str, str]

    def arm(self, reform: str | None) -> Arm:
        """The status quo, or the arm of a reform name (several joined by '+') under this jurisdiction; ConfigError
        if a name is unknown or the reform does not apply here (:func:`inapplicable`)."""
        if reform is None:
            return Arm(STATUS_QUO, (), self.rules)
        entries = reform_entries(reform)
        why = inapplicable(entries, self.rules, self.name, self.excludes)
        if why is not None:
            raise ConfigError(why)
        return make_arm(entries, self.rules)


def jurisdiction_preset(name: str, key: str = "jurisdiction") -> Jurisdiction:
    """The preset ``conf/jurisdiction/NAME.yaml`` as plain values (ConfigError naming ``key`` if there is none)."""
    if name not in JURISDICTIONS:
        raise ConfigError(f"{key} {name!r} is not allowed; allowed values: {', '.join(JURISDICTIONS)}")
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = compose(config_name="config", overrides=[f"jurisdiction={name}", "reform=baseline"])
    run: RunConfig = OmegaConf.to_object(cfg)
    return Jurisdiction(name, run.rules, run.behaviour, dict(run.jurisdiction.excludes))


def check_jurisdiction(spec: JurisdictionConfig) -> None:
    """A preset's name is one of :data:`JURISDICTIONS`, and its excluded reforms are reforms."""
    if spec.name not in JURISDICTIONS:
        raise ConfigError(f"jurisdiction.name = {spec.name!r} is not allowed; allowed values: "
                          f"{', '.join(JURISDICTIONS)} (choose one with jurisdiction=NAME)")
    known = reform_catalogue()
    for name in spec.excludes:
        if name not in known:
            raise ConfigError(f"jurisdiction.excludes.{name} is not a reform; allowed: {', '.join(known)}")


def check_seed(name: str, value: int) -> None:
    """A root seed: stored as int64 in every record."""
    check_integer(name, value, 0, MAX_SEED)


def check_district_staff(caseload: Caseload, districts: int) -> None:
    """Every district must get at least one member of each roster the caseload splits across them."""
    for name, member in STAFF.items():
        total = getattr(caseload, name)
        if total < districts:
            left = f"district {districts}" if total + 1 == districts else f"districts {total + 1}..{districts}"
            raise ConfigError(f"caseload.{name} = {total} leaves {left} without {member}: with districts = "
                              f"{districts} it must be ≥ {districts}")


SENSITIVITY_SECTIONS = {"behaviour": Behaviour, "caseload": Caseload, "timing": Timing, "rules.guideline": Guideline}
"""The parameter sections a sensitivity study may vary (the guideline in every arm's rules)."""


def sensitivity_ranges(parameters: dict[str, Any], posterior: str | None) -> dict[str, Any]:
    """The study's ranges, a parameter given as ``posterior`` taking the central 90% of the posterior's mass
    (``sensitivity.posterior``: the weighted particles of the posterior calibration)."""
    wanted = [key for key, bounds in parameters.items() if bounds == "posterior"]
    if not wanted:
        return dict(parameters)
    if posterior is None:
        raise ConfigError(f"sensitivity.parameters.{wanted[0]} = posterior needs sensitivity.posterior (the "
                          "posterior's file, results/calibration/posterior.parquet)")
    from bargainsim.analysis.posterior import weighted_quantile
    from bargainsim.harness.robustness import read_posterior

    frame = read_posterior(posterior, "sensitivity.posterior")
    ranges = dict(parameters)
    for key in wanted:
        section, _, name = key.rpartition(".")
        if section != "behaviour" or name not in frame:
            raise ConfigError(f"sensitivity.parameters.{key} = posterior: the posterior {posterior} has no "
                              f"behaviour.{name} (it has {', '.join(c for c in frame if c != 'weight')})")
        low, high = weighted_quantile(frame[name].to_numpy(float), frame["weight"].to_numpy(float),
                                      np.array([0.05, 0.95]))
        ranges[key] = [float(low), float(high)]
    return ranges


def sensitivity_from_config(spec: SensitivityConfig) -> Sensitivity:
    """Check a sensitivity study: known float parameters, ranges inside their allowed ranges, a usable design."""
    if not spec.parameters:
        raise ConfigError("sensitivity.parameters is empty; give at least one 'section.name: [low, high]'")
    parameters = []
    for key, bounds in sensitivity_ranges(spec.parameters, spec.posterior).items():
        section, _, name = key.rpartition(".")
        cls = SENSITIVITY_SECTIONS.get(section)
        fields = {f.name: f for f in dataclasses.fields(cls)} if cls else {}
        if name not in fields or not isinstance(fields[name].default, float):
            raise ConfigError(f"sensitivity.parameters.{key} is not a real-valued parameter; allowed: "
                              f"{', '.join(sorted(SENSITIVITY_SECTIONS))}.<name> of a real-valued field "
                              "(docs/parameters.md)")
        if not isinstance(bounds, (list, tuple)) or len(bounds) != 2 or not bounds[0] < bounds[1]:
            raise ConfigError(f"sensitivity.parameters.{key} = {list(bounds)!r} must be [low, high] with low < high")
        meta = fields[name].metadata
        low, high = float(bounds[0]), float(bounds[1])
        if (meta.get("low") is not None and low < meta["low"]) or (meta.get("high") is not None
                                                                   and high > meta["high"]):
            raise ConfigError(f"sensitivity.parameters.{key} = [{low}, {high}] leaves the allowed range "
                              f"[{meta.get('low')}, {meta.get('high')}]")
        parameters.append((key, low, high))
    if spec.n_base < 2 or spec.n_base & (spec.n_base - 1):
        raise ConfigError(f"sensitivity.n_base = {spec.n_base!r} must be a power of two ≥ 2 (Sobol sequence)")
    check_integer("sensitivity.chunks", spec.chunks, 1)
    check_integer("sensitivity.chunk", spec.chunk, 0, spec.chunks - 1, f"0..{spec.chunks - 1} (sensitivity.chunks)")
    return Sensitivity(tuple(parameters), spec.n_base, spec.second_order, spec.chunks, spec.chunk)


def settings_from_config(cfg: DictConfig | RunConfig) -> Settings:
    """Validate the composed configuration and turn it into plain settings."""
    if isinstance(cfg, DictConfig):
        check_known_keys(cfg)
    run: RunConfig = OmegaConf.to_object(cfg) if isinstance(cfg, DictConfig) else cfg
    check_seed("seed", run.seed)
    for key, value, low in (("replications", run.replications, 1), ("n_cases", run.n_cases, 1),
                            ("jobs", run.jobs, 0), ("districts", run.districts, 1)):
        check_integer(key, value, low)
    if run.districts > run.n_cases:
        raise ConfigError(f"districts = {run.districts} must not exceed n_cases = {run.n_cases} "
                          f"(each district needs at least one case)")
    validate(run.rules, "rules")
    validate(run.behaviour, "behaviour")
    validate(run.caseload, "caseload")
    check_district_staff(run.caseload, run.districts)
    validate(run.timing, "timing")
    selection = None if run.reform is None else {name: dict(value or {}) for name, value in run.reform.items()}
    sensitivity = None if run.sensitivity is None else sensitivity_from_config(run.sensitivity)
    robustness = None
    if run.robustness is not None:
        from bargainsim.harness.robustness import robustness_from_config

        robustness = robustness_from_config(run.robustness)
    check_jurisdiction(run.jurisdiction)
    arms = arms_for(selection, run.rules, None, run.jurisdiction.name, dict(run.jurisdiction.excludes))
    for arm in arms:
        check_private_information(arm.rules, run.behaviour)
    return Settings(run.seed, run.replications, run.n_cases, run.jobs, run.progress, run.behaviour, run.caseload,
                    run.timing, arms, run.districts, run.save_cases, run.save_figures, sensitivity, robustness,
                    run.jurisdiction.name)


PRIVATE_INFORMATION = ("screening", "signalling")
"""The textbook protocols of private information (Bebchuk 1984, Reinganum 1988): their offers and acceptance are
equilibrium rules for textbook agents, not for the institutional model's."""


def check_private_information(rules: Rules, behaviour: Behaviour) -> None:
    """A private-information protocol needs the textbook agents' given trial costs (textbook=bebchuk or
    textbook=reinganum sets them)."""
    for key in ("misdemeanor_protocol", "felony_protocol"):
        protocol = getattr(rules, key)
        if protocol in PRIVATE_INFORMATION and behaviour.trial_costs != "given":
            raise ConfigError(f"rules.{key}={protocol} is a textbook protocol of private information: it needs "
                              "behaviour.trial_costs=given (use textbook=bebchuk or textbook=reinganum)")
