"""The prosecutor's decision once the review is complete: not to prosecute when the evidence is not 'reliable and
sufficient' (CPL arts. 175-177), to leave the case to trial, or to negotiate — opened by the prosecutor when a plea
beats a trial in its eyes, or under two-way initiation (seeds/004 §2.1) by the defense when the going rate beats
its trial prospects. A defense that applies with counsel at its side since investigation earns that stage's
place on the plea-discount ladder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.core.procedure import counsel, information, negotiation
from bargainsim.core.sentencing import sentence
from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Position, Suspect
    from bargainsim.core.model import PleaModel


@dataclass(frozen=True, slots=True)
class InitiationConduct(BehaviourSlice):
    """When the prosecutor indicts."""

    prosecution_threshold: float


def initiator(model: PleaModel, suspect: Suspect, position: Position) -> str:
    """Who opens a negotiation ('prosecutor', 'defense' or 'none'), given the prosecutor's review-stage
    ``position``: the defense first if its counsel has been there since investigation. The defense expects the
    guideline's going rate: its usual discount at review."""
    case, views, guideline = suspect.case, suspect.views, model.guideline
    prosecutor_wants = suspect.procedure.schedule_offer or suspect.prosecutor.wants_plea(position)
    going_rate = sentence(views.visible_base, case.statutory_min, case.statutory_max, guideline.usual("review"),
                          views.chips, suspect.credit, cap=guideline.combined_cap["review"])
    defense_wants = going_rate <= views.reservation
    if model.rules.initiation == "two_way" and defense_wants and \
            (counsel.since_investigation(suspect) or not prosecutor_wants):
        return "defense"
    return "prosecutor" if prosecutor_wants else "none"


def decide(model: PleaModel, suspect: Suspect) -> None:
    """Both sides form their views; the case is dropped, left to trial, or bargained; the talks' hours are booked
    and the case filed once they are over."""
    suspect.views = views = information.form_views(model, suspect)
    suspect.non_prosecuted = views.prosecutor_belief < model.conduct.initiation.prosecution_threshold
    if not suspect.non_prosecuted:
        position = negotiation.position_at(suspect, "review", views.chips, views.prosecutor_belief)
        opened_by = initiator(model, suspect, position)
        if opened_by != "none":
            early = opened_by == "defense" and counsel.since_investigation(suspect)
            negotiation.negotiate(model, suspect, opened_by, "investigation" if early else "review", position)
    model.notify("decided", suspect)
    if suspect.non_prosecuted:
        model.close(suspect)
        return
    rounds = suspect.talks.rounds
    hours = rounds * model.round_hours(suspect)
    if suspect.observer is not None and suspect.talks.negotiated:
        hours += model.timing.observation_hours
    done = model.book_prosecutor(suspect, hours) if hours else model.day
    model.schedule("file", max(done, model.day + max(0, rounds - 1)), suspect)
