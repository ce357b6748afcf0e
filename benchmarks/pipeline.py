"""Where a task's time goes: the cost per case of each step of one district's run through the main job's pipeline.

In the worker: drawing the population, the district's arrays, the compiled kernel, the records, the Arrow table,
the metrics part; in the main process: unpickling the table, writing it to Parquet (as ``cases.parquet`` is
written, and with dictionaries tried on every column for comparison), folding the metrics part, and the run's
metrics. Wall-clock, best of ``--repeats`` per step, on ``--cases`` cases of the status quo.

    python benchmarks/pipeline.py [--cases 12000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import io
import pickle
import time
from collections.abc import Callable

import pyarrow.parquet as pq
from _common import machine

from bargainsim import analysis
from bargainsim.analysis.tables import SCHEMA, to_frame, to_table
from bargainsim.core.compiled.engine import CompiledRun
from bargainsim.core.district import build_district
from bargainsim.core.record import CaseLog
from bargainsim.harness.experiment import DICTIONARY
from bargainsim.params import Behaviour, Caseload, Rules, Timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=12000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    n = args.cases
    best: dict[str, float] = {}

    def timed(step: str, work: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = work()
        best[step] = min(best.get(step, float("inf")), time.perf_counter() - start)
        return result

    def parquet(table: object, **options: object) -> None:
        with pq.ParquetWriter(io.BytesIO(), SCHEMA, **options) as writer:
            writer.write_table(table)

    build_district(Rules(), Behaviour(), Caseload(), Timing(), 200, 0).run()  # warm-up: the compiled kernels
    for repeat in range(args.repeats):
        model = timed("worker: draw the population", lambda: build_district(Rules(), Behaviour(), Caseload(),
                                                                            Timing(), n, repeat))
        run = timed("worker: the district's arrays", lambda: CompiledRun(model))
        timed("worker: the compiled kernel", lambda: run.run_until(n))
        columns = timed("worker: the records", run.finish)
        log = CaseLog(columns)
        table = timed("worker: the Arrow table", lambda: to_table(log, reform="status_quo", replication=0,
                                                                  seed=repeat))
        part = timed("worker: the metrics part",
                     lambda: analysis.Part.of(to_frame(table.select(list(analysis.CASE_COLUMNS)))))
        data = pickle.dumps((table, part))
        table, part = timed("main: unpickle", lambda: pickle.loads(data))
        timed("main: Parquet (dictionaries for categories)", lambda: parquet(table, use_dictionary=DICTIONARY))
        timed("main: Parquet (dictionaries tried everywhere)", lambda: parquet(table))
        accumulator = analysis.MetricsAccumulator()
        timed("main: fold the metrics part", lambda: accumulator.add(part))
        timed("main: the run's metrics", accumulator.metrics)
    for step, seconds in best.items():
        print(f"{step:<48} {1e6 * seconds / n:6.2f} µs per case")


if __name__ == "__main__":
    main()
