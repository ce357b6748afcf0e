"""Play a case: a student takes the suspect's role, or its lawyer's, in one case of a district the model draws, and
decides at each point the procedure leaves to the defense; the prosecutor, the court and everyone else are the
model's agents.

The student's answers enter the model through a :class:`Script` (a :class:`~bargainsim.core.defense.Defense`):
it answers the played case's decisions from the answers given so far, in order, and leaves every other case to
the model's rules. A decision it has no answer for stops the run (:class:`Undecided`); the page asks the student,
and :class:`Play` runs the district again from the start with the longer script. The district's cases and their
luck are drawn before anything runs (common random numbers), so the same answers always give the same outcome.

What the page shows the role at each decision (:class:`Briefing`) is read from the case's state at that moment,
under the rules played — China's status quo, a reform of it, or another country's plea system
(:func:`procedures`); the truth is revealed only in the :class:`Debrief`, beside what the model's own suspect did
on the same case, and the same case under a reform or another plea system.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from bargainsim.core.agents import Suspect
from bargainsim.core.defense import COUNTERS, Answer, Decision, Defense
from bargainsim.core.district import build_district
from bargainsim.core.procedure.information import lawyer_belief, lawyer_reservation
from bargainsim.core.record import STATUS_QUO
from bargainsim.core.streams import stream
from bargainsim.harness.config import JURISDICTIONS, jurisdiction_preset, make_arm, reform_catalogue
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules, Timing, check_integer
from bargainsim.reporting.narration import PLEA_SYSTEMS, Snapshots, Transcriber, idiom, lesser_offense, rule_changes

ROLES = {"suspect": "the suspect", "lawyer": "the defense lawyer"}
"""The roles a student may play."""

POINTS = {
    "suspect": ("offer", "sign", "withdraw", "sign_again", "appeal"),
    "lawyer": ("offer", "countersign", "withdraw", "sign_again", "appeal"),
}
"""The decisions each role makes: the suspect signs its plea; the lawyer speaks for the defense at the table,
countersigns a tripartite agreement and advises on withdrawal and appeal (the client follows its advice)."""

N_CASES = 400
"""Cases in a played district (the transcript's default): the case is one of them."""

DRAW_STREAM = 2
"""The stream (:func:`bargainsim.core.streams.stream`) that draws which case a student plays: independent of the
cases (0) and the institution (1)."""


JURISDICTION = "jurisdiction: "
"""How the rules of a case name another country's plea system: ``jurisdiction: germany``."""


@dataclass(frozen=True)
class Procedure:
    """Rules a case can be played under, with the behaviour that goes with them (a jurisdiction's own, where it
    differs from the calibrated one) and their title in words; ``system``: the plea system in words, if it is not
    China's; ``jurisdiction``: the plea system's name (:data:`bargainsim.harness.config.JURISDICTIONS`), whose
    words tell the case (:func:`bargainsim.reporting.narration.idiom`)."""

    rules: Rules
    behaviour: Behaviour
    title: str
    system: str = ""
    jurisdiction: str = "china"


@cache
def procedures() -> dict[str, Procedure]:
    """The rules a case can be played under, by name: China's status quo, each reform of ``conf/reform``, and
    each other jurisdiction's status quo (``jurisdiction: NAME``, conf/jurisdiction)."""
    named = {STATUS_QUO: Procedure(Rules(), Behaviour(), "the status quo")}
    for name, entries in reform_catalogue().items():
        if any(entries.values()):
            named[name] = Procedure(make_arm(entries, Rules()).rules, Behaviour(), name.replace("_", " "))
    for name in JURISDICTIONS:
        if name != "china":
            preset = jurisdiction_preset(name)
            named[JURISDICTION + name] = Procedure(preset.rules, preset.behaviour, PLEA_SYSTEMS[name],
                                                   PLEA_SYSTEMS[name], name)
    return named


def procedure_named(name: str) -> Procedure:
    """The procedure of ``name`` (ConfigError naming the allowed names)."""
    try:
        return procedures()[name]
    except KeyError:
        raise ConfigError(f"rules = {name!r} is not allowed; allowed values: {', '.join(procedures())}") from None


def rules_named(name: str) -> Rules:
    """The rules of ``name`` (ConfigError naming the allowed names)."""
    return procedure_named(name).rules


def compared() -> list[str]:
    """What a debrief may compare the played case with: every procedure but the status quo."""
    return [name for name in procedures() if name != STATUS_QUO]


def changes_in_words(name: str) -> str:
    """What a reform, or another country's plea system, changes against China's status quo, in words."""
    procedure, base = procedure_named(name), procedures()[STATUS_QUO]
    changes = rule_changes(base.rules, procedure.rules) + rule_changes(base.behaviour, procedure.behaviour)
    words = "; ".join(changes) if changes else "nothing (the status quo)"
    return f"{procedure.system} in place of China's — {words}" if procedure.system else words


@dataclass(frozen=True)
class Setting:
    """What is played: the case (by id) of the district of ``seed`` with ``innocent_share`` innocent suspects,
    under the status quo or a reform (``rules``), in a role. Checked on creation (ConfigError naming the field
    and its allowed values)."""

    case_id: int
    rules: str = STATUS_QUO
    role: str = "suspect"
    seed: int = 2024
    innocent_share: float = 0.03
    n_cases: int = N_CASES

    def __post_init__(self) -> None:
        check_integer("n_cases", self.n_cases, 1)
        check_integer("seed", self.seed, 0)
        check_integer("case_id", self.case_id, 0)
        if self.case_id >= self.n_cases:
            raise ConfigError(f"case_id = {self.case_id} is not allowed; allowed values: 0 to {self.n_cases - 1}")
        if self.role not in ROLES:
            raise ConfigError(f"role = {self.role!r} is not allowed; allowed values: {', '.join(ROLES)}")
        share = self.innocent_share
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0.0 <= share <= 0.5:
            raise ConfigError(f"innocent_share = {share!r} is not allowed; allowed values: numbers in [0, 0.5]")
        rules_named(self.rules)

    @property
    def caseload(self) -> Caseload:
        return Caseload(innocent_share=float(self.innocent_share))

    def district(self, rules: Rules, trackers: Sequence[Transcriber] = (), defense: Defense | None = None,
                 behaviour: Behaviour | None = None):
        """The played district under ``rules`` (and ``behaviour``, by default the calibrated one): the same cases
        and institution under any rules."""
        return build_district(rules, behaviour or Behaviour(), self.caseload, Timing(), self.n_cases, self.seed,
                              trackers=trackers, defense=defense)


def draw_case(seed: int, draw: int, rules: str = STATUS_QUO, role: str = "suspect", innocent_share: float = 0.03,
              n_cases: int = N_CASES) -> Setting:
    """The ``draw``-th case dealt to a student in the district of ``seed``: drawn (stream :data:`DRAW_STREAM`)
    among the cases that reach the table under ``rules`` — with counsel at the table for the lawyer's role — and
    disposed of within the district's first 200 working days."""
    setting = Setting(0, rules, role, seed, innocent_share, n_cases)
    procedure = procedure_named(rules)
    transcriber = Transcriber(procedure.jurisdiction)
    model = setting.district(procedure.rules, [transcriber], behaviour=procedure.behaviour)
    while len(model.records) < len(model.cases) and model.day < 200:
        model.step()
    model.release_agent_ids()
    eligible = [case_id for case_id, suspect in sorted(transcriber.suspects.items())
                if case_id in transcriber.disposed and suspect.talks.negotiated
                and (role == "suspect" or _counsel_at_table(suspect))]
    if not eligible:
        raise ConfigError(f"no case of seed {seed} reaches the table under {rules}; choose another seed")
    pick = stream(seed, draw, DRAW_STREAM).integers(len(eligible))
    return dataclasses.replace(setting, case_id=int(eligible[int(pick)]))


def _counsel_at_table(suspect: Suspect) -> bool:
    return suspect.counsel is not None and suspect.counsel_joined in ("investigation", "review")


# -- the script and the question ---------------------------------------------------------------------------------
class Undecided(Exception):
    """The played case has reached a decision the script has no answer for."""

    def __init__(self, briefing: Briefing) -> None:
        super().__init__(briefing.point)
        self.briefing = briefing


@dataclass(frozen=True)
class Given:
    """An answer the student gave, with the point it answered."""

    point: str
    answer: Answer


class Script(Defense):
    """Answers the played case's decisions of the role from ``answers``, in order; every other decision with the
    model's rule. Raises :class:`Undecided`, with what the role knows, at the first decision it has no answer for
    (told in the words of ``jurisdiction``'s plea system)."""

    def __init__(self, case_id: int, role: str, answers: Sequence[Given], jurisdiction: str = "china") -> None:
        self.case_id, self.role, self.answers = case_id, role, tuple(answers)
        self.jurisdiction = jurisdiction
        self.points = POINTS[role]
        self.asked = 0

    def choose(self, suspect: Suspect, decision: Decision) -> Answer:
        if suspect.case.case_id != self.case_id or decision.point not in self.points:
            return decision.default
        if self.asked == len(self.answers):
            raise Undecided(brief(suspect, decision, self.role, self.jurisdiction))
        given = self.answers[self.asked]
        self.asked += 1
        if given.point != decision.point:
            raise RuntimeError(f"the replay of case {self.case_id} reached {decision.point!r} where the script "
                               f"answered {given.point!r}")
        return given.answer


@dataclass(frozen=True)
class Briefing:
    """What the role knows when it decides, read from the case's state at that moment (NaN: not known to it).

    ``stated``: the prosecutor's stated strength (its belief plus any overstatement); ``advice``: what the lawyer
    tells the suspect about the chance of conviction (an endorsing lawyer relays the statement, an advocate its
    own reading), ``advised_limit``: the most an advocate advises accepting; ``own_belief``: the role's own belief
    (the suspect's, or the lawyer's reading of the file), ``client_belief``: the suspect's, told to its lawyer;
    ``trial_sentence``: the sentence on conviction at trial as the defense reads the file; ``trial_cost``: what
    waiting for and going through a trial costs the suspect, in months of sentence (detention included);
    ``days_left``: working days to the end of the review; ``court``: the court, not the prosecutor, proposes the
    terms (§ 257c StPO); ``lesser``: the lesser offense a charge bargain offers a plea to, in words ("" if
    none); ``jurisdiction``: the plea system whose words the page uses
    (:func:`bargainsim.reporting.narration.idiom`)."""

    role: str
    point: str
    options: tuple[str, ...]
    months: float
    round: int
    rounds: int
    final: bool
    moves: tuple
    offense: str
    track: str
    statutory: tuple[float, float]
    detained: bool
    inside: bool
    released: bool
    lawyer: str
    lawyer_role: str
    stated: float
    advice: float
    advised_limit: float
    own_belief: float
    client_belief: float
    trial_sentence: float
    trial_cost: float
    mitigation: float
    days_left: int
    days_since_arrest: int
    tripartite: bool
    withdrawal_allowed: bool
    court: bool = False
    lesser: str = ""
    sentence: float = math.nan
    tried: bool = False
    honoured: bool | None = None
    jurisdiction: str = "china"

    @property
    def counters(self) -> str | None:
        """The word for a counter-proposal here, if one is allowed."""
        return next((option for option in self.options if option in COUNTERS), None)


def brief(suspect: Suspect, decision: Decision, role: str, jurisdiction: str = "china") -> Briefing:
    """What ``role`` knows at ``decision`` in ``suspect``'s case, under the rules of its model (and in the words
    of ``jurisdiction``'s plea system)."""
    model, views, case, lawyer = suspect.model, suspect.views, suspect.case, suspect.counsel
    at_table = lawyer is not None and suspect.counsel_joined in ("investigation", "review", "signing")
    reading = lawyer_belief(model, suspect, views.capacity) if at_table else math.nan
    advocate = at_table and lawyer.advocates
    stated = views.prosecutor_belief + views.overstatement
    limit = lawyer_reservation(model, suspect, views.capacity, views.defense_trial, views.trial_cost) \
        if advocate else math.nan
    belief = views.belief if math.isnan(decision.belief) else decision.belief
    verdict = suspect.verdict
    return Briefing(
        role, decision.point, decision.options, decision.months, decision.round, decision.rounds, decision.final,
        decision.moves, case.offense.name.replace("_", " "), case.track, (case.statutory_min, case.statutory_max),
        suspect.detained, suspect.detained and model.rules.venue == "detention" and suspect.observer is None,
        suspect.released, _lawyer_words(suspect, jurisdiction) if at_table else "", lawyer.role if at_table else "",
        stated, (reading if advocate else stated) if at_table else math.nan, limit,
        reading if role == "lawyer" else belief, belief if role == "lawyer" else math.nan, views.defense_trial,
        views.trial_cost, views.chips * case.base_months, suspect.deadline - model.day,
        model.day - case.arrival_day, model.rules.signature == "tripartite", model.rules.withdrawal_before_indictment,
        model.rules.negotiator == "court", lesser_offense(suspect),
        verdict.sentence if decision.point == "appeal" else math.nan, verdict.tried, verdict.honoured, jurisdiction)


def _lawyer_words(suspect: Suspect, jurisdiction: str = "china") -> str:
    lawyer = suspect.counsel
    who = "a retained lawyer" if lawyer.kind == "retained" else idiom(jurisdiction).duty_lawyer
    when = {"investigation": "since the investigation", "review": "since the review for prosecution",
            "signing": "called in to witness the signature"}[suspect.counsel_joined]
    return f"{who} ({when})"


# -- one student's play ------------------------------------------------------------------------------------------
@dataclass
class Run:
    """One run of a setting's case to its disposition: the rules' label, the case's record, its suspect and the
    transcriber's snapshots."""

    label: str
    rules: Rules
    record: dict
    suspect: Suspect
    snapshots: Snapshots | None
    transcriber: Transcriber = field(repr=False)


def run_case(setting: Setting, rules: Rules, label: str, defense: Defense | None = None,
             behaviour: Behaviour | None = None, jurisdiction: str = "china") -> Run:
    """Run the setting's district under ``rules`` (and ``behaviour``, by default the calibrated one) until its
    case is disposed of (``defense`` making the defense's choices, if given), its story told in the words of
    ``jurisdiction``'s plea system; raises :class:`Undecided` from a script that has no answer."""
    transcriber = Transcriber(jurisdiction)
    model = setting.district(rules, [transcriber], defense, behaviour)
    try:
        while setting.case_id not in transcriber.disposed:
            model.step()
    finally:
        model.release_agent_ids()
    record = next(row for row in reversed(model.records) if row["case_id"] == setting.case_id)
    return Run(label, rules, record, transcriber.suspects[setting.case_id],
               transcriber.snapshots.get(setting.case_id), transcriber)


def run_named(setting: Setting, name: str, label: str, defense: Defense | None = None) -> Run:
    """:func:`run_case` under the procedure ``name`` (:func:`procedures`): its rules, its behaviour and its plea
    system's words."""
    procedure = procedure_named(name)
    return run_case(setting, procedure.rules, label, defense, procedure.behaviour, procedure.jurisdiction)


class Play:
    """A student's play of one case: the answers so far, and either the question the case now asks
    (:attr:`question`) or, once it is disposed of, the student's run of it (:attr:`outcome`). Answering makes a
    new play (:meth:`answer`)."""

    def __init__(self, setting: Setting, answers: Sequence[Given] = ()) -> None:
        self.setting = setting
        self.answers: list[Given] = list(answers)
        self.question: Briefing | None = None
        self.outcome: Run | None = None
        self._advance()

    @property
    def done(self) -> bool:
        return self.outcome is not None

    def answer(self, action: str, months: float | None = None) -> Play:
        """The play with the current question answered, run on to the next one (ConfigError, in words, for an
        answer the rules do not allow here); this play is left as it was."""
        question = self.question
        if question is None:
            raise ConfigError("the case is over: there is nothing left to decide")
        if action not in question.options:
            raise ConfigError(f"{action!r} is not possible here; the choices are: {', '.join(question.options)}")
        if action in COUNTERS:
            if months is None or isinstance(months, bool) or not isinstance(months, (int, float)) \
                    or not math.isfinite(months):
                raise ConfigError("enter the months you propose as a number")
            if not 0.0 <= months < question.months:
                raise ConfigError(f"a counter-proposal must be at least 0 and below the offer on the table "
                                  f"({question.months:.1f} months); {months:g} is not")
            answer = Answer(action, float(months))
        else:
            answer = Answer(action)
        return Play(self.setting, [*self.answers, Given(question.point, answer)])

    def _advance(self) -> None:
        setting = self.setting
        script = Script(setting.case_id, setting.role, self.answers, procedure_named(setting.rules).jurisdiction)
        try:
            self.outcome = run_named(setting, setting.rules, "you", script)
            self.question = None
        except Undecided as stop:
            self.outcome, self.question = None, stop.briefing

    def debrief(self, compare: str) -> Debrief:
        """The debrief of the finished play against the model's own suspect, under the same rules and under
        ``compare`` (a reform or another plea system, :func:`procedures`)."""
        if self.outcome is None:
            raise ConfigError("the case is not over yet: finish playing it first")
        setting = self.setting
        model = run_named(setting, setting.rules, "the model's suspect")
        other = run_named(setting, compare, f"the model's suspect under {procedure_named(compare).title}")
        return Debrief(setting, compare, (self.outcome, model, other))


# -- the debrief -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One line of the debrief: a record column, its words and how it is shown."""

    column: str
    label: str
    kind: str = "flag"


DEBRIEF_ROWS: tuple[Row, ...] = (
    Row("guilty", "Guilty (the truth)"),
    Row("conviction_probability", "Chance of conviction at trial (the truth)", "share"),
    Row("prosecutor_belief", "The prosecutor believed", "share"),
    Row("overstatement", "… and overstated it by", "points"),
    Row("suspect_belief", "The suspect believed (when it last decided on a plea)", "share"),
    Row("detention_pressure", "Detention pressure on the plea (0–1)", "score"),
    Row("rounds", "Rounds of talks", "count"),
    Row("signed", "Signed a plea"),
    Row("withdrew", "Withdrew it before indictment"),
    Row("recommendation_months", "Recommendation signed (months)", "months"),
    Row("voluntariness", "Voluntariness of the plea (0–1)", "score"),
    Row("plea_rejected", "The court rejected the plea"),
    Row("tried", "Tried"),
    Row("convicted", "Convicted"),
    Row("sentence_months", "Sentence (months)", "months"),
    Row("trial_sentence_months", "Sentence on conviction at trial, no plea (months)", "months"),
    Row("appealed", "Appealed"),
    Row("second_instance", "Second instance", "text"),
    Row("final_sentence_months", "Final sentence (months)", "months"),
    Row("days_to_disposition", "Working days from arrest to judgment", "count"),
)
"""The debrief's lines, each a column of the case's record (:mod:`bargainsim.core.record`)."""


def shown(row: Row, value: object) -> str:
    """A record value as the debrief shows it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if row.kind == "flag":
        return "yes" if value else "no"
    if row.kind == "share":
        return f"{100 * value:.0f}%"
    if row.kind == "points":
        return f"{100 * value:+.0f} points"
    if row.kind == "months":
        return f"{value:.1f}"
    if row.kind == "score":
        return f"{value:.2f}"
    if row.kind == "count":
        return f"{value:.0f}"
    return str(value).replace("_", " ")


@dataclass(frozen=True)
class Debrief:
    """The played case three times: the student's run, the model's suspect under the same rules, and the model's
    suspect under the reform ``compare``."""

    setting: Setting
    compare: str
    runs: tuple[Run, Run, Run]

    def table(self) -> list[tuple[Row, list[object]]]:
        """Each debrief line with its value in each run, read from the runs' records."""
        return [(row, [run.record[row.column] for run in self.runs]) for row in DEBRIEF_ROWS]

    @property
    def changes(self) -> str:
        return changes_in_words(self.compare)


def acceptance(record: dict) -> bool:
    """Whether the defense accepted a plea in a case: it signed a plea affidavit at some point."""
    return bool(record["signed"])

