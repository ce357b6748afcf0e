"""Arrival, transfer for review and the prosecutor's decision, compiled (as :mod:`.procedure.investigation`,
:mod:`.procedure.review`, :mod:`.procedure.victims`, :mod:`.procedure.observation`,
:mod:`.procedure.information` and :mod:`.procedure.initiation`)."""

from __future__ import annotations

from bargainsim.core.compiled import kernel
from bargainsim.core.compiled.decisions import (
    TOLERANCE,
    choice_taste,
    pleadable,
    reduces_charge,
    risk_exponent,
    sentence,
)
from bargainsim.core.compiled.information import form_views
from bargainsim.core.compiled.institution import (
    assign,
    book_prosecutor,
    least_busy,
    queued_days,
    schedule,
)
from bargainsim.core.compiled.layout import (
    BACKLOG_DAY,
    DAY,
    DECIDE,
    FILE,
    INVESTIGATION,
    JOINED,
    REVIEW,
    TRANSFER,
    TRIAL,
)
from bargainsim.core.compiled.talks import (
    court_position,
    negotiate,
    plea_range,
    prosecutor_position_at,
    round_hours,
)

ARREST, AT_REVIEW = JOINED.index("investigation"), JOINED.index("review")


@kernel
def backlog_today(d, p):
    """Mean queued days of work per prosecutor, as reckoned at the day's first arrival."""
    day = d.counters[DAY]
    if d.counters[BACKLOG_DAY] != day:
        queued = 0.0
        for k in range(d.prosecutors.shape[0]):
            queued += queued_days(d.prosecutors[k], day, p.hours_per_day)
        d.counters[BACKLOG_DAY] = day
        d.backlog[0] = queued / d.prosecutors.shape[0]
    return d.backlog[0]


@kernel
def admit(d, p, i):
    """A case arriving today: the suspect, counsel during investigation (who argues against detention), the
    victim; the file is transferred after the track's investigation period."""
    c, s = d.cases[i], d.st[i]
    s.risk_aversion = risk_exponent(p.risk_aversion, p.risk_heterogeneity, c.z_risk)
    s.taste = choice_taste(c.u_choice, p.choice_noise)
    s.detained = c.detained
    s.backlog = backlog_today(d, p)
    if c.retained:
        assign(d, i, True, ARREST)
    elif p.duty_stage == INVESTIGATION:
        assign(d, i, False, ARREST)
    if s.counsel >= 0 and s.detained and c.u_bail < p.bail_argument * d.lawyer_quality[s.counsel]:
        s.detained, s.released = False, True
    schedule(d, TRANSFER, d.counters[DAY] + p.investigation_days[c.track], i)


@kernel
def hear_victim(d, p, i):
    """Settle with the case's victim (:meth:`Victim.settle`); return the prosecutor hours it took."""
    c, s = d.cases[i], d.st[i]
    s.heard = heard = p.victim_participation or c.u_heard < p.victim_heard_status_quo
    if heard:
        s.compensated = c.ability_to_pay >= p.victim_acceptance_share
        s.paid = min(1.0, c.ability_to_pay) if s.compensated else 0.0
        chance = c.forgiveness
    else:
        s.compensated = c.u_restitution < p.self_restitution and c.ability_to_pay >= 1.0
        s.paid = 1.0 if s.compensated else 0.0
        chance = 0.5 * c.forgiveness
    s.forgiven = s.compensated and c.u_forgive < chance
    s.credit = p.victim_credit[2 * s.compensated + s.forgiven]
    return p.victim_hours if heard else 0.0


@kernel
def transfer(d, p, i):
    """The file arrives: a prosecutor, counsel, the victim heard, an observer invited; the decision is scheduled
    once the review and the defense's guaranteed preparation are done."""
    c, s = d.cases[i], d.st[i]
    day = d.counters[DAY]
    s.prosecutor = least_busy(d.prosecutors)
    if s.counsel < 0 and p.duty_stage == REVIEW:
        assign(d, i, False, AT_REVIEW)
    hours = p.review_hours[c.track]
    if c.has_victim:
        hours += hear_victim(d, p, i)
    ready = book_prosecutor(d, p, i, hours)
    if p.public_observation and c.u_eligible < p.observation_eligible and c.u_consent < p.observation_consent:
        s.observer = c.case_id % d.strictness.shape[0]
    if s.counsel >= 0:
        ready = max(ready, s.counsel_day + p.preparation_days)
    if c.track == 1:
        limit = p.review_limit[2]
    else:
        limit = p.review_limit[1] if c.base_months > 12.0 else p.review_limit[0]
    s.deadline = day + limit
    schedule(d, DECIDE, ready, i)


@kernel
def since_investigation(s):
    """Counsel has been at the suspect's side since investigation."""
    return s.counsel >= 0 and s.counsel_joined == ARREST


@kernel
def initiator(d, p, i, wants):
    """Who opens the talks (:func:`initiation.initiator`): 0 nobody, 1 the prosecutor, 2 the defense (3, the
    court, is decided in :func:`decide`)."""
    c, s = d.cases[i], d.st[i]
    prosecutor_wants = p.schedule_offer[c.track] or wants
    low, high = plea_range(c, s)
    going_rate = sentence(s.visible_base, low, high, p.usual_base[REVIEW] * p.usual_share, s.chips, s.credit,
                          p.combined_cap[REVIEW])
    defense_wants = going_rate <= s.reservation
    if p.two_way and defense_wants and (since_investigation(s) or not prosecutor_wants):
        return 2
    return 1 if prosecutor_wants else 0


@kernel
def decide(d, p, i):
    """The review's end: views, the decision to prosecute, the talks; the case is filed once they are over
    (:func:`initiation.decide`). Returns whether the case was dropped (to be closed)."""
    s = d.st[i]
    day = d.counters[DAY]
    form_views(d, p, i)
    s.non_prosecuted = s.prosecutor_belief < p.prosecution_threshold
    if s.non_prosecuted:
        return True
    c = d.cases[i]
    floor, opening, reservation_p, trial_value, trial_sentence = prosecutor_position_at(d, p, i, REVIEW,
                                                                                        s.prosecutor_belief)
    if reduces_charge(p.charge_bargaining, c.lesser_max, trial_value, floor):
        s.reduced_charge = True
        floor, opening, reservation_p, trial_value, trial_sentence = prosecutor_position_at(d, p, i, REVIEW,
                                                                                            s.prosecutor_belief)
    if not pleadable(floor, p.plea_limit):
        opened_by = 0
    elif p.court_led:
        consent = reservation_p
        floor, opening, reservation_p, trial_value, trial_sentence = court_position(d, p, i, TRIAL,
                                                                                    s.prosecutor_belief)
        opened_by = 3 if opening >= consent - TOLERANCE else 0
    else:
        opened_by = initiator(d, p, i, opening >= trial_value)
    if opened_by != 0:
        early = opened_by == 2 and since_investigation(s)
        stage = TRIAL if opened_by == 3 else INVESTIGATION if early else REVIEW
        negotiate(d, p, i, opened_by, stage, floor, opening, reservation_p, trial_value, trial_sentence)
    rounds = s.rounds
    hours = rounds * round_hours(s, p)
    if s.observer >= 0 and s.negotiated:
        hours += p.observation_hours
    done = book_prosecutor(d, p, i, hours) if hours else day
    schedule(d, FILE, max(done, day + max(0, rounds - 1)), i)
    return False
