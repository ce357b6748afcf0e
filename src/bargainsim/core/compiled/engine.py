"""The district's days, compiled: arrivals, then each phase's due cases in the order they were scheduled, as
:meth:`PleaModel.step` sequences them; and the records read off the final state (:mod:`bargainsim.core.record`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bargainsim.core.compiled import kernel
from bargainsim.core.compiled.court import docket, file, hear
from bargainsim.core.compiled.institution import due_today
from bargainsim.core.compiled.layout import (
    BACKLOG_DAY,
    DAY,
    DECIDE,
    DISPOSED,
    DOCKET,
    FILE,
    HEAR,
    INITIATORS,
    JOINED,
    JUDGMENTS,
    N_DUTY,
    NEXT_ARRIVAL,
    PHASES,
    PROTOCOL_NAMES,
    SIZES,
    STAGES,
    TRACKS,
    TRANSFER,
    District,
    initial_state,
    parameters,
)
from bargainsim.core.compiled.review import admit, decide, transfer
from bargainsim.core.record import CaseLog, Coded

if TYPE_CHECKING:
    from bargainsim.core.model import PleaModel


@kernel
def close(d, i):
    """The case is disposed of: its days are counted and its lawyer freed."""
    s = d.st[i]
    s.days = d.counters[DAY] - d.cases[i].arrival_day
    s.disposed = d.counters[DISPOSED]
    d.counters[DISPOSED] += 1
    if s.counsel >= 0:
        d.lawyer_open[s.counsel] -= 1


@kernel
def step(d, p):
    """One working day: admit arrivals, transfer files, decide and negotiate, file, docket, hear."""
    n = d.cases.shape[0]
    while d.counters[NEXT_ARRIVAL] < n and d.cases[d.counters[NEXT_ARRIVAL]].arrival_day <= d.counters[DAY]:
        d.counters[NEXT_ARRIVAL] += 1
        admit(d, p, d.counters[NEXT_ARRIVAL] - 1)
    for i in due_today(d, TRANSFER):
        transfer(d, p, i)
    for i in due_today(d, DECIDE):
        if decide(d, p, i):
            close(d, i)
    for i in due_today(d, FILE):
        file(d, p, i)
    for i in due_today(d, DOCKET):
        docket(d, p, i)
    for i in due_today(d, HEAR):
        if hear(d, p, i):
            close(d, i)
    d.counters[DAY] += 1


@kernel
def run_until(d, parameters, disposed):
    """Step until ``disposed`` cases (or all of them) are disposed of."""
    p = parameters[0]
    target = min(disposed, d.cases.shape[0])
    while d.counters[DISPOSED] < target:
        step(d, p)


def district(model: PleaModel) -> District:
    """A model's district as arrays, before its first day."""
    lawyers = model.duty_lawyers + model.retained_lawyers
    cases = model.cases.columns
    counters = np.zeros(SIZES + len(PHASES), np.int64)
    counters[BACKLOG_DAY] = -1
    counters[N_DUTY] = len(model.duty_lawyers)
    return District(cases, initial_state(len(cases)),
                    np.array([p.clock.busy_until for p in model.prosecutors]),
                    np.array([j.busy_until for j in model.court.judges]),
                    np.array([lawyer.open_cases for lawyer in lawyers], np.int64),
                    np.array([lawyer.quality for lawyer in lawyers]),
                    np.array([lawyer.advocates for lawyer in lawyers]),
                    np.array([o.strictness for o in model.observer_panel]),
                    np.zeros((len(PHASES), max(1, len(cases)), 3), np.int64), counters, np.zeros(1))


class CompiledRun:
    """A model's district run compiled, a stretch at a time if need be (the benchmarks time its steady state)."""

    def __init__(self, model: PleaModel) -> None:
        self.model = model
        self.district, self.parameters = district(model), parameters(model)

    @property
    def disposed(self) -> int:
        """Cases disposed of so far."""
        return int(self.district.counters[DISPOSED])

    def run_until(self, disposed: int) -> None:
        """Run until ``disposed`` cases are disposed of."""
        run_until(self.district, self.parameters, disposed)

    def finish(self) -> dict[str, np.ndarray]:
        """Run to the end; leave the model's clocks, counsel and day as the Python procedure would, and return
        the records' columns in case order."""
        d, model = self.district, self.model
        run_until(d, self.parameters, len(d.cases))
        for prosecutor, busy in zip(model.prosecutors, d.prosecutors.tolist()):
            prosecutor.clock.busy_until = busy
        model.procuratorate.busy_until[:] = d.prosecutors.tolist()
        for judge, busy in zip(model.court.judges, d.judges.tolist()):
            judge.busy_until = busy
        model.court.bench.busy_until[:] = d.judges.tolist()
        for lawyer, open_cases in zip(model.duty_lawyers + model.retained_lawyers, d.lawyer_open.tolist()):
            lawyer.open_cases = open_cases
        model.day = int(d.counters[DAY])
        return records(d.cases, d.st, model.cases.offenses, len(model.duty_lawyers), d.strictness)


def run(model: PleaModel) -> CaseLog:
    """Run a model's whole district compiled (:meth:`CompiledRun.finish`); its records in order of disposition."""
    run = CompiledRun(model)
    columns = run.finish()
    return CaseLog(columns, np.argsort(run.district.st["disposed"], kind="stable"))


