"""Work per case, counted rather than timed: Python bytecode instructions and calls per simulated case.

Wall-clock and CPU time on a shared virtual machine vary by tens of percent from one minute to the next; the
number of bytecode instructions the interpreter executes for the same cases does not. This script runs one
district (the default caseload, status quo unless ``--reform``) under ``sys.settrace`` with opcode events and
prints the instructions and Python-level calls per case, and with ``--top N`` the N functions that execute the
most instructions. Work done in C (NumPy, the dict and weakref operations inside Mesa's bookkeeping) is not
counted, so compare counts of the same code path, before and after a change. The district is watched by a passive
tracker, so it runs the Python procedure (an unwatched model runs compiled, :mod:`bargainsim.core.compiled`, and
executes no bytecode per case).

    python benchmarks/opcodes.py [--cases 1500] [--reform full_package] [--top 20]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from types import FrameType

from _common import machine

from bargainsim.core.district import build_district
from bargainsim.core.trackers import Tracker
from bargainsim.harness.config import make_arm, reform_catalogue
from bargainsim.params import Behaviour, Caseload, Rules, Timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1500)
    parser.add_argument("--reform", default=None, help="a reform of conf/reform (default: the status quo)")
    parser.add_argument("--top", type=int, default=0, help="list the functions executing the most instructions")
    args = parser.parse_args()
    print(machine())
    rules = make_arm(reform_catalogue()[args.reform], Rules()).rules if args.reform else Rules()
    caseload = Caseload()
    model = build_district(rules, Behaviour(), caseload, Timing(), args.cases, seed=1, trackers=(Tracker(),))
    instructions: Counter[tuple[str, str]] = Counter()
    calls = 0

    def trace(frame: FrameType, event: str, arg: object) -> object:
        nonlocal calls
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            instructions[Path(code.co_filename).name, code.co_name] += 1
        elif event == "call":
            calls += 1
        return trace

    sys.settrace(trace)
    try:
        model.run()
    finally:
        sys.settrace(None)
    total = sum(instructions.values())
    print(f"{args.reform or 'status_quo'}, {args.cases} cases: {total / args.cases:,.0f} bytecode instructions and "
          f"{calls / args.cases:.1f} Python calls per case")
    for (module, function), count in instructions.most_common(args.top):
        print(f"{count / args.cases:8.0f} {100 * count / total:5.1f}%  {module}:{function}")


if __name__ == "__main__":
    main()
