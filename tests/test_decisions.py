"""The standalone decision rules (bargainsim.core.decisions): their documented examples hold, they have the
properties the shadow-of-trial model gives them, and the agents decide through them."""

from __future__ import annotations

import doctest
import math
from pathlib import Path

import pytest
from conftest import build_model, make_case
from hypothesis import given
from hypothesis import strategies as st

from bargainsim import decisions
from bargainsim.analysis import textbook
from bargainsim.core import decisions as core_decisions
from bargainsim.core.agents import Prosecutor, ProsecutorConduct, Suspect, SuspectConduct
from bargainsim.core.sentencing import Terms
from bargainsim.params import STAGES, Behaviour, Guideline

probability = st.floats(0.01, 0.99)
months = st.floats(0.5, 240.0)
cost = st.floats(0.0, 24.0)
rho = st.floats(0.5, 4.0)
share = st.floats(0.0, 1.0)
guidelines = st.builds(Guideline, plea_cap=share, ladder_step=st.floats(0.0, 0.5), total_cap=share,
                       usual_share=share, customary_cap=share)
STATUS_QUO_CAPS = Guideline().plea_caps()


@pytest.mark.parametrize("module", (core_decisions, textbook))
def test_documented_examples_hold(module):
    result = doctest.testmod(module)
    assert result.attempted >= 3
    assert result.failed == 0


def test_the_public_module_is_the_core_one():
    """``bargainsim.decisions`` (the public surface) offers exactly the core's decision rules."""
    for name in decisions.__all__:
        assert getattr(decisions, name) is getattr(core_decisions, name)
    defined = {name: value for name, value in vars(core_decisions).items() if not name.startswith("_")}
    public = {name for name, value in defined.items()
              if callable(value) and getattr(value, "__module__", None) == core_decisions.__name__}
    assert public <= set(decisions.__all__)


@given(probability, months, cost)
def test_risk_neutral_reservation_is_expected_sentence_plus_trial_cost(p, s, c):
    assert decisions.suspect_reservation(p, s, c) == pytest.approx(p * s + c)
    assert decisions.suspect_reservation(p, s, c) == pytest.approx(textbook.defense_reservation(p, s, c))


@given(probability, probability, months, cost, rho)
def test_reservation_rises_with_belief(p, q, s, c, r):
    low, high = sorted((p, q))
    assert decisions.suspect_reservation(low, s, c, r) <= decisions.suspect_reservation(high, s, c, r) + 1e-12


@given(probability, months, cost, st.floats(1.01, 4.0))
def test_risk_aversion_raises_what_a_suspect_bears(p, s, c, r):
    """Risk-averse over prison months (ρ > 1), a suspect prefers the certain plea: its reservation is higher."""
    assert decisions.suspect_reservation(p, s, c, r) >= decisions.suspect_reservation(p, s, c, 1.0) - 1e-12


@given(months, months, months)
def test_accepts_exactly_the_bearable_offers(offer, reservation, planned):
    assert decisions.suspect_accepts(offer, reservation) == (offer <= reservation + decisions.TOLERANCE)
    assert decisions.suspect_accepts(offer, reservation, planned, final=False) == (
        offer <= min(reservation, planned) + decisions.TOLERANCE)


@given(months, probability, cost, st.sampled_from(STAGES), share)
def test_prosecutor_position_stays_in_the_guideline_band(base, belief, c, stage, share):
    position = decisions.prosecutor_position(base, belief, c, stage=stage, share=share)
    assert STATUS_QUO_CAPS == {"investigation": 0.30, "review": 0.20, "trial": 0.10}
    assert position.trial_sentence == pytest.approx(base)
    assert position.floor == pytest.approx(base * (1.0 - STATUS_QUO_CAPS[stage]))
    assert position.opening == pytest.approx(base * (1.0 - STATUS_QUO_CAPS[stage] * share))
    assert position.floor - 1e-9 <= position.reservation <= position.opening + 1e-9
    assert position.trial_value == pytest.approx(belief * base - c)
    assert decisions.prosecutor_wants_plea(position) == (position.opening >= position.trial_value)


