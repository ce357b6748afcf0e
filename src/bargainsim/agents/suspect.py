"""The suspect: forms a belief from what is disclosed and advised, values a trial, accepts or counters."""

from __future__ import annotations

import math

import mesa

from bargainsim.beliefs import belief_noise, signal
from bargainsim.cases import Case
from bargainsim.decisions import certainty_equivalent, suspect_accepts, suspect_reservation
from bargainsim.params import Behaviour

__all__ = ["Suspect", "certainty_equivalent"]


class Suspect(mesa.Agent):
    """One suspect, one case. Holds the case's facts and the defense's view of it."""

    def __init__(self, model: mesa.Model, case: Case, risk_aversion: float, risk_heterogeneity: float = 0.25) -> None:
        """The suspect's risk aversion is ``risk_aversion · exp(risk_heterogeneity · z)`` with the case's z."""
        super().__init__(model)
        self.case = case
        self.risk_aversion = risk_aversion * math.exp(risk_heterogeneity * case.z_risk)
        self.lawyer = None
        self.lawyer_day = -1
        self.lawyer_stage = "none"
        self.detained = case.detained
        self.released = self.non_prosecuted = False
        self.victim = None
        self.observer = None
        self.prosecutor = None
        self.protocol = "none"
        self.backlog = 0.0
        self.deadline = 0
        self.belief = self.prosecutor_belief = self.reservation_months = float("nan")
        self.inflation = self.bias = self.credit = self.chips = self.capacity = 0.0
        self.defense_trial = self.trial_cost_months = self.detention_pressure = 0.0
        self.visible_base = self.prosecutor_trial_cost = 0.0
        self.initiated = "none"
        self.stage = "review"
        self.negotiated = self.signed = self.pleaded = self.withdrew = self.plea_rejected = False
        self.lawyer_signed = self.prosecutor_signed = False
        self.rounds = self.prosecutor_moves = self.defense_moves = 0
        self.opening = self.target = float("nan")
        self.recommendation = float("nan")
        self.position = None
        self.moves: list = []
        self.influence = self.deadline_pressure = self.voice = self.regret = 0.0
        self.informed = self.pressure = self.participatory = self.voluntariness = float("nan")
        self.determinate = self.adopted = self.adjusted = self.honoured = None
        self.tried = self.convicted = self.appealed = self.protested = False
        self.sentence = self.trial_sentence = 0.0
        self.prosecutor_hours = self.court_hours = 0.0
        self.days = 0

    def update(self, **state: object) -> None:
        """Set several procedural facts at once (only ones the suspect already tracks)."""
        facts = self.__dict__
        if state.keys() <= facts.keys():
            facts.update(state)
            return
        for name, value in state.items():
            if not hasattr(self, name):
                raise AttributeError(f"Suspect has no state {name!r}")
            setattr(self, name, value)

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
