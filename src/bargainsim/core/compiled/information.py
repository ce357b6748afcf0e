"""What each side knows and believes, compiled (as :mod:`.procedure.information`, with the beliefs and the
reservation of :class:`~bargainsim.core.agents.Suspect` and :class:`~bargainsim.core.agents.Prosecutor`)."""

from __future__ import annotations

import math

from bargainsim.core.cases import PRIOR_RECORD_UPLIFT
from bargainsim.core.compiled import kernel
from bargainsim.core.compiled.decisions import (
    HIGH,
    LOW,
    belief_noise,
    clamp,
    defendant_trial_cost,
    lowest,
    sentence,
    sentencing_chips,
    signal,
    suspect_reservation,
    weighed,
)
from bargainsim.core.compiled.institution import advocated, queued_days
from bargainsim.core.compiled.layout import DAY


@kernel
def prosecutor_belief(c, p, exculpatory_seen):
    """The prosecutor's belief about conviction (:meth:`Prosecutor.believe`)."""
    blind = 0.0 if c.guilty else p.innocence_blind_spot * (1.0 - exculpatory_seen)
    return signal(c.conviction_probability, p.prosecutor_belief_noise, c.z_prosecutor,
                  blind + p.belief_offset_prosecutor)


@kernel
def visible_base(c, information):
    """The base sentence as the defense sees it (:meth:`Case.visible_base`)."""
    start = c.start_months * (1.0 + c.aggravation * information
                              + (PRIOR_RECORD_UPLIFT if c.prior_record else 0.0))
    return clamp(start, c.statutory_min, c.statutory_max)


@kernel
def suspect_belief(c, p, information, capacity, bias, z):
    """The suspect's own belief about conviction (:meth:`Suspect.believe`)."""
    capacity = max(capacity, c.understanding)
    noise = belief_noise(p.belief_noise_uninformed, p.belief_noise_informed, information, capacity)
    return signal(c.conviction_probability, noise, z, bias + p.belief_offset_defense)


@kernel
def lawyer_belief(c, p, capacity, seen):
    """The lawyer's reading of the share ``seen`` of the file, weighed against experience
    (:func:`information.lawyer_belief`)."""
    noise = belief_noise(p.belief_noise_uninformed, p.belief_noise_informed, seen, capacity)
    return weighed(c.conviction_probability, noise, c.z_lawyer, p.experience_mean, p.experience_sd,
                   p.experience_weight)


@kernel
def reservation(c, s, p, belief, trial_sentence, trial_cost):
    """The most severe recommendation the suspect accepts rather than go to trial (:meth:`Suspect.reservation`)."""
    innocence = 0.0 if c.guilty else p.innocence_cost
    return suspect_reservation(belief, trial_sentence, trial_cost, s.risk_aversion, innocence, s.taste)


@kernel
def effort(d, p, lawyer):
    """Share of the needed preparation the lawyer does: all of it as an advocate (:attr:`Counsel.effort`)."""
    return 1.0 if d.lawyer_advocate[lawyer] else p.endorse_effort


@kernel
def assessed_base(c, p):
    """The base sentence as the court assesses it (:meth:`Court.assessed_base`)."""
    return c.base_months * math.exp(p.court_noise * c.z_court)


@kernel
def mitigation_found(c, p, presented):
    """The mitigation established at a hearing (:meth:`Court.mitigation_found`)."""
    return presented + p.hearing_inquiry * (c.mitigation - presented)


@kernel
def court_trial_sentence(c, p, presented, credit):
    """The court's sentence at a contested trial (:meth:`Court.trial_sentence`)."""
    months = sentence(assessed_base(c, p), c.statutory_min, c.statutory_max, 0.0, mitigation_found(c, p, presented),
                      credit, p.total_cap)
    return max(months, lowest(c.base_months, c.statutory_min, c.statutory_max, p.total_cap))


@kernel
def form_views(d, p, i):
    """Each side's belief and what each would accept rather than a trial (:func:`information.form_views`)."""
    c, s = d.cases[i], d.st[i]
    day = d.counters[DAY]
    lawyer = s.counsel
    if lawyer < 0:
        prepared, capacity, credulity = 0.0, 0.0, p.credulity_unadvised
        chips = sentencing_chips(c.mitigation, p.file_mitigation, 0.0)
    else:
        full = effort(d, p, lawyer)
        needed = p.preparation_hours[c.track]
        if needed <= 0.0:
            prepared = full
        else:
            hours = (day - s.counsel_day + 1) * p.hours_per_day / max(1, d.lawyer_open[lawyer])
            prepared = min(full, hours / needed)
        capacity = d.lawyer_quality[lawyer] * prepared
        chips = sentencing_chips(c.mitigation, p.file_mitigation, capacity)
        credulity = p.credulity_advocate if d.lawyer_advocate[lawyer] else p.credulity_endorse
    observed = s.observer >= 0
    checked = observed or (p.disclosed and lawyer >= 0 and prepared > 0.0)
    mutual = p.mutual_disclosure and lawyer >= 0
    s.prosecutor_belief = p_belief = prosecutor_belief(c, p, capacity if mutual else 0.0)
    if checked:
        overstatement = 0.0
    else:
        inflation = min(p.overstatement + p.kpi_overstatement * p.kpi_pressure, 0.99 - p_belief)
        overstatement = max(0.0, inflation) * (1.0 - capacity * p.information)
    bias = credulity * overstatement
    if advocated(d, i):
        belief = min(HIGH, max(LOW, lawyer_belief(c, p, capacity, p.information) + bias))
    else:
        belief = suspect_belief(c, p, p.information, capacity, bias, c.z_defense)
    inside = s.detained and p.venue_detention and not observed
    if p.costs_given:
        c_d = p.trial_cost_defendant
    else:
        c_d = defendant_trial_cost(p.trial_cost_defendant, p.detention_cost, s.detained,
                                   p.detention_venue_factor if inside else 1.0)
    visible = visible_base(c, p.information)
    defense_trial = sentence(visible, c.statutory_min, c.statutory_max, 0.0, chips, s.credit, p.total_cap)
    detention = c_d - p.trial_cost_defendant
    workload = min(1.0, queued_days(d.prosecutors[s.prosecutor], day, p.hours_per_day) / p.workload_norm_days)
    s.overstatement, s.capacity, s.chips, s.bias, s.belief, s.trial_cost = \
        overstatement, capacity, chips, bias, belief, c_d
    s.visible_base, s.defense_trial, s.workload = visible, defense_trial, workload
    s.reservation = reservation(c, s, p, belief, defense_trial, c_d)
    if p.costs_given:
        s.prosecutor_trial_cost = p.trial_cost_prosecutor_given
    else:
        s.prosecutor_trial_cost = p.trial_cost_prosecutor * p.trial_hours_prosecutor[c.track] / 10.0 \
            * (1.0 + workload) + p.kpi_plea_value * p.kpi_pressure
    s.views_trial_sentence = court_trial_sentence(c, p, chips, s.credit)
    s.views_detention_pressure = detention / (detention + defense_trial * belief + 1e-9)
