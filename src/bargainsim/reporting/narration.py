"""What the transcript and the classroom say: a case's story told from what the model's stages established, in
months of sentence and working days.

A :class:`Transcriber` watches a model (a tracker, :mod:`bargainsim.core.trackers`): it keeps every case's
suspect, the moves made at the table, and the defense's view at the table and before indictment, so the story can
say what each side believed when it acted. The story names the institutions as the plea system it is told under
does (:class:`Idiom`, :func:`idiom`): China's procuratorate and plea affidavit, another country's prosecution and
plea agreement.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from bargainsim.core.agents import Suspect
from bargainsim.core.cases import Case
from bargainsim.core.trackers import Tracker
from bargainsim.params import STAGES, Behaviour, ConfigError, Guideline, Rules
from bargainsim.params.guideline import VICTIM_SETTLEMENTS

CALENDAR_DAYS_PER_WORKING_DAY = 7.0 / 5.0


@dataclass(frozen=True)
class Idiom:
    """The names a story gives the institutions of the plea system it is told under (:func:`idiom`).

    ``prosecution``: the prosecuting authority as a body; ``challenges``: what it does to a judgment it
    challenges; ``signs_plea``: what a suspect who pleads alone does; ``plea_paper``: the paper a suspect is
    asked to sign; ``agreement``: the agreement the parties sign together; ``filing``: the stage a signed plea is
    read again before (the section "Before …"); ``duty_lawyer``: the lawyer the state assigns, with its article;
    ``in_detention``: where a detained suspect negotiates; ``appeal_rule``: the second instance's rule on a
    defendant's own appeal, as the model applies it, in one sentence."""

    prosecution: str
    challenges: str
    signs_plea: str
    plea_paper: str
    agreement: str
    filing: str
    duty_lawyer: str
    in_detention: str
    appeal_rule: str

    @property
    def before_filing(self) -> str:
        """The title of the section on the signed plea read again: "Before indictment"."""
        return f"Before {self.filing}"


ABROAD = Idiom(
    prosecution="the prosecution", challenges="appeals", signs_plea="signs the plea agreement",
    plea_paper="the plea agreement", agreement="plea agreement", filing="the hearing",
    duty_lawyer="an appointed defender", in_detention="from custody",
    appeal_rule="A defendant's own appeal never brings a heavier sentence, but the prosecution may appeal too when "
                "the defendant appeals without a grievance.")
"""The plain words of a plea system other than China's, which each jurisdiction's idiom changes where its own
differ."""

IDIOMS: dict[str, Idiom] = {
    "china": Idiom(
        "the procuratorate", "protests", "signs the plea affidavit", "the plea affidavit (具结书)",
        "sentencing agreement", "indictment", "a duty lawyer", "inside the detention centre",
        "On the defendant's own appeal the sentence cannot be raised (CPL art. 237), but the procuratorate may "
        "protest an appeal made without a grievance."),
    "us_federal": dataclasses.replace(ABROAD, duty_lawyer="appointed counsel"),
    "england_wales": dataclasses.replace(ABROAD, signs_plea="indicates a guilty plea",
                                         plea_paper="a written guilty plea", duty_lawyer="a duty solicitor"),
    "germany": dataclasses.replace(ABROAD, filing="the judgment"),
    "italy": ABROAD,
}
"""Each jurisdiction's idiom (:data:`bargainsim.harness.config.JURISDICTIONS`): China's own words (the
procuratorate's protest, the plea affidavit, filing for indictment, CPL art. 237); elsewhere plain common-law or
civil-law words that cite no foreign statute — Germany's agreement is made at the main hearing, so its plea is
read again before the judgment."""


def idiom(jurisdiction: str = "china") -> Idiom:
    """The idiom a story told under ``jurisdiction`` uses (ConfigError naming the allowed values)."""
    try:
        return IDIOMS[jurisdiction]
    except KeyError:
        raise ConfigError(f"jurisdiction {jurisdiction!r} is not allowed; allowed values: "
                          f"{', '.join(IDIOMS)}") from None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class View:
    """What the defense believed and would accept at one moment of the procedure."""

    belief: float
    bias: float
    reservation: float
    recommendation: float
    signed: bool
    lawyer_signed: bool
    rounds: int


@dataclass
class Snapshots:
    """The defense's view at the end of the talks, and the reconsideration before indictment."""

    table: View | None = None
    reconsidered: bool = False
    late_belief: float = math.nan
    regret: float = 0.0


