"""Peak memory as the number of cases grows: the main job at 10⁴, 10⁵, 10⁶ cases, each in a fresh process.

Each size runs ``bargainsim reform=baseline`` (one replication, the status quo) split into districts of at most
``--district`` cases (the default district's year is 5,000), so the simulation's working set is one district
per worker while records stream to ``cases.parquet``. Reported: peak RSS of the largest process (its VmHWM
sampled from /proc) and of the whole process tree (sampled every 0.1 s), and the wall time.

    python benchmarks/memory.py [--sizes 10000 100000 1000000] [--jobs 1]
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, TreeMemory, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--district", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    print(machine())
    script = Path(sys.executable).with_name("bargainsim")
    for size in args.sizes:
        districts = max(1, math.ceil(size / args.district))
        with tempfile.TemporaryDirectory() as out:
            command = [str(script), "reform=baseline", "replications=1", f"n_cases={size}", f"districts={districts}",
                       f"jobs={args.jobs}", "progress=false", f"hydra.run.dir={out}"]
            errors = tempfile.TemporaryFile(mode="w+")
            start = time.perf_counter()
            process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
            with TreeMemory(process.pid) as tree:
                _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            elapsed = time.perf_counter() - start
            if process.returncode:
                errors.seek(0)
                raise SystemExit(f"run of {size} cases failed:\n{errors.read()}")
            written = (Path(out) / "cases.parquet").stat().st_size
        largest = max(usage.ru_maxrss * 1024, tree.largest)
        cpu = max(usage.ru_utime + usage.ru_stime, tree.cpu)
        print(f"{size:>9,} cases in {districts:>3} district(s), jobs={args.jobs}: peak RSS {largest / 2**20:6.0f} "
              f"MB (largest process), {tree.peak / 2**20:6.0f} MB (process tree); {elapsed:6.1f} s wall, "
              f"{cpu:6.1f} s CPU; "
              f"cases.parquet {written / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
