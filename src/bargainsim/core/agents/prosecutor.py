"""The prosecutor: reviews cases, forms a belief, states case strength, opens and concedes."""

from __future__ import annotations

from dataclasses import dataclass

import mesa

from bargainsim.core.decisions import (
    Position,
    prosecutor_position,
    prosecutor_wants_plea,
    screening_offer,
    signalling_offer,
)
from bargainsim.core.procedure.information import signal
from bargainsim.core.sentencing import Terms
from bargainsim.core.workclock import WorkClock
from bargainsim.params import BehaviourSlice

__all__ = ["Position", "Prosecutor", "ProsecutorConduct"]


@dataclass(frozen=True, slots=True)
class ProsecutorConduct(BehaviourSlice):
    """What a prosecutor's review, statements and offers depend on."""

    prosecutor_belief_noise: float
    belief_offset_prosecutor: float
    innocence_blind_spot: float
    overstatement: float
    kpi_overstatement: float
    workload_norm_days: float
    trial_costs: str
    trial_cost_prosecutor: float
    trial_cost_prosecutor_given: float
    kpi_plea_value: float
    kpi_leeway: float
    victim_opposition: float
    recommendation_limits: str
    concession_prosecutor: float


class Prosecutor(mesa.Agent):
    """A procuratorate prosecutor with a caseload, assessment-indicator (KPI) pressure and a concession tactic."""

    def __init__(self, model: mesa.Model, conduct: ProsecutorConduct, kpi_pressure: float, guideline: Terms,
                 hours_per_day: float) -> None:
        super().__init__(model)
        self.conduct = conduct
        self.kpi_pressure = kpi_pressure
        self.guideline = guideline
        self.clock = WorkClock(hours_per_day)

    def workload(self, day: int) -> float:
        """Queued work relative to the norm, in [0, 1]."""
        return min(1.0, self.clock.queued_days(day) / self.conduct.workload_norm_days)

    def believe(self, conviction_probability: float, guilty: bool, z: float, exculpatory_seen: float) -> float:
        """The prosecutor's belief about conviction at trial: a signal from the file, blind to undisclosed
        exculpatory material in an innocent suspect's case."""
        c = self.conduct
        blind = 0.0 if guilty else c.innocence_blind_spot * (1.0 - exculpatory_seen)
        return signal(conviction_probability, c.prosecutor_belief_noise, z, blind + c.belief_offset_prosecutor)

    def inflation(self, checked: bool, belief: float, scrutiny: float = 0.0) -> float:
        """How much the stated strength exceeds the belief: none when the defense or an observer can check the
        file, less the more of it a capable, prepared lawyer reads where access is restricted (``scrutiny``: the
        share of the evidence counsel can test, in [0, 1]), and never beyond a statement of near-certainty."""
        if checked:
            return 0.0
        c = self.conduct
        inflation = min(c.overstatement + c.kpi_overstatement * self.kpi_pressure, 0.99 - belief)
        return max(0.0, inflation) * (1.0 - scrutiny)

    def trial_cost(self, trial_hours: float, workload: float) -> float:
        """The prosecutor's cost of trying the case, in sentence months, including the plea KPI forgone (a fixed
        cost per case when trial costs are given, as in the textbook models)."""
        c = self.conduct
        if c.trial_costs == "given":
            return c.trial_cost_prosecutor_given
        return c.trial_cost_prosecutor * trial_hours / 10.0 * (1.0 + workload) + c.kpi_plea_value * self.kpi_pressure

    def position(self, base: float, low: float, high: float, belief: float, known_mitigation: float,
                 victim: float, stage: str, trial_cost: float, schedule: bool, victim_opposed: bool,
                 plea_range: tuple[float, float] | None = None, limit: float = 0.0) -> Position:
        """Opening recommendation and reservation under the guideline and the shadow of trial. The opening gives
        the guideline's usual share of the stage's usual discount cap (all of it under a schedule; less when a
        heard victim has not forgiven); the reservation is the expected trial outcome net of the trial's cost,
        kept inside [floor, opening], the floor lowered by what assessment pressure lets it concede beyond the
        guideline (``kpi_leeway`` of the base per unit of pressure: generosity the court may find too lenient).
        Without the guideline's bounds (``recommendation_limits='none'``) any
        recommendation in [0, S] is allowed (see :func:`bargainsim.decisions.prosecutor_position`)."""
        c, guideline = self.conduct, self.guideline
        share = 1.0 if schedule else guideline.usual_share * (1.0 - (c.victim_opposition if victim_opposed else 0.0))
        return prosecutor_position(base, belief, trial_cost, low, high, stage, share, known_mitigation, victim,
                                   c.recommendation_limits == "guideline", guideline,
                                   c.kpi_leeway * self.kpi_pressure, plea_range, limit)

    @staticmethod
    def wants_plea(position: Position) -> bool:
        """Open a negotiation when a plea at the opening is worth at least the trial (shadow of trial)."""
        return prosecutor_wants_plea(position)

    @staticmethod
    def adopts(u: float, chance: float) -> bool:
        """Whether the defense's proposal and mitigation are taken into the recommendation."""
        return u < chance

    def offer(self, position: Position, t: int, rounds: int) -> float:
        """The recommendation offered in round ``t`` of ``rounds``: a time-dependent concession tactic."""
        if rounds <= 1:
            return position.opening
        frac = (t / (rounds - 1)) ** (1.0 / self.conduct.concession_prosecutor)
        return position.opening - (position.opening - position.reservation) * frac

    @staticmethod
    def screening_offer(position: Position, c_p: float, c_d: float, low: float, high: float) -> float:
        """The one offer that does best against defendants whose conviction probabilities it believes uniform on
        [``low``, ``high``], inside its position's [floor, opening] (Bebchuk 1984; see
        :func:`bargainsim.decisions.screening_offer`): the prior, not the case's own strength."""
        return screening_offer(position.trial_sentence, c_p, c_d, low, high, position.floor, position.opening)

    @staticmethod
    def signalling_offer(position: Position, belief: float, c_d: float) -> float:
        """What a defendant who knew the case's strength ``belief`` would bear, inside its position's [floor,
        opening] (Reinganum 1988; see :func:`bargainsim.decisions.signalling_offer`)."""
        return signalling_offer(belief, position.trial_sentence, c_d, position.floor, position.opening)
