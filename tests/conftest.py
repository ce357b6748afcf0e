"""Shared fixtures: controlled cases and a one-call model run.

``make_case`` builds a :class:`~bargainsim.core.cases.Case` with fixed, unremarkable facts (a guilty theft misdemeanor,
evidence 0.9, no aggravation, mitigation or victim, at liberty, no retained counsel) and neutral pre-drawn random
numbers (every ``z_*`` = 0, every ``u_*`` = 0.5); any field can be overridden. ``run_cases`` runs a
:class:`~bargainsim.core.model.PleaModel` over a list of cases and returns the per-case records as a DataFrame sorted
by ``case_id``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hydra import compose, initialize_config_dir
from omegaconf import DictConfig

from bargainsim.analysis import tables as records
from bargainsim.core import streams
from bargainsim.core.cases import _NORMALS, _UNIFORMS, PRIOR_RECORD_UPLIFT, Case, draw_population
from bargainsim.core.model import PleaModel
from bargainsim.core.offenses import CATALOGUE
from bargainsim.core.sentencing import clamp
from bargainsim.core.trackers import Tracker
from bargainsim.harness.config import config_dir
from bargainsim.params import Behaviour, Caseload, Rules, Timing

THEFT = next(o for o in CATALOGUE if o.name == "theft")
"""A misdemeanor offense (statutory range 1–36 months) with a victim in most real cases."""

CASE_DEFAULTS: dict[str, object] = {
    "case_id": 0,
    "arrival_day": 0,
    "offense": THEFT,
    "guilty": True,
    "conviction_probability": 0.9,
    "start_months": 12.0,
    "aggravation": 0.0,
    "prior_record": False,
    "mitigation": 0.0,
    "has_victim": False,
    "ability_to_pay": 0.8,
    "forgiveness": 0.5,
    "detained": False,
    "retained": False,
    "understanding": 0.25,
    **{name: 0.0 for name in _NORMALS},
    **{name: 0.5 for name in _UNIFORMS},
}


def make_case(**overrides: object) -> Case:
    """A controlled case: the defaults above with ``overrides`` applied.

    ``base_months`` follows the population's rule (starting point × (1 + aggravation + record uplift), clamped
    to the statutory range) unless given explicitly.
    """
    unknown = set(overrides) - set(CASE_DEFAULTS) - {"base_months"}
    if unknown:
        raise TypeError(f"make_case: unknown Case fields {sorted(unknown)}")
    facts = {**CASE_DEFAULTS, **overrides}
    if "base_months" not in facts:
        offense = facts["offense"]
        start = facts["start_months"] * (1.0 + facts["aggravation"]
                                         + (PRIOR_RECORD_UPLIFT if facts["prior_record"] else 0.0))
        facts["base_months"] = clamp(start, offense.statutory_min, offense.statutory_max)
    return Case(**facts)


def make_cases(n: int, per_day: int = 5, **overrides: object) -> list[Case]:
    """``n`` copies of one controlled case with ids 0..n-1, ``per_day`` arriving each working day."""
    return [make_case(**{**overrides, "case_id": i, "arrival_day": i // per_day}) for i in range(n)]


def modify(cases: Sequence[Case], **changes: object) -> list[Case]:
    """The same cases with some facts changed (ids and arrival days kept)."""
    return [dataclasses.replace(c, **changes) for c in cases]


def build_model(cases: Sequence[Case], rules: Rules | None = None, behaviour: Behaviour | None = None,
                caseload: Caseload | None = None, seed: int = 0, timing: Timing | None = None,
                trackers: Sequence[Tracker] = ()) -> PleaModel:
    """A PleaModel over controlled ``cases`` with the institution stream of ``seed`` (not yet run), watched by
    ``trackers``. (Drawn populations are built with :func:`bargainsim.core.district.build_district`.)"""
    cases = list(cases)
    assert [c.case_id for c in cases] == list(range(len(cases))), "case ids must be 0..n-1 in order"
    assert all(a.arrival_day <= b.arrival_day for a, b in zip(cases, cases[1:])), "arrival days must not decrease"
    return PleaModel(cases, rules if rules is not None else Rules(),
                     behaviour if behaviour is not None else Behaviour(),
                     caseload if caseload is not None else Caseload(),
                     timing if timing is not None else Timing(),
                     streams.stream(seed, 0, streams.INSTITUTION), trackers)


def frame_of(model: PleaModel) -> pd.DataFrame:
    """Run ``model`` to the end; its case records as a DataFrame sorted by case_id."""
    rows = model.run()
    return records.to_frame(records.to_table(rows)).sort_values("case_id", ignore_index=True)


def run_cases(cases: Sequence[Case], rules: Rules | None = None, behaviour: Behaviour | None = None,
              caseload: Caseload | None = None, seed: int = 0, timing: Timing | None = None) -> pd.DataFrame:
    """Run a PleaModel over ``cases`` (institution stream of ``seed``); the records sorted by case_id."""
    return frame_of(build_model(cases, rules, behaviour, caseload, seed, timing))


def population(n: int, caseload: Caseload | None = None, seed: int = 0, replication: int = 0) -> list[Case]:
    """A drawn case population (the cases stream of ``seed`` and ``replication``), for statistical tests."""
    return draw_population(n, caseload if caseload is not None else Caseload(),
                           streams.stream(seed, replication, streams.CASES))


@pytest.fixture
def case_factory():
    """``make_case`` as a fixture, for tests that prefer injection to import."""
    return make_case


def compose_cfg(*overrides: str) -> DictConfig:
    """The main job's configuration with command-line ``overrides``, composed as Hydra would."""
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        return compose(config_name="config", overrides=list(overrides))


def read_cases(out: Path) -> pd.DataFrame:
    """A finished run's ``cases.parquet``, checked against the documented schema."""
    table = pq.read_table(out / "cases.parquet")
    assert table.schema.equals(records.SCHEMA)
    return records.to_frame(table)
