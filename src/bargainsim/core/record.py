"""The per-case record: its columns, their types and meaning (the data dictionary), and the log of records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter

import numpy as np

from bargainsim.core.state import NAN, NOT_PLEADED, Voluntariness

STATUS_QUO = "status_quo"
"""The arm label of the status quo, the baseline every reform is compared with."""


@dataclass(frozen=True)
class Missing:
    """When a column's value is missing (NaN in a float64 column, NA in a 'boolean' one): in words, and as a
    condition on the case's other columns (a :meth:`pandas.DataFrame.eval` expression, evaluated by
    :func:`bargainsim.analysis.tables.missing_where`; none for "never")."""

    words: str
    condition: str | None = None



NEVER = Missing("never")
WITHOUT_PLEA = Missing("without a plea at disposition (also after a withdrawal not re-signed or a plea the court "
                       "rejected)", "not pleaded")
UNCONVICTED = Missing("if acquitted at trial or not prosecuted", "not convicted")
WITHOUT_NEGOTIATION = Missing("without a negotiation (not prosecuted, or neither side opened one)", "not negotiated")
WITHOUT_VICTIM = Missing("without a victim", "not has_victim")
UNOBSERVED = Missing("unless a public observer attended the negotiation", "not observed")


@dataclass(frozen=True)
class Column:
    """One column of ``cases.parquet``: its name, type, meaning and when its value is missing."""

    name: str
    dtype: str
    description: str
    missing: Missing = NEVER


COLUMNS: tuple[Column, ...] = (
    Column("reform", "string", "arm label: 'status_quo', a reform name, 'a+b' for combined reforms, or 'full_package'"),
    Column("replication", "int64", "replication index within the run"),
    Column("seed", "int64", "the run's seed; with replication it fixes the case population"),
    Column("case_id", "int64", "case index within the replication, numbered on across its districts (the same case "
                               "in every arm)"),
    Column("offense", "string", "offense band (see offenses.py)"),
    Column("track", "string", "'misdemeanor' (statutory maximum ≤ 3 years) or 'felony'"),
    Column("guilty", "bool", "whether the suspect is factually guilty"),
    Column("conviction_probability", "float64", "true probability of conviction at trial (evidence strength)"),
    Column("detained", "bool", "in pre-trial detention on arrival"),
    Column("prior_record", "bool", "has a prior record"),
    Column("released_on_bail", "bool", "released from detention on counsel's argument during investigation"),
    Column("non_prosecution", "bool", "the procuratorate declined to indict (insufficient evidence)"),
    Column("has_victim", "bool", "the offense has an identifiable victim"),
    Column("lawyer_type", "string", "'retained', 'duty' or 'none' (no lawyer before disposition)"),
    Column("lawyer_stage", "string", "when counsel joined: 'investigation', 'review', 'signing' (witness only), "
                                     "'trial' or 'none'"),
    Column("observed", "bool", "a public observer attended the negotiation"),
    Column("protocol", "string", "'consultation', 'dialogue' or 'none' (no negotiation)"),
    Column("initiated_by", "string", "'prosecutor', 'defense', 'court' (the court's proposal, § 257c StPO) or "
                                     "'none'"),
    Column("plea_stage", "string", "stage whose ladder cap applies to the plea: 'investigation', 'review', 'trial' "
                                   "(an agreement at the main hearing) or 'none' (no plea)"),
    Column("negotiated", "bool", "a negotiation took place"),
    Column("signed", "bool", "the suspect signed a plea affidavit (具结书) at some point"),
    Column("suspect_signed", "bool", "the suspect's signature is on the final agreement"),
    Column("lawyer_signed", "bool", "the lawyer signed the agreement as a party (tripartite rule)"),
    Column("prosecutor_signed", "bool", "the prosecutor signed the agreement as a party (tripartite rule)"),
    Column("withdrew", "bool", "the suspect withdrew a signed plea before indictment (then re-signed the "
                               "prosecutor's last offer or went to trial)"),
    Column("pleaded", "bool", "the case was disposed of under plea leniency"),
    Column("plea_rejected", "bool", "the court rejected the plea on review (or a binding agreement, or was released "
                                    "from its own) and tried the case"),
    Column("charge_reduced", "bool", "the plea was to the offense's lesser band (a charge bargain; false without a "
                                     "plea)"),
    Column("recommendation_months", "float64", "the signed sentencing recommendation", WITHOUT_PLEA),
    Column("determinate", "boolean", "the recommendation is a fixed term rather than a range", WITHOUT_PLEA),
    Column("adopted", "boolean", "the court adopted the recommendation, possibly after an adjustment", WITHOUT_PLEA),
    Column("adjusted", "boolean", "the recommendation was adjusted at the court's suggestion", WITHOUT_PLEA),
    Column("deviated", "bool", "the court did not sentence a plea as recommended: it adjusted the recommendation "
                               "or sentenced on its own view (false without a plea)"),
    Column("honoured", "boolean", "the sentence is no more severe than the signed recommendation, or the upper "
                                  "end of its range", WITHOUT_PLEA),
    Column("tried", "bool", "the case went to a contested trial"),
    Column("convicted", "bool", "convicted at first instance"),
    Column("base_months", "float64", "guideline base sentence (starting point with aggravation and record)"),
    Column("sentence_months", "float64", "first-instance sentence (0 if acquitted or not prosecuted)"),
    Column("trial_sentence_months", "float64", "the court's sentence on conviction at trial, no plea discount, on the "
                                               "hearing's facts (for a plea, its counterfactual; without a hearing, "
                                               "as reckoned at review)"),
    Column("discount", "float64", "1 − sentence / base", UNCONVICTED),
    Column("discount_vs_trial", "float64", "1 − sentence / counterfactual sentence on conviction at trial",
           UNCONVICTED),
    Column("suspect_belief", "float64", "suspect's belief about conviction when it decided on a plea",
           WITHOUT_NEGOTIATION),
    Column("prosecutor_belief", "float64", "prosecutor's belief about conviction after its review"),
    Column("belief_error", "float64", "suspect_belief − conviction_probability", WITHOUT_NEGOTIATION),
    Column("overstatement", "float64", "prosecutor's stated strength minus its belief (0 when checked)"),
    Column("detention_pressure", "float64", "detention cost / (detention cost + expected trial sentence) in the "
                                            "suspect's valuation of a trial", WITHOUT_PLEA),
    Column("deadline_pressure", "float64", "for a plea accepted as a take-it-or-leave-it offer: its gap to the "
                                           "defense's own last proposal (its target if it made none), relative to "
                                           "the offer; 0 when agreed before the last word", WITHOUT_PLEA),
    Column("overstatement_pressure", "float64", "belief inflation from overstatement the suspect took on",
           WITHOUT_PLEA),
    Column("pressure", "float64", "1 − (1 − detention)(1 − deadline)(1 − overstatement) pressure", WITHOUT_PLEA),
    Column("informed", "float64", "1 − |belief_error|", WITHOUT_PLEA),
    Column("uncoerced", "float64", "1 − pressure", WITHOUT_PLEA),
    Column("participatory", "float64", "mean of voice (defense moves per prosecutor move; 1 when the terms met the "
                                       "defense's own target) and defense_influence", WITHOUT_PLEA),
    Column("defense_influence", "float64", "share of the gap between the prosecutor's opening and the defense's "
                                           "target closed in the defense's favour", WITHOUT_PLEA),
    Column("voluntariness", "float64", "weighted mean of informed, uncoerced, participatory", WITHOUT_PLEA),
    Column("rounds", "int64", "negotiation rounds"),
    Column("days_to_disposition", "float64", "working days from arrival to first-instance judgment (or to the "
                                             "decision not to prosecute)"),
    Column("prosecutor_hours", "float64", "prosecutor hours spent on the case"),
    Column("court_hours", "float64", "court hours spent on the case, appeal included"),
    Column("backlog_at_arrival", "float64", "mean queued days of work per prosecutor when the case arrived"),
    Column("appealed", "bool", "the defendant appealed"),
    Column("protested", "bool", "the procuratorate protested (抗诉)"),
    Column("second_instance", "string", "the second instance's judgment on an appeal or protest: 'upheld', "
                                        "'reduced', 'increased', 'acquitted', 'convicted', or 'none' (not "
                                        "challenged)"),
    Column("revised", "bool", "the second instance changed the first-instance judgment"),
    Column("final_sentence_months", "float64", "the sentence after the second instance (the first-instance "
                                               "sentence if not challenged or upheld; 0 if acquitted or not "
                                               "prosecuted)"),
    Column("compensated", "bool", "the victim was compensated"),
    Column("forgiven", "bool", "the victim forgave (谅解)"),
    Column("compensation_unpaid", "bool", "compensation agreed with a heard victim was unpaid at the hearing (the "
                                          "victim then withdrew its forgiveness; compensated and forgiven are as at "
                                          "the hearing)"),
    Column("victim_satisfaction", "float64", "victim's satisfaction in [0, 1]", WITHOUT_VICTIM),
    Column("observer_fairness", "float64", "observer's procedural-fairness rating in [0, 1]", UNOBSERVED),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
NULLABLE: dict[str, bool] = {c.name: c.dtype == "boolean" for c in COLUMNS}
RUN_CONSTANTS: tuple[str, ...] = ("reform", "replication", "seed")
FIELDS: tuple[str, ...] = tuple(name for name in NAMES if name not in RUN_CONSTANTS)
"""What the model records of each case, in column order (the run's constants are added with the table)."""


@dataclass(frozen=True)
class Coded:
    """A category column as codes into its names (the compiled procedure's records)."""

    codes: np.ndarray
    names: tuple[str, ...]

    def take(self, order: np.ndarray) -> Coded:
        return Coded(self.codes.take(order), self.names)

    def tolist(self) -> list[str]:
        names = self.names
        return [names[code] for code in self.codes.tolist()]

    def __len__(self) -> int:
        return len(self.codes)


class CaseLog(Sequence):
    """A model's case records as they are written: one tuple of :data:`FIELDS` values per case, in order of
    disposition — or, from the compiled procedure, its columns (in case order) with the order of disposition.
    Read as a sequence it gives each case as a row ``dict``; :func:`to_table` reads its columns directly."""

    __slots__ = ("_rows", "_columns", "_order")

    def __init__(self, columns: dict[str, Sequence] | None = None, order: np.ndarray | None = None) -> None:
        self._columns, self._order = columns, order
        self._rows: list[tuple] | None = None if columns is not None else []

    @property
    def rows(self) -> list[tuple]:
        """The records as tuples of :data:`FIELDS` values ('boolean' columns with None for missing)."""
        if self._rows is None:
            self._rows = list(zip(*(self._python(values, NULLABLE[name]) for name, values in self.columns().items())))
        return self._rows

    @staticmethod
    def _python(values: Sequence, nullable: bool) -> list:
        if nullable:
            return [None if v < 0 else bool(v) for v in values.tolist()]
        return values.tolist()

    def append(self, values: tuple) -> None:
        """Record one case (``values`` in :data:`FIELDS` order)."""
        self.rows.append(values)
        self._columns = self._order = None

    def __len__(self) -> int:
        return len(self._columns["case_id"]) if self._columns is not None else len(self._rows)

    def __getitem__(self, index: int | slice) -> dict | list[dict]:
        if isinstance(index, slice):
            return [dict(zip(FIELDS, row)) for row in self.rows[index]]
        return dict(zip(FIELDS, self.rows[index]))

    def __iter__(self) -> Iterator[dict]:
        return (dict(zip(FIELDS, row)) for row in self.rows)

    def sort_by_case(self) -> None:
        """Put the records in case-id order."""
        if self._columns is not None:
            ids = self._columns["case_id"]
            self._order = None if np.all(ids[1:] > ids[:-1]) else np.argsort(ids, kind="stable")
            self._rows = None
        else:
            self._rows.sort(key=itemgetter(0))

    def columns(self) -> dict[str, Sequence]:
        """Each field's values, in record order: sequences of Python values, or from the compiled procedure NumPy
        arrays and :class:`Coded` categories ('boolean' columns as codes: -1 missing, 0, 1; see
        :data:`NULLABLE`)."""
        if self._columns is not None:
            if self._order is None:
                return self._columns
            return {name: values.take(self._order) for name, values in self._columns.items()}
        return dict(zip(FIELDS, zip(*self._rows))) if self._rows else {}

    def column(self, name: str) -> Sequence:
        """One field's values, in record order (as :meth:`columns` gives them)."""
        if self._columns is not None:
            values = self._columns[name]
            return values if self._order is None else values.take(self._order)
        k = FIELDS.index(name)
        return [row[k] for row in self._rows]

    @property
    def coded(self) -> bool:
        """The columns are NumPy arrays and :class:`Coded` categories, 'boolean' columns as codes."""
        return self._columns is not None


SOURCES: dict[str, str] = {
    "case_id": "case.case_id", "offense": "case.offense.name", "track": "case.track", "guilty": "case.guilty",
    "conviction_probability": "case.conviction_probability", "detained": "case.detained",
    "prior_record": "case.prior_record", "released_on_bail": "released", "non_prosecution": "non_prosecuted",
    "has_victim": "case.has_victim",
    "lawyer_type": "lawyer_type", "lawyer_stage": "counsel_joined", "observed": "observed",
    "protocol": "talks.protocol", "initiated_by": "talks.initiated_by", "plea_stage": "plea_stage",
    "negotiated": "talks.negotiated", "signed": "agreement.signed", "suspect_signed": "agreement.pleaded",
    "lawyer_signed": "agreement.lawyer_is_party", "prosecutor_signed": "agreement.prosecutor_is_party",
    "withdrew": "agreement.withdrew", "pleaded": "agreement.pleaded", "plea_rejected": "agreement.rejected",
    "charge_reduced": "charge_reduced",
    "recommendation_months": "agreement.recommendation_months", "determinate": "verdict.determinate",
    "adopted": "verdict.adopted", "adjusted": "verdict.adjusted", "deviated": "deviated",
    "honoured": "verdict.honoured",
    "tried": "verdict.tried", "convicted": "verdict.convicted", "base_months": "case.base_months",
    "sentence_months": "verdict.sentence", "trial_sentence_months": "trial_sentence_months",
    "discount": "discount", "discount_vs_trial": "discount_vs_trial",
    "suspect_belief": "suspect_belief", "prosecutor_belief": "views.prosecutor_belief",
    "belief_error": "belief_error", "overstatement": "views.overstatement",
    "detention_pressure": "plea.detention_pressure", "deadline_pressure": "plea.deadline_pressure",
    "overstatement_pressure": "plea.overstatement_pressure", "pressure": "plea.pressure",
    "informed": "plea.informed", "uncoerced": "plea.uncoerced", "participatory": "plea.participatory",
    "defense_influence": "plea.influence", "voluntariness": "plea.index",
    "rounds": "talks.rounds", "days_to_disposition": "days_to_disposition", "prosecutor_hours": "prosecutor_hours",
    "court_hours": "court_hours", "backlog_at_arrival": "backlog", "appealed": "verdict.appealed",
    "protested": "verdict.protested", "second_instance": "verdict.second_instance", "revised": "revised",
    "final_sentence_months": "verdict.final_sentence", "compensated": "victim_compensated",
    "forgiven": "victim_forgave", "compensation_unpaid": "compensation_unpaid",
    "victim_satisfaction": "victim_satisfaction", "observer_fairness": "observer_fairness",
}
"""Where each recorded column is read on a disposed-of suspect: an attribute path through its case and the state
its stages wrote (:mod:`bargainsim.core.state`), or a column :class:`RecordedCase` derives."""

if set(SOURCES) != set(FIELDS):
    raise AssertionError(f"record sources and fields differ: {sorted(set(SOURCES) ^ set(FIELDS))}")

read_record = attrgetter(*(SOURCES[name] for name in FIELDS))
"""A disposed-of suspect's record: the tuple of its :data:`FIELDS` values."""


class RecordedCase:
    """The columns a case's record derives from several stages' state (mixed into the suspect)."""

    __slots__ = ()

    @property
    def lawyer_type(self) -> str:
        return self.counsel.kind if self.counsel is not None else "none"

    @property
    def observed(self) -> bool:
        return self.observer is not None and self.talks.negotiated

    @property
    def charge_reduced(self) -> bool:
        return self.agreement.pleaded and self.reduced_charge

    @property
    def plea_stage(self) -> str:
        return self.talks.plea_stage if self.agreement.pleaded else "none"

    @property
    def plea(self) -> Voluntariness:
        """The plea's voluntariness, or every component missing for a case disposed of without a plea."""
        return self.voluntariness if self.agreement.pleaded else NOT_PLEADED

    @property
    def discount(self) -> float:
        verdict = self.verdict
        return 1.0 - verdict.sentence / self.case.base_months if verdict.convicted else NAN

    @property
    def trial_sentence_months(self) -> float:
        """The court's sentence without a plea discount on the hearing's facts; without a hearing, the
        counterfactual as reckoned at review."""
        trial = self.verdict.trial_sentence
        return self.views.trial_sentence if trial != trial else trial

    @property
    def discount_vs_trial(self) -> float:
        verdict = self.verdict
        return 1.0 - verdict.sentence / self.trial_sentence_months if verdict.convicted else NAN

    @property
    def deviated(self) -> bool:
        verdict = self.verdict
        return verdict.adopted is not None and bool(verdict.adjusted or not verdict.adopted)

    @property
    def revised(self) -> bool:
        return self.verdict.second_instance not in ("none", "upheld")

    @property
    def suspect_belief(self) -> float:
        return self.views.belief if self.talks.negotiated else NAN

    @property
    def belief_error(self) -> float:
        return self.views.belief - self.case.conviction_probability if self.talks.negotiated else NAN

    @property
    def days_to_disposition(self) -> float:
        return float(self.days)

    @property
    def victim_compensated(self) -> bool:
        return self.victim is not None and self.victim.compensated

    @property
    def victim_forgave(self) -> bool:
        return self.victim is not None and self.victim.forgiven

    @property
    def compensation_unpaid(self) -> bool:
        return self.victim is not None and self.victim.unpaid

    @property
    def victim_satisfaction(self) -> float:
        victim = self.victim
        return victim.satisfaction(self.verdict.sentence, self.trial_sentence_months) if victim else NAN

    @property
    def observer_fairness(self) -> float:
        """The public observer's rating of the talks it watched."""
        if self.observer is None or not self.talks.negotiated:
            return NAN
        v = self.voluntariness
        return self.observer.rate(v.voice, v.influence, v.deadline_pressure, self.case.z_observer)
