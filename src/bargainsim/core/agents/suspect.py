"""The suspect: forms a belief from what is disclosed and advised, values a trial, accepts or counters."""

from __future__ import annotations

from dataclasses import dataclass

import mesa

from bargainsim.core.cases import Case
from bargainsim.core.decisions import (
    certainty_equivalent,
    choice_taste,
    defendant_trial_cost,
    risk_exponent,
    signalling_acceptance,
    suspect_accepts,
    suspect_reservation,
)
from bargainsim.core.procedure.information import belief_noise, signal
from bargainsim.core.record import RecordedCase
from bargainsim.core.state import NO_TALKS, UNASSESSED, UNDECIDED, UNFORMED, UNSIGNED
from bargainsim.params import BehaviourSlice

__all__ = ["Suspect", "SuspectConduct", "certainty_equivalent"]


@dataclass(frozen=True, slots=True)
class SuspectConduct(BehaviourSlice):
    """What a suspect's beliefs and valuation of a trial depend on."""

    risk_aversion: float
    risk_heterogeneity: float
    belief_noise_uninformed: float
    belief_noise_informed: float
    belief_offset_defense: float
    trial_costs: str
    trial_cost_defendant: float
    detention_cost: float
    innocence_cost: float
    choice_noise: float


class Suspect(RecordedCase, mesa.Agent):
    """One suspect, one case: its facts, the people the procedure brings to it, and what each stage has
    established (:mod:`bargainsim.core.state`)."""

    def __init__(self, model: mesa.Model, case: Case, conduct: SuspectConduct) -> None:
        """The suspect's risk aversion is ``risk_aversion · exp(risk_heterogeneity · z)`` with the case's z, its
        taste for a plea the logistic draw of the case's ``u_choice`` (:func:`~bargainsim.decisions.choice_taste`)."""
        super().__init__(model)
        self.case = case
        self.conduct = conduct
        self.risk_aversion = risk_exponent(conduct.risk_aversion, conduct.risk_heterogeneity, case.z_risk)
        self.taste = choice_taste(case.u_choice, conduct.choice_noise)
        self.detained = case.detained
        self.released = self.non_prosecuted = self.reduced_charge = False
        self.counsel = self.victim = self.observer = self.prosecutor = self.procedure = None
        self.counsel_day, self.counsel_joined = -1, "none"
        self.backlog = self.credit = self.prosecutor_hours = self.court_hours = 0.0
        self.deadline = self.days = 0
        self.views, self.talks, self.agreement = UNFORMED, NO_TALKS, UNSIGNED
        self.voluntariness, self.verdict = UNASSESSED, UNDECIDED

    @property
    def plea_range(self) -> tuple[float, float]:
        """The statutory range a plea's sentence keeps to: the charge's, or its lesser band's after a charge
        bargain (FRCrP 11(c)(1)(A))."""
        case = self.case
        return (case.lesser_min, case.lesser_max) if self.reduced_charge else (case.statutory_min, case.statutory_max)

    def believe(self, information: float, capacity: float, bias: float, z: float) -> float:
        """Belief about conviction at trial: a noisy signal of the truth plus the overstatement believed."""
        c = self.conduct
        capacity = max(capacity, self.case.understanding)
        noise = belief_noise(c.belief_noise_uninformed, c.belief_noise_informed, information, capacity)
        return signal(self.case.conviction_probability, noise, z, bias + c.belief_offset_defense)

    def trial_cost(self, detention_factor: float) -> float:
        """The suspect's cost of going to trial, in sentence months: trial burden plus detention pressure (the
        trial burden alone when trial costs are given, as in the textbook models)."""
        c = self.conduct
        if c.trial_costs == "given":
            return c.trial_cost_defendant
        return defendant_trial_cost(c.trial_cost_defendant, c.detention_cost, self.detained, detention_factor)

    def reservation(self, belief: float, trial_sentence: float, trial_cost: float) -> float:
        """The most severe recommendation the suspect accepts rather than go to trial, its taste for a plea
        included."""
        innocence = 0.0 if self.case.guilty else self.conduct.innocence_cost
        return suspect_reservation(belief, trial_sentence, trial_cost, self.risk_aversion, innocence, self.taste)

    def release(self) -> None:
        """Released from detention on counsel's argument during investigation."""
        self.detained, self.released = False, True

    @staticmethod
    def accepts(offer: float, planned: float, reservation: float, final: bool) -> bool:
        """Accept an offer no worse than the own next proposal, or any bearable offer when it is final."""
        return suspect_accepts(offer, reservation, planned, final)

    @staticmethod
    def accepts_signal(u: float, offer: float, weakest: float, strongest: float, c_p: float, c_d: float) -> bool:
        """Accept an offer whose sender it cannot see with the probability of Reinganum's (1988) separating
        equilibrium, the weakest and the strongest case offering ``weakest`` and ``strongest``
        (:func:`bargainsim.decisions.signalling_acceptance`), ``u`` being the case's uniform draw."""
        return u < signalling_acceptance(offer, weakest, strongest, c_p, c_d)

    @staticmethod
    def proposal(target: float, limit: float, t: int, rounds: int, tactic: float) -> float:
        """The defense's proposal in round ``t``: from its target toward ``limit`` (its reservation, or the
        prosecutor's opening if that is lower: conceding beyond the offer on the table gains nothing)."""
        if limit <= target:
            return limit
        frac = (t / (rounds - 1)) ** (1.0 / tactic) if rounds > 1 else 0.0
        return target + (limit - target) * frac
