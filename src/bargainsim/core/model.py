"""The plea leniency model: one simulated district, one working day per step.

A case's life (DOMAIN.md §3): arrival and investigation → transfer for review, counsel and victim → the
prosecutor's decision and the negotiation → signature, possible withdrawal, filing → the court's review or trial →
appeal and protest. Cases act only on the days they have something to do (an event calendar per phase), so the
cost of a day is the cost of that day's cases.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

import mesa
import numpy as np

from bargainsim.core.agents import DutyLawyer, Position, Prosecutor, PublicObserver, Suspect, Victim
from bargainsim.core.cases import Case
from bargainsim.core.procedure.court import Court
from bargainsim.core.procedure.information import belief_noise, information_share, signal
from bargainsim.core.procedure.negotiation import PROTOCOLS, Outcome, Table
from bargainsim.core.record import CaseLog
from bargainsim.core.sentencing import PLEA_CAP, guideline_band, sentence, victim_credit
from bargainsim.core.streams import beta_with_mean
from bargainsim.core.workclock import Roster
from bargainsim.params import Behaviour, Caseload, Rules, Timing

logger = logging.getLogger(__name__)
logging.getLogger("MESA").setLevel(logging.WARNING)

NAN = float("nan")
OPEN_CASES = attrgetter("open_cases")


@dataclass(frozen=True, slots=True)
class TrackTerms:
    """A track's procedural figures (from Rules, Behaviour and Timing), looked up once per model: the days of
    investigation, the hours of each professional's work, the negotiation protocol and whether the misdemeanor
    schedule sets the offer."""

    investigation_days: int
    review_hours: float
    preparation_hours: float
    trial_hours_prosecutor: float
    plea_hearing_hours: float
    trial_hours_court: float
    protocol: str
    schedule_offer: bool

    @classmethod
    def of(cls, track: str, rules: Rules, behaviour: Behaviour, timing: Timing) -> TrackTerms:
        felony = track == "felony"
        return cls(math.ceil(timing.investigation_days(track)), timing.review_hours(track),
                   behaviour.preparation_hours(track), timing.trial_hours_prosecutor(track),
                   timing.plea_hearing_hours(track), timing.trial_hours_court(track),
                   rules.felony_protocol if felony else rules.misdemeanor_protocol,
                   rules.misdemeanor_offer == "schedule" and not felony)


class PleaModel(mesa.Model):
    """A district's procuratorate, legal-aid roster, observers and court processing a stream of cases.

    The persistent agents are drawn from ``rng`` (the replication's institution stream) in a fixed order: lawyer
    quality is Beta with the Behaviour mean (concentration 6), observer strictness uniform on [-0.1, 0.1]
    (assumptions). Everything else a case needs at random was drawn with the case.
    """

    def __init__(self, cases: Sequence[Case], rules: Rules, behaviour: Behaviour, caseload: Caseload,
                 timing: Timing, rng: np.random.Generator, trace: bool = False) -> None:
        """``trace`` keeps each negotiation's moves on its suspect (``Suspect.moves``) for inspection."""
        super().__init__(rng=rng)
        self.rules, self.behaviour, self.caseload, self.timing = rules, behaviour, caseload, timing
        self.trace = trace
        self.closed: dict[int, Suspect] = {}  # with trace: disposed-of suspects by case id, for transcripts
        self.cases = cases
        self.information = information_share(rules.disclosure, behaviour)
        self.indictment_information = max(self.information, information_share("core", behaviour))
        self.terms = {track: TrackTerms.of(track, rules, behaviour, timing) for track in ("misdemeanor", "felony")}
        hours = caseload.hours_per_day
        duty_quality = beta_with_mean(self.rng, behaviour.lawyer_quality_duty, 6.0, caseload.n_duty_lawyers).tolist()
        retained_quality = beta_with_mean(self.rng, behaviour.lawyer_quality_retained, 6.0,
                                          caseload.n_retained_lawyers).tolist()
        strictness = self.rng.uniform(-0.1, 0.1, caseload.n_observers).tolist()
        self.prosecutors = [Prosecutor(self, behaviour, rules.kpi_pressure, hours)
                            for _ in range(caseload.n_prosecutors)]
        self.duty_lawyers = [DutyLawyer(self, "duty", q, rules.duty_lawyer_role, hours) for q in duty_quality]
        self.retained_lawyers = [DutyLawyer(self, "retained", q, "advocate", hours) for q in retained_quality]
        self.observers = [PublicObserver(self, s) for s in strictness]
        self.procuratorate = Roster([p.clock for p in self.prosecutors])
        self.court = Court(caseload.n_judges, hours, behaviour, rules.judicial_review)
        self.day = 0
        self.records = CaseLog()
        self._next_arrival = 0
        self._calendar: dict[str, defaultdict[int, list[Suspect]]] = {
            phase: defaultdict(list) for phase in ("transfer", "decide", "file", "docket", "hear")}

    # -- the day -------------------------------------------------------------------------------------------
    def step(self) -> None:
        """One working day: admit arrivals, transfer files, decide and negotiate, file, docket, hear."""
        self.admit()
        self.transfer()
        self.decide()
        self.file()
        self.docket()
        self.hear()
        self.day += 1

    def run(self) -> CaseLog:
        """Step until every case is disposed of; return the case records."""
        while len(self.records) < len(self.cases):
            self.step()
        self._warn_if_overloaded()
        self._release_agent_ids()
        return self.records

    def _release_agent_ids(self) -> None:
        """Drop this model's entry in Mesa's class-level agent-id counters (``Agent._ids``, keyed by model),
        which would otherwise keep every finished model and its agents alive: a worker running hundreds of
        districts would grow by megabytes per district."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)

    def _warn_if_overloaded(self) -> None:
        """A backlog still growing at the end of the run means the arm exceeds the district's capacity: its
        days to disposition then depend on the number of cases simulated."""
        if len(self.records) < 2:
            return
        first = self.records[0]["backlog_at_arrival"]
        last = max(r["backlog_at_arrival"] for r in self.records[-max(1, len(self.records) // 20):])
        if last > max(2.0 * self.behaviour.workload_norm_days, 4.0 * first + 1.0):
            logger.warning("prosecutors are over capacity: the backlog reached %.1f days of work per prosecutor "
                           "(workload norm %.1f); raise caseload.n_prosecutors or lower arrivals_per_day",
                           last, self.behaviour.workload_norm_days)

    # -- phases --------------------------------------------------------------------------------------------
    def _due(self, phase: str) -> Iterable[Suspect]:
        return self._calendar[phase].pop(self.day, ())

    def _schedule(self, phase: str, day: int, suspect: Suspect) -> None:
        """Put the case on a phase's calendar for ``day`` (today if that has passed)."""
        today = self.day
        self._calendar[phase][day if day > today else today].append(suspect)

    def admit(self) -> None:
        """Cases arriving today: the suspect, retained or early counsel, the victim."""
        cases, rules = self.cases, self.rules
        backlog = None
        while self._next_arrival < len(cases) and cases[self._next_arrival].arrival_day <= self.day:
            case = cases[self._next_arrival]
            self._next_arrival += 1
            suspect = Suspect(self, case, self.behaviour.risk_aversion, self.behaviour.risk_heterogeneity)
            suspect.terms = terms = self.terms[case.track]
            if backlog is None:
                backlog = sum(p.clock.queued_days(self.day) for p in self.prosecutors) / len(self.prosecutors)
            suspect.backlog = backlog
            if case.retained:
                self._assign_counsel(suspect, self.retained_lawyers, "investigation")
            elif rules.duty_lawyer_stage == "investigation":
                self._assign_counsel(suspect, self.duty_lawyers, "investigation")
            if suspect.lawyer is not None:
                suspect.seek_release(self.behaviour.bail_argument, suspect.lawyer.quality)
            suspect.victim = Victim(self, case.ability_to_pay, case.forgiveness) if case.has_victim else None
            self._schedule("transfer", self.day + terms.investigation_days, suspect)

    def transfer(self) -> None:
        """Files transferred for review: a prosecutor, a duty lawyer at this stage, the victim heard, observation."""
        rules, b, timing = self.rules, self.behaviour, self.timing
        for suspect in self._due("transfer"):
            case = suspect.case
            suspect.prosecutor = self.prosecutors[self.procuratorate.least_busy()]
            if suspect.lawyer is None and rules.duty_lawyer_stage == "review":
                self._assign_counsel(suspect, self.duty_lawyers, "review")
            hours = suspect.terms.review_hours
            victim = suspect.victim
            if victim is not None:
                victim.settle(rules.victim_participation or case.u_heard < b.victim_heard_status_quo, b,
                              case.u_restitution, case.u_forgive)
                suspect.credit = victim_credit(victim.compensated, victim.forgiven)
                hours += timing.victim_hours if victim.heard else 0.0
            ready = self._book_prosecutor(suspect, hours)
            if rules.public_observation and case.u_eligible < b.observation_eligible \
                    and case.u_consent < b.observation_consent:
                suspect.observer = self.observers[case.case_id % len(self.observers)]
            suspect.protocol = "dialogue" if suspect.observer is not None else suspect.terms.protocol
            if suspect.lawyer is not None:
                ready = max(ready, suspect.lawyer_day + rules.preparation_days)
            suspect.deadline = self.day + timing.review_limit(case.track, case.base_months)
            self._schedule("decide", ready, suspect)

    def decide(self) -> None:
        """The prosecutor's review is done: beliefs, initiation, negotiation, signature."""
        for suspect in self._due("decide"):
            self._negotiate(suspect)
            if suspect.non_prosecuted:
                suspect.days = self.day - suspect.case.arrival_day
                self._close(suspect)
                continue
            hours = suspect.rounds * self._round_hours(suspect)
            if suspect.observer is not None and suspect.negotiated:
                hours += self.timing.observation_hours
            done = self._book_prosecutor(suspect, hours) if hours else self.day
            self._schedule("file", max(done, self.day + max(0, suspect.rounds - 1)), suspect)

    def file(self) -> None:
        """Before indictment: reconsideration and withdrawal; the case goes on the court's docket, a plea at
        once, a contested case after the trial preparation period."""
        for suspect in self._due("file"):
            day = self.day
            if suspect.signed and self._reconsider(suspect):
                day += 1
            if suspect.pleaded:
                self._schedule("docket", day, suspect)
            else:
                self._send_to_trial(suspect, day)

    def docket(self) -> None:
        """Cases ready for court: a judge books the hearing (and the prosecutor its trial time)."""
        for suspect in self._due("docket"):
            terms = suspect.terms
            if suspect.pleaded:
                hours = terms.plea_hearing_hours
            else:
                hours = terms.trial_hours_court
                self._book_prosecutor(suspect, terms.trial_hours_prosecutor)
            suspect.court_hours += hours
            self._schedule("hear", self.court.schedule(self.day, hours), suspect)

    def hear(self) -> None:
        """First-instance hearing: review of a plea (a rejected plea goes to trial) or a contested trial;
        then appeal and protest; the case is recorded and its agents leave."""
        for suspect in self._due("hear"):
            if suspect.pleaded and self.court.detects_flaw(suspect.voluntariness, suspect.case.conviction_probability,
                                                           suspect.case.u_review):
                suspect.pleaded, suspect.plea_rejected = False, True
                self._send_to_trial(suspect, self.day)
                continue
            self._judge(suspect)
            self._appeal(suspect)
            suspect.days = self.day - suspect.case.arrival_day
            self._close(suspect)

    def _send_to_trial(self, suspect: Suspect, day: int) -> None:
        if suspect.lawyer is None:
            self._assign_counsel(suspect, self.duty_lawyers, "trial")
        self._schedule("docket", day + math.ceil(self.timing.trial_preparation_days), suspect)

    def _close(self, suspect: Suspect) -> None:
        """Record the case; its lawyer is freed and its suspect and victim leave the model."""
        self.records.append(self._record(suspect))
        if self.trace:
            self.closed[suspect.case.case_id] = suspect
        if suspect.lawyer is not None:
            suspect.lawyer.release_case()
        if suspect.victim is not None:
            suspect.victim.remove()
        suspect.remove()

    # -- mechanics -----------------------------------------------------------------------------------------
    def _assign_counsel(self, suspect: Suspect, pool: list[DutyLawyer], stage: str) -> None:
        """The pool's lawyer with the fewest open cases (the first of equals) takes the case."""
        lawyer = min(pool, key=OPEN_CASES)
        lawyer.take_case()
        suspect.lawyer, suspect.lawyer_day, suspect.lawyer_stage = lawyer, self.day, stage

    def _book_prosecutor(self, suspect: Suspect, hours: float) -> int:
        """Book the case's prosecutor for ``hours`` from today; return the day the work is done."""
        suspect.prosecutor_hours += hours
        return suspect.prosecutor.clock.book(self.day, hours)

    def _round_hours(self, suspect: Suspect) -> float:
        t = self.timing
        return t.dialogue_round_hours if suspect.protocol == "dialogue" else t.consultation_round_hours

    def _negotiate(self, suspect: Suspect) -> None:
        """The review is complete: both sides form their views; the case is dropped, left to trial, or bargained."""
        self._form_views(suspect)
        if suspect.prosecutor_belief < self.behaviour.prosecution_threshold:
            suspect.non_prosecuted, suspect.protocol = True, "none"
            return
        suspect.initiated = self._initiator(suspect)
        if suspect.initiated == "none":
            suspect.protocol = "none"
            return
        suspect.stage = "investigation" if suspect.initiated == "defense" and self._early_counsel(suspect) \
            else "review"
        self._bargain(suspect)

    def _form_views(self, suspect: Suspect) -> None:
        """Preparation, disclosure and overstatement shape each side's belief; costs and the guideline shape
        what each side would accept rather than a trial."""
        rules, b, case = self.rules, self.behaviour, suspect.case
        prosecutor, lawyer = suspect.prosecutor, suspect.lawyer
        if lawyer is not None:
            prep = lawyer.preparation(b, suspect.lawyer_day, self.day, suspect.terms.preparation_hours)
            capacity = lawyer.capacity(prep)
            credulity = lawyer.credulity(b)
            chips = lawyer.find_mitigation(case.mitigation, prep)
        else:
            prep = capacity = chips = 0.0
            credulity = b.credulity_unadvised
        observed = suspect.observer is not None
        checked = observed or (rules.disclosure != "none" and lawyer is not None and prep > 0.0)
        p_belief = prosecutor.believe(case.conviction_probability, case.guilty, case.z_prosecutor,
                                      capacity if self._mutual_disclosure(suspect) else 0.0)
        inflation = prosecutor.inflation(checked, p_belief)
        bias = credulity * inflation
        belief = suspect.believe(b, self.information, capacity, bias, case.z_defense)
        credit = suspect.credit
        inside = suspect.detained and rules.venue == "detention" and not observed
        c_d = suspect.trial_cost(b, b.detention_venue_factor if inside else 1.0)
        low, high = case.statutory_min, case.statutory_max
        visible = case.visible_base(self.information)
        defense_trial = sentence(visible, low, high, 0.0, chips, credit)
        detention = c_d - b.trial_cost_defendant
        workload = prosecutor.workload(self.day)
        suspect.capacity, suspect.prosecutor_belief, suspect.inflation = capacity, p_belief, inflation
        suspect.bias, suspect.workload = bias, workload
        suspect.belief, suspect.chips, suspect.trial_cost_months = belief, chips, c_d
        suspect.visible_base, suspect.defense_trial = visible, defense_trial
        suspect.reservation_months = suspect.reservation(b, belief, defense_trial, c_d)
        suspect.prosecutor_trial_cost = prosecutor.trial_cost(suspect.terms.trial_hours_prosecutor,
                                                               workload)
        suspect.trial_sentence = sentence(case.base_months, low, high, 0.0, case.mitigation, credit)
        suspect.detention_pressure = detention / (detention + defense_trial * belief + 1e-9)

    def _early_counsel(self, suspect: Suspect) -> bool:
        return suspect.lawyer is not None and suspect.lawyer_stage == "investigation"

    def _position(self, suspect: Suspect, stage: str, known_mitigation: float, belief: float) -> Position:
        case = suspect.case
        victim = suspect.victim
        opposed = victim is not None and victim.heard and not victim.forgiven
        return suspect.prosecutor.position(case.base_months, case.statutory_min, case.statutory_max, belief,
                                           known_mitigation, suspect.credit, stage, suspect.prosecutor_trial_cost,
                                           suspect.terms.schedule_offer, opposed,
                                           self.behaviour.recommendation_limits == "guideline")

    def _mutual_disclosure(self, suspect: Suspect) -> bool:
        """The defense has disclosed its mitigation and exculpatory material before any talk."""
        return self.rules.mutual_disclosure and suspect.lawyer is not None

    def _known_mitigation(self, suspect: Suspect) -> float:
        """Mitigation the prosecutor knows before any talk: the chips, under mutual disclosure."""
        return suspect.chips if self._mutual_disclosure(suspect) else 0.0

    def _initiator(self, suspect: Suspect) -> str:
        """Who opens a negotiation: the prosecutor when a plea at its opening beats a trial (or the misdemeanor
        schedule applies); under two-way initiation the defense when the going rate beats its trial prospects,
        first if its counsel has been there since investigation."""
        b, case = self.behaviour, suspect.case
        position = self._position(suspect, "review", self._known_mitigation(suspect), suspect.prosecutor_belief)
        suspect.position = position
        prosecutor_wants = suspect.terms.schedule_offer or Prosecutor.wants_plea(position)
        expected = sentence(suspect.visible_base, case.statutory_min, case.statutory_max,
                            PLEA_CAP["review"] * b.offer_generosity, suspect.chips, suspect.credit)
        defense_wants = expected <= suspect.reservation_months
        if self.rules.initiation == "two_way" and defense_wants and \
                (self._early_counsel(suspect) or not prosecutor_wants):
            return "defense"
        return "prosecutor" if prosecutor_wants else "none"

    def _bargain(self, suspect: Suspect) -> None:
        """Run the negotiation protocol, then collect the signatures. The prosecutor opens from the position it
        took when deciding to negotiate (at the review stage) and, if it takes up the defense's mitigation,
        repositions on the chips and on what the defense's counsel has shown it."""
        b, case, prosecutor, stage = self.behaviour, suspect.case, suspect.prosecutor, suspect.stage
        target = sentence(suspect.visible_base, case.statutory_min, case.statutory_max, PLEA_CAP[stage],
                          suspect.chips, suspect.credit)
        dialogue = suspect.protocol == "dialogue"
        if dialogue:
            rounds = min(b.dialogue_max_rounds, max(1, suspect.deadline - self.day))
            adoption = b.adoption_dialogue
        else:
            rounds = b.consultation_rounds
            adoption = b.adoption_consultation * (1.0 - 0.5 * suspect.workload)
        known = self._known_mitigation(suspect)
        position = suspect.position if stage == "review" else \
            self._position(suspect, stage, known, suspect.prosecutor_belief)

        def reposition() -> Position:
            informed = prosecutor.believe(case.conviction_probability, case.guilty, case.z_prosecutor,
                                          suspect.capacity)
            return self._position(suspect, stage, suspect.chips, informed)

        table = Table(prosecutor, position, reposition, self._mutual_disclosure(suspect),
                      adoption, case.u_adopt, suspect.reservation_months, target, rounds, b.concession_defense,
                      self.trace, b.bargaining_power, b.discount_prosecutor, b.discount_defense, b.alternating_horizon)
        self._sign(suspect, PROTOCOLS[suspect.protocol].negotiate(table), target)

    def _sign(self, suspect: Suspect, outcome: Outcome, target: float) -> None:
        """Signature: the suspect in a lawyer's presence (art. 174), or suspect, lawyer and prosecutor; a lawyer
        who would not advise the deal forces the prosecutor's last offer."""
        rules, b, case = self.rules, self.behaviour, suspect.case
        agreed, months, rounds, ultimatum = outcome.agreed, outcome.months, outcome.rounds, outcome.ultimatum
        prosecutor_moves, defense_moves, position = outcome.prosecutor_moves, outcome.defense_moves, outcome.position
        reference = outcome.last_defense if not math.isnan(outcome.last_defense) else target
        if agreed and suspect.lawyer is None:
            self._assign_counsel(suspect, self.duty_lawyers, "signing")
        lawyer_signed = prosecutor_signed = False
        if agreed and rules.signature == "tripartite":
            noise = belief_noise(b, self.information, suspect.capacity)
            p_lawyer = signal(case.conviction_probability, noise, case.z_lawyer)
            own = suspect.reservation(b, p_lawyer, suspect.defense_trial, suspect.trial_cost_months)
            if not suspect.lawyer.signs(months, own):
                rounds, prosecutor_moves, defense_moves = rounds + 1, prosecutor_moves + 1, defense_moves + 1
                reference, months, ultimatum = min(reference, own), position.reservation, True
                agreed = months <= own + 1e-9 and months <= suspect.reservation_months + 1e-9
            lawyer_signed = prosecutor_signed = agreed
        suspect.negotiated, suspect.signed, suspect.pleaded, suspect.rounds = True, agreed, agreed, rounds
        suspect.opening, suspect.target, suspect.position = outcome.opening, target, position
        suspect.moves = outcome.moves
        suspect.lawyer_signed, suspect.prosecutor_signed = lawyer_signed, prosecutor_signed
        suspect.prosecutor_moves, suspect.defense_moves = prosecutor_moves, defense_moves
        self._settle_terms(suspect, months, agreed and ultimatum, reference)

    def _settle_terms(self, suspect: Suspect, months: float, ultimatum: bool, reference: float) -> None:
        """The agreed recommendation and what it says about the plea: the defense's influence on the terms, its
        voice, the pressure of an accepted ultimatum, and the resulting voluntariness."""
        suspect.recommendation = months
        if not suspect.pleaded:
            return
        opening, target = suspect.opening, suspect.target
        gap = opening - target
        influence = (opening - months) / gap if gap > 1e-9 else 0.0
        influence = influence if influence > 0.0 else 0.0
        influence = influence if influence < 1.0 else 1.0
        if months <= target + 1e-9:
            voice = 1.0
        else:
            voice = suspect.defense_moves / max(1, suspect.prosecutor_moves)
            voice = voice if voice < 1.0 else 1.0
        late = months - reference
        deadline = (late if late > 0.0 else 0.0) / months if ultimatum and months > 0 else 0.0
        suspect.influence, suspect.voice, suspect.deadline_pressure = influence, voice, deadline
        self._assess_voluntariness(suspect)

    def _assess_voluntariness(self, suspect: Suspect) -> None:
        """The plea's voluntariness: informed, uncoerced and participatory (DOMAIN.md §4)."""
        b = self.behaviour
        informed = 1.0 - abs(suspect.belief - suspect.case.conviction_probability)
        pressure = 1.0 - (1.0 - suspect.detention_pressure) * (1.0 - suspect.deadline_pressure) * (1.0 - suspect.bias)
        participatory = 0.5 * (suspect.voice + suspect.influence)
        total = b.weight_informed + b.weight_uncoerced + b.weight_participatory
        voluntariness = (b.weight_informed * informed + b.weight_uncoerced * (1.0 - pressure)
                         + b.weight_participatory * participatory) / total
        suspect.informed, suspect.pressure, suspect.participatory = informed, pressure, participatory
        suspect.voluntariness = voluntariness

    def _reconsider(self, suspect: Suspect) -> bool:
        """At indictment the defense reads the file with its preparation complete and re-values the trial: it may
        regret the deal and, where the rule allows, withdraw; the prosecutor then makes its last offer (a day's
        round), which the defense — and under the tripartite rule its lawyer — signs or refuses for a trial
        (seeds/004 §3.1). Returns whether a renegotiation took place."""
        rules, b, case = self.rules, self.behaviour, suspect.case
        lawyer = suspect.lawyer
        prepared = 1.0 if lawyer.role == "advocate" else b.endorse_effort
        chips = lawyer.find_mitigation(case.mitigation, prepared)
        defense_trial = sentence(case.visible_base(self.indictment_information), case.statutory_min,
                                 case.statutory_max, 0.0, chips, suspect.credit)
        late = suspect.believe(b, self.indictment_information, lawyer.quality, 0.0, case.z_late)
        late_reservation = suspect.reservation(b, late, defense_trial, suspect.trial_cost_months)
        suspect.regret = max(0.0, suspect.recommendation - late_reservation) / suspect.recommendation
        if suspect.regret <= 0.0 or not rules.withdrawal_before_indictment:
            return False
        last_offer = suspect.position.reservation
        signs = last_offer <= late_reservation + 1e-9
        suspect.withdrew, suspect.belief, suspect.bias, suspect.regret, suspect.pleaded = True, late, 0.0, 0.0, signs
        suspect.rounds, suspect.defense_moves, suspect.prosecutor_moves = \
            suspect.rounds + 1, suspect.defense_moves + 1, suspect.prosecutor_moves + 1
        suspect.lawyer_signed = signs and suspect.lawyer_signed
        suspect.prosecutor_signed = signs and suspect.prosecutor_signed
        self._book_prosecutor(suspect, self._round_hours(suspect))
        self._settle_terms(suspect, last_offer, True, suspect.target)
        return True

    def _judge(self, suspect: Suspect) -> None:
        """The court's ruling on a plea (adopt or adjust the recommendation, or sentence on its own view) or the
        verdict of a contested trial."""
        b, case, court = self.behaviour, suspect.case, self.court
        if suspect.pleaded:
            pending = suspect.victim is not None and suspect.victim.heard and not suspect.victim.compensated
            ranged = (pending or case.track == "felony") and case.u_range < b.range_recommendation
            suspect.determinate = self.rules.signature == "tripartite" or not ranged
            floor, guideline, ceiling = guideline_band(case.base_months, case.statutory_min, case.statutory_max,
                                                       PLEA_CAP[suspect.stage], b.offer_generosity, case.mitigation,
                                                       suspect.credit)
            view = court.own_view(guideline, floor, ceiling, case.z_court)
            ruling = court.rule(suspect.recommendation, suspect.determinate, view, case.u_adjust, floor, ceiling)
            suspect.adopted, suspect.adjusted, suspect.honoured = ruling.adopted, ruling.adjusted, ruling.honoured
            suspect.sentence, suspect.convicted = ruling.sentence, True
            suspect.regret += max(0.0, ruling.sentence - ruling.upper) / ruling.sentence
        else:
            suspect.tried = True
            suspect.convicted, suspect.sentence = court.try_case(case.conviction_probability, case.u_trial,
                                                                 suspect.trial_sentence)

    def _appeal(self, suspect: Suspect) -> None:
        """Appeal and protest (抗诉): after a plea, strategic appeals and appeals out of regret, and protests against
        appeals without a grievance; after a trial, appeals of convictions and protests against acquittals. Each
        costs the court and the prosecutor an appeal's hours."""
        b, case = self.behaviour, suspect.case
        if suspect.pleaded:
            suspect.appealed = case.u_appeal < b.strategic_appeal + b.regret_appeal * suspect.regret
            suspect.protested = suspect.appealed and suspect.regret <= 0.0 and case.u_protest < b.protest_strategic
        else:
            suspect.appealed = suspect.convicted and case.u_appeal < b.trial_appeal
            suspect.protested = not suspect.convicted and case.u_protest < b.protest_acquittal
        if suspect.appealed or suspect.protested:
            hours = self.timing.appeal_hours
            suspect.court_hours += hours
            self.court.schedule(self.day, hours)
            self._book_prosecutor(suspect, hours)

    def _record(self, s: Suspect) -> tuple:
        """The case's tidy row, in the order of :data:`bargainsim.core.record.FIELDS` (see records.COLUMNS)."""
        case = s.case
        pleaded = s.pleaded
        victim, observer = s.victim, s.observer
        sentence_months = s.sentence
        fairness = NAN
        if observer is not None and s.negotiated:
            fairness = observer.rate(s.voice, s.influence, s.deadline_pressure, case.z_observer)
        negotiated, convicted = s.negotiated, s.convicted
        lawyer_type = s.lawyer.kind if s.lawyer is not None else "none"
        if pleaded:
            terms = (s.detention_pressure, s.deadline_pressure, s.bias, s.pressure, s.informed, 1.0 - s.pressure,
                     s.participatory, s.influence, s.voluntariness)
        else:
            terms = (NAN,) * 9
        return (
            # case_id .. has_victim: the facts
            case.case_id, case.offense.name, case.track, case.guilty, case.conviction_probability, case.detained,
            case.prior_record, s.released, s.non_prosecuted, case.has_victim,
            # lawyer_type .. plea_rejected: the procedure
            lawyer_type, s.lawyer_stage, observer is not None and negotiated, s.protocol, s.initiated,
            s.stage if pleaded else "none", negotiated, s.signed, pleaded, pleaded and s.lawyer_signed,
            pleaded and s.prosecutor_signed, s.withdrew, pleaded, s.plea_rejected,
            # recommendation_months .. discount_vs_trial: the recommendation and the sentence
            s.recommendation if pleaded else NAN, s.determinate, s.adopted, s.adjusted, s.honoured, s.tried,
            convicted, case.base_months, sentence_months, s.trial_sentence,
            1.0 - sentence_months / case.base_months if convicted else NAN,
            1.0 - sentence_months / s.trial_sentence if convicted else NAN,
            # suspect_belief .. overstatement: beliefs
            s.belief if negotiated else NAN, s.prosecutor_belief,
            s.belief - case.conviction_probability if negotiated else NAN, s.inflation,
            # detention_pressure .. voluntariness: the plea's terms and voluntariness
            *terms,
            # rounds .. observer_fairness: cost and aftermath
            s.rounds, float(s.days), s.prosecutor_hours, s.court_hours, s.backlog, s.appealed, s.protested,
            victim is not None and victim.compensated, victim is not None and victim.forgiven,
            victim.satisfaction(sentence_months, s.trial_sentence) if victim else NAN, fairness,
        )
