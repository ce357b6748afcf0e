"""The arrays the compiled procedure works on: the population's columns, one row of state per case (the fields of
:mod:`bargainsim.core.state` and the suspect's own), the model's parameters as one record, and the district's
institution (clocks, counsel, calendars). Categories are stored as codes into the tuples below."""

from __future__ import annotations

import math
from collections import namedtuple
from typing import TYPE_CHECKING

import numpy as np

from bargainsim.core.cases import CASE, TRACKS
from bargainsim.core.model import PHASES
from bargainsim.core.procedure.negotiation import PROTOCOLS
from bargainsim.params import STAGES

__all__ = ["CASE", "PHASES", "STAGES", "TRACKS"]

if TYPE_CHECKING:
    from bargainsim.core.model import PleaModel

INITIATORS = ("none", "prosecutor", "defense", "court")
PROTOCOL_NAMES = ("none", *PROTOCOLS)
JOINED = ("none", "investigation", "review", "signing", "trial")
JUDGMENTS = ("none", "upheld", "reduced", "increased", "acquitted", "convicted")

CONSULTATION, DIALOGUE = PROTOCOL_NAMES.index("consultation"), PROTOCOL_NAMES.index("dialogue")
TAKE_IT_OR_LEAVE_IT, NASH = PROTOCOL_NAMES.index("take_it_or_leave_it"), PROTOCOL_NAMES.index("nash")
ALTERNATING, SCREENING = PROTOCOL_NAMES.index("alternating"), PROTOCOL_NAMES.index("screening")
SIGNALLING = PROTOCOL_NAMES.index("signalling")
INVESTIGATION, REVIEW, TRIAL = (STAGES.index(stage) for stage in ("investigation", "review", "trial"))
TRANSFER, DECIDE, FILE, DOCKET, HEAR = (PHASES.index(phase) for phase in ("transfer", "decide", "file", "docket",
                                                                         "hear"))

STATE = np.dtype([
    # the suspect
    ("risk_aversion", "f8"), ("taste", "f8"), ("detained", "?"), ("released", "?"), ("non_prosecuted", "?"),
    ("counsel", "i8"), ("counsel_day", "i8"), ("counsel_joined", "i8"), ("observer", "i8"), ("prosecutor", "i8"),
    ("backlog", "f8"), ("credit", "f8"), ("prosecutor_hours", "f8"), ("court_hours", "f8"), ("deadline", "i8"),
    ("days", "i8"), ("disposed", "i8"),
    # the victim
    ("heard", "?"), ("paid", "f8"), ("compensated", "?"), ("forgiven", "?"), ("unpaid", "?"),
    # views
    ("prosecutor_belief", "f8"), ("overstatement", "f8"), ("capacity", "f8"), ("chips", "f8"), ("bias", "f8"),
    ("belief", "f8"), ("trial_cost", "f8"), ("visible_base", "f8"), ("defense_trial", "f8"),
    ("reservation", "f8"), ("workload", "f8"), ("prosecutor_trial_cost", "f8"), ("views_trial_sentence", "f8"),
    ("views_detention_pressure", "f8"),
    # talks and the prosecutor's position in them
    ("protocol", "i8"), ("initiated_by", "i8"), ("plea_stage", "i8"), ("negotiated", "?"), ("rounds", "i8"),
    ("prosecutor_moves", "i8"), ("defense_moves", "i8"), ("opening", "f8"), ("target", "f8"),
    ("position_reservation", "f8"),
    # agreement
    ("reduced_charge", "?"), ("signed", "?"), ("pleaded", "?"), ("lawyer_signed", "?"), ("prosecutor_signed", "?"),
    ("recommendation", "f8"), ("withdrew", "?"), ("rejected", "?"), ("regret", "f8"),
    # voluntariness
    ("influence", "f8"), ("voice", "f8"), ("deadline_pressure", "f8"), ("detention_pressure", "f8"),
    ("overstatement_pressure", "f8"), ("pressure", "f8"), ("informed", "f8"), ("participatory", "f8"),
    ("index", "f8"),
    # verdict (determinate, adopted, adjusted, honoured: -1 undecided, 0 no, 1 yes)
    ("determinate", "i1"), ("adopted", "i1"), ("adjusted", "i1"), ("honoured", "i1"), ("tried", "?"),
    ("convicted", "?"), ("sentence", "f8"), ("appealed", "?"), ("protested", "?"), ("agreed", "f8"),
    ("grievance", "?"), ("trial_sentence", "f8"), ("second_instance", "i8"), ("final_sentence", "f8"),
])
"""What a case's procedure has established (the fields of :mod:`bargainsim.core.state` and of the suspect)."""

NAN = float("nan")
_START = {"counsel": -1, "counsel_day": -1, "observer": -1, "prosecutor": -1, "disposed": -1,
          "prosecutor_belief": NAN, "belief": NAN, "reservation": NAN, "plea_stage": REVIEW, "opening": NAN,
          "target": NAN, "position_reservation": NAN, "recommendation": NAN, "detention_pressure": NAN,
          "overstatement_pressure": NAN, "pressure": NAN, "informed": NAN, "participatory": NAN, "index": NAN,
          "determinate": -1, "adopted": -1, "adjusted": -1, "honoured": -1, "agreed": NAN, "trial_sentence": NAN}

