"""A professional's working time: hours booked in order, completed on a working day; and a roster of such clocks
that finds the least busy one without scanning them all."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence


class WorkClock:
    """Books tasks first-come first-served on ``hours_per_day`` hours per working day."""

    __slots__ = ("hours_per_day", "busy_until", "roster", "index")

    def __init__(self, hours_per_day: float) -> None:
        self.hours_per_day = hours_per_day
        self.busy_until = 0.0
        self.roster: Roster | None = None
        self.index = 0

    def book(self, day: int, hours: float) -> int:
        """Book ``hours`` of work that cannot start before ``day``; return the day it is done."""
        start = max(self.busy_until, day * self.hours_per_day)
        self.busy_until = start + hours
        if self.roster is not None:
            self.roster.moved(self)
        return max(day, math.ceil(self.busy_until / self.hours_per_day - 1e-9) - 1)

    def queued_days(self, day: int) -> float:
        """Days of booked work still ahead on ``day``."""
        return max(0.0, self.busy_until / self.hours_per_day - day)


class Roster:
    """The clocks of a group of professionals (prosecutors, judges). :meth:`least_busy` is the first of the clocks
    with the earliest ``busy_until`` — what ``min(clocks, key=busy_until)`` gives — from a heap of
    ``(busy_until, index)`` entries, one pushed at each booking; entries a later booking has overtaken are
    discarded when they reach the top."""

    __slots__ = ("clocks", "_heap")

    def __init__(self, clocks: Sequence[WorkClock]) -> None:
        self.clocks = list(clocks)
        for index, clock in enumerate(self.clocks):
            clock.roster, clock.index = self, index
        self._heap: list[tuple[float, int]] = []
        self._rebuild()

    def _rebuild(self) -> None:
        self._heap = [(clock.busy_until, clock.index) for clock in self.clocks]
        heapq.heapify(self._heap)

    def moved(self, clock: WorkClock) -> None:
        """Note a booking on ``clock``."""
        heapq.heappush(self._heap, (clock.busy_until, clock.index))
        if len(self._heap) > 8 * len(self.clocks) + 64:
            self._rebuild()

    def least_busy(self) -> int:
        """Index of the clock free earliest (the lowest index among equals)."""
        heap, clocks = self._heap, self.clocks
        while True:
            busy_until, index = heap[0]
            if busy_until == clocks[index].busy_until:
                return index
            heapq.heappop(heap)
