"""Appeal and protest (抗诉), and the second instance (CPL arts. 227-237; seeds/001, seeds/003).

After a plea, a defendant appeals out of regret or strategically; after a trial, convictions are appealed and
acquittals protested. The rule that a defendant's own appeal cannot bring a heavier sentence (上诉不加刑, CPL art.
237) makes an appeal without a grievance a free option — unless the procuratorate protests it, and a protest can
bring the plea discount the defendant reneged on back (seeds/001: the agreement overturned by either side). So a
defendant without a grievance is deterred in proportion to the chance that a protest follows and succeeds. The
second instance revises a judgment for a real grievance (a sentence above the signed recommendation that no new
fact at the hearing justifies, a wrongful conviction, a wrongful acquittal) and upholds the rest. Each appeal and protest costs the court and the prosecutor
an appeal's hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.core import defense
from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


@dataclass(frozen=True, slots=True)
class AppealConduct(BehaviourSlice):
    """How often each kind of appeal and protest is lodged, and how the second instance decides."""

    strategic_appeal: float
    regret_appeal: float
    trial_appeal: float
    protest_strategic: float
    protest_acquittal: float
    protest_upheld: float
    revision_grievance: float
    revision_wrongful: float


def deterrence(conduct: AppealConduct) -> float:
    """The chance that an appeal without a grievance is protested and the protest upheld: what a defendant
    risks (the plea discount) by appealing."""
    return conduct.protest_strategic * conduct.protest_upheld


def challenges(conduct: AppealConduct, pleaded: bool, convicted: bool, regret: float, u_appeal: float,
               u_protest: float, appealed: bool | None = None) -> tuple[bool, bool]:
    """(appealed, protested) of a first-instance judgment; ``appealed``, if given, is the defendant's own choice
    (:mod:`bargainsim.core.defense`) instead of the rule's."""
    if pleaded:
        if appealed is None:
            strategic = conduct.strategic_appeal * (1.0 - deterrence(conduct))
            appealed = u_appeal < strategic + conduct.regret_appeal * regret
        return appealed, appealed and regret <= 0.0 and u_protest < conduct.protest_strategic
    if appealed is None:
        appealed = convicted and u_appeal < conduct.trial_appeal
    return appealed, not convicted and u_protest < conduct.protest_acquittal


def second_instance(conduct: AppealConduct, pleaded: bool, guilty: bool, convicted: bool, grievance: bool,
                    protested: bool, sentence: float, agreed: float, trial_sentence: float,
                    u: float) -> tuple[str, float]:
    """The second instance's judgment on a challenged first-instance judgment: ('upheld' | 'reduced' |
    'increased' | 'acquitted' | 'convicted', final sentence in months).

    After a plea, a sentence above what the defendant agreed to (``agreed``, the upper end of the signed
    recommendation) without new facts at the hearing to justify it is a real ``grievance``, reduced to the agreed
    terms with chance ``revision_grievance``; a protested appeal
    without one takes the plea discount back (the sentence without a plea discount, ``trial_sentence``) with
    chance ``protest_upheld``; otherwise the judgment stands — never heavier on the defendant's appeal alone.
    After a trial, an innocent defendant's conviction is quashed with chance ``revision_wrongful`` and a guilty
    defendant's protested acquittal turns into a conviction with chance ``protest_upheld``."""
    if pleaded:
        if grievance and u < conduct.revision_grievance:
            return "reduced", agreed
        if protested and u < conduct.protest_upheld and trial_sentence > sentence:
            return "increased", trial_sentence
        return "upheld", sentence
    if convicted:
        return ("acquitted", 0.0) if not guilty and u < conduct.revision_wrongful else ("upheld", sentence)
    if protested and guilty and u < conduct.protest_upheld:
        return "convicted", trial_sentence
    return "upheld", sentence


def lodge(model: PleaModel, suspect: Suspect) -> None:
    """The judgment's appeal and protest, if any, their hours, and the second instance's judgment; a plea whose
    agreement waived appeal (FRCrP 11(b)(1)(N)) is final. Taking a plea discount back after a charge bargain
    cannot leave the lesser charge's range."""
    verdict, case, agreement = suspect.verdict, suspect.case, suspect.agreement
    conduct = model.conduct.appeal
    verdict.final_sentence = verdict.sentence
    if agreement.pleaded and model.rules.appeal_waiver:
        return
    own = None
    if verdict.convicted and model.defense is not None:
        rule = challenges(conduct, agreement.pleaded, True, agreement.regret, case.u_appeal, case.u_protest)[0]
        own = defense.yes_no(model, suspect, "appeal", rule, verdict.sentence)
    verdict.appealed, verdict.protested = challenges(conduct, agreement.pleaded, verdict.convicted, agreement.regret,
                                                     case.u_appeal, case.u_protest, own)
    if not (verdict.appealed or verdict.protested):
        return
    hours = model.timing.appeal_hours
    suspect.court_hours += hours
    model.court.schedule(model.day, hours)
    model.book_prosecutor(suspect, hours)
    trial_sentence = min(verdict.trial_sentence, suspect.plea_range[1]) if agreement.pleaded else verdict.trial_sentence
    verdict.second_instance, verdict.final_sentence = second_instance(
        conduct, agreement.pleaded, case.guilty, verdict.convicted, verdict.grievance, verdict.protested,
        verdict.sentence, verdict.agreed, trial_sentence, case.u_second_instance)
