"""Bad inputs to `bargainsim-vignette`: a grid file that is missing, malformed or asks for what the model has not
(an unknown factor, a level out of range), a bad behaviour override or option, an output directory that cannot
or must not hold the results."""

from __future__ import annotations

from pathlib import Path

from corpus import BadInput, Fixtures, Setup, copy_run

SHIPPED = str(Path(__file__).resolve().parents[2] / "conf" / "vignette" / "plea_justice.yaml")
OUT = ("--out", "{tmp}/out")


def grid_file(name: str, text: str) -> Setup:
    """Setup: a grid file ``name`` in the case's directory."""
    def setup(tmp: Path, fixtures: Fixtures) -> None:
        (tmp / name).write_text(text, encoding="utf-8")
    return setup


def own_files(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: an output directory holding a user's own file."""
    (tmp / "out").mkdir()
    (tmp / "out" / "notes.txt").write_text("mine")


def blocker(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: a regular file where the output directory should go."""
    (tmp / "blocker").write_text("not a directory")


def vignette(case_id: str, args: tuple[str, ...], names: tuple[str, ...], setup: Setup | None = None) -> BadInput:
    return BadInput(case_id, "bargainsim-vignette", args, names, setup)


def with_file(case_id: str, text: str, names: tuple[str, ...], name: str = "grid.yaml") -> BadInput:
    """A bad grid file written into the case's directory."""
    return vignette(case_id, (f"{{tmp}}/{name}", *OUT), names, grid_file(name, text))


CASES: list[BadInput] = [
    vignette("vignette-file-missing", ("{tmp}/nowhere.yaml", *OUT), ("nowhere.yaml", "no such file")),
    vignette("vignette-no-file", (), ("FILE", "required")),
    vignette("vignette-file-is-a-directory", ("{tmp}", *OUT), ("not a vignette file", ".yaml", ".csv")),
    with_file("vignette-wrong-format", "guilt: guilty\n", ("grid.txt", ".yaml", ".csv"), "grid.txt"),
    with_file("vignette-not-yaml", "factors: [guilt\n", ("grid.yaml", "not valid YAML", "line 2")),
    with_file("vignette-not-a-mapping", "- guilt\n- offer\n", ("grid.yaml", "mapping", "factors")),
    with_file("vignette-unknown-key", "suspect: 100\n", ("'suspect'", "allowed keys", "suspects")),
    with_file("vignette-factor-at-top-level", "offer: [6, 12]\n", ("'offer'", "factors.offer")),
    with_file("vignette-unknown-factor", "factors:\n  colour: [red]\n",
              ("factors.colour", "not a factor", "conviction_probability")),
    with_file("vignette-probability-above-one", "factors:\n  conviction_probability: [0.5, 1.5]\n",
              ("factors.conviction_probability", "1.5", "≤ 1")),
    with_file("vignette-offer-negative", "factors:\n  offer: [-6]\n", ("factors.offer", "-6", "≥ 0")),
    with_file("vignette-trial-sentence-zero", "factors:\n  trial_sentence: [0]\n",
              ("factors.trial_sentence", "> 0")),
    with_file("vignette-guilt-unknown", "factors:\n  guilt: [guilty, maybe]\n",
              ("factors.guilt", "'maybe'", "guilty, innocent")),
    with_file("vignette-counsel-unknown", "factors:\n  counsel: [public_defender]\n",
              ("factors.counsel", "none, duty, retained")),
    with_file("vignette-detention-boolean", "factors:\n  detention: [true]\n",
              ("factors.detention", "detained, at_liberty")),
    with_file("vignette-level-twice", "factors:\n  offer: [6, 6]\n", ("factors.offer", "twice")),
    with_file("vignette-factor-empty", "factors:\n  offer: []\n", ("factors.offer", "empty")),
    with_file("vignette-file-suspects-zero", "suspects: 0\n", ("suspects", "[1, 1000000]")),
    with_file("vignette-file-seed-text", "seed: lucky\n", ("seed", "not an integer")),
    with_file("vignette-file-role-unknown", "duty_lawyer_role: silent\n", ("duty_lawyer_role", "endorse, advocate")),
    with_file("vignette-file-behaviour-unknown", "behaviour:\n  risk_aversoin: 2\n",
              ("behaviour.risk_aversoin", "behaviour.risk_aversion")),
    with_file("vignette-file-behaviour-range", "behaviour:\n  choice_noise: 3\n",
              ("behaviour.choice_noise", "[0.0, 2.0]")),
    with_file("vignette-csv-unknown-column", "guilt,colour\nguilty,red\n", ("'colour'", "allowed columns"),
              "grid.csv"),
    with_file("vignette-csv-level-out-of-range", "guilt,conviction_probability\nguilty,0.5\ninnocent,2\n",
              ("row 2", "conviction_probability", "≤ 1"), "grid.csv"),
    with_file("vignette-csv-row-repeated", "guilt,offer\nguilty,6\nguilty,6\n", ("row 2", "repeats row 1"),
              "grid.csv"),
    with_file("vignette-csv-ragged", "guilt,offer\nguilty\n", ("row 1", "2 columns"), "grid.csv"),
    vignette("vignette-behaviour-key-unknown", (SHIPPED, *OUT, "behaviour.risk_aversoin=2"),
             ("behaviour.risk_aversoin", "behaviour.risk_aversion")),
    vignette("vignette-behaviour-out-of-range", (SHIPPED, *OUT, "behaviour.innocence_cost=-4"),
             ("behaviour.innocence_cost", "[0.0, 60.0]")),
    vignette("vignette-behaviour-not-a-number", (SHIPPED, *OUT, "behaviour.risk_aversion=high"),
             ("behaviour.risk_aversion", "must be a number")),
    vignette("vignette-behaviour-choice", (SHIPPED, *OUT, "behaviour.trial_costs=free"),
             ("behaviour.trial_costs", "institutional, given")),
    vignette("vignette-override-not-behaviour", (SHIPPED, *OUT, "rules.disclosure=full"),
             ("rules.disclosure=full", "behaviour.KEY=VALUE")),
    vignette("vignette-suspects-zero", (SHIPPED, *OUT, "--suspects", "0"), ("--suspects", "[1, 1000000]")),
    vignette("vignette-suspects-text", (SHIPPED, *OUT, "--suspects", "many"), ("--suspects", "not an integer")),
    vignette("vignette-seed-negative", (SHIPPED, *OUT, "--seed", "-1"), ("--seed", "9223372036854775807")),
    vignette("vignette-belief-noise-negative", (SHIPPED, *OUT, "--belief-noise", "-0.5"),
             ("--belief-noise", "[0, 5]")),
    vignette("vignette-belief-noise-nan", (SHIPPED, *OUT, "--belief-noise", "nan"), ("--belief-noise", "[0, 5]")),
    vignette("vignette-role-unknown", (SHIPPED, *OUT, "--duty-lawyer-role", "silent"),
             ("--duty-lawyer-role", "endorse", "advocate")),
    with_file("vignette-too-many-decisions", "factors:\n  offer: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
              "  conviction_probability: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]\nsuspects: 1000000\n",
              ("200 cells", "1000000 suspects", "≤ 100,000,000")),
    vignette("vignette-unknown-option", (SHIPPED, *OUT, "--sample", "10"), ("--sample", "--suspects N")),
    vignette("vignette-out-holds-own-files", (SHIPPED, *OUT), ("--out", "notes.txt", "not a previous vignette's"),
             own_files),
    vignette("vignette-out-holds-a-run", (SHIPPED, "--out", "{run}"), ("--out", "cases.parquet"), copy_run),
    vignette("vignette-out-is-a-file", (SHIPPED, "--out", "{tmp}/blocker"), ("--out", "blocker", "is a file"),
             blocker),
    vignette("vignette-out-empty", (SHIPPED, "--out", ""), ("--out", "empty")),
]
