"""Public observation (seeds/002 §(1)): citizen representatives watch eligible negotiations the parties consent to;
an observed negotiation is a dialogue held outside detention, and the observer rates its fairness."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


@dataclass(frozen=True, slots=True)
class ObservationConduct(BehaviourSlice):
    """Which negotiations may be observed."""

    observation_eligible: float
    observation_consent: float


def invite(model: PleaModel, suspect: Suspect) -> None:
    """An observer from the panel attends an eligible, consented case's negotiation where the rules provide it."""
    case, conduct = suspect.case, model.conduct.observation
    if model.rules.public_observation and case.u_eligible < conduct.observation_eligible \
            and case.u_consent < conduct.observation_consent:
        suspect.observer = model.observer_panel[case.case_id % len(model.observer_panel)]
