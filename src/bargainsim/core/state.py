"""What a case's procedure has established so far: one small dataclass per stage that writes it.

A suspect starts with the module's defaults (shared and never written: a stage that writes its part makes its own
object) and the record (:mod:`bargainsim.core.record`) reads the columns from these objects by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from bargainsim.core.decisions import Position

NAN = float("nan")


@dataclass(slots=True)
class Views:
    """What each side believes and would accept once the review is complete (written by
    :mod:`~bargainsim.core.procedure.information`; revised by a withdrawal before indictment)."""

    prosecutor_belief: float = NAN
    overstatement: float = 0.0
    capacity: float = 0.0
    chips: float = 0.0
    bias: float = 0.0
    belief: float = NAN
    trial_cost: float = 0.0
    visible_base: float = 0.0
    defense_trial: float = 0.0
    reservation: float = NAN
    workload: float = 0.0
    prosecutor_trial_cost: float = 0.0
    trial_sentence: float = 0.0
    detention_pressure: float = 0.0


@dataclass(slots=True)
class Talks:
    """The negotiation: who opened it, under which protocol and ladder stage, and what was said (written by
    :mod:`~bargainsim.core.procedure.negotiation`; the signature and a withdrawal add a round)."""

    protocol: str = "none"
    initiated_by: str = "none"
    plea_stage: str = "review"
    negotiated: bool = False
    rounds: int = 0
    prosecutor_moves: int = 0
    defense_moves: int = 0
    opening: float = NAN
    target: float = NAN
    position: Position | None = None
    moves: tuple = ()


@dataclass(slots=True)
class Agreement:
    """The signed plea and what became of it (written by :mod:`~bargainsim.core.procedure.signature`; changed by
    :mod:`~bargainsim.core.procedure.withdrawal` and by the court's review)."""

    signed: bool = False
    pleaded: bool = False
    lawyer_signed: bool = False
    prosecutor_signed: bool = False
    recommendation: float = NAN
    withdrew: bool = False
    rejected: bool = False
    regret: float = 0.0

    @property
    def recommendation_months(self) -> float:
        """The recommendation the case was disposed of under (NaN without a plea)."""
        return self.recommendation if self.pleaded else NAN

    @property
    def lawyer_is_party(self) -> bool:
        """The lawyer signed, as a party, the agreement the case was disposed of under."""
        return self.pleaded and self.lawyer_signed

    @property
    def prosecutor_is_party(self) -> bool:
        """The prosecutor signed, as a party, the agreement the case was disposed of under."""
        return self.pleaded and self.prosecutor_signed


@dataclass(slots=True)
class Voluntariness:
    """The plea's terms as the defense experienced them and its voluntariness (written by
    :mod:`~bargainsim.core.procedure.voluntariness` whenever a plea is signed)."""

    influence: float = 0.0
    voice: float = 0.0
    deadline_pressure: float = 0.0
    detention_pressure: float = NAN
    overstatement_pressure: float = NAN
    pressure: float = NAN
    informed: float = NAN
    participatory: float = NAN
    index: float = NAN

    @property
    def uncoerced(self) -> float:
        return 1.0 - self.pressure


@dataclass(slots=True)
class Verdict:
    """The first-instance judgment, its challenge and the second instance's judgment (written by
    :mod:`~bargainsim.core.procedure.court` and :mod:`~bargainsim.core.procedure.appeal`): ``agreed`` is the
    upper end of the recommendation a plea judgment was given on, ``grievance`` whether its sentence exceeds that
    without new facts to justify it, ``trial_sentence`` the sentence without a plea discount on the hearing's
    facts."""

    determinate: bool | None = None
    adopted: bool | None = None
    adjusted: bool | None = None
    honoured: bool | None = None
    tried: bool = False
    convicted: bool = False
    sentence: float = 0.0
    appealed: bool = False
    protested: bool = False
    agreed: float = NAN
    grievance: bool = False
    trial_sentence: float = NAN
    second_instance: str = "none"
    final_sentence: float = 0.0


UNFORMED = Views()
NO_TALKS = Talks()
UNSIGNED = Agreement()
UNASSESSED = Voluntariness()
"""Before any plea: no influence, voice or deadline pressure (what an observer of failed talks rates)."""
NOT_PLEADED = Voluntariness(influence=NAN, voice=NAN, deadline_pressure=NAN)
"""What the record holds for a case disposed of without a plea: every component missing."""
UNDECIDED = Verdict()
