"""A readable transcript of one case's negotiation, under the status quo and under a reform, side by side.

Both arms run on the same cases and the same institution (common random numbers, :mod:`bargainsim.core.streams`),
with ``trace=True`` so each suspect keeps the moves made at the table. :class:`TracedPleaModel` also keeps, for
every suspect, a snapshot of the defense's view at the table and before indictment, so the story can say what
each side believed when it acted. Everything is told in months of sentence and working days.

Usage: ``bargainsim-transcript --case 17 --seed 2024 --reform disclosure_full``.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import textwrap
from dataclasses import dataclass, field

from bargainsim.apps.scripts import ArgumentParser, guarded, integer
from bargainsim.core.agents import Suspect
from bargainsim.core.cases import Case, draw_population
from bargainsim.core.model import PleaModel
from bargainsim.core.record import STATUS_QUO
from bargainsim.core.streams import CASES, INSTITUTION, stream
from bargainsim.harness.config import MAX_SEED, Arm, check_seed, make_arm, reform_catalogue
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules, Timing

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


class TracedPleaModel(PleaModel):
    """A :class:`PleaModel` with ``trace`` on that also keeps each suspect's view at the table and before
    indictment (``snapshots[case_id]``), for transcripts and the classroom page."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["trace"] = True
        super().__init__(*args, **kwargs)
        self.snapshots: dict[int, Snapshots] = {}

    def _negotiate(self, suspect: Suspect) -> None:
        super()._negotiate(suspect)
        self.snapshots[suspect.case.case_id] = Snapshots(table=_view(suspect))

    def _reconsider(self, suspect: Suspect) -> bool:
        renegotiated = super()._reconsider(suspect)
        snap = self.snapshots.setdefault(suspect.case.case_id, Snapshots())
        snap.reconsidered, snap.late_belief, snap.regret = True, suspect.belief, suspect.regret
        return renegotiated

    def traced(self, case_id: int) -> Suspect | None:
        """The suspect of a case: disposed of, or still in the model."""
        if case_id in self.closed:
            return self.closed[case_id]
        return next((s for s in self.agents_by_type.get(Suspect, ()) if s.case.case_id == case_id), None)


def _view(suspect: Suspect) -> View:
    return View(suspect.belief, suspect.bias, suspect.reservation_months, suspect.recommendation, suspect.signed,
                suspect.lawyer_signed, suspect.rounds)


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


def rule_changes(base: Rules, reform: Rules) -> list[str]:
    """The rules a reform changes, in words: "defense access to the file: none → full"."""
    changes = []
    for f in dataclasses.fields(Rules):
        old, new = getattr(base, f.name), getattr(reform, f.name)
        if old != new:
            changes.append(f"{RULE_WORDS.get(f.name, f.name)}: {_word(old)} → {_word(new)}")
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


def narrate(suspect: Suspect, snapshots: Snapshots | None, closed: bool) -> list[Section]:
    """The case's story as titled sections of plain sentences: before the talks, each round, the signature,
    before indictment, the court. ``closed`` says whether the case has been disposed of (otherwise the story
    stops where the case is now)."""
    snap = snapshots or Snapshots()
    sections: list[Section] = [("Before the talks", _before_talks(suspect, snap))]
    if suspect.negotiated:
        sections += _rounds(suspect, snap)
        sections.append(("Signature", _signature(suspect, snap)))
        if snap.reconsidered:
            sections.append(("Before indictment", _before_indictment(suspect, snap)))
    if closed:
        sections.append(("Court", _court(suspect)))
    elif suspect.prosecutor is not None:
        sections.append(("Now", ["The case is still in progress."]))
    return sections


