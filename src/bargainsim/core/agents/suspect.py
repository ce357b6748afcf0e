"""The suspect: forms a belief from what is disclosed and advised, values a trial, accepts or counters."""

from __future__ import annotations

import math

import mesa

from bargainsim.core.cases import Case
from bargainsim.core.decisions import certainty_equivalent, suspect_accepts, suspect_reservation
from bargainsim.core.procedure.information import belief_noise, signal
from bargainsim.params import Behaviour

__all__ = ["Suspect", "certainty_equivalent"]


class Suspect(mesa.Agent):
    """One suspect, one case. Holds the case's facts and the defense's view of it."""

    lawyer = victim = observer = prosecutor = position = terms = None
    lawyer_day, lawyer_stage = -1, "none"
    released = non_prosecuted = False
    protocol, initiated, stage = "none", "none", "review"
    backlog, deadline = 0.0, 0
    belief = prosecutor_belief = reservation_months = float("nan")
    inflation = bias = credit = chips = capacity = workload = 0.0
    defense_trial = trial_cost_months = detention_pressure = 0.0
    visible_base = prosecutor_trial_cost = 0.0
    negotiated = signed = pleaded = withdrew = plea_rejected = False
    lawyer_signed = prosecutor_signed = False
    rounds = prosecutor_moves = defense_moves = 0
    opening = target = recommendation = float("nan")
    moves: tuple = ()
    influence = deadline_pressure = voice = regret = 0.0
    informed = pressure = participatory = voluntariness = float("nan")
    determinate = adopted = adjusted = honoured = None
    tried = convicted = appealed = protested = False
    sentence = trial_sentence = 0.0
    prosecutor_hours = court_hours = 0.0
    days = 0
    """The procedural facts a suspect starts with (class defaults, immutable; each case sets its own as its
    procedure goes on)."""

    def __init__(self, model: mesa.Model, case: Case, risk_aversion: float, risk_heterogeneity: float = 0.25) -> None:
        """The suspect's risk aversion is ``risk_aversion · exp(risk_heterogeneity · z)`` with the case's z."""
        super().__init__(model)
        self.case = case
        self.risk_aversion = risk_aversion * math.exp(risk_heterogeneity * case.z_risk)
        self.detained = case.detained

    def believe(self, behaviour: Behaviour, information: float, capacity: float, bias: float, z: float) -> float:
        """Belief about conviction at trial: a noisy signal of the truth plus the overstatement believed."""
        capacity = max(capacity, self.case.understanding)
        noise = belief_noise(behaviour, information, capacity)
        return signal(self.case.conviction_probability, noise, z, bias + behaviour.belief_offset_defense)

    def trial_cost(self, behaviour: Behaviour, detention_factor: float) -> float:
        """The suspect's cost of going to trial, in sentence months: trial burden plus detention pressure (the
        trial burden alone when trial costs are given, as in the textbook models)."""
        if behaviour.trial_costs == "given":
            return behaviour.trial_cost_defendant
        detention = behaviour.detention_cost * detention_factor if self.detained else 0.0
        return behaviour.trial_cost_defendant + detention

    def reservation(self, behaviour: Behaviour, belief: float, trial_sentence: float, trial_cost: float) -> float:
        """The most severe recommendation the suspect accepts rather than go to trial."""
        innocence = 0.0 if self.case.guilty else behaviour.innocence_cost
        return suspect_reservation(belief, trial_sentence, trial_cost, self.risk_aversion, innocence)

    def seek_release(self, bail_argument: float, lawyer_quality: float) -> None:
        """Counsel present during investigation argues against detention necessity (seeds/004 §3.2)."""
        if self.detained and self.case.u_bail < bail_argument * lawyer_quality:
            self.detained, self.released = False, True

    @staticmethod
    def accepts(offer: float, planned: float, reservation: float, final: bool) -> bool:
        """Accept an offer no worse than the own next proposal, or any bearable offer when it is final."""
        return suspect_accepts(offer, reservation, planned, final)

    @staticmethod
    def proposal(target: float, limit: float, t: int, rounds: int, tactic: float) -> float:
        """The defense's proposal in round ``t``: from its target toward ``limit`` (its reservation, or the
        prosecutor's opening if that is lower: conceding beyond the offer on the table gains nothing)."""
        if limit <= target:
            return limit
        frac = (t / (rounds - 1)) ** (1.0 / tactic) if rounds > 1 else 0.0
        return target + (limit - target) * frac
