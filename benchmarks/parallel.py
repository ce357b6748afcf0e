"""Parallel efficiency of a sweep: the same arms × replications with 1, 2, … worker processes.

The sweep is the main job's own machinery (``experiment.run``: tasks in worker processes, records streamed to
disk, metrics, summary and figures) on ``--arms`` arms × ``--replications`` replications × ``--cases`` cases.
Efficiency with p processes is T1 / (p · Tp), wall-clock, best of ``--repeats``. On a machine shared with other
work, wall-clock times (and hence efficiency) are pessimistic.

    python benchmarks/parallel.py [--processes 1 2] [--arms 4] [--replications 4] [--cases 6000]
    python benchmarks/parallel.py --processes 1 2 4 8 16 --replications 16     # on a 16-core machine
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace

from _common import machine

from bargainsim.config import Settings, arms_for
from bargainsim.experiment import run
from bargainsim.params import Behaviour, Caseload, Rules, Timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--arms", type=int, default=4)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--cases", type=int, default=6000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    print(machine())
    arms = arms_for(None, Rules())[:args.arms]
    settings = Settings(7, args.replications, args.cases, 1, False, Behaviour(), Caseload(), Timing(), arms)
    times: dict[int, float] = {}
    for processes in args.processes:
        best = float("inf")
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as out:
                start = time.perf_counter()
                run(replace(settings, jobs=processes), out)
                best = min(best, time.perf_counter() - start)
        times[processes] = best
        base = times[min(times)] * min(times)
        print(f"{processes:>3} processes: {best:7.2f} s for {len(arms)} arms × {args.replications} replications × "
              f"{args.cases} cases; speed-up {base / best:.2f}, efficiency {base / (processes * best):.0%}")


if __name__ == "__main__":
    main()
