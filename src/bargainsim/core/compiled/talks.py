"""The negotiation, the signature and the plea's voluntariness, compiled (as :mod:`.procedure.negotiation`,
:mod:`.procedure.signature` and :mod:`.procedure.voluntariness`).

A prosecutor's position is the tuple (floor, opening, reservation, trial value, trial sentence); a protocol's
conclusion the tuple (agreed, months, rounds, prosecutor moves, defense moves, opening, last defense proposal,
ultimatum) followed by the position it ended on."""

from __future__ import annotations

import math

from bargainsim.core.compiled import kernel
from bargainsim.core.compiled.decisions import (
    TOLERANCE,
    band,
    lowest,
    nash_solution,
    plea_terms,
    screening_offer,
    sentence,
    signalling_acceptance,
    signalling_offer,
    subgame_perfect_gains,
)
from bargainsim.core.compiled.information import (
    assessed_base,
    lawyer_belief,
    mitigation_found,
    prosecutor_belief,
    reservation,
)
from bargainsim.core.compiled.institution import advocated, assign
from bargainsim.core.compiled.layout import (
    ALTERNATING,
    CONSULTATION,
    DAY,
    DIALOGUE,
    INVESTIGATION,
    JOINED,
    NASH,
    SCREENING,
    TAKE_IT_OR_LEAVE_IT,
)

SIGNING = JOINED.index("signing")


@kernel
def court_band(d, p, i, stage, presented, low, high):
    """(floor, own view, ceiling) on the facts at a hearing, for a plea at ``stage`` (:meth:`Court.band`,
    :meth:`Court.hearing_share`)."""
    c, s = d.cases[i], d.st[i]
    opposed = s.heard and not s.forgiven
    share = p.usual_share * (1.0 - p.victim_opposition) if opposed else p.usual_share
    found = mitigation_found(c, p, presented)
    least = lowest(c.base_months, low, high, p.combined_cap[stage])
    usual = p.usual_base[stage] * share
    floor = band(c.base_months, low, high, p.combined_cap[stage], p.plea_cap[stage], usual, found, s.credit)[0]
    _, view, ceiling = band(assessed_base(c, p), low, high, p.combined_cap[stage], p.plea_cap[stage], usual, found,
                            s.credit)
    return max(floor, least), max(view, least), max(ceiling, least)


@kernel
def court_position(d, p, i, stage, belief):
    """The court's proposal (:func:`talks.court_position`): its view as floor, opening and reservation."""
    c, s = d.cases[i], d.st[i]
    _, view, ceiling = court_band(d, p, i, stage, s.chips, c.statutory_min, c.statutory_max)
    return view, view, view, belief * ceiling - s.prosecutor_trial_cost, ceiling


@kernel
def position_at(d, p, i, stage, belief):
    """The position bargained from at a ladder stage (:func:`talks.position_at`): the court's where it bargains,
    else the prosecutor's."""
    if p.court_led:
        return court_position(d, p, i, stage, belief)
    return prosecutor_position_at(d, p, i, stage, belief)


@kernel
def prosecutor_position_at(d, p, i, stage, belief):
    """The prosecutor's position at a ladder stage (:meth:`Prosecutor.position`,
    :func:`decisions.prosecutor_position`): (floor, opening, reservation, trial value, trial sentence)."""
    c, s = d.cases[i], d.st[i]
    base, low, high, mitigation, victim = c.base_months, c.statutory_min, c.statutory_max, s.chips, s.credit
    opposed = s.heard and not s.forgiven
    if p.schedule_offer[c.track]:
        share = 1.0
    else:
        share = p.usual_share * (1.0 - (p.victim_opposition if opposed else 0.0))
    if p.bounded:
        floor, opening, trial_sentence = band(base, low, high, p.combined_cap[stage], p.plea_cap[stage],
                                              p.usual_base[stage] * share, mitigation, victim)
        plea_low, plea_high = (c.lesser_min, c.lesser_max) if s.reduced_charge else (low, high)
        if s.reduced_charge:
            floor, opening, _ = band(base, plea_low, plea_high, p.combined_cap[stage], p.plea_cap[stage],
                                     p.usual_base[stage] * share, mitigation, victim)
        leeway = p.kpi_leeway * p.kpi_pressure
        if leeway > 0.0:
            floor = max(floor - leeway * base, lowest(base, plea_low, plea_high, p.combined_cap[stage]))
        if p.plea_limit > 0.0:
            opening = min(opening, max(p.plea_limit, floor))
    else:
        trial_sentence = sentence(base, low, high, 0.0, mitigation, victim, p.total_cap)
        floor, opening = 0.0, trial_sentence
    value = belief * trial_sentence - s.prosecutor_trial_cost
    return floor, opening, min(max(value, floor), opening), value, trial_sentence