class Transcriber(Tracker):
    """Keeps, for a model's transcripts, every case's suspect (``suspects``, by case id), the ids of the cases
    disposed of (``disposed``) and the defense's view at the table and before indictment (``snapshots``); the
    negotiations keep their moves. ``jurisdiction``: the plea system whose words the stories use (:func:`idiom`)."""

    moves = True

    def __init__(self, jurisdiction: str = "china") -> None:
        idiom(jurisdiction)
        self.jurisdiction = jurisdiction
        self.suspects: dict[int, Suspect] = {}
        self.disposed: set[int] = set()
        self.snapshots: dict[int, Snapshots] = {}

    def admitted(self, suspect: Suspect) -> None:
        self.suspects[suspect.case.case_id] = suspect

    def decided(self, suspect: Suspect) -> None:
        self.snapshots[suspect.case.case_id] = Snapshots(table=_view(suspect))

    def reconsidered(self, suspect: Suspect) -> None:
        snap = self.snapshots.setdefault(suspect.case.case_id, Snapshots())
        snap.reconsidered, snap.late_belief, snap.regret = True, suspect.views.belief, suspect.agreement.regret

    def closed(self, suspect: Suspect) -> None:
        self.disposed.add(suspect.case.case_id)

    def narrate(self, case_id: int, reasons: bool = True) -> list[Section]:
        """The story of a case so far (``reasons``: as in :func:`narrate`)."""
        return narrate(self.suspects[case_id], self.snapshots.get(case_id), closed=case_id in self.disposed,
                       reasons=reasons, jurisdiction=self.jurisdiction)


def _view(suspect: Suspect) -> View:
    views, agreement = suspect.views, suspect.agreement
    return View(views.belief, views.bias, views.reservation, agreement.recommendation, agreement.signed,
                agreement.lawyer_signed, suspect.talks.rounds)


# -- plain-language formatting ---------------------------------------------------------------------------------
def months(x: float) -> str:
    """Months of sentence, one decimal ("14.2 months")."""
    return f"{x:.1f} months"


def percent(p: float) -> str:
    return f"{100.0 * p:.0f}%"


def points(d: float, signed: bool = True) -> str:
    """A difference of probabilities in percentage points ("+5 points")."""
    n = round(100.0 * d)
    text = f"{n:+d}" if signed else f"{n:d}"
    return f"{text} point" if abs(n) == 1 else f"{text} points"


RULE_WORDS = {
    "initiation": "who may open talks",
    "disclosure": "defense access to the file",
    "mutual_disclosure": "defense discloses its mitigation",
    "misdemeanor_protocol": "protocol (misdemeanors)",
    "felony_protocol": "protocol (felonies)",
    "misdemeanor_offer": "misdemeanor opening offer",
    "preparation_days": "guaranteed preparation days",
    "duty_lawyer_stage": "duty lawyer assigned at",
    "duty_lawyer_role": "duty lawyer's role",
    "public_observation": "public observers",
    "venue": "venue for detained suspects",
    "victim_participation": "victims heard",
    "kpi_pressure": "prosecutor KPI pressure",
    "signature": "who signs",
    "withdrawal_before_indictment": "withdrawal before indictment",
    "judicial_review": "court's review",
    "negotiator": "who bargains with the defense",
    "recommendation_effect": "what the agreement does in court",
    "charge_bargaining": "pleas to a lesser charge",
    "plea_limit_months": "largest sentence a plea may agree",
    "appeal_waiver": "a plea waives appeal",
    "court_range": "the court's range reaches below its upper limit by",
    "total_cap": "cap on the combined reduction",
    "usual_share": "share of the cap usually given",
    "customary_cap": "going rate's review-stage cap",
    "protest_acquittal": "chance the prosecution appeals an acquittal",
}
"""The words for each rule (and guideline or behaviour parameter) a comparison may change."""

JURISDICTION_WORDS = {"china": "China", "us_federal": "US federal", "england_wales": "England and Wales",
                      "germany": "Germany", "italy": "Italy"}
"""Each jurisdiction preset of conf/jurisdiction (:data:`bargainsim.harness.config.JURISDICTIONS`) in words."""

