"""Metrics accumulated part by part (a district at a time) equal ``run_metrics`` of all the cases, to the bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from test_analysis import make_cases, random_cases

from bargainsim.analysis import MetricsAccumulator, run_metrics


def accumulated(cases: pd.DataFrame, parts: int) -> pd.DataFrame:
    accumulator = MetricsAccumulator()
    for rows in np.array_split(np.arange(len(cases)), parts):
        accumulator.add(cases.iloc[rows])
    return accumulator.metrics()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("parts", [1, 4, 37])
def test_accumulated_metrics_equal_run_metrics_exactly(seed, parts):
    cases = random_cases(np.random.default_rng(seed), [("status_quo", 0), ("reform", 0), ("status_quo", 1)], 2500)
    assert_frame_equal(accumulated(cases, parts), run_metrics(cases), check_exact=True)


def test_runs_out_of_order_and_interleaved_equal_run_metrics_exactly():
    cases = random_cases(np.random.default_rng(11), [("reform", 1), ("status_quo", 1), ("reform", 0)], 1500)
    shuffled = cases.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert_frame_equal(accumulated(shuffled, 5), run_metrics(shuffled), check_exact=True)


def test_complete_records_take_pandas_reduceat_sums_exactly():
    """With no missing outcome and contiguous runs pandas sums with numpy.add.reduceat, not Kahan's sum."""
    rng = np.random.default_rng(5)
    n = 997
    cases = make_cases(n, observed=[True] * n, has_victim=[True] * n, victim_satisfaction=rng.random(n).tolist(),
                       observer_fairness=rng.random(n).tolist(), prosecutor_hours=rng.gamma(2, 2, n).tolist(),
                       discount=rng.uniform(0, 0.4, n).tolist(), offense=rng.choice(["theft", "dui"], n).tolist())
    expected = run_metrics(cases)
    assert expected[["victim_satisfaction", "observer_fairness"]].notna().all(axis=None)
    assert_frame_equal(accumulated(cases, 6), expected, check_exact=True)


def test_missing_columns_and_empty_accumulator_are_errors():
    with pytest.raises(ValueError, match="pleaded"):
        MetricsAccumulator().add(make_cases(3).drop(columns="pleaded"))
    with pytest.raises(ValueError, match="no case records"):
        MetricsAccumulator().metrics()
