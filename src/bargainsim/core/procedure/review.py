"""Transfer for review (CPL arts. 172-173): a prosecutor takes the file, counsel joins where the rules say, the
victim is heard, an observer may be invited (making the talks a dialogue), and the review deadline is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bargainsim.core.procedure import counsel, observation, victims

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


def transfer(model: PleaModel, suspect: Suspect) -> None:
    """The file arrives: the review is booked, and the decision scheduled once it and the defense's guaranteed
    preparation are done."""
    case = suspect.case
    suspect.prosecutor = model.prosecutors[model.procuratorate.least_busy()]
    counsel.at_stage(model, suspect, "review")
    hours = suspect.procedure.review_hours
    if suspect.victim is not None:
        hours += victims.hear(model, suspect)
    ready = model.book_prosecutor(suspect, hours)
    observation.invite(model, suspect)
    if suspect.counsel is not None:
        ready = max(ready, suspect.counsel_day + model.rules.preparation_days)
    suspect.deadline = model.day + model.timing.review_limit(case.track, case.base_months)
    model.schedule("decide", ready, suspect)
