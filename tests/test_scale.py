"""Scale: a run split across districts, records streamed to disk, and the least-busy roster.

A multi-district run must give identical results whatever the number of worker processes; each district draws
from its own streams (a single-district run keeps the streams it always had); the merged file is exactly the
districts simulated one by one; metrics computed (arm, replication) by (arm, replication) while streaming equal
those of the whole file. ``caseload`` is the whole jurisdiction: each district gets its share of the arrivals and of
every roster (at least one of each member), so splitting a jurisdiction into districts changes its results only
through pooling; ``scale=national`` gives each of its districts the default caseload.
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import compose_cfg, read_cases

from bargainsim import analysis
from bargainsim.analysis.tables import to_frame
from bargainsim.apps.cli import run_job
from bargainsim.core.district import district_caseload, district_sizes
from bargainsim.core.streams import CASES, INSTITUTION, stream
from bargainsim.core.workclock import Roster, WorkClock
from bargainsim.harness.config import settings_from_config
from bargainsim.harness.experiment import simulate, tasks_for
from bargainsim.params import STAFF, Caseload, ConfigError

SIZE = ["n_cases=301", "districts=3", "replications=2", "reform=disclosure_full", "progress=false", "seed=5"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same three-district run in one process and in two."""
    root = tmp_path_factory.mktemp("districts")
    outs = {"serial": root / "serial", "parallel": root / "parallel"}
    run_job(compose_cfg(*SIZE, "jobs=1"), outs["serial"])
    run_job(compose_cfg(*SIZE, "jobs=2"), outs["parallel"])
    return outs


def test_districts_give_identical_results_with_one_or_two_processes(runs: dict[str, Path]) -> None:
    serial, parallel = read_cases(runs["serial"]), read_cases(runs["parallel"])
    assert len(serial) == 2 * 2 * 301
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
    for name in ("metrics.csv", "summary.csv", "summary.md"):
        assert (runs["serial"] / name).read_bytes() == (runs["parallel"] / name).read_bytes(), name


def test_merged_file_is_the_districts_simulated_one_by_one(runs: dict[str, Path]) -> None:
    frame = read_cases(runs["serial"])
    settings = settings_from_config(compose_cfg(*SIZE, "jobs=1"))
    tasks = tasks_for(settings)
    assert [(t.district, t.n_cases, t.first_case) for t in tasks[:3]] == [(0, 101, 0), (1, 100, 101), (2, 100, 201)]
    alone = pd.concat([to_frame(simulate(task)) for task in tasks], ignore_index=True)
    pd.testing.assert_frame_equal(frame, alone, check_exact=True)
    for _, run in frame.groupby(["reform", "replication"]):
        assert run["case_id"].tolist() == list(range(301))


def test_streamed_metrics_equal_the_metrics_of_the_whole_file(runs: dict[str, Path]) -> None:
    written = pd.read_csv(runs["serial"] / "metrics.csv")
    recomputed = analysis.run_metrics(read_cases(runs["serial"]))
    assert written["n_cases"].tolist() == [301] * 4
    pd.testing.assert_frame_equal(written, recomputed, check_exact=False, rtol=1e-12, check_dtype=False)


def test_each_district_draws_its_own_cases_and_institution(runs: dict[str, Path]) -> None:
    frame = read_cases(runs["serial"])
    sq = frame[(frame["reform"] == "status_quo") & (frame["replication"] == 0)]
    first, second = sq.iloc[:100].reset_index(drop=True), sq.iloc[101:201].reset_index(drop=True)
    assert (first["conviction_probability"] != second["conviction_probability"]).mean() > 0.99
    for name in (CASES, INSTITUTION):
        states = [tuple(stream(5, 0, name, d).integers(0, 2**62, 4)) for d in range(4)]
        assert len(set(states)) == 4
    # District 0 keeps the single-district key (seed, replication, stream): a one-district run is unchanged.
    legacy = np.random.default_rng(np.random.SeedSequence([5, 0, INSTITUTION]))
    assert stream(5, 0, INSTITUTION, 0).random(3).tolist() == legacy.random(3).tolist()


def test_district_count_is_validated() -> None:
    with pytest.raises(ConfigError, match="districts"):
        settings_from_config(compose_cfg("districts=0"))
    with pytest.raises(ConfigError, match="districts = 31 must not exceed n_cases = 30"):
        settings_from_config(compose_cfg("n_cases=30", "districts=31"))


