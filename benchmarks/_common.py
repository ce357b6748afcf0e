"""Shared helpers of the benchmark scripts: the machine's description, memory of a process tree, a measured run of
the main job."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bargainsim.params import STAFF, Caseload

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    """CPU model, core count, Python and Mesa versions: the line every benchmark prints first."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"mesa {metadata.version('mesa')}, load average {os.getloadavg()[0]:.1f}")


def default_districts(districts: int) -> list[str]:
    """Overrides of the main job for ``districts`` districts each with the default caseload: ``caseload`` is the
    jurisdiction split across the districts, so its arrival rate and rosters are ``districts`` times the default."""
    default = Caseload()
    return [f"districts={districts}", f"caseload.arrivals_per_day={districts * default.arrivals_per_day}",
            *(f"caseload.{name}={districts * getattr(default, name)}" for name in STAFF)]


def timing_options(doc: str) -> argparse.Namespace:
    """The options of the timing benchmarks, ``--cases`` (20,000) and ``--repeats`` (5), parsed after printing the
    machine's line."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--watched", action="store_true",
                        help="also time the Python procedure, which runs when a tracker watches the model")
    args = parser.parse_args()
    print(machine())
    return args


def _tree(root: int) -> dict[int, tuple[int, int, float]]:
    """``root`` and all its descendants, from /proc: pid -> (RSS bytes, peak RSS bytes, CPU seconds so far)."""
    children: dict[int, list[int]] = {}
    facts: dict[int, tuple[int, int, float]] = {}
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            statm = Path(f"/proc/{entry}/statm").read_text().split()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        hwm = next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0)
        facts[int(entry)] = (int(statm[1]) * page, hwm, (int(fields[11]) + int(fields[12])) / tick)
    tree, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in facts:
            tree[pid] = facts[pid]
        stack.extend(children.get(pid, ()))
    return tree


class TreeMemory:
    """Samples a process and its descendants every ``interval`` seconds: ``peak``, the largest summed RSS (bytes);
    ``largest``, the largest single process's peak RSS (VmHWM, bytes); ``cpu``, the CPU seconds of every process
    seen (as last sampled). Worker processes forked by a fork server are descendants but not waited-for children,
    so ``wait4``'s resource usage misses them; this sampling does not."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval, self.peak, self.largest = pid, interval, 0, 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def cpu(self) -> float:
        return sum(self._cpu.values())

    def _run(self) -> None:
        while not self._stop.is_set():
            tree = _tree(self.pid)
            self.peak = max(self.peak, sum(rss for rss, _, _ in tree.values()))
            self.largest = max([self.largest, *(hwm for _, hwm, _ in tree.values())])
            self._cpu.update({pid: cpu for pid, (_, _, cpu) in tree.items()})
            time.sleep(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class Measured:
    """A finished run of the main job: wall seconds, CPU seconds of every process, and the largest single
    process's and the whole process tree's peak RSS (bytes)."""

    wall: float
    cpu: float
    largest: int
    tree: int


def run_main_job(out: str, *overrides: str, what: str = "the run") -> Measured:
    """Run ``bargainsim`` with ``overrides`` in a fresh process, writing into ``out``, and measure it; exit with
    the job's stderr if it fails."""
    script = Path(sys.executable).with_name("bargainsim")
    with tempfile.TemporaryFile(mode="w+") as errors:
        command = [str(script), *overrides, "progress=false", f"hydra.run.dir={out}"]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        with TreeMemory(process.pid) as tree:
            _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            errors.seek(0)
            raise SystemExit(f"{what} failed:\n{errors.read()}")
    return Measured(elapsed, max(usage.ru_utime + usage.ru_stime, tree.cpu), max(usage.ru_maxrss * 1024, tree.largest),
                    tree.peak)
