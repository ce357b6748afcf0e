"""Tests for per-run metrics, the paired comparison summary, report text and figures."""

from __future__ import annotations

import logging
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from bargainsim.analysis import HEADLINE, OUTCOMES, run_metrics, summarize
from bargainsim.reporting import plots
from bargainsim.reporting.formatting import format_console, format_markdown

nan = np.nan
NA = pd.NA
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

CASE_DEFAULTS = {
    "reform": "status_quo", "replication": 0, "seed": 7, "offense": "theft",
    "track": "misdemeanor", "guilty": True, "detained": False, "prior_record": False,
    "has_victim": False, "observed": False, "negotiated": True, "signed": True,
    "pleaded": True, "withdrew": False, "tried": False, "convicted": True, "appealed": False,
    "protested": False, "revised": False, "deviated": False, "recommendation_months": 6.0, "determinate": True, "adopted": True,
    "honoured": True, "sentence_months": 4.0, "trial_sentence_months": 6.0,
    "base_months": 5.0, "discount": 0.2, "discount_vs_trial": 0.33, "belief_error": 0.0,
    "pressure": 0.5, "informed": 0.5, "uncoerced": 0.5, "participatory": 0.5,
    "voluntariness": 0.5, "defense_influence": 0.5, "rounds": 1, "days_to_disposition": 10.0,
    "prosecutor_hours": 2.0, "court_hours": 1.0, "backlog_at_arrival": 3.0,
    "victim_satisfaction": nan, "observer_fairness": nan,
}
NULLABLE_FLAGS = ("determinate", "adopted", "honoured")


def make_cases(n: int, **columns: list) -> pd.DataFrame:
    """Case records of ``n`` rows: given columns, defaults elsewhere."""
    data = {name: columns.get(name, [default] * n) for name, default in CASE_DEFAULTS.items()}
    frame = pd.DataFrame(data)
    frame.insert(3, "case_id", np.arange(n))
    return frame.astype({name: "boolean" for name in NULLABLE_FLAGS})


def random_cases(rng: np.random.Generator, runs: list[tuple[str, int]], n: int) -> pd.DataFrame:
    """Random case records with missing values where the simulation leaves them."""
    frames = []
    for reform, replication in runs:
        pleaded = rng.random(n) < 0.7
        convicted = rng.random(n) < 0.85
        recommended = pleaded & (rng.random(n) < 0.9)

        def flag(p: float) -> np.ndarray:
            return rng.random(n) < p

        def score(mask: np.ndarray) -> np.ndarray:
            return np.where(mask, rng.random(n), nan)

        def nullable(mask: np.ndarray) -> pd.array:
            return pd.array(np.where(mask, flag(0.6), None), dtype="boolean")

        frames.append(pd.DataFrame({
            "reform": reform, "replication": replication, "seed": 100 + replication,
            "case_id": np.arange(n), "offense": rng.choice(["theft", "fraud", "dui"], n),
            "guilty": flag(0.8), "prior_record": flag(0.4), "has_victim": flag(0.3),
            "observed": flag(0.3), "negotiated": flag(0.6), "signed": pleaded | flag(0.1),
            "pleaded": pleaded, "withdrew": flag(0.1), "tried": ~pleaded,
            "convicted": convicted, "appealed": flag(0.1), "protested": flag(0.05),
            "recommendation_months": np.where(recommended, rng.uniform(1, 24, n), nan),
            "determinate": nullable(recommended), "adopted": nullable(pleaded),
            "honoured": nullable(pleaded),
            "discount": np.where(convicted, rng.uniform(0, 0.4, n), nan),
            "discount_vs_trial": np.where(convicted, rng.uniform(0, 0.5, n), nan),
            "belief_error": np.where(flag(0.9), rng.normal(0, 0.2, n), nan),
            **{name: score(pleaded) for name in (
                "pressure", "informed", "uncoerced", "participatory", "voluntariness",
                "defense_influence")},
            "rounds": rng.integers(0, 6, n), "days_to_disposition": rng.gamma(2, 15, n),
            "prosecutor_hours": rng.gamma(2, 2, n), "court_hours": rng.gamma(2, 1, n),
            "backlog_at_arrival": rng.gamma(2, 20, n),
            "victim_satisfaction": rng.random(n), "observer_fairness": rng.random(n),
        }))
    cases = pd.concat(frames, ignore_index=True)
    cases["revised"] = rng.random(len(cases)) < 0.02
    cases["deviated"] = cases["pleaded"] & (rng.random(len(cases)) < 0.1)
    return cases


