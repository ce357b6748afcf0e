"""The defense's choices (core/defense.py): a strategy that answers with the model's own rule changes nothing; a
strategy's answers take effect at each decision point and only where the rules allow them; bad answers are refused."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from conftest import build_model, frame_of, make_cases

from bargainsim.core.defense import OPTIONS, Answer, Decision, Defense
from bargainsim.core.district import build_district
from bargainsim.params import Behaviour, Caseload, Rules, Timing
from bargainsim.reporting.narration import Transcriber

EVERY_POINT = Rules(misdemeanor_protocol="dialogue", signature="tripartite", withdrawal_before_indictment=True,
                    duty_lawyer_role="advocate")
"""Rules under which every decision point of the defense is reached."""


class Asked(Defense):
    """The model's own answers, with every decision asked kept by case."""

    def __init__(self) -> None:
        self.asked: dict[int, list[Decision]] = {}

    def choose(self, suspect, decision: Decision) -> Answer:
        self.asked.setdefault(suspect.case.case_id, []).append(decision)
        return decision.default


class Always(Defense):
    """The same action wherever it is allowed (otherwise the rule's answer)."""

    def __init__(self, **actions: str) -> None:
        self.actions = actions

    def choose(self, suspect, decision: Decision) -> Answer:
        action = self.actions.get(decision.point)
        return Answer(action) if action in decision.options else decision.default


def _played(cases, defense: Defense, rules: Rules | None = None, trackers=()):
    """A model over controlled cases whose defense's choices ``defense`` makes."""
    model = build_model(cases, rules, trackers=trackers)
    model.defense = defense
    return model


def _district(rules: Rules, defense: Defense | None, trackers=(), n: int = 500, seed: int = 3):
    return build_district(rules, Behaviour(), Caseload(innocent_share=0.2), Timing(), n, seed, trackers=trackers,
                          defense=defense)


@pytest.mark.parametrize("rules", [Rules(), EVERY_POINT], ids=["status_quo", "every_point"])
def test_a_strategy_that_answers_with_the_rule_changes_nothing(rules: Rules) -> None:
    """Every record is the same with and without a strategy that gives the default answers, and under rules that
    reach every point each point is asked of some case."""
    plain = list(_district(rules, None).run())
    asked = Asked()
    played = list(_district(rules, asked).run())
    assert repr(played) == repr(plain)   # every value, NaN included
    points = Counter(d.point for decisions in asked.asked.values() for d in decisions)
    expected = set(OPTIONS) if rules == EVERY_POINT else {"offer", "sign", "appeal"}
    assert set(points) == expected, points


def test_each_point_is_asked_when_the_procedure_reaches_it() -> None:
    """A signature only after an agreement at the table, a withdrawal only of a signed plea, an appeal only of a
    conviction; the rule's default answer is what the record shows; an offer comes with the moves so far."""
    asked = Asked()
    records = {row["case_id"]: row for row in _district(EVERY_POINT, asked, [Transcriber()]).run()}
    for case_id, row in records.items():
        decisions = asked.asked.get(case_id, [])
        points = [d.point for d in decisions]
        assert (points.count("withdraw") == 1) == row["signed"], (case_id, points)
        assert ("appeal" in points) == row["convicted"], (case_id, points)
        assert (points[-1:] == ["appeal"]) == row["convicted"]
        if "appeal" in points:
            assert (decisions[-1].default.action == "appeals") == row["appealed"]
        if row["negotiated"]:
            assert points[0] == "offer" and decisions[0].round == 1
            offers = [d for d in decisions if d.point == "offer"]
            assert all(d.options == ("accepts", "refuses") for d in offers if d.final)
            assert all(d.moves and d.moves[-1].party == "prosecutor" for d in offers)
        else:
            assert "offer" not in points and "sign" not in points


def test_a_defense_that_refuses_every_offer_goes_to_trial() -> None:
    """No plea is signed and every negotiated case is tried; with the rule's answers most cases plead."""
    plain = frame_of(build_model(make_cases(40)))
    refused = frame_of(_played(make_cases(40), Always(offer="refuses")))
    assert plain["pleaded"].mean() > 0.8
    assert not refused["signed"].any() and refused["negotiated"].all() and refused["tried"].all()
    assert (refused["rounds"] == 1).all()


def test_refusing_to_sign_an_accepted_deal_and_appealing() -> None:
    """A suspect that accepts at the table but will not sign is tried; one that appeals every conviction appeals
    each."""
    unsigned = frame_of(_played(make_cases(30), Always(sign="refuses")))
    assert unsigned["negotiated"].all() and not unsigned["signed"].any() and unsigned["tried"].all()
    appealing = frame_of(_played(make_cases(30), Always(appeal="appeals")))
    assert appealing["convicted"].any()
    assert (appealing["appealed"] == appealing["convicted"]).all()


class HalfCounter(Defense):
    """Counters or proposes ``share`` of the offer wherever it may, accepts the last word."""

    def __init__(self, share: float) -> None:
        self.share = share

    def choose(self, suspect, decision: Decision) -> Answer:
        if decision.point != "offer":
            return decision.default
        counter = next((a for a in decision.options if a in ("counters", "proposes")), None)
        if counter is None:
            return Answer("accepts")
        return Answer(counter, self.share * decision.months)


@pytest.mark.parametrize("protocol", ["consultation", "dialogue"])
def test_a_counter_proposal_is_the_defense_s_own(protocol: str) -> None:
    """The defense's months are the ones on the table: its counter (consultation) or every proposal (dialogue)
    is the share of the offer it chose, and the talks go past the first round."""
    transcriber = Transcriber()
    frame = frame_of(_played(make_cases(20), HalfCounter(0.5), Rules(misdemeanor_protocol=protocol), [transcriber]))
    assert (frame["rounds"] >= 2).all() and frame["signed"].all()
    for suspect in transcriber.suspects.values():
        moves = suspect.talks.moves
        for before, move in zip(moves, moves[1:]):
            if move.action in ("counters", "proposes"):
                assert move.months == pytest.approx(0.5 * before.months)


class LastWordCounter(Defense):
    """Counters half of every offer, the last word included (where only accepting or refusing is allowed)."""

    def choose(self, suspect, decision: Decision) -> Answer:
        return Answer("counters", 0.5 * decision.months) if decision.point == "offer" else decision.default


class Shrugs(Defense):
    def choose(self, suspect, decision: Decision) -> Answer:
        return Answer("shrugs") if decision.point == "sign" else decision.default


@pytest.mark.parametrize("defense, message", [
    (LastWordCounter(), r"offer: 'counters' is not allowed here; allowed: accepts, refuses$"),
    (Shrugs(), r"sign: 'shrugs' is not allowed here; allowed: signs, refuses$"),
])
def test_a_bad_answer_is_refused_with_the_allowed_ones(defense: Defense, message: str) -> None:
    model = _played(make_cases(3), defense)
    with pytest.raises(ValueError, match=message):
        model.run()


@pytest.mark.parametrize("months", [-1.0, math.nan, 1e6])
def test_a_counter_proposal_outside_zero_to_the_offer_is_refused(months: float) -> None:
    class Wild(Defense):
        def choose(self, suspect, decision):
            return Answer("counters", months) if decision.point == "offer" and not decision.final \
                else decision.default

    model = _played(make_cases(3), Wild())
    with pytest.raises(ValueError, match="a counter-proposal must be at least 0 and below the offer"):
        model.run()
