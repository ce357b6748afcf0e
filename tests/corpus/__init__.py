"""A corpus of bad inputs to the console scripts, and the harness that tries them as a user would.

Each :class:`BadInput` names an entry point, its command-line arguments (``{tmp}`` is the case's own empty working
directory, ``{sweep}`` and ``{run}`` copies of a finished sweep and main job made there by ``setup``) and the
fragments its error message must contain: the offending key, option or path and what is allowed. Every case runs
in-process (no interpreter start-up per case) with file descriptors 1 and 2 captured, in a fresh working
directory, and is judged as a user would see it:

* ``clear``: exit code 2, one line of output naming every fragment, no traceback, nothing written or removed;
* ``unclear``: refused, but not in one line, or the line misses a fragment;
* ``traceback``: a Python traceback reached the user;
* ``accepted``: exit code 0 (silently accepted);
* ``left behind`` (counted apart): files or directories created, changed or removed by the refusal.

``python -m corpus`` (from ``tests/``, or ``make bad-inputs``) runs the whole corpus and prints these counts;
``tests/test_bad_input.py`` runs it once and asserts that every case is clear and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ENTRY_POINTS = {
    "bargainsim": "bargainsim.apps.cli:main",
    "bargainsim-calibrate": "bargainsim.apps.cli:calibrate",
    "bargainsim-report": "bargainsim.apps.report.command:main",
    "bargainsim-transcript": "bargainsim.apps.transcript:main",
    "bargainsim-vignette": "bargainsim.apps.vignette:main",
    "bargainsim-validate": "bargainsim.apps.cli:validate",
}
MODULES = ("main_job", "calibrate", "report", "transcript", "vignette", "validate")


@dataclass(frozen=True)
class Fixtures:
    """Finished outputs made once per corpus run, for cases that corrupt or re-use them."""

    sweep: Path     # a completed two-job sweep (reform=baseline,no_kpi; 40 cases × 2 replications)
    run: Path       # a completed main job (reform=baseline; 40 cases × 2 replications)


Setup = Callable[[Path, Fixtures], None]


@dataclass(frozen=True)
class BadInput:
    """One bad input: the entry point, its arguments, what the message must name, and how to prepare it."""

    id: str
    entry: str
    args: tuple[str, ...]
    names: tuple[str, ...]
    setup: Setup | None = None


@dataclass
class Outcome:
    """What a user saw."""

    id: str
    entry: str
    code: int | None
    stdout: str
    stderr: str
    changed: list[str] = field(default_factory=list)
    verdict: str = ""
    missing: list[str] = field(default_factory=list)


def copy_sweep(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: a copy of the finished sweep at ``{sweep}``."""
    shutil.copytree(fixtures.sweep, tmp / "sweep")


def copy_run(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: a copy of the finished main job at ``{run}``."""
    shutil.copytree(fixtures.run, tmp / "run")


def cases() -> list[BadInput]:
    """The whole corpus, by entry point."""
    found: list[BadInput] = []
    for name in MODULES:
        found += importlib.import_module(f"corpus.{name}").CASES
    ids = [case.id for case in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate corpus ids: {duplicates}"
    return found


def snapshot(root: Path) -> dict[str, str]:
    """Every path under ``root`` with the digest of its content ('dir' for a directory)."""
    state = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        state[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@contextmanager
def captured() -> Iterator[dict[str, str]]:
    """Capture file descriptors 1 and 2 and Python's streams (print, logging, any child process) into strings."""
    text: dict[str, str] = {}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        streams = sys.stdout, sys.stderr
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        try:
            yield text
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            sys.stdout, sys.stderr = streams
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            for name, handle in (("stdout", out), ("stderr", err)):
                handle.seek(0)
                text[name] = handle.read().decode("utf-8", "replace")


def call(entry: str, args: list[str]) -> int | None:
    """Run a console script's function in this process as its wrapper would; its exit code."""
    from hydra.core.global_hydra import GlobalHydra

    module, function = ENTRY_POINTS[entry].split(":")
    saved_argv, saved_env = sys.argv, dict(os.environ)
    sys.argv = [entry, *args]
    GlobalHydra.instance().clear()
    try:
        code = getattr(importlib.import_module(module), function)()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) or stop.code is None else 1
    except Exception:  # noqa: BLE001 - what the interpreter would do with an uncaught error
        traceback.print_exc()
        code = 1
    finally:
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
        GlobalHydra.instance().clear()
    return 0 if code is None else code