def make_metrics(values: dict[str, dict[str, np.ndarray]]) -> pd.DataFrame:
    """Per-run metrics from {arm: {outcome: values over replications}}."""
    frames = []
    for arm, outcomes in values.items():
        replications = len(next(iter(outcomes.values())))
        frames.append(pd.DataFrame({"reform": arm, "replication": range(replications), **outcomes}))
    return pd.concat(frames, ignore_index=True)


def row(summary: pd.DataFrame, reform: str, outcome: str) -> pd.Series:
    """The single summary row of one arm and outcome."""
    match = summary[(summary["reform"] == reform) & (summary["outcome"] == outcome)]
    assert len(match) == 1
    return match.iloc[0]


# run_metrics


@pytest.mark.filterwarnings("error")
def test_run_metrics_hand_computed_rates_and_conditional_denominators():
    cases = make_cases(
        4,
        pleaded=[True, True, True, False],
        signed=[True, True, False, True],
        withdrew=[False, False, False, True],
        adopted=[True, False, True, False],  # the non-pleaded case must not count
        appealed=[False, True, False, True],
        protested=[False, False, False, True],
        tried=[False, False, False, True],
        guilty=[True, False, True, False],
        recommendation_months=[6.0, nan, 8.0, nan],
        determinate=[True, True, False, NA],  # case 1 has no recommendation: not counted
        honoured=[True, True, False, NA],
        voluntariness=[0.9, 0.6, 0.3, nan],
        pressure=[0.1, 0.2, 0.6, 0.9],
        belief_error=[-0.2, 0.1, nan, 0.3],
        convicted=[True, True, False, True],
        discount=[0.2, 0.4, nan, 0.1],
        discount_vs_trial=[0.1, 0.3, nan, 0.5],
        negotiated=[True, True, False, False],
        rounds=[2, 4, 0, 0],
        observed=[True, False, False, True],
        observer_fairness=[0.8, nan, nan, 0.4],
        days_to_disposition=[10.0, 20.0, 30.0, 40.0],
        prosecutor_hours=[1.0, 2.0, 3.0, 6.0],
        court_hours=[0.0, 1.0, 1.0, 2.0],
        backlog_at_arrival=[5.0, 5.0, 5.0, 9.0],
    )
    metrics = run_metrics(cases)
    assert len(metrics) == 1
    m = metrics.iloc[0]
    expected = {
        "n_cases": 4, "seed": 7,
        "application_rate": 3 / 4,
        "withdrawal_rate": 1 / 3,  # 1 withdrawal among 3 signed, not 1 of 4 cases
        "adoption_rate": 2 / 3,  # over pleaded only
        "first_instance_acceptance": 1 - 1 / 3,  # 1 appeal among 3 pleaded
        "appeal_rate": 2 / 4,
        "protest_rate": 1 / 4,
        "trial_rate": 1 / 4,
        "innocent_plea_rate": 1 / 2,  # innocents are cases 1 and 3; only case 1 pleaded
        "determinate_share": 1 / 2,  # pleaded with a recommendation: cases 0 and 2
        "honoured_rate": 2 / 3,
        "voluntariness": 0.6,
        "pressure": (0.1 + 0.2 + 0.6) / 3,  # the non-pleaded case's 0.9 is left out
        "belief_error": (0.2 + 0.1 + 0.3) / 3,
        "discount": 0.3,  # pleaded and convicted: cases 0 and 1
        "discount_vs_trial": 0.2,
        "rounds": 3.0,  # over negotiated only
        "observer_fairness": 0.6,
        "days_to_disposition": 25.0,
        "prosecutor_hours": 3.0,
        "court_hours": 1.0,
        "backlog": 6.0,
        "discount_dispersion": 0.1,  # one like-case group {0.2, 0.4}
    }
    for name, value in expected.items():
        assert m[name] == pytest.approx(value), name
    assert math.isnan(m["victim_satisfaction"])  # no case has a victim


