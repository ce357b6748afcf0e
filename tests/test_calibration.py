"""Calibration: the status quo at the default parameters reproduces the 2024 national figures; the fit on record is
the one the defaults carry; the search recovers a known parameter; bad calibration input is refused.

The baseline check runs the status quo at the package defaults on cases neither the fit (seed 2024) nor the
validation (seed 2025) saw: 4 replications × 8,000 cases at seed 11. Tolerance per figure: the 1.5 pp target of
the calibration plus a sampling allowance of 3 standard errors of a 4 × 8,000 mean. The validation run on record
(results/calibration/figures.csv: 10 replications × 20,000 cases) has between-replication sds of at most
SD_20000 pp; a replication of 8,000 cases has about √(20,000/8,000) ≈ 1.6 times that sd, so the standard error of
the test's mean is at most 1.6 · SD_20000 / √4 and the allowance ALLOWANCE_PP covers 3 of them.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

import bargainsim.apps.cli  # noqa: F401  (registers the calibration schema with Hydra)
import bargainsim.harness.config
from bargainsim.harness import calibration
from bargainsim.harness.calibration import (
    TARGETS_2024,
    CalibrationConfig,
    Objective,
    ValidationRun,
    round_significant,
    settings_from,
    simulate_status_quo,
    workers,
)
from bargainsim.params import Behaviour, ConfigError, specs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results" / "calibration"
SD_20000 = 0.2
ALLOWANCE_PP = 3 * math.sqrt(20000 / 8000) * SD_20000 / math.sqrt(4)
TOLERANCE_PP = 1.5 + ALLOWANCE_PP
BASELINE_SEED, BASELINE_REPLICATIONS, BASELINE_CASES = 11, 4, 8000


def compose_calibration(*overrides: str) -> CalibrationConfig:
    with initialize_config_dir(config_dir=str(bargainsim.harness.config.config_dir()), version_base="1.3"):
        return OmegaConf.to_object(compose(config_name="calibration", overrides=list(overrides)))


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    settings = settings_from(compose_calibration(f"seed={BASELINE_SEED}", f"replications={BASELINE_REPLICATIONS}",
                                                 f"n_cases={BASELINE_CASES}"))
    with workers(settings.jobs, BASELINE_REPLICATIONS) as pool:
        return simulate_status_quo(settings, Behaviour(), settings.fit, pool)


@pytest.mark.parametrize("figure", list(TARGETS_2024))
def test_default_status_quo_reproduces_the_2024_figure(baseline: pd.DataFrame, figure: str) -> None:
    simulated = baseline[figure].mean()
    assert abs(100 * (simulated - TARGETS_2024[figure])) <= TOLERANCE_PP, \
        f"{figure}: simulated {simulated:.4f} vs target {TARGETS_2024[figure]} (tolerance {TOLERANCE_PP:.2f} pp)"


def test_sampling_allowance_matches_the_validation_run_on_record() -> None:
    figures = pd.read_csv(RESULTS / "figures.csv")
    assert (figures["replications"] == 10).all()
    assert 100 * figures["sd"].max() <= SD_20000, figures[["figure", "sd"]]


def test_validation_run_on_record_meets_every_target() -> None:
    figures = pd.read_csv(RESULTS / "figures.csv").set_index("figure")
    assert set(figures.index) == set(TARGETS_2024)
    for name, target in TARGETS_2024.items():
        assert figures.loc[name, "target"] == target
        assert abs(figures.loc[name, "deviation_pp"]) <= 1.5, figures.loc[name]
        assert figures.loc[name, "ci_low"] <= figures.loc[name, "mean"] <= figures.loc[name, "ci_high"]


def test_the_defaults_are_the_fit_on_record_and_say_so() -> None:
    fitted = pd.read_csv(RESULTS / "parameters.csv").set_index("parameter")
    config = compose_calibration()
    assert set(fitted.index) == set(config.parameters)
    fields = dict(specs(Behaviour))
    for name, row in fitted.iterrows():
        assert getattr(Behaviour(), name) == row["default"], name
        assert row["default"] == round_significant(row["fitted"], config.significant_digits)
        assert row["low"] <= row["fitted"] <= row["high"]
        assert fields[name].metadata["source"].startswith("calibrated (results/calibration"), name
    calibrated = {name for name, f in fields.items() if f.metadata["source"].startswith("calibrated")}
    assert calibrated == set(fitted.index)


@pytest.mark.parametrize("method", calibration.METHODS)
def test_search_recovers_a_known_parameter(tmp_path: Path, method: str) -> None:
    """Targets simulated at range_recommendation = 0.45: starting from 0.25, each method finds it again on the same
    cases (common random numbers), to within the resolution a few thousand cases allow."""
    truth = 0.45
    config = CalibrationConfig(seed=3, replications=2, n_cases=600, jobs=1, max_evaluations=20, method=method,
                               parameters={"range_recommendation": {"low": 0.0, "high": 1.0, "start": 0.25}},
                               validation=ValidationRun(seed=4, replications=2, n_cases=300))
    settings = settings_from(dataclasses.replace(config, targets={"determinate_share": 0.0}))
    observed = simulate_status_quo(settings, Behaviour(range_recommendation=truth), settings.fit, None)
    config.targets = {"determinate_share": float(observed["determinate_share"].mean())}
    result = calibration.run(settings_from(config), tmp_path, "test")
    fitted = result.parameters.set_index("parameter").loc["range_recommendation", "fitted"]
    assert fitted == pytest.approx(truth, abs=0.02)
    assert result.evaluations["loss_pp2"].min() ** 0.5 < 0.2
    assert {p.name for p in tmp_path.iterdir()} == {"parameters.csv", "figures.csv", "evaluations.csv",
                                                    "calibration.md", "calibration.png", "run.json"}
    assert "range_recommendation" in (tmp_path / "calibration.md").read_text(encoding="utf-8")


def test_objective_is_deterministic_whatever_the_workers() -> None:
    settings = settings_from(compose_calibration("n_cases=200", "replications=2"))
    u = np.full(len(settings.parameters), 0.4)
    serial = Objective(settings, None).residuals(u)
    with workers(2, 2) as pool:
        pooled = Objective(settings, pool).residuals(u)
    np.testing.assert_array_equal(serial, pooled)
    moved = Objective(settings, None)
    assert not np.array_equal(moved.residuals(np.full(len(u), 0.9)), serial)
    assert len(moved.history) == 1


@pytest.mark.parametrize(("override", "fragments"), [
    ("method=simplex", ["method = 'simplex'", "least_squares, nelder_mead, powell"]),
    ("validation.seed=2024", ["validation.seed = 2024", "must differ from seed"]),
    ("replications=1", ["replications = 1", "≥ 2"]),
    ("+targets.voluntariness=0.5", ["targets.voluntariness", "application_rate"]),
    ("targets.adoption_rate=96.6", ["targets.adoption_rate = 96.6", "[0, 1]"]),
    ("+parameters.n_prosecutors={low:1,high:2}", ["parameters.n_prosecutors", "kpi_plea_value"]),
    ("+parameters.dialogue_max_rounds={low:1,high:2}", ["parameters.dialogue_max_rounds"]),
    ("parameters.strategic_appeal.high=2", ["parameters.strategic_appeal", "≤ 1.0"]),
    ("parameters.kpi_plea_value.start=7", ["parameters.kpi_plea_value.start = 7", "[0.0, 6.0]"]),
    ("behaviour.overstatement=2", ["behaviour.overstatement", "[0.0, 1.0]"]),
    ("+parameters.innocence_cost={low:0,high:10}", ["4 targets", "least_squares"]),
    ("+parameters.innocence_cost={low:0}", ["parameters.innocence_cost", "low, high and optionally start"]),
    ("parameters.kpi_plea_value.low=cheap", ["parameters.kpi_plea_value.low = 'cheap'", "must be a number"]),
])
def test_bad_calibration_input_is_refused_naming_the_key(override: str, fragments: list[str]) -> None:
    with pytest.raises(ConfigError) as error:
        settings_from(compose_calibration(override))
    for fragment in fragments:
        assert fragment in str(error.value), str(error.value)


def test_console_refuses_bad_input_with_exit_2_and_leaves_no_directory(tmp_path: Path) -> None:
    out = tmp_path / "calibration"
    script = Path(sys.executable).parent / "bargainsim-calibrate"
    done = subprocess.run([str(script) if script.exists() else "bargainsim-calibrate", "method=simplex",
                           f"hydra.run.dir={out}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "method = 'simplex'" in done.stderr and "least_squares, nelder_mead, powell" in done.stderr
    assert not out.exists()


def test_shipped_configuration_searches_one_parameter_per_target_from_the_old_assumptions() -> None:
    settings = settings_from(compose_calibration())
    assert settings.targets == TARGETS_2024
    assert settings.fit.seed != settings.validation.seed
    assert settings.validation.replications * settings.validation.n_cases > \
        settings.fit.replications * settings.fit.n_cases
    starts = {p.name: p.start for p in settings.parameters}
    assert starts == {"kpi_plea_value": 1.0, "range_recommendation": 0.25, "prosecutor_accepts_adjustment": 0.7,
                      "strategic_appeal": 0.025}


def test_round_significant() -> None:
    assert round_significant(0.0312345, 3) == 0.0312
    assert round_significant(1.98765, 3) == 1.99
    assert round_significant(0.0, 3) == 0.0
