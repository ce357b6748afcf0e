"""Each agent's and stage's slice of behaviour, cut once per model from the whole
:class:`~bargainsim.params.Behaviour`."""

from __future__ import annotations

from dataclasses import dataclass

from bargainsim.core.agents import CounselConduct, ProsecutorConduct, SuspectConduct, VictimConduct
from bargainsim.core.procedure.appeal import AppealConduct
from bargainsim.core.procedure.court import CourtConduct
from bargainsim.core.procedure.information import InformationConduct
from bargainsim.core.procedure.initiation import InitiationConduct
from bargainsim.core.procedure.negotiation import BargainingConduct
from bargainsim.core.procedure.observation import ObservationConduct
from bargainsim.core.procedure.voluntariness import VoluntarinessWeights
from bargainsim.params import Behaviour

SET_UP_FIELDS = ("lawyer_quality_duty", "lawyer_quality_retained", "lawyer_quality_spread",
                 "preparation_hours_misdemeanor", "preparation_hours_felony")
"""Behaviour read once, when a district is set up: the lawyers' mean qualities (their draws) and the preparation a
track's file needs (:class:`~bargainsim.core.procedure.tracks.TrackProcedure`)."""


@dataclass(frozen=True, slots=True)
class Conduct:
    """The slices of behaviour of one model: what each agent and stage reads."""

    suspect: SuspectConduct
    prosecutor: ProsecutorConduct
    counsel: CounselConduct
    victim: VictimConduct
    court: CourtConduct
    information: InformationConduct
    initiation: InitiationConduct
    bargaining: BargainingConduct
    voluntariness: VoluntarinessWeights
    observation: ObservationConduct
    appeal: AppealConduct

    @classmethod
    def of(cls, behaviour: Behaviour) -> Conduct:
        return cls(SuspectConduct.of(behaviour), ProsecutorConduct.of(behaviour), CounselConduct.of(behaviour),
                   VictimConduct.of(behaviour), CourtConduct.of(behaviour), InformationConduct.of(behaviour),
                   InitiationConduct.of(behaviour), BargainingConduct.of(behaviour),
                   VoluntarinessWeights.of(behaviour), ObservationConduct.of(behaviour), AppealConduct.of(behaviour))
