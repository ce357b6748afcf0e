"""The sentencing guideline as a lever: its presets (conf/guideline), its ladder arithmetic, and its mechanics on
controlled cases and on one drawn population — every comparison on the same cases (common random numbers).

The populations have 3,000 cases, 30% of them innocent (900 innocent suspects), so that plea rates among the
innocent move by discordant pairs of a few dozen cases; each tolerance is stated beside its assertion.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import compose_cfg, make_cases, population, run_cases

from bargainsim.core.sentencing import Terms, plea_sentence, sentence
from bargainsim.harness import sensitivity
from bargainsim.harness.config import config_dir, reform_catalogue, settings_from_config
from bargainsim.params import STAGES, Behaviour, Caseload, ConfigError, Guideline, Rules, validate
from bargainsim.reporting.narration import rule_changes

PRESETS = sorted(path.stem for path in (config_dir() / "guideline").glob("*.yaml"))
LADDERS = {"spc_2021": (0.30, 0.20, 0.10), "flat": (0.20, 0.20, 0.20), "steep": (0.40, 0.20, 0.0),
           "low_cap": (0.15, 0.10, 0.05), "no_cap": (1.0, 1.0, 1.0)}
"""Each preset's plea-discount caps at investigation, review and trial, as its comment states them."""
FOREIGN = {"ussg_3e1": (0.27, 0.20, 0.20), "sentencing_council_2017": (0.3333333333, 0.25, 0.10),
           "stgb_46": (0.3333333333,) * 3, "cpp_444": (0.3333333333,) * 3}
"""The guidelines of the jurisdiction presets (conf/jurisdiction), as their comments state them."""
DIALOGUE = {"misdemeanor_protocol": "dialogue", "felony_protocol": "dialogue"}
"""Dialogue on both tracks: the prosecutor concedes towards its reservation, so the floor is reached."""


def preset(name: str, *overrides: str) -> Guideline:
    """The guideline of ``guideline=NAME`` as the command line composes it."""
    return settings_from_config(compose_cfg(f"guideline={name}", "reform=baseline", *overrides)).arms[0].rules.guideline


# -- the presets and the configuration -----------------------------------------------------------------------------

def test_the_presets_are_the_documented_ladders():
    assert PRESETS == sorted({**LADDERS, **FOREIGN})
    for name, caps in FOREIGN.items():
        assert tuple(preset(name).plea_caps()[stage] for stage in STAGES) == caps, name
    assert preset("spc_2021") == Guideline() == Rules().guideline
    for name, caps in LADDERS.items():
        guideline = preset(name)
        assert tuple(guideline.plea_caps()[stage] for stage in STAGES) == caps, name
        changed = {f.name for f in dataclasses.fields(Guideline) if getattr(guideline, f.name) != getattr(Guideline(),
                                                                                                          f.name)}
        assert changed <= {"plea_cap", "ladder_step"}, (name, changed)   # victim terms and usual share unchanged
    no_cap = Terms.of(preset("no_cap"))
    assert no_cap.combined_cap == {stage: 1.0 for stage in STAGES}      # nothing but the statutory range binds
    assert no_cap.usual("review") == pytest.approx(0.15)                # the going rate, not 75% of everything


def test_single_keys_override_a_preset_and_every_reform_carries_the_guideline():
    assert preset("flat", "rules.guideline.plea_cap=0.25").plea_caps() == {stage: 0.25 for stage in STAGES}
    settings = settings_from_config(compose_cfg("guideline=steep"))
    assert len(settings.arms) == 1 + len([name for name, entries in reform_catalogue().items() if entries])
    assert {arm.rules.guideline == preset("steep") for arm in settings.arms} == {True}
    combined = settings_from_config(compose_cfg("guideline=low_cap", "reform=[two_way_initiation,no_kpi]"))
    assert combined.arms[1].rules == dataclasses.replace(Rules(), initiation="two_way", kpi_pressure=0.0,
                                                         guideline=preset("low_cap"))


