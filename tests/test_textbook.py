"""The textbook special cases (DOMAIN.md §6): the model's own agents and protocols, switched to textbook
assumptions by the presets in conf/textbook, reproduce the closed forms of bargainsim.analysis.textbook.

Every comparison runs a PleaModel over controlled cases (conftest.make_case: a guilty suspect at liberty, no
victim, aggravation or mitigation) that span a grid of conviction probabilities p and trial sentences S, once
per combination of trial costs c_p, c_d, bargaining power β or discount factors δ_p, δ_d. Sentences agree with
the closed forms within SENTENCE_TOLERANCE months: the Nash solution is found by golden-section search to 1e-12
relative, the Rubinstein equilibrium by backward induction truncated at 400 rounds (error ≤ (δ_p·δ_d)^200 of the
surplus, below 1e-9 on this grid), both far inside the tolerance.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from conftest import make_case, population, run_cases
from hydra import compose, initialize_config_dir

from bargainsim.analysis import textbook
from bargainsim.core.offenses import CATALOGUE
from bargainsim.core.procedure.negotiation import subgame_perfect_gains
from bargainsim.harness.config import config_dir, settings_from_config
from bargainsim.params import ConfigError

SENTENCE_TOLERANCE = 1e-6
"""Months: the simulated recommendation must equal the closed form to this precision."""

PRESETS = ("risk_neutral", "landes_shared", "landes_private", "nash", "nash_asymmetric", "rubinstein")
PROBABILITIES = (0.3, 0.55, 0.8)
SENTENCES = (6.0, 15.0, 24.0, 60.0)
COSTS = ((0.5, 0.5), (2.0, 1.0), (1.0, 3.0), (4.0, 0.25))
"""(c_p, c_d) in months."""

THEFT = next(o for o in CATALOGUE if o.name == "theft")  # statutory range 1–36 months
PICKING_QUARRELS = next(o for o in CATALOGUE if o.name == "picking_quarrels")  # 1–60 months


def preset(name: str):
    """The (rules, behaviour) of a textbook preset composed as the command line does: textbook=NAME."""
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = compose("config", overrides=[f"textbook={name}", "reform=baseline"])
    settings = settings_from_config(cfg)
    return settings.arms[0].rules, settings.behaviour


def grid_cases() -> list:
    """One controlled case per (p, S); S is the guideline starting point, inside the offense's range."""
    cases = []
    for i, (p, s) in enumerate(itertools.product(PROBABILITIES, SENTENCES)):
        offense = THEFT if s <= THEFT.statutory_max else PICKING_QUARRELS
        cases.append(make_case(case_id=i, arrival_day=i // 5, offense=offense, conviction_probability=p,
                               start_months=s))
    return cases


def simulate(name: str, **behaviour_changes: float):
    """Run the grid under a preset with some behaviour changed; the records sorted by case_id."""
    rules, behaviour = preset(name)
    return run_cases(grid_cases(), rules, dataclasses.replace(behaviour, **behaviour_changes))


def interior(p_p: float, p_d: float, s: float, c_p: float, c_d: float) -> bool:
    """The bargaining range [r_p, r_d] lies inside [0, S], where the closed forms hold without truncation."""
    return textbook.prosecutor_reservation(p_p, s, c_p) >= 0.0 and textbook.defense_reservation(p_d, s, c_d) <= s


@pytest.mark.parametrize("name", PRESETS)
def test_presets_compose_and_validate(name):
    rules, behaviour = preset(name)
    assert behaviour.risk_aversion == 1.0 and behaviour.risk_heterogeneity == 0.0
    assert behaviour.trial_costs == "given"
    if name != "risk_neutral":
        assert behaviour.recommendation_limits == "none"
        assert rules.misdemeanor_protocol == rules.felony_protocol != "consultation"


@pytest.mark.parametrize("c_p,c_d", COSTS)
def test_shadow_of_trial_shared_beliefs_never_goes_to_trial(c_p, c_d):
    frame = simulate("landes_shared", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d)
    assert not frame["tried"].any()
    assert frame["pleaded"].all()
    # The single offer is the defendant's reservation pS + c_d, capped at S.
    expected = [min(textbook.defense_reservation(p, s, c_d), s) for p, s in itertools.product(PROBABILITIES,
                                                                                              SENTENCES)]
    assert frame["recommendation_months"].tolist() == pytest.approx(expected, abs=SENTENCE_TOLERANCE)


