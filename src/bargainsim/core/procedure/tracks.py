"""The two tracks of the procedure: misdemeanors (statutory maximum ≤ 3 years; speedy procedure, CPL arts.
222-225) and felonies (ordinary procedure), each with its own working times and negotiation protocol."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bargainsim.core.cases import TRACKS
from bargainsim.params import Behaviour, Rules, Timing

__all__ = ["TRACKS", "TrackProcedure"]


@dataclass(frozen=True, slots=True)
class TrackProcedure:
    """A track's procedural figures, looked up once per model: the days of investigation, the hours of each
    professional's work, the negotiation protocol and whether the misdemeanor schedule sets the offer."""

    investigation_days: int
    review_hours: float
    preparation_hours: float
    trial_hours_prosecutor: float
    plea_hearing_hours: float
    trial_hours_court: float
    protocol: str
    schedule_offer: bool

    @classmethod
    def of(cls, track: str, rules: Rules, behaviour: Behaviour, timing: Timing) -> TrackProcedure:
        felony = track == "felony"
        return cls(math.ceil(timing.investigation_days(track)), timing.review_hours(track),
                   behaviour.preparation_hours(track), timing.trial_hours_prosecutor(track),
                   timing.plea_hearing_hours(track), timing.trial_hours_court(track),
                   rules.felony_protocol if felony else rules.misdemeanor_protocol,
                   rules.misdemeanor_offer == "schedule" and not felony)