def test_a_sensitivity_point_sets_the_guideline_of_every_arm_and_a_transcript_names_it():
    settings = settings_from_config(compose_cfg("reform=full_package"))
    point = sensitivity.settings_at(settings, {"rules.guideline.usual_share": 0.5, "behaviour.risk_aversion": 2.0})
    assert [arm.rules.guideline.usual_share for arm in point.arms] == [0.5, 0.5]
    assert [dataclasses.replace(arm.rules, guideline=Guideline()) for arm in point.arms] == \
        [arm.rules for arm in settings.arms]
    assert point.behaviour.risk_aversion == 2.0
    assert rule_changes(Rules(), Rules(guideline=preset("low_cap"))) == [
        "guideline plea discount at most (investigation / review / trial): 30% / 20% / 10% → 15% / 10% / 5%"]
    assert rule_changes(Rules(), Rules(guideline=preset("sentencing_council_2017")))[0].endswith(
        "30% / 20% / 10% → 33% / 25% / 10%")


@pytest.mark.parametrize(("changes", "key"), [
    ({"victim_credit_both": 0.45}, "rules.guideline.victim_credit_both = 0.45 exceeds rules.guideline.victim_cap_both"),
    ({"victim_cap_forgiveness": 0.05}, "rules.guideline.victim_credit_forgiveness = 0.1 exceeds"),
    ({"victim_cap_both": 0.35, "victim_cap_compensation": 0.38},
     "rules.guideline.victim_cap_both = 0.35 is below rules.guideline.victim_cap_compensation = 0.38"),
    ({"victim_credit_both": 0.15},
     "rules.guideline.victim_credit_both = 0.15 is below rules.guideline.victim_credit_compensation = 0.2"),
    ({"total_cap": 1.2}, "rules.guideline.total_cap = 1.2 is outside the allowed range [0.0, 1.0]"),
])
def test_inconsistent_guidelines_are_refused_in_one_line_naming_the_key(changes, key):
    with pytest.raises(ConfigError) as error:
        validate(dataclasses.replace(Rules(), guideline=Guideline(**changes)), "rules")
    assert key in str(error.value) and "\n" not in str(error.value)


# -- the ladder's arithmetic ------------------------------------------------------------------------------------------

def test_rungs_stay_within_zero_and_one_and_the_going_rate_binds_only_above_its_cap():
    assert Guideline(plea_cap=0.1, ladder_step=0.2).plea_caps() == {"investigation": 0.3, "review": 0.1, "trial": 0.0}
    assert Guideline(plea_cap=0.9, ladder_step=0.2).plea_caps()["investigation"] == 1.0
    low = Guideline(plea_cap=0.1, ladder_step=0.05)
    assert low.usual_bases() == low.plea_caps()                         # below the going rate: the caps themselves
    high = Guideline(plea_cap=0.5, ladder_step=0.1)
    assert high.usual_bases() == Guideline().plea_caps()                # above it: the status quo ladder's rungs
    assert high.combined_caps() == {stage: 0.6 for stage in STAGES}
    assert Guideline(plea_cap=0.7, ladder_step=0.1).combined_caps() == {"investigation": 0.8, "review": 0.7,
                                                                        "trial": 0.6}


# -- mechanics on controlled cases ---------------------------------------------------------------------------------

def _plea_discounts(guideline: Guideline) -> tuple[pd.Series, pd.Series]:
    """Discounts of the same controlled cases pleading at investigation (two-way initiation, counsel since
    investigation: the defense opens) and at review (prosecutor-only initiation)."""
    cases = make_cases(100, mitigation=0.1)
    early = run_cases(cases, Rules(initiation="two_way", duty_lawyer_stage="investigation", guideline=guideline))
    late = run_cases(cases, Rules(duty_lawyer_stage="investigation", guideline=guideline))
    assert (early.plea_stage == "investigation").all() and (late.plea_stage == "review").all()
    return early.discount, late.discount


def test_a_flat_ladder_gives_an_early_plea_no_more_than_a_plea_at_review():
    early, late = _plea_discounts(preset("flat"))
    assert (early <= late + 1e-12).all()
    # The status quo's and the steep ladder's rewards for pleading early, on the same cases.
    sq_early, sq_late = _plea_discounts(preset("spc_2021"))
    steep_early, steep_late = _plea_discounts(preset("steep"))
    assert (sq_early > sq_late + 0.05).all() and (steep_early > sq_early + 0.05).all()
    assert np.allclose(late, sq_late) and np.allclose(steep_late, sq_late)   # review pleas: same cap, same terms