@pytest.mark.filterwarnings("error")
def test_run_metrics_empty_denominators_give_nan():
    cases = make_cases(
        3, pleaded=[False] * 3, signed=[False] * 3, negotiated=[False] * 3,
        guilty=[True] * 3, adopted=[NA] * 3, honoured=[NA] * 3, determinate=[NA] * 3,
        recommendation_months=[nan] * 3, voluntariness=[nan] * 3, belief_error=[nan] * 3,
        tried=[True] * 3,
    )
    m = run_metrics(cases).iloc[0]
    assert m["application_rate"] == 0.0
    assert m["trial_rate"] == 1.0
    for name in ("adoption_rate", "determinate_share", "first_instance_acceptance",
                 "withdrawal_rate", "innocent_plea_rate", "voluntariness", "pressure",
                 "discount", "discount_dispersion", "honoured_rate", "rounds",
                 "belief_error", "victim_satisfaction", "observer_fairness"):
        assert math.isnan(m[name]), name


def test_run_metrics_one_row_per_run_in_first_seen_arm_order_with_status_quo_first():
    runs = [("b_arm", 1), ("b_arm", 0), ("status_quo", 1), ("a_arm", 0), ("status_quo", 0)]
    pleaded = {("b_arm", 1): 1, ("b_arm", 0): 2, ("status_quo", 1): 3, ("a_arm", 0): 4,
               ("status_quo", 0): 0}
    frames = [
        make_cases(4, reform=[arm] * 4, replication=[rep] * 4, seed=[50 + rep] * 4,
                   pleaded=[i < pleaded[arm, rep] for i in range(4)])
        for arm, rep in runs
    ]
    metrics = run_metrics(pd.concat(frames, ignore_index=True))
    assert list(zip(metrics["reform"], metrics["replication"])) == [
        ("status_quo", 0), ("status_quo", 1), ("b_arm", 0), ("b_arm", 1), ("a_arm", 0)]
    assert list(metrics["application_rate"]) == [0.0, 0.75, 0.5, 0.25, 1.0]
    assert list(metrics["seed"]) == [50, 51, 50, 51, 50]
    assert list(metrics["n_cases"]) == [4] * 5
    assert list(metrics.columns[:4]) == ["reform", "replication", "seed", "n_cases"]
    assert list(metrics.columns[4:]) == list(OUTCOMES)


def test_run_metrics_rejects_missing_columns():
    with pytest.raises(ValueError, match="pleaded"):
        run_metrics(make_cases(2).drop(columns="pleaded"))


