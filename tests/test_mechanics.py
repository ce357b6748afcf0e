"""Each mechanic of DOMAIN.md shown working: a lever pulled on the same cases moves what it should.

Every comparison runs two rule settings over the *same* cases (controlled cases from ``conftest.make_case`` or a
drawn population) with the same institution stream, so differences are attributable to the lever (common random
numbers). Statistical claims use populations of 3,000 cases; each states its tolerance next to the assertion.
Population tests share runs through module-scoped fixtures to keep the file fast.
"""

from __future__ import annotations

import dataclasses

import mesa
import numpy as np
import pandas as pd
import pytest
from conftest import build_model, frame_of, make_case, modify, population, run_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from bargainsim.core import sentencing
from bargainsim.core.agents import Position, Prosecutor, ProsecutorConduct, Suspect, SuspectConduct
from bargainsim.core.offenses import CATALOGUE
from bargainsim.core.procedure.negotiation import Bargaining, Consultation, Dialogue
from bargainsim.core.trackers import Tracker
from bargainsim.params import Behaviour, Caseload, Guideline, Rules

SEED = 11
N = 3000
B = Behaviour()
OFFENSES = {o.name: o for o in CATALOGUE}


# -- shared populations and runs --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pop():
    """The default case mix, 3,000 cases."""
    return population(N, seed=SEED)


@pytest.fixture(scope="module")
def status_quo(pop):
    return run_cases(pop)


@pytest.fixture(scope="module")
def innocent_caseload():
    """A case mix with 30% innocent suspects, so innocents are numerous enough to compare."""
    return Caseload(innocent_share=0.3)


@pytest.fixture(scope="module")
def innocent_pop(innocent_caseload):
    return population(N, innocent_caseload, seed=SEED)


@pytest.fixture(scope="module")
def innocent_status_quo(innocent_pop, innocent_caseload):
    return run_cases(innocent_pop, caseload=innocent_caseload)


