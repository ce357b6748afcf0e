"""Filing (with reconsideration and withdrawal), the court's docket and hearing, appeal and protest, compiled (as
:mod:`.procedure.indictment`, :mod:`.procedure.withdrawal`, :mod:`.procedure.court`, :mod:`.procedure.victims`
and :mod:`.procedure.appeal`)."""

from __future__ import annotations

import math

from bargainsim.core.compiled import kernel
from bargainsim.core.compiled.decisions import (
    clamp,
    sentence,
    sentencing_chips,
)
from bargainsim.core.compiled.information import (
    court_trial_sentence,
    effort,
    lawyer_belief,
    reservation,
    suspect_belief,
    visible_base,
)
from bargainsim.core.compiled.institution import (
    assign,
    book,
    book_prosecutor,
    least_busy,
    schedule,
)
from bargainsim.core.compiled.layout import DAY, DOCKET, HEAR, JOINED, JUDGMENTS
from bargainsim.core.compiled.talks import (
    assess_plea,
    court_band,
    plea_range,
    round_hours,
)
from bargainsim.core.procedure.court import RANGE_HALF_WIDTH

AT_TRIAL = JOINED.index("trial")
UPHELD, REDUCED, INCREASED = JUDGMENTS.index("upheld"), JUDGMENTS.index("reduced"), JUDGMENTS.index("increased")
ACQUITTED, CONVICTED = JUDGMENTS.index("acquitted"), JUDGMENTS.index("convicted")


@kernel
def reconsider(d, p, i):
    """The signed plea reconsidered at indictment on the defense's late views; returns whether it was withdrawn
    and renegotiated (:func:`withdrawal.reconsider`)."""
    c, s = d.cases[i], d.st[i]
    lawyer = s.counsel
    capacity = d.lawyer_quality[lawyer] * effort(d, p, lawyer)
    chips = sentencing_chips(c.mitigation, p.file_mitigation, capacity)
    defense_trial = sentence(visible_base(c, p.indictment_information), c.statutory_min, c.statutory_max, 0.0,
                             chips, s.credit, p.total_cap)
    if d.lawyer_advocate[lawyer]:
        late = lawyer_belief(c, p, capacity, p.indictment_information)
    else:
        late = suspect_belief(c, p, p.indictment_information, d.lawyer_quality[lawyer], 0.0, c.z_late)
    late_reservation = reservation(c, s, p, late, defense_trial, s.trial_cost)
    months = s.recommendation
    s.regret = max(0.0, months - late_reservation) / months if months > 0.0 else 0.0
    if not p.withdrawal or not s.regret > 0.0:
        return False
    last_offer = s.position_reservation
    signs = last_offer <= late_reservation + 1e-9
    s.belief, s.bias = late, 0.0
    s.withdrew, s.regret, s.pleaded, s.recommendation = True, 0.0, signs, last_offer
    s.lawyer_signed = signs and s.lawyer_signed
    s.prosecutor_signed = signs and s.prosecutor_signed
    s.rounds, s.defense_moves, s.prosecutor_moves = s.rounds + 1, s.defense_moves + 1, s.prosecutor_moves + 1
    book_prosecutor(d, p, i, round_hours(s, p))
    assess_plea(d, p, i, True, s.target)
    return True


@kernel
def send_to_trial(d, p, i, day):
    """A contested case goes on the docket after the trial preparation period, with a duty lawyer if it has
    none."""
    if d.st[i].counsel < 0:
        assign(d, i, False, AT_TRIAL)
    schedule(d, DOCKET, day + p.trial_preparation_days, i)


@kernel
def file(d, p, i):
    """File the case: a renegotiation before indictment takes a day (:func:`indictment.file`)."""
    s = d.st[i]
    day = d.counters[DAY]
    if s.signed and reconsider(d, p, i):
        day += 1
    if s.pleaded:
        schedule(d, DOCKET, day, i)
    else:
        send_to_trial(d, p, i, day)


@kernel
def hearing(d, p, hours):
    """Book a hearing with the least-loaded judge; return the day it is held (:meth:`Court.schedule`)."""
    return book(d.judges, least_busy(d.judges), d.counters[DAY], hours, p.hours_per_day)


@kernel
def docket(d, p, i):
    """A judge books the hearing (and the prosecutor its trial time) (:func:`court.docket`)."""
    c, s = d.cases[i], d.st[i]
    if s.pleaded:
        hours = p.plea_hearing_hours[c.track]
    else:
        hours = p.trial_hours_court[c.track]
        book_prosecutor(d, p, i, p.trial_hours_prosecutor[c.track])
    s.court_hours += hours
    schedule(d, HEAR, hearing(d, p, hours), i)