def naive_run_metrics(run: pd.DataFrame) -> dict[str, float]:
    """Reference: each outcome by filtering the run's cases, then averaging."""

    def mean(values: pd.Series) -> float:
        values = values.dropna().astype(float)
        return float(values.mean()) if len(values) else nan

    pleaded = run["pleaded"]
    sentenced = pleaded & run["convicted"]
    result = {
        "application_rate": mean(pleaded),
        "determinate_share": mean(run.loc[pleaded & run["recommendation_months"].notna(),
                                          "determinate"]),
        "adoption_rate": mean(run.loc[pleaded, "adopted"]),
        "first_instance_acceptance": 1 - mean(run.loc[pleaded, "appealed"]),
        "withdrawal_rate": mean(run.loc[run["signed"], "withdrew"]),
        "appeal_rate": mean(run["appealed"]),
        "protest_rate": mean(run["protested"]),
        "trial_rate": mean(run["tried"]),
        "victim_satisfaction": mean(run.loc[run["has_victim"], "victim_satisfaction"]),
        "observer_fairness": mean(run.loc[run["observed"], "observer_fairness"]),
        "innocent_plea_rate": mean(run.loc[~run["guilty"], "pleaded"]),
        "belief_error": mean(run["belief_error"].abs()),
        "discount": mean(run.loc[sentenced, "discount"]),
        "discount_vs_trial": mean(run.loc[sentenced, "discount_vs_trial"]),
        "honoured_rate": mean(run.loc[pleaded, "honoured"]),
        "deviation_rate": mean(run.loc[pleaded, "deviated"]),
        "deviations_heavier": mean(~run.loc[pleaded & run["deviated"], "honoured"].astype("boolean")),
        "deviations_lighter": mean(run.loc[pleaded & run["deviated"], "honoured"]),
        "revision_rate": mean(run["revised"]),
        "days_to_disposition": mean(run["days_to_disposition"]),
        "prosecutor_hours": mean(run["prosecutor_hours"]),
        "court_hours": mean(run["court_hours"]),
        "backlog": mean(run["backlog_at_arrival"]),
        "rounds": mean(run.loc[run["negotiated"], "rounds"]),
    }
    for name in ("voluntariness", "informed", "uncoerced", "participatory", "pressure",
                 "defense_influence"):
        result[name] = mean(run.loc[pleaded, name])
    weighted, size = 0.0, 0
    for _, like in run[sentenced & run["discount"].notna()].groupby(["offense", "prior_record"]):
        if len(like) >= 2:
            weighted += len(like) * float(np.std(like["discount"]))
            size += len(like)
    result["discount_dispersion"] = weighted / size if size else nan
    return result


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12))
def test_run_metrics_matches_filter_then_average_reference(seed, n):
    cases = random_cases(np.random.default_rng(seed),
                         [("status_quo", 0), ("status_quo", 1), ("reform", 0)], n)
    metrics = run_metrics(cases).set_index(["reform", "replication"])
    for (reform, replication), run in cases.groupby(["reform", "replication"]):
        expected = naive_run_metrics(run)
        got = metrics.loc[(reform, replication)]
        for name in OUTCOMES:
            assert got[name] == pytest.approx(expected[name], nan_ok=True, abs=1e-12), name


# discount_dispersion


def test_discount_dispersion_is_zero_for_like_cases_with_identical_discounts():
    cases = make_cases(
        5, offense=["theft", "theft", "theft", "fraud", "fraud"],
        discount=[0.25, 0.25, 0.25, 0.1, 0.1],
    )
    assert run_metrics(cases).iloc[0]["discount_dispersion"] == pytest.approx(0.0, abs=1e-12)


def test_discount_dispersion_is_size_weighted_within_group_sd():
    cases = make_cases(
        9,
        offense=["theft", "theft", "theft", "theft", "theft", "fraud", "theft", "theft", "dui"],
        prior_record=[False, False, True, True, True, False, False, True, False],
        discount=[0.1, 0.3, 0.2, 0.2, 0.5, 0.9, 0.9, nan, 0.05],
        pleaded=[True] * 6 + [False, True, True],
        convicted=[True] * 7 + [False, True],
    )
    # Groups: theft/no prior {0.1, 0.3} (sd 0.1), theft/prior {0.2, 0.2, 0.5}
    # (sd sqrt(0.02)); fraud and dui are singletons; case 6 did not plead and
    # case 7 was acquitted, so neither counts.
    expected = (2 * 0.1 + 3 * math.sqrt(0.02)) / 5
    assert run_metrics(cases).iloc[0]["discount_dispersion"] == pytest.approx(expected)


