"""The stages of the procedure as units: their plain functions by hand, the trackers' events, the slices of
behaviour, the record's sources, and the time limits the review stage sets."""

from __future__ import annotations

import dataclasses
import math

import pytest
from conftest import build_model, make_cases

from bargainsim.core.agents import Suspect
from bargainsim.core.conduct import SET_UP_FIELDS, Conduct
from bargainsim.core.district import build_district
from bargainsim.core.procedure.appeal import AppealConduct, challenges, deterrence, second_instance
from bargainsim.core.procedure.information import InformationConduct, belief_noise, information_share, signal
from bargainsim.core.procedure.tracks import TrackProcedure
from bargainsim.core.procedure.voluntariness import VoluntarinessWeights, assess, plea_terms
from bargainsim.core.record import FIELDS, SOURCES
from bargainsim.core.state import (
    NO_TALKS,
    NOT_PLEADED,
    UNASSESSED,
    UNDECIDED,
    UNFORMED,
    UNSIGNED,
    Agreement,
    Talks,
    Verdict,
    Views,
    Voluntariness,
)
from bargainsim.core.trackers import EVENTS, Tracker
from bargainsim.params import Behaviour, Caseload, Rules, Timing


class Log(Tracker):
    """Every event of every case, in the order the model announces them, with the day."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int, int]] = []

    def _log(self, event: str, suspect: Suspect) -> None:
        self.events.append((event, suspect.case.case_id, suspect.model.day))

    def admitted(self, suspect: Suspect) -> None:
        self._log("admitted", suspect)

    def decided(self, suspect: Suspect) -> None:
        self._log("decided", suspect)

    def reconsidered(self, suspect: Suspect) -> None:
        self._log("reconsidered", suspect)

    def plea_rejected(self, suspect: Suspect) -> None:
        self._log("plea_rejected", suspect)

    def closed(self, suspect: Suspect) -> None:
        self._log("closed", suspect)


def test_trackers_hear_every_case_at_each_point_of_its_procedure_in_order() -> None:
    log = Log()
    rules = Rules(withdrawal_before_indictment=True, judicial_review="substantive")
    model = build_district(rules, Behaviour(), Caseload(), Timing(), 600, seed=5, trackers=[log])
    records = {row["case_id"]: row for row in model.run()}
    by_case: dict[int, list[str]] = {}
    days: dict[int, list[int]] = {}
    for event, case_id, day in log.events:
        by_case.setdefault(case_id, []).append(event)
        days.setdefault(case_id, []).append(day)
    assert by_case.keys() == records.keys()
    assert {event for event, _, _ in log.events} == set(EVENTS)
    for case_id, events in by_case.items():
        row = records[case_id]
        assert events[0] == "admitted" and events[-1] == "closed" and events.count("closed") == 1
        assert events.count("decided") == 1 and events.index("decided") < events.index("closed")
        assert events.count("reconsidered") == int(row["signed"])
        assert events.count("plea_rejected") == int(row["plea_rejected"])
        assert days[case_id] == sorted(days[case_id])
        assert days[case_id][-1] - days[case_id][0] == row["days_to_disposition"]
    assert sum(row["plea_rejected"] for row in records.values()) > 0
    assert sum(row["withdrew"] for row in records.values()) > 0


def test_a_tracker_that_keeps_moves_changes_nothing_but_the_moves() -> None:
    class Moves(Tracker):
        moves = True

    rules = Rules(misdemeanor_protocol="dialogue", felony_protocol="dialogue")
    plain = build_district(rules, Behaviour(), Caseload(), Timing(), 300, seed=2)
    traced = build_district(rules, Behaviour(), Caseload(), Timing(), 300, seed=2, trackers=[Moves()])
    assert not plain.trace and traced.trace
    assert repr(list(plain.run())) == repr(list(traced.run()))


def test_each_slice_reads_its_fields_by_name_and_every_parameter_is_read() -> None:
    behaviour = Behaviour(overstatement=0.2, court_noise=0.3, weight_informed=0.5, trial_appeal=0.4)
    conduct = Conduct.of(behaviour)
    read = set(SET_UP_FIELDS)
    for part in dataclasses.fields(conduct):
        piece = getattr(conduct, part.name)
        for field in dataclasses.fields(piece):
            assert getattr(piece, field.name) == getattr(behaviour, field.name), (part.name, field.name)
            read.add(field.name)
    assert conduct.prosecutor.overstatement == 0.2 and conduct.court.court_noise == 0.3
    assert read == {f.name for f in dataclasses.fields(Behaviour)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        conduct.court.court_noise = 0.0


def test_the_record_reads_every_column_from_a_named_place() -> None:
    assert set(SOURCES) == set(FIELDS)
    suspect = Suspect(build_model(make_cases(1)), make_cases(1)[0], Conduct.of(Behaviour()).suspect)
    for name in FIELDS:
        head = SOURCES[name].split(".")[0]
        assert hasattr(suspect, head), (name, SOURCES[name])


def test_plea_terms_by_hand() -> None:
    # opening 10, target 6: settling at 8 closes half the gap; one defense move per two prosecutor moves; an
    # accepted ultimatum 1 month above the defense's last proposal presses by 1/8
    assert plea_terms(10.0, 6.0, 8.0, 1, 2, True, 7.0) == pytest.approx((0.5, 0.5, 0.125))
    # terms at or below the defense's own target: full voice; no ultimatum: no deadline pressure
    assert plea_terms(10.0, 6.0, 6.0, 0, 1, False, 6.0) == pytest.approx((1.0, 1.0, 0.0))
    # the opening at or below the target: no gap to close
    assert plea_terms(6.0, 6.0, 6.0, 0, 1, True, 6.0)[0] == 0.0


def test_voluntariness_by_hand() -> None:
    weights = VoluntarinessWeights.of(Behaviour(weight_informed=0.5, weight_uncoerced=0.25,
                                                weight_participatory=0.25))
    v = assess(weights, belief=0.7, truth=0.8, detention_pressure=0.2, deadline_pressure=0.5,
               overstatement_pressure=0.0, voice=1.0, influence=0.5)
    pressure = 1.0 - 0.8 * 0.5
    assert v.informed == pytest.approx(0.9) and v.pressure == pytest.approx(pressure)
    assert v.uncoerced == pytest.approx(1.0 - pressure) and v.participatory == pytest.approx(0.75)
    assert v.index == pytest.approx(0.5 * 0.9 + 0.25 * (1.0 - pressure) + 0.25 * 0.75)


def test_appeals_and_protests_follow_the_disposition() -> None:
    c = AppealConduct.of(Behaviour(strategic_appeal=0.1, regret_appeal=0.5, trial_appeal=0.3, protest_strategic=0.4,
                                   protest_acquittal=0.2, protest_upheld=0.5))
    # after a plea: a strategic appeal (u < 0.1 deterred by a protest upheld, 0.4·0.5: u < 0.08), more with regret
    # (u < 0.08 + 0.5·regret)
    assert deterrence(c) == pytest.approx(0.2)
    assert challenges(c, True, True, 0.0, 0.079, 0.0)[0] and not challenges(c, True, True, 0.0, 0.081, 0.0)[0]
    assert challenges(c, True, True, 0.0, 0.05, 0.0) == (True, True)       # no grievance: protested
    assert challenges(c, True, True, 0.0, 0.15, 0.0) == (False, False)
    assert challenges(c, True, True, 0.2, 0.15, 0.0) == (True, False)      # regret: appealed, not protested
    # after a trial: convictions are appealed, acquittals protested
    assert challenges(c, False, True, 0.0, 0.25, 0.0) == (True, False)
    assert challenges(c, False, False, 0.0, 0.0, 0.15) == (False, True)
    assert challenges(c, False, False, 0.0, 0.0, 0.25) == (False, False)


def test_the_second_instance_never_aggravates_on_the_defendants_appeal_alone() -> None:
    """上诉不加刑 (CPL art. 237): an appeal alone never brings a heavier sentence; a protest can; real grievances
    are revised."""
    c = AppealConduct.of(Behaviour(protest_upheld=0.5, revision_grievance=0.6, revision_wrongful=0.3))
    for u in (0.0, 0.2, 0.55, 0.9, 0.999):
        for guilty in (True, False):
            for grievance in (True, False):
                outcome, months = second_instance(c, True, guilty, True, grievance, False, 10.0, 9.0, 14.0, u)
                assert months <= 10.0 and outcome in ("upheld", "reduced")
    # a plea sentence above the signed 9 months without new facts is reduced to them with chance 0.6
    assert second_instance(c, True, True, True, True, False, 10.0, 9.0, 14.0, 0.59) == ("reduced", 9.0)
    assert second_instance(c, True, True, True, True, False, 10.0, 9.0, 14.0, 0.61) == ("upheld", 10.0)
    # above the signed terms on new facts (no grievance): upheld
    assert second_instance(c, True, True, True, False, False, 10.0, 9.0, 14.0, 0.0) == ("upheld", 10.0)
    # a protested appeal without a grievance loses the plea discount with chance 0.5
    assert second_instance(c, True, True, True, False, True, 9.0, 9.0, 14.0, 0.49) == ("increased", 14.0)
    assert second_instance(c, True, True, True, False, True, 9.0, 9.0, 14.0, 0.51) == ("upheld", 9.0)
    # after a trial: an innocent's conviction quashed with chance 0.3, a guilty one's never
    assert second_instance(c, False, False, True, False, False, 14.0, math.nan, 14.0, 0.29) == ("acquitted", 0.0)
    assert second_instance(c, False, True, True, False, False, 14.0, math.nan, 14.0, 0.0) == ("upheld", 14.0)
    # a protested acquittal of a guilty defendant becomes a conviction with chance 0.5, of an innocent never
    assert second_instance(c, False, True, False, False, True, 0.0, math.nan, 14.0, 0.49) == ("convicted", 14.0)
    assert second_instance(c, False, False, False, False, True, 0.0, math.nan, 14.0, 0.0) == ("upheld", 0.0)


def test_disclosure_rules_order_the_information_and_the_noise() -> None:
    conduct = InformationConduct.of(Behaviour())
    shares = [information_share(rule, conduct) for rule in ("none", "core", "full")]
    assert shares[0] < shares[1] < shares[2] == 1.0
    noise = [belief_noise(1.0, 0.15, share, 0.8) for share in shares]
    assert noise[0] > noise[1] > noise[2] == pytest.approx(1.0 - 0.85 * 0.8)
    assert signal(0.8, 0.0, 3.0) == pytest.approx(0.8) and signal(0.8, 0.0, 0.0, 0.5) == 0.99
    assert signal(0.5, 1.0, 1.0) == pytest.approx(1.0 / (1.0 + math.exp(-1.0)))


def test_each_track_has_its_own_procedure() -> None:
    rules, behaviour, timing = Rules(felony_protocol="dialogue", misdemeanor_offer="schedule"), Behaviour(), Timing()
    felony = TrackProcedure.of("felony", rules, behaviour, timing)
    misdemeanor = TrackProcedure.of("misdemeanor", rules, behaviour, timing)
    assert (felony.protocol, misdemeanor.protocol) == ("dialogue", "consultation")
    assert misdemeanor.schedule_offer and not felony.schedule_offer
    assert felony.investigation_days == math.ceil(timing.investigation_days_felony)
    assert felony.review_hours > misdemeanor.review_hours
    assert felony.preparation_hours == behaviour.preparation_hours_felony


def test_the_decision_waits_for_the_review_and_the_guaranteed_preparation() -> None:
    class Days(Tracker):
        def __init__(self) -> None:
            self.on: dict[int, tuple[int, Suspect]] = {}

        def decided(self, suspect: Suspect) -> None:
            self.on[suspect.case.case_id] = (suspect.model.day, suspect)

    days = Days()
    timing = Timing()
    model = build_district(Rules(preparation_days=10), Behaviour(), Caseload(), timing, 400, seed=3, trackers=[days])
    model.run()
    waited = 0
    for day, suspect in days.on.values():
        case = suspect.case
        transferred = case.arrival_day + suspect.procedure.investigation_days
        assert day >= transferred
        assert suspect.deadline == transferred + timing.review_limit(case.track, case.base_months)
        if suspect.counsel is not None and suspect.counsel_joined in ("investigation", "review"):
            assert day >= suspect.counsel_day + 10
            waited += day > transferred
    assert waited > 100


def test_the_shared_defaults_of_case_state_are_never_written() -> None:
    """Every stage makes its own state object before writing: after runs under every rule that changes state
    later (withdrawal, tripartite signature, substantive review), the shared defaults are as declared."""
    rules = Rules(withdrawal_before_indictment=True, signature="tripartite", duty_lawyer_role="advocate",
                  judicial_review="substantive", public_observation=True)
    build_district(rules, Behaviour(), Caseload(), Timing(), 800, seed=9).run()
    assert (UNFORMED, NO_TALKS, UNSIGNED, UNASSESSED, UNDECIDED) == (Views(), Talks(), Agreement(), Voluntariness(),
                                                                     Verdict())
    assert all(math.isnan(getattr(NOT_PLEADED, f.name)) for f in dataclasses.fields(Voluntariness))