@kernel
def reposition(d, p, i, stage):
    """The prosecutor's position once it takes up the defense's points (:func:`talks.bargaining`)."""
    c, s = d.cases[i], d.st[i]
    return position_at(d, p, i, stage, prosecutor_belief(c, p, s.capacity))


@kernel
def plea_range(c, s):
    """The statutory range a plea keeps to (:attr:`Suspect.plea_range`)."""
    return (c.lesser_min, c.lesser_max) if s.reduced_charge else (c.statutory_min, c.statutory_max)


@kernel
def offer_at(position, t, rounds, concession):
    """The prosecutor's offer in round ``t`` of ``rounds`` (:meth:`Prosecutor.offer`)."""
    if rounds <= 1:
        return position[1]
    frac = (t / (rounds - 1)) ** (1.0 / concession)
    return position[1] - (position[1] - position[2]) * frac


@kernel
def proposal(target, limit, t, rounds, tactic):
    """The defense's proposal in round ``t`` (:meth:`Suspect.proposal`)."""
    if limit <= target:
        return limit
    frac = (t / (rounds - 1)) ** (1.0 / tactic) if rounds > 1 else 0.0
    return target + (limit - target) * frac


@kernel
def consultation(d, p, i, stage, position, reservation, target, rounds, adoption):
    """One recommendation, at most one counter-proposal, rarely adopted (:class:`Consultation`)."""
    c = d.cases[i]
    opening = position[1]
    nan = math.nan
    if opening <= reservation + 1e-9:
        return True, opening, 1, 1, 0, opening, nan, True, position
    if rounds < 2:
        return False, opening, 1, 1, 0, opening, nan, True, position
    counter = min(target, reservation)
    final = opening
    if c.u_adopt < adoption:
        position = reposition(d, p, i, stage)
        final = max(position[2], counter)
    return final <= reservation + 1e-9, final, 2, 2, 1, opening, counter, True, position


@kernel
def dialogue(d, p, i, stage, position, reservation, target, rounds, adoption, presented):
    """Alternating proposals with concession tactics until agreement or the deadline's ultimatum
    (:class:`Dialogue`)."""
    c = d.cases[i]
    opening = position[1]
    rounds = max(1, rounds)
    last_defense = math.nan
    defense_moves = 0
    limit = min(reservation, opening)
    for t in range(rounds):
        final = t == rounds - 1
        offer = offer_at(position, t, rounds, p.concession_prosecutor)
        planned = proposal(target, limit, t, rounds, p.concession_defense)
        if offer <= reservation + TOLERANCE and (final or offer <= planned + TOLERANCE):
            return True, offer, t + 1, t + 1, defense_moves, opening, last_defense, final, position
        if final:
            return False, offer, t + 1, t + 1, defense_moves, opening, last_defense, final, position
        defense_moves += 1
        last_defense = planned
        if not presented:
            presented = True
            if c.u_adopt < adoption:
                position = reposition(d, p, i, stage)
        if planned >= offer_at(position, t + 1, rounds, p.concession_prosecutor) - 1e-9:
            return True, planned, t + 1, t + 1, defense_moves, opening, last_defense, False, position
    return False, math.nan, 0, 0, 0, opening, last_defense, False, position


