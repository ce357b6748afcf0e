"""Peak memory as the number of cases grows: the main job at 10⁴, 10⁵, 10⁶ cases, each in a fresh process.

Each size runs ``bargainsim reform=baseline`` (one replication, the status quo) split into districts of at most
``--district`` cases (the default district's year is 5,000), each with the default caseload (the jurisdiction's
caseload is that many times the default), so the simulation's working set is one district per worker while
records stream to ``cases.parquet``. Reported: peak RSS of the largest process (its VmHWM sampled from /proc) and
of the whole process tree (sampled every 0.1 s), and the wall time.

    python benchmarks/memory.py [--sizes 10000 100000 1000000] [--jobs 1]
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from _common import default_districts, machine, run_main_job


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--district", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    print(machine())
    for size in args.sizes:
        districts = max(1, math.ceil(size / args.district))
        with tempfile.TemporaryDirectory() as out:
            run = run_main_job(out, "reform=baseline", "replications=1", f"n_cases={size}",
                               *default_districts(districts), f"jobs={args.jobs}", what=f"run of {size} cases")
            written = (Path(out) / "cases.parquet").stat().st_size
        print(f"{size:>9,} cases in {districts:>3} district(s), jobs={args.jobs}: peak RSS {run.largest / 2**20:6.0f} "
              f"MB (largest process), {run.tree / 2**20:6.0f} MB (process tree); {run.wall:6.1f} s wall, "
              f"{run.cpu:6.1f} s CPU; cases.parquet {written / 2**20:.1f} MB")

if __name__ == "__main__":
    main()
