"""The outcome registry: what each per-run outcome means, and which value of a case record it averages over which
cases.

Each :class:`Outcome` names its per-case ``value`` and the conditions (``among``) that put a case in its
denominator, as terms on the record's columns (:mod:`bargainsim.core.record`):

* ``"pleaded"``: a flag column is 1 when true, 0 when false (a missing flag counts as false); as a condition, the
  case must have the flag;
* ``"not guilty"``: the complement of a flag (1 − flag); as a condition, the case must lack the flag;
* ``"|belief_error|"``: the absolute value of a number;
* ``"discount"``: a number, or a nullable flag read as 1/0 (a missing value leaves the case out);
* ``"recommendation_months known"`` (condition only): the value is not missing.

A case whose value is missing is left out of the denominator too. The same declaration gives the per-case values
of a whole frame of records (:func:`case_outcomes`, for :func:`~bargainsim.analysis.metrics.run_metrics`) and of
a single record (:func:`case_value`, for a running tally). An outcome with ``within`` is not a mean over cases but
the spread of its value within groups of like cases (:data:`DISPERSION`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from bargainsim.core.record import COLUMNS, NAMES

RUN_KEYS = ["reform", "replication"]
LIKE_CASE_KEYS = ["offense", "prior_record"]

Group = Literal["system", "voluntariness", "leniency", "efficiency"]
GROUPS: tuple[Group, ...] = ("system", "voluntariness", "leniency", "efficiency")

# Decimal places used when printing a value of each unit.
DECIMALS = {
    "share": 3,
    "score 0-1": 3,
    "probability": 3,
    "hours": 2,
    "rounds": 2,
    "working days": 1,
    "work-days per prosecutor": 1,
    "months": 2,
}

_DTYPES = {column.name: column.dtype for column in COLUMNS}


@dataclass(frozen=True)
class Term:
    """One term of an outcome's declaration: a record column and how it is read (module docstring)."""

    column: str
    reading: Literal["flag", "not", "number", "magnitude", "known"]

    @classmethod
    def parse(cls, text: str) -> Term:
        """The term a declaration's text stands for; KeyError for a column the record does not have."""
        if text.startswith("not "):
            column, reading = text[4:], "not"
        elif text.startswith("|") and text.endswith("|"):
            column, reading = text[1:-1], "magnitude"
        elif text.endswith(" known"):
            column, reading = text[:-6], "known"
        else:
            column, reading = text, "flag" if _DTYPES.get(text) == "bool" else "number"
        if column not in _DTYPES:
            raise KeyError(f"{text!r} names no record column")
        return cls(column, reading)

    def values(self, column: pd.Series) -> np.ndarray:
        """The term over a column of records: floats (NaN where missing), or booleans for a condition."""
        if self.reading == "known":
            return column.notna().to_numpy()
        if self.reading in ("flag", "not"):
            flag = column.astype("boolean").fillna(False).to_numpy(dtype=bool)
            return flag if self.reading == "flag" else ~flag
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        return np.abs(values) if self.reading == "magnitude" else values

    def value(self, row: Mapping[str, object]) -> float | bool:
        """The term for one case record (a row ``dict``): as :meth:`values` gives it for that case."""
        value = row[self.column]
        present = value is not None and value is not pd.NA and value == value
        if self.reading == "known":
            return present
        if self.reading in ("flag", "not"):
            return (present and bool(value)) != (self.reading == "not")
        number = float(value) if present else math.nan
        return abs(number) if self.reading == "magnitude" else number


