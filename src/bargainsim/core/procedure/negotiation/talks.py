"""Opening the talks: the prosecutor's position at the plea's ladder stage, the defense's target, the protocol's
rounds and adoption chance; the protocol runs, and the result goes to signature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.core import defense
from bargainsim.core.agents.prosecutor import Position
from bargainsim.core.procedure import counsel, information, signature
from bargainsim.core.procedure.negotiation.base import Bargaining, Conclusion
from bargainsim.core.procedure.negotiation.consultation import Consultation
from bargainsim.core.procedure.negotiation.dialogue import Dialogue
from bargainsim.core.procedure.negotiation.textbook import (
    AlternatingOffers,
    NashBargaining,
    Screening,
    Signalling,
    TakeItOrLeaveIt,
)
from bargainsim.core.sentencing import plea_sentence
from bargainsim.core.state import Talks
from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel

PROTOCOLS = {p.name: p for p in (Consultation(), Dialogue(), TakeItOrLeaveIt(), NashBargaining(), AlternatingOffers(),
                                 Screening(), Signalling())}


@dataclass(frozen=True, slots=True)
class BargainingConduct(BehaviourSlice):
    """How long the talks run, how readily the prosecutor adopts the defense's points, how the defense concedes,
    and the textbook protocols' terms."""

    adoption_dialogue: float
    adoption_consultation: float
    advocacy_weight: float
    dialogue_max_rounds: int
    consultation_rounds: int
    concession_defense: float
    bargaining_power: float
    discount_prosecutor: float
    discount_defense: float
    alternating_horizon: int
    strength_prior_low: float
    strength_prior_high: float


def position_at(suspect: Suspect, stage: str, known_mitigation: float, belief: float) -> Position:
    """The prosecutor's position on the case at a ladder stage, from what it knows and believes (on the lesser
    charge after a charge bargain, with the opening inside any limit on the agreed sentence); where the court
    bargains (§ 257c StPO), the court's."""
    if suspect.model.rules.negotiator == "court":
        return court_position(suspect, stage, known_mitigation, belief)
    return prosecutor_position_at(suspect, stage, known_mitigation, belief)


def prosecutor_position_at(suspect: Suspect, stage: str, known_mitigation: float, belief: float) -> Position:
    """The prosecutor's own position at a ladder stage (:meth:`Prosecutor.position`)."""
    case, victim, rules = suspect.case, suspect.victim, suspect.model.rules
    return suspect.prosecutor.position(case.base_months, case.statutory_min, case.statutory_max, belief,
                                       known_mitigation, suspect.credit, stage, suspect.views.prosecutor_trial_cost,
                                       suspect.procedure.schedule_offer, victim is not None and victim.opposes,
                                       suspect.plea_range if suspect.reduced_charge else None,
                                       rules.plea_limit_months)


def court_position(suspect: Suspect, stage: str, presented: float, belief: float) -> Position:
    """The court's proposal (§ 257c(3) StPO): the upper limit it announces for a confession is its own view of
    the sentence on the mitigation presented (:meth:`Court.band`), and it does not haggle over it — floor, opening
    and reservation are that limit; the trial sentence is its sentence without a plea, and the trial value the
    prosecutor's (``belief``)."""
    court, case = suspect.model.court, suspect.case
    _, view, ceiling = court.band(case, stage, court.hearing_share(suspect), presented, suspect.credit)
    return Position(ceiling, view, view, view, belief * ceiling - suspect.views.prosecutor_trial_cost)


def protocol_of(suspect: Suspect) -> str:
    """The case's protocol: its track's, or a dialogue before a public observer (seeds/002)."""
    return "dialogue" if suspect.observer is not None else suspect.procedure.protocol


def bargaining(model: PleaModel, suspect: Suspect, protocol: str, stage: str, position: Position,
               target: float) -> Bargaining:
    """What both sides bring: the prosecutor opens from ``position`` and, if it takes up the defense's proposal —
    the more readily, the abler and better prepared an advocate argues it — repositions on the chips and on what
    the defense's counsel has shown it."""
    c, case, views, prosecutor = model.conduct.bargaining, suspect.case, suspect.views, suspect.prosecutor
    if protocol == "dialogue":
        rounds, adoption = min(c.dialogue_max_rounds, max(1, suspect.deadline - model.day)), c.adoption_dialogue
    else:
        rounds, adoption = c.consultation_rounds, c.adoption_consultation * (1.0 - 0.5 * views.workload)
    if counsel.advocated(suspect):
        adoption += (1.0 - adoption) * c.advocacy_weight * views.capacity

    def reposition() -> Position:
        informed = prosecutor.believe(case.conviction_probability, case.guilty, case.z_prosecutor, views.capacity)
        return position_at(suspect, stage, views.chips, informed)

    return Bargaining(prosecutor, position, reposition, information.mutual_disclosure(model, suspect), adoption,
                      case.u_adopt, views.reservation, target, rounds, c.concession_defense, model.trace,
                      c.bargaining_power, c.discount_prosecutor, c.discount_defense, c.alternating_horizon,
                      views.prosecutor_belief, views.prosecutor_trial_cost, views.trial_cost, c.strength_prior_low,
                      c.strength_prior_high, defense.at_table(model, suspect), suspect.plea_range[1])


def negotiate(model: PleaModel, suspect: Suspect, initiator: str, stage: str, position: Position) -> Conclusion:
    """Run the case's protocol from ``position`` — the prosecutor's at review, repositioned for a plea at the
    earlier stage; the court's proposal at the main hearing — record the talks, and collect the signatures."""
    views = suspect.views
    low, high = suspect.plea_range
    target = plea_sentence(views.visible_base, low, high, model.guideline, stage, views.chips, suspect.credit)
    if stage == "investigation":
        position = position_at(suspect, stage, views.chips, views.prosecutor_belief)
    protocol = protocol_of(suspect)
    conclusion = PROTOCOLS[protocol].negotiate(bargaining(model, suspect, protocol, stage, position, target))
    suspect.talks = Talks(protocol, initiator, stage, True, conclusion.rounds, conclusion.prosecutor_moves,
                          conclusion.defense_moves, conclusion.opening, target, conclusion.position, conclusion.moves)
    signature.sign(model, suspect, conclusion)
    return conclusion
