"""Jurisdiction presets (conf/jurisdiction, docs/jurisdictions.md): institutional rules only, each preset's
mechanisms on controlled cases, reforms composed or refused, and the same suspects under every preset."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import compose_cfg, make_cases, population, read_cases, run_cases

from bargainsim.core.conduct import Conduct
from bargainsim.core.offenses import CATALOGUE, lesser_range
from bargainsim.core.procedure.court import Court
from bargainsim.core.sentencing import Terms
from bargainsim.harness.config import (
    JURISDICTIONS,
    Jurisdiction,
    config_dir,
    jurisdiction_preset,
    settings_from_config,
)
from bargainsim.params import Behaviour, Caseload, ConfigError, Guideline, Rules, Timing

BARGAINSIM = Path(sys.executable).parent / "bargainsim"
ROBBERY = next(o for o in CATALOGUE if o.name == "robbery")
PRESETS = {name: jurisdiction_preset(name) for name in JURISDICTIONS}
INSTITUTIONAL_BEHAVIOUR = {"protest_acquittal"}
"""The behaviour keys a preset may set, each for a documented institutional fact (no appeal against an
acquittal: the Double Jeopardy Clause; England and Wales' rule on jury acquittals)."""


def under(name: str, cases, **rules: object) -> pd.DataFrame:
    """Run ``cases`` under a jurisdiction's status quo (its rules changed by ``rules``) and its behaviour."""
    preset = PRESETS[name]
    return run_cases(cases, dataclasses.replace(preset.rules, **rules), preset.behaviour)


def test_the_presets_are_the_documented_ones_and_china_is_the_default():
    assert sorted(p.stem for p in (config_dir() / "jurisdiction").glob("*.yaml")) == sorted(JURISDICTIONS)
    assert PRESETS["china"].rules == Rules() and PRESETS["china"].behaviour == Behaviour()
    assert settings_from_config(compose_cfg("reform=baseline")).jurisdiction == "china"
    documented = (Path(__file__).parents[1] / "docs" / "jurisdictions.md").read_text(encoding="utf-8")
    for name in JURISDICTIONS:
        assert f"`{name}`" in documented


@pytest.mark.parametrize("name", JURISDICTIONS)
def test_a_preset_sets_institutional_rules_only(name):
    """Behaviour stays the calibrated Chinese behaviour but for documented institutional facts; the caseload and
    the timing are untouched; every rule the preset sets is commented with its source in the YAML."""
    settings = settings_from_config(compose_cfg(f"jurisdiction={name}", "reform=baseline"))
    changed = {f.name for f in dataclasses.fields(Behaviour)
               if getattr(settings.behaviour, f.name) != getattr(Behaviour(), f.name)}
    assert changed <= INSTITUTIONAL_BEHAVIOUR
    assert settings.caseload == Caseload() and settings.timing == Timing()
    text = (config_dir() / "jurisdiction" / f"{name}.yaml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("  ") and ":" in line and not line.strip().startswith(("#", "-", "name:", "excludes:")) \
                and not line.startswith("    "):
            assert "#" in line, f"{name}.yaml: a rule without its source: {line.strip()}"


# -- England and Wales: the reduction follows the stage of the plea ------------------------------------------------

def test_england_and_wales_reduction_follows_the_stage_of_the_plea():
    """Controlled cases (no mitigation, no victim, the court's assessment = the base): a plea the defense
    indicates at the first stage earns one third, a plea after it one quarter, as the 2017 guideline says; the
    trial rung is one tenth."""
    cases = make_cases(60)
    first = under("england_wales", cases)
    later = under("england_wales", cases, duty_lawyer_stage="review")     # counsel only after the first stage
    assert (first.plea_stage == "investigation").all() and (later.plea_stage == "review").all()
    assert np.allclose(first.discount_vs_trial, 1 / 3) and np.allclose(later.discount_vs_trial, 1 / 4)
    assert PRESETS["england_wales"].rules.guideline.plea_caps() == {"investigation": 0.3333333333, "review": 0.25,
                                                                    "trial": 0.1}
    assert Guideline(ladder="table", table_investigation=0.5, plea_cap=0.2, table_trial=0.0).plea_caps() == \
        {"investigation": 0.5, "review": 0.2, "trial": 0.0}


# -- charge bargaining ----------------------------------------------------------------------------------------------

def test_charge_bargaining_keeps_sentences_inside_the_lesser_band():
    """Under the US preset, every plea to a lesser charge is sentenced — at first instance and finally — inside
    the lesser band's statutory range, only offenses with a lesser band are reduced, and without charge bargaining
    no charge is."""
    cases = population(3000)
    us = under("us_federal", cases)
    reduced = us[us.charge_reduced]
    assert len(reduced) > 30
    ranges = {o.name: lesser_range(o) for o in CATALOGUE}
    low = reduced.offense.map(lambda o: ranges[o][0])
    high = reduced.offense.map(lambda o: ranges[o][1])
    assert (high > 0).all()
    for column in ("sentence_months", "final_sentence_months", "recommendation_months"):
        assert (reduced[column] <= high + 1e-9).all() and (reduced[column] >= low - 1e-9).all()
    assert (reduced.base_months > high).any()        # the lesser band bound sentences the full charge would not
    assert not under("us_federal", cases, charge_bargaining=False).charge_reduced.any()


def test_a_weak_robbery_case_is_pleaded_to_theft():
    """A robbery whose trial is worth less to the prosecutor than the guideline's lowest plea sentence (60 months
    base, conviction 0.6): pleaded to theft, at most 36 months; without charge bargaining no plea goes below the
    guideline's three levels off the full charge."""
    cases = make_cases(20, offense=ROBBERY, start_months=60.0, conviction_probability=0.6)
    with_bargain = under("us_federal", cases)
    assert with_bargain.charge_reduced.all() and (with_bargain.sentence_months <= 36.0 + 1e-9).all()
    without = under("us_federal", cases, charge_bargaining=False)
    assert not without.charge_reduced.any() and (without.recommendation_months.dropna() >= 60.0 * 0.73 - 1e-9).all()


# -- Germany: the court-led agreement -------------------------------------------------------------------------------

def test_germany_court_led_agreement_respects_its_announced_limits():
    """Every agreement is the court's proposal at the main hearing, and every sentence on one lies inside the
    range it announced: the upper limit (the recommendation recorded) and a quarter below it."""
    frame = under("germany", population(2000))
    pleaded = frame[frame.pleaded]
    assert len(pleaded) > 200
    assert (frame.initiated_by[frame.negotiated] == "court").all() and (pleaded.plea_stage == "trial").all()
    upper = pleaded.recommendation_months
    assert (pleaded.sentence_months <= upper + 1e-9).all()
    assert (pleaded.sentence_months >= 0.75 * upper - 1e-9).all()
    assert not pleaded.appealed.all()                # no waiver: appeals remain open (§ 302(1) S. 2 StPO)


def test_the_court_is_released_when_its_view_leaves_the_range():
    """§ 257c(4): on the hearing's facts the court sentences inside its range; a view outside it by more than the
    tolerance releases the court, and the case is tried."""
    conduct = dataclasses.replace(Conduct.of(Behaviour()).court, impropriety_tolerance=0.1)
    court = Court(1, 8.0, conduct, "substantive", Terms.of(Guideline()), "binding", 0.25)
    inside = court.rule(40.0, False, 35.0, 0.9, 0.0, 80.0)
    assert inside.adopted and inside.sentence == 35.0 and not inside.rejected
    near = court.rule(40.0, False, 29.0, 0.9, 0.0, 80.0)      # 3.4% below the lower limit of 30
    assert near.adopted and near.sentence == 30.0
    assert court.rule(40.0, False, 50.0, 0.9, 0.0, 80.0).rejected      # 25% above the upper limit


# -- the effect of an agreement in court, appeal waivers, limits ---------------------------------------------------

def test_an_advisory_recommendation_leaves_the_sentence_to_the_court_and_a_waiver_ends_the_case():
    frame = under("us_federal", population(1500))
    pleaded = frame[frame.pleaded]
    assert not pleaded.adjusted.any() and not pleaded.appealed.any() and not pleaded.protested.any()
    assert (pleaded.deviated == ~pleaded.adopted.astype(bool)).all()
    china = under("china", population(1500))
    assert china[china.pleaded].appealed.any()


def test_italy_limits_the_agreed_sentence_and_binds_the_judge():
    frame = under("italy", population(2000))
    pleaded = frame[frame.pleaded]
    assert (pleaded.recommendation_months <= 60.0 + 1e-9).all()
    assert (pleaded.sentence_months == pleaded.recommendation_months).all()   # applied as agreed, or rejected
    assert frame.plea_rejected.any() and not pleaded.appealed.any()
    heavy = make_cases(10, offense=ROBBERY, start_months=110.0)              # even a third off leaves > 5 years
    assert not under("italy", heavy).negotiated.any()
    assert under("italy", heavy, plea_limit_months=0.0).negotiated.all()


# -- reforms under a jurisdiction -----------------------------------------------------------------------------------

def test_reforms_compose_with_a_jurisdiction_where_they_apply():
    settings = settings_from_config(compose_cfg("jurisdiction=england_wales", "reform=public_observation"))
    assert [arm.label for arm in settings.arms] == ["status_quo", "public_observation"]
    observed = settings.arms[1].rules
    assert observed.public_observation and observed.guideline == PRESETS["england_wales"].rules.guideline
    every = settings_from_config(compose_cfg("jurisdiction=germany"))
    labels = {arm.label for arm in every.arms}
    assert "two_way_initiation" not in labels and "full_package" not in labels and "disclosure_core" not in labels
    assert "public_observation" in labels


@pytest.mark.parametrize(("overrides", "message"), [
    (("jurisdiction=germany", "reform=two_way_initiation"),
     "reform 'two_way_initiation' does not apply under jurisdiction=germany: under § 257c StPO the court"),
    (("jurisdiction=us_federal", "reform=no_kpi"),
     "reform 'no_kpi' changes nothing under jurisdiction=us_federal: rules.kpi_pressure=0.0 is already"),
])
def test_a_reform_that_does_not_apply_is_refused_naming_why(overrides, message):
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        settings_from_config(compose_cfg(*overrides))
    with pytest.raises(ConfigError, match="is not a reform"):
        PRESETS["china"].arm("no_such_reform")
    assert isinstance(PRESETS["italy"].arm("public_observation").rules, Rules)
    assert Jurisdiction("x", Rules(), Behaviour(), {}).arm(None).label == "status_quo"


def test_a_bad_jurisdiction_is_refused_in_one_line_with_exit_code_2(tmp_path):
    out = tmp_path / "run"
    done = subprocess.run([str(BARGAINSIM), "jurisdiction=germany",
                           "reform=two_way_initiation", f"hydra.run.dir={out}"], capture_output=True, text=True)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "jurisdiction=germany" in done.stderr and not out.exists()


# -- the command line, and the same suspects everywhere -------------------------------------------------------------

def test_every_preset_runs_from_the_command_line_on_the_same_cases(tmp_path):
    frames = {}
    for name in JURISDICTIONS:
        out = tmp_path / name
        done = subprocess.run([str(BARGAINSIM), f"jurisdiction={name}", "reform=baseline",
                               "n_cases=300", "replications=1", "progress=false", "save_figures=false",
                               f"hydra.run.dir={out}"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        frames[name] = read_cases(out)
    facts = ["case_id", "offense", "guilty", "conviction_probability", "base_months"]
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame[facts], frames["china"][facts])
    assert (frames["germany"].initiated_by[frames["germany"].negotiated] == "court").all()
    assert frames["us_federal"].pleaded.mean() > frames["germany"].pleaded.mean()


def test_the_documented_comparison_table_is_the_committed_study():
    """docs/jurisdictions.md quotes the model's figures of results/jurisdictions as they are."""
    text = (Path(__file__).parents[1] / "docs" / "jurisdictions.md").read_text(encoding="utf-8")
    table = pd.read_csv(Path(__file__).parents[1] / "results" / "jurisdictions" / "jurisdictions.csv")
    figures = {"application rate": "application_rate", "trial rate": "trial_rate",
               "mean discount vs trial": "discount_vs_trial", "innocent pleas": "innocent_plea_rate"}
    quoted = 0
    for name, label, model in re.findall(r"^\| `(\w+)` \| ([^|]+?) \| ([^|]+?) \|", text, re.MULTILINE):
        found = re.match(r"(\d\.\d{3}) \[(\d\.\d{3}), (\d\.\d{3})\]", model)
        if label not in figures or not found:
            continue
        row = table[(table["reform"] == name) & (table["outcome"] == figures[label])].iloc[0]
        assert [float(v) for v in found.groups()] == [round(row[k], 3) for k in ("mean", "ci_low", "ci_high")]
        quoted += 1
    assert quoted >= 10