@kernel
def rule_on_plea(d, p, i):
    """Adopt or adjust the recommendation, or sentence on the court's own view (:func:`court.rule_on_plea`,
    :meth:`Court.band`, :meth:`Court.rule`, :meth:`Court.presume`); returns whether the court rejected a binding
    agreement or was released from its own."""
    c, s = d.cases[i], d.st[i]
    pending = c.has_victim and s.heard and not s.compensated
    ranged = (pending or c.track == 1) and c.u_range < p.range_recommendation
    determinate = (p.tripartite or not ranged) and not p.court_led
    low, high = plea_range(c, s)
    floor, view, ceiling = court_band(d, p, i, s.plea_stage, s.chips, low, high)
    recommendation = s.recommendation
    if p.court_led:
        below, above = recommendation * (1.0 - p.court_range), recommendation
    else:
        width = 0.0 if determinate else RANGE_HALF_WIDTH * recommendation
        below, above = recommendation - width, recommendation + width
    gap = 0.0 if below <= view <= above else min(abs(view - below), abs(view - above)) / view
    lawful = not p.bounded or above >= floor * (1.0 - 1e-9)
    adjusted = False
    if p.advisory:
        adopted, lawful, months = below <= view <= above, False, view
    elif gap <= p.impropriety_tolerance and below <= ceiling and lawful:
        upper = min(above, ceiling)
        adopted = True
        months = recommendation if determinate else clamp(view, min(max(below, floor), upper), upper)
    else:
        if p.binding:
            return True
        adopted = adjusted = c.u_adjust < p.prosecutor_accepts_adjustment
        months = view
    if months > 0.0:
        s.regret += max(0.0, months - above) / months
    honoured = months <= above * (1.0 + 1e-9)
    s.determinate, s.adopted, s.adjusted, s.honoured = determinate, adopted, adjusted, honoured
    s.convicted, s.sentence, s.agreed = True, months, above
    s.grievance = not honoured and lawful and not s.unpaid
    s.trial_sentence = court_trial_sentence(c, p, s.chips, s.credit)
    return False


@kernel
def lodge(d, p, i):
    """The judgment's appeal and protest, their hours, and the second instance (:func:`appeal.lodge`,
    :func:`appeal.challenges`, :func:`appeal.second_instance`)."""
    c, s = d.cases[i], d.st[i]
    s.final_sentence = s.sentence
    if s.pleaded and p.appeal_waiver:
        return
    if s.pleaded:
        strategic = p.strategic_appeal * (1.0 - p.protest_strategic * p.protest_upheld)
        appealed = c.u_appeal < strategic + p.regret_appeal * s.regret
        protested = appealed and s.regret <= 0.0 and c.u_protest < p.protest_strategic
    else:
        appealed = s.convicted and c.u_appeal < p.trial_appeal
        protested = not s.convicted and c.u_protest < p.protest_acquittal
    s.appealed, s.protested = appealed, protested
    if not (appealed or protested):
        return
    hours = p.appeal_hours
    s.court_hours += hours
    hearing(d, p, hours)
    book_prosecutor(d, p, i, hours)
    u = c.u_second_instance
    judgment, final = UPHELD, s.sentence
    if s.pleaded:
        if s.grievance and u < p.revision_grievance:
            judgment, final = REDUCED, s.agreed
        elif protested and u < p.protest_upheld:
            withdrawn = min(s.trial_sentence, plea_range(c, s)[1])
            if withdrawn > s.sentence:
                judgment, final = INCREASED, withdrawn
    elif s.convicted:
        if not c.guilty and u < p.revision_wrongful:
            judgment, final = ACQUITTED, 0.0
    elif protested and c.guilty and u < p.protest_upheld:
        judgment, final = CONVICTED, s.trial_sentence
    s.second_instance, s.final_sentence = judgment, final


@kernel
def reject(d, p, i):
    """The plea is rejected (or the court released from its agreement) and the case goes to trial
    (:func:`court.reject`)."""
    s = d.st[i]
    s.pleaded, s.rejected = False, True
    send_to_trial(d, p, i, d.counters[DAY])


@kernel
def hear(d, p, i):
    """First instance: review of a plea (a rejected plea goes to trial) or a contested trial; then appeal and
    protest. Returns whether the case is disposed of (:func:`court.hear`)."""
    c, s = d.cases[i], d.st[i]
    if s.pleaded:
        flawed = s.index < p.involuntary_threshold or c.conviction_probability < p.evidence_threshold
        chance = p.detection_substantive if p.substantive else p.detection_formal
        if flawed and c.u_review < chance:
            reject(d, p, i)
            return False
    if c.has_victim and s.heard and s.compensated and c.u_default < p.compensation_default:
        s.compensated, s.forgiven, s.paid, s.unpaid = False, False, 0.0, True
        s.credit = p.victim_credit[0]
    if s.pleaded:
        if rule_on_plea(d, p, i):
            reject(d, p, i)
            return False
    else:
        s.trial_sentence = trial_sentence = court_trial_sentence(c, p, s.chips, s.credit)
        s.tried = True
        s.convicted = c.u_trial < c.conviction_probability
        s.sentence = trial_sentence if s.convicted else 0.0
        s.determinate = s.adopted = s.adjusted = s.honoured = -1
        s.agreed, s.grievance = math.nan, False
    lodge(d, p, i)
    return True
