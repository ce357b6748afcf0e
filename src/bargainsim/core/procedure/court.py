"""The court (CPL art. 201): hearings booked on the judges' calendars; review of a plea (a flawed plea is rejected
and tried), adoption or adjustment of the recommendation, or the court's own sentence; contested trials.

The court sentences on the facts established at the hearing, which need not be those the recommendation was
built on: mitigation the defense presents and some of what its own inquiry finds (lighter), compensation promised
to a victim and unpaid by the hearing (heavier: :func:`~bargainsim.core.procedure.victims.at_hearing`), and its
own judgment of the base (both ways). A recommendation clearly improper either way — far from the court's view,
harsher than the sentence without any plea discount, or more lenient than the guideline's floor — is not
adopted. Where the recommendation is advisory (FRCrP 11(c)(1)(B)) the court sentences on its own view and the plea
stands; where it binds (FRCrP 11(c)(1)(C), art. 444(2) c.p.p.) the court accepts it whole or rejects it, and a
rejected plea is tried; a range the court itself announced (§ 257c StPO) binds it unless the hearing's facts put
its view outside the range (§ 257c(4)), when the court is released and the case is tried without the confession."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.core.procedure import appeal, counsel, victims
from bargainsim.core.sentencing import Terms, clamp, guideline_band, sentence
from bargainsim.core.state import Verdict
from bargainsim.core.workclock import Roster, WorkClock
from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.cases import Case
    from bargainsim.core.model import PleaModel

RANGE_HALF_WIDTH = 0.1
"""A range recommendation spans ±10% around its centre (assumption)."""


@dataclass(frozen=True, slots=True)
class CourtConduct(BehaviourSlice):
    """What the court's review and sentencing depend on (its own view applies the guideline's usual discount)."""

    involuntary_threshold: float
    evidence_threshold: float
    detection_formal: float
    detection_substantive: float
    court_noise: float
    impropriety_tolerance: float
    prosecutor_accepts_adjustment: float
    range_recommendation: float
    victim_opposition: float
    hearing_inquiry: float
    recommendation_limits: str


@dataclass(slots=True)
class Ruling:
    """The court's decision on a plea; ``lawful``: the recommendation was within the guideline on the court's
    facts (a heavier sentence on a lawful recommendation is the defendant's grievance)."""

    adopted: bool
    adjusted: bool
    sentence: float
    upper: float
    lawful: bool = True
    rejected: bool = False

    @property
    def honoured(self) -> bool:
        """The sentence is no more severe than the signed recommendation (the upper end of its range)."""
        return self.sentence <= self.upper * (1.0 + 1e-9)


class Court:
    """A basic people's court with a bench of judges (not an agent: it reacts, it does not bargain)."""

    def __init__(self, n_judges: int, hours_per_day: float, conduct: CourtConduct, review: str,
                 terms: Terms, effect: str = "presumptive", announced: float | None = None) -> None:
        self.terms, self.effect, self.announced = terms, effect, announced
        self.judges = [WorkClock(hours_per_day) for _ in range(n_judges)]
        self.bench = Roster(self.judges)
        self.conduct = conduct
        self.review = review

    def schedule(self, day: int, hours: float) -> int:
        """Book a hearing with the least-loaded judge; return the day it is held."""
        return self.judges[self.bench.least_busy()].book(day, hours)

    def detects_flaw(self, voluntariness: float, conviction_probability: float, u: float) -> bool:
        """Whether review finds the plea involuntary or its evidence insufficient (art. 201 exceptions)."""
        c = self.conduct
        flawed = voluntariness < c.involuntary_threshold or conviction_probability < c.evidence_threshold
        chance = c.detection_substantive if self.review == "substantive" else c.detection_formal
        return flawed and u < chance

    def mitigation_found(self, mitigation: float, presented: float) -> float:
        """The mitigation established at a hearing: what the defense presents and the share ``hearing_inquiry`` of
        the rest that the court's own inquiry finds."""
        return presented + self.conduct.hearing_inquiry * (mitigation - presented)

    def assessed_base(self, case: Case) -> float:
        """The base sentence as this court assesses it: the guideline's starting point and aggravation weighed
        with the court's own judgment (log-normal noise around the case's base)."""
        return case.base_months * math.exp(self.conduct.court_noise * case.z_court)

    def band(self, case: Case, stage: str, share: float, presented: float, credit: float,
             plea_range: tuple[float, float] | None = None) -> tuple[float, float, float]:
        """(floor, own view, ceiling) on the facts at the hearing, for a plea at the ladder ``stage``: the lawful
        floor (the stage's full plea discount on the case's base), the court's view (``share`` of the usual
        discount on its assessed base) and the sentence without any plea discount on its assessed base — each with
        the mitigation it finds and the victim ``credit``, never below the lowest sentence the guideline's combined
        cap and the statute allow (the lesser charge's ``plea_range`` after a charge bargain)."""
        terms = self.terms
        low, high = (case.statutory_min, case.statutory_max) if plea_range is None else plea_range
        found = self.mitigation_found(case.mitigation, presented)
        lowest = terms.lowest(case.base_months, low, high, stage)
        floor = guideline_band(case.base_months, low, high, terms, stage, share, found, credit)[0]
        _, view, ceiling = guideline_band(self.assessed_base(case), low, high, terms, stage, share, found, credit)
        return max(floor, lowest), max(view, lowest), max(ceiling, lowest)

    def trial_sentence(self, case: Case, presented: float, credit: float) -> float:
        """The sentence on conviction at a contested trial: no plea discount, on the court's assessed base, the
        mitigation established at the hearing and the victim credit earned."""
        terms, low, high = self.terms, case.statutory_min, case.statutory_max
        months = sentence(self.assessed_base(case), low, high, 0.0, self.mitigation_found(case.mitigation, presented),
                          credit, cap=terms.total_cap)
        return max(months, terms.lowest(case.base_months, low, high))

    def hearing_share(self, suspect: Suspect) -> float:
        """The share of the stage's usual plea discount the court's view applies: all of it, less the part the
        guideline withholds when a heard victim who has not forgiven opposes leniency (CPL art. 173), as the
        prosecutor does."""
        victim, usual = suspect.victim, self.terms.usual_share
        return usual * (1.0 - self.conduct.victim_opposition) if victim is not None and victim.opposes else usual

    def rule(self, recommendation: float, determinate: bool, view: float, u_adjust: float, floor: float,
             ceiling: float) -> Ruling:
        """The ruling on a plea under the recommendation's effect (:meth:`presume`; advisory: the court's own
        view, followed when it lies inside the recommendation; binding: :meth:`presume` without adjustments, a
        rejection sending the case to trial). A range the court announced reaches ``announced`` (a share; None:
        the court bargains with nobody) below its upper limit; another range spans ±10% of its centre."""
        if self.announced is not None:
            low, high = recommendation * (1.0 - self.announced), recommendation
        else:
            width = 0.0 if determinate else RANGE_HALF_WIDTH * recommendation
            low, high = recommendation - width, recommendation + width
        if self.effect == "advisory":
            return Ruling(low <= view <= high, False, view, high, False)
        ruling = self.presume(recommendation, determinate, view, u_adjust, floor, ceiling, low, high)
        if self.effect == "binding" and not (ruling.adopted and not ruling.adjusted):
            return Ruling(False, False, view, high, ruling.lawful, True)
        return ruling

    def presume(self, recommendation: float, determinate: bool, view: float, u_adjust: float, floor: float,
                ceiling: float, low: float, high: float) -> Ruling:
        """'Shall generally adopt' (CPL art. 201): adopt unless clearly improper — more than the tolerance away
        from the court's view either way, harsher than the sentence without any plea discount, or more lenient than
        the guideline's floor (unless recommendations are unbounded, as in the textbook models), on the facts the
        court finds — then suggest an adjustment, which the prosecutor may
        make, or sentence on the court's own view. A range recommendation spans ±10% of its centre; the court
        sentences inside it and inside the band."""
        c = self.conduct
        gap = 0.0 if low <= view <= high else min(abs(view - low), abs(view - high)) / view
        lawful = c.recommendation_limits == "none" or high >= floor * (1.0 - 1e-9)
        if gap <= c.impropriety_tolerance and low <= ceiling and lawful:
            upper = min(high, ceiling)
            adopted = recommendation if determinate else clamp(view, min(max(low, floor), upper), upper)
            return Ruling(True, False, adopted, high, lawful)
        if u_adjust < c.prosecutor_accepts_adjustment:
            return Ruling(True, True, view, high, lawful)
        return Ruling(False, False, view, high, lawful)

    @staticmethod
    def try_case(conviction_probability: float, u_trial: float, trial_sentence: float) -> tuple[bool, float]:
        """A contested trial: conviction with the case's probability, sentence without any plea discount."""
        convicted = u_trial < conviction_probability
        return convicted, trial_sentence if convicted else 0.0


def send_to_trial(model: PleaModel, suspect: Suspect, day: int) -> None:
    """A contested case goes on the docket after the trial preparation period, with a duty lawyer if it has none."""
    counsel.at_stage(model, suspect, "trial")
    model.schedule("docket", day + math.ceil(model.timing.trial_preparation_days), suspect)


def docket(model: PleaModel, suspect: Suspect) -> None:
    """A judge books the hearing (and the prosecutor its trial time)."""
    procedure = suspect.procedure
    if suspect.agreement.pleaded:
        hours = procedure.plea_hearing_hours
    else:
        hours = procedure.trial_hours_court
        model.book_prosecutor(suspect, procedure.trial_hours_prosecutor)
    suspect.court_hours += hours
    model.schedule("hear", model.court.schedule(model.day, hours), suspect)


def rule_on_plea(model: PleaModel, suspect: Suspect) -> Verdict | None:
    """Adopt or adjust the recommendation — a fixed term, or a range unless the tripartite rule applies; the
    court's own announced range where it bargained — or sentence on the court's own view; None when the court
    rejects a binding agreement or is released from its own (the case is then tried)."""
    c, case, court = model.court.conduct, suspect.case, model.court
    victim = suspect.victim
    pending = victim is not None and victim.heard and not victim.compensated
    ranged = (pending or case.track == "felony") and case.u_range < c.range_recommendation
    determinate = model.rules.signature == "tripartite" or not ranged
    floor, view, ceiling = court.band(case, suspect.talks.plea_stage, court.hearing_share(suspect),
                                      suspect.views.chips, suspect.credit, suspect.plea_range)
    determinate = determinate and court.announced is None
    ruling = court.rule(suspect.agreement.recommendation, determinate, view, case.u_adjust, floor, ceiling)
    if ruling.rejected:
        return None
    if ruling.sentence > 0.0:
        suspect.agreement.regret += max(0.0, ruling.sentence - ruling.upper) / ruling.sentence
    return Verdict(determinate, ruling.adopted, ruling.adjusted, ruling.honoured, False, True, ruling.sentence,
                   agreed=ruling.upper,
                   grievance=not ruling.honoured and ruling.lawful and not suspect.compensation_unpaid,
                   trial_sentence=court.trial_sentence(case, suspect.views.chips, suspect.credit))


def reject(model: PleaModel, suspect: Suspect) -> None:
    """The plea is rejected (or the court released from its agreement) and the case goes to trial."""
    suspect.agreement.pleaded, suspect.agreement.rejected = False, True
    model.notify("plea_rejected", suspect)
    send_to_trial(model, suspect, model.day)


def hear(model: PleaModel, suspect: Suspect) -> None:
    """First instance: review of a plea (a rejected plea goes to trial) or a contested trial, on the facts at the
    hearing; then appeal and protest; the case is disposed of."""
    case, agreement = suspect.case, suspect.agreement
    if agreement.pleaded and model.court.detects_flaw(suspect.voluntariness.index, case.conviction_probability,
                                                      case.u_review):
        reject(model, suspect)
        return
    victims.at_hearing(model, suspect)
    if agreement.pleaded:
        verdict = rule_on_plea(model, suspect)
        if verdict is None:
            reject(model, suspect)
            return
        suspect.verdict = verdict
    else:
        trial_sentence = model.court.trial_sentence(case, suspect.views.chips, suspect.credit)
        convicted, months = Court.try_case(case.conviction_probability, case.u_trial, trial_sentence)
        suspect.verdict = Verdict(tried=True, convicted=convicted, sentence=months, trial_sentence=trial_sentence)
    appeal.lodge(model, suspect)
    model.close(suspect)
