"""Nothing lost, nothing half-said: a run directory always holds one run, sealed by its completion marker.

A re-run never mixes two runs' files; an invalid re-run touches nothing; an interruption (Ctrl-C, ``kill -9``, a
full disk) leaves the previous complete run, or nothing that looks complete, and one line instead of a
traceback; a killed sweep resumes to byte-identical results.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpus import call, captured, snapshot
from sweeps import REPO, run_sweep

from bargainsim.harness import rundir

SMALL = ("n_cases=40", "replications=2", "progress=false", "jobs=1", "reform=baseline")


def main_job(*args: str) -> tuple[int, str]:
    """``bargainsim ARGS`` in this process: exit code and everything it printed on stderr."""
    with captured() as text:
        code = call("bargainsim", list(args))
    return code, text["stderr"]


def refusal(stderr: str) -> list[str]:
    """What a run said on stderr, less its log line announcing the run."""
    return [line for line in stderr.strip().splitlines() if not line.startswith("running ")]


def start(*args: str) -> subprocess.Popen:
    """``bargainsim ARGS`` as a user starts it: its own process group (as a terminal's foreground job)."""
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    return subprocess.Popen([sys.executable, "-m", "bargainsim.apps.cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def assert_one_complete_run(out: Path, seed: int) -> None:
    """``out`` holds exactly one complete run, of ``seed``: every file is listed in an intact marker."""
    assert rundir.is_complete(out)
    marker = rundir.read_marker(out)
    visible = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert visible == set(marker["files"]) | {rundir.MARKER}
    assert json.loads((out / "run.json").read_text())["settings"]["seed"] == seed
    assert set(pq.read_table(out / "cases.parquet", columns=["seed"]).column("seed").to_pylist()) == {seed}


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A complete main job (seed 1)."""
    out = tmp_path_factory.mktemp("finished") / "run"
    code, said = main_job(f"hydra.run.dir={out}", "seed=1", *SMALL)
    assert code == 0, said
    return out


def test_a_main_job_is_sealed_by_its_marker(finished: Path, tmp_path: Path) -> None:
    assert_one_complete_run(finished, seed=1)
    copy = tmp_path / "copy"
    shutil.copytree(finished, copy)
    (copy / "summary.csv").write_text("changed")
    assert not rundir.is_complete(copy)


def test_a_rerun_into_a_used_directory_is_refused_and_touches_nothing(finished: Path) -> None:
    before = snapshot(finished)
    code, said = main_job(f"hydra.run.dir={finished}", "seed=2", *SMALL)
    assert code == 2 and "overwrite=true" in said and str(finished) in said and len(said.splitlines()) == 1
    assert snapshot(finished) == before


def test_a_successful_rerun_leaves_no_file_of_the_earlier_run(finished: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    shutil.copytree(finished, out)
    code, said = main_job(f"hydra.run.dir={out}", "overwrite=true", "seed=2", "save_cases=false",
                          "save_figures=false", *SMALL)
    assert code == 0, said
    names = {p.name for p in out.iterdir()}
    assert names == {"metrics.csv", "summary.csv", "summary.md", "run.json", "config.yaml", rundir.MARKER}
    assert rundir.is_complete(out) and set(rundir.read_marker(out)["files"]) == names - {rundir.MARKER}
    assert json.loads((out / "run.json").read_text())["settings"]["seed"] == 2


def test_stale_temporaries_are_removed_by_the_next_run(finished: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    shutil.copytree(finished, out)
    dead = 2**22 + 12345                     # above any pid this machine hands out (pid_max ≤ 2^22)
    (out / f".staging-{dead}").mkdir()
    (out / f".staging-{dead}" / "cases.parquet").write_bytes(b"PAR1")
    (out / f".cases.tmp-{dead}.parquet").write_bytes(b"PAR1")
    code, said = main_job(f"hydra.run.dir={out}", "overwrite=true", "seed=3", *SMALL)
    assert code == 0, said
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert_one_complete_run(out, seed=3)


def rerun_started(finished: Path, tmp_path: Path, seed: int, jobs: int) -> tuple[Path, subprocess.Popen]:
    """A copy of the finished run, and a larger re-run over it (``overwrite=true``) once it is simulating."""
    out = tmp_path / "run"
    shutil.copytree(finished, out)
    proc = start(f"hydra.run.dir={out}", "overwrite=true", f"seed={seed}", "n_cases=100000", "replications=20",
                 "progress=false", f"jobs={jobs}", "reform=baseline")
    wait_for(lambda: any(p.name.startswith(rundir.STAGING) for p in out.iterdir()))
    time.sleep(1.0)
    return out, proc


def test_a_killed_rerun_leaves_the_previous_complete_run(finished: Path, tmp_path: Path) -> None:
    out, proc = rerun_started(finished, tmp_path, seed=4, jobs=1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert_one_complete_run(out, seed=1)


def test_ctrl_c_stops_in_one_line_and_keeps_the_previous_run(finished: Path, tmp_path: Path) -> None:
    out, proc = rerun_started(finished, tmp_path, seed=5, jobs=2)
    os.killpg(proc.pid, signal.SIGINT)       # what a terminal's Ctrl-C sends: the whole process group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr
    said = refusal(stderr)
    assert len(said) == 1 and said[0].startswith("bargainsim: interrupted"), stderr
    assert_one_complete_run(out, seed=1)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_a_full_disk_is_one_line_and_keeps_the_previous_run(monkeypatch, finished: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    shutil.copytree(finished, out)
    before = snapshot(out)

    def full(self, table, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "cases.parquet"))

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    code, said = main_job(f"hydra.run.dir={out}", "overwrite=true", "seed=6", *SMALL)
    assert code == 1 and len(refusal(said)) == 1 and "disk is full" in said, said
    assert snapshot(out) == before


def test_a_full_tmpfs_is_one_line_and_keeps_the_previous_run(tmp_path: Path) -> None:
    """The same on a real file system that fills up (a 400 kB tmpfs; needs root, as CI has)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        out = disk / "run"
        code, said = main_job(f"hydra.run.dir={out}", "seed=1", "save_figures=false", *SMALL)
        assert code == 0, said
        before = snapshot(out)
        code, said = main_job(f"hydra.run.dir={out}", "overwrite=true", "seed=7", "n_cases=4000",
                              "replications=2", "progress=false", "jobs=1", "reform=baseline")
        assert code == 1 and len(refusal(said)) == 1 and "disk is full" in said, said
        assert snapshot(out) == before
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_an_invalid_sweep_rerun_keeps_every_finished_job(tmp_path_factory) -> None:
    """Through the Slurm code path (submitit_local) as through the basic launcher: nothing in the sweep changes."""
    directory = tmp_path_factory.mktemp("submitit") / "sweep"
    base = ("reform=baseline,no_kpi", "n_cases=40", "replications=2", "save_figures=false")
    run_sweep(directory, *base, "hydra.launcher.timeout_min=5", launcher="submitit_local")
    before = snapshot(directory)
    for launcher in ("submitit_local", "basic", "joblib"):
        code, said = main_job("-m", f"hydra/launcher={launcher}", f"hydra.sweep.dir={directory}", "progress=false",
                              *base, "caseload.innocent_share=1.5")
        assert code == 2 and "caseload.innocent_share" in said, said
        assert snapshot(directory) == before, launcher


def test_a_killed_sweep_resumes_to_identical_results(tmp_path: Path) -> None:
    jobs = ("reform=baseline,no_kpi,full_package", "n_cases=400", "replications=2", "save_figures=false")
    reference = tmp_path / "reference"
    run_sweep(reference, *jobs)
    directory = tmp_path / "killed"
    proc = start("-m", "hydra/launcher=basic", f"hydra.sweep.dir={directory}", "progress=false", *jobs)
    try:
        wait_for(lambda: (directory / "0" / rundir.MARKER).exists())
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not rundir.is_complete(directory / "2")
    proc = run_sweep(directory, *jobs)
    assert "Job 0 already complete" in proc.stdout
    for job in ("0", "1", "2"):
        for name in ("metrics.csv", "summary.csv", "cases.parquet"):
            assert (directory / job / name).read_bytes() == (reference / job / name).read_bytes(), (job, name)
        assert not [p.name for p in (directory / job).iterdir() if p.name.startswith(".")]


def test_ctrl_c_stops_a_parallel_sweep_in_one_line(tmp_path: Path) -> None:
    """The joblib launcher's workers stop too; every job is complete or has no marker."""
    directory = tmp_path / "sweep"
    proc = start("-m", "hydra/launcher=joblib", f"hydra.sweep.dir={directory}", "progress=false", "n_cases=6000",
                 "replications=3", "save_figures=false", "reform=baseline,no_kpi,full_package,public_observation")
    wait_for(lambda: any((directory / job / rundir.MARKER).exists() for job in "0123"))
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    said = refusal(stderr)
    assert len(said) == 1 and said[0].startswith("bargainsim: interrupted"), stderr
    for job in directory.iterdir():
        if job.is_dir():
            assert rundir.is_complete(job) or not (job / rundir.MARKER).exists(), job.name