def grid_cases(n_z: int = 21, **overrides) -> list:
    """Controlled cases that differ only in the defense's belief draw ``z_defense`` (a symmetric grid)."""
    zs = np.linspace(-2.0, 2.0, n_z)
    return [make_case(**{**overrides, "case_id": i, "arrival_day": i // 5, "z_defense": float(z)})
            for i, z in enumerate(zs)]


def a_model() -> mesa.Model:
    return mesa.Model(rng=np.random.default_rng(0))


# -- 1. disclosure shrinks belief error -----------------------------------------------------------------------

def _abs_error(frame: pd.DataFrame) -> float:
    return float(frame.belief_error.abs().mean())


def test_disclosure_shrinks_belief_error_on_controlled_cases():
    # Evidence 0.7 keeps beliefs away from the 0.99 clip, so the error is the signal's noise plus any
    # overstatement the suspect believes; an advocate's client decides on its lawyer's reading, drawn alike.
    cases = [dataclasses.replace(case, z_lawyer=case.z_defense) for case in grid_cases(conviction_probability=0.7)]
    err = {d: _abs_error(run_cases(cases, Rules(disclosure=d))) for d in ("none", "core", "full")}
    assert err["none"] > err["core"] > err["full"], err
    capable = Behaviour(lawyer_quality_duty=0.9)
    adv = {d: _abs_error(run_cases(cases, Rules(disclosure=d, duty_lawyer_role="advocate"), capable))
           for d in ("none", "core", "full")}
    assert adv["none"] > adv["core"] > adv["full"], adv
    # a capable advocate turns the disclosed file into a much better belief: the none→full gap widens
    assert adv["none"] - adv["full"] > (err["none"] - err["full"]) + 0.02, (adv, err)


@pytest.fixture(scope="module")
def disclosure_runs(pop):
    return {d: run_cases(pop, Rules(disclosure=d)) for d in ("none", "core", "full")}


def test_disclosure_shrinks_belief_error_on_the_default_population(disclosure_runs):
    # The spec's claim on the status-quo case mix and counsel arrangements (duty lawyers at review, endorsing).
    # 3,000 paired cases; differences of a few thousandths are far above the pairing noise.
    err = {d: _abs_error(f) for d, f in disclosure_runs.items()}
    assert err["none"] > err["core"] > err["full"], err


def test_capable_advocates_widen_the_disclosure_gap_on_the_default_population(pop, disclosure_runs):
    # Without overstatement the errors are pure signal noise, whose reduction by disclosure scales with the
    # capacity to read the file (quality x preparation, hence the preparation period). (With overstatement,
    # advocates also shrink the error under no disclosure by urging scepticism, which narrows the gap from the
    # other side.)
    honest = Behaviour(overstatement=0.0, kpi_overstatement=0.0)
    capable = dataclasses.replace(honest, lawyer_quality_duty=0.9)
    adv = {d: _abs_error(run_cases(pop, Rules(disclosure=d, duty_lawyer_role="advocate", preparation_days=10),
                                   capable))
           for d in ("none", "full")}
    err = {d: _abs_error(run_cases(pop, Rules(disclosure=d), honest)) for d in ("none", "full")}
    assert adv["none"] - adv["full"] > err["none"] - err["full"] + 0.002, (adv, err)
    # retained counsel (advocates, quality ~0.75) already read the disclosed file well
    retained = disclosure_runs["none"].lawyer_type == "retained"
    r_none = disclosure_runs["none"].belief_error[retained].abs().mean()
    r_full = disclosure_runs["full"].belief_error[retained].abs().mean()
    assert r_none - r_full > 0.01, (r_none, r_full)   # ~600 retained cases; observed gap ~0.02


# -- 2. overstatement only where nobody can check ---------------------------------------------------------------

def _room(frame: pd.DataFrame) -> pd.Series:
    """Cases where the prosecutor's own belief leaves room to overstate (a statement of strength cannot exceed
    near-certainty, 0.99)."""
    return frame.prosecutor_belief < 0.99 - 1e-6


def test_overstatement_present_without_file_access(status_quo):
    most = B.overstatement + B.kpi_overstatement * Rules().kpi_pressure
    room = _room(status_quo)
    assert room.mean() > 0.5
    assert (status_quo.overstatement[room] > 0.0).all()
    assert (status_quo.overstatement <= most + 1e-12).all()
    assert (status_quo.prosecutor_belief + status_quo.overstatement <= 0.99 + 1e-9).all()


@pytest.mark.parametrize("disclosure", ["core", "full"])
def test_overstatement_vanishes_when_a_prepared_lawyer_can_check(pop, disclosure):
    # Duty lawyers only at trial: retained counsel (present since investigation) checks the stated strength,
    # suspects without counsel at the negotiation cannot.
    frame = run_cases(pop, Rules(disclosure=disclosure, duty_lawyer_stage="trial"))
    with_counsel = frame.lawyer_stage.isin(["investigation", "review"])
    assert with_counsel.sum() > 300 and (~with_counsel).sum() > 1000
    assert (frame.overstatement[with_counsel] == 0.0).all()
    unchecked = ~with_counsel & _room(frame)
    assert unchecked.sum() > 500
    assert (frame.overstatement[unchecked] > 0.0).all()
    # with duty lawyers at review every suspect has prepared counsel at the table: no overstatement at all
    assert (run_cases(pop, Rules(disclosure=disclosure)).overstatement == 0.0).all()


def test_observer_presence_removes_overstatement(pop):
    frame = run_cases(pop, Rules(public_observation=True))
    observed = frame.observed
    assert observed.sum() > 500
    assert (frame.overstatement[observed] == 0.0).all()
    unobserved = ~observed & frame.negotiated & _room(frame)
    assert unobserved.sum() > 300
    assert (frame.overstatement[unobserved] > 0.0).all()


# -- 3. detention makes worse offers acceptable -----------------------------------------------------------------

def test_detention_raises_the_suspects_reservation():
    model = a_model()
    free = Suspect(model, make_case(detained=False), SuspectConduct.of(B))
    held = Suspect(model, make_case(detained=True), SuspectConduct.of(B))
    assert free.trial_cost(1.0) == pytest.approx(B.trial_cost_defendant)
    assert held.trial_cost(1.0) == pytest.approx(B.trial_cost_defendant + B.detention_cost)
    # negotiating inside the detention centre amplifies the pressure
    assert held.trial_cost(B.detention_venue_factor) > held.trial_cost(1.0)
    for belief in (0.3, 0.6, 0.9):
        r_free = free.reservation(belief, 12.0, free.trial_cost(1.0))
        r_held = held.reservation(belief, 12.0, held.trial_cost(1.0))
        assert r_held - r_free == pytest.approx(B.detention_cost)


def test_detained_suspects_plead_at_least_as_often_on_controlled_cases():
    cases = [make_case(case_id=i, arrival_day=i // 5, conviction_probability=float(p), z_defense=float(z))
             for i, (p, z) in enumerate((p, z) for p in np.linspace(0.6, 0.95, 8) for z in np.linspace(-1.5, 1.5, 7))]
    free = run_cases(cases)
    held = run_cases(modify(cases, detained=True))
    assert not (free.signed & ~held.signed).any(), "a case signed at liberty but refused in detention"
    assert held.signed.sum() > free.signed.sum()


def test_detention_raises_the_plea_rate_on_a_population(pop):
    free = run_cases(modify(pop, detained=False))
    held = run_cases(modify(pop, detained=True))
    # 3,000 paired cases: observed +2 points ; require +1
    assert held.signed.mean() > free.signed.mean() + 0.01
    assert held.pleaded.mean() > free.pleaded.mean() + 0.01
    # paired: detention turns far more refusals into pleas than the reverse (the reverse only through
    # system feedback such as lawyers' loads)
    assert (held.signed & ~free.signed).sum() > 10 * max(1, (free.signed & ~held.signed).sum())


# -- 4. two-way initiation ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def without_kpi(pop):
    """Prosecutor-only initiation without assessment pressure: prosecutors leave more cases unopened, so what
    two-way initiation changes is numerous enough to count."""
    return run_cases(pop, Rules(kpi_pressure=0.0))


def test_two_way_initiation_lets_the_defense_open(pop, status_quo, without_kpi):
    assert (status_quo.initiated_by == "defense").sum() == 0
    status_quo = without_kpi
    two_way = run_cases(pop, Rules(initiation="two_way", kpi_pressure=0.0))
    share = (two_way.initiated_by == "defense").mean()
    assert share > 0.05, share
    # cases the prosecutor would not open (and does not decline to prosecute) get negotiated on the defense's
    # application
    unopened = (status_quo.initiated_by == "none") & ~status_quo.non_prosecution
    assert unopened.sum() > 30
    assert not status_quo.negotiated[unopened].any()
    assert two_way.negotiated[unopened].mean() > 0.5
    # nearly all by the defense's application; a few the prosecutor now opens itself because fewer trials leave
    # it busier (trial hours load its calendar, raising its cost of trying a case)
    opened = two_way.initiated_by[unopened & two_way.negotiated]
    assert (opened == "defense").mean() > 0.9, opened.value_counts()


# -- 5. defense proposals move the terms in dialogue, not in consultation -----------------------------------------

def test_dialogue_gives_the_defense_influence(pop, status_quo):
    dialogue = run_cases(pop, Rules(misdemeanor_protocol="dialogue", felony_protocol="dialogue"))
    consult = status_quo.defense_influence.mean()
    talk = dialogue.defense_influence.mean()
    assert consult < 0.05, consult      # observed ~0.003
    assert talk > 0.15, talk            # observed ~0.37


def _table(position: Position, *, reservation: float, target: float, rounds: int, adoption: float = 0.0,
           reposition=None, tactic: float = 1.0, concession: float = 1.0, chips_known: bool = False) -> Bargaining:
    prosecutor = Prosecutor(a_model(), ProsecutorConduct.of(Behaviour(concession_prosecutor=concession)), 1.0,
                            sentencing.Terms.of(Guideline()), 6.0)
    return Bargaining(prosecutor, position, reposition or (lambda: position), chips_known, adoption, 0.5,
                 reservation, target, rounds, tactic)


POS = Position(trial_sentence=12.0, floor=6.0, opening=10.0, reservation=6.0, trial_value=5.0)


def test_consultation_without_adoption_keeps_the_opening():
    out = Consultation().negotiate(_table(POS, reservation=8.0, target=4.0, rounds=2, adoption=0.0))
    assert out.months == 10.0 and not out.agreed and out.rounds == 2
    assert out.last_defense == 4.0 and not out.chips_adopted
    # an opening within the defense's reservation is accepted at once
    out = Consultation().negotiate(_table(POS, reservation=10.0, target=4.0, rounds=2))
    assert out.agreed and out.months == 10.0 and out.rounds == 1


def test_consultation_adopted_counter_goes_to_the_revised_reservation():
    revised = Position(12.0, 6.0, 10.0, 7.0, 5.0)
    out = Consultation().negotiate(_table(POS, reservation=8.0, target=4.0, rounds=2, adoption=1.0,
                                          reposition=lambda: revised))
    assert out.chips_adopted and out.agreed and out.months == 7.0   # max(revised reservation 7, counter 4)


def test_dialogue_meets_in_the_middle_with_linear_tactics():
    # offers 10, 9.2, 8.4, 7.6, 6.8, 6 ; defense proposals 4, 5, 6, 7, 8, 9: after round 4 the defense's 7 is
    # at least the prosecutor's next offer 6.8, so the prosecutor accepts 7.
    out = Dialogue().negotiate(_table(POS, reservation=9.0, target=4.0, rounds=6, tactic=1.0, concession=1.0))
    assert out.agreed and out.months == pytest.approx(7.0) and out.rounds == 4 and not out.ultimatum
    assert out.defense_moves == 4


def test_dialogue_ends_at_the_prosecutors_reservation_in_the_final_round():
    # A defense that barely concedes (tactic 0.05) never meets the prosecutor before the deadline; the final
    # offer is the prosecutor's reservation, which the defense (reservation 9) accepts.
    out = Dialogue().negotiate(_table(POS, reservation=9.0, target=4.0, rounds=6, tactic=0.05, concession=1.0))
    assert out.agreed and out.months == pytest.approx(POS.reservation) and out.rounds == 6 and out.ultimatum


def test_dialogue_fails_when_the_defense_reservation_is_below_the_prosecutors():
    for tactic in (0.05, 1.0, 5.0):
        out = Dialogue().negotiate(_table(POS, reservation=5.5, target=4.0, rounds=6, tactic=tactic))
        assert not out.agreed and out.rounds == 6 and out.months == pytest.approx(POS.reservation)


# -- 6. signatures and withdrawal --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tripartite(pop):
    return run_cases(pop, Rules(signature="tripartite"))


def test_tripartite_agreements_carry_three_signatures(status_quo, tripartite):
    pleas = tripartite[tripartite.pleaded]
    assert len(pleas) > 1000
    assert pleas.suspect_signed.all() and pleas.lawyer_signed.all() and pleas.prosecutor_signed.all()
    assert not tripartite.lawyer_signed[~tripartite.pleaded].any()
    assert status_quo.suspect_signed[status_quo.pleaded].all()
    assert not status_quo.lawyer_signed.any() and not status_quo.prosecutor_signed.any()


def test_advocates_refuse_deals_that_endorsers_sign():
    # Over-pessimistic suspects (high z_defense) whose lawyer sees the case differently (z_lawyer).
    cases = [make_case(case_id=i, arrival_day=i // 5, conviction_probability=p, z_defense=float(zd),
                       z_lawyer=float(zl))
             for i, (p, zd, zl) in enumerate((p, zd, zl) for p in (0.7, 0.8, 0.9)
                                             for zd in np.linspace(-1, 2, 7) for zl in np.linspace(-2, 1, 7))]
    refusals = {}
    for role in ("endorse", "advocate"):
        alone = run_cases(cases, Rules(signature="suspect", duty_lawyer_role=role))
        three = run_cases(cases, Rules(signature="tripartite", duty_lawyer_role=role))
        refused = alone.signed & (~three.signed | (three.rounds > alone.rounds))
        refusals[role] = int(refused.sum())
        # a refusal either loses the deal or reprices it at the prosecutor's reservation (never higher)
        repriced = refused & three.signed
        assert (three.recommendation_months[repriced] <= alone.recommendation_months[repriced] + 1e-9).all()
    assert refusals["endorse"] == 0
    assert refusals["advocate"] > 10, refusals


def test_withdrawal_only_where_allowed_and_ends_in_a_lower_deal_or_a_trial(pop, status_quo):
    assert not status_quo.withdrew.any()
    assert not run_cases(pop, Rules(signature="tripartite", duty_lawyer_role="advocate")).withdrew.any()
    signed_at: dict[int, float] = {}     # the recommendation each case carried into reconsideration

    class Signatures(Tracker):
        def decided(self, suspect) -> None:
            if suspect.agreement.signed:
                signed_at[suspect.case.case_id] = suspect.agreement.recommendation

    allowed = frame_of(build_model(pop, Rules(withdrawal_before_indictment=True), trackers=[Signatures()]))
    withdrew = allowed.withdrew
    assert withdrew.sum() > 30
    assert allowed.signed[withdrew].all()
    assert set(allowed.case_id[withdrew]) <= set(signed_at)
    resigned = withdrew & allowed.pleaded
    tried = withdrew & ~allowed.pleaded
    assert resigned.sum() > 0 and tried.sum() > 0
    for case_id, months in zip(allowed.case_id[resigned], allowed.recommendation_months[resigned]):
        assert months < signed_at[case_id], (case_id, months, signed_at[case_id])
    assert allowed.tried[tried].all()


# -- 7. substantive review -------------------------------------------------------------------------------------

def test_substantive_review_rejects_involuntary_or_unfounded_pleas(pop):
    formal = run_cases(pop, Rules(judicial_review="formal"))
    seen: dict[int, tuple[float, float]] = {}     # what the court saw in each plea it rejected

    class Rejections(Tracker):
        def plea_rejected(self, suspect) -> None:
            seen[suspect.case.case_id] = (suspect.voluntariness.index, suspect.case.conviction_probability)

    substantive = frame_of(build_model(pop, Rules(judicial_review="substantive"), trackers=[Rejections()]))
    n_formal, n_sub = int(formal.plea_rejected.sum()), int(substantive.plea_rejected.sum())
    assert n_sub > 100 and n_sub > 5 * n_formal, (n_formal, n_sub)   # detection 0.7 vs 0.05
    rejected = substantive[substantive.plea_rejected]
    assert set(rejected.case_id) == set(seen)
    for case_id in rejected.case_id:
        voluntariness, evidence = seen[case_id]
        assert voluntariness < B.involuntary_threshold or evidence < B.evidence_threshold
    assert rejected.tried.all() and not rejected.pleaded.any()
    assert (rejected.sentence_months[rejected.convicted] == rejected.trial_sentence_months[rejected.convicted]).all()


# -- 8. trials protect the innocent ----------------------------------------------------------------------------

def test_trials_convict_innocents_less_often(innocent_status_quo):
    tried = innocent_status_quo[innocent_status_quo.tried]
    rate = tried.groupby("guilty").convicted.mean()
    counts = tried.guilty.value_counts()
    assert counts[True] > 100 and counts[False] > 100
    # observed ~0.57 vs ~0.94; standard errors ~0.03, so a 0.2 margin is safe
    assert rate[False] < rate[True] - 0.2, rate.to_dict()


# -- 9. the sentencing guideline ---------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(base=st.floats(0.1, 400.0), low=st.floats(0.0, 120.0), width=st.floats(0.0, 240.0),
       plea=st.floats(0.0, 1.0), mitigation=st.floats(0.0, 1.0), victim=st.floats(0.0, 1.0))
def test_sentence_stays_in_range_and_discounts_at_most_60_percent(base, low, width, plea, mitigation, victim):
    high = low + width
    months = sentencing.sentence(base, low, high, plea, mitigation, victim, cap=Guideline().total_cap)
    assert low <= months <= high
    if low <= base <= high:
        assert months >= 0.4 * base - 1e-9          # combined reduction ≤ 60% (SPC/SPP 2021)
        assert months <= base + 1e-9


def test_victim_credits_and_stage_ladder_respect_the_guidance():
    caps = {(True, True): 0.40, (True, False): 0.30, (False, True): 0.20, (False, False): 0.0}   # DOMAIN.md §3
    terms = sentencing.Terms.of(Guideline())
    for key, cap in caps.items():
        assert 0.0 <= terms.victim_credit(*key) <= cap
    assert terms.victim_credit(False, False) == 0.0
    ladder = terms.plea_cap
    assert ladder["investigation"] > ladder["review"] > ladder["trial"] > 0.0
    assert ladder["investigation"] <= 0.30


def test_earlier_pleas_earn_larger_discounts(pop, status_quo):
    early = run_cases(pop, Rules(initiation="two_way", duty_lawyer_stage="investigation"))
    at_inv = early.pleaded & (early.plea_stage == "investigation")
    at_rev = status_quo.pleaded & (status_quo.plea_stage == "review")
    assert at_inv.sum() > 1000
    assert early.discount[at_inv].mean() > status_quo.discount[at_rev].mean() + 0.02   # observed ~0.25 vs 0.20
    both = at_inv & at_rev
    assert early.discount[both].mean() > status_quo.discount[both].mean() + 0.02      # the same cases
    for frame in (early, status_quo):
        low = frame.offense.map(lambda o: OFFENSES[o].statutory_min)
        high = frame.offense.map(lambda o: OFFENSES[o].statutory_max)
        convicted = frame.convicted
        assert (frame.sentence_months[convicted] >= low[convicted] - 1e-9).all()
        assert (frame.sentence_months[convicted] <= high[convicted] + 1e-9).all()


# -- 10. public observation ---------------------------------------------------------------------------------------

def test_observed_negotiations_are_dialogues_with_more_voluntary_pleas(pop, status_quo):
    observed_run = run_cases(pop, Rules(public_observation=True))
    observed = observed_run.observed
    assert observed.sum() > 500
    assert (observed_run.protocol[observed] == "dialogue").all()
    assert (observed_run.protocol[~observed & observed_run.negotiated] == "consultation").all()
    both = observed & observed_run.pleaded & status_quo.pleaded
    v_obs = observed_run.voluntariness[both]
    v_unobs = status_quo.voluntariness[both]
    # paired over >500 cases; observed ~0.81 vs ~0.54
    assert v_obs.mean() > v_unobs.mean() + 0.1
    assert (v_obs > v_unobs).mean() > 0.9


# -- 11. victim participation ----------------------------------------------------------------------------------

def test_victim_participation_compensates_and_satisfies_victims(pop, status_quo):
    heard = run_cases(pop, Rules(victim_participation=True))
    victims = status_quo.has_victim
    assert victims.sum() > 1000
    # observed compensation 0.22 → 0.59, satisfaction 0.39 → 0.74 on ~1,700 victims
    assert heard.compensated[victims].mean() > status_quo.compensated[victims].mean() + 0.15
    assert heard.victim_satisfaction[victims].mean() > status_quo.victim_satisfaction[victims].mean() + 0.1
    assert not heard.compensated[~victims].any()


# -- 12. non-prosecution ----------------------------------------------------------------------------------------

def test_innocents_are_declined_more_often_and_mutual_disclosure_helps(innocent_pop, innocent_caseload,
                                                                       innocent_status_quo):
    sq = innocent_status_quo
    rate = sq.groupby("guilty").non_prosecution.mean()
    assert rate[False] > rate[True] + 0.2, rate.to_dict()   # observed ~0.36 vs ~0.001
    mutual = run_cases(innocent_pop, Rules(mutual_disclosure=True), caseload=innocent_caseload)
    innocent = ~sq.guilty
    # ~900 innocents, paired; observed +0.05, require +0.02
    assert mutual.non_prosecution[innocent].mean() > sq.non_prosecution[innocent].mean() + 0.02
    # the guilty gain nothing from disclosing (the prosecutor has no blind spot on them)
    assert mutual.non_prosecution[~innocent].mean() <= sq.non_prosecution[~innocent].mean() + 0.002


def test_exculpatory_disclosure_by_capable_counsel_ends_a_weak_case():
    # An innocent suspect with evidence 0.46: the prosecutor's blind spot (+0.12) lifts its belief to 0.58, over
    # the 0.55 threshold; retained counsel (fully prepared, quality q) disclosing exculpatory material removes a
    # share q of the blind spot, enough for any q > 0.25.
    cases = [make_case(case_id=0, guilty=False, conviction_probability=0.46, retained=True)]
    assert not run_cases(cases).non_prosecution[0]
    assert run_cases(cases, Rules(mutual_disclosure=True)).non_prosecution[0]


# -- 13. early legal aid ----------------------------------------------------------------------------------------

def test_counsel_at_investigation_obtains_bail(pop, status_quo):
    early = run_cases(pop, Rules(duty_lawyer_stage="investigation"))
    detained = np.array([c.detained for c in pop])
    assert detained.sum() > 500
    assert not early.released_on_bail[~detained].any()
    duty_bail = early.released_on_bail & (early.lawyer_type == "duty")
    assert duty_bail.sum() > 30    # observed ~150 of ~1,300 detained
    no_retained = np.array([not c.retained for c in pop])
    assert not status_quo.released_on_bail[no_retained].any()
    assert status_quo.released_on_bail.sum() > 0           # retained counsel are present from the start
    assert (status_quo.lawyer_type[status_quo.released_on_bail] == "retained").all()


# -- 14. capacity -------------------------------------------------------------------------------------------------

def test_overloaded_prosecutors_are_reported(pop, caplog):
    with caplog.at_level("WARNING", logger="bargainsim.core.model"):
        run_cases(pop[:1500], Rules(), caseload=Caseload(n_prosecutors=12))
    assert any("over capacity" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING", logger="bargainsim.core.model"):
        run_cases(pop[:1500], Rules())
    assert not any("over capacity" in r.getMessage() for r in caplog.records)


# -- 15. the court's calendar, the record's consistency -----------------------------------------------------------

def test_trial_hours_load_the_calendars(pop, status_quo):
    more_trials = run_cases(pop, Rules(kpi_pressure=0.0))
    assert more_trials.tried.mean() > status_quo.tried.mean() + 0.05
    # trials take prosecutors' hours, so the queue new cases meet grows with the trial rate
    assert more_trials.backlog_at_arrival.mean() > status_quo.backlog_at_arrival.mean()


def test_plea_hearings_do_not_wait_behind_trials_booked_later(pop, status_quo):
    fewer_trials = run_cases(pop, Rules(initiation="two_way"))
    assert fewer_trials.tried.sum() < status_quo.tried.sum() - 15
    both = status_quo.pleaded & fewer_trials.pleaded & (fewer_trials.initiated_by == "prosecutor")
    assert both.sum() > 500
    # the same pleas, heard on the same docket: whether other cases go to trial barely moves them (< 1 day)
    gap = (status_quo.days_to_disposition[both] - fewer_trials.days_to_disposition[both]).abs().mean()
    assert gap < 1.0, gap


def test_court_never_adopts_a_plea_harsher_than_the_trial_sentence(status_quo):
    from bargainsim.core.procedure.court import Court, CourtConduct
    court = Court(1, 6.0, CourtConduct.of(Behaviour()), "formal", sentencing.Terms.of(Guideline()))
    ruling = court.rule(12.0, True, 8.5, u_adjust=0.99, floor=6.0, ceiling=10.0)
    assert not (ruling.adopted and not ruling.adjusted) and ruling.sentence == 8.5
    pleaded = status_quo[status_quo.pleaded]
    assert (pleaded.sentence_months <= pleaded.trial_sentence_months + 1e-9).all()


def test_honoured_means_no_harsher_than_the_signed_terms(status_quo):
    pleaded = status_quo[status_quo.pleaded]
    upper = np.where(pleaded.determinate.astype(bool), pleaded.recommendation_months,
                     pleaded.recommendation_months * 1.1)
    assert ((pleaded.sentence_months <= upper * (1 + 1e-9)) == pleaded.honoured.astype(bool)).all()
    # a court that finds the recommendation clearly improper mostly finds it too harsh (mitigation the defense
    # never presented), so broken promises are rarer than non-adoptions
    not_as_signed = ~pleaded.adopted.astype(bool) | pleaded.adjusted.astype(bool)
    assert (~pleaded.honoured.astype(bool)).mean() <= not_as_signed.mean()


def test_renegotiated_pleas_are_reassessed(pop):
    frame = run_cases(pop, Rules(withdrawal_before_indictment=True))
    resigned = frame[frame.withdrew & frame.pleaded]
    assert len(resigned) > 5
    # the new deal was struck on the defense's own late reading of the file: no overstatement believed
    assert (resigned.overstatement_pressure == 0.0).all()
    assert (resigned.deadline_pressure > 0.0).any()
    status_quo_hours = run_cases(pop).prosecutor_hours
    assert (frame.prosecutor_hours[resigned.index] > status_quo_hours[resigned.index]).mean() > 0.9


def test_plea_facts_are_recorded_only_for_pleas_and_negotiations(status_quo):
    assert (status_quo.plea_stage[~status_quo.pleaded] == "none").all()
    assert status_quo.suspect_belief[~status_quo.negotiated].isna().all()
    assert status_quo.suspect_belief[status_quo.negotiated].notna().all()