PLEA_SYSTEMS = {"china": "China's plea system", "us_federal": "the US federal plea system",
                "england_wales": "England and Wales' plea system", "germany": "Germany's plea system",
                "italy": "Italy's plea system"}
"""Each jurisdiction's plea system, in words."""

LADDER_KEYS = ("ladder", "plea_cap", "ladder_step", "table_investigation", "table_trial")
"""The guideline's keys that set its plea-discount caps by stage (:meth:`Guideline.plea_caps`)."""

SETTLEMENTS = " / ".join(settlement.replace("both", "compensation and forgiveness")
                         for settlement in VICTIM_SETTLEMENTS)
"""The victim settlements the guideline credits, in words."""


def rule_changes(base: Rules | Guideline | Behaviour, reform: Rules | Guideline | Behaviour,
                 prefix: str = "") -> list[str]:
    """What a reform (or another plea system) changes, in words: "defense access to the file: none → full"; the
    guideline's (prefixed "guideline") as its caps by stage and its victim credits rather than key by key."""
    if isinstance(base, Guideline):
        return [prefix + change for change in _guideline_changes(base, reform)]
    changes = []
    for f in dataclasses.fields(base):
        old, new = getattr(base, f.name), getattr(reform, f.name)
        if old == new:
            continue
        if dataclasses.is_dataclass(old):
            changes += rule_changes(old, new, f"{prefix}{f.name} ")
        else:
            changes.append(f"{prefix}{RULE_WORDS.get(f.name, f.name)}: {_word(old, f)} → {_word(new, f)}")
    return changes


def _guideline_changes(base: Guideline, other: Guideline) -> list[str]:
    """A guideline's changes: its caps by stage, combined cap, usual share, going rate and victim credits."""
    changes = []
    if any(getattr(base, key) != getattr(other, key) for key in LADDER_KEYS):
        stages = " / ".join(STAGES)
        changes.append(f"plea discount at most ({stages}): {_shares(base.plea_caps().values())} → "
                       f"{_shares(other.plea_caps().values())}")
    for key in ("total_cap", "usual_share", "customary_cap"):
        if getattr(base, key) != getattr(other, key):
            changes.append(f"{RULE_WORDS[key]}: {_share(getattr(base, key))} → {_share(getattr(other, key))}")
    for kind in ("credit", "cap"):
        old, new = ([getattr(g, f"victim_{kind}_{settlement}") for settlement in VICTIM_SETTLEMENTS]
                    for g in (base, other))
        if old != new:
            changes.append(f"victim {kind}s ({SETTLEMENTS}): {_shares(old)} → {_shares(new)}")
    return changes


def _share(x: float) -> str:
    return f"{100.0 * x:.0f}%"


def _shares(values: Iterable[float]) -> str:
    values = list(values)
    return " / ".join(map(_share, values)) if any(values) else "none"


def _word(value: object, f: dataclasses.Field | None = None) -> str:
    unit = f.metadata.get("unit", "") if f is not None else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit.startswith("share") or unit == "probability":
        return _share(value)
    if f is not None and f.name == "plea_limit_months":
        return f"{value:g} months" if value else "no limit"
    return str(value).replace("_", " ")


def case_facts(case: Case) -> list[str]:
    """The facts both arms share, including the truth neither side knows for sure."""
    detained = "detained" if case.detained else "not detained"
    victim = "a victim" if case.has_victim else "no individual victim"
    record = ", prior record" if case.prior_record else ""
    return [
        f"Case {case.case_id}: {case.offense.name.replace('_', ' ')} ({case.offense.statute}), "
        f"{case.track} track; statutory range {months(case.statutory_min)} to {months(case.statutory_max)}.",
        f"Base sentence on all the facts: {months(case.base_months)}{record}; suspect {detained}; {victim}.",
        f"The truth, hidden from both sides: the suspect is {'guilty' if case.guilty else 'INNOCENT'}, and a "
        f"trial would convict with probability {percent(case.conviction_probability)}.",
    ]


# -- the story of one case under one arm -----------------------------------------------------------------------
Section = tuple[str, list[str]]


