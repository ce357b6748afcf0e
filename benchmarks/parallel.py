"""Parallel efficiency of a sweep: the same arms × replications with 1, 2, … worker processes.

The sweep is the main job's own machinery (``experiment.run``: tasks in worker processes, records streamed to
disk, metrics, summary and figures) on ``--arms`` arms × ``--replications`` replications × ``--cases`` cases.
Efficiency with p processes is T1 / (p · Tp), wall-clock, best of ``--repeats``. On a machine shared with other
work, wall-clock times (and hence efficiency) are pessimistic.

    python benchmarks/parallel.py [--processes 1 2] [--arms 4] [--replications 4] [--cases 6000]
    python benchmarks/parallel.py --processes 1 2 4 8 16 --replications 16     # on a 16-core machine
    python benchmarks/parallel.py --launcher [--processes 1 2]                  # a Hydra multirun instead

With ``--launcher`` the sweep is a Hydra multirun (``bargainsim -m``, one job per reform, each beside the status
quo, as in ``experiments/reform_comparison.yaml``) run by the joblib launcher with ``hydra.launcher.n_jobs`` = p
processes, timed from the command's start to its end (interpreter and import start-up included).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from _common import ROOT, machine

from bargainsim.harness.config import Settings, arms_for
from bargainsim.harness.experiment import run
from bargainsim.params import Behaviour, Caseload, Rules, Timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--arms", type=int, default=4)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--cases", type=int, default=6000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--launcher", action="store_true", help="time a Hydra multirun through the joblib launcher")
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
                if args.launcher:
                    sweep(arms[1:], args, processes, out)
                else:
                    run(replace(settings, jobs=processes), out)
                best = min(best, time.perf_counter() - start)
        times[processes] = best
        base = times[min(times)] * min(times)
        what = f"{len(arms) - 1} jobs of 2 arms" if args.launcher else f"{len(arms)} arms"
        print(f"{processes:>3} processes: {best:7.2f} s for {what} × {args.replications} replications × "
              f"{args.cases} cases; speed-up {base / best:.2f}, efficiency {base / (processes * best):.0%}")


def sweep(arms: list, args: argparse.Namespace, processes: int, out: str) -> None:
    """One Hydra multirun: a job per reform arm (beside the status quo), ``processes`` launcher processes."""
    reforms = ",".join(arm.label for arm in arms)
    command = [str(Path(sys.executable).with_name("bargainsim")), "-m", f"reform={reforms}",
               f"replications={args.replications}", f"n_cases={args.cases}", "save_cases=false",
               "save_figures=false", "progress=false", f"hydra.launcher.n_jobs={processes}",
               f"hydra.sweep.dir={out}"]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
