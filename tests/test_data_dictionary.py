"""The data dictionary says exactly when each column of ``cases.parquet`` is missing.

A small run of every arm of the main job (status quo, each reform, the full package) and of every textbook
preset must have each column missing (NaN or NA) for exactly the cases its documented condition names, and the
run must contain cases on both sides of every condition, so that a wrong statement would be caught.
"""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest
from conftest import compose_cfg, read_cases

from bargainsim.analysis.tables import missing_where
from bargainsim.apps.cli import run_job
from bargainsim.core.record import COLUMNS, NEVER
from bargainsim.harness.config import config_dir

N_CASES, REPLICATIONS, SEED = 300, 1, 3
TEXTBOOK = sorted(path.stem for path in (config_dir() / "textbook").glob("*.yaml"))
JOBS = [(), *((f"textbook={name}", "reform=baseline") for name in TEXTBOOK)]
"""The main job (every arm) and each textbook preset under the status quo's rules."""


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    frames = []
    for i, overrides in enumerate(JOBS):
        out = tmp_path_factory.mktemp(f"job{i}")
        run_job(compose_cfg(f"n_cases={N_CASES}", f"replications={REPLICATIONS}", f"seed={SEED}", "jobs=1",
                            "progress=false", "save_figures=false", *overrides), out)
        frames.append(read_cases(out))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.name)
def test_a_value_is_missing_exactly_when_the_dictionary_says(cases: pd.DataFrame, column) -> None:
    missing = cases[column.name].isna()
    documented = missing_where(column.missing, cases)
    unexpected, absent = (missing & ~documented).sum(), (documented & ~missing).sum()
    assert not unexpected and not absent, \
        f"{column.name} is documented as missing {column.missing.words!r}, but {unexpected} values are missing " \
        f"where that does not hold and {absent} present where it does"
    if column.missing is not NEVER:
        assert documented.any() and not documented.all(), \
            f"{column.name}: the run does not test {column.missing.condition!r} both ways"


def test_the_run_tells_the_documented_conditions_apart(cases: pd.DataFrame) -> None:
    """Each condition differs from every other on some case, and the run has the cases their words single out."""
    conditions = {c.missing for c in COLUMNS if c.missing is not NEVER}
    for a, b in itertools.combinations(conditions, 2):
        assert not missing_where(a, cases).equals(missing_where(b, cases)), (a.condition, b.condition)
    assert (cases.tried & ~cases.convicted).any() and cases.non_prosecution.any()
    assert (cases.withdrew & ~cases.pleaded).any() and cases.plea_rejected.any()
    assert (cases.negotiated & ~cases.pleaded).any() and (cases.initiated_by == "none").any()


def test_only_nullable_columns_can_be_missing() -> None:
    for column in COLUMNS:
        if column.missing is NEVER:
            assert column.dtype != "boolean", f"{column.name}: a nullable flag that is never missing"
        else:
            assert column.dtype in ("float64", "boolean"), f"{column.name}: {column.dtype} cannot be missing"


def test_missingness_is_stated_once_in_its_own_column() -> None:
    for column in COLUMNS:
        assert not re.search(r"\bNaN\b|\bNA\b", column.description), \
            f"{column.name}: the description states missingness; the missing column does"