def judge(outcome: Outcome, names: tuple[str, ...]) -> None:
    """Set the outcome's verdict (see the module docstring)."""
    text = outcome.stdout + outcome.stderr
    lines = [line for line in text.splitlines() if line.strip()]
    outcome.missing = [name for name in names if name not in text]
    if "Traceback" in text:
        outcome.verdict = "traceback"
    elif outcome.code == 0:
        outcome.verdict = "accepted"
    elif outcome.code == 2 and len(lines) == 1 and not outcome.missing:
        outcome.verdict = "clear"
    else:
        outcome.verdict = "unclear"


def fill(text: str, tmp: Path) -> str:
    """Replace the placeholders ``{tmp}``, ``{sweep}`` and ``{run}`` (other braces are left alone)."""
    return text.replace("{tmp}", str(tmp)).replace("{sweep}", str(tmp / "sweep")).replace("{run}", str(tmp / "run"))


def run_case(case: BadInput, fixtures: Fixtures, base: Path) -> Outcome:
    """Try one bad input in a fresh working directory under ``base``."""
    tmp = base / case.id
    tmp.mkdir(parents=True)
    if case.setup is not None:
        case.setup(tmp, fixtures)
    before = snapshot(tmp)
    args = [fill(a, tmp) for a in case.args]
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        with captured() as text:
            code = call(case.entry, args)
    finally:
        os.chdir(cwd)
    after = snapshot(tmp)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    outcome = Outcome(case.id, case.entry, code, text["stdout"], text["stderr"], changed)
    judge(outcome, tuple(fill(n, tmp) for n in case.names))
    return outcome


def make_fixtures(base: Path) -> Fixtures:
    """Run the small sweep and main job the corpus corrupts or re-uses."""
    sweep_dir, run_dir = base / "fixture-sweep", base / "fixture-run"
    size = ["n_cases=40", "replications=2", "progress=false", "save_figures=false", "jobs=1"]
    with captured() as text:
        codes = (call("bargainsim", ["-m", "hydra/launcher=basic", f"hydra.sweep.dir={sweep_dir}",
                                     "reform=baseline,no_kpi", *size]),
                 call("bargainsim", [f"hydra.run.dir={run_dir}", "reform=baseline", *size]))
    if codes != (0, 0):
        raise RuntimeError(f"corpus fixtures failed ({codes}):\n{text['stderr'][-3000:]}")
    return Fixtures(sweep_dir, run_dir)


def run_all(base: Path, only: list[str] | None = None) -> list[Outcome]:
    """Every case of the corpus (or those named), each in its own directory under ``base``."""
    fixtures = make_fixtures(base / "fixtures")
    return [run_case(case, fixtures, base / "cases") for case in cases() if not only or case.id in only]


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    """The verdicts counted, and the refusals that left something behind."""
    tally = {verdict: 0 for verdict in ("clear", "unclear", "traceback", "accepted")}
    for outcome in outcomes:
        tally[outcome.verdict] += 1
    tally["left behind"] = sum(1 for o in outcomes if o.changed and o.verdict != "accepted")
    return tally


def main(argv: list[str] | None = None) -> int:
    """``python -m corpus [--json FILE] [ID ...]``: run the corpus, print the counts and every case not clear."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m corpus", description=main.__doc__)
    parser.add_argument("ids", nargs="*", help="run only these cases")
    parser.add_argument("--json", help="also write every outcome to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bargainsim-corpus-") as base:
        outcomes = run_all(Path(base), args.ids)
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    by_entry: dict[str, int] = {}
    for outcome in outcomes:
        by_entry[outcome.entry] = by_entry.get(outcome.entry, 0) + 1
    sys.stdout.write(f"{len(outcomes)} bad inputs: " + ", ".join(f"{n} {e}" for e, n in by_entry.items()) + "\n")
    sys.stdout.write(", ".join(f"{verdict} {n}" for verdict, n in counts(outcomes).items()) + "\n")
    for o in outcomes:
        if o.verdict != "clear" or o.changed:
            last = (o.stdout + o.stderr).strip().splitlines()[-1:] or [""]
            sys.stdout.write(f"  {o.verdict:9} {o.id}: exit {o.code}; missing {o.missing}; changed {o.changed[:3]}; "
                             f"{last[0][:160]}\n")
    return 0
