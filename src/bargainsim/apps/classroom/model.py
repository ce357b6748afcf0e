"""The classroom model: the status quo and the rules a class's levers set, run side by side on the same cases.

Both arms face the same case population and the same prosecutors, lawyers and observers (common random numbers,
:mod:`bargainsim.core.streams`); each step is a working week of both. A :class:`mesa.DataCollector` keeps the running
figures of both arms — over the cases disposed of so far, with the main job's definitions
(:data:`bargainsim.analysis.OUTCOMES`), and the cases each is over — so a chart shows a lever's effect against the
status quo as it builds up.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import mesa

from bargainsim.analysis import OUTCOMES, STATUS_QUO, Tally
from bargainsim.core.district import build_district
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules, Timing, check_integer, validate
from bargainsim.reporting.narration import Telling, Transcriber, rule_changes, side_by_side

LEVER_ARM = "levers"
ARMS = {STATUS_QUO: "status quo", LEVER_ARM: "levers"}

FIGURES = ("voluntariness", "discount", "days_to_disposition", "innocent_plea_rate", "application_rate",
           "adoption_rate")
"""The running figures, named as in :data:`bargainsim.analysis.OUTCOMES`: voluntariness, leniency (discount),
efficiency (days to disposition), innocent-plea rate, application and adoption rates."""

MIN_CASES = 30
"""Below this many cases in its denominator a figure is shown as "too few cases": the 95% margin of a share
over fewer cases can exceed ±0.18."""

WARM_UP = 6
"""Weeks the page runs on load and on Reset, so that its charts and figures have something to show."""


@dataclass(frozen=True)
class Lever:
    """One control of the page: its label, default, allowed values (choices, or a range with a step and a
    unit) and the parameter it sets."""

    name: str
    label: str
    default: object
    target: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    step: float | None = None
    unit: str = ""

    def check(self, value: object) -> None:
        """Raise :class:`ConfigError` naming the lever and its allowed values if ``value`` is not one of them."""
        if self.choices:
            if value not in self.choices:
                raise ConfigError(f"{self.name} = {value!r} is not allowed; allowed values: "
                                  f"{', '.join(self.choices)}")
        elif isinstance(self.default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{self.name} = {value!r} must be true or false")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) \
                or not self.low <= value <= self.high:
            raise ConfigError(f"{self.name} = {value!r} is not allowed; allowed values: numbers in "
                              f"[{self.low}, {self.high}]")


LEVERS: tuple[Lever, ...] = (
    Lever("disclosure", "Disclosure of the file", "none", "rules.disclosure", ("none", "core", "full")),
    Lever("protocol", "Negotiation protocol", "consultation", "rules.misdemeanor_protocol, rules.felony_protocol",
          ("consultation", "dialogue")),
    Lever("initiation", "Who may initiate", "prosecutor", "rules.initiation", ("prosecutor", "two_way")),
    Lever("lawyer_stage", "Duty lawyer from", "review", "rules.duty_lawyer_stage",
          ("investigation", "review", "trial")),
    Lever("lawyer_role", "Duty lawyer's role", "endorse", "rules.duty_lawyer_role", ("endorse", "advocate")),
    Lever("lawyer_quality", "Duty lawyer quality (mean)", 0.5, "behaviour.lawyer_quality_duty",
          low=0.05, high=0.95, step=0.05, unit="on a 0–1 scale"),
    Lever("public_observation", "Public observation", False, "rules.public_observation"),
    Lever("venue", "Venue for detained suspects", "detention", "rules.venue", ("detention", "outside")),
    Lever("kpi_pressure", "Prosecutor KPI pressure", 1.0, "rules.kpi_pressure", low=0.0, high=3.0, step=0.25,
          unit="weight (0 = none, 1 = today)"),
    Lever("innocent_share", "Share of innocent suspects (both arms)", 0.03, "caseload.innocent_share",
          low=0.0, high=0.5, step=0.01, unit="share of suspects"),
    Lever("misdemeanor_share", "Misdemeanor share of cases (both arms)", 0.75, "caseload.felony_share = 1 − share",
          low=0.0, high=1.0, step=0.05, unit="share of cases"),
)
"""The controls a class discusses. The policy levers set the lever arm only; the two case-population levers
(innocent share, case mix) set both arms, so the comparison stays one of like cases."""

_LEVERS = {lever.name: lever for lever in LEVERS}


def lever_arm(levers: dict[str, object]) -> tuple[Rules, Behaviour, Caseload]:
    """The lever arm's rules and behaviour, and both arms' caseload, from the levers' values (each checked first:
    :class:`ConfigError` naming the lever and its allowed values)."""
    for name, value in levers.items():
        _LEVERS[name].check(value)
    v = levers
    caseload = Caseload(innocent_share=float(v["innocent_share"]), felony_share=1.0 - float(v["misdemeanor_share"]))
    rules = Rules(disclosure=v["disclosure"], misdemeanor_protocol=v["protocol"], felony_protocol=v["protocol"],
                  initiation=v["initiation"], duty_lawyer_stage=v["lawyer_stage"], duty_lawyer_role=v["lawyer_role"],
                  public_observation=bool(v["public_observation"]), venue=v["venue"],
                  kpi_pressure=float(v["kpi_pressure"]))
    behaviour = Behaviour(lawyer_quality_duty=float(v["lawyer_quality"]))
    for obj, prefix in ((rules, "rules"), (behaviour, "behaviour"), (caseload, "caseload")):
        validate(obj, prefix)
    return rules, behaviour, caseload


def column(figure: str, arm: str) -> str:
    """The data collector's column of one figure in one arm, e.g. "Voluntariness — status quo"."""
    return f"{OUTCOMES[figure].title} — {ARMS[arm]}"


