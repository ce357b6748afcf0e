"""Counsel: retained counsel from arrest, a duty lawyer at the stage the rules say (investigation, review or trial),
and one called in to witness a signature (CPL art. 174; seeds/004 §3.2). The pool's lawyer with the fewest open
cases (the first of equals) takes the case."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bargainsim.core.agents import Counsel, Suspect
    from bargainsim.core.model import PleaModel

OPEN_CASES = attrgetter("open_cases")


def assign(model: PleaModel, suspect: Suspect, pool: list[Counsel], stage: str) -> None:
    """The least-loaded lawyer of ``pool`` joins the case at ``stage``."""
    lawyer = min(pool, key=OPEN_CASES)
    lawyer.take_case()
    suspect.counsel, suspect.counsel_day, suspect.counsel_joined = lawyer, model.day, stage


def at_arrest(model: PleaModel, suspect: Suspect) -> None:
    """Retained counsel, or a duty lawyer where the rules assign one during investigation; counsel present then
    argues against detention."""
    if suspect.case.retained:
        assign(model, suspect, model.retained_lawyers, "investigation")
    elif model.rules.duty_lawyer_stage == "investigation":
        assign(model, suspect, model.duty_lawyers, "investigation")
    lawyer = suspect.counsel
    if lawyer is not None and suspect.detained and lawyer.argues_release(suspect.case.u_bail):
        suspect.release()


def at_stage(model: PleaModel, suspect: Suspect, stage: str) -> None:
    """A duty lawyer for a suspect still without counsel, at ``stage``: 'review' where the rules assign one
    then, 'signing' (to witness) and 'trial' always."""
    if suspect.counsel is None and (stage != "review" or model.rules.duty_lawyer_stage == "review"):
        assign(model, suspect, model.duty_lawyers, stage)


def advocated(suspect: Suspect) -> bool:
    """An advocate is at the suspect's side."""
    return suspect.counsel is not None and suspect.counsel.advocates


def since_investigation(suspect: Suspect) -> bool:
    """Counsel has been at the suspect's side since investigation."""
    return suspect.counsel is not None and suspect.counsel_joined == "investigation"