District = namedtuple("District", "cases st prosecutors judges lawyer_open lawyer_quality lawyer_advocate "
                                  "strictness calendar counters backlog")
"""A district's arrays: the cases and their state; each prosecutor's and judge's ``busy_until``; each lawyer's
open cases, quality and role (duty lawyers first, then retained counsel); each observer's strictness; the
calendar (a heap of (day, order scheduled, case) per phase) and the counters (:data:`COUNTERS`)."""

COUNTERS = ("day", "scheduled", "next_arrival", "backlog_day", "disposed", "n_duty")
DAY, SCHEDULED, NEXT_ARRIVAL, BACKLOG_DAY, DISPOSED, N_DUTY = range(len(COUNTERS))
SIZES = len(COUNTERS)
"""Where the counters hold the size of each phase's calendar."""


def initial_state(n: int) -> np.ndarray:
    """The state of ``n`` cases before any stage has run (:mod:`bargainsim.core.state`'s defaults)."""
    state = np.zeros(n, STATE)
    for name, value in _START.items():
        state[name] = value
    return state


COUNTS = frozenset({"dialogue_max_rounds", "consultation_rounds", "alternating_horizon", "preparation_days",
                    "duty_stage", "investigation_days", "track_protocol", "schedule_offer", "review_limit",
                    "trial_preparation_days"})
"""The parameters that are whole numbers (days, rounds, codes); the others are floats or flags, whatever type a
configuration gave them, so every model compiles to the same kernels."""


def parameters(model: PleaModel) -> np.ndarray:
    """Everything the stages read of a model's rules, behaviour, timing and guideline, as one record."""
    c, rules, timing, terms = model.conduct, model.rules, model.timing, model.guideline
    values: dict[str, object] = {}
    for conduct in (c.suspect, c.prosecutor, c.counsel, c.victim, c.court, c.information, c.initiation,
                    c.bargaining, c.voluntariness, c.observation, c.appeal):
        for name in conduct.__slots__:
            value = getattr(conduct, name)
            if not isinstance(value, str):
                values[name] = value
    procedures = [model.procedures[track] for track in TRACKS]
    values.update(
        costs_given=c.suspect.trial_costs == "given", bounded=c.prosecutor.recommendation_limits == "guideline",
        kpi_pressure=rules.kpi_pressure, preparation_days=rules.preparation_days, information=model.information,
        indictment_information=model.indictment_information, experience_mean=model.experience[0],
        experience_sd=model.experience[1], hours_per_day=model.caseload.hours_per_day,
        two_way=rules.initiation == "two_way", disclosed=rules.disclosure != "none",
        mutual_disclosure=rules.mutual_disclosure, public_observation=rules.public_observation,
        venue_detention=rules.venue == "detention", victim_participation=rules.victim_participation,
        tripartite=rules.signature == "tripartite", withdrawal=rules.withdrawal_before_indictment,
        substantive=rules.judicial_review == "substantive", duty_stage=STAGES.index(rules.duty_lawyer_stage),
        duty_advocates=rules.duty_lawyer_role == "advocate",
        investigation_days=[p.investigation_days for p in procedures],
        review_hours=[p.review_hours for p in procedures], preparation_hours=[p.preparation_hours for p in procedures],
        trial_hours_prosecutor=[p.trial_hours_prosecutor for p in procedures],
        plea_hearing_hours=[p.plea_hearing_hours for p in procedures],
        trial_hours_court=[p.trial_hours_court for p in procedures],
        track_protocol=[PROTOCOL_NAMES.index(p.protocol) for p in procedures],
        schedule_offer=[p.schedule_offer for p in procedures],
        review_limit=[timing.review_limit("misdemeanor", 0.0), timing.review_limit("misdemeanor", 13.0),
                      timing.review_limit("felony", 0.0)],
        consultation_round_hours=timing.consultation_round_hours, dialogue_round_hours=timing.dialogue_round_hours,
        observation_hours=timing.observation_hours, victim_hours=timing.victim_hours,
        appeal_hours=timing.appeal_hours, trial_preparation_days=math.ceil(timing.trial_preparation_days),
        court_led=rules.negotiator == "court", court_range=rules.court_range,
        advisory=rules.recommendation_effect == "advisory", binding=rules.recommendation_effect == "binding",
        charge_bargaining=rules.charge_bargaining, plea_limit=rules.plea_limit_months,
        appeal_waiver=rules.appeal_waiver,
        plea_cap=[terms.plea_cap[s] for s in STAGES], usual_base=[terms.usual_base[s] for s in STAGES],
        combined_cap=[terms.combined_cap[s] for s in STAGES], total_cap=terms.total_cap,
        usual_share=terms.usual_share,
        victim_credit=[terms.victim_credit(compensated, forgiven) for compensated in (False, True)
                       for forgiven in (False, True)],
    )
    fields = []
    for name, value in values.items():
        kind = "?" if isinstance(value, bool) else "i8" if name in COUNTS else "f8"
        fields.append((name, kind, (len(value),)) if isinstance(value, list) else (name, kind))
    record = np.zeros(1, np.dtype(fields))
    for name, value in values.items():
        record[name] = value
    return record
