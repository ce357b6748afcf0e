"""The robustness study (bargainsim.harness.robustness, experiments/robustness.yaml, its report): the draws are the
posterior's, every arm of a draw runs the same replications on the same cases, the report's effects and sign
shares are those recomputed from the jobs' own files, PRIM finds the box where an effect flips, and a missing
posterior is refused in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bargainsim.analysis import posterior as weighted
from bargainsim.harness import robustness

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def write_posterior(path: Path) -> Path:
    """A small posterior of two parameters with unequal weights."""
    frame = pd.DataFrame({"overstatement": [0.02, 0.1, 0.2, 0.24], "kpi_plea_value": [2.0, 6.0, 9.0, 11.0],
                          "weight": [0.1, 0.4, 0.3, 0.2]})
    frame.to_parquet(path, index=False)
    return path


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A robustness sweep of 6 draws in 2 jobs, status quo and full package, and its report."""
    base = tmp_path_factory.mktemp("robustness")
    posterior = write_posterior(base / "posterior.parquet")
    sweep, report = base / "sweep", base / "report"
    run = subprocess.run([str(BIN / "bargainsim"), "--config-dir", "experiments", "--config-name", "robustness", "-m",
                          f"robustness.posterior={posterior}", "robustness.draws=6", "robustness.chunks=2",
                          "robustness.chunk=range(0,2)", "reform=full_package", "n_cases=300", "replications=3",
                          f"hydra.sweep.dir={sweep}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([str(BIN / "bargainsim-report"), str(sweep), "--out", str(report)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return posterior, sweep, report


def job_points(sweep: Path) -> pd.DataFrame:
    return pd.concat([pd.read_csv(path) for path in sorted(sweep.glob("*/points.csv"))], ignore_index=True)


def test_the_draws_are_the_posteriors_and_every_arm_shares_them(study):
    posterior, sweep, _ = study
    points = job_points(sweep)
    expected = weighted.systematic_draws(pd.read_parquet(posterior), 6, seed=0)
    evaluated = points.groupby("draw")[["overstatement", "kpi_plea_value"]].agg(["min", "max"])
    for name in ("overstatement", "kpi_plea_value"):
        assert np.array_equal(evaluated[(name, "min")], expected[name])
        assert np.array_equal(evaluated[(name, "max")], expected[name])
    assert sorted(points["draw"].unique()) == list(range(6))
    pairs = points.groupby(["draw", "replication"])
    assert (pairs["reform"].nunique() == 2).all() and (pairs["seed"].nunique() == 1).all()
    assert points["seed"].nunique() == 1


def test_the_report_recomputes_from_the_jobs_files(study):
    _, sweep, report = study
    points = job_points(sweep)
    table = pd.read_csv(report / "robustness.csv")
    for outcome in ("application_rate", "voluntariness", "prosecutor_hours"):
        wide = points.pivot_table(index=["draw", "replication"], columns="reform", values=outcome)
        effect = (wide["full_package"] - wide["status_quo"]).groupby(level="draw").mean()
        row = table[(table["reform"] == "full_package") & (table["outcome"] == outcome)].iloc[0]
        assert row["median"] == pytest.approx(float(np.median(effect)))
        assert row["q05"] == pytest.approx(float(np.quantile(effect, 0.05)))
        share = max(np.mean(effect > 0), np.mean(effect < 0), np.mean(effect == 0))
        assert row["sign_share"] == pytest.approx(share)
        assert bool(row["robust"]) == (share >= robustness.ROBUST)
    text = (report / "report.md").read_text(encoding="utf-8")
    assert "## What holds whatever the assumptions" in text and "| full_package |" in text


def test_effects_are_paired_by_draw_and_replication():
    points = pd.DataFrame({"draw": [0, 0, 0, 0, 1, 1, 1, 1], "replication": [0, 1] * 4,
                           "reform": ["status_quo"] * 2 + ["r"] * 2 + ["status_quo"] * 2 + ["r"] * 2,
                           "x": [1.0, 3.0, 2.0, 5.0, 10.0, 10.0, 9.0, 8.0]})
    per_draw = robustness.effects(points, ["x"])
    assert per_draw["effect"].tolist() == [1.5, -1.5]
    table = robustness.conclusions(per_draw)
    assert table["sign_share"].iloc[0] == 0.5 and not table["robust"].iloc[0]


def test_prim_boxes_the_parameter_where_the_effect_flips():
    rng = np.random.default_rng(3)
    parameters = pd.DataFrame({"draw": np.arange(200), "a": rng.random(200), "b": rng.random(200)})
    effect = np.where(parameters["a"] > 0.7, -1.0, 1.0) + 0.01 * rng.random(200)
    per_draw = pd.DataFrame({"draw": parameters["draw"], "reform": "r", "outcome": "x", "effect": effect,
                             "mc_half_width": 0.0})
    box = robustness.flip_region(per_draw, parameters, "r", "x")
    assert set(box["limits"]) == {"a"}
    low, high = box["limits"]["a"]
    assert 0.6 < low < 0.8 and high > 0.95
    assert box["coverage"] >= robustness.PRIM_COVERAGE and box["density"] > 0.9


def test_a_missing_posterior_is_refused_in_one_line(tmp_path):
    run = subprocess.run([str(BIN / "bargainsim"), "--config-dir", "experiments", "--config-name", "robustness",
                          f"robustness.posterior={tmp_path / 'none.parquet'}", f"hydra.run.dir={tmp_path / 'run'}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "robustness.posterior" in lines[0] and "Traceback" not in run.stderr
    assert not (tmp_path / "run").exists()


def test_the_brief_scales_each_draws_effect_to_a_national_year(study, tmp_path):
    from bargainsim.apps import brief
    from bargainsim.params import Caseload

    _, _, report = study
    assert brief.main([str(report), "--reform", "full_package", "--out", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "brief_full_package.csv")
    effects = pd.read_csv(report / "effects.csv")
    for account in brief.accounts(Caseload()):
        values = effects[(effects["reform"] == "full_package") & (effects["outcome"] == account.outcome)]["effect"]
        row = table[table["outcome"] == account.outcome].iloc[0]
        assert row["median"] == pytest.approx(float(np.median(values * account.scale)))
        assert row["q95"] == pytest.approx(float(np.quantile(values * account.scale, 0.95)))
    assert table.loc[table["outcome"] == "prosecutor_hours", "median"].iloc[0] == pytest.approx(
        float(np.median(effects[(effects["reform"] == "full_package") & (effects["outcome"] == "prosecutor_hours")]
                        ["effect"])) * brief.PERSONS_PER_YEAR / (Caseload().hours_per_day * 250))
    html = (tmp_path / "brief_full_package.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and 'src="brief_' not in html and "<table>" in html
    text = (tmp_path / "brief_full_package.md").read_text(encoding="utf-8")
    for heading in ("## National effect per year", "## What holds whatever the assumptions",
                    "## What depends on the assumptions", "## What the figures rest on"):
        assert heading in text


def test_the_brief_refuses_an_unknown_reform_in_one_line(study, tmp_path, capsys):
    from bargainsim.apps import brief

    _, _, report = study
    assert brief.main([str(report), "--reform", "no_such", "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--reform" in err[0] and "full_package" in err[0]
    assert not (tmp_path / "b").exists()