@given(months, probability, cost, st.sampled_from(STAGES), guidelines)
def test_any_guideline_bounds_the_position_by_its_stage_cap_and_usual_discount(base, belief, c, stage, guideline):
    """Without mitigation the floor gives the stage's whole cap and the opening the usual share of the cap the
    usual discount refers to (the stage's, or the customary ladder's if lower), inside the statutory range."""
    position = decisions.prosecutor_position(base, belief, c, 1.0, 240.0, stage, guideline=guideline)
    cap = guideline.plea_caps()[stage]
    usual = min(guideline.plea_cap, guideline.customary_cap) + {"investigation": 1, "review": 0, "trial": -1}[stage] \
        * guideline.ladder_step
    usual = min(max(usual, 0.0), cap)
    assert position.floor == pytest.approx(min(max(base * (1.0 - cap), 1.0), 240.0))
    assert position.opening == pytest.approx(min(max(base * (1.0 - guideline.usual_share * usual), 1.0), 240.0))
    assert position.floor - 1e-9 <= position.reservation <= position.opening + 1e-9
    assert position == decisions.prosecutor_position(base, belief, c, 1.0, 240.0, stage,
                                                     guideline=Terms.of(guideline))


@given(months, probability, cost)
def test_unbounded_position_is_the_textbook_reservation(base, belief, c):
    position = decisions.prosecutor_position(base, belief, c, bounded=False)
    assert (position.floor, position.opening) == (0.0, pytest.approx(base))
    assert position.reservation == pytest.approx(min(max(textbook.prosecutor_reservation(belief, base, c), 0.0),
                                                     base))
    assert decisions.prosecutor_wants_plea(position)


def test_statutory_range_bounds_the_position():
    position = decisions.prosecutor_position(10.0, 0.9, 1.0, low=9.5, high=36.0)
    assert position.floor == 9.5 and position.opening == 9.5 and position.reservation == 9.5


def test_agents_decide_through_the_rules():
    """The Suspect's reservation and acceptance and the Prosecutor's position are the standalone rules applied
    to the agent's own attitude and the case's facts."""
    behaviour = Behaviour()
    model = build_model([make_case()])
    for z, guilty in ((0.0, True), (1.3, True), (-0.7, False)):
        suspect = Suspect(model, make_case(z_risk=z, guilty=guilty), SuspectConduct.of(behaviour))
        assert suspect.risk_aversion == pytest.approx(behaviour.risk_aversion * math.exp(0.25 * z))
        innocence = 0.0 if guilty else behaviour.innocence_cost
        for belief, trial_sentence, c in ((0.9, 12.0, 1.0), (0.4, 30.0, 3.5)):
            assert suspect.reservation(belief, trial_sentence, c) == decisions.suspect_reservation(
                belief, trial_sentence, c, suspect.risk_aversion, innocence)
    assert Suspect.accepts(7.0, 7.5, 8.0, False) and not Suspect.accepts(7.0, 6.5, 8.0, False)
    prosecutor = Prosecutor(model, ProsecutorConduct.of(behaviour), 1.0, model.guideline, 6.0)
    args = (14.0, 1.0, 36.0, 0.85, 0.05, 0.1, "review", 3.0)
    got = prosecutor.position(*args, schedule=False, victim_opposed=False)
    want = decisions.prosecutor_position(14.0, 0.85, 3.0, 1.0, 36.0, "review", Guideline().usual_share, 0.05, 0.1,
                                         leeway=behaviour.kpi_leeway * 1.0)
    assert got == want
    assert Prosecutor.wants_plea(got) == decisions.prosecutor_wants_plea(want)


def test_given_trial_costs_ignore_detention_hours_and_workload():
    behaviour = Behaviour(trial_costs="given", trial_cost_defendant=1.5, trial_cost_prosecutor_given=2.5)
    model = build_model([make_case()])
    given = Suspect(model, make_case(detained=True), SuspectConduct.of(behaviour))
    assert given.trial_cost(behaviour.detention_venue_factor) == 1.5
    institutional = Behaviour()
    detained = Suspect(model, make_case(detained=True), SuspectConduct.of(institutional))
    assert detained.trial_cost(1.0) == institutional.trial_cost_defendant + institutional.detention_cost
    prosecutor = Prosecutor(model, ProsecutorConduct.of(behaviour), 2.0, model.guideline, 6.0)
    assert prosecutor.trial_cost(12.0, 1.0) == 2.5
    assert Prosecutor(model, ProsecutorConduct.of(institutional), 2.0, model.guideline, 6.0).trial_cost(12.0, 1.0) \
        > 2.5


def test_model_document_examples_hold():
    """The API examples in docs/model.md run as written."""
    path = Path(__file__).resolve().parents[1] / "docs" / "model.md"
    result = doctest.testfile(str(path), module_relative=False)
    assert result.attempted >= 4
    assert result.failed == 0
