"""The validation suite (docs/validation.md): its directional facts hold, its verdicts follow the registered rules,
and the table in the docs is the one on record.

The directions are measured exactly as `make validate` measures them (bargainsim.analysis.validation), at the
registered seed and size (10 replications × 20,000 cases) but on the two arms they compare, the status quo and
effective counsel (the full run adds the other arms), and on the vignette grid over 10 draws of 1,000 suspects.
Each must pass: its 95% CI over replications excludes 0 with the expected sign. About 20 seconds on one core.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import population, run_cases

from bargainsim.analysis import validation
from bargainsim.analysis.validation import (
    COUNSEL_ARM,
    MEASURES,
    VIGNETTE,
    AppealCheck,
    evaluate,
    fact_verdicts,
    verdict,
)
from bargainsim.analysis.vignette import acceptance_table
from bargainsim.core.record import STATUS_QUO
from bargainsim.harness import vignette
from bargainsim.harness.config import config_dir, reform_catalogue
from bargainsim.harness.validation import load_facts
from bargainsim.params import Caseload, Rules

ROOT = Path(__file__).resolve().parents[1]
SEED = 2026
REPLICATIONS = 10
N = 20000
FACTS = load_facts()
DIRECTIONS = [m for m in MEASURES if next(f for f in FACTS if f["id"] == m.fact)["kind"] == "direction"]


@pytest.fixture(scope="module")
def arms() -> dict[str, pd.DataFrame]:
    """The status quo and effective counsel on the same cases, and the vignette grid, per replication."""
    frames: dict[str, list[pd.DataFrame]] = {STATUS_QUO: [], COUNSEL_ARM: []}
    for replication in range(REPLICATIONS):
        cases = population(N, Caseload(), seed=SEED, replication=replication)
        counsel = dataclasses.replace(Rules(), **reform_catalogue()[COUNSEL_ARM][COUNSEL_ARM])
        for label, rules in ((STATUS_QUO, Rules()), (COUNSEL_ARM, counsel)):
            frames[label].append(run_cases(cases, rules).assign(replication=replication))
    grid = vignette.load(config_dir() / "vignette" / "plea_justice.yaml")
    tables = [acceptance_table(grid.design, options=dataclasses.replace(grid.options, suspects=1000, seed=SEED + r))
              .assign(replication=r) for r in range(REPLICATIONS)]
    return {**{label: pd.concat(parts, ignore_index=True) for label, parts in frames.items()},
            VIGNETTE: pd.concat(tables, ignore_index=True)}


@pytest.mark.parametrize("measure", DIRECTIONS, ids=[f"{m.fact}:{m.label[:40]}" for m in DIRECTIONS])
def test_each_directional_fact_holds(arms, measure) -> None:
    fact = next(f for f in FACTS if f["id"] == measure.fact)
    mean, low, high = validation.interval(measure.statistic(arms))
    assert verdict(fact, measure, mean, low, high) == "PASS", (measure.fact, measure.label, mean, low, high)


def test_a_defendants_own_appeal_never_brings_a_heavier_sentence_in_either_arm(arms) -> None:
    check = AppealCheck()
    for label in (STATUS_QUO, COUNSEL_ARM):
        check.add(arms[label])
    assert check.appeals > 100 and check.verdict == "PASS", check


def test_every_registered_fact_has_a_measure_and_every_measure_a_fact() -> None:
    ids = [fact["id"] for fact in FACTS]
    assert len(ids) == len(set(ids)) >= 12
    assert {m.fact for m in MEASURES} | {validation.INVARIANT} == set(ids)
    for fact in FACTS:
        assert fact["source"] and fact["kind"] in ("magnitude", "direction")
        if fact["kind"] == "magnitude":
            low, high = validation.band(fact)
            assert low <= float(fact["published"]) <= high


def test_verdicts_follow_the_registered_rules() -> None:
    magnitude = {"kind": "magnitude", "published": 0.5, "tolerance": 0.1}
    banded = {"kind": "magnitude", "published": 0.003, "band": [0.0015, 0.006], "tolerance": "band"}
    direction = {"kind": "direction"}
    up = validation.Measure("x", lambda arms: pd.Series(dtype=float), "x", 1)
    lenient = dataclasses.replace(up, strict=False)
    assert verdict(magnitude, up, 0.59, 0.0, 1.0) == "PASS" and verdict(magnitude, up, 0.61, 0.6, 0.62) == "FAIL"
    assert verdict(banded, up, 0.0059, 0, 0) == "PASS" and verdict(banded, up, 0.0061, 0, 0) == "FAIL"
    assert verdict(direction, up, 0.2, 0.1, 0.3) == "PASS"
    assert verdict(direction, up, -0.2, -0.3, -0.1) == "FAIL"
    assert verdict(direction, up, 0.1, -0.1, 0.3) == "INCONCLUSIVE"
    assert verdict(direction, lenient, 0.1, -0.1, 0.3) == "PASS"
    assert verdict(direction, lenient, -0.2, -0.3, -0.1) == "FAIL"
    assert verdict(direction, up, math.nan, math.nan, math.nan) == "NOT EVALUABLE"
    assert verdict(magnitude, dataclasses.replace(up, judged=False), 0.9, 0.8, 1.0) == "REPORTED"
    table = pd.DataFrame({"fact": ["a", "a", "b", "b", "c"],
                          "verdict": ["PASS", "INCONCLUSIVE", "PASS", "REPORTED", "FAIL"]})
    assert fact_verdicts(table).to_dict() == {"a": "INCONCLUSIVE", "b": "PASS", "c": "FAIL"}


def test_a_measure_is_one_figure_per_replication_of_its_definition(arms) -> None:
    """Spot check by hand: the protest rate among pleas and the plea share gap by track."""
    frame = arms[STATUS_QUO]
    by_hand = frame[frame.pleaded].groupby("replication").protested.mean()
    pd.testing.assert_series_equal(validation.plea_protest_rate(arms), by_hand, check_names=False)
    indicted = frame[~frame.non_prosecution]
    gap = (indicted[indicted.track == "misdemeanor"].groupby("replication").pleaded.mean()
           - indicted[indicted.track == "felony"].groupby("replication").pleaded.mean())
    pd.testing.assert_series_equal(validation.misdemeanor_application_higher(arms), gap, check_names=False)


def test_the_table_in_the_docs_is_the_one_on_record() -> None:
    """docs/validation.md shows the rows of results/validation/validation.md, verdicts included, and that run
    covered every registered fact."""
    record = (ROOT / "results" / "validation" / "validation.md").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    rows = [line for line in record.splitlines() if line.startswith("| `")]
    assert rows and all(row in docs for row in rows)
    table = pd.read_csv(ROOT / "results" / "validation" / "validation.csv")
    assert set(table.fact) == {fact["id"] for fact in FACTS}
    assert table.verdict.isin(["PASS", "FAIL", "INCONCLUSIVE", "NOT EVALUABLE", "REPORTED"]).all()


def test_the_validation_table_names_what_it_cannot_measure() -> None:
    """A fact without its arms or measure is listed as NOT EVALUABLE, never dropped."""
    table = evaluate([{"id": "unmeasured", "kind": "direction", "published": None, "source": "s"}], {},
                     AppealCheck())
    assert table.verdict.tolist() == ["NOT EVALUABLE"]