OFFSETS = ((0.15, -0.15), (0.05, -0.2), (0.15, 0.0), (0.0, -0.07))
"""(prosecutor's, defendant's) belief offsets: p_p = p + offset, p_d = p + offset."""


@pytest.mark.parametrize("c_p,c_d", COSTS)
@pytest.mark.parametrize("offset_p,offset_d", OFFSETS)
def test_shadow_of_trial_private_beliefs_trials_exactly_when_optimism_exceeds_costs(c_p, c_d, offset_p, offset_d):
    frame = simulate("landes_private", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d,
                     belief_offset_prosecutor=offset_p, belief_offset_defense=offset_d)
    for (p, s), tried in zip(itertools.product(PROBABILITIES, SENTENCES), frame["tried"]):
        p_p, p_d = p + offset_p, p + offset_d
        margin = (p_p - p_d) * s - (c_p + c_d)
        assert abs(margin) > 1e-6, "grid point on the boundary"
        assert tried == textbook.landes_trial(p_p, p_d, s, c_p, c_d), (p, s, margin)


def test_private_belief_grid_has_trials_and_pleas():
    """The grid above is informative: both outcomes occur (the boundary is crossed)."""
    outcomes = {textbook.landes_trial(p + op, p + od, s, c_p, c_d)
                for p, s, (c_p, c_d), (op, od) in itertools.product(PROBABILITIES, SENTENCES, COSTS, OFFSETS)}
    assert outcomes == {True, False}


@pytest.mark.parametrize("c_p,c_d", COSTS)
@pytest.mark.parametrize("power", (0.5, 0.25, 0.75))
def test_nash_bargaining_sentence(c_p, c_d, power):
    frame = simulate("nash", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d, bargaining_power=power)
    assert frame["pleaded"].all() and not frame["tried"].any()
    checked = 0
    for (p, s), months, imposed in zip(itertools.product(PROBABILITIES, SENTENCES), frame["recommendation_months"],
                                       frame["sentence_months"]):
        assert 0.0 <= months <= s + SENTENCE_TOLERANCE
        assert imposed == pytest.approx(months, abs=SENTENCE_TOLERANCE)  # the court adopts it
        if interior(p, p, s, c_p, c_d):
            checked += 1
            assert months == pytest.approx(textbook.nash_sentence(p, s, c_p, c_d, power), abs=SENTENCE_TOLERANCE)
            if power == 0.5:
                assert months == pytest.approx(p * s + (c_d - c_p) / 2.0, abs=SENTENCE_TOLERANCE)
    assert checked >= 8


def test_asymmetric_nash_preset_favours_the_stronger_prosecutor():
    symmetric, asymmetric = simulate("nash"), simulate("nash_asymmetric")
    rules, behaviour = preset("nash_asymmetric")
    surplus = behaviour.trial_cost_prosecutor_given + behaviour.trial_cost_defendant
    c_p, c_d = behaviour.trial_cost_prosecutor_given, behaviour.trial_cost_defendant
    inside = [interior(p, p, s, c_p, c_d) for p, s in itertools.product(PROBABILITIES, SENTENCES)]
    gap = (asymmetric["recommendation_months"] - symmetric["recommendation_months"])[inside]
    assert len(gap) >= 8
    assert gap.tolist() == pytest.approx([(behaviour.bargaining_power - 0.5) * surplus] * len(gap),
                                         abs=SENTENCE_TOLERANCE)


def test_nash_with_private_beliefs_splits_the_perceived_surplus():
    offset_p, offset_d, c_p, c_d = 0.05, -0.05, 2.0, 2.0
    frame = simulate("nash", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d,
                     belief_offset_prosecutor=offset_p, belief_offset_defense=offset_d)
    for (p, s), months, tried in zip(itertools.product(PROBABILITIES, SENTENCES), frame["recommendation_months"],
                                     frame["tried"]):
        p_p, p_d = p + offset_p, p + offset_d
        assert tried == textbook.landes_trial(p_p, p_d, s, c_p, c_d)
        if not tried and interior(p_p, p_d, s, c_p, c_d):
            assert months == pytest.approx(textbook.nash_sentence(p_p, s, c_p, c_d, 0.5, p_d),
                                           abs=SENTENCE_TOLERANCE)