@dataclass(frozen=True)
class Outcome:
    """Definition of one per-run outcome: the mean of ``value`` over the cases that meet every condition of
    ``among`` (terms as in the module docstring); with ``within``, the spread of ``value`` within groups of cases
    alike in those columns instead."""

    title: str
    unit: str
    group: Group
    higher_is_better: bool | None
    definition: str
    value: str
    among: tuple[str, ...] = ()
    within: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Title with unit, for axes and table headers."""
        return f"{self.title} ({self.unit})"

    @property
    def decimals(self) -> int:
        """Decimal places used to print values of this outcome."""
        return DECIMALS.get(self.unit, 3)

    @cached_property
    def terms(self) -> tuple[Term, tuple[Term, ...]]:
        """The parsed value and conditions (a condition is a flag, its negation, or a value being known)."""
        conditions = tuple(Term.parse(text) for text in self.among)
        numbers = [term.column for term in conditions if term.reading in ("number", "magnitude")]
        if numbers:
            raise ValueError(f"{self.title}: {', '.join(numbers)} is no condition (a flag, 'not' a flag, or "
                             f"'known')")
        return Term.parse(self.value), conditions

    @property
    def columns(self) -> tuple[str, ...]:
        """The record columns the outcome reads."""
        value, conditions = self.terms
        return (value.column, *(term.column for term in conditions), *self.within)


_PLEADED = ("pleaded",)
_SENTENCED_PLEA = ("pleaded", "convicted")

OUTCOMES: dict[str, Outcome] = {
    # system
    "application_rate": Outcome(
        "Application rate", "share", "system", None,
        "Share of cases disposed under plea leniency.", "pleaded"),
    "determinate_share": Outcome(
        "Determinate recommendations", "share", "system", None,
        "Share of pleaded cases with a sentence recommendation whose recommendation "
        "is a determinate term rather than a range.", "determinate", ("pleaded", "recommendation_months known")),
    "adoption_rate": Outcome(
        "Adoption rate", "share", "system", None,
        "Share of pleaded cases in which the court adopted the recommendation "
        "(possibly after an adjustment).", "adopted", _PLEADED),
    "first_instance_acceptance": Outcome(
        "First-instance acceptance", "share", "system", True,
        "Share of pleaded cases not appealed (1 - appeal rate among pleaded cases).", "not appealed", _PLEADED),
    "withdrawal_rate": Outcome(
        "Withdrawal rate", "share", "system", None,
        "Share of cases with a signed plea affidavit in which the suspect withdrew the plea.", "withdrew",
        ("signed",)),
    "appeal_rate": Outcome(
        "Appeal rate", "share", "system", False,
        "Share of all cases appealed by the defendant.", "appealed"),
    "protest_rate": Outcome(
        "Protest rate", "share", "system", False,
        "Share of all cases protested by the procuratorate.", "protested"),
    "revision_rate": Outcome(
        "Revised on appeal", "share", "system", None,
        "Share of all cases whose first-instance judgment the second instance changed (reduced, increased, "
        "quashed or turned into a conviction).", "revised"),
    "trial_rate": Outcome(
        "Trial rate", "share", "system", None,
        "Share of all cases that went to trial.", "tried"),
    "victim_satisfaction": Outcome(
        "Victim satisfaction", "score 0-1", "system", True,
        "Mean victim satisfaction over cases with a victim.", "victim_satisfaction", ("has_victim",)),
    "observer_fairness": Outcome(
        "Perceived fairness", "score 0-1", "system", True,
        "Mean fairness rating by observers over observed cases.", "observer_fairness", ("observed",)),
    # voluntariness
    "voluntariness": Outcome(
        "Voluntariness", "score 0-1", "voluntariness", True,
        "Mean voluntariness index over pleaded cases.", "voluntariness", _PLEADED),
    "informed": Outcome(
        "Informed", "score 0-1", "voluntariness", True,
        "Mean informedness component over pleaded cases.", "informed", _PLEADED),
    "uncoerced": Outcome(
        "Uncoerced", "score 0-1", "voluntariness", True,
        "Mean absence-of-coercion component over pleaded cases.", "uncoerced", _PLEADED),
    "participatory": Outcome(
        "Participatory", "score 0-1", "voluntariness", True,
        "Mean participation component over pleaded cases.", "participatory", _PLEADED),
    "pressure": Outcome(
        "Pressure", "score 0-1", "voluntariness", False,
        "Mean pressure on the suspect over pleaded cases.", "pressure", _PLEADED),
    "defense_influence": Outcome(
        "Defense influence", "score 0-1", "voluntariness", True,
        "Mean influence of defense counsel on the recommendation over pleaded cases.", "defense_influence",
        _PLEADED),
    "innocent_plea_rate": Outcome(
        "Innocent plea rate", "share", "voluntariness", False,
        "Share of factually innocent suspects who pleaded.", "pleaded", ("not guilty",)),
    "belief_error": Outcome(
        "Belief error", "probability", "voluntariness", False,
        "Mean absolute error of the suspect's believed conviction probability, "
        "over suspects who made a decision.", "|belief_error|"),
    # leniency
    "discount": Outcome(
        "Discount", "share", "leniency", None,
        "Mean sentence discount (1 - sentence / base sentence) over pleaded, convicted cases.", "discount",
        _SENTENCED_PLEA),
    "discount_vs_trial": Outcome(
        "Discount vs trial", "share", "leniency", None,
        "Mean discount relative to the counterfactual sentence on conviction at trial (no plea discount), "
        "over pleaded, convicted cases.", "discount_vs_trial", _SENTENCED_PLEA),
    "discount_dispersion": Outcome(
        "Discount dispersion", "share", "leniency", False,
        "Consistency for like cases: standard deviation (ddof=0) of the discount among "
        "pleaded, convicted cases with the same offense and prior record, averaged over "
        "such groups weighted by size (groups of fewer than 2 cases skipped).", "discount", _SENTENCED_PLEA,
        tuple(LIKE_CASE_KEYS)),
    "deviation_rate": Outcome(
        "Court deviations", "share", "leniency", None,
        "Share of pleaded cases the court did not sentence as recommended (an adjustment at its suggestion, or "
        "its own sentence).", "deviated", _PLEADED),
    "deviations_heavier": Outcome(
        "Deviations heavier", "share", "leniency", None,
        "Among pleaded cases the court did not sentence as recommended, the share sentenced above the "
        "recommendation (the upper end of its range).", "not honoured", ("pleaded", "deviated")),
    "deviations_lighter": Outcome(
        "Deviations lighter", "share", "leniency", None,
        "Among pleaded cases the court did not sentence as recommended, the share sentenced no more severely "
        "than the recommendation.", "honoured", ("pleaded", "deviated")),
    "honoured_rate": Outcome(
        "Honoured rate", "share", "leniency", True,
        "Share of pleaded cases sentenced no more severely than the signed recommendation.", "honoured", _PLEADED),
    # efficiency
    "days_to_disposition": Outcome(
        "Days to disposition", "working days", "efficiency", False,
        "Mean working days from arrival to first-instance judgment over all cases.", "days_to_disposition"),
    "prosecutor_hours": Outcome(
        "Prosecutor time", "hours", "efficiency", False,
        "Mean prosecutor hours per case over all cases.", "prosecutor_hours"),
    "court_hours": Outcome(
        "Court time", "hours", "efficiency", False,
        "Mean court hours per case (appeal included) over all cases.", "court_hours"),
    "backlog": Outcome(
        "Backlog at arrival", "work-days per prosecutor", "efficiency", False,
        "Mean queued days of work per prosecutor when a case arrived, over all cases.", "backlog_at_arrival"),
    "rounds": Outcome(
        "Negotiation rounds", "rounds", "efficiency", None,
        "Mean negotiation rounds over cases with a negotiation.", "rounds", ("negotiated",)),
}

HEADLINE: tuple[str, ...] = (
    "application_rate",
    "voluntariness",
    "innocent_plea_rate",
    "discount",
    "days_to_disposition",
    "prosecutor_hours",
)

FROM_CASES: dict[str, Outcome] = {
    "guilty_plea_rate": Outcome(
        "Guilty plea rate", "share", "system", None,
        "Share of factually guilty suspects who pleaded.", "pleaded", ("guilty",)),
    "innocent_conviction_rate": Outcome(
        "Innocent conviction rate", "share", "system", False,
        "Share of factually innocent suspects convicted at first instance, on a plea or at trial.", "convicted",
        ("not guilty",)),
    "sentence_guilty": Outcome(
        "Sentence of the guilty", "months", "leniency", None,
        "Mean first-instance sentence over factually guilty, convicted cases.", "sentence_months",
        ("guilty", "convicted")),
    "sentence_convicted": Outcome(
        "Sentence of the convicted", "months", "leniency", None,
        "Mean first-instance sentence over all convicted cases.", "sentence_months", ("convicted",)),
    "sentence_innocent": Outcome(
        "Punishment of the innocent", "months", "leniency", False,
        "Mean first-instance sentence over factually innocent suspects (0 when not convicted): what an innocent "
        "suspect can expect.", "sentence_months", ("not guilty",)),
}
"""Outcomes a study's report computes from the jobs' kept case records (``save_cases``), not part of a run's own
metrics (whose columns stay those of :data:`OUTCOMES`): who pleads by guilt, and sentence lengths."""

ALL_OUTCOMES: dict[str, Outcome] = {**OUTCOMES, **FROM_CASES}
"""Every outcome a comparison can show: a run's metrics and those computed from kept cases."""

