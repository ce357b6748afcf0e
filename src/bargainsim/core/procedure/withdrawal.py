"""Withdrawal before indictment (seeds/004 §3.1; seeds/001; seeds/003): at indictment the defense reads the file
with its preparation complete and re-values the trial; it may regret the deal and, where the rule allows,
withdraw; the prosecutor then makes its last offer (a day's round), which the defense signs or refuses for a
trial."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bargainsim.core import defense
from bargainsim.core.procedure import information, voluntariness
from bargainsim.core.sentencing import sentence

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


def late_views(model: PleaModel, suspect: Suspect) -> tuple[float, float]:
    """The defense's belief and reservation at indictment, its counsel's preparation complete: an advocate's
    client on the lawyer's re-reading of the file (as at review), any other suspect on its own."""
    lawyer, case = suspect.counsel, suspect.case
    capacity = lawyer.capacity(lawyer.effort)
    chips = information.sentencing_chips(case.mitigation, model.conduct.information.file_mitigation, capacity)
    defense_trial = sentence(case.visible_base(model.indictment_information), case.statutory_min,
                             case.statutory_max, 0.0, chips, suspect.credit, cap=model.guideline.total_cap)
    if lawyer.advocates:
        late = information.lawyer_belief(model, suspect, capacity, model.indictment_information)
    else:
        late = suspect.believe(model.indictment_information, lawyer.quality, 0.0, case.z_late)
    return late, suspect.reservation(late, defense_trial, suspect.views.trial_cost)


def reconsider(model: PleaModel, suspect: Suspect) -> bool:
    """The signed plea reconsidered at indictment; returns whether a renegotiation took place. The defense
    withdraws when it regrets the deal (:mod:`bargainsim.core.defense`)."""
    late, late_reservation = late_views(model, suspect)
    agreement = suspect.agreement
    months = agreement.recommendation
    agreement.regret = max(0.0, months - late_reservation) / months if months > 0.0 else 0.0
    if not model.rules.withdrawal_before_indictment or \
            not defense.yes_no(model, suspect, "withdraw", agreement.regret > 0.0, months, late):
        return False
    talks, views = suspect.talks, suspect.views
    last_offer = talks.position.reservation
    signs = defense.yes_no(model, suspect, "sign_again", last_offer <= late_reservation + 1e-9, last_offer, late)
    views.belief, views.bias = late, 0.0
    agreement.withdrew, agreement.regret, agreement.pleaded, agreement.recommendation = True, 0.0, signs, last_offer
    agreement.lawyer_signed = signs and agreement.lawyer_signed
    agreement.prosecutor_signed = signs and agreement.prosecutor_signed
    talks.rounds, talks.defense_moves, talks.prosecutor_moves = \
        talks.rounds + 1, talks.defense_moves + 1, talks.prosecutor_moves + 1
    model.book_prosecutor(suspect, model.round_hours(suspect))
    voluntariness.assess_plea(model, suspect, True, talks.target)
    return True
