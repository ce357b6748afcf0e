"""Running arms × replications under common random numbers, and writing the results.

A task is one (arm, replication, district): it draws the district's case population and institution from their
own streams (identical for every arm), runs the model, and returns an Arrow table. A run split across districts
(``scale=national``) divides its jurisdiction — the cases, the arrival rate and every roster of ``caseload`` — into
equal independent districts, simulates each, and merges them. Tasks run serially or in worker processes (forked
from a fork server that imported the program once); their tables are streamed in task order into ``cases.parquet``
as they finish, and each (arm, replication)'s metrics are accumulated district by district, so the output does not
depend on the number of processes and memory does not grow with the number of cases. Every output file is written
to a temporary name and renamed into place, so an interrupted run leaves no file that looks complete.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import accumulate, groupby
from multiprocessing import forkserver, get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from bargainsim import analysis
from bargainsim.analysis.tables import SCHEMA, to_frame, to_table
from bargainsim.core.district import build_district, district_caseload, district_sizes
from bargainsim.harness.config import Arm, Settings
from bargainsim.harness.files import ensure_writable, write_atomic, write_provenance
from bargainsim.params import Behaviour, Caseload, Rules, Timing
from bargainsim.reporting.formatting import format_markdown

logger = logging.getLogger(__name__)


Done = TypeVar("Done")

DICTIONARY = [field.name for field in SCHEMA if field.type == pa.string()]
"""The columns Parquet stores dictionary-encoded: the categories (numbers seldom repeat; trying a dictionary on
them costs more time than it saves space)."""


@dataclass(frozen=True)
class Task:
    """One arm in one replication of one district (whose cases are numbered from ``first_case``); ``caseload``
    is the district's own (:func:`district_caseload`)."""

    arm: Arm
    replication: int
    seed: int
    n_cases: int
    behaviour: Behaviour
    caseload: Caseload
    timing: Timing
    district: int = 0
    first_case: int = 0


def simulate(task: Task) -> pa.Table:
    """Run one arm on one district's cases of one replication; the case records as an Arrow table."""
    model = build_district(task.arm.rules, task.behaviour, task.caseload, task.timing, task.n_cases, task.seed,
                           task.replication, task.district, task.first_case)
    rows = model.run()
    rows.sort_by_case()
    return to_table(rows, reform=task.arm.label, replication=task.replication, seed=task.seed)


def simulate_part(task: Task) -> tuple[pa.Table, analysis.Part]:
    """:func:`simulate`, with what the run's metrics need of the records (computed where the task runs)."""
    table = simulate(task)
    return table, analysis.Part.of(to_frame(table.select(list(analysis.CASE_COLUMNS))))


def status_quo_metrics(rules: Rules, behaviour: Behaviour, caseload: Caseload, timing: Timing, seed: int,
                       replications: int, n_cases: int, pool: Executor | None = None) -> pd.DataFrame:
    """Per-replication metrics of the status quo under ``rules`` and ``behaviour`` on ``replications`` ×
    ``n_cases`` cases of ``seed``; identical whatever the pool."""
    tasks = [Task(Arm(analysis.STATUS_QUO, (), rules), r, seed, n_cases, behaviour, caseload, timing)
             for r in range(replications)]
    tables = pool.map(simulate, tasks) if pool is not None else map(simulate, tasks)
    return analysis.run_metrics(to_frame(pa.concat_tables(list(tables))))


def tasks_for(settings: Settings) -> list[Task]:
    """Every (arm, replication, district) task, in output order. District ``d`` has its share of the cases and of
    the caseload, and numbers its cases after those of districts ``0..d-1``, so case ids are unique within a
    replication."""
    sizes = district_sizes(settings.n_cases, settings.districts)
    firsts = [0, *accumulate(sizes)][:-1]
    caseloads = [district_caseload(settings.caseload, settings.districts, d) for d in range(settings.districts)]
    return [Task(arm, r, settings.seed, size, settings.behaviour, caseload, settings.timing, d, first)
            for arm in settings.arms for r in range(settings.replications)
            for d, (size, first, caseload) in enumerate(zip(sizes, firsts, caseloads))]


