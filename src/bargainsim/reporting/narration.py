"""What the transcript and the classroom say: a case's story told from what the model's stages established, in
months of sentence and working days.

A :class:`Transcriber` watches a model (a tracker, :mod:`bargainsim.core.trackers`): it keeps every case's
suspect, the moves made at the table, and the defense's view at the table and before indictment, so the story can
say what each side believed when it acted.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from dataclasses import dataclass, field

from bargainsim.core.agents import Suspect
from bargainsim.core.cases import Case
from bargainsim.core.trackers import Tracker
from bargainsim.params import Guideline, Rules

CALENDAR_DAYS_PER_WORKING_DAY = 7.0 / 5.0


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
    negotiations keep their moves."""

    moves = True

    def __init__(self) -> None:
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
                       reasons=reasons)


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
}


def rule_changes(base: Rules | Guideline, reform: Rules | Guideline, prefix: str = "") -> list[str]:
    """The rules a reform changes, in words: "defense access to the file: none → full" (a nested section's, such
    as the guideline's, as "guideline plea_cap: 0.2 → 0.1")."""
    changes = []
    for f in dataclasses.fields(base):
        old, new = getattr(base, f.name), getattr(reform, f.name)
        if old == new:
            continue
        if dataclasses.is_dataclass(old):
            changes += rule_changes(old, new, f"{prefix}{f.name} ")
        else:
            changes.append(f"{prefix}{RULE_WORDS.get(f.name, f.name)}: {_word(old)} → {_word(new)}")
    return changes


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
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


def narrate(suspect: Suspect, snapshots: Snapshots | None, closed: bool, reasons: bool = True) -> list[Section]:
    """The case's story as titled sections of plain sentences: before the talks, each round, the signature,
    before indictment, the court. ``closed`` says whether the case has been disposed of (otherwise the story
    stops where the case is now). Without ``reasons`` the story does not give the defense's choices the model's
    reasons (the most the model's suspect would accept): someone else — a student — made them."""
    snap = snapshots or Snapshots()
    sections: list[Section] = [("Before the talks", _before_talks(suspect, snap, reasons))]
    if suspect.talks.negotiated:
        sections += _rounds(suspect, snap, reasons)
        sections.append(("Signature", _signature(suspect, snap)))
        if snap.reconsidered:
            sections.append(("Before indictment", _before_indictment(suspect, snap)))
    if closed:
        sections.append(("Court", _court(suspect)))
    elif suspect.prosecutor is not None:
        sections.append(("Now", ["The case is still in progress."]))
    return sections


def _before_talks(s: Suspect, snap: Snapshots, reasons: bool = True) -> list[str]:
    lines = [*_custody(s), *_counsel(s), *_victim_and_observer(s)]
    if s.prosecutor is None or math.isnan(s.views.prosecutor_belief):
        return [*lines, "The file has not yet been reviewed."]
    lines.append(f"The prosecutor puts the chance of conviction at {percent(s.views.prosecutor_belief)} "
                 f"(truth {percent(s.case.conviction_probability)}).")
    if s.non_prosecuted:
        return [*lines, f"That is below its {percent(s.model.conduct.initiation.prosecution_threshold)} threshold: "
                        "the prosecutor drops the case."]
    return [*lines, *_defense_view(s, snap, reasons), *_opening(s)]


def _custody(s: Suspect) -> list[str]:
    if s.released:
        return ["Counsel argued against detention: the suspect was released on bail."]
    if not s.case.detained:
        return []
    venue = "outside detention" if s.observer is not None else (
        "inside the detention centre" if s.model.rules.venue == "detention" else "outside detention")
    return [f"The suspect awaits trial in detention and negotiates {venue}."]


def _counsel(s: Suspect) -> list[str]:
    lawyer = s.counsel
    if lawyer is None or s.counsel_joined in ("signing", "trial"):
        return ["No lawyer is at the suspect's side before the talks."]
    who = "retained lawyer" if lawyer.kind == "retained" else "duty lawyer"
    role = "an advocate" if lawyer.role == "advocate" else "a witness who endorses the deal"
    lines = [f"A {who} (quality {lawyer.quality:.2f}) joined at the {s.counsel_joined} stage and acts as {role}."]
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
        return ["Nobody opens a negotiation: the case goes to trial."]
    if talks.initiated_by == "defense":
        return [f"The defense applies to negotiate ({talks.protocol})."]
    if talks.initiated_by == "prosecutor":
        return [f"The prosecutor opens the negotiation ({talks.protocol})."]
    return []


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
    by_round: dict[int, list[str]] = {}
    for move in s.talks.moves:
        by_round.setdefault(move.round, []).append(_say(move.party, move.action, move.months, reservation))
    return [(f"Round {r}", lines) for r, lines in sorted(by_round.items())]


def _say(party: str, action: str, m: float, reservation: float) -> str:
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


