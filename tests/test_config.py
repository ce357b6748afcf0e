"""The configuration boundary: which arms a `reform` selection produces, and how bad input is refused.

Configurations are composed the way the console script composes them (``initialize_config_dir`` + ``compose``
on the packaged ``conf/``); ``run_job`` must reject invalid input with a message naming the key and what is
allowed, before anything simulates and without leaving a file in the output directory.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.errors import ConfigCompositionException, MissingConfigException
from omegaconf import OmegaConf

import bargainsim.harness.config
from bargainsim.apps.cli import run_job
from bargainsim.harness.config import RULE_KEYS, STATUS_QUO, settings_from_config
from bargainsim.params import INSTITUTION_KEYS, ConfigError, Rules, check_integer, validate

CONF = bargainsim.harness.config.config_dir()
REFORM_DIR = CONF / "reform"
REFORM_FILES = sorted(p.stem for p in REFORM_DIR.glob("*.yaml"))
SMALL = ["n_cases=30", "replications=1", "jobs=1", "progress=false"]


def compose_cfg(*overrides: str):
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return compose(config_name="config", overrides=list(overrides))


def own_overrides(name: str) -> dict:
    """The rule overrides a single reform file states itself (without any bundled defaults)."""
    node = OmegaConf.to_container(OmegaConf.load(REFORM_DIR / f"{name}.yaml") or OmegaConf.create({}))
    node.pop("defaults", None)
    merged: dict = {}
    for value in node.values():
        merged.update(value or {})
    return merged


SINGLE_REFORMS = [name for name in REFORM_FILES if own_overrides(name)]
BUNDLES = [name for name in REFORM_FILES
           if not own_overrides(name) and (OmegaConf.load(REFORM_DIR / f"{name}.yaml") or {}).get("defaults")]


def console_script() -> str:
    candidate = Path(sys.executable).parent / "bargainsim"
    return str(candidate if candidate.exists() else "bargainsim")


def assert_untouched(out_dir: Path) -> None:
    assert not out_dir.exists() or not any(out_dir.iterdir()), sorted(out_dir.iterdir())


# -- the catalogue on disk ------------------------------------------------------------------------------------

def test_catalogue_files_are_the_expected_reforms() -> None:
    assert "baseline" in REFORM_FILES and "full_package" in REFORM_FILES
    assert BUNDLES == ["full_package"]
    assert len(SINGLE_REFORMS) == 14
    assert own_overrides("baseline") == {}


# -- reform selection semantics -------------------------------------------------------------------------------

def test_no_selection_runs_status_quo_every_single_reform_and_the_full_package() -> None:
    settings = settings_from_config(compose_cfg())
    labels = [arm.label for arm in settings.arms]
    assert labels[0] == STATUS_QUO
    assert len(labels) == len(set(labels)) == 16
    expected = {STATUS_QUO, *SINGLE_REFORMS, *BUNDLES}
    assert set(labels) == expected
    assert "baseline" not in labels
    arms = {arm.label: arm for arm in settings.arms}
    assert arms[STATUS_QUO].rules == Rules() and arms[STATUS_QUO].reforms == ()
    for name in SINGLE_REFORMS:
        assert arms[name].reforms == (name,)
        assert arms[name].rules == dataclasses.replace(Rules(), **own_overrides(name)), name
        assert arms[name].rules != Rules(), name


def test_baseline_selects_the_status_quo_alone() -> None:
    settings = settings_from_config(compose_cfg("reform=baseline"))
    assert [(a.label, a.reforms, a.rules) for a in settings.arms] == [(STATUS_QUO, (), Rules())]


def test_single_reform_adds_one_arm_changing_only_its_rules() -> None:
    settings = settings_from_config(compose_cfg("reform=disclosure_full"))
    assert [a.label for a in settings.arms] == [STATUS_QUO, "disclosure_full"]
    arm = settings.arms[1]
    assert arm.rules.disclosure == "full"
    assert arm.rules == dataclasses.replace(Rules(), disclosure="full")
    assert settings.arms[0].rules == Rules()


def test_two_reforms_combine_into_one_labelled_arm() -> None:
    settings = settings_from_config(compose_cfg("reform=[disclosure_full,public_observation]"))
    assert [a.label for a in settings.arms] == [STATUS_QUO, "disclosure_full+public_observation"]
    arm = settings.arms[1]
    assert arm.reforms == ("disclosure_full", "public_observation")
    assert arm.rules == dataclasses.replace(Rules(), disclosure="full", public_observation=True, venue="outside")


def test_full_package_is_one_arm_combining_every_single_reform() -> None:
    settings = settings_from_config(compose_cfg("reform=full_package"))
    assert [a.label for a in settings.arms] == [STATUS_QUO, "full_package"]
    arm = settings.arms[1]
    singles = [name for name in SINGLE_REFORMS if name != "disclosure_core"]  # the package takes disclosure_full
    assert set(arm.reforms) == set(singles)
    combined: dict = {}
    for name in singles:
        combined.update(own_overrides(name))
    assert arm.rules == dataclasses.replace(Rules(), **combined)


def test_full_package_changes_every_rule() -> None:
    """'Every reform at once': no procedural lever may stay at its status-quo value in the full package (the
    guideline is no reform's: it stays the configured one)."""
    arm = settings_from_config(compose_cfg("reform=full_package")).arms[1]
    unchanged = [name for name in RULE_KEYS if getattr(arm.rules, name) == getattr(Rules(), name)]
    assert unchanged == [], f"rules left at the status quo by full_package: {unchanged}"
    assert set(RULE_KEYS) == {f.name for f in dataclasses.fields(Rules)} - {"guideline", *INSTITUTION_KEYS}
    assert arm.rules.guideline == Rules().guideline


def test_conflicting_reforms_are_refused_naming_both(tmp_path: Path) -> None:
    cfg = compose_cfg(*SMALL, "reform=[disclosure_core,disclosure_full]")
    with pytest.raises(ConfigError) as error:
        settings_from_config(cfg)
    message = str(error.value)
    assert "disclosure_core" in message and "disclosure_full" in message and "rules.disclosure" in message
    out = tmp_path / "out"
    with pytest.raises(ConfigError):
        run_job(cfg, out)
    assert not out.exists()


def test_a_custom_reform_on_the_command_line_is_an_arm_validated_like_a_file() -> None:
    settings = settings_from_config(compose_cfg("reform=baseline", "+reform.my_reform.disclosure=core",
                                                "+reform.my_reform.kpi_pressure=0.5"))
    assert [a.label for a in settings.arms] == [STATUS_QUO, "my_reform"]
    assert settings.arms[1].rules == dataclasses.replace(Rules(), disclosure="core", kpi_pressure=0.5)
    combined = settings_from_config(compose_cfg("reform=no_kpi", "+reform.my_reform.disclosure=core"))
    assert combined.arms[1].label == "no_kpi+my_reform"
    assert combined.arms[1].rules == dataclasses.replace(Rules(), disclosure="core", kpi_pressure=0.0)
    with pytest.raises(ConfigError, match="reform.my_reform.kpi_pressure"):
        settings_from_config(compose_cfg("reform=baseline", "+reform.my_reform.kpi_pressure=9"))


@pytest.mark.parametrize("name", REFORM_FILES)
def test_every_reform_file_composes_and_validates(name: str) -> None:
    settings = settings_from_config(compose_cfg(f"reform={name}"))
    assert settings.arms[0].label == STATUS_QUO
    for arm in settings.arms:
        validate(arm.rules, f"reform.{arm.label}")
    if name == "baseline":
        assert len(settings.arms) == 1
    else:
        assert [a.label for a in settings.arms] == [STATUS_QUO, name]
        assert settings.arms[1].rules != Rules()


# -- bad input ------------------------------------------------------------------------------------------------

BAD_VALUES = [
    ("caseload.innocent_share=1.5", ["caseload.innocent_share", "1.5", "[0.0, 1.0]"]),
    ("caseload.innocent_share=-0.1", ["caseload.innocent_share", "[0.0, 1.0]"]),
    ("behaviour.overstatement=2", ["behaviour.overstatement", "[0.0, 1.0]"]),
    ("n_cases=-5", ["n_cases", "-5", "1"]),
    ("n_cases=0", ["n_cases", "1"]),
    ("replications=0", ["replications", "1"]),
    ("seed=-1", ["seed", "0"]),
    ("jobs=-2", ["jobs", "0"]),
    ("caseload.n_prosecutors=-1", ["caseload.n_prosecutors", "-1", "[1, 100000]"]),
    ("caseload.n_judges=0", ["caseload.n_judges", "[1, 100000]"]),
    ("rules.disclosure=partial", ["rules.disclosure", "partial", "none", "core", "full"]),
    ("rules.signature=notary", ["rules.signature", "suspect", "tripartite"]),
    ("rules.kpi_pressure=5", ["rules.kpi_pressure", "[0.0, 3.0]"]),
    ("timing.review_limit_speedy=0", ["timing.review_limit_speedy", "[1, 365]"]),
    ("rules.guideline.plea_cap=1.5", ["rules.guideline.plea_cap", "1.5", "[0.0, 1.0]"]),
    ("rules.guideline.ladder_step=-0.1", ["rules.guideline.ladder_step", "[0.0, 1.0]"]),
    ("rules.guideline.victim_credit_forgiveness=0.3",
     ["rules.guideline.victim_credit_forgiveness = 0.3", "rules.guideline.victim_cap_forgiveness = 0.2", "within"]),
    ("rules.guideline.victim_cap_both=0.25",
     ["rules.guideline.victim_credit_both = 0.3", "rules.guideline.victim_cap_both = 0.25"]),
]


@pytest.mark.parametrize(("args", "message"), [
    (("n_cases", 0, 1), "n_cases = 0 is not allowed; allowed values: integers ≥ 1"),
    (("seed", -1, 0, 2**63 - 1), "seed = -1 is not allowed; allowed values: integers in [0, 9223372036854775807]"),
    (("jobs", True, 0), "jobs = True is not an integer; allowed values: integers ≥ 0"),
    (("width", 2.5, None, 9), "width = 2.5 is not an integer; allowed values: integers ≤ 9"),
    ((None, "seventeen", None, None, "a case id"), "'seventeen' is not an integer; allowed values: a case id"),
])
def test_check_integer_says_what_is_allowed(args: tuple, message: str) -> None:
    assert check_integer("n", 3, 1, 3) == 3
    with pytest.raises(ConfigError) as error:
        check_integer(*args)
    assert str(error.value) == message


@pytest.mark.parametrize(("override", "fragments"), BAD_VALUES, ids=[o for o, _ in BAD_VALUES])
def test_bad_value_is_refused_before_anything_runs(tmp_path: Path, override: str, fragments: list[str]) -> None:
    cfg = compose_cfg(*SMALL, override)
    with pytest.raises(ConfigError) as error:
        settings_from_config(cfg)
    for fragment in fragments:
        assert fragment in str(error.value), (fragment, str(error.value))
    out = tmp_path / "out"
    with pytest.raises(ConfigError):
        run_job(cfg, out)
    assert not out.exists(), "a refused configuration created its output directory"
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(ConfigError):
        run_job(cfg, existing)
    assert_untouched(existing)


def test_unknown_reform_is_refused_at_compose_listing_the_options() -> None:
    with pytest.raises(MissingConfigException) as error:
        compose_cfg("reform=nonexistent")
    message = str(error.value)
    assert "reform/nonexistent" in message
    for name in REFORM_FILES:
        assert name in message, name


@pytest.mark.parametrize("override", ["n_cases=abc", "progress=maybe", "caseload.innocent_share=high",
                                      "rules.mutual_disclosure=sometimes"])
def test_wrong_type_is_refused_at_compose(override: str) -> None:
    key = override.split("=")[0]
    with pytest.raises(ConfigCompositionException) as error:
        compose_cfg(override)
    text = f"{error.value} {error.value.__cause__}"
    assert key.split(".")[-1] in text and override.split("=")[1] in text


def test_unknown_key_is_refused_at_compose() -> None:
    with pytest.raises(ConfigCompositionException) as error:
        compose_cfg("caseload.n_prosecutor=3")
    assert "n_prosecutor" in f"{error.value} {error.value.__cause__}"


def test_output_directory_under_a_regular_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    cfg = compose_cfg(*SMALL, "reform=baseline")
    for out in (blocker / "out", blocker):
        with pytest.raises(ConfigError) as error:
            run_job(cfg, out)
        assert str(out) in str(error.value) and "not writable" in str(error.value)
    assert blocker.read_text() == "not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


# -- bad input through the console script ---------------------------------------------------------------------

def _run_console(tmp_path: Path, *overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    return subprocess.run([console_script(), *overrides], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env=env)


def test_console_unknown_reform_lists_the_options_on_stderr(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    result = _run_console(tmp_path, f"hydra.run.dir={run_dir}", *SMALL, "reform=nonexistent")
    assert result.returncode == 2
    assert "'nonexistent'" in result.stderr and len(result.stderr.splitlines()) == 1
    for name in REFORM_FILES:
        assert name in result.stderr, name
    assert "Traceback" not in result.stderr
    assert not run_dir.exists()
    assert sorted(tmp_path.iterdir()) == []


def test_console_out_of_range_value_exits_2_and_leaves_no_directory(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    result = _run_console(tmp_path, f"hydra.run.dir={run_dir}", *SMALL, "caseload.innocent_share=1.5")
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert "caseload.innocent_share" in output and "[0.0, 1.0]" in output
    assert "Traceback" not in output
    assert not run_dir.exists()
    assert sorted(tmp_path.iterdir()) == []


def test_console_output_directory_under_a_regular_file_fails_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    run_dir = blocker / "run"
    result = _run_console(tmp_path, f"hydra.run.dir={run_dir}", *SMALL, "reform=baseline")
    assert result.returncode == 2
    assert str(run_dir) in result.stdout + result.stderr
    assert blocker.read_text() == "not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