def count_column(figure: str, arm: str) -> str:
    """The data collector's column of the cases one figure of one arm is over, e.g. "n: Voluntariness — levers"."""
    return f"n: {column(figure, arm)}"


class ClassroomModel(mesa.Model):
    """Two district models stepped together a working week at a time: the status quo, and the levers' rules.

    Every argument is a plain value (the page's controls); bad values raise :class:`ConfigError` naming the
    lever and its allowed values before anything runs."""

    def __init__(self, disclosure: str = "none", protocol: str = "consultation", initiation: str = "prosecutor",
                 lawyer_stage: str = "review", lawyer_role: str = "endorse", lawyer_quality: float = 0.5,
                 public_observation: bool = False, venue: str = "detention", kpi_pressure: float = 1.0,
                 innocent_share: float = 0.03, misdemeanor_share: float = 0.75, seed: int = 2024,
                 n_cases: int = 4000, days_per_step: int = 5, warm_up: int = 0) -> None:
        levers = dict(disclosure=disclosure, protocol=protocol, initiation=initiation, lawyer_stage=lawyer_stage,
                      lawyer_role=lawyer_role, lawyer_quality=lawyer_quality,
                      public_observation=public_observation, venue=venue, kpi_pressure=kpi_pressure,
                      innocent_share=innocent_share, misdemeanor_share=misdemeanor_share)
        rules, behaviour, caseload = lever_arm(levers)
        for name, value, low in (("seed", seed, 0), ("n_cases", n_cases, 1), ("days_per_step", days_per_step, 1),
                                 ("warm_up", warm_up, 0)):
            check_integer(name, value, low)
        super().__init__(rng=seed)
        self.levers = levers
        self.seed, self.days_per_step = seed, days_per_step
        self.rules = {STATUS_QUO: Rules(), LEVER_ARM: rules}
        self.transcribers = {arm: Transcriber() for arm in ARMS}
        self.arms = {arm: build_district(self.rules[arm], Behaviour() if arm == STATUS_QUO else behaviour, caseload,
                                         Timing(), n_cases, seed, trackers=[self.transcribers[arm]])
                     for arm in ARMS}
        self.tallies = {arm: Tally(FIGURES) for arm in ARMS}
        self._seen = dict.fromkeys(ARMS, 0)
        self.week_start = dict.fromkeys(ARMS, 0)
        self.datacollector = mesa.DataCollector(model_reporters={
            **{column(figure, arm): (lambda m, f=figure, a=arm: m.figure(a, f)) for figure in FIGURES for arm in ARMS},
            **{count_column(figure, arm): (lambda m, f=figure, a=arm: m.count(a, f))
               for figure in FIGURES for arm in ARMS}})
        self.datacollector.collect(self)
        for _ in range(warm_up):
            self.step()

    @property
    def day(self) -> int:
        """Working days simulated so far."""
        return self.arms[LEVER_ARM].day

    def step(self) -> None:
        """One working week of both arms; then the running figures are collected."""
        self.week_start = {arm: len(model.records) for arm, model in self.arms.items()}
        for _ in range(self.days_per_step):
            for arm, model in self.arms.items():
                if len(model.records) < len(model.cases):
                    model.step()
                    self._tally(arm)
        self.running = any(len(m.records) < len(m.cases) for m in self.arms.values())
        self.datacollector.collect(self)

    def _tally(self, arm: str) -> None:
        records, tally = self.arms[arm].records, self.tallies[arm]
        for row in records[self._seen[arm]:]:
            tally.add(row)
        self._seen[arm] = len(records)

    def release(self) -> None:
        """Let both arms' districts be freed once the page no longer shows this model (Mesa keeps a counter per
        model that would hold them; :meth:`~bargainsim.core.model.PleaModel.release_agent_ids`)."""
        for model in self.arms.values():
            model.release_agent_ids()

    def figure(self, arm: str, figure: str) -> float:
        """A running figure of one arm."""
        return self.tallies[arm].value(figure)

    def count(self, arm: str, figure: str) -> int:
        """The cases a running figure of one arm is over (its denominator so far)."""
        return self.tallies[arm].count(figure)

    def disposed(self, arm: str) -> int:
        """Cases disposed of so far in one arm."""
        return self.tallies[arm].cases

    def week(self, arm: str) -> list[dict]:
        """The records of the cases one arm disposed of in the last week run."""
        return self.arms[arm].records[self.week_start[arm]:]

    def changes(self) -> list[str]:
        """What the levers change against the status quo, in words (population levers apply to both arms)."""
        changes = rule_changes(self.rules[STATUS_QUO], self.rules[LEVER_ARM])
        quality = self.levers["lawyer_quality"]
        if quality != Behaviour().lawyer_quality_duty:
            changes.append(f"duty lawyer quality: {Behaviour().lawyer_quality_duty:.2f} → {quality:.2f}")
        return changes

    def current_case(self) -> int | None:
        """The case of the most recent negotiation in the lever arm (None before the first one)."""
        transcriber = self.transcribers[LEVER_ARM]
        for case_id in reversed(transcriber.snapshots):
            if transcriber.suspects[case_id].talks.negotiated:
                return case_id
        return None

    def story(self, width: int = 100) -> str:
        """The most recent negotiation, told under both arms side by side ("" before the first one)."""
        case_id = self.current_case()
        if case_id is None:
            return ""
        tellings = []
        for arm, transcriber in self.transcribers.items():
            suspect = transcriber.suspects.get(case_id)
            sections = transcriber.narrate(case_id) if suspect is not None \
                else [("Before the talks", ["The file has not yet been reviewed."])]
            tellings.append(Telling(ARMS[arm], self.rules[arm], suspect, sections))
        case = self.arms[LEVER_ARM].cases[case_id]
        header = (f"Case {case_id}: {case.offense.name.replace('_', ' ')}, {case.track}; base sentence "
                  f"{case.base_months:.1f} months; {'guilty' if case.guilty else 'INNOCENT'}; conviction at trial "
                  f"{100 * case.conviction_probability:.0f}% likely; {'detained' if case.detained else 'at large'}.")
        return "\n".join([*textwrap.wrap(header, width), "", *side_by_side(*tellings, width)]) + "\n"
