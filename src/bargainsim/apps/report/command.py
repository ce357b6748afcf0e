"""`bargainsim-report MULTIRUN_DIR`: collect a sweep's completed jobs into one dataset and write its report.

A job counts when its completion marker is present and every result file it lists is intact (see
:mod:`bargainsim.harness.sweep`); the others are listed as incomplete. Three kinds of sweep are recognised:

* **reform arms** (jobs run reforms beside the status quo): each reform is compared with the status quo of the
  same scenario (the other swept parameters), pairing runs by replication, which share their cases (common
  random numbers);
* **grids** (every job runs the status quo under swept rules or parameters): each grid cell is an arm, compared
  with the reference cell (the values of the study's own configuration); 2-D grids get heatmaps;
* **sensitivity** (jobs evaluate chunks of a Sobol design): first-order and total Sobol indices with bootstrap
  confidence intervals.

The comparison table gives, per outcome and arm, the mean with its 95% CI, the paired difference vs the baseline
with its CI, the paired effect size d_z (mean difference / SD of the differences), the paired t-test p-value and
the Holm-adjusted p-value (family: the arms compared with the baseline on one outcome, within one scenario).
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

from bargainsim.apps.report.comparison import design
from bargainsim.apps.report.jobs import JOB, KIND, ReportError, Sweep, collect, sweep_directory
from bargainsim.apps.report.sections import (
    ReportFiles,
    comparison_sections,
    config_section,
    robustness_sections,
    sensitivity_sections,
)
from bargainsim.apps.scripts import ArgumentParser, guarded
from bargainsim.harness import rundir, sweep
from bargainsim.params import ConfigError

REPORT_FILE = re.compile(r"^(?:report\.md|(?:metrics|points)\.(?:csv|parquet)|comparison(?:_by_track)?\.csv|sobol\.csv"
                         r"|(?:effects|robustness|prim|jurisdictions|resemblances)\.csv"
                         r"|(?:outcomes_by_arm|tradeoff|tracks|heatmap|sobol|robustness|jurisdictions)[^/]*\.png)$")
"""The names of the files a report writes: what ``--out`` may hold besides the report's marker."""


def previous_report(out_dir: Path, key: str = "--out") -> list[str]:
    """The files of an earlier report that ``out_dir`` holds, which a new report replaces; ReportError if it holds
    anything else (another run, the user's own files). A report's files are those its marker lists and those named
    as a report names them (a report made before markers, or one interrupted while being swapped in)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    marker = rundir.read_marker(out_dir)
    ours = marker is not None and marker.get("kind") == KIND
    listed = set(marker["files"]) if ours else set()
    names, others = [], []
    for path in sorted(out_dir.iterdir()):
        if rundir.is_temporary(path.name) or (path.name == rundir.MARKER and ours):
            continue
        report_file = path.is_file() and not path.is_symlink() and (REPORT_FILE.match(path.name) or path.name in listed)
        (names if report_file else others).append(path.name)
    if others:
        shown = ", ".join(others[:4]) + (", …" if len(others) > 4 else "")
        raise ReportError(f"{key}={out_dir} holds files that are not a previous report's ({shown}); choose an empty "
                          f"or new directory")
    return names


def write_report(result: Sweep, out_dir: Path, baseline: str | None = None, level: float = 0.95) -> dict[str, Path]:
    """Write the dataset, the tables, the figures and report.md into a staging directory, then swap them into
    ``out_dir`` in place of the previous report (whose files are all removed) and seal them with the marker
    ``job.json`` (kind ``report``, with a fingerprint of the inputs). A failed or interrupted report leaves the
    previous report or nothing that looks complete, and removes the directories it created. The files, by name."""
    out_dir = Path(out_dir)
    stale = previous_report(out_dir)
    created = rundir.missing_ancestor(out_dir)
    inputs = {"jobs": result.inputs, "baseline": baseline, "level": level}
    extra = {"kind": KIND, "sweep": str(result.directory), "jobs": list(result.jobs[JOB]),
             "incomplete": result.incomplete}
    try:
        with rundir.staged(out_dir) as staging:
            files = _write_files(result, staging, baseline, level)
            return rundir.commit(out_dir, staging, files, sweep.fingerprint(inputs), extra, stale)
    except BaseException:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise



def _write_files(result: Sweep, out_dir: Path, baseline: str | None, level: float) -> dict[str, Path]:
    """Write the dataset, the tables, the figures and report.md into ``out_dir``; the files written, by name."""
    files = ReportFiles(out_dir)
    lines = [f"# {result.study.replace('_', ' ').capitalize()}: sweep report", "",
             f"Generated by `bargainsim-report` (bargainsim {_version()}) from {len(result.jobs)} completed jobs."]
    if result.robustness is not None:
        lines += robustness_sections(result, files, level)
    elif result.points is not None:
        lines += sensitivity_sections(result, files, level)
    else:
        lines += comparison_sections(result, files, baseline, level)
    lines += [""] + config_section(result)
    files.write("report.md", lambda p: p.write_text("\n".join(lines) + "\n", encoding="utf-8"))
    return files.written


def _version() -> str:
    try:
        return metadata.version("bargainsim")
    except metadata.PackageNotFoundError:
        return "unknown"


def parser() -> ArgumentParser:
    """The command line of ``bargainsim-report``."""
    p = ArgumentParser(prog="bargainsim-report", description=__doc__.split("\n\n")[0])
    p.add_argument("sweep_dir", metavar="SWEEP_DIR",
                   help="a Hydra multirun directory (hydra.sweep.dir) of bargainsim jobs")
    p.add_argument("--out", metavar="DIR",
                   help="where to write the report: a new or empty directory, or one holding an earlier report, "
                        "which is replaced whole (default: SWEEP_DIR/report)")
    p.add_argument("--baseline", metavar="ARM",
                   help="arm to compare against (default: status_quo, or a grid's reference cell)")
    p.add_argument("--allow-mixed", action="store_true",
                   help="combine jobs of different sizes (n_cases, districts, replications) or of different "
                        "commands, which are refused otherwise")
    return p


def main(argv: list[str] | None = None) -> int:
    """`bargainsim-report MULTIRUN_DIR [--out DIR] [--baseline ARM] [--allow-mixed]`: tables, figures and report.md
    for a sweep. Bad input (exit code 2) is refused before anything is written."""
    p = parser()
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    out_dir = Path(args.out) if args.out is not None else Path(args.sweep_dir) / "report"

    def report() -> int:
        sweep_directory(args.sweep_dir)
        try:
            rundir.check_directory(out_dir if args.out is None else args.out, "--out")
            previous_report(out_dir)
        except ConfigError as error:
            if args.out is None:
                raise ReportError(f"{error} (--out defaults to SWEEP_DIR/report; pass --out DIR)") from None
            raise
        result = collect(args.sweep_dir, args.allow_mixed)
        if args.baseline is not None and result.points is None:
            design(result, args.baseline)
        files = write_report(result, out_dir, args.baseline)
        sys.stdout.write(f"Report of {len(result.jobs)} jobs in {out_dir}:\n")
        for path in files.values():
            sys.stdout.write(f"  {path.name}\n")
        return 0

    return guarded(p.prog, report)


if __name__ == "__main__":
    sys.exit(main())