# summarize


@pytest.mark.filterwarnings("error")
def test_summarize_noise_free_difference_has_degenerate_ci():
    # Magnitudes far apart, so (base + 0.1) - base differs across replications by
    # rounding error, which must not show up as a non-degenerate interval.
    base = np.array([0.3, 0.7, 1.9, 12.5, 250.0])
    metrics = make_metrics({
        "status_quo": {"days_to_disposition": base, "voluntariness": np.full(5, 0.7),
                       "victim_satisfaction": np.full(5, nan)},
        "arm_b": {"days_to_disposition": base + 0.1, "voluntariness": np.full(5, 0.7),
                  "victim_satisfaction": np.full(5, nan)},
    })
    summary = summarize(metrics)
    assert list(summary["reform"].unique()) == ["status_quo", "arm_b"]
    assert list(summary["outcome"].unique()) == [
        "victim_satisfaction", "voluntariness", "days_to_disposition"]  # OUTCOMES order

    b = row(summary, "arm_b", "days_to_disposition")
    assert b["n"] == 5
    assert b["diff"] == pytest.approx(0.1, abs=1e-12)
    assert b["diff_ci_low"] == b["diff_ci_high"] == b["diff"]
    assert b["p_value"] == 0.0  # a constant non-zero paired difference
    assert b["ci_low"] < b["mean"] < b["ci_high"]

    constant = row(summary, "arm_b", "voluntariness")
    assert constant["ci_low"] == constant["ci_high"] == constant["mean"] == 0.7
    assert constant["diff"] == 0.0 and math.isnan(constant["p_value"])

    empty = row(summary, "arm_b", "victim_satisfaction")
    assert empty["n"] == 0 and math.isnan(empty["mean"]) and math.isnan(empty["diff"])

    sq = row(summary, "status_quo", "days_to_disposition")
    assert sq["diff"] == 0.0 and math.isnan(sq["p_value"])
    assert sq["mean"] == pytest.approx(base.mean())
    assert (summary["baseline"] == "status_quo").all() and (summary["level"] == 0.95).all()


@pytest.mark.filterwarnings("error")
def test_summarize_single_replication_gives_nan_intervals():
    metrics = make_metrics({"status_quo": {"discount": [0.2]}, "arm_b": {"discount": [0.3]}})
    b = row(summarize(metrics), "arm_b", "discount")
    assert b["mean"] == 0.3 and b["diff"] == pytest.approx(0.1)
    for name in ("ci_low", "ci_high", "diff_ci_low", "diff_ci_high", "p_value"):
        assert math.isnan(b[name]), name


def test_summarize_noisy_replications_match_paired_t_test():
    rng = np.random.default_rng(11)
    reps = 30
    base = rng.normal(0.6, 0.1, reps)
    noise = rng.normal(0.0, 0.02, reps)
    metrics = make_metrics({
        "status_quo": {"voluntariness": base},
        "effect": {"voluntariness": base + 0.1 + noise},
        "null": {"voluntariness": base + (noise - noise.mean())},
    })
    summary = summarize(metrics, level=0.95)

    effect = row(summary, "effect", "voluntariness")
    assert effect["diff_ci_low"] < 0.1 < effect["diff_ci_high"]
    assert effect["p_value"] < 1e-6
    diffs = metrics.loc[metrics["reform"] == "effect", "voluntariness"].to_numpy() - base
    low, high = stats.t.interval(0.95, reps - 1, loc=diffs.mean(), scale=stats.sem(diffs))
    assert (effect["diff_ci_low"], effect["diff_ci_high"]) == pytest.approx((low, high))
    assert effect["p_value"] == pytest.approx(
        stats.ttest_rel(base + 0.1 + noise, base).pvalue, rel=1e-6)

    values = base + 0.1 + noise
    low, high = stats.t.interval(0.95, reps - 1, loc=values.mean(), scale=stats.sem(values))
    assert (effect["ci_low"], effect["ci_high"]) == pytest.approx((low, high))

    null = row(summary, "null", "voluntariness")
    assert null["diff"] == pytest.approx(0.0, abs=1e-12)
    assert null["p_value"] > 0.99
    assert null["diff_ci_low"] < 0 < null["diff_ci_high"]


