"""Bad inputs to `bargainsim-calibrate`."""

from __future__ import annotations

from pathlib import Path

from corpus import BadInput, Fixtures
from corpus.main_job import SEED_RANGE, file_in_the_way

RUN = ("hydra.run.dir={tmp}/out", "n_cases=40", "replications=2", "validation.n_cases=40",
       "validation.replications=2", "max_evaluations=1")


def earlier_calibration(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: a directory holding an earlier calibration's report."""
    (tmp / "out").mkdir()
    (tmp / "out" / "calibration.md").write_text("# Calibration\n")


def case(id: str, names: tuple[str, ...], *args: str) -> BadInput:
    """A bad calibration input (a tiny run into ``{tmp}/out``)."""
    return BadInput(id, "bargainsim-calibrate", (*RUN, *args), names)


CASES: list[BadInput] = [
    case("calibrate-method", ("method", "gradient", "least_squares, nelder_mead, powell"), "method=gradient"),
    case("calibrate-seed-negative", ("seed", SEED_RANGE), "seed=-1"),
    case("calibrate-seed-too-large", ("validation.seed", SEED_RANGE), "validation.seed=9223372036854775808"),
    case("calibrate-same-seed", ("validation.seed", "must differ from seed"), "validation.seed=2024"),
    case("calibrate-one-replication", ("replications", "≥ 2"), "replications=1"),
    case("calibrate-target-range", ("targets.application_rate", "[0, 1]"), "targets.application_rate=1.5"),
    case("calibrate-unknown-target", ("targets.conviction_rate", "application_rate"),
         "+targets.conviction_rate=0.9"),
    case("calibrate-unknown-parameter", ("parameters.nonsense", "continuous behaviour parameter"),
         "+parameters.nonsense={low:0,high:1}"),
    case("calibrate-interval", ("parameters.kpi_plea_value", "low"), "parameters.kpi_plea_value.low=7"),
    case("calibrate-misspelt-key", ("validation.sed", "validation.seed"), "validation.sed=3"),
    case("calibrate-precision", ("precision_pp", "> 0"), "precision_pp=0"),
    case("calibrate-behaviour-range", ("behaviour.overstatement", "[0.0, 1.0]"), "behaviour.overstatement=3"),
    case("calibrate-bool-number", ("overwrite=3", "true or false"), "overwrite=3"),
    BadInput("calibrate-default-dir", "bargainsim-calibrate", ("n_cases=0",), ("n_cases", "≥ 1")),
    BadInput("calibrate-dir-under-file", "bargainsim-calibrate", (*RUN, "hydra.run.dir={tmp}/blocker/out"),
             ("{tmp}/blocker/out", "not a directory"), file_in_the_way),
    BadInput("calibrate-dir-holds-a-run", "bargainsim-calibrate", RUN, ("{tmp}/out", "overwrite=true"),
             earlier_calibration),
]