def _names(names: tuple[str, ...], codes: np.ndarray) -> Coded:
    return Coded(codes, tuple(names))


def _where(condition: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.where(condition, values, np.nan)


def records(c: np.ndarray, s: np.ndarray, offenses: tuple, n_duty: int, strictness: np.ndarray
            ) -> dict[str, np.ndarray | Coded]:
    """The recorded columns (:data:`bargainsim.core.record.FIELDS`) of disposed-of cases, from their facts ``c``
    and state ``s``, derived as :class:`~bargainsim.core.record.RecordedCase` derives them; a category as
    :class:`~bargainsim.core.record.Coded`, a 'boolean' column as codes (-1 missing, 0, 1)."""
    pleaded, negotiated, convicted = s["pleaded"], s["negotiated"], s["convicted"]
    has_victim, counsel = c["has_victim"], s["counsel"]
    trial = np.where(np.isnan(s["trial_sentence"]), s["views_trial_sentence"], s["trial_sentence"])
    sentence = s["sentence"]
    with np.errstate(divide="ignore", invalid="ignore"):
        discount = _where(convicted, 1.0 - sentence / c["base_months"])
        discount_vs_trial = _where(convicted, 1.0 - sentence / trial)
        desired = trial * np.where(s["forgiven"], 0.5, 1.0)
        fit = np.where(desired > 0, 1.0 - np.minimum(1.0, np.abs(sentence - desired) / desired), 1.0)
    satisfaction = 0.35 * s["heard"] + 0.35 * np.minimum(1.0, s["paid"]) + 0.30 * fit
    observed = (s["observer"] >= 0) & negotiated
    rating = 0.4 * s["voice"] + 0.4 * s["influence"] + 0.2 * (1.0 - s["deadline_pressure"]) \
        - strictness[np.maximum(s["observer"], 0)] + 0.05 * c["z_observer"]
    adopted = s["adopted"]
    return {
        "case_id": c["case_id"], "offense": _names(tuple(o.name for o in offenses), c["offense"]),
        "track": _names(TRACKS, c["track"]), "guilty": c["guilty"],
        "conviction_probability": c["conviction_probability"], "detained": c["detained"],
        "prior_record": c["prior_record"], "released_on_bail": s["released"],
        "non_prosecution": s["non_prosecuted"], "has_victim": has_victim,
        "lawyer_type": _names(("none", "duty", "retained"), np.where(counsel < 0, 0, np.where(counsel < n_duty, 1, 2))),
        "lawyer_stage": _names(JOINED, s["counsel_joined"]), "observed": observed,
        "protocol": _names(PROTOCOL_NAMES, s["protocol"]), "initiated_by": _names(INITIATORS, s["initiated_by"]),
        "plea_stage": _names((*STAGES, "none"), np.where(pleaded, s["plea_stage"], len(STAGES))),
        "negotiated": negotiated, "signed": s["signed"], "suspect_signed": pleaded,
        "lawyer_signed": pleaded & s["lawyer_signed"], "prosecutor_signed": pleaded & s["prosecutor_signed"],
        "withdrew": s["withdrew"], "pleaded": pleaded, "plea_rejected": s["rejected"],
        "charge_reduced": pleaded & s["reduced_charge"],
        "recommendation_months": _where(pleaded, s["recommendation"]), "determinate": s["determinate"],
        "adopted": adopted, "adjusted": s["adjusted"], "deviated": (adopted >= 0) & ((s["adjusted"] == 1)
                                                                                      | (adopted == 0)),
        "honoured": s["honoured"], "tried": s["tried"], "convicted": convicted, "base_months": c["base_months"],
        "sentence_months": sentence, "trial_sentence_months": trial, "discount": discount,
        "discount_vs_trial": discount_vs_trial, "suspect_belief": _where(negotiated, s["belief"]),
        "prosecutor_belief": s["prosecutor_belief"],
        "belief_error": _where(negotiated, s["belief"] - c["conviction_probability"]),
        "overstatement": s["overstatement"], "detention_pressure": _where(pleaded, s["detention_pressure"]),
        "deadline_pressure": _where(pleaded, s["deadline_pressure"]),
        "overstatement_pressure": _where(pleaded, s["overstatement_pressure"]),
        "pressure": _where(pleaded, s["pressure"]), "informed": _where(pleaded, s["informed"]),
        "uncoerced": _where(pleaded, 1.0 - s["pressure"]), "participatory": _where(pleaded, s["participatory"]),
        "defense_influence": _where(pleaded, s["influence"]), "voluntariness": _where(pleaded, s["index"]),
        "rounds": s["rounds"], "days_to_disposition": s["days"].astype(np.float64),
        "prosecutor_hours": s["prosecutor_hours"], "court_hours": s["court_hours"],
        "backlog_at_arrival": s["backlog"], "appealed": s["appealed"], "protested": s["protested"],
        "second_instance": _names(JUDGMENTS, s["second_instance"]),
        "revised": s["second_instance"] > JUDGMENTS.index("upheld"),
        "final_sentence_months": s["final_sentence"], "compensated": has_victim & s["compensated"],
        "forgiven": has_victim & s["forgiven"], "compensation_unpaid": has_victim & s["unpaid"],
        "victim_satisfaction": _where(has_victim, satisfaction),
        "observer_fairness": _where(observed, np.clip(rating, 0.0, 1.0)),
    }