def test_summarize_pairs_on_replication_not_row_position():
    metrics = make_metrics({
        "status_quo": {"discount": np.array([0.1, 0.2, 0.3, 0.4])},
        "arm_b": {"discount": np.array([0.15, 0.25, 0.35, 0.45])},
    })
    shuffled = metrics.sample(frac=1.0, random_state=5)
    b = row(summarize(shuffled), "arm_b", "discount")
    assert b["diff"] == pytest.approx(0.05)
    assert b["diff_ci_high"] - b["diff_ci_low"] == pytest.approx(0.0, abs=1e-12)


def test_summarize_without_baseline_warns_and_leaves_differences_nan(caplog):
    metrics = make_metrics({"arm_a": {"discount": [0.1, 0.2]}, "arm_b": {"discount": [0.2, 0.3]}})
    with caplog.at_level(logging.WARNING, logger="bargainsim.analysis"):
        summary = summarize(metrics)
    assert "status_quo" in caplog.text
    assert summary["diff"].isna().all() and summary["mean"].notna().all()


def test_summarize_of_run_metrics_is_deterministic():
    cases = random_cases(np.random.default_rng(2),
                         [(arm, rep) for arm in ("reform", "status_quo") for rep in range(4)], 40)
    first = summarize(run_metrics(cases))
    second = summarize(run_metrics(cases.copy()))
    pd.testing.assert_frame_equal(first, second)
    assert list(first["reform"].unique()) == ["status_quo", "reform"]
    assert len(first) == 2 * len(OUTCOMES)


# report text


@pytest.fixture
def full_summary() -> pd.DataFrame:
    cases = random_cases(np.random.default_rng(8),
                         [(arm, rep) for arm in ("status_quo", "duty_lawyer", "open_file")
                          for rep in range(5)], 60)
    return summarize(run_metrics(cases))


def test_format_markdown_has_every_arm_and_outcome_in_group_tables(full_summary):
    text = format_markdown(full_summary)
    headers = [line for line in text.splitlines() if line.startswith("| Arm |")]
    assert len(headers) == 4
    header_text = "\n".join(headers)
    for outcome in OUTCOMES.values():
        assert f"| {outcome.label} |" in header_text, outcome.label
    for arm in ("status_quo", "duty_lawyer", "open_file"):
        assert sum(line.startswith(f"| {arm} |") for line in text.splitlines()) == 4
    for group in ("System", "Voluntariness", "Leniency", "Efficiency"):
        assert f"### {group}" in text
    assert "95% CI" in text.splitlines()[0]


def test_format_markdown_cells_use_unit_decimals_and_signed_differences():
    metrics = make_metrics({
        "status_quo": {"application_rate": [0.861, 0.869, 0.877],
                       "days_to_disposition": [40.0, 40.0, 40.0]},
        "arm_b": {"application_rate": [0.904, 0.912, 0.920],
                  "days_to_disposition": [37.5, 37.5, 37.5]},
    })
    text = format_markdown(summarize(metrics))
    half = stats.t.ppf(0.975, 2) * 0.008 / math.sqrt(3)
    lines = text.splitlines()
    sq = "\n".join(line for line in lines if line.startswith("| status_quo |"))
    assert f"0.869 [{0.869 - half:.3f}, {0.869 + half:.3f}]" in sq
    assert "| 40.0 [40.0, 40.0] |" in sq
    b = "\n".join(line for line in lines if line.startswith("| arm_b |"))
    assert "| 0.912 (+0.043 [+0.043, +0.043]) |" in b
    assert "| 37.5 (-2.5 [-2.5, -2.5]) |" in b
    assert re.search(r"### System\n\n\| Arm \| Application rate \(share\) \|", text)


