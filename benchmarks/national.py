"""A national year: ``bargainsim scale=national reform=baseline`` (1.7 million cases in 340 districts).

Runs the main job in a fresh process with ``--jobs`` worker processes (0 = all cores) and reports its wall time,
throughput, the CPU time of all its processes (on a machine shared with other work, CPU time ÷ workers estimates
the wall time on idle cores), and peak memory: of the largest process (its VmHWM, sampled from /proc: fork-server
workers are not waited-for children, so ``ru_maxrss`` misses them) and of the whole process tree (sampled every
0.1 s). Extra arguments are passed to ``bargainsim`` (e.g. ``n_cases=170000 districts=34`` for a tenth of the year).

    python benchmarks/national.py [--jobs 2] [override ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
from _common import ROOT, TreeMemory, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args()
    print(machine())
    script = Path(sys.executable).with_name("bargainsim")
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryFile(mode="w+") as errors:
        command = [str(script), "scale=national", "reform=baseline", f"jobs={args.jobs}", "progress=false",
                   f"hydra.run.dir={out}", *args.overrides]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        with TreeMemory(process.pid) as tree:
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        if process.returncode:
            errors.seek(0)
            raise SystemExit(f"the national run failed:\n{errors.read()}")
        rows = pq.ParquetFile(Path(out) / "cases.parquet").metadata.num_rows
    cpu = max(usage.ru_utime + usage.ru_stime, tree.cpu)
    largest = max(usage.ru_maxrss * 1024, tree.largest)
    print(f"{rows:,} cases, jobs={args.jobs}: {elapsed:.1f} s wall ({rows / elapsed:,.0f} cases/s); CPU time of all "
          f"processes {cpu:.1f} s ({cpu / max(1, args.jobs):.1f} s per worker: the wall time on idle cores); peak RSS "
          f"{largest / 2**20:.0f} MB (largest process), {tree.peak / 2**20:.0f} MB (process tree)")


if __name__ == "__main__":
    main()