def _signature(s: Suspect, snap: Snapshots) -> list[str]:
    view = snap.table
    signed = view.signed if view else s.agreement.signed
    recommendation = view.recommendation if view else s.agreement.recommendation
    tripartite = s.model.rules.signature == "tripartite"
    last = s.talks.moves[-1] if s.talks.moves else None
    lines = []
    if tripartite and last is not None and last.action == "accepts" and \
            (not signed or abs(recommendation - last.months) > 1e-9):
        lines.append(f"The lawyer refuses to co-sign {months(last.months)}; the prosecutor's last offer is "
                     f"{months(recommendation)}.")
    if not signed:
        lines.append("No agreement is signed: the case goes to trial.")
    elif tripartite:
        lines.append(f"Suspect, lawyer and prosecutor sign a sentencing agreement for {months(recommendation)}.")
    elif s.counsel_joined == "signing":
        lines.append(f"A duty lawyer is called in to witness; the suspect signs the plea affidavit for "
                     f"{months(recommendation)}.")
    else:
        lines.append(f"The suspect signs the plea affidavit for {months(recommendation)}, the lawyer witnessing.")
    if signed and not math.isnan(s.voluntariness.index):
        v = s.voluntariness
        lines.append(f"How voluntary the plea is (0 to 1): {v.index:.2f} — informed {v.informed:.2f}, free "
                     f"of pressure {1.0 - v.pressure:.2f}, participatory {v.participatory:.2f}.")
    if s.observer is not None:
        fairness = s.observer_fairness
        lines.append(f"The observer rates the fairness of the talks {fairness:.2f} (0 to 1).")
    return lines


def _before_indictment(s: Suspect, snap: Snapshots) -> list[str]:
    if snap.regret <= 0.0 and not s.agreement.withdrew:
        return ["With the file read again before indictment, the suspect stands by the deal."]
    if not s.agreement.withdrew:
        return [f"With the file read again, the suspect now puts conviction at {percent(snap.late_belief)} and "
                "regrets the deal, but has no right to withdraw."]
    outcome = (f"the suspect signs again for {months(s.agreement.recommendation)}" if s.agreement.pleaded
               else "the suspect refuses and goes to trial")
    return [f"With the file read again, the suspect now puts conviction at {percent(snap.late_belief)}, "
            "withdraws the plea and renegotiates: the prosecutor's last offer is "
            f"{months(s.agreement.recommendation)}; "
            f"{outcome}."]


def _court(s: Suspect) -> list[str]:
    lines = []
    if s.non_prosecuted:
        lines.append("No indictment: the case ends without a trial.")
    else:
        if s.agreement.rejected:
            lines.append("The court's review finds the plea involuntary or the evidence too weak, rejects it "
                         "and sends the case to trial.")
        if s.agreement.pleaded:
            if s.verdict.adjusted:
                lines.append(f"The court finds the recommendation clearly improper; the prosecutor adjusts it: "
                             f"sentence {months(s.verdict.sentence)}.")
            elif s.verdict.adopted:
                kind = "recommendation" if s.verdict.determinate else "recommended range"
                lines.append(f"The court adopts the {kind}: sentence {months(s.verdict.sentence)}.")
            else:
                lines.append(f"The court rejects the recommendation and sentences on its own view: "
                             f"{months(s.verdict.sentence)}.")
            if not s.verdict.honoured:
                lines.append("That is harsher than what the suspect signed for.")
        elif s.verdict.tried:
            verdict = s.verdict
            lines.append(f"Trial: convicted, {months(verdict.sentence)}." if verdict.convicted else "Trial: acquitted.")
        if s.verdict.appealed:
            lines.append("The defendant appeals.")
        if s.verdict.protested:
            lines.append("The procuratorate protests the judgment.")
    lines.append(f"Disposed of after {s.days} working days (about "
                 f"{round(s.days * CALENDAR_DAYS_PER_WORKING_DAY)} calendar days).")
    return lines


@dataclass
class Telling:
    """One arm's run up to the case's disposition, and the story of the case."""

    label: str
    rules: Rules
    suspect: Suspect
    sections: list[Section] = field(default_factory=list)


def side_by_side(left: Telling, right: Telling, width: int) -> list[str]:
    """Both stories in two columns, section by section (a section missing on one side is left blank)."""
    col = (width - 3) // 2
    titles = list(dict.fromkeys([t for t, _ in left.sections] + [t for t, _ in right.sections]))
    titles.sort(key=_section_order)
    left_map, right_map = dict(left.sections), dict(right.sections)
    out = [f"{left.label:<{col}} │ {right.label}", f"{'─' * col}─┼─{'─' * col}"]
    for title in titles:
        a = _wrap(left_map.get(title, ["—"]), col)
        b = _wrap(right_map.get(title, ["—"]), col)
        out.append(f"{title.upper():<{col}} │ {title.upper()}")
        for i in range(max(len(a), len(b))):
            out.append(f"{a[i] if i < len(a) else '':<{col}} │ {b[i] if i < len(b) else ''}".rstrip())
        out.append(f"{'':<{col}} │")
    return out[:-1]


def _section_order(title: str) -> tuple[int, int]:
    fixed = {"Before the talks": 0, "Signature": 2, "Before indictment": 3, "Court": 4, "Now": 4}
    if title.startswith("Round "):
        return 1, int(title.split()[1])
    return fixed[title], 0


def _wrap(sentences: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for sentence in sentences:
        lines += textwrap.wrap(sentence, width, subsequent_indent="  ") or [""]
    return lines


