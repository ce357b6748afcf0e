"""Bad inputs to `bargainsim-report`.

Most cases start from a copy of the corpus's finished two-job sweep (``copy_sweep``: job 0 the status quo, job 1
``no_kpi``) and damage it: a result file garbled or truncated and its marker rewritten to match (so the damage
passes the marker's digests), a configuration changed so the jobs no longer compare, an output directory that
cannot or must not hold the report.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from corpus import BadInput, Fixtures, Setup, call, captured, copy_sweep

REPO = Path(__file__).resolve().parents[2]


def reseal(job_dir: Path, name: str) -> None:
    """Rewrite the job's marker so that it vouches for ``name`` as it is now."""
    marker_path = job_dir / "job.json"
    marker = json.loads(marker_path.read_text(encoding="utf-8"))
    content = (job_dir / name).read_bytes()
    marker["files"][name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    marker_path.write_text(json.dumps(marker, indent=2), encoding="utf-8")


def damaged(job: str, name: str, damage: Callable[[bytes], bytes]) -> Setup:
    """Setup: a copy of the sweep whose job's file ``name`` is damaged, its marker rewritten to match."""
    def setup(tmp: Path, fixtures: Fixtures) -> None:
        copy_sweep(tmp, fixtures)
        path = tmp / "sweep" / job / name
        path.write_bytes(damage(path.read_bytes()))
        reseal(path.parent, name)
    return setup


def half(content: bytes) -> bytes:
    return content[: len(content) // 2]


def garble(content: bytes) -> bytes:
    """Every other byte of the middle third replaced."""
    third = len(content) // 3
    middle = bytes(b ^ 0x5A if i % 2 else b for i, b in enumerate(content[third: 2 * third]))
    return content[:third] + middle + content[2 * third:]


def setting(key: str, value: str) -> Callable[[bytes], bytes]:
    """Damage: config.yaml with a top-level or nested ``key`` (``section.name``) set to ``value``."""
    section, _, name = key.rpartition(".")

    def change(content: bytes) -> bytes:
        lines, inside = content.decode("utf-8").splitlines(keepends=True), not section
        for i, line in enumerate(lines):
            if section and not line.startswith(" "):
                inside = line.startswith(f"{section}:")
            if inside and line.strip().startswith(f"{name}:"):
                indent = line[: len(line) - len(line.lstrip())]
                lines[i] = f"{indent}{name}: {value}\n"
                return "".join(lines).encode("utf-8")
        raise KeyError(key)
    return change


def written(relative: str, text: str, sweep: bool = True) -> Setup:
    """Setup: (a copy of the sweep and) a file with ``text`` at ``relative`` under the case's directory."""
    def setup(tmp: Path, fixtures: Fixtures) -> None:
        if sweep:
            copy_sweep(tmp, fixtures)
        path = tmp / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return setup


def markers(text: str) -> Setup:
    """Setup: a copy of the sweep whose every job's marker reads ``text``."""
    def setup(tmp: Path, fixtures: Fixtures) -> None:
        copy_sweep(tmp, fixtures)
        for marker in (tmp / "sweep").glob("*/job.json"):
            marker.write_text(text, encoding="utf-8")
    return setup


def empty_directory(tmp: Path, fixtures: Fixtures) -> None:
    (tmp / "empty").mkdir()


def sensitivity_sweep(damage: Callable[[bytes], bytes]) -> Setup:
    """Setup: a one-job sensitivity sweep (N = 2, 20 cases) whose points.csv is damaged, its marker resealed."""
    def setup(tmp: Path, fixtures: Fixtures) -> None:
        with captured() as text:
            code = call("bargainsim", [
                "--config-dir", str(REPO / "experiments"), "--config-name", "sensitivity", "-m",
                "hydra/launcher=basic", f"hydra.sweep.dir={tmp / 'sweep'}", "sensitivity.n_base=2",
                "sensitivity.chunks=1", "sensitivity.chunk=0", "n_cases=20", "replications=1", "jobs=1"])
        if code != 0:
            raise RuntimeError(f"sensitivity sweep failed ({code}): {text['stderr'][-2000:]}")
        path = tmp / "sweep" / "0" / "points.csv"
        path.write_bytes(damage(path.read_bytes()))
        reseal(path.parent, "points.csv")
    return setup


def over_a_report(setup: Setup) -> Setup:
    """Setup: a report of the intact sweep at ``{tmp}/out``, then ``setup`` (which damages the sweep)."""
    def prepare(tmp: Path, fixtures: Fixtures) -> None:
        copy_sweep(tmp, fixtures)
        with captured() as text:
            code = call("bargainsim-report", [str(tmp / "sweep"), "--out", str(tmp / "out")])
        if code != 0:
            raise RuntimeError(f"report failed ({code}): {text['stderr'][-2000:]}")
        shutil.rmtree(tmp / "sweep")
        setup(tmp, fixtures)
    return prepare


def report(case_id: str, args: tuple[str, ...], names: tuple[str, ...], setup: Setup | None = copy_sweep) -> BadInput:
    return BadInput(case_id, "bargainsim-report", args, names, setup)


OUT = ("--out", "{tmp}/out")

CASES: list[BadInput] = [
    # The command line.
    report("report-no-arguments", (), ("SWEEP_DIR", "usage: bargainsim-report"), None),
    report("report-unknown-option", ("{sweep}", "--frobnicate"), ("--frobnicate", "--allow-mixed", "--out DIR")),
    report("report-out-without-value", ("{sweep}", "--out"), ("--out", "expected one argument")),
    report("report-baseline-without-value", ("{sweep}", "--baseline"), ("--baseline", "expected one argument")),
    report("report-baseline-unknown", ("{sweep}", "--baseline", "no_such_arm", *OUT),
           ("--baseline 'no_such_arm'", "arms: status_quo, no_kpi")),
    # The sweep directory.
    report("report-sweep-missing", ("{tmp}/no_such_sweep",), ("{tmp}/no_such_sweep", "does not exist",
                                                              "hydra.sweep.dir"), None),
    report("report-sweep-is-a-file", ("{tmp}/notes.txt", *OUT), ("{tmp}/notes.txt", "is a file", "hydra.sweep.dir"),
           written("notes.txt", "not a sweep\n", sweep=False)),
    report("report-sweep-empty", ("{tmp}/empty", *OUT), ("{tmp}/empty", "not a sweep directory", "multirun.yaml"),
           empty_directory),
    report("report-no-completed-job", ("{sweep}", *OUT), ("no completed jobs", "job.json", "run or resume the sweep"),
           markers('{"files": {"metrics.csv": {"size": 1, "sha256": "0"}}}')),
    report("report-markers-malformed", ("{sweep}", *OUT), ("no completed jobs", "job.json"), markers("[1, 2]")),
    report("report-multirun-malformed", ("{sweep}", *OUT), ("{sweep}/multirun.yaml", "run the sweep command again"),
           written("sweep/multirun.yaml", "hydra: [unclosed\n")),
    report("report-multirun-a-list", ("{sweep}", *OUT), ("{sweep}/multirun.yaml", "not a mapping"),
           written("sweep/multirun.yaml", "- 1\n- 2\n")),
    # Result files damaged after the job finished, their markers rewritten to match.
    report("report-metrics-truncated", ("{sweep}", *OUT), ("{sweep}/1/metrics.csv", "truncated", "re-run the sweep"),
           damaged("1", "metrics.csv", half)),
    report("report-metrics-garbled", ("{sweep}", *OUT), ("{sweep}/1/metrics.csv", "{sweep}/1/job.json"),
           damaged("1", "metrics.csv", garble)),
    report("report-metrics-rows-lost", ("{sweep}", *OUT), ("{sweep}/0/metrics.csv", "replications 0 to 1"),
           damaged("0", "metrics.csv", lambda c: b"".join(c.splitlines(keepends=True)[:-1]))),
    report("report-config-garbled", ("{sweep}", *OUT), ("{sweep}/0/config.yaml", "re-run the sweep"),
           damaged("0", "config.yaml", lambda c: b"rules: [unclosed\n" + c)),
    report("report-config-truncated", ("{sweep}", *OUT), ("{sweep}/1/config.yaml", "re-run the sweep"),
           damaged("1", "config.yaml", half)),
    report("report-cases-truncated", ("{sweep}", *OUT), ("{sweep}/1/cases.parquet", "re-run the sweep"),
           damaged("1", "cases.parquet", half)),
    report("report-cases-not-parquet", ("{sweep}", *OUT), ("{sweep}/0/cases.parquet", "re-run the sweep"),
           damaged("0", "cases.parquet", lambda c: b"case_id,reform\n0,status_quo\n")),
    report("report-cases-truncated-over-a-report", ("{sweep}", *OUT), ("{sweep}/0/cases.parquet", "re-run the sweep"),
           over_a_report(damaged("0", "cases.parquet", half))),
    report("report-points-truncated", ("{sweep}", *OUT), ("{sweep}/0/points.csv", "re-run the sweep"),
           sensitivity_sweep(half)),
    # Jobs that do not compare.
    report("report-mixed-case-counts", ("{sweep}", *OUT),
           ("job 0 ran n_cases = 40", "job 1 ran n_cases = 300", "--allow-mixed"),
           damaged("1", "config.yaml", setting("n_cases", "300"))),
    report("report-mixed-replications", ("{sweep}", *OUT), ("replications = 2", "replications = 3", "--allow-mixed"),
           damaged("0", "config.yaml", setting("replications", "3"))),
    report("report-mixed-districts", ("{sweep}", *OUT), ("districts = 1", "districts = 4", "--allow-mixed"),
           damaged("1", "config.yaml", setting("districts", "4"))),
    report("report-mixed-commands", ("{sweep}", *OUT),
           ("behaviour.risk_aversion", "not a parameter of the sweep", "--allow-mixed"),
           damaged("1", "config.yaml", setting("behaviour.risk_aversion", "2.5"))),
    # Where the report would go.
    report("report-out-empty", ("{sweep}", "--out", ""), ("--out is empty",)),
    report("report-out-is-a-file", ("{sweep}", "--out", "{sweep}/multirun.yaml"),
           ("--out={sweep}/multirun.yaml", "is a file")),
    report("report-out-under-a-file", ("{sweep}", "--out", "{sweep}/multirun.yaml/report"),
           ("--out={sweep}/multirun.yaml/report", "lies under {sweep}/multirun.yaml")),
    report("report-out-not-writable", ("{sweep}", "--out", "/proc/sys/bargainsim-report"),
           ("--out=/proc/sys/bargainsim-report", "not writable")),
    report("report-out-is-the-sweep", ("{sweep}", "--out", "{sweep}"),
           ("--out={sweep}", "multirun.yaml", "empty or new directory")),
    report("report-out-is-a-job", ("{sweep}", "--out", "{sweep}/0"),
           ("--out={sweep}/0", "job.json", "empty or new directory")),
    report("report-out-holds-notes", ("{sweep}", *OUT), ("--out={tmp}/out", "notes.txt", "empty or new directory"),
           written("out/notes.txt", "my notes\n")),
    report("report-default-out-is-a-file", ("{sweep}",), ("--out={sweep}/report", "is a file", "pass --out DIR"),
           written("sweep/report", "not a directory\n")),
    report("report-default-out-holds-notes", ("{sweep}",), ("--out={sweep}/report", "notes.txt", "pass --out DIR"),
           written("sweep/report/notes.txt", "my notes\n")),
]
