"""Sweeps: resumable jobs with completion markers, launchers that agree, per-job provenance, the Slurm config,
and the sensitivity design."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from hydra import compose, initialize_config_dir
from sweeps import run_sweep

from bargainsim.harness import sensitivity, sweep
from bargainsim.harness.config import SensitivityConfig, config_dir, sensitivity_from_config
from bargainsim.params import ConfigError

TWO_JOBS = ("reform=no_kpi,full_package", "n_cases=60", "replications=2", "save_figures=false")
RESULT_FILES = ("metrics.csv", "summary.csv", "cases.parquet")


@pytest.fixture(scope="module")
def basic_sweep(tmp_path_factory):
    """The two-job reference sweep, run by Hydra's basic (in-process, serial) launcher."""
    directory = tmp_path_factory.mktemp("basic") / "sweep"
    run_sweep(directory, *TWO_JOBS)
    return directory


def test_jobs_record_parameters_and_provenance(basic_sweep):
    for job, reform in (("0", "no_kpi"), ("1", "full_package")):
        marker = json.loads((basic_sweep / job / sweep.MARKER).read_text())
        assert marker["parameters"] == {"reform": reform, "n_cases": 60, "replications": 2, "save_figures": False}
        assert set(marker["files"]) >= {"metrics.csv", "summary.csv", "cases.parquet", "run.json", "config.yaml"}
        run = json.loads((basic_sweep / job / "run.json").read_text())
        assert run["settings"]["seed"] == 2024
        assert run["settings"]["jobs"] == 1           # jobs=0 means one process inside a sweep job
        assert {"mesa", "numpy", "hydra-core"} <= set(run["versions"])
        assert "git_revision" in run
    assert not (basic_sweep / "0" / "outcomes_by_reform.png").exists()


def test_submitit_launcher_gives_identical_results(basic_sweep, tmp_path):
    """submitit_local runs each job in its own subprocess, as submitit_slurm does on a cluster."""
    run_sweep(tmp_path / "sweep", *TWO_JOBS, "hydra.launcher.timeout_min=5", "hydra.launcher.cpus_per_task=1",
              launcher="submitit_local")
    for job in ("0", "1"):
        for name in RESULT_FILES:
            assert (tmp_path / "sweep" / job / name).read_bytes() == (basic_sweep / job / name).read_bytes(), \
                f"job {job} {name} differs from the basic launcher's"


def test_rerun_skips_complete_jobs_and_redoes_interrupted_ones(basic_sweep, tmp_path):
    directory = tmp_path / "sweep"
    shutil.copytree(basic_sweep, directory)
    before = {job: (directory / job / "metrics.csv").stat().st_mtime_ns for job in ("0", "1")}
    # Job 1 was interrupted: its marker never written, a temporary file left behind.
    (directory / "1" / sweep.MARKER).unlink()
    (directory / "1" / ".metrics.tmp-4242.csv").write_text("reform,replication\n")
    # The same jobs, with a default now stated explicitly: the configuration, hence job 0, is unchanged.
    proc = run_sweep(directory, *TWO_JOBS, "rules.disclosure=none")
    assert "Job 0 already complete" in proc.stdout
    assert sweep.read_marker(directory / "0")["parameters"]["rules.disclosure"] == "none"
    assert "Job 1 already complete" not in proc.stdout
    assert (directory / "0" / "metrics.csv").stat().st_mtime_ns == before["0"]
    assert (directory / "1" / "metrics.csv").stat().st_mtime_ns != before["1"]
    assert sweep.read_marker(directory / "1") is not None
    for name in RESULT_FILES:
        assert (directory / "1" / name).read_bytes() == (basic_sweep / "1" / name).read_bytes()


def test_completion_needs_the_same_configuration_and_intact_files(basic_sweep, tmp_path):
    job = tmp_path / "job"
    shutil.copytree(basic_sweep / "0", job)
    marker = sweep.read_marker(job)
    assert sweep.is_complete(job, marker["config_sha256"])
    assert not sweep.is_complete(job, "0" * 64)                         # another configuration
    with (job / "summary.csv").open("a") as handle:                     # a result file changed
        handle.write("\n")
    assert not sweep.is_complete(job, marker["config_sha256"])
    (job / "summary.csv").unlink()
    assert not sweep.is_complete(job, marker["config_sha256"])


def test_fingerprint_ignores_only_result_neutral_keys():
    base = {"seed": 1, "n_cases": 100, "jobs": 0, "progress": True, "rules": {"disclosure": "none"}}
    assert sweep.fingerprint(base) == sweep.fingerprint({**base, "jobs": 4, "progress": False})
    assert sweep.fingerprint(base) != sweep.fingerprint({**base, "n_cases": 101})
    assert sweep.fingerprint(base) != sweep.fingerprint({**base, "rules": {"disclosure": "core"}})


def test_default_launcher_is_joblib_and_slurm_config_composes():
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        default = compose("config", return_hydra_config=True)
        slurm = compose("config", overrides=["hydra/launcher=slurm"], return_hydra_config=True)
    assert default.hydra.launcher._target_.endswith("JoblibLauncher")
    assert default.hydra.launcher.n_jobs == -1
    assert slurm.hydra.launcher._target_.endswith("SlurmLauncher")
    assert slurm.hydra.launcher.cpus_per_task == 1
    assert slurm.hydra.launcher.array_parallelism == 64
    assert {"partition", "mem_gb", "timeout_min"} <= set(slurm.hydra.launcher)


def _spec(**changes):
    values = {"parameters": {"behaviour.risk_aversion": [1.0, 2.5], "behaviour.overstatement": [0.0, 0.2]},
              "n_base": 8, "chunks": 3, "chunk": 0, **changes}
    return SensitivityConfig(**values)


@pytest.mark.parametrize("changes, message", [
    ({"parameters": {"behaviour.nonsense": [0.0, 1.0]}}, "sensitivity.parameters.behaviour.nonsense"),
    ({"parameters": {"behaviour.dialogue_max_rounds": [1.0, 5.0]}}, "not a real-valued parameter"),
    ({"parameters": {"behaviour.overstatement": [0.5, 0.1]}}, "low < high"),
    ({"parameters": {"behaviour.overstatement": [0.0, 1.5]}}, "allowed range"),
    ({"parameters": {}}, "sensitivity.parameters is empty"),
    ({"n_base": 12}, "power of two"),
    ({"chunk": 3}, "sensitivity.chunk"),
])
def test_sensitivity_config_errors_name_the_key(changes, message):
    with pytest.raises(ConfigError, match=message):
        sensitivity_from_config(_spec(**changes))


def test_sobol_design_is_deterministic_and_chunks_partition_it():
    spec = sensitivity_from_config(_spec())
    first, again, other = (sensitivity.design(spec, seed) for seed in (7, 7, 8))
    assert first.shape == (8 * (2 + 2), 2)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert first[:, 0].min() >= 1.0 and first[:, 0].max() <= 2.5
    chunks = [sensitivity_from_config(_spec(chunk=chunk)) for chunk in range(3)]
    covered = [i for spec in chunks for i in sensitivity.chunk_points(len(first), spec)]
    assert covered == list(range(len(first)))