def narrate(suspect: Suspect, snapshots: Snapshots | None, closed: bool, reasons: bool = True,
            jurisdiction: str = "china") -> list[Section]:
    """The case's story as titled sections of plain sentences: before the talks, each round, the signature,
    before indictment, the court. ``closed`` says whether the case has been disposed of (otherwise the story
    stops where the case is now). Without ``reasons`` the story does not give the defense's choices the model's
    reasons (the most the model's suspect would accept): someone else — a student — made them. The story names
    the institutions as ``jurisdiction``'s plea system does (:func:`idiom`)."""
    words = idiom(jurisdiction)
    snap = snapshots or Snapshots()
    sections: list[Section] = [("Before the talks", _before_talks(suspect, snap, reasons, words))]
    if suspect.talks.negotiated:
        sections += _rounds(suspect, snap, reasons)
        sections.append(("Signature", _signature(suspect, snap, words)))
        if snap.reconsidered:
            sections.append((words.before_filing, _before_indictment(suspect, snap, words)))
    if closed:
        sections.append(("Court", _court(suspect, words)))
    elif suspect.prosecutor is not None:
        sections.append(("Now", ["The case is still in progress."]))
    return sections


def _before_talks(s: Suspect, snap: Snapshots, reasons: bool, words: Idiom) -> list[str]:
    lines = [*_custody(s, words), *_counsel(s, words), *_victim_and_observer(s)]
    if s.prosecutor is None or math.isnan(s.views.prosecutor_belief):
        return [*lines, "The file has not yet been reviewed."]
    lines.append(f"The prosecutor puts the chance of conviction at {percent(s.views.prosecutor_belief)} "
                 f"(truth {percent(s.case.conviction_probability)}).")
    if s.non_prosecuted:
        return [*lines, f"That is below its {percent(s.model.conduct.initiation.prosecution_threshold)} threshold: "
                        "the prosecutor drops the case."]
    return [*lines, *_defense_view(s, snap, reasons), *_opening(s)]


def _custody(s: Suspect, words: Idiom) -> list[str]:
    if s.released:
        return ["Counsel argued against detention: the suspect was released on bail."]
    if not s.case.detained:
        return []
    venue = "outside detention" if s.observer is not None else (
        words.in_detention if s.model.rules.venue == "detention" else "outside detention")
    return [f"The suspect awaits trial in detention and negotiates {venue}."]


def _counsel(s: Suspect, words: Idiom) -> list[str]:
    lawyer = s.counsel
    if lawyer is None or s.counsel_joined in ("signing", "trial"):
        return ["No lawyer is at the suspect's side before the talks."]
    who = "a retained lawyer" if lawyer.kind == "retained" else words.duty_lawyer
    role = "an advocate" if lawyer.role == "advocate" else "a witness who endorses the deal"
    joined = f"{_capital(who)} (quality {lawyer.quality:.2f}) joined at the {s.counsel_joined} stage"
    lines = [f"{joined} and acts as {role}."]
    if s.views.chips > 0:
        lines.append(f"The lawyer found mitigation worth {months(s.views.chips * s.case.base_months)} off.")
    return lines


def _victim_and_observer(s: Suspect) -> list[str]:
    lines = []
    if s.victim is not None:
        v = s.victim
        heard = "was heard" if v.heard else "was not heard"
        paid = "compensated" if v.compensated else "not compensated"
        forgave = "and forgave" if v.forgiven else "and did not forgive"
        lines.append(f"The victim {heard}; {paid} {forgave}.")
    if s.observer is not None:
        lines.append("A citizen observer watches the negotiation.")
    return lines


def _defense_view(s: Suspect, snap: Snapshots, reasons: bool = True) -> list[str]:
    """What the prosecutor tells, what the lawyer advises, and what the defense believes and would accept, as
    they stood at the table."""
    views, view, truth = s.views, snap.table, s.case.conviction_probability
    belief, bias = (view.belief, view.bias) if view else (views.belief, views.bias)
    lines = [f"It tells the defense the evidence is stronger than that ({points(views.overstatement)}); nobody can "
             "check." if views.overstatement > 0 else
             "It cannot overstate the evidence: the defense or an observer can check.", _advice(s, bias),
             f"The suspect believes conviction is {percent(belief)} likely ({points(belief - truth)} off the truth)."]
    reservation = view.reservation if view else views.reservation
    if reasons and not math.isnan(reservation):
        ordeal = "detention included" if s.detained else "not detained"
        lines.append(f"A conviction at trial would bring about {months(views.defense_trial)} as the defense sees "
                     f"it; weighing the risk and what a trial itself costs the suspect ({months(views.trial_cost)}, "
                     f"{ordeal}), the most it would accept is {months(max(0.0, reservation))}.")
        if not s.case.guilty:
            lines.append(f"Admitting a crime it did not commit weighs {months(s.conduct.innocence_cost)} "
                         "against any plea.")
    return lines


