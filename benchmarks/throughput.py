"""Simulated cases per second on one core, status quo and full package, at steady state.

One district (the default caseload) runs ``--cases`` cases per repeat; the steady-state rate counts the cases
disposed of while the first 20% to the last 20% of the records are written (the court's calendar full, arrivals
and dispositions in balance), timing only the model's days. The best of ``--repeats`` repeats is reported — other
processes on a shared machine only ever slow a repeat down — as wall-clock and as CPU time of this process.

A model nobody watches runs compiled (:mod:`bargainsim.core.compiled`); ``--watched`` also times the Python
procedure, which runs when a tracker watches the model (the transcript, the classroom), day by day.

    python benchmarks/throughput.py [--cases 20000] [--repeats 5] [--watched]
"""

from __future__ import annotations

import time

from _common import timing_options

from bargainsim.core.compiled.engine import CompiledRun
from bargainsim.core.district import build_district
from bargainsim.core.trackers import Tracker
from bargainsim.harness.config import STATUS_QUO, Arm, make_arm, reform_catalogue
from bargainsim.params import Behaviour, Caseload, Rules, Timing


def steady_rate(arm: Arm, n_cases: int, seed: int, watched: bool = False) -> tuple[float, float, float]:
    """(whole-run cases/s, steady-state cases/s wall, steady-state cases/s CPU) of one model run, compiled or (if
    ``watched``) in Python under a passive tracker."""
    model = build_district(arm.rules, Behaviour(), Caseload(), Timing(), n_cases, seed,
                           trackers=(Tracker(),) if watched else ())
    low, high = int(0.2 * n_cases), int(0.8 * n_cases)
    marks: dict[str, tuple[float, float, int]] = {}
    start = time.perf_counter()
    if watched:
        while len(model.records) < n_cases:
            model.step()
            done = len(model.records)
            if "low" not in marks and done >= low:
                marks["low"] = (time.perf_counter(), time.process_time(), done)
            if "high" not in marks and done >= high:
                marks["high"] = (time.perf_counter(), time.process_time(), done)
    else:
        run = CompiledRun(model)
        for mark, target in (("low", low), ("high", high)):
            run.run_until(target)
            marks[mark] = (time.perf_counter(), time.process_time(), run.disposed)
        run.finish()
    whole = n_cases / (time.perf_counter() - start)
    (w0, c0, n0), (w1, c1, n1) = marks["low"], marks["high"]
    return whole, (n1 - n0) / (w1 - w0), (n1 - n0) / max(c1 - c0, 1e-9)


def main() -> None:
    args = timing_options(__doc__)
    arms = [Arm(STATUS_QUO, (), Rules()), make_arm(reform_catalogue()["full_package"], Rules())]
    for watched in (False, True) if args.watched else (False,):
        for arm in arms:
            steady_rate(arm, 2000, 99, watched)  # warm-up: imports, compiled kernels
            runs = [steady_rate(arm, args.cases, seed, watched) for seed in range(args.repeats)]
            whole, wall, cpu = (max(r[i] for r in runs) for i in range(3))
            how = "watched (Python)" if watched else "compiled"
            print(f"{arm.label:<14} {how:<17} {args.cases} cases, best of {args.repeats}: steady state {wall:,.0f} "
                  f"cases/s (wall), {cpu:,.0f} cases/s (CPU); whole run with its records {whole:,.0f} cases/s")


if __name__ == "__main__":
    main()