def _before_talks(s: Suspect, snap: Snapshots) -> list[str]:
    case, lines = s.case, []
    if s.released:
        lines.append("Counsel argued against detention: the suspect was released on bail.")
    elif case.detained:
        venue = "outside detention" if s.observer is not None else (
            "inside the detention centre" if s.model.rules.venue == "detention" else "outside detention")
        lines.append(f"The suspect awaits trial in detention and negotiates {venue}.")
    lawyer = s.lawyer
    if lawyer is None or s.lawyer_stage in ("signing", "trial"):
        lines.append("No lawyer is at the suspect's side before the talks.")
    else:
        who = "retained lawyer" if lawyer.kind == "retained" else "duty lawyer"
        role = "an advocate" if lawyer.role == "advocate" else "a witness who endorses the deal"
        lines.append(f"A {who} (quality {lawyer.quality:.2f}) joined at the {s.lawyer_stage} stage and acts as "
                     f"{role}.")
        if s.chips > 0:
            lines.append(f"The lawyer found mitigation worth {months(s.chips * case.base_months)} off.")
    if s.victim is not None:
        v = s.victim
        heard = "was heard" if v.heard else "was not heard"
        paid = "compensated" if v.compensated else "not compensated"
        forgave = "and forgave" if v.forgiven else "and did not forgive"
        lines.append(f"The victim {heard}; {paid} {forgave}.")
    if s.observer is not None:
        lines.append("A citizen observer watches the negotiation.")
    if s.prosecutor is None or math.isnan(s.prosecutor_belief):
        lines.append("The file has not yet been reviewed.")
        return lines
    truth = case.conviction_probability
    lines.append(f"The prosecutor puts the chance of conviction at {percent(s.prosecutor_belief)} "
                 f"(truth {percent(truth)}).")
    if s.non_prosecuted:
        lines.append(f"That is below its {percent(s.model.behaviour.prosecution_threshold)} threshold: the "
                     "prosecutor drops the case.")
        return lines
    view = snap.table
    belief = view.belief if view else s.belief
    bias = view.bias if view else s.bias
    if s.inflation > 0:
        lines.append(f"It tells the defense the evidence is stronger than that ({points(s.inflation)}); nobody "
                     "can check.")
    else:
        lines.append("It cannot overstate the evidence: the defense or an observer can check.")
    lines.append(_advice(s, bias))
    lines.append(f"The suspect believes conviction is {percent(belief)} likely ({points(belief - truth)} off the "
                 "truth).")
    reservation = view.reservation if view else s.reservation_months
    if not math.isnan(reservation):
        ordeal = "detention included" if s.detained else "not detained"
        lines.append(f"A conviction at trial would bring about {months(s.defense_trial)} as the defense sees it; "
                     f"weighing the risk and what a trial itself costs the suspect ({months(s.trial_cost_months)}, "
                     f"{ordeal}), the most it would accept is {months(max(0.0, reservation))}.")
        if not case.guilty:
            lines.append(f"Admitting a crime it did not commit weighs {months(s.model.behaviour.innocence_cost)} "
                         "against any plea.")
    if s.initiated == "none" and not s.negotiated:
        lines.append("Nobody opens a negotiation: the case goes to trial.")
    elif s.initiated == "defense":
        lines.append(f"The defense applies to negotiate ({s.protocol}).")
    elif s.initiated == "prosecutor":
        lines.append(f"The prosecutor opens the negotiation ({s.protocol}).")
    return lines


def _advice(s: Suspect, bias: float) -> str:
    lawyer = s.lawyer
    taken = (f"the overstatement pushes the suspect's belief up {points(bias, signed=False)}" if bias > 0
             else "no overstatement reaches the suspect")
    if lawyer is None or s.lawyer_stage in ("signing", "trial"):
        return f"No lawyer advises the suspect: {taken}."
    if lawyer.role == "advocate":
        return f"The lawyer's advice: be sceptical of the prosecution's claims; {taken}."
    return f"The lawyer's advice: relays the prosecution's view of the evidence; {taken}."


def _rounds(s: Suspect, snap: Snapshots) -> list[Section]:
    reservation = snap.table.reservation if snap.table else s.reservation_months
    by_round: dict[int, list[str]] = {}
    for move in s.moves:
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
    return {
        "accepts": f"Suspect accepts {months(m)}: no more than the {months(max(0.0, reservation))} it would bear.",
        "refuses": f"Suspect refuses: {months(m)} is more than the {months(max(0.0, reservation))} it would "
                   "accept.",
        "counters": f"Defense counters with {months(m)}.",
        "proposes": f"Defense proposes {months(m)}.",
    }.get(action, f"Defense {action} {months(m)}.")


