"""A national year: ``bargainsim scale=national reform=baseline`` (1.7 million cases in 340 districts).

Runs the main job in a fresh process with ``--jobs`` worker processes (0 = all cores) and reports its wall time,
throughput, the CPU time of all its processes (on a machine shared with other work, CPU time ÷ workers estimates
the wall time on idle cores), and peak memory: of the largest process (its VmHWM, sampled from /proc: fork-server
workers are not waited-for children, so ``ru_maxrss`` misses them) and of the whole process tree (sampled every
0.1 s). ``--districts D`` runs D districts with the default caseload each instead of the preset's 340 (the
jurisdiction's caseload D times the default): ``--districts 34 n_cases=170000`` is a tenth of the year. Extra
arguments are passed to ``bargainsim``.

    python benchmarks/national.py [--jobs 2] [--districts D] [override ...]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from _common import default_districts, machine, run_main_job


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--districts", type=int, default=None)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as out:
        districts = default_districts(args.districts) if args.districts else []
        run = run_main_job(out, "scale=national", "reform=baseline", f"jobs={args.jobs}", *districts,
                           *args.overrides, what="the national run")
        rows = pq.ParquetFile(Path(out) / "cases.parquet").metadata.num_rows
    print(f"{rows:,} cases, jobs={args.jobs}: {run.wall:.1f} s wall ({rows / run.wall:,.0f} cases/s); CPU time of all "
          f"processes {run.cpu:.1f} s ({run.cpu / max(1, args.jobs):.1f} s per worker: the wall time on idle cores); "
          f"peak RSS {run.largest / 2**20:.0f} MB (largest process), {run.tree / 2**20:.0f} MB (process tree)")

if __name__ == "__main__":
    main()
