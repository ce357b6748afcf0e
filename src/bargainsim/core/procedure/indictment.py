"""Filing for indictment (CPL art. 176): a signed plea is reconsidered (and may be withdrawn, :mod:`.withdrawal`);
a plea goes on the court's docket at once, a contested case after the trial preparation period."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bargainsim.core.procedure import court, withdrawal

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


def file(model: PleaModel, suspect: Suspect) -> None:
    """File the case: a renegotiation before indictment takes a day."""
    day = model.day
    if suspect.agreement.signed:
        if withdrawal.reconsider(model, suspect):
            day += 1
        model.notify("reconsidered", suspect)
    if suspect.agreement.pleaded:
        model.schedule("docket", day, suspect)
    else:
        court.send_to_trial(model, suspect, day)
