"""The victim at review (CPL art. 173; seeds/002): heard or not, compensation and forgiveness (谅解), and the
sentencing credit they earn (SPC/SPP 2021); at the hearing, compensation agreed and still unpaid (seeds/003:
unfulfilled promises)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


def hear(model: PleaModel, suspect: Suspect) -> float:
    """Settle with the case's victim, heard under the participation reform (or by chance); return the prosecutor
    hours it took."""
    victim, case = suspect.victim, suspect.case
    heard = model.rules.victim_participation or case.u_heard < victim.conduct.victim_heard_status_quo
    victim.settle(heard, case.u_restitution, case.u_forgive)
    suspect.credit = model.guideline.victim_credit(victim.compensated, victim.forgiven)
    return model.timing.victim_hours if victim.heard else 0.0


def at_hearing(model: PleaModel, suspect: Suspect) -> None:
    """Compensation agreed with a heard victim may still be unpaid when the court sentences (chance
    ``compensation_default``): the victim withdraws the forgiveness that came with it, and the credit is lost."""
    victim = suspect.victim
    if victim is None or not (victim.heard and victim.compensated):
        return
    if suspect.case.u_default < victim.conduct.compensation_default:
        victim.go_unpaid()
        suspect.credit = model.guideline.victim_credit(victim.compensated, victim.forgiven)
