"""Floor ratio: the model's time per case ÷ Mesa's bare cost of the same agents with empty behaviour.

In one process, on the same cases: (1) the model runs them (status quo, default district); (2) a bare Mesa model
creates exactly as many agents as the model did — one per suspect and victim of each case, arriving on the same
days, plus the institution — activates each case's agents through ``AgentSet.do`` once per phase of its life
(transfer, decision, filing, docket, hearing: 5) with an empty method, and removes them. The ratio is model time
÷ bare time; both are the best of ``--repeats`` repeats, measured as CPU time of this process (other processes on
a shared machine slow wall-clock time unevenly). The model runs compiled, as every unwatched model does
(:mod:`bargainsim.core.compiled`: its suspects and victims are then rows of arrays, not Mesa agents); with
``--watched`` it is also timed under a passive tracker, when it runs the Python procedure with its agents.

    python benchmarks/floor_ratio.py [--cases 20000] [--repeats 5] [--watched]
"""

from __future__ import annotations

import time
from collections import defaultdict

import mesa
from _common import timing_options

from bargainsim.core.district import build_district
from bargainsim.core.trackers import Tracker
from bargainsim.params import Behaviour, Caseload, Rules, Timing

PHASES = 5


class Idle(mesa.Agent):
    """An agent with empty behaviour."""

    def act(self) -> None:
        pass


def bare(arrival_days: list[list[int]], persistent: int, seed: int) -> None:
    """Create, activate PHASES times and remove the agents of each day's arrivals, like the model's cases."""
    model = mesa.Model(rng=seed)
    for _ in range(persistent):
        Idle(model)
    for agents_per_case in arrival_days:
        batch = [Idle(model) for _ in range(sum(agents_per_case))]
        cohort = mesa.agent.AgentSet(batch, random=model.random)
        for _ in range(PHASES):
            cohort.do("act")
        for agent in batch:
            agent.remove()


def main() -> None:
    args = timing_options(__doc__)
    caseload = Caseload()
    cases = build_district(Rules(), Behaviour(), caseload, Timing(), args.cases, seed=1).cases
    by_day: dict[int, list[int]] = defaultdict(list)
    for case in cases:
        by_day[case.arrival_day].append(1 + case.has_victim)
    days = [by_day[d] for d in sorted(by_day)]
    persistent = caseload.n_prosecutors + caseload.n_duty_lawyers + caseload.n_retained_lawyers + caseload.n_observers
    created = sum(map(sum, days)) + persistent
    for watched in (False, True) if args.watched else (False,):
        trackers = (Tracker(),) if watched else ()
        build_district(Rules(), Behaviour(), caseload, Timing(), 500, seed=2, trackers=trackers).run()  # warm-up
        model_times, bare_times = [], []
        for _ in range(args.repeats):
            model = build_district(Rules(), Behaviour(), caseload, Timing(), args.cases, seed=1, trackers=trackers)
            start = time.process_time()
            model.run()
            model_times.append(time.process_time() - start)
            start = time.process_time()
            bare(days, persistent, 1)
            bare_times.append(time.process_time() - start)
        model_cost, bare_cost = min(model_times) / args.cases, min(bare_times) / args.cases
        how = "watched (Python)" if watched else "compiled"
        print(f"{how:<17} {args.cases} cases, {created} agents, best of {args.repeats} (CPU time): model "
              f"{1e6 * model_cost:.1f} µs per case, bare Mesa {1e6 * bare_cost:.1f} µs per case; floor ratio "
              f"{model_cost / bare_cost:.2f}")


if __name__ == "__main__":
    main()
