"""Arrival and investigation: the suspect, counsel during investigation, the victim; the file is transferred for
review after the track's investigation period."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bargainsim.core.agents import Suspect, Victim
from bargainsim.core.procedure import counsel

if TYPE_CHECKING:
    from bargainsim.core.cases import Case
    from bargainsim.core.model import PleaModel


def admit(model: PleaModel, case: Case) -> Suspect:
    """A case arriving today."""
    suspect = Suspect(model, case, model.conduct.suspect)
    suspect.procedure = procedure = model.procedures[case.track]
    suspect.backlog = model.backlog_today()
    counsel.at_arrest(model, suspect)
    if case.has_victim:
        suspect.victim = Victim(model, case.ability_to_pay, case.forgiveness, model.conduct.victim)
    model.schedule("transfer", model.day + procedure.investigation_days, suspect)
    model.notify("admitted", suspect)
    return suspect