DISCOUNTS = ((0.9, 0.8), (0.5, 0.95), (0.95, 0.5), (0.7, 0.7), (0.99, 0.9))


@pytest.mark.parametrize("c_p,c_d", COSTS)
@pytest.mark.parametrize("delta_p,delta_d", DISCOUNTS)
def test_rubinstein_share_with_immediate_agreement(c_p, c_d, delta_p, delta_d):
    frame = simulate("rubinstein", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d,
                     discount_prosecutor=delta_p, discount_defense=delta_d)
    assert frame["pleaded"].all() and (frame["rounds"] == 1).all()
    share = textbook.rubinstein_share(delta_p, delta_d)
    checked = 0
    for (p, s), months in zip(itertools.product(PROBABILITIES, SENTENCES), frame["recommendation_months"]):
        if interior(p, p, s, c_p, c_d):
            checked += 1
            r_p = textbook.prosecutor_reservation(p, s, c_p)
            assert (months - r_p) / (c_p + c_d) == pytest.approx(share, abs=SENTENCE_TOLERANCE)
            assert months == pytest.approx(textbook.rubinstein_sentence(p, s, c_p, c_d, delta_p, delta_d),
                                           abs=SENTENCE_TOLERANCE)
    assert checked >= 8


def test_alternating_offers_are_played_out_not_assumed():
    """The share emerges from backward induction: with one round the prosecutor's offer is an ultimatum and it
    takes the whole surplus, with two the defendant's threat to counter leaves it 1 − δ_d, and the finite-horizon
    shares converge to Rubinstein's geometrically."""
    delta_p, delta_d = 0.9, 0.8
    one = simulate("rubinstein", alternating_horizon=1)
    two = simulate("rubinstein", alternating_horizon=2)
    rules, behaviour = preset("rubinstein")
    c_p, c_d = behaviour.trial_cost_prosecutor_given, behaviour.trial_cost_defendant
    p, s = PROBABILITIES[1], SENTENCES[1]
    index = PROBABILITIES.index(p) * len(SENTENCES) + SENTENCES.index(s)
    r_p = textbook.prosecutor_reservation(p, s, c_p)
    assert one["recommendation_months"][index] == pytest.approx(r_p + (c_p + c_d), abs=SENTENCE_TOLERANCE)
    assert two["recommendation_months"][index] == pytest.approx(r_p + (1 - delta_d) * (c_p + c_d),
                                                                abs=SENTENCE_TOLERANCE)
    errors = [abs(subgame_perfect_gains(1.0, delta_p, delta_d, horizon)[0] - textbook.rubinstein_share(delta_p,
                                                                                                          delta_d))
              for horizon in (10, 20, 40)]
    assert errors[0] > errors[1] > errors[2] > 0.0
    assert errors[2] <= (delta_p * delta_d) ** 20 + 1e-15


def test_textbook_presets_on_a_drawn_population():
    """On the main job's case mix (hidden aggravation, mitigation, victims, detention, felonies) the
    shared-belief presets still bring every case to a plea: both sides know p and, under full and mutual
    disclosure, the same trial sentence."""
    cases = population(400, seed=11)
    for name in ("landes_shared", "nash", "rubinstein"):
        rules, behaviour = preset(name)
        frame = run_cases(cases, rules, behaviour)
        assert not frame["tried"].any() and not frame["non_prosecution"].any(), name
        assert (frame["suspect_belief"] == frame["prosecutor_belief"]).all(), name
        truth = frame["conviction_probability"].clip(0.01, 0.99)
        assert (frame["suspect_belief"] - truth).abs().max() < 1e-12, name


def test_textbook_parameters_are_validated_before_any_simulation():
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = compose("config", overrides=["textbook=rubinstein", "reform=baseline", "behaviour.discount_defense=1.0"])
        with pytest.raises(ConfigError, match=r"behaviour\.discount_defense = 1\.0 is outside the allowed range"):
            settings_from_config(cfg)
        cfg = compose("config", overrides=["textbook=nash", "rules.felony_protocol=haggle"])
        with pytest.raises(ConfigError, match=r"rules\.felony_protocol = 'haggle'.*take_it_or_leave_it, nash, "
                                              r"alternating"):
            settings_from_config(cfg)
