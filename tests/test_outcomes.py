"""The outcome registry: one declaration per outcome gives the same figures over a frame of records, part by part,
and case by case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_analysis import make_cases, random_cases

from bargainsim.analysis import (
    CASE_COLUMNS,
    DISPERSION,
    MEANS,
    OUTCOMES,
    STATUS_QUO,
    Outcome,
    Tally,
    case_outcomes,
    case_value,
    run_metrics,
)
from bargainsim.analysis.outcomes import Term
from bargainsim.analysis.tables import to_frame, to_table
from bargainsim.core.cases import draw_population
from bargainsim.core.model import PleaModel
from bargainsim.core.streams import CASES, INSTITUTION, stream
from bargainsim.params import Behaviour, Caseload, Rules, Timing


def same(a: float, b: float) -> bool:
    """Equal to the bit, or both NaN."""
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("rules", [Rules(), Rules(disclosure="full", public_observation=True)])
def test_tally_of_a_real_runs_records_equals_run_metrics_exactly(rules: Rules) -> None:
    seed = 31
    caseload = Caseload(innocent_share=0.1)
    model = PleaModel(draw_population(600, caseload, stream(seed, 0, CASES)), rules, Behaviour(), caseload,
                      Timing(), stream(seed, 0, INSTITUTION))
    records = model.run()
    tally = Tally()
    for row in records:
        tally.add(row)
    metrics = run_metrics(to_frame(to_table(records, reform=STATUS_QUO, replication=0, seed=seed))).iloc[0]
    assert tally.cases == metrics["n_cases"] == 600
    for name in MEANS:
        assert same(tally.value(name), metrics[name]), name


def test_a_case_value_equals_its_row_of_the_frames_values() -> None:
    cases = random_cases(np.random.default_rng(4), [(STATUS_QUO, 0)], 400)
    frame = case_outcomes(cases, (*MEANS, DISPERSION))
    for index, row in enumerate(cases.to_dict("records")):
        for name, values in frame.items():
            assert same(case_value(name, row), float(values[index])), (index, name)


def test_tally_starts_empty_and_counts_only_its_denominator() -> None:
    tally = Tally(("innocent_plea_rate", "adoption_rate", "first_instance_acceptance"))
    assert tally.cases == 0 and math.isnan(tally.value("adoption_rate"))
    rows = make_cases(3, guilty=[True, False, False], pleaded=[True, True, False], adopted=[True, pd.NA, pd.NA],
                      appealed=[True, False, False]).to_dict("records")
    for row in rows:
        tally.add(row)
    assert tally.cases == 3
    assert tally.value("innocent_plea_rate") == 0.5  # two innocent suspects, one pleaded
    assert tally.value("adoption_rate") == 1.0  # a pleaded case without a ruling is left out
    assert tally.value("first_instance_acceptance") == 0.5


def test_tally_refuses_the_dispersion_and_unknown_outcomes() -> None:
    with pytest.raises(ValueError, match=f"{DISPERSION}, nope"):
        Tally((DISPERSION, "nope"))


def test_terms_name_record_columns() -> None:
    assert Term.parse("not guilty") == Term("guilty", "not")
    assert Term.parse("|belief_error|") == Term("belief_error", "magnitude")
    assert Term.parse("recommendation_months known") == Term("recommendation_months", "known")
    assert Term.parse("adopted") == Term("adopted", "number")
    with pytest.raises(KeyError, match="no record column"):
        Term.parse("not a_column")


def test_a_condition_is_a_flag_or_a_known_value() -> None:
    with pytest.raises(ValueError, match="discount is no condition"):
        _ = Outcome("Odd", "share", "system", None, "A mean over a number.", "pleaded", ("discount",)).terms


def test_case_columns_are_what_the_registry_reads() -> None:
    assert set(CASE_COLUMNS) == {"reform", "replication", "seed", *(
        column for outcome in OUTCOMES.values() for column in outcome.columns)}
    assert {"offense", "prior_record", "recommendation_months", "guilty", "backlog_at_arrival"} <= set(CASE_COLUMNS)