@kernel
def ultimatum(offer, agreed, position):
    """One offer, taken or left."""
    return agreed, offer, 1, 1, 0, offer, math.nan, True, position


@kernel
def alternating(p, position, reservation, ceiling):
    """Rubinstein's alternating offers over the surplus both prefer to a trial (:class:`AlternatingOffers`)."""
    r_p, r_d = position[2], min(reservation, position[4], ceiling)
    if r_d < r_p:
        return ultimatum(r_p, False, position)
    horizon = max(1, p.alternating_horizon)
    gains = subgame_perfect_gains(r_d - r_p, p.discount_prosecutor, p.discount_defense, horizon)
    defense_moves = 0
    last_defense = math.nan
    for t in range(horizon):
        final = t == horizon - 1
        next_gain = 0.0 if final else gains[t + 1]
        if t % 2 == 0:
            offer = r_p + gains[t]
            planned = r_d - p.discount_defense * next_gain
            if offer <= reservation + TOLERANCE and (final or offer <= planned + TOLERANCE):
                return True, offer, t + 1, t // 2 + 1, defense_moves, r_p + gains[0], last_defense, final, position
        else:
            offer = r_d - gains[t]
            defense_moves += 1
            last_defense = offer
            if offer >= r_p + p.discount_prosecutor * next_gain - 1e-9:
                return True, offer, t + 1, (t + 1) // 2, defense_moves, r_p + gains[0], last_defense, False, position
    return (False, r_p + gains[0], horizon, (horizon + 1) // 2, defense_moves, r_p + gains[0], last_defense, True,
            position)


@kernel
def textbook_protocol(d, p, i, protocol, position, reservation):
    """The textbook protocols: take-it-or-leave-it, Nash, alternating offers, screening, signalling."""
    c, s = d.cases[i], d.st[i]
    ceiling = plea_range(c, s)[1]
    if protocol == TAKE_IT_OR_LEAVE_IT:
        offer = max(position[2], min(reservation, position[4], ceiling))
        return ultimatum(offer, offer <= reservation + TOLERANCE, position)
    if protocol == NASH:
        r_p, r_d = position[2], min(reservation, position[4], ceiling)
        if r_d < r_p:
            return ultimatum(r_p, False, position)
        months = nash_solution(r_p, r_d, p.bargaining_power)
        return True, months, 1, 1, 1, months, months, False, position
    if protocol == ALTERNATING:
        return alternating(p, position, reservation, ceiling)
    c_p, c_d = s.prosecutor_trial_cost, s.trial_cost
    if protocol == SCREENING:
        offer = screening_offer(position[4], c_p, c_d, p.strength_prior_low, p.strength_prior_high, position[0],
                                position[1])
        return ultimatum(offer, offer <= reservation + TOLERANCE, position)
    offer = signalling_offer(s.prosecutor_belief, position[4], c_d, position[0], position[1])
    weakest = signalling_offer(p.strength_prior_low, position[4], c_d, position[0], position[1])
    strongest = signalling_offer(p.strength_prior_high, position[4], c_d, position[0], position[1])
    return ultimatum(offer, c.u_adopt < signalling_acceptance(offer, weakest, strongest, c_p, c_d), position)


@kernel
def round_hours(s, p):
    """Prosecutor hours of one round of the case's talks."""
    return p.dialogue_round_hours if s.protocol == DIALOGUE else p.consultation_round_hours