def execute(tasks: list[Task], jobs: int = 1, progress: bool = False,
            work: Callable[[Task], Done] = simulate) -> Iterator[Done]:
    """Simulate tasks in order, in ``jobs`` worker processes (0 = all cores); yield what ``work`` returns of each
    (by default its table)."""
    workers = min(len(tasks), jobs or os.cpu_count() or 1)
    bar = tqdm(total=len(tasks), desc="arm × replication × district", unit="run", disable=not progress,
               leave=False)
    try:
        if workers <= 1:
            for task in tasks:
                yield work(task)
                bar.update()
            return
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(), initializer=leave_interrupts)
        try:
            for done in pool.map(work, tasks):
                yield done
                bar.update()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        bar.close()


def leave_interrupts() -> None:
    """In a worker: ignore Ctrl-C, which reaches the whole process group; the main process stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_context() -> BaseContext:
    """Worker processes forked from a fork server that has imported the program and the simulation once.

    Spawned workers would each import the main program again (the command line imports Hydra, pandas, SciPy and
    Matplotlib: seconds per worker); forked from the server they start at once. The server is started cleanly
    (not forked from this process and its threads) on the first pool and serves every later pool of the process.
    It starts with Ctrl-C ignored (an ignored signal stays ignored in the program it runs): the server ignores it
    once it has imported the program, and a Ctrl-C while it imports would otherwise print its traceback; this
    process handles Ctrl-C and stops the pool.
    """
    context = get_context("forkserver")
    context.set_forkserver_preload(["__main__", "bargainsim.harness.experiment", "bargainsim.harness.forkserver"])
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
    return context


@dataclass(frozen=True)
class Results:
    """A finished run: the per-run metrics, the summary, and the files written."""

    metrics: pd.DataFrame
    summary: pd.DataFrame
    files: dict[str, Path]

    @property
    def cases(self) -> pd.DataFrame:
        """The case records, read from ``cases.parquet`` on demand (they are streamed to disk, not kept)."""
        return to_frame(pq.read_table(self.files["cases"]))


def stream_cases(tasks: list[Task], tables: Iterator[tuple[pa.Table, analysis.Part]], path: Path | None
                 ) -> pd.DataFrame:
    """Write the tasks' tables, in task order, into one Parquet file at ``path`` (atomically; no file when ``path``
    is None); return the metrics of each (arm, replication), accumulated district by district (nothing holds a
    run's cases at once)."""
    metrics = []

    def collect(writer: pq.ParquetWriter | None) -> None:
        runs = groupby(zip(tasks, tables), key=lambda done: (done[0].arm.label, done[0].replication))
        for _, finished in runs:
            accumulator = analysis.MetricsAccumulator()
            for _, (table, part) in finished:
                if writer is not None:
                    writer.write_table(table)
                accumulator.add(part)
            metrics.append(accumulator.metrics())

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(tmp, SCHEMA, use_dictionary=DICTIONARY) as writer:
            collect(writer)

    if path is None:
        collect(None)
    else:
        write_atomic(path, write)
    return pd.concat(metrics, ignore_index=True)


def run(settings: Settings, out_dir: Path | str) -> Results:
    """Run every arm and replication and write cases.parquet, summary.csv, summary.md, figures and run.json."""
    out_dir = Path(out_dir)
    ensure_writable(out_dir)
    tasks = tasks_for(settings)
    logger.info("running %d arms × %d replications × %d cases in %d district(s)", len(settings.arms),
                settings.replications, settings.n_cases, settings.districts)
    cases_path = out_dir / "cases.parquet" if settings.save_cases else None
    metrics = stream_cases(tasks, execute(tasks, settings.jobs, settings.progress, simulate_part), cases_path)
    summary = analysis.summarize(metrics)
    files = {
        "metrics": write_atomic(out_dir / "metrics.csv", lambda p: metrics.to_csv(p, index=False)),
        "summary": write_atomic(out_dir / "summary.csv", lambda p: summary.to_csv(p, index=False)),
        "report": write_atomic(out_dir / "summary.md",
                               lambda p: p.write_text(format_markdown(summary), encoding="utf-8")),
        "provenance": write_provenance(settings, out_dir),
    }
    if cases_path is not None:
        files["cases"] = cases_path
    if settings.save_figures:
        from bargainsim.reporting import plots  # Matplotlib is loaded only by runs that draw (sweep jobs do not)

        files["outcomes_figure"] = write_atomic(out_dir / "outcomes_by_reform.png",
                                                lambda p: plots.plot_outcomes_by_reform(summary, p))
        files["tradeoff_figure"] = write_atomic(out_dir / "tradeoff.png", lambda p: plots.plot_tradeoff(summary, p))
    return Results(metrics, summary, files)