def _opening(s: Suspect) -> list[str]:
    talks = s.talks
    if talks.initiated_by == "none" and not talks.negotiated:
        if s.model.rules.negotiator == "court":
            return ["The court proposes no agreement the prosecutor would consent to: the case goes to trial."]
        return ["Nobody opens a negotiation: the case goes to trial."]
    lines = [f"The prosecutor offers a plea to the lesser offense, {lesser_offense(s)}: a charge bargain."] \
        if s.reduced_charge else []
    if talks.initiated_by == "defense":
        return [f"The defense applies to negotiate ({talks.protocol}).", *lines]
    if talks.initiated_by == "prosecutor":
        return [f"The prosecutor opens the negotiation ({talks.protocol}).", *lines]
    if talks.initiated_by == "court":
        low, high = _announced(s, talks.opening)
        return [(f"At the main hearing the court proposes a range of {months(low)} to {months(high)} for a "
                 "confession (§ 257c StPO); the prosecutor consents.")]
    return lines


def lesser_offense(s: Suspect) -> str:
    """The lesser offense a charge bargain offers a plea to, with its statutory range ("" without one)."""
    case = s.case
    if not s.reduced_charge:
        return ""
    return f"{case.offense.lesser.replace('_', ' ')} ({months(case.lesser_min)} to {months(case.lesser_max)})"


def _announced(s: Suspect, upper: float) -> tuple[float, float]:
    """The range a court that bargains announces under its upper limit ``upper`` (rules.court_range)."""
    return upper * (1.0 - s.model.court.announced), upper


def _advice(s: Suspect, bias: float) -> str:
    lawyer = s.counsel
    taken = (f"the overstatement pushes the suspect's belief up {points(bias, signed=False)}" if bias > 0
             else "no overstatement reaches the suspect")
    if lawyer is None or s.counsel_joined in ("signing", "trial"):
        return f"No lawyer advises the suspect: {taken}."
    if lawyer.role == "advocate":
        return f"The lawyer's advice: be sceptical of the prosecution's claims; {taken}."
    return f"The lawyer's advice: relays the prosecution's view of the evidence; {taken}."


def _rounds(s: Suspect, snap: Snapshots, reasons: bool = True) -> list[Section]:
    reservation = snap.table.reservation if snap.table else s.views.reservation
    reservation = reservation if reasons else math.nan
    court = s.model.rules.negotiator == "court"
    by_round: dict[int, list[str]] = {}
    for move in s.talks.moves:
        by_round.setdefault(move.round, []).append(_say(move.party, move.action, move.months, reservation, court))
    return [(f"Round {r}", lines) for r, lines in sorted(by_round.items())]


def _say(party: str, action: str, m: float, reservation: float, court: bool = False) -> str:
    """One move in words; where the court bargains (§ 257c StPO) the bargainer's moves are the court's."""
    if party == "prosecutor" and court:
        return {
            "recommends": f"Court proposes at most {months(m)} for a confession.",
            "offers": f"Court proposes at most {months(m)} for a confession.",
            "ultimatum": f"Court's last proposal before the deadline: at most {months(m)}.",
            "revises": f"Court takes up the defense's points and lowers its upper limit to {months(m)}.",
            "maintains": f"Court hears the counter-proposal but keeps its upper limit of {months(m)}.",
            "accepts": f"Court accepts the defense's {months(m)}.",
        }.get(action, f"Court {action} {months(m)}.")
    if party == "prosecutor":
        return {
            "recommends": f"Prosecutor recommends {months(m)}.",
            "offers": f"Prosecutor offers {months(m)}.",
            "ultimatum": f"Prosecutor's final offer before the deadline: {months(m)}.",
            "revises": f"Prosecutor adopts the defense's points and revises to {months(m)}.",
            "maintains": f"Prosecutor hears the counter-proposal but maintains {months(m)}.",
            "accepts": f"Prosecutor accepts the defense's {months(m)}.",
        }.get(action, f"Prosecutor {action} {months(m)}.")
    limit = months(max(0.0, reservation))
    explained = not math.isnan(reservation)
    return {
        "accepts": f"Suspect accepts {months(m)}: no more than the {limit} it would bear." if explained
                   else f"Suspect accepts {months(m)}.",
        "refuses": f"Suspect refuses: {months(m)} is more than the {limit} it would accept." if explained
                   else f"Suspect refuses {months(m)}.",
        "counters": f"Defense counters with {months(m)}.",
        "proposes": f"Defense proposes {months(m)}.",
    }.get(action, f"Defense {action} {months(m)}.")