def test_national_scale_is_a_year_of_default_sized_districts() -> None:
    settings = settings_from_config(compose_cfg("scale=national", "reform=baseline"))
    default = settings_from_config(compose_cfg("reform=baseline"))
    assert settings.n_cases == 1_700_000 and settings.districts == 340 and default.districts == 1
    assert all(district_caseload(settings.caseload, 340, d) == default.caseload for d in range(340))
    assert all(task.caseload == default.caseload for task in tasks_for(settings))
    sizes = district_sizes(settings.n_cases, settings.districts)
    assert sum(sizes) == 1_700_000 and set(sizes) == {5000}
    working_days = sizes[0] / district_caseload(settings.caseload, 340, 0).arrivals_per_day
    assert working_days == 250
    # A command-line value still wins over the scale file.
    assert settings_from_config(compose_cfg("scale=national", "n_cases=3400")).n_cases == 3400


@pytest.mark.parametrize(("total", "districts"), [(32, 1), (32, 4), (12, 5), (10, 3), (13, 13), (10880, 340),
                                                  (4081, 340), (100000, 7)])
def test_district_caseloads_split_the_jurisdiction_exactly(total: int, districts: int) -> None:
    caseload = Caseload(arrivals_per_day=6.0 * total, **{name: total for name in STAFF})
    shares = [district_caseload(caseload, districts, d) for d in range(districts)]
    for name in STAFF:
        counts = [getattr(share, name) for share in shares]
        assert sum(counts) == total and max(counts) - min(counts) <= 1 and counts == sorted(counts, reverse=True)
    assert sum(share.arrivals_per_day for share in shares) == pytest.approx(caseload.arrivals_per_day, rel=1e-12)
    assert len({share.arrivals_per_day for share in shares}) == 1
    rest = {field.name for field in dataclasses.fields(Caseload)} - set(STAFF) - {"arrivals_per_day"}
    assert all(getattr(share, name) == getattr(caseload, name) for share in shares for name in rest)


@pytest.mark.parametrize(("name", "member"), list(STAFF.items()))
def test_districts_without_a_member_of_a_roster_are_refused(name: str, member: str) -> None:
    staffed = [f"caseload.{key}=20" for key in STAFF]
    message = f"caseload.{name} = 12 leaves districts 13..20 without {member}: with districts = 20 it must be ≥ 20"
    with pytest.raises(ConfigError, match=f"^{re.escape(message)}$"):
        settings_from_config(compose_cfg("districts=20", *staffed, f"caseload.{name}=12", "reform=baseline"))
    with pytest.raises(ConfigError, match=re.escape(f"caseload.{name} = 19 leaves district 20 without {member}:")):
        settings_from_config(compose_cfg("districts=20", *staffed, f"caseload.{name}=19", "reform=baseline"))
    assert settings_from_config(compose_cfg("districts=20", *staffed, "reform=baseline")).districts == 20


def test_splitting_a_jurisdiction_into_districts_changes_capacity_only_through_pooling() -> None:
    """The status quo on the default jurisdiction, whole and as four quarter-size districts (8 prosecutors, 3 judges,
    3 + 3 lawyers, 5 arrivals a day each: the same utilisation over the same span of time).

    Tolerances, from pooling: the backlog at arrival is the queued work per prosecutor, the work in hand (unchanged by
    the split) plus the wait for a free prosecutor, which four pools of 8 make longer than one pool of 32 (Erlang C)
    but, at a load the jurisdiction absorbs, not beyond the order of the work in hand. So the four-district mean
    must be no smaller than the one-district mean (0.95 leaves room for the noise of four replications, about 3%)
    and at most twice it; full-staffed districts, four times the capacity per case, fall below 0.95. Days to
    disposition are mostly investigation, statutory review and trial preparation, which a split does not touch,
    and a longer wait can only add to them: from 0.99 to 1.10 times the one-district mean."""
    means = {}
    for districts in (1, 4):
        settings = settings_from_config(compose_cfg("reform=baseline", "n_cases=12000", "replications=4",
                                                    f"districts={districts}", "seed=11", "progress=false"))
        frame = pd.concat([to_frame(simulate(task)) for task in tasks_for(settings)], ignore_index=True)
        per_replication = frame.groupby("replication")[["backlog_at_arrival", "days_to_disposition"]].mean()
        means[districts] = per_replication.mean()
    backlog = means[4]["backlog_at_arrival"] / means[1]["backlog_at_arrival"]
    days = means[4]["days_to_disposition"] / means[1]["days_to_disposition"]
    assert 0.95 <= backlog <= 2.0, means
    assert 0.99 <= days <= 1.10, means


def test_roster_finds_the_same_clock_as_a_scan() -> None:
    rng = random.Random(3)
    clocks = [WorkClock(6.0) for _ in range(7)]
    roster = Roster(clocks)
    day = 0
    for _ in range(3000):
        expected = min(clocks, key=lambda clock: clock.busy_until)
        assert clocks[roster.least_busy()] is expected
        day += rng.random() < 0.1
        chosen = expected if rng.random() < 0.7 else rng.choice(clocks)
        chosen.book(day, rng.choice([0.0, 0.5, 3.0, 6.0, 12.0]))
    assert roster.busy_until == [clock.busy_until for clock in clocks]
