"""The report's statistics (Holm adjustment, paired effect sizes), its handling of bad input, and the trade-off
figure's label placement."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from bargainsim import plots, report
from bargainsim.analysis import STATUS_QUO


def test_holm_adjustment_matches_hand_computation():
    p = pd.Series([0.01, 0.04, 0.03, np.nan, 0.5])
    # Sorted 0.01, 0.03, 0.04, 0.5 with m = 4: 4·0.01, max(.04, 3·0.03), max(.09, 2·0.04), max(.09, 1·0.5).
    expected = [0.04, 0.09, 0.09, np.nan, 0.5]
    np.testing.assert_allclose(report.holm(p).to_numpy(), expected)
    assert report.holm(pd.Series([0.9, 0.8])).max() <= 1.0


def _metrics(diffs: dict[str, list[float]], base: list[float]) -> pd.DataFrame:
    rows = [{"reform": STATUS_QUO, "replication": r, "voluntariness": v} for r, v in enumerate(base)]
    for arm, values in diffs.items():
        rows += [{"reform": arm, "replication": r, "voluntariness": b + d}
                 for r, (b, d) in enumerate(zip(base, values))]
    return pd.DataFrame(rows)


def test_paired_effect_size_is_mean_over_sd_of_differences():
    base = [0.5, 0.6, 0.55, 0.52, 0.58]
    diffs = {"a": [0.10, 0.12, 0.08, 0.11, 0.09], "b": [0.0, 0.01, -0.01, 0.02, -0.02]}
    sizes = report.effect_sizes(_metrics(diffs, base), STATUS_QUO).set_index("reform")["effect_size_dz"]
    for arm, values in diffs.items():
        assert sizes[arm] == pytest.approx(np.mean(values) / np.std(values, ddof=1), rel=1e-9)


def test_comparison_adds_effect_sizes_and_adjusted_significance():
    rng = np.random.default_rng(3)
    base = rng.uniform(0.4, 0.6, 12).tolist()
    diffs = {"strong": (0.1 + rng.normal(0, 0.01, 12)).tolist(), "null": rng.normal(0, 0.01, 12).tolist()}
    table = report.compare(_metrics(diffs, base), STATUS_QUO).set_index("reform")
    assert table.loc["strong", "significant"] and not table.loc["null", "significant"]
    assert pd.isna(table.loc[STATUS_QUO, "p_holm"]) and pd.isna(table.loc[STATUS_QUO, "effect_size_dz"])
    assert table.loc["strong", "p_holm"] == pytest.approx(min(1.0, 2 * table.loc["strong", "p_value"]))
    assert list(report.compare(_metrics(diffs, base), STATUS_QUO).columns) == report.COMPARISON_COLUMNS


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
    assert report.cell_label({"rules.disclosure": "core", "behaviour.lawyer_quality_duty": 0.5}) \
        == "disclosure=core, lawyer_quality_duty=0.5"
    points = {"a": (10.0, 0.6), "b": (12.0, 0.7), "c": (13.0, 0.65), "d": (9.0, 0.5)}
    # Fewer days and more voluntariness are better: c is beaten by b on both.
    assert plots._frontier(points, x_higher=False, y_higher=True) == ["d", "a", "b"]


def test_unknown_baseline_is_an_error(tmp_path):
    metrics = _metrics({"a": [0.1, 0.2]}, [0.5, 0.6]).assign(seed=1, job="0")
    result = report.Sweep(tmp_path, pd.DataFrame({"job": ["0"], "path": [str(tmp_path)]}), [], [], {}, {}, "study",
                          metrics=metrics)
    with pytest.raises(report.ReportError, match="baseline 'nope' is not an arm of this sweep; arms: status_quo, a"):
        report.design(result, "nope")
    assert report.design(result).baseline == STATUS_QUO
