"""Bad inputs to `bargainsim-validate`."""

from __future__ import annotations

from pathlib import Path

from corpus import BadInput, Fixtures
from corpus.main_job import SEED_RANGE, file_in_the_way

RUN = ("hydra.run.dir={tmp}/out", "n_cases=40", "replications=2")


def earlier_validation(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: a directory holding an earlier validation's table."""
    (tmp / "out").mkdir()
    (tmp / "out" / "validation.md").write_text("# Validation\n")


def case(id: str, names: tuple[str, ...], *args: str) -> BadInput:
    """A bad validation input (a tiny run into ``{tmp}/out``)."""
    return BadInput(id, "bargainsim-validate", (*RUN, *args), names)


CASES: list[BadInput] = [
    case("validate-status-quo-only", ("reform", "effective_counsel", "omit reform"), "reform=baseline"),
    case("validate-seed-negative", ("seed", SEED_RANGE), "seed=-1"),
    case("validate-behaviour-range", ("behaviour.choice_noise", "2.0"), "behaviour.choice_noise=5"),
    case("validate-misspelt-key", ("behaviour.choise_noise", "behaviour.choice_noise"), "behaviour.choise_noise=0.1"),
    BadInput("validate-dir-under-file", "bargainsim-validate", (*RUN, "hydra.run.dir={tmp}/blocker/out"),
             ("{tmp}/blocker/out", "not a directory"), file_in_the_way),
    BadInput("validate-dir-holds-a-run", "bargainsim-validate", RUN, ("{tmp}/out", "overwrite=true"),
             earlier_validation),
]
