"""The report's statistics (Holm adjustment, paired effect sizes), its handling of bad input (jobs that do not
compare, damaged markers, an output directory that is not a report's), its output directory holding one report,
and the trade-off figure's label placement."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from omegaconf import OmegaConf
from sweeps import run_sweep_here

from bargainsim.analysis import STATUS_QUO
from bargainsim.apps.report import command as report
from bargainsim.apps.report import comparison, jobs
from bargainsim.harness import rundir, sweep
from bargainsim.reporting import plots

SIZE = ("n_cases=40", "replications=2", "save_cases=false", "save_figures=false", "jobs=1")
SCENARIOS = ("reform=no_kpi", "caseload.felony_share=0.25,0.5", *SIZE)
"""A two-scenario sweep: job 0 at felony share 0.25, job 1 at 0.5, each the status quo beside no_kpi."""


def test_holm_adjustment_matches_hand_computation():
    p = pd.Series([0.01, 0.04, 0.03, np.nan, 0.5])
    # Sorted 0.01, 0.03, 0.04, 0.5 with m = 4: 4·0.01, max(.04, 3·0.03), max(.09, 2·0.04), max(.09, 1·0.5).
    expected = [0.04, 0.09, 0.09, np.nan, 0.5]
    np.testing.assert_allclose(comparison.holm(p).to_numpy(), expected)
    assert comparison.holm(pd.Series([0.9, 0.8])).max() <= 1.0


def _metrics(diffs: dict[str, list[float]], base: list[float]) -> pd.DataFrame:
    rows = [{"reform": STATUS_QUO, "replication": r, "voluntariness": v} for r, v in enumerate(base)]
    for arm, values in diffs.items():
        rows += [{"reform": arm, "replication": r, "voluntariness": b + d}
                 for r, (b, d) in enumerate(zip(base, values))]
    return pd.DataFrame(rows)


def test_paired_effect_size_is_mean_over_sd_of_differences():
    base = [0.5, 0.6, 0.55, 0.52, 0.58]
    diffs = {"a": [0.10, 0.12, 0.08, 0.11, 0.09], "b": [0.0, 0.01, -0.01, 0.02, -0.02]}
    sizes = comparison.effect_sizes(_metrics(diffs, base), STATUS_QUO).set_index("reform")["effect_size_dz"]
    for arm, values in diffs.items():
        assert sizes[arm] == pytest.approx(np.mean(values) / np.std(values, ddof=1), rel=1e-9)


def test_comparison_adds_effect_sizes_and_adjusted_significance():
    rng = np.random.default_rng(3)
    base = rng.uniform(0.4, 0.6, 12).tolist()
    diffs = {"strong": (0.1 + rng.normal(0, 0.01, 12)).tolist(), "null": rng.normal(0, 0.01, 12).tolist()}
    table = comparison.compare(_metrics(diffs, base), STATUS_QUO).set_index("reform")
    assert table.loc["strong", "significant"] and not table.loc["null", "significant"]
    assert pd.isna(table.loc[STATUS_QUO, "p_holm"]) and pd.isna(table.loc[STATUS_QUO, "effect_size_dz"])
    assert table.loc["strong", "p_holm"] == pytest.approx(min(1.0, 2 * table.loc["strong", "p_value"]))
    assert list(comparison.compare(_metrics(diffs, base), STATUS_QUO).columns) == comparison.COMPARISON_COLUMNS


def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys):
    assert report.main([str(tmp_path / "missing")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert report.main([str(tmp_path)]) == 2
    assert "is not a sweep directory" in capsys.readouterr().err
    (tmp_path / "multirun.yaml").write_text("seed: 1\n")
    (tmp_path / "0").mkdir()
    (tmp_path / "0" / "metrics.csv").write_text("reform,replication\n")   # an interrupted job: no marker
    assert report.main([str(tmp_path)]) == 2
    assert "no completed jobs" in capsys.readouterr().err
    assert not (tmp_path / "report").exists()


def test_tradeoff_labels_do_not_overlap():
    fig = Figure(figsize=(6, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    rng = np.random.default_rng(0)
    points = {f"reform_{i}": (16 + rng.normal(0, 0.4), 0.58 + rng.normal(0, 0.01)) for i in range(12)}
    for x, y in points.values():
        ax.plot(x, y, "o")
    ax.margins(0.15)
    plots._place_labels(ax, points, {arm: "#000000" for arm in points})
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in ax.texts:
        text.update_positions(renderer)
        boxes.append(Text.get_window_extent(text, renderer))
    assert len(boxes) == len(points)
    assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    axes_box = ax.get_window_extent(renderer)
    assert all(axes_box.contains(b.x0, b.y0) and axes_box.contains(b.x1, b.y1) for b in boxes)


def test_reform_colours_follow_the_catalogue_in_every_figure():
    order = [STATUS_QUO, "a", "b", "c"]
    alone = plots.arm_colours([STATUS_QUO, "c"], order=order)
    together = plots.arm_colours([STATUS_QUO, "b", "c", "a"], order=order)
    assert alone["c"] == together["c"] == plots.ARM_PALETTE[2]
    assert together[STATUS_QUO] == plots.BASELINE_COLOUR


def test_grid_cell_labels_and_frontier():
    assert comparison.cell_label({"rules.disclosure": "core", "behaviour.lawyer_quality_duty": 0.5}) \
        == "disclosure=core, lawyer_quality_duty=0.5"
    points = {"a": (10.0, 0.6), "b": (12.0, 0.7), "c": (13.0, 0.65), "d": (9.0, 0.5)}
    # Fewer days and more voluntariness are better: c is beaten by b on both.
    assert plots._frontier(points, x_higher=False, y_higher=True) == ["d", "a", "b"]


def test_unknown_baseline_is_an_error(tmp_path):
    metrics = _metrics({"a": [0.1, 0.2]}, [0.5, 0.6]).assign(seed=1, job="0")
    result = jobs.Sweep(tmp_path, pd.DataFrame({"job": ["0"], "path": [str(tmp_path)]}), [], [], {}, {}, "study",
                          metrics=metrics)
    with pytest.raises(jobs.ReportError, match="--baseline 'nope' is not an arm of this sweep; arms: status_quo, a"):
        comparison.design(result, "nope")
    assert comparison.design(result).baseline == STATUS_QUO


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory) -> Path:
    """The two-scenario sweep, run once for the module (copy it before changing it)."""
    directory = tmp_path_factory.mktemp("scenarios") / "sweep"
    run_sweep_here(directory, *SCENARIOS)
    return directory


def _copy(directory: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(directory, tmp_path / "sweep"))


def test_jobs_of_different_sizes_are_refused_unless_allowed(scenarios, tmp_path, capsys):
    # A resumed sweep with a new size, interrupted after one job: job 1 ran 60 cases, job 0 still 40.
    mixed = _copy(scenarios, tmp_path)
    resumed = tmp_path / "resumed"
    run_sweep_here(resumed, "reform=no_kpi", "caseload.felony_share=0.5", *SIZE, "n_cases=60")
    shutil.rmtree(mixed / "1")
    shutil.copytree(resumed / "0", mixed / "1")
    out = tmp_path / "report"
    capsys.readouterr()
    assert report.main([str(mixed), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "job 0 ran n_cases = 40 but job 1 ran n_cases = 60" in err
    assert "report them separately or pass --allow-mixed" in err
    assert not out.exists()
    assert report.main([str(mixed), "--out", str(out), "--allow-mixed"]) == 0
    assert set(pd.read_csv(out / "metrics.csv")["n_cases"]) == {40, 60}


def test_jobs_of_different_commands_are_refused(scenarios, tmp_path, capsys):
    mixed = _copy(scenarios, tmp_path)
    config = mixed / "1" / "config.yaml"
    config.write_text(config.read_text().replace("risk_aversion: 1.4", "risk_aversion: 2.0"))
    marker = json.loads((mixed / "1" / sweep.MARKER).read_text())
    marker["files"]["config.yaml"] = {"size": config.stat().st_size, "sha256": rundir.digest(config)}
    (mixed / "1" / sweep.MARKER).write_text(json.dumps(marker))
    assert report.main([str(mixed), "--out", str(tmp_path / "report")]) == 2
    err = capsys.readouterr().err
    assert "behaviour.risk_aversion = 1.4 but job 1 ran behaviour.risk_aversion = 2" in err
    assert "not a parameter of the sweep" in err and "--allow-mixed" in err


def test_swept_keys_and_seeds_may_differ(scenarios, tmp_path):
    """Swept parameters, keys a swept config group sets, and seeds (more replications) are no mix."""
    configs = {job: OmegaConf.load(scenarios / job / "config.yaml") for job in ("0", "1")}
    jobs.check_mixed(configs, {"reform", "caseload.felony_share"})
    configs["1"].seed, configs["1"].rules.disclosure = 7, "full"
    jobs.check_mixed(configs, {"reform", "caseload.felony_share", "textbook"})
    with pytest.raises(jobs.ReportError, match="rules.disclosure"):
        jobs.check_mixed(configs, {"reform", "caseload.felony_share"})


def test_a_rerun_leaves_no_file_of_the_earlier_report(scenarios, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.md").write_text("# An older report, made before reports had a marker\n")
    (out / "tradeoff_0.9.png").write_bytes(b"an older scenario's figure")
    assert report.main([str(scenarios), "--out", str(out)]) == 0
    first = {p.name for p in out.iterdir()}
    assert "tradeoff_0.9.png" not in first and {"outcomes_by_arm_0.25.png", "outcomes_by_arm_0.5.png"} <= first
    assert rundir.is_complete(out) and rundir.read_marker(out)["kind"] == jobs.KIND
    copy = _copy(scenarios, tmp_path)
    (copy / "1" / sweep.MARKER).unlink()                  # the felony share 0.5 job was interrupted
    assert report.main([str(copy), "--out", str(out)]) == 0
    second = {p.name for p in out.iterdir()}
    assert second == set(rundir.read_marker(out)["files"]) | {sweep.MARKER}
    assert not [name for name in second if "0.25" in name or "0.5" in name] and "outcomes_by_arm.png" in second
    assert "incomplete (left out): 1" in (out / "report.md").read_text()
    assert rundir.is_complete(out)


def test_the_default_output_is_a_report_beside_the_jobs(scenarios, tmp_path, capsys):
    copy = _copy(scenarios, tmp_path)
    assert report.main([str(copy)]) == 0
    assert report.main([str(copy)]) == 0                  # the report directory is not taken for a job
    assert "Report of 2 jobs" in capsys.readouterr().out
    assert rundir.is_complete(copy / "report")


def test_an_unwritable_sweep_directory_is_refused(scenarios, tmp_path, monkeypatch, capsys):
    copy = _copy(scenarios, tmp_path)
    access = os.access
    monkeypatch.setattr(rundir.os, "access", lambda path, mode: Path(path) != copy and access(path, mode))
    assert report.main([str(copy)]) == 2
    err = capsys.readouterr().err
    assert f"--out={copy / 'report'} is not writable" in err and "pass --out DIR" in err
    assert not (copy / "report").exists()


@pytest.mark.parametrize("damage", ["{not json", "[1, 2]"], ids=["malformed", "a list"])
def test_a_damaged_marker_makes_its_job_incomplete_and_a_rerun_redoes_it(scenarios, tmp_path, damage):
    copy = _copy(scenarios, tmp_path)
    (copy / "0" / sweep.MARKER).write_text(damage)
    kept = (copy / "1" / sweep.MARKER).read_bytes()
    out = tmp_path / "report"
    assert report.main([str(copy), "--out", str(out)]) == 0
    text = (out / "report.md").read_text()
    assert "incomplete (left out): 0" in text and "- `caseload.felony_share`: 0.5\n" in text
    run_sweep_here(copy, *SCENARIOS)
    assert sweep.read_marker(copy / "0") is not None and rundir.is_complete(copy / "0")
    assert (copy / "1" / sweep.MARKER).read_bytes() == kept            # job 1 was complete: skipped
    assert report.main([str(copy), "--out", str(out)]) == 0
    assert "none incomplete" in (out / "report.md").read_text()
