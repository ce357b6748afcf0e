"""Signature (CPL art. 174): the suspect signs the plea affidavit in a lawyer's presence — a duty lawyer is called
in to witness if the suspect has none — or, under the tripartite rule (seeds/004 §3.1), suspect, lawyer and
prosecutor sign a sentencing agreement, and a lawyer who would not advise the deal forces the prosecutor's last
offer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from bargainsim.core import defense
from bargainsim.core.procedure import counsel, information, voluntariness
from bargainsim.core.state import Agreement

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel
    from bargainsim.core.procedure.negotiation import Conclusion


def countersign(model: PleaModel, suspect: Suspect, conclusion: Conclusion,
                reference: float) -> tuple[bool, float, bool, float]:
    """The tripartite signature: (agreed, months, ultimatum, reference) once the lawyer has signed what it would
    advise, or refused it — then the prosecutor's last offer, a round more, is signed or refused."""
    views = suspect.views
    own = information.lawyer_reservation(model, suspect, views.capacity, views.defense_trial, views.trial_cost)
    if defense.yes_no(model, suspect, "countersign", suspect.counsel.signs(conclusion.months, own),
                      conclusion.months):
        return True, conclusion.months, conclusion.ultimatum, reference
    talks = suspect.talks
    talks.rounds, talks.prosecutor_moves, talks.defense_moves = \
        talks.rounds + 1, talks.prosecutor_moves + 1, talks.defense_moves + 1
    months = conclusion.position.reservation
    agreed = defense.yes_no(model, suspect, "countersign", months <= own + 1e-9, months) and \
        defense.yes_no(model, suspect, "sign", months <= suspect.views.reservation + 1e-9, months)
    return agreed, months, True, min(reference, own)


def sign(model: PleaModel, suspect: Suspect, conclusion: Conclusion) -> None:
    """Collect the signatures on the talks' conclusion; the plea's terms are then assessed."""
    agreed, months, ultimatum = conclusion.agreed, conclusion.months, conclusion.ultimatum
    reference = conclusion.last_defense if not math.isnan(conclusion.last_defense) else suspect.talks.target
    if agreed:
        counsel.at_stage(model, suspect, "signing")
        agreed = defense.yes_no(model, suspect, "sign", True, months)
    parties = False
    if agreed and model.rules.signature == "tripartite":
        agreed, months, ultimatum, reference = countersign(model, suspect, conclusion, reference)
        parties = agreed
    suspect.agreement = Agreement(agreed, agreed, parties, parties, months)
    voluntariness.assess_plea(model, suspect, agreed and ultimatum, reference)
