"""Appeal and protest (抗诉): after a plea, strategic appeals and appeals out of regret, and protests against
appeals without a grievance (seeds/001); after a trial, appeals of convictions and protests against acquittals.
Each costs the court and the prosecutor an appeal's hours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


@dataclass(frozen=True, slots=True)
class AppealConduct(BehaviourSlice):
    """How often each kind of appeal and protest is lodged."""

    strategic_appeal: float
    regret_appeal: float
    trial_appeal: float
    protest_strategic: float
    protest_acquittal: float


def challenges(conduct: AppealConduct, pleaded: bool, convicted: bool, regret: float, u_appeal: float,
               u_protest: float) -> tuple[bool, bool]:
    """(appealed, protested) of a first-instance judgment."""
    if pleaded:
        appealed = u_appeal < conduct.strategic_appeal + conduct.regret_appeal * regret
        return appealed, appealed and regret <= 0.0 and u_protest < conduct.protest_strategic
    return convicted and u_appeal < conduct.trial_appeal, not convicted and u_protest < conduct.protest_acquittal


def lodge(model: PleaModel, suspect: Suspect) -> None:
    """The judgment's appeal and protest, if any, and their hours."""
    verdict, case = suspect.verdict, suspect.case
    verdict.appealed, verdict.protested = challenges(model.conduct.appeal, suspect.agreement.pleaded,
                                                     verdict.convicted, suspect.agreement.regret, case.u_appeal,
                                                     case.u_protest)
    if verdict.appealed or verdict.protested:
        hours = model.timing.appeal_hours
        suspect.court_hours += hours
        model.court.schedule(model.day, hours)
        model.book_prosecutor(suspect, hours)
