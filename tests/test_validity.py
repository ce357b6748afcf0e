"""The mechanics behind the empirical regularities the model must be able to reproduce (docs/validation.md): graded
choices, a second instance that ends appeals, a court that deviates both ways, counsel that matters.

Controlled cases (``conftest.make_case``) isolate one mechanism; drawn populations of 3,000 cases check the
regularity the mechanism produces, each with its tolerance stated beside the assertion.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import build_model, frame_of, make_case, population, run_cases

from bargainsim.core.procedure.court import Court, CourtConduct
from bargainsim.core.sentencing import Terms
from bargainsim.core.trackers import Tracker
from bargainsim.decisions import acceptance_probability
from bargainsim.params import Behaviour, Caseload, Guideline, Rules

SEED = 23
N = 3000


@pytest.fixture(scope="module")
def pop():
    """The default case mix, 3,000 cases."""
    return population(N, seed=SEED)


class Offers(Tracker):
    """Keeps each negotiated case's offer, reservation and taste as the prosecutor decided."""

    def __init__(self) -> None:
        self.seen: dict[int, tuple[float, float, float, float]] = {}

    def decided(self, suspect) -> None:
        views = suspect.views
        if suspect.talks.negotiated:
            self.seen[suspect.case.case_id] = (suspect.talks.opening, views.reservation, suspect.taste,
                                               views.defense_trial)


# -- graded choice ---------------------------------------------------------------------------------------------