def _signature(s: Suspect, snap: Snapshots) -> list[str]:
    view = snap.table
    signed = view.signed if view else s.signed
    recommendation = view.recommendation if view else s.recommendation
    tripartite = s.model.rules.signature == "tripartite"
    last = s.moves[-1] if s.moves else None
    lines = []
    if tripartite and last is not None and last.action == "accepts" and \
            (not signed or abs(recommendation - last.months) > 1e-9):
        lines.append(f"The lawyer refuses to co-sign {months(last.months)}; the prosecutor's last offer is "
                     f"{months(recommendation)}.")
    if not signed:
        lines.append("No agreement is signed: the case goes to trial.")
    elif tripartite:
        lines.append(f"Suspect, lawyer and prosecutor sign a sentencing agreement for {months(recommendation)}.")
    elif s.lawyer_stage == "signing":
        lines.append(f"A duty lawyer is called in to witness; the suspect signs the plea affidavit for "
                     f"{months(recommendation)}.")
    else:
        lines.append(f"The suspect signs the plea affidavit for {months(recommendation)}, the lawyer witnessing.")
    if signed and not math.isnan(s.voluntariness):
        lines.append(f"How voluntary the plea is (0 to 1): {s.voluntariness:.2f} — informed {s.informed:.2f}, free "
                     f"of pressure {1.0 - s.pressure:.2f}, participatory {s.participatory:.2f}.")
    if s.observer is not None:
        fairness = s.observer.rate(s.voice, s.influence, s.deadline_pressure, s.case.z_observer)
        lines.append(f"The observer rates the fairness of the talks {fairness:.2f} (0 to 1).")
    return lines


def _before_indictment(s: Suspect, snap: Snapshots) -> list[str]:
    if snap.regret <= 0.0 and not s.withdrew:
        return ["With the file read again before indictment, the suspect stands by the deal."]
    if not s.withdrew:
        return [f"With the file read again, the suspect now puts conviction at {percent(snap.late_belief)} and "
                "regrets the deal, but has no right to withdraw."]
    outcome = (f"the suspect signs again for {months(s.recommendation)}" if s.pleaded
               else "the suspect refuses and goes to trial")
    return [f"With the file read again, the suspect now puts conviction at {percent(snap.late_belief)}, "
            f"withdraws the plea and renegotiates: the prosecutor's last offer is {months(s.recommendation)}; "
            f"{outcome}."]


def _court(s: Suspect) -> list[str]:
    lines = []
    if s.non_prosecuted:
        lines.append("No indictment: the case ends without a trial.")
    else:
        if s.plea_rejected:
            lines.append("The court's review finds the plea involuntary or the evidence too weak, rejects it "
                         "and sends the case to trial.")
        if s.pleaded:
            if s.adjusted:
                lines.append(f"The court finds the recommendation clearly improper; the prosecutor adjusts it: "
                             f"sentence {months(s.sentence)}.")
            elif s.adopted:
                kind = "recommendation" if s.determinate else "recommended range"
                lines.append(f"The court adopts the {kind}: sentence {months(s.sentence)}.")
            else:
                lines.append(f"The court rejects the recommendation and sentences on its own view: "
                             f"{months(s.sentence)}.")
            if not s.honoured:
                lines.append("That is harsher than what the suspect signed for.")
        elif s.tried:
            lines.append(f"Trial: convicted, {months(s.sentence)}." if s.convicted else "Trial: acquitted.")
        if s.appealed:
            lines.append("The defendant appeals.")
        if s.protested:
            lines.append("The procuratorate protests the judgment.")
    lines.append(f"Disposed of after {s.days} working days (about "
                 f"{round(s.days * CALENDAR_DAYS_PER_WORKING_DAY)} calendar days).")
    return lines


# -- running and rendering -------------------------------------------------------------------------------------
@dataclass
class Telling:
    """One arm's run up to the case's disposition, and the story of the case."""

    label: str
    rules: Rules
    suspect: Suspect
    sections: list[Section] = field(default_factory=list)


def check_case(case_id: int, n_cases: int) -> None:
    """A case id of the population (ConfigError naming --case and the allowed ids)."""
    if not 0 <= case_id < n_cases:
        raise ConfigError(f"--case {case_id} is out of range; allowed values: 0 to {n_cases - 1} "
                          "(raise --n-cases for more)")


def reform_arm(reform: str, base: Rules) -> Arm:
    """The arm of a reform name from ``conf/reform``, or of several joined by '+' (ConfigError naming --reform)."""
    catalogue = reform_catalogue()
    names = reform.split("+")
    allowed = sorted(name for name, entries in catalogue.items() if entries)
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise ConfigError(f"--reform {unknown[0]!r} is not a reform; allowed values: {', '.join(allowed)}")
    entries: dict = {}
    for name in names:
        entries.update(catalogue[name])
    try:
        return make_arm(entries, base)
    except ConfigError as error:
        raise ConfigError(f"--reform {reform}: {error}") from None


