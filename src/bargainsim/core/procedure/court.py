"""The court: schedules hearings, reviews and adopts (or adjusts) recommendations, tries contested cases."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bargainsim.core.sentencing import clamp
from bargainsim.core.workclock import Roster, WorkClock
from bargainsim.params import Behaviour

RANGE_HALF_WIDTH = 0.1
"""A range recommendation spans ±10% around its centre (assumption)."""


@dataclass(slots=True)
class Ruling:
    """The court's decision on a plea."""

    adopted: bool
    adjusted: bool
    sentence: float
    upper: float

    @property
    def honoured(self) -> bool:
        """The sentence is no more severe than the signed recommendation (the upper end of its range)."""
        return self.sentence <= self.upper * (1.0 + 1e-9)


class Court:
    """A basic people's court with a bench of judges (not an agent: it reacts, it does not bargain)."""

    def __init__(self, n_judges: int, hours_per_day: float, behaviour: Behaviour, review: str) -> None:
        self.judges = [WorkClock(hours_per_day) for _ in range(n_judges)]
        self.bench = Roster(self.judges)
        self.behaviour = behaviour
        self.review = review

    def schedule(self, day: int, hours: float) -> int:
        """Book a hearing with the least-loaded judge; return the day it is held."""
        return self.judges[self.bench.least_busy()].book(day, hours)

    def detects_flaw(self, voluntariness: float, conviction_probability: float, u: float) -> bool:
        """Whether review finds the plea involuntary or its evidence insufficient (art. 201 exceptions)."""
        b = self.behaviour
        flawed = voluntariness < b.involuntary_threshold or conviction_probability < b.evidence_threshold
        chance = b.detection_substantive if self.review == "substantive" else b.detection_formal
        return flawed and u < chance

    def own_view(self, guideline_sentence: float, floor: float, ceiling: float, z: float) -> float:
        """The sentence the court itself finds appropriate: the guideline sentence on the facts established at the
        hearing (all mitigation included) with the court's noise, kept inside the guideline band [floor, ceiling]
        (full plea discount .. no plea discount)."""
        return clamp(guideline_sentence * math.exp(self.behaviour.court_noise * z), floor, ceiling)

    def rule(self, recommendation: float, determinate: bool, view: float, u_adjust: float, floor: float,
             ceiling: float) -> Ruling:
        """'Shall generally adopt' (CPL art. 201): adopt unless clearly improper — more than the tolerance away
        from the court's view, or harsher than the sentence without any plea discount on the facts the court
        finds — then suggest an adjustment, which the prosecutor may make, or sentence on the court's own view.
        A range recommendation spans ±10% of its centre; the court sentences inside it and inside the band."""
        b = self.behaviour
        width = 0.0 if determinate else RANGE_HALF_WIDTH * recommendation
        low, high = recommendation - width, recommendation + width
        gap = 0.0 if low <= view <= high else min(abs(view - low), abs(view - high)) / view
        if gap <= b.impropriety_tolerance and low <= ceiling:
            adopted = recommendation if determinate else clamp(view, max(low, floor), min(high, ceiling))
            return Ruling(True, False, adopted, high)
        if u_adjust < b.prosecutor_accepts_adjustment:
            return Ruling(True, True, view, high)
        return Ruling(False, False, view, high)

    @staticmethod
    def try_case(conviction_probability: float, u_trial: float, trial_sentence: float) -> tuple[bool, float]:
        """A contested trial: conviction with the case's probability, sentence without any plea discount."""
        convicted = u_trial < conviction_probability
        return convicted, trial_sentence if convicted else 0.0