def test_the_total_cap_binds_a_full_discount_with_victim_credit():
    """A misdemeanor schedule offers the whole plea discount; with compensation and forgiveness (30% credit) a 50%
    plea cap would reduce the sentence by 80%, but the combined cap stops it at 60% — until it is lifted."""
    cases = make_cases(20, has_victim=True, ability_to_pay=1.0, forgiveness=1.0, u_forgive=0.0)
    rules = Rules(misdemeanor_offer="schedule", victim_participation=True)
    deep = Guideline(plea_cap=0.5, ladder_step=0.0, customary_cap=0.5)
    runs = {total: run_cases(cases, dataclasses.replace(rules, guideline=dataclasses.replace(deep, total_cap=total)))
            for total in (0.6, 1.0)}
    status_quo = run_cases(cases, rules)
    for frame in (*runs.values(), status_quo):
        assert frame.pleaded.all() and frame.compensated.all() and frame.forgiven.all()
    reduction = {total: 1.0 - frame.recommendation_months / frame.base_months for total, frame in runs.items()}
    assert np.allclose(reduction[0.6], 0.6) and np.allclose(reduction[1.0], 0.8)
    assert np.allclose(1.0 - status_quo.recommendation_months / status_quo.base_months, 0.5)  # 20% + 30%: unbound


# -- mechanics on a drawn population ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pop():
    """3,000 drawn cases, 30% of them innocent."""
    return population(3000, Caseload(innocent_share=0.3), seed=11)


@pytest.fixture(scope="module")
def under(pop):
    """The population in dialogue under three presets: name → case records."""
    return {name: run_cases(pop, Rules(**DIALOGUE, guideline=preset(name))) for name in ("low_cap", "spc_2021",
                                                                                         "no_cap")}


def _below_floor(frame: pd.DataFrame, pop, guideline: Guideline) -> int:
    """Pleas whose recommendation lies below ``guideline``'s floor at their stage (full plea discount, all the
    case's mitigation, the victim credit earned), less what the default assessment pressure lets a prosecutor
    concede beyond it (never beyond the combined cap)."""
    terms = Terms.of(guideline)
    leeway = Behaviour().kpi_leeway * Rules().kpi_pressure
    below = 0
    for row in frame[frame.pleaded & ~frame.compensation_unpaid].itertuples():
        case = pop[row.case_id]
        credit = terms.victim_credit(bool(row.compensated), bool(row.forgiven))
        floor = plea_sentence(case.base_months, case.statutory_min, case.statutory_max, terms, row.plea_stage,
                              case.mitigation, credit)
        lowest = sentence(case.base_months, case.statutory_min, case.statutory_max, 1.0,
                          cap=terms.combined_cap[row.plea_stage])
        below += row.recommendation_months < max(floor - leeway * case.base_months, lowest) - 1e-7
    return below


def test_low_cap_recommendations_never_go_below_its_floor(pop, under):
    low_cap = preset("low_cap")
    assert under["low_cap"].pleaded.sum() > 1500
    assert _below_floor(under["low_cap"], pop, low_cap) == 0
    assert _below_floor(under["spc_2021"], pop, low_cap) > 1000      # the status quo's usual 15% is below it


def test_without_a_cap_the_prosecutor_concedes_below_the_status_quo_floor(pop, under):
    assert _below_floor(under["spc_2021"], pop, Guideline()) == 0
    assert _below_floor(under["no_cap"], pop, Guideline()) > 500      # observed ~2,000 of ~2,700 pleas
    assert _below_floor(under["no_cap"], pop, preset("no_cap")) == 0  # only the statutory range bounds them


def test_a_lower_cap_deters_innocent_pleas_more_than_guilty_ones(under):
    """Bar-Gill & Gazal-Ayal (2006): capping the plea discount keeps weak cases — disproportionately innocents'
    — from being settled by deep discounts, while the guilty still plead. Paired on the same 900 innocent and
    2,100 guilty suspects; a discordant pair moves a rate by 1/900 (innocent) or 1/2100 (guilty). Compared as
    shares of each group's pleas: with graded choices the guilty at the margin respond too."""
    rate = {name: (frame.pleaded[~frame.guilty].mean(), frame.pleaded[frame.guilty].mean())
            for name, frame in under.items()}
    (innocent_low, guilty_low), (innocent_sq, guilty_sq), (innocent_none, _) = (
        rate["low_cap"], rate["spc_2021"], rate["no_cap"])
    assert innocent_sq - innocent_low > 0.02                          # observed ~0.046
    assert (guilty_sq - guilty_low) / guilty_sq < (innocent_sq - innocent_low) / innocent_sq / 2  # ~0.07 vs ~0.25
    assert innocent_none - innocent_sq > 0.1                          # observed ~0.2: no cap, deep discounts