def trace_case(case_id: int, seed: int, replication: int, n_cases: int, rules: Rules, label: str,
               behaviour: Behaviour | None = None, caseload: Caseload | None = None,
               timing: Timing | None = None) -> tuple[Case, Telling]:
    """Run one arm on the replication's cases until ``case_id`` is disposed of; return the case and its story."""
    behaviour, caseload, timing = behaviour or Behaviour(), caseload or Caseload(), timing or Timing()
    check_case(case_id, n_cases)
    cases = draw_population(n_cases, caseload, stream(seed, replication, CASES))
    model = TracedPleaModel(cases, rules, behaviour, caseload, timing, stream(seed, replication, INSTITUTION))
    while case_id not in model.closed:
        model.step()
    suspect = model.closed[case_id]
    telling = Telling(label, rules, suspect, narrate(suspect, model.snapshots.get(case_id), closed=True))
    return cases[case_id], telling


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


def render(case: Case, left: Telling, right: Telling, seed: int, replication: int, n_cases: int,
           width: int) -> str:
    """The full transcript: the case's facts, what the reform changes, and the two stories side by side."""
    lines = [f"bargainsim transcript — seed {seed}, replication {replication}, case {case.case_id} of "
             f"{n_cases} (months of sentence; working days)", ""]
    lines += [wrapped for fact in case_facts(case) for wrapped in textwrap.wrap(fact, width)]
    changes = rule_changes(left.rules, right.rules)
    lines.append("")
    lines += textwrap.wrap(f"{right.label} changes — " + ("; ".join(changes) if changes else "no rule") + ".",
                           width)
    lines.append("")
    lines += side_by_side(left, right, width)
    return "\n".join(lines) + "\n"


def transcript(case_id: int, seed: int, reform: str, replication: int = 0, n_cases: int = 400,
               width: int = 120) -> str:
    """The side-by-side transcript of one case under the status quo and under ``reform`` (a reform name from
    ``conf/reform``, or several joined by '+')."""
    base = Rules()
    arm = reform_arm(reform, base)
    case, left = trace_case(case_id, seed, replication, n_cases, base, STATUS_QUO)
    _, right = trace_case(case_id, seed, replication, n_cases, arm.rules, arm.label)
    return render(case, left, right, seed, replication, n_cases, width)


MAX_CASES = 100_000
"""Largest population a transcript draws (both arms are simulated until the case is disposed of)."""
MAX_WIDTH = 1000
"""Widest line a transcript lays out."""


def parser() -> ArgumentParser:
    p = ArgumentParser(
        prog="bargainsim-transcript",
        description="Tell one case's negotiation round by round, under the status quo and a reform, side by side.")
    p.add_argument("--case", metavar="ID", type=integer("a case id, 0 to n-cases − 1"), default=17,
                   help="case id, 0 to n-cases − 1 (default 17)")
    p.add_argument("--seed", metavar="SEED", type=integer(f"a root seed, 0 to {MAX_SEED}"), default=2024,
                   help="root seed (default 2024)")
    p.add_argument("--reform", metavar="NAME[+NAME]", default="disclosure_full",
                   help="reform from conf/reform, or several joined by '+' (default disclosure_full)")
    p.add_argument("--replication", metavar="R", type=integer("a replication ≥ 0"), default=0,
                   help="replication ≥ 0 (default 0)")
    p.add_argument("--n-cases", metavar="N", type=integer(f"1 to {MAX_CASES}"), default=400,
                   help=f"cases in the district's population, 1 to {MAX_CASES} (default 400)")
    p.add_argument("--width", metavar="COLUMNS", type=integer(f"80 to {MAX_WIDTH}"), default=120,
                   help=f"line width, 80 to {MAX_WIDTH} (default 120)")
    return p


def check(args: argparse.Namespace) -> None:
    """Refuse option values out of range or unknown (ConfigError naming the option and what is allowed)."""
    check_seed("--seed", args.seed)
    for name, value, low, high in (("--replication", args.replication, 0, MAX_SEED),
                                   ("--n-cases", args.n_cases, 1, MAX_CASES),
                                   ("--width", args.width, 80, MAX_WIDTH)):
        if not low <= value <= high:
            raise ConfigError(f"{name} {value} is out of range; allowed values: integers ≥ {low} and ≤ {high}")
    check_case(args.case, args.n_cases)
    reform_arm(args.reform, Rules())


def main(argv: list[str] | None = None) -> int:
    """Console script ``bargainsim-transcript``: bad input exits with code 2 before anything runs; any error is
    one line on stderr."""
    p = parser()
    args = p.parse_args(argv)
    try:
        check(args)
    except ConfigError as error:
        p.refuse(str(error))

    def tell() -> int:
        sys.stdout.write(transcript(args.case, args.seed, args.reform, args.replication, args.n_cases, args.width))
        return 0

    return guarded(p.prog, tell)


if __name__ == "__main__":
    sys.exit(main())
