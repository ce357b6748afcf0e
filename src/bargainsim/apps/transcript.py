"""A readable transcript of one case's negotiation, under the status quo and under a reform, side by side — or
under China's plea system and another country's, or under another country's and a reform of it
(docs/jurisdictions.md).

Both arms run on the same cases and the same institution (common random numbers, :mod:`bargainsim.core.streams`),
each watched by a :class:`~bargainsim.reporting.narration.Transcriber`, which keeps the moves made at the table
and the defense's view at the table and before indictment; :mod:`bargainsim.reporting.narration` tells the story.
Everything is told in months of sentence and working days.

Usage: ``bargainsim-transcript --case 17 --seed 2024 --reform disclosure_full``,
``bargainsim-transcript --case 17 --jurisdiction germany`` (China's status quo beside Germany's),
``bargainsim-transcript --case 17 --jurisdiction germany --reform public_observation``.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import dataclass

from bargainsim.apps.scripts import ArgumentParser, guarded, integer
from bargainsim.core.cases import Case
from bargainsim.core.district import build_district
from bargainsim.core.record import STATUS_QUO
from bargainsim.harness.config import (
    JURISDICTIONS,
    MAX_SEED,
    Arm,
    Jurisdiction,
    check_seed,
    jurisdiction_preset,
    make_arm,
    reform_catalogue,
    reform_entries,
)
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules, Timing
from bargainsim.reporting.narration import (
    JURISDICTION_WORDS,
    Telling,
    Transcriber,
    case_facts,
    rule_changes,
    side_by_side,
)

DEFAULT_REFORM = "disclosure_full"
"""The reform told beside China's status quo when none is given."""


def check_case(case_id: int, n_cases: int) -> None:
    """A case id of the population (ConfigError naming --case and the allowed ids)."""
    if not 0 <= case_id < n_cases:
        raise ConfigError(f"--case {case_id} is out of range; allowed values: 0 to {n_cases - 1} "
                          "(raise --n-cases for more)")


def reform_arm(reform: str, base: Rules) -> Arm:
    """The arm of a reform name from ``conf/reform``, or of several joined by '+' (ConfigError naming --reform)."""
    entries = reform_entries(reform, "--reform")
    try:
        return make_arm(entries, base)
    except ConfigError as error:
        raise ConfigError(f"--reform {reform}: {error}") from None


@dataclass(frozen=True)
class Side:
    """One side of a transcript: its label, rules and behaviour, and the plea system whose words tell it
    (``jurisdiction``: china for China's status quo and its reforms)."""

    label: str
    rules: Rules
    behaviour: Behaviour
    jurisdiction: str = "china"


def sides(reform: str | None, jurisdiction: str | None) -> tuple[Side, Side]:
    """The two sides a transcript tells: China's status quo and a reform of it (``reform``, by default
    :data:`DEFAULT_REFORM`); China's status quo and another jurisdiction's (``jurisdiction`` without ``reform``);
    or that jurisdiction's status quo and ``reform`` under it — ConfigError naming --reform or --jurisdiction and
    what is allowed."""
    if jurisdiction not in (None, "china"):
        preset = jurisdiction_preset(jurisdiction, "--jurisdiction")
        where = JURISDICTION_WORDS[jurisdiction]
        if reform is None:
            china = jurisdiction_preset("china")
            return (Side(JURISDICTION_WORDS["china"], china.rules, china.behaviour),
                    Side(where, preset.rules, preset.behaviour, jurisdiction))
        reform_entries(reform, "--reform")
        try:
            arm = preset.arm(reform)
        except ConfigError as error:
            allowed = [name for name in sorted(reform_catalogue()) if _applies(preset, name)]
            raise ConfigError(f"--reform {reform}: {error}; allowed values under --jurisdiction {jurisdiction}: "
                              f"{', '.join(allowed)}") from None
        return (Side(f"{STATUS_QUO} ({where})", preset.rules, preset.behaviour, jurisdiction),
                Side(f"{arm.label} ({where})", arm.rules, preset.behaviour, jurisdiction))
    base = Rules()
    arm = reform_arm(reform or DEFAULT_REFORM, base)
    return Side(STATUS_QUO, base, Behaviour()), Side(arm.label, arm.rules, Behaviour())


def _applies(preset: Jurisdiction, reform: str) -> bool:
    """Whether ``reform`` is a reform that applies under the jurisdiction ``preset``."""
    try:
        preset.arm(reform)
    except ConfigError:
        return False
    return True


def trace_case(case_id: int, seed: int, replication: int, n_cases: int, rules: Rules, label: str,
               behaviour: Behaviour | None = None, caseload: Caseload | None = None,
               timing: Timing | None = None, jurisdiction: str = "china") -> tuple[Case, Telling]:
    """Run one arm on the replication's cases until ``case_id`` is disposed of; return the case and its story,
    told in the words of ``jurisdiction``'s plea system."""
    behaviour, caseload, timing = behaviour or Behaviour(), caseload or Caseload(), timing or Timing()
    check_case(case_id, n_cases)
    transcriber = Transcriber(jurisdiction)
    model = build_district(rules, behaviour, caseload, timing, n_cases, seed, replication, trackers=[transcriber])
    while case_id not in transcriber.disposed:
        model.step()
    telling = Telling(label, rules, transcriber.suspects[case_id], transcriber.narrate(case_id))
    return model.cases[case_id], telling