MEANS: tuple[str, ...] = tuple(name for name, outcome in OUTCOMES.items() if not outcome.within)
"""The outcomes that are means over cases: all but :data:`DISPERSION`."""
DISPERSION = next(name for name, outcome in OUTCOMES.items() if outcome.within)
"""The one outcome that is a spread within like cases."""

CASE_COLUMNS: tuple[str, ...] = tuple(
    name for name in NAMES
    if name in {*RUN_KEYS, "seed", *(column for outcome in OUTCOMES.values() for column in outcome.columns)})
"""The record columns the metrics read, in record order."""

FROM_CASES_COLUMNS: tuple[str, ...] = tuple(
    name for name in NAMES
    if name in {*RUN_KEYS, *(column for outcome in FROM_CASES.values() for column in outcome.columns)})
"""The record columns the outcomes computed from kept cases read, in record order."""


def _per_case(outcome: Outcome, read: Callable[[Term], np.ndarray]) -> np.ndarray:
    """An outcome's value of each case, NaN where the case is outside its denominator."""
    value, conditions = outcome.terms
    values = read(value)
    if values.dtype == bool:
        values = values.astype(float)
    if not conditions:
        return values
    mask = read(conditions[0])
    for term in conditions[1:]:
        mask = mask & read(term)
    return np.where(mask, values, np.nan)


def case_outcomes(cases: pd.DataFrame, names: tuple[str, ...] = MEANS) -> dict[str, np.ndarray]:
    """Each named outcome's value of every case of a frame of records, NaN where the case is outside its
    denominator (a column read once however many outcomes use it)."""
    read: dict[Term, np.ndarray] = {}

    def values(term: Term) -> np.ndarray:
        if term not in read:
            read[term] = term.values(cases[term.column])
        return read[term]

    return {name: _per_case(ALL_OUTCOMES[name], values) for name in names}


def case_value(name: str, row: Mapping[str, object]) -> float:
    """An outcome's value of one case record (a row ``dict``, as a model's ``CaseLog`` gives it), NaN where the
    case is outside its denominator."""
    value, conditions = OUTCOMES[name].terms
    return float(value.value(row)) if all(term.value(row) for term in conditions) else math.nan
