"""The prosecutor's decision once the review is complete: not to prosecute when the evidence is not 'reliable and
sufficient' (CPL arts. 175-177), to leave the case to trial, or to negotiate — opened by the prosecutor when a plea
beats a trial in its eyes, or under two-way initiation (seeds/004 §2.1) by the defense when the going rate beats
its trial prospects, or by the court where it bargains (§ 257c StPO). A defense that applies with counsel at its side since investigation earns that stage's
place on the plea-discount ladder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.core.decisions import TOLERANCE, pleadable, reduces_charge
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
    views, guideline = suspect.views, model.guideline
    prosecutor_wants = suspect.procedure.schedule_offer or suspect.prosecutor.wants_plea(position)
    low, high = suspect.plea_range
    going_rate = sentence(views.visible_base, low, high, guideline.usual("review"), views.chips, suspect.credit,
                          cap=guideline.combined_cap["review"])
    defense_wants = going_rate <= views.reservation
    if model.rules.initiation == "two_way" and defense_wants and \
            (counsel.since_investigation(suspect) or not prosecutor_wants):
        return "defense"
    return "prosecutor" if prosecutor_wants else "none"


def decide(model: PleaModel, suspect: Suspect) -> None:
    """Both sides form their views; the case is dropped, left to trial, or bargained — on a lesser charge where
    charge bargaining lets the prosecutor offer one, not at all where even the lowest plea sentence exceeds the
    limit on agreed sentences, and where the court bargains (§ 257c StPO) on the court's proposal at the main
    hearing, if the prosecutor consents (its upper limit is no lighter than the least the prosecutor would accept,
    as it accepts any offer); the talks' hours are booked and the case filed once they are over."""
    suspect.views = views = information.form_views(model, suspect)
    suspect.non_prosecuted = views.prosecutor_belief < model.conduct.initiation.prosecution_threshold
    if not suspect.non_prosecuted:
        position = negotiation.prosecutor_position_at(suspect, "review", views.chips, views.prosecutor_belief)
        rules = model.rules
        if reduces_charge(rules.charge_bargaining, suspect.case.lesser_max, position.trial_value, position.floor):
            suspect.reduced_charge = True
            position = negotiation.prosecutor_position_at(suspect, "review", views.chips, views.prosecutor_belief)
        if not pleadable(position.floor, rules.plea_limit_months):
            opened_by = "none"
        elif rules.negotiator == "court":
            proposal = negotiation.court_position(suspect, "trial", views.chips, views.prosecutor_belief)
            opened_by = "court" if proposal.opening >= position.reservation - TOLERANCE else "none"
            position = proposal
        else:
            opened_by = initiator(model, suspect, position)
        if opened_by != "none":
            early = opened_by == "defense" and counsel.since_investigation(suspect)
            stage = "trial" if opened_by == "court" else "investigation" if early else "review"
            negotiation.negotiate(model, suspect, opened_by, stage, position)
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
