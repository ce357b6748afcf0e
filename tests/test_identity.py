"""Behaviour is unchanged: digests of small runs of every arm compared with those of the code they were recorded on.

Each run goes through the main job (``run_job`` on a composed configuration) and digests the content of
``cases.parquet`` (every column, every value, in order) and the bytes of ``metrics.csv`` and ``summary.csv``. The
digests in ``identity_digests.json`` were recorded on the code before the restructure of the core (issue 13,
commit eb8b051). A deliberate change of the model's behaviour re-records them:
``PYTHONPATH=src:tests python -m test_identity --record`` (and says so in its commit).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hydra import compose, initialize_config_dir

from bargainsim.apps.cli import run_job
from bargainsim.harness.config import config_dir

DIGESTS = Path(__file__).with_name("identity_digests.json")
COMMON = ["n_cases=600", "replications=2", "jobs=1", "progress=false", "save_figures=false"]
RUNS: dict[str, list[str]] = {
    **{f"every_arm_seed{seed}_districts{d}": [f"seed={seed}", f"districts={d}"]
       for seed in (7, 2024) for d in (1, 3)},
    **{f"textbook_{preset}": [f"textbook={preset}", "reform=baseline", "seed=11"]
       for preset in ("landes_private", "landes_shared", "nash", "nash_asymmetric", "risk_neutral", "rubinstein")},
}
"""Every arm of the main job under two seeds, in one district and split into three; each textbook preset."""


def digest_run(overrides: list[str], out_dir: Path) -> dict[str, str]:
    """The run's digests: the cases' content, metrics.csv and summary.csv."""
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = compose(config_name="config", overrides=[*COMMON, *overrides])
    results = run_job(cfg, out_dir)
    table = pq.read_table(results.files["cases"])
    cases = hashlib.sha256()
    for name in table.column_names:
        cases.update(name.encode())
        cases.update(repr(table.column(name).to_pylist()).encode())
    return {"cases": cases.hexdigest(), "rows": str(table.num_rows),
            **{name: hashlib.sha256(results.files[name].read_bytes()).hexdigest() for name in ("metrics", "summary")}}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_run_is_identical_to_the_recorded_one(run: str, tmp_path: Path) -> None:
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))[run]
    assert digest_run(RUNS[run], tmp_path) == recorded


def test_every_arm_is_covered() -> None:
    """The recorded runs hold every arm of the main job (the status quo, each reform, the full package)."""
    from bargainsim.harness.config import reform_catalogue

    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert set(recorded) == set(RUNS)
    assert len(reform_catalogue()) >= 15


def record() -> None:
    """Re-record every run's digests (after a deliberate change of behaviour)."""
    import tempfile

    digests = {}
    for name in sorted(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            digests[name] = digest_run(RUNS[name], Path(tmp))
    DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    record()
