"""The plea leniency model: one simulated district, one working day per step.

A case's life (DOMAIN.md §3), one stage module each under :mod:`bargainsim.core.procedure`: arrival and
investigation → transfer for review (counsel, victim, observer) → the prosecutor's decision, the negotiation and
the signature → filing, with reconsideration and withdrawal → the court's review or trial → appeal and protest.
Cases act only on the days they have something to do (an event calendar per phase), so the cost of a day is the
cost of that day's cases.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import mesa
import numpy as np

from bargainsim.core.agents import Counsel, Prosecutor, PublicObserver, Suspect
from bargainsim.core.cases import Case, Population, strength_prior
from bargainsim.core.conduct import Conduct
from bargainsim.core.defense import Defense
from bargainsim.core.procedure import court, indictment, initiation, investigation, review
from bargainsim.core.procedure.court import Court
from bargainsim.core.procedure.information import information_share
from bargainsim.core.procedure.tracks import TRACKS, TrackProcedure
from bargainsim.core.record import CaseLog, read_record
from bargainsim.core.sentencing import Terms
from bargainsim.core.streams import logit_normal
from bargainsim.core.trackers import Tracker
from bargainsim.core.workclock import Roster
from bargainsim.params import Behaviour, Caseload, Rules, Timing

logger = logging.getLogger(__name__)
logging.getLogger("MESA").setLevel(logging.WARNING)

PHASES = ("transfer", "decide", "file", "docket", "hear")
"""The calendar's phases of a working day, after the day's arrivals, in the order they run."""


class PleaModel(mesa.Model):
    """A district's procuratorate, legal-aid roster, observers and court processing a stream of cases.

    The persistent agents are drawn from ``rng`` (the replication's institution stream) in a fixed order: lawyer
    quality is logit-normal around the Behaviour median (sd ``lawyer_quality_spread``), observer strictness
    uniform on [-0.1, 0.1] (assumptions). Everything else a case needs at random was drawn with the case.
    ``trackers`` are told of each case at the named points of its procedure (:mod:`bargainsim.core.trackers`);
    ``defense``, if given, makes the defense's choices instead of the model's rules (:mod:`bargainsim.core.defense`).
    """

    def __init__(self, cases: Sequence[Case], rules: Rules, behaviour: Behaviour, caseload: Caseload,
                 timing: Timing, rng: np.random.Generator, trackers: Iterable[Tracker] = (),
                 defense: Defense | None = None) -> None:
        super().__init__(rng=rng)
        self.defense = defense
        self.cases = Population.of(cases)
        self.rules, self.behaviour, self.caseload, self.timing = rules, behaviour, caseload, timing
        self.conduct = Conduct.of(behaviour)
        self.guideline = Terms.of(rules.guideline)
        self.trackers = tuple(trackers)
        self.trace = any(tracker.moves for tracker in self.trackers)
        self.information = information_share(rules.disclosure, self.conduct.information)
        self.indictment_information = max(self.information, information_share("core", self.conduct.information))
        self.experience = strength_prior(caseload)
        self.procedures = {track: TrackProcedure.of(track, rules, behaviour, timing) for track in TRACKS}
        self.staff(caseload)
        self.day = 0
        self.records = CaseLog()
        self.calendar: dict[str, defaultdict[int, list[Suspect]]] = {phase: defaultdict(list) for phase in PHASES}
        self._next_arrival, self._backlog_day, self._backlog = 0, -1, 0.0

    @property
    def compiles(self) -> bool:
        """Whether :meth:`run` runs the compiled procedure: nothing watches the model, and it has not started."""
        return not self.trackers and self.defense is None and self.day == 0 and not self.records

    def staff(self, caseload: Caseload) -> None:
        """The district's prosecutors, duty and retained lawyers, observer panel and court."""
        hours, conduct, rules = caseload.hours_per_day, self.conduct, self.rules
        b = self.behaviour
        duty = logit_normal(self.rng, b.lawyer_quality_duty, b.lawyer_quality_spread, caseload.n_duty_lawyers)
        retained = logit_normal(self.rng, b.lawyer_quality_retained, b.lawyer_quality_spread,
                                caseload.n_retained_lawyers)
        strictness = self.rng.uniform(-0.1, 0.1, caseload.n_observers).tolist()
        self.prosecutors = [Prosecutor(self, conduct.prosecutor, rules.kpi_pressure, self.guideline, hours)
                            for _ in range(caseload.n_prosecutors)]
        self.duty_lawyers = [Counsel(self, "duty", q, rules.duty_lawyer_role, hours, conduct.counsel)
                             for q in duty.tolist()]
        self.retained_lawyers = [Counsel(self, "retained", q, "advocate", hours, conduct.counsel)
                                 for q in retained.tolist()]
        self.observer_panel = [PublicObserver(self, s) for s in strictness]
        self.procuratorate = Roster([p.clock for p in self.prosecutors])
        self.court = Court(caseload.n_judges, hours, conduct.court, rules.judicial_review, self.guideline,
                           rules.recommendation_effect, rules.court_range if rules.negotiator == "court" else None)

    # -- the day ---------------------------------------------------------------------------------------------------
    def step(self) -> None:
        """One working day: admit arrivals, transfer files, decide and negotiate, file, docket, hear."""
        self.admit()
        self.transfer()
        self.decide()
        self.file()
        self.docket()
        self.hear()
        self.day += 1

    def admit(self) -> None:
        """Cases arriving today: the suspect, counsel during investigation, the victim."""
        self._each_arrival(investigation.admit)

    def transfer(self) -> None:
        """Files transferred for review: a prosecutor, counsel, the victim heard, an observer invited."""
        self._each_due("transfer", review.transfer)

    def decide(self) -> None:
        """Reviews complete: beliefs, the decision to prosecute, negotiation and signature."""
        self._each_due("decide", initiation.decide)

    def file(self) -> None:
        """Filing for indictment: reconsideration and withdrawal; a plea to the docket, a trial after preparation."""
        self._each_due("file", indictment.file)

    def docket(self) -> None:
        """Cases ready for court: a judge books the hearing."""
        self._each_due("docket", court.docket)

    def hear(self) -> None:
        """First-instance hearings: review of a plea or a trial, then appeal and protest; the case is closed."""
        self._each_due("hear", court.hear)

    def run(self) -> CaseLog:
        """Step until every case is disposed of; return the case records. A model nobody watches (no trackers,
        no defense strategy) that has not started runs compiled (:mod:`bargainsim.core.compiled`): the same
        procedure, the same records."""
        if self.compiles:
            from bargainsim.core.compiled import engine

            self.records = engine.run(self)
        while len(self.records) < len(self.cases):
            self.step()
        self._warn_if_overloaded()
        self.release_agent_ids()
        return self.records

    # -- the calendar and the institution's books -----------------------------------------------------------------
    def _each_arrival(self, stage: Callable[[PleaModel, Case], object]) -> None:
        cases = self.cases.cases()
        while self._next_arrival < len(cases) and cases[self._next_arrival].arrival_day <= self.day:
            self._next_arrival += 1
            stage(self, cases[self._next_arrival - 1])

    def _each_due(self, phase: str, stage: Callable[[PleaModel, Suspect], None]) -> None:
        for suspect in self.calendar[phase].pop(self.day, ()):
            stage(self, suspect)

    def schedule(self, phase: str, day: int, suspect: Suspect) -> None:
        """Put the case on a phase's calendar for ``day`` (today if that has passed)."""
        today = self.day
        self.calendar[phase][day if day > today else today].append(suspect)

    def book_prosecutor(self, suspect: Suspect, hours: float) -> int:
        """Book the case's prosecutor for ``hours`` from today; return the day the work is done."""
        suspect.prosecutor_hours += hours
        return suspect.prosecutor.clock.book(self.day, hours)

    def round_hours(self, suspect: Suspect) -> float:
        """Prosecutor hours of one round of the case's talks."""
        timing = self.timing
        return timing.dialogue_round_hours if suspect.talks.protocol == "dialogue" else timing.consultation_round_hours

    def backlog_today(self) -> float:
        """Mean queued days of work per prosecutor, as reckoned at the day's first arrival."""
        if self._backlog_day != self.day:
            queued = sum(p.clock.queued_days(self.day) for p in self.prosecutors)
            self._backlog_day, self._backlog = self.day, queued / len(self.prosecutors)
        return self._backlog

    def notify(self, event: str, suspect: Suspect) -> None:
        """Tell the trackers that ``suspect``'s case has reached ``event`` (:data:`bargainsim.core.trackers.EVENTS`)."""
        for tracker in self.trackers:
            getattr(tracker, event)(suspect)

    def close(self, suspect: Suspect) -> None:
        """Record the disposed-of case; its lawyer is freed and its suspect and victim leave the model."""
        suspect.days = self.day - suspect.case.arrival_day
        self.records.append(read_record(suspect))
        self.notify("closed", suspect)
        if suspect.counsel is not None:
            suspect.counsel.release_case()
        if suspect.victim is not None:
            suspect.victim.remove()
        suspect.remove()

    def release_agent_ids(self) -> None:
        """Drop this model's entry in Mesa's class-level agent-id counters (``Agent._ids``, keyed by model),
        which would otherwise keep every finished model and its agents alive: a worker running hundreds of
        districts would grow by megabytes per district. A front end that stops a model before its end calls it."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)

    def _warn_if_overloaded(self) -> None:
        """A backlog still growing at the end of the run, or cases arriving late taking far longer than the first,
        means the arm exceeds the district's capacity (the prosecutors', or the court's): its days to disposition
        then depend on the number of cases simulated."""
        if len(self.records) < 2:
            return
        backlog = self.records.column("backlog_at_arrival")
        first, last = backlog[0], max(backlog[-max(1, len(self.records) // 20):])
        norm = self.conduct.prosecutor.workload_norm_days
        if last > max(2.0 * norm, 4.0 * first + 1.0):
            logger.warning("prosecutors are over capacity: the backlog reached %.1f days of work per prosecutor "
                           "(workload norm %.1f); raise caseload.n_prosecutors or lower arrivals_per_day", last, norm)
        order = np.argsort(np.asarray(self.records.column("case_id")), kind="stable")
        days = np.asarray(self.records.column("days_to_disposition"), dtype=float)[order]
        share = max(1, len(days) // 20)
        early, late = float(days[:share].mean()), float(days[-share:].mean())
        if late > 2.0 * early + 5.0:
            logger.warning("dispositions slow down over the run: the last cases to arrive took %.1f working days "
                           "against %.1f for the first, so the court or the prosecutors are over capacity and days "
                           "to disposition depend on the number of cases simulated; raise caseload.n_judges or "
                           "caseload.n_prosecutors, or lower arrivals_per_day", late, early)
