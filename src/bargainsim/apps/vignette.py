"""`bargainsim-vignette FILE`: the model's suspects through a factorial grid of plea-experiment conditions.

Reads the grid from a YAML (or CSV) file (:mod:`bargainsim.harness.vignette`), puts the same simulated suspects
through every cell (:mod:`bargainsim.analysis.vignette`) and writes ``acceptance.csv`` (one row per cell: the
factors, n, accepted, rate and its 95% CI), ``acceptance.png`` (heatmaps) and ``vignette.json`` (provenance) into
the output directory. See docs/vignette.md.

Usage: ``bargainsim-vignette conf/vignette/plea_justice.yaml --out results/vignette behaviour.risk_aversion=1``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pandas as pd

from bargainsim.analysis.vignette import COLUMNS, FACTORS
from bargainsim.apps.scripts import ArgumentParser, guarded, integer
from bargainsim.harness import rundir
from bargainsim.harness.config import MAX_SEED
from bargainsim.harness.vignette import Vignette, load, previous_output, run, unread_overrides
from bargainsim.params import ConfigError

logger = logging.getLogger("bargainsim.vignette")


def number(text: str) -> float:
    """An argparse type: a real number."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def parser() -> ArgumentParser:
    """The command line of ``bargainsim-vignette``."""
    p = ArgumentParser(prog="bargainsim-vignette", description=__doc__.split("\n\n")[0])
    p.add_argument("file", metavar="FILE", nargs="?", help="the grid: a YAML file (factors and options) or a CSV file (one row "
                                                "per cell); e.g. conf/vignette/plea_justice.yaml")
    p.add_argument("overrides", metavar="behaviour.KEY=VALUE", nargs="*",
                   help="behavioural parameters to change (docs/parameters.md), after the file's own")
    p.add_argument("--out", metavar="DIR",
                   help="where to write the results: a new or empty directory, or one holding an earlier vignette, "
                        "which is replaced whole (default: outputs/vignette/<FILE's name>)")
    p.add_argument("--suspects", metavar="N", type=integer("1 to 1000000"),
                   help="simulated suspects per cell, 1 to 1000000 (default: the file's, else 2000)")
    p.add_argument("--seed", metavar="SEED", type=integer(f"a root seed, 0 to {MAX_SEED}"),
                   help="root seed of the suspects' draws (default: the file's, else 2021)")
    p.add_argument("--belief-noise", metavar="SD", type=number,
                   help="sd (log-odds) of the suspect's belief around the stated probability, 0 to 5 (default: the "
                        "file's, else 0: it believes what it is told)")
    p.add_argument("--duty-lawyer-role", choices=("endorse", "advocate"),
                   help="a duty lawyer endorses the deal or advocates (default: the file's, else endorse)")
    return p


def out_directory(args: argparse.Namespace) -> Path:
    """``--out``, or ``outputs/vignette/<the file's name>``."""
    return Path(args.out) if args.out is not None else Path("outputs") / "vignette" / Path(args.file).stem


def check(args: argparse.Namespace) -> Vignette:
    """The checked vignette; a ConfigError names the file's key, the option or the path and what is allowed."""
    options = {"suspects": args.suspects, "seed": args.seed, "belief_noise": args.belief_noise,
               "duty_lawyer_role": args.duty_lawyer_role}
    vignette = load(args.file, args.overrides, options)
    rundir.check_directory(args.out if args.out is not None else out_directory(args), "--out")
    previous_output(out_directory(args))
    return vignette


def render(table: pd.DataFrame) -> str:
    """The acceptance table as text: the factors that vary, then n, accepted, rate and its CI."""
    shown = [name for name in FACTORS if table[name].nunique() > 1] or list(FACTORS)
    return table[[*shown, *COLUMNS]].to_string(index=False, float_format=lambda v: f"{v:.3f}".rstrip("0").rstrip("."))


def main(argv: list[str] | None = None) -> int:
    """Console script ``bargainsim-vignette``: bad input exits with code 2 before anything is written; any error
    is one line on stderr."""
    p = parser()
    args = p.parse_intermixed_args(argv)
    if args.file is None:
        p.error("the following argument is required: FILE (a vignette file, e.g. conf/vignette/plea_justice.yaml)")
    try:
        vignette = check(args)
    except ConfigError as error:
        p.refuse(str(error))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)

    def compute() -> int:
        for key in unread_overrides(vignette):
            logger.warning("%s does not enter a vignette suspect's decision; it changes nothing here", key)
        table, files = run(vignette, out_directory(args))
        o = vignette.options
        sys.stdout.write(f"Acceptance per cell: {len(table)} cells × {o.suspects:,} suspects (the same in every "
                         f"cell), seed {o.seed}; 95% Wilson CI\n{render(table)}\n")
        sys.stdout.write(f"Wrote {', '.join(path.name for path in files.values())} to {out_directory(args)}\n")
        return 0

    return guarded(p.prog, compute)


if __name__ == "__main__":
    sys.exit(main())
