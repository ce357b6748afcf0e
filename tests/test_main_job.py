"""Smoke run of the main job at small size: the files it promises, their schema, and numbers that add up.

``run_job`` runs every arm (status quo, each single reform, the full package) on a small caseload; the summary
it writes must equal what :func:`analysis.run_metrics` and :func:`analysis.summarize` give on the written
``cases.parquet``, and two outcomes are recomputed by hand. The console script is run once end to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import compose_cfg
from omegaconf import OmegaConf
from scipy import stats

from bargainsim import analysis
from bargainsim.analysis import tables as records
from bargainsim.apps.cli import run_job
from bargainsim.harness.config import STATUS_QUO
from bargainsim.reporting.formatting import format_markdown

N_CASES, REPLICATIONS, SEED = 300, 2, 5
OVERRIDES = [f"n_cases={N_CASES}", f"replications={REPLICATIONS}", f"seed={SEED}", "jobs=1", "progress=false"]
EXPECTED_FILES = {"cases.parquet", "summary.csv", "summary.md", "metrics.csv", "outcomes_by_reform.png",
                  "tradeoff.png", "run.json", "config.yaml"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ARROW_TYPES = {"string": pa.string(), "int64": pa.int64(), "bool": pa.bool_(), "float64": pa.float64(),
               "boolean": pa.bool_()}



@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("main_job") / "out"
    cfg = compose_cfg(*OVERRIDES)
    results = run_job(cfg, out)
    return cfg, out, results


@pytest.fixture(scope="module")
def cases(job) -> pd.DataFrame:
    _, out, _ = job
    return records.to_frame(pq.read_table(out / "cases.parquet"))


def test_every_promised_file_is_written_and_nothing_else(job) -> None:
    _, out, results = job
    names = {p.name for p in out.iterdir()}
    assert names == EXPECTED_FILES, names ^ EXPECTED_FILES
    assert not [name for name in names if name.startswith(".")], "temporary files left behind"
    for name in EXPECTED_FILES:
        assert (out / name).stat().st_size > 0, name
    for name in ("outcomes_by_reform.png", "tradeoff.png"):
        assert (out / name).read_bytes()[:8] == PNG_SIGNATURE, name
    assert {p.name for p in results.files.values()} == EXPECTED_FILES
    assert all(p.parent == out for p in results.files.values())


def test_run_json_and_config_yaml_record_the_run(job) -> None:
    cfg, out, _ = job
    provenance = json.loads((out / "run.json").read_text(encoding="utf-8"))
    settings = provenance["settings"]
    assert (settings["seed"], settings["n_cases"], settings["replications"]) == (SEED, N_CASES, REPLICATIONS)
    assert [arm["label"] for arm in settings["arms"]][0] == STATUS_QUO and len(settings["arms"]) == 16
    assert provenance["versions"]["bargainsim"] and provenance["versions"]["mesa"]
    assert provenance["python"] == ".".join(map(str, sys.version_info[:3]))
    saved = OmegaConf.load(out / "config.yaml")
    assert saved == cfg
    assert saved.n_cases == N_CASES and saved.seed == SEED


def test_cases_parquet_has_every_documented_column_with_its_type(job, cases: pd.DataFrame) -> None:
    _, out, _ = job
    schema = pq.read_schema(out / "cases.parquet")
    assert schema.names == list(records.NAMES)
    for column in records.COLUMNS:
        assert schema.field(column.name).type == ARROW_TYPES[column.dtype], column.name
    for column in records.COLUMNS:
        dtype = cases[column.name].dtype
        if column.dtype == "string":
            assert pd.api.types.is_string_dtype(dtype), (column.name, dtype)
        elif column.dtype == "boolean":
            assert str(dtype) == "boolean", (column.name, dtype)
        else:
            assert str(dtype) == column.dtype, (column.name, dtype)
    # The NA-able flags are NA exactly without a plea; plain flags and counts are never missing.
    pleaded = cases["pleaded"].to_numpy()
    for column in records.COLUMNS:
        if column.dtype == "boolean":
            assert cases.loc[pleaded, column.name].notna().all() and cases.loc[~pleaded, column.name].isna().all()
        elif column.dtype in ("bool", "int64", "string"):
            assert cases[column.name].notna().all(), column.name


def test_every_arm_and_replication_holds_every_case_once(cases: pd.DataFrame) -> None:
    arms = list(dict.fromkeys(cases["reform"]))
    assert arms[0] == STATUS_QUO and len(arms) == 16 and "full_package" in arms
    assert len(cases) == len(arms) * REPLICATIONS * N_CASES
    for (arm, replication), group in cases.groupby(["reform", "replication"], sort=False):
        assert group["case_id"].tolist() == list(range(N_CASES)), (arm, replication)
    assert set(cases["seed"]) == {SEED}


def test_written_metrics_and_summary_equal_the_recomputation(job, cases: pd.DataFrame) -> None:
    _, out, results = job
    metrics = analysis.run_metrics(cases)
    summary = analysis.summarize(metrics)
    written_metrics = pd.read_csv(out / "metrics.csv")
    written_summary = pd.read_csv(out / "summary.csv")
    assert list(written_summary.columns) == analysis.SUMMARY_COLUMNS
    assert len(written_summary) == 16 * len(analysis.OUTCOMES)
    pd.testing.assert_frame_equal(written_metrics, metrics, check_dtype=False, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(written_summary, summary, check_dtype=False, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(results.summary, summary)
    assert (out / "summary.md").read_text(encoding="utf-8") == format_markdown(summary)


def test_application_rate_and_paired_difference_by_hand(job, cases: pd.DataFrame) -> None:
    _, out, _ = job
    summary = pd.read_csv(out / "summary.csv").set_index(["reform", "outcome"])
    per_run = cases.groupby(["reform", "replication"])["pleaded"].mean()
    for arm in cases["reform"].unique():
        rates = np.array([per_run[(arm, r)] for r in range(REPLICATIONS)])
        base = np.array([per_run[(STATUS_QUO, r)] for r in range(REPLICATIONS)])
        row = summary.loc[(arm, "application_rate")]
        assert row["n"] == REPLICATIONS
        assert row["mean"] == pytest.approx(rates.mean(), abs=1e-12)
        differences = rates - base
        assert row["diff"] == pytest.approx(differences.mean(), abs=1e-12)
        if arm == STATUS_QUO:
            assert row["diff"] == 0.0 and np.isnan(row["p_value"])
            continue
        half = stats.t.ppf(0.975, REPLICATIONS - 1) * differences.std(ddof=1) / np.sqrt(REPLICATIONS)
        assert row["diff_ci_low"] == pytest.approx(differences.mean() - half, abs=1e-9)
        assert row["diff_ci_high"] == pytest.approx(differences.mean() + half, abs=1e-9)
    # At least one reform moves the application rate in this run.
    assert summary.xs("application_rate", level="outcome")["diff"].abs().max() > 0.0


def test_innocent_plea_rate_and_voluntariness_by_hand(job, cases: pd.DataFrame) -> None:
    _, out, _ = job
    summary = pd.read_csv(out / "summary.csv").set_index(["reform", "outcome"])
    for arm, group in cases.groupby("reform"):
        innocent = [group[(group["replication"] == r) & ~group["guilty"]]["pleaded"].mean()
                    for r in range(REPLICATIONS)]
        voluntariness = [group[(group["replication"] == r) & group["pleaded"]]["voluntariness"].mean()
                         for r in range(REPLICATIONS)]
        expected_innocent = np.nanmean(innocent) if not np.isnan(innocent).all() else np.nan
        assert summary.loc[(arm, "innocent_plea_rate"), "mean"] == pytest.approx(expected_innocent, nan_ok=True)
        assert summary.loc[(arm, "voluntariness"), "mean"] == pytest.approx(np.mean(voluntariness), abs=1e-12)


def test_console_script_runs_the_main_job(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "bargainsim"
    assert script.exists(), f"console script not installed beside {sys.executable}"
    run_dir = tmp_path / "run"
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    result = subprocess.run(
        [str(script), f"hydra.run.dir={run_dir}", "n_cases=40", "replications=1", "jobs=1", "progress=false",
         "seed=3", "reform=[disclosure_full,public_observation]"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in run_dir.iterdir()} == EXPECTED_FILES | {"job.json"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    frame = records.to_frame(pq.read_table(run_dir / "cases.parquet"))
    assert list(dict.fromkeys(frame["reform"])) == [STATUS_QUO, "disclosure_full+public_observation"]
    assert len(frame) == 2 * 40 and set(frame["seed"]) == {3}
    assert STATUS_QUO in result.stdout and "disclosure_full+public_observation" in result.stdout
    assert str(run_dir) in result.stdout
    saved = OmegaConf.load(run_dir / "config.yaml")
    assert saved.n_cases == 40 and set(saved.reform) == {"disclosure_full", "public_observation"}