def _signature(s: Suspect, snap: Snapshots, words: Idiom) -> list[str]:
    view = snap.table
    signed = view.signed if view else s.agreement.signed
    recommendation = view.recommendation if view else s.agreement.recommendation
    tripartite = s.model.rules.signature == "tripartite"
    last = s.talks.moves[-1] if s.talks.moves else None
    court = s.model.rules.negotiator == "court"
    lines = []
    if tripartite and last is not None and last.action == "accepts" and \
            (not signed or abs(recommendation - last.months) > 1e-9):
        lines.append(f"The lawyer refuses to {'consent to' if court else 'co-sign'} {months(last.months)}; the "
                     f"{'court' if court else 'prosecutor'}'s last offer is {months(recommendation)}.")
    if not signed:
        lines.append(f"No agreement is {'reached' if court else 'signed'}: the case goes to trial.")
    elif court:
        low, high = _announced(s, recommendation)
        lines.append(f"Defendant, lawyer and prosecutor consent; the court records the agreement at the hearing: "
                     f"a sentence of {months(low)} to {months(high)} (§ 257c(3) StPO).")
    elif tripartite:
        lines.append(f"Suspect, lawyer and prosecutor sign a {words.agreement} for {months(recommendation)}.")
    elif s.counsel_joined == "signing":
        lines.append(f"{_capital(words.duty_lawyer)} is called in to witness; the suspect {words.signs_plea} for "
                     f"{months(recommendation)}.")
    else:
        lines.append(f"The suspect {words.signs_plea} for {months(recommendation)}, the lawyer witnessing.")
    if signed and not math.isnan(s.voluntariness.index):
        v = s.voluntariness
        lines.append(f"How voluntary the plea is (0 to 1): {v.index:.2f} — informed {v.informed:.2f}, free "
                     f"of pressure {1.0 - v.pressure:.2f}, participatory {v.participatory:.2f}.")
    if s.observer is not None:
        fairness = s.observer_fairness
        lines.append(f"The observer rates the fairness of the talks {fairness:.2f} (0 to 1).")
    return lines


def _before_indictment(s: Suspect, snap: Snapshots, words: Idiom) -> list[str]:
    if snap.regret <= 0.0 and not s.agreement.withdrew:
        return [f"With the file read again before {words.filing}, the suspect stands by the deal."]
    if not s.agreement.withdrew:
        return [f"With the file read again, the suspect now puts conviction at {percent(snap.late_belief)} and "
                "regrets the deal, but has no right to withdraw."]
    outcome = (f"the suspect signs again for {months(s.agreement.recommendation)}" if s.agreement.pleaded
               else "the suspect refuses and goes to trial")
    return [f"With the file read again, the suspect now puts conviction at {percent(snap.late_belief)}, "
            "withdraws the plea and renegotiates: the prosecutor's last offer is "
            f"{months(s.agreement.recommendation)}; "
            f"{outcome}."]


