"""Reproducibility and common random numbers of the main job.

The same configuration and seed must give identical case records, whether the tasks run in one process or in
worker processes; another seed must give other cases; within a replication every reform arm must face the same
case population (common random numbers) while the reforms still change outcomes; replications must differ.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import compose_cfg, read_cases

from bargainsim.apps.cli import run_job
from bargainsim.harness.config import STATUS_QUO

SIZE = ["n_cases=300", "replications=2", "progress=false"]
FACTS = ["case_id", "seed", "offense", "track", "guilty", "conviction_probability", "detained", "prior_record",
         "has_victim", "base_months"]
OUTCOMES = ["pleaded", "tried", "convicted", "sentence_months", "recommendation_months", "voluntariness",
            "days_to_disposition", "prosecutor_hours", "rounds", "lawyer_type", "protocol"]



@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every arm at seed 11 three times (serial, serial again, two workers) and one arm at seed 12."""
    root = tmp_path_factory.mktemp("repro")
    outs = {name: root / name for name in ("serial", "again", "parallel", "other_seed")}
    run_job(compose_cfg(*SIZE, "seed=11", "jobs=1"), outs["serial"])
    run_job(compose_cfg(*SIZE, "seed=11", "jobs=1"), outs["again"])
    run_job(compose_cfg(*SIZE, "seed=11", "jobs=2"), outs["parallel"])
    run_job(compose_cfg(*SIZE, "seed=12", "jobs=1", "reform=disclosure_full"), outs["other_seed"])
    return outs



def test_same_config_and_seed_give_identical_cases(runs: dict[str, Path]) -> None:
    first, second = read_cases(runs["serial"]), read_cases(runs["again"])
    assert len(first) == 16 * 2 * 300
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    for name in ("summary.csv", "metrics.csv", "summary.md"):
        assert (runs["serial"] / name).read_bytes() == (runs["again"] / name).read_bytes(), name


def test_worker_processes_give_the_same_cases_as_one_process(runs: dict[str, Path]) -> None:
    serial, parallel = read_cases(runs["serial"]), read_cases(runs["parallel"])
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
    for name in ("summary.csv", "metrics.csv"):
        assert (runs["serial"] / name).read_bytes() == (runs["parallel"] / name).read_bytes(), name


def test_another_seed_gives_other_cases(runs: dict[str, Path]) -> None:
    base = read_cases(runs["serial"])
    other = read_cases(runs["other_seed"])
    assert set(other["seed"]) == {12} and set(base["seed"]) == {11}
    for arm in (STATUS_QUO, "disclosure_full"):
        for replication in (0, 1):
            a = base[(base["reform"] == arm) & (base["replication"] == replication)].reset_index(drop=True)
            b = other[(other["reform"] == arm) & (other["replication"] == replication)].reset_index(drop=True)
            assert len(a) == len(b) == 300
            assert a["case_id"].tolist() == b["case_id"].tolist()
            # Continuous facts never coincide across independent streams; categorical ones differ somewhere.
            assert (a["conviction_probability"] != b["conviction_probability"]).mean() > 0.99
            assert (a["base_months"] != b["base_months"]).mean() > 0.9
            assert (a["offense"] != b["offense"]).any()
            assert not a[OUTCOMES].equals(b[OUTCOMES])


def test_every_arm_faces_the_same_cases_within_a_replication(runs: dict[str, Path]) -> None:
    frame = read_cases(runs["serial"])
    arms = list(dict.fromkeys(frame["reform"]))
    assert len(arms) == 16 and arms[0] == STATUS_QUO
    for replication in (0, 1):
        rep = frame[frame["replication"] == replication]
        reference = rep[rep["reform"] == STATUS_QUO][FACTS].reset_index(drop=True)
        assert reference["case_id"].tolist() == list(range(300))
        changed_outcomes = []
        for arm in arms[1:]:
            facts = rep[rep["reform"] == arm][FACTS].reset_index(drop=True)
            pd.testing.assert_frame_equal(facts, reference, check_exact=True, obj=f"facts of {arm}")
            outcome = rep[rep["reform"] == arm][OUTCOMES].reset_index(drop=True)
            base = rep[rep["reform"] == STATUS_QUO][OUTCOMES].reset_index(drop=True)
            if not outcome.equals(base):
                changed_outcomes.append(arm)
        # Reforms are levers: each one changes what happens to at least one of 300 cases.
        assert changed_outcomes == arms[1:], sorted(set(arms[1:]) - set(changed_outcomes))


def test_replications_draw_different_cases(runs: dict[str, Path]) -> None:
    frame = read_cases(runs["serial"])
    sq = frame[frame["reform"] == STATUS_QUO]
    first = sq[sq["replication"] == 0].reset_index(drop=True)
    second = sq[sq["replication"] == 1].reset_index(drop=True)
    assert len(first) == len(second) == 300
    assert (first["conviction_probability"] != second["conviction_probability"]).mean() > 0.99
    assert (first["base_months"] != second["base_months"]).mean() > 0.9
    assert (first["offense"] != second["offense"]).any()
    assert not first[OUTCOMES].equals(second[OUTCOMES])
    assert set(frame["replication"]) == {0, 1}