def test_format_markdown_rejects_unknown_outcome(full_summary):
    with pytest.raises(ValueError, match="no_such_outcome"):
        format_markdown(full_summary, outcomes=["no_such_outcome"])


def test_format_console_is_a_fixed_width_headline_table(full_summary):
    text = format_console(full_summary)
    lines = text.splitlines()
    table = lines[:-1]
    assert len(table) == 2 + 3
    assert len({len(line) for line in table}) == 1
    assert lines[0].split() == ["arm", *HEADLINE]
    assert [line.split()[0] for line in table[2:]] == ["status_quo", "duty_lawyer", "open_file"]
    assert "(" not in table[2] and "(" in table[3]


def test_format_console_shows_the_confidence_half_width(full_summary):
    rows = full_summary.set_index(["reform", "outcome"])
    name = "application_rate"
    decimals = OUTCOMES[name].decimals
    base, arm = rows.loc[("status_quo", name)], rows.loc[("duty_lawyer", name)]
    text = format_console(full_summary, outcomes=[name])
    def fmt(x, sign=""):
        return f"{round(float(x), decimals) + 0.0:{sign}.{decimals}f}"

    base_half = (base["ci_high"] - base["ci_low"]) / 2
    diff_half = (arm["diff_ci_high"] - arm["diff_ci_low"]) / 2
    assert f"{fmt(base['mean'])}±{fmt(base_half)}" in text
    assert f"({fmt(arm['diff'], '+')}±{fmt(diff_half)})" in text
    assert "95% CI" in text.splitlines()[-1]


# figures


def test_arm_colours_are_distinct_with_grey_baseline():
    colours = plots.arm_colours(["a", "status_quo", "b", "c"])
    assert colours["status_quo"] == plots.BASELINE_COLOUR
    assert len(set(colours.values())) == 4
    assert colours == plots.arm_colours(["status_quo", "a", "b", "c"])


@pytest.fixture
def headline_summary() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    reps = 10
    values = {
        arm: {name: rng.normal(loc, 0.05 * loc, reps) for name, loc in zip(
            HEADLINE, (0.8 + shift, 0.6 - shift, 0.02, 0.2, 40 - 50 * shift, 6.0))}
        for arm, shift in (("status_quo", 0.0), ("duty_lawyer", 0.02), ("open_file", -0.03))
    }
    return summarize(make_metrics(values))


def assert_png(path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 10_000


def test_plot_outcomes_by_reform_writes_png(headline_summary, tmp_path):
    path = plots.plot_outcomes_by_reform(headline_summary, tmp_path / "figs" / "outcomes.png")
    assert path == tmp_path / "figs" / "outcomes.png"
    assert_png(path)
    assert plt.get_fignums() == []


def test_plot_tradeoff_writes_png(headline_summary, tmp_path):
    path = plots.plot_tradeoff(headline_summary, tmp_path / "tradeoff.png")
    assert_png(path)
    assert plt.get_fignums() == []


def test_outcomes_plot_of_the_baseline_alone_shows_levels(headline_summary, tmp_path, monkeypatch):
    only_baseline = headline_summary[headline_summary["reform"] == "status_quo"]
    drawn = []
    original = plots._point_range
    monkeypatch.setattr(plots, "_point_range",
                        lambda ax, rows, arms, colours, columns: drawn.append((arms, columns))
                        or original(ax, rows, arms, colours, columns))
    assert_png(plots.plot_outcomes_by_reform(only_baseline, tmp_path / "x.png"))
    assert drawn and all(arms == ["status_quo"] and columns[0] == "mean" for arms, columns in drawn)