def _court(s: Suspect, words: Idiom) -> list[str]:
    lines = []
    if s.non_prosecuted:
        lines.append("No indictment: the case ends without a trial.")
    else:
        rules, court = s.model.rules, s.model.court
        if s.agreement.rejected:
            lines.append(_rejection(s))
        if s.agreement.pleaded:
            if s.reduced_charge:
                lines.append(f"The defendant pleaded to the lesser offense (charge bargain): {lesser_offense(s)}.")
            if s.verdict.adjusted:
                lines.append(f"The court finds the recommendation clearly improper; the prosecutor adjusts it: "
                             f"sentence {months(s.verdict.sentence)}.")
            elif s.verdict.adopted and court.announced is not None:
                lines.append(f"The court keeps to the range it announced: sentence {months(s.verdict.sentence)}.")
            elif s.verdict.adopted:
                kind = "recommendation" if s.verdict.determinate else "recommended range"
                lines.append(f"The court adopts the {kind}: sentence {months(s.verdict.sentence)}.")
            elif rules.recommendation_effect == "advisory":
                lines.append(f"The recommendation does not bind the court, which sentences on its own view: "
                             f"{months(s.verdict.sentence)}; the plea stands.")
            else:
                lines.append(f"The court rejects the recommendation and sentences on its own view: "
                             f"{months(s.verdict.sentence)}.")
            if not s.verdict.honoured:
                lines.append("That is harsher than what the suspect signed for.")
            if rules.appeal_waiver:
                lines.append("The plea agreement waived appeal: the judgment is final.")
        elif s.verdict.tried:
            if s.reduced_charge and s.talks.negotiated:
                lines.append("The plea to the lesser offense fell through: the case is tried on the full charge.")
            verdict = s.verdict
            lines.append(f"Trial: convicted, {months(verdict.sentence)}." if verdict.convicted else "Trial: acquitted.")
        if s.verdict.appealed:
            lines.append("The defendant appeals.")
        if s.verdict.protested:
            lines.append(f"{_capital(words.prosecution)} {words.challenges} the judgment.")
    lines.append(f"Disposed of after {s.days} working days (about "
                 f"{round(s.days * CALENDAR_DAYS_PER_WORKING_DAY)} calendar days).")
    return lines


def _rejection(s: Suspect) -> str:
    """Why the court sent a plea to trial: a flaw its review found (CPL art. 201), a binding agreement it would not
    apply whole, or its own announced range it was released from (§ 257c(4) StPO)."""
    court, case = s.model.court, s.case
    if court.detects_flaw(s.voluntariness.index, case.conviction_probability, case.u_review):
        return "The court's review finds the plea involuntary or the evidence too weak, rejects it and sends the " \
               "case to trial."
    if court.announced is not None:
        return "On the facts heard, the court's view falls outside the range it announced: it is released from " \
               "the agreement (§ 257c(4) StPO), the confession may not be used, and the case goes to trial."
    return "The agreement binds the court whole or not at all; it will not apply the agreed sentence, rejects the " \
           "plea and sends the case to trial."


@dataclass
class Telling:
    """One arm's run up to the case's disposition, and the story of the case."""

    label: str
    rules: Rules
    suspect: Suspect
    sections: list[Section] = field(default_factory=list)


def side_by_side(left: Telling, right: Telling, width: int) -> list[str]:
    """Both stories in two columns, section by section (a section missing on one side is left blank); the signed
    plea read again faces its counterpart whatever each plea system calls the stage ("Before indictment",
    "Before the hearing")."""
    col = (width - 3) // 2
    titles = [{_slot(t): t for t, _ in telling.sections} for telling in (left, right)]
    slots = list(dict.fromkeys([*titles[0], *titles[1]]))
    slots.sort(key=_section_order)
    left_map, right_map = ({_slot(t): lines for t, lines in telling.sections} for telling in (left, right))
    out = [f"{left.label:<{col}} │ {right.label}", f"{'─' * col}─┼─{'─' * col}"]
    for slot in slots:
        a = _wrap(left_map.get(slot, ["—"]), col)
        b = _wrap(right_map.get(slot, ["—"]), col)
        left_title = titles[0].get(slot, titles[1].get(slot, slot))
        right_title = titles[1].get(slot, left_title)
        out.append(f"{left_title.upper():<{col}} │ {right_title.upper()}")
        for i in range(max(len(a), len(b))):
            out.append(f"{a[i] if i < len(a) else '':<{col}} │ {b[i] if i < len(b) else ''}".rstrip())
        out.append(f"{'':<{col}} │")
    return out[:-1]


FILING_TITLES = frozenset(words.before_filing for words in IDIOMS.values())
"""The titles of the section on the signed plea read again, in every idiom."""


def _slot(title: str) -> str:
    """Where a section goes in the side-by-side stories: its title, or "Before indictment" for the signed plea
    read again under any name."""
    return IDIOMS["china"].before_filing if title in FILING_TITLES else title


def _section_order(title: str) -> tuple[int, int]:
    fixed = {"Before the talks": 0, "Signature": 2, "Court": 4, "Now": 4}
    if title.startswith("Round "):
        return 1, int(title.split()[1])
    if title in FILING_TITLES:
        return 3, 0
    return fixed[title], 0


def _wrap(sentences: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for sentence in sentences:
        lines += textwrap.wrap(sentence, width, subsequent_indent="  ") or [""]
    return lines