def taste_grid(n: int, **overrides) -> list:
    """Controlled cases alike but for the suspect's taste draw ``u_choice``, on the grid of its quantiles."""
    return [make_case(**{**overrides, "case_id": i, "arrival_day": i // 5, "u_choice": (i + 0.5) / n})
            for i in range(n)]


@pytest.mark.parametrize("p", (0.55, 0.7, 0.85))
def test_acceptance_of_one_offer_is_logit_in_the_reservation(p):
    """Suspects alike but for their taste accept a take-it-or-leave-it recommendation in the share the logit
    rule gives (within the grid's resolution, 1/n plus one case), and the share is graded, not 0 or 1."""
    n = 400
    behaviour = Behaviour(consultation_rounds=1, choice_noise=0.1, prosecution_threshold=0.0)
    terms = Offers()
    frame = frame_of(build_model(taste_grid(n, conviction_probability=p), behaviour=behaviour, trackers=[terms]))
    opening, reservation, taste, trial = terms.seen[0]
    assert len({round(t[0], 9) for t in terms.seen.values()}) == 1          # one offer for all
    want = acceptance_probability(opening, reservation - taste * trial, trial, 0.1)
    assert frame.pleaded.mean() == pytest.approx(want, abs=2.0 / n)
    deterministic = run_cases(taste_grid(n, conviction_probability=p),
                              behaviour=dataclasses.replace(behaviour, choice_noise=0.0))
    assert deterministic.pleaded.mean() in (0.0, 1.0)


def test_acceptance_falls_as_the_offer_rises():
    """The same suspects facing a harsher offer (a smaller plea discount) accept less often: choice is monotone
    in the offer, one case at a time (their tastes are the same draws)."""
    n = 400
    cases = taste_grid(n, conviction_probability=0.7)
    once = Behaviour(consultation_rounds=1)
    generous = run_cases(cases, Rules(guideline=Guideline(usual_share=1.0)), behaviour=once)
    stingy = run_cases(cases, Rules(guideline=Guideline(usual_share=0.25)), behaviour=once)
    assert (stingy.pleaded <= generous.pleaded).all()
    assert generous.pleaded.mean() > stingy.pleaded.mean() + 0.05


# -- the second instance ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def appeals(pop):
    """The status quo with appeals and protests frequent enough to count (10× the calibrated strategic appeal)."""
    behaviour = Behaviour(strategic_appeal=0.3, protest_strategic=0.6, trial_appeal=0.6, protest_acquittal=0.6)
    return run_cases(pop, behaviour=behaviour)


def test_a_defendants_own_appeal_never_brings_a_heavier_sentence(appeals):
    """上诉不加刑: among judgments appealed but not protested, none ends heavier; protests can, and do."""
    unprotested = appeals[appeals.appealed & ~appeals.protested]
    assert len(unprotested) > 100
    assert (unprotested.final_sentence_months <= unprotested.sentence_months + 1e-9).all()
    protested = appeals[appeals.protested]
    assert (protested.second_instance == "increased").sum() + (protested.second_instance == "convicted").sum() > 10


def test_the_second_instance_revises_real_grievances_only(appeals):
    """Revisions in the defendant's favour go to sentences above the signed terms and to innocents' convictions;
    every unchallenged case keeps its first-instance sentence."""
    reduced = appeals[appeals.second_instance == "reduced"]
    assert len(reduced) > 0 and not reduced.honoured.astype(bool).any()
    assert (reduced.final_sentence_months <= reduced.recommendation_months * 1.1 + 1e-9).all()
    acquitted = appeals[appeals.second_instance == "acquitted"]
    assert not acquitted.guilty.any()
    quiet = appeals[~appeals.appealed & ~appeals.protested]
    assert (quiet.second_instance == "none").all()
    assert np.allclose(quiet.final_sentence_months, quiet.sentence_months)


def test_a_likely_protest_deters_strategic_appeals(pop):
    """The protest that can take the plea discount back deters appeals without a grievance: the more likely a
    protest is upheld, the fewer pleaded defendants appeal (same cases, same draws)."""
    lenient = run_cases(pop, behaviour=Behaviour(strategic_appeal=0.3, protest_strategic=0.8, protest_upheld=0.0))
    strict = run_cases(pop, behaviour=Behaviour(strategic_appeal=0.3, protest_strategic=0.8, protest_upheld=0.9))
    pleaded = lenient.pleaded & strict.pleaded
    assert strict.appealed[pleaded].mean() < lenient.appealed[pleaded].mean() - 0.1


# -- the court deviates both ways ------------------------------------------------------------------------------

def test_a_recommendation_is_improper_when_too_lenient_as_when_too_harsh():
    """CPL art. 201 both ways: beyond the tolerance on either side of the court's view, the recommendation is
    not adopted as it stands; within it, it is."""
    court = Court(1, 6.0, CourtConduct.of(Behaviour(impropriety_tolerance=0.25)), "formal", Terms.of(Guideline()))
    lenient = court.rule(6.0, True, 10.0, u_adjust=0.99, floor=5.0, ceiling=12.0)
    harsh = court.rule(12.0, True, 8.0, u_adjust=0.99, floor=5.0, ceiling=12.0)
    fine = court.rule(9.0, True, 10.0, u_adjust=0.99, floor=5.0, ceiling=12.0)
    assert not lenient.adopted and lenient.sentence == 10.0 and not lenient.honoured
    assert not harsh.adopted and harsh.sentence == 8.0 and harsh.honoured
    assert fine.adopted and fine.sentence == 9.0


def test_compensation_left_unpaid_makes_the_court_sentence_above_the_recommendation():
    """A heard victim compensated and forgiving earns the suspect a large credit; unpaid at the hearing, the
    credit and the forgiveness are gone, and the court finds the recommendation too lenient."""
    cases = [make_case(case_id=i, arrival_day=i, has_victim=True, ability_to_pay=2.0, u_forgive=0.0,
                       u_default=u) for i, u in enumerate((0.99, 0.0))]
    behaviour = Behaviour(compensation_default=0.5, prosecution_threshold=0.0)
    paid, unpaid = run_cases(cases, Rules(victim_participation=True), behaviour=behaviour).itertuples()
    assert paid.pleaded and unpaid.pleaded and paid.compensated and not unpaid.compensated
    assert unpaid.compensation_unpaid and not paid.compensation_unpaid
    assert paid.recommendation_months == pytest.approx(unpaid.recommendation_months)
    assert not paid.deviated and paid.sentence_months == pytest.approx(paid.recommendation_months)
    assert unpaid.deviated and unpaid.sentence_months > unpaid.recommendation_months * 1.2


def test_court_deviations_go_both_ways_on_a_population(pop):
    """At the calibrated defaults the court sentences some pleas above and some below the recommendation; with its
    own judgment spread wider (court_noise 0.3) each direction is a substantial share (over 15% of hundreds)."""
    calibrated = run_cases(pop)
    deviated = calibrated[calibrated.pleaded & calibrated.deviated]
    heavier = (~deviated.honoured.astype(bool)).sum()
    assert heavier >= 10 and len(deviated) - heavier >= 10, (heavier, len(deviated))
    frame = run_cases(pop, behaviour=Behaviour(court_noise=0.3))
    deviated = frame[frame.pleaded & frame.deviated]
    assert len(deviated) > 200
    assert 0.15 < (~deviated.honoured.astype(bool)).mean() < 0.85


# -- counsel matters -------------------------------------------------------------------------------------------

def expected_sentence_of_the_guilty(frame) -> float:
    """Mean over guilty defendants of the sentence they can expect: the final sentence of a plea, a trial's
    conviction probability times its sentence (the trial's luck averaged out), nothing if not prosecuted."""
    expected = np.where(frame.tried, frame.conviction_probability * frame.trial_sentence_months,
                        frame.final_sentence_months)
    return float(expected[frame.guilty.to_numpy()].mean())


def test_better_counsel_lowers_the_expected_sentence_of_the_guilty_monotonically():
    """On identical cases, all defended by retained counsel from arrest, each step up in the roster's median
    quality (each lawyer better: common random numbers) lowers guilty defendants' expected sentence."""
    caseload = Caseload(retained_share=1.0)
    cases = population(N, caseload, seed=SEED)
    means = [expected_sentence_of_the_guilty(run_cases(cases, caseload=caseload,
                                                       behaviour=Behaviour(lawyer_quality_retained=q)))
             for q in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert all(worse > better for worse, better in zip(means, means[1:])), means


def test_advocacy_and_preparation_lower_the_expected_sentence_of_the_guilty(pop):
    """Duty lawyers who advocate (argue the counter-proposal, read the file for their client) do better for the
    guilty than endorsers; given a preparation period, better still (same cases)."""
    means = {(role, days): expected_sentence_of_the_guilty(run_cases(pop, Rules(duty_lawyer_role=role,
                                                                                 preparation_days=days)))
             for role in ("endorse", "advocate") for days in (0, 10)}
    assert means["advocate", 0] < means["endorse", 0] and means["advocate", 10] < means["endorse", 10], means
    assert means["advocate", 10] < means["advocate", 0], means


def test_assessment_pressure_lets_the_prosecutor_concede_beyond_the_guideline():
    """Under plea-rate assessment a prosecutor will go below the guideline's floor (by kpi_leeway of the base per
    unit of pressure) for a weak case, and a court may then find the recommendation too lenient."""
    from bargainsim.decisions import prosecutor_position
    free = prosecutor_position(24.0, 0.3, 2.0, low=6.0, high=36.0)
    pressed = prosecutor_position(24.0, 0.3, 2.0, low=6.0, high=36.0, leeway=0.05)
    assert pressed.floor == pytest.approx(free.floor - 0.05 * 24.0)
    assert pressed.reservation == pytest.approx(pressed.floor)
    assert pressed.reservation < free.reservation
    strong = prosecutor_position(24.0, 0.95, 2.0, low=6.0, high=36.0, leeway=0.05)
    assert strong.reservation == prosecutor_position(24.0, 0.95, 2.0, low=6.0, high=36.0).reservation
    court = Court(1, 6.0, CourtConduct.of(Behaviour(impropriety_tolerance=0.25)), "formal", Terms.of(Guideline()))
    below = court.rule(pressed.reservation, True, free.floor, u_adjust=0.99, floor=free.floor, ceiling=free.opening)
    assert not below.adopted and not below.lawful and below.sentence > pressed.reservation