@kernel
def negotiate(d, p, i, initiator, stage, floor, opening, reservation_p, trial_value, trial_sentence):
    """Run the case's protocol from the position given (the prosecutor's at review, repositioned for a plea at the
    earlier stage; the court's proposal), record the talks and collect the signatures (:func:`talks.negotiate`)."""
    c, s = d.cases[i], d.st[i]
    position = (floor, opening, reservation_p, trial_value, trial_sentence)
    low, high = plea_range(c, s)
    target = sentence(s.visible_base, low, high, p.plea_cap[stage], s.chips, s.credit, p.combined_cap[stage])
    if stage == INVESTIGATION:
        position = position_at(d, p, i, stage, s.prosecutor_belief)
    protocol = DIALOGUE if s.observer >= 0 else p.track_protocol[c.track]
    if protocol == DIALOGUE:
        rounds = min(p.dialogue_max_rounds, max(1, s.deadline - d.counters[DAY]))
        adoption = p.adoption_dialogue
    else:
        rounds = p.consultation_rounds
        adoption = p.adoption_consultation * (1.0 - 0.5 * s.workload)
    if advocated(d, i):
        adoption += (1.0 - adoption) * p.advocacy_weight * s.capacity
    if protocol == CONSULTATION:
        conclusion = consultation(d, p, i, stage, position, s.reservation, target, rounds, adoption)
    elif protocol == DIALOGUE:
        conclusion = dialogue(d, p, i, stage, position, s.reservation, target, rounds, adoption,
                              p.mutual_disclosure and s.counsel >= 0)
    else:
        conclusion = textbook_protocol(d, p, i, protocol, position, s.reservation)
    agreed, months, rounds, prosecutor_moves, defense_moves, opened, last_defense, final, position = conclusion
    s.protocol, s.initiated_by, s.plea_stage, s.negotiated = protocol, initiator, stage, True
    s.rounds, s.prosecutor_moves, s.defense_moves = rounds, prosecutor_moves, defense_moves
    s.opening, s.target, s.position_reservation = opened, target, position[2]
    sign(d, p, i, agreed, months, final, last_defense)


@kernel
def sign(d, p, i, agreed, months, final, last_defense):
    """Collect the signatures; a lawyer party to a tripartite agreement signs only what it would advise, else
    the prosecutor's last offer is signed or refused (:func:`signature.sign`, :func:`signature.countersign`)."""
    c, s = d.cases[i], d.st[i]
    reference = last_defense if not math.isnan(last_defense) else s.target
    if agreed and s.counsel < 0:
        assign(d, i, False, SIGNING)
    parties = False
    if agreed and p.tripartite:
        own = reservation(c, s, p, lawyer_belief(c, p, s.capacity, p.information), s.defense_trial, s.trial_cost)
        if d.lawyer_advocate[s.counsel] and not months <= own + 1e-9:
            s.rounds, s.prosecutor_moves, s.defense_moves = s.rounds + 1, s.prosecutor_moves + 1, \
                s.defense_moves + 1
            months = s.position_reservation
            agreed = months <= own + 1e-9 and months <= s.reservation + 1e-9
            final, reference = True, min(reference, own)
        parties = agreed
    s.signed = s.pleaded = agreed
    s.lawyer_signed = s.prosecutor_signed = parties
    s.recommendation = months
    assess_plea(d, p, i, agreed and final, reference)


@kernel
def assess_plea(d, p, i, final, reference):
    """The voluntariness of a signed plea on its recommendation (:func:`voluntariness.assess_plea`)."""
    c, s = d.cases[i], d.st[i]
    if not s.pleaded:
        return
    influence, voice, deadline = plea_terms(s.opening, s.target, s.recommendation, s.defense_moves,
                                            s.prosecutor_moves, final, reference)
    informed = 1.0 - abs(s.belief - c.conviction_probability)
    detention, overstatement = s.views_detention_pressure, s.bias
    pressure = 1.0 - (1.0 - detention) * (1.0 - deadline) * (1.0 - overstatement)
    participatory = 0.5 * (voice + influence)
    total = p.weight_informed + p.weight_uncoerced + p.weight_participatory
    s.influence, s.voice, s.deadline_pressure = influence, voice, deadline
    s.detention_pressure, s.overstatement_pressure, s.pressure = detention, overstatement, pressure
    s.informed, s.participatory = informed, participatory
    s.index = (p.weight_informed * informed + p.weight_uncoerced * (1.0 - pressure)
               + p.weight_participatory * participatory) / total