def render(case: Case, left: Telling, right: Telling, seed: int, replication: int, n_cases: int,
           width: int) -> str:
    """The full transcript: the case's facts, what the reform changes, and the two stories side by side."""
    lines = [f"bargainsim transcript — seed {seed}, replication {replication}, case {case.case_id} of "
             f"{n_cases} (months of sentence; working days)", ""]
    lines += [wrapped for fact in case_facts(case) for wrapped in textwrap.wrap(fact, width)]
    changes = rule_changes(left.rules, right.rules) + rule_changes(left.suspect.model.behaviour,
                                                                   right.suspect.model.behaviour)
    lines.append("")
    lines += textwrap.wrap(f"{right.label} changes — " + ("; ".join(changes) if changes else "no rule") + ".",
                           width)
    lines.append("")
    lines += side_by_side(left, right, width)
    return "\n".join(lines) + "\n"


def transcript(case_id: int, seed: int, reform: str | None, replication: int = 0, n_cases: int = 400,
               width: int = 120, jurisdiction: str | None = None) -> str:
    """The side-by-side transcript of one case under the two sides of :func:`sides` (``reform``: a reform name
    from ``conf/reform``, or several joined by '+'; ``jurisdiction``: a preset of ``conf/jurisdiction``)."""
    left_side, right_side = sides(reform, jurisdiction)
    case, left = trace_case(case_id, seed, replication, n_cases, left_side.rules, left_side.label,
                            left_side.behaviour, jurisdiction=left_side.jurisdiction)
    _, right = trace_case(case_id, seed, replication, n_cases, right_side.rules, right_side.label,
                          right_side.behaviour, jurisdiction=right_side.jurisdiction)
    return render(case, left, right, seed, replication, n_cases, width)


MAX_CASES = 100_000
"""Largest population a transcript draws (both arms are simulated until the case is disposed of)."""
MAX_WIDTH = 1000
"""Widest line a transcript lays out."""


def parser() -> ArgumentParser:
    p = ArgumentParser(
        prog="bargainsim-transcript",
        description="Tell one case's negotiation round by round, under the status quo and a reform, side by side.")
    p.add_argument("--case", metavar="ID", type=integer("a case id, 0 to n-cases − 1"), default=17,
                   help="case id, 0 to n-cases − 1 (default 17)")
    p.add_argument("--seed", metavar="SEED", type=integer(f"a root seed, 0 to {MAX_SEED}"), default=2024,
                   help="root seed (default 2024)")
    p.add_argument("--reform", metavar="NAME[+NAME]", default=None,
                   help=f"reform from conf/reform, or several joined by '+' (default {DEFAULT_REFORM}; with "
                        "--jurisdiction, none: China's status quo beside the jurisdiction's)")
    p.add_argument("--jurisdiction", metavar="NAME", default=None,
                   help=f"plea system from conf/jurisdiction: {', '.join(JURISDICTIONS)} (default china); "
                        "with --reform, the reform under it")
    p.add_argument("--replication", metavar="R", type=integer("a replication ≥ 0"), default=0,
                   help="replication ≥ 0 (default 0)")
    p.add_argument("--n-cases", metavar="N", type=integer(f"1 to {MAX_CASES}"), default=400,
                   help=f"cases in the district's population, 1 to {MAX_CASES} (default 400)")
    p.add_argument("--width", metavar="COLUMNS", type=integer(f"80 to {MAX_WIDTH}"), default=120,
                   help=f"line width, 80 to {MAX_WIDTH} (default 120)")
    return p


def check(args: argparse.Namespace) -> None:
    """Refuse option values out of range or unknown (ConfigError naming the option and what is allowed)."""
    check_seed("--seed", args.seed)
    for name, value, low, high in (("--replication", args.replication, 0, MAX_SEED),
                                   ("--n-cases", args.n_cases, 1, MAX_CASES),
                                   ("--width", args.width, 80, MAX_WIDTH)):
        if not low <= value <= high:
            raise ConfigError(f"{name} {value} is out of range; allowed values: integers ≥ {low} and ≤ {high}")
    check_case(args.case, args.n_cases)
    sides(args.reform, args.jurisdiction)


def main(argv: list[str] | None = None) -> int:
    """Console script ``bargainsim-transcript``: bad input exits with code 2 before anything runs; any error is
    one line on stderr."""
    p = parser()
    args = p.parse_args(argv)
    try:
        check(args)
    except ConfigError as error:
        p.refuse(str(error))

    def tell() -> int:
        sys.stdout.write(transcript(args.case, args.seed, args.reform, args.replication, args.n_cases, args.width,
                                    args.jurisdiction))
        return 0

    return guarded(p.prog, tell)


if __name__ == "__main__":
    sys.exit(main())
