"""A professional's working time: hours booked in order, completed on a working day; and a roster of such clocks
that finds the least busy one."""

from __future__ import annotations

import math
from collections.abc import Sequence


class WorkClock:
    """Books tasks first-come first-served on ``hours_per_day`` hours per working day."""

    __slots__ = ("hours_per_day", "busy_until", "roster", "index")

    def __init__(self, hours_per_day: float) -> None:
        self.hours_per_day = hours_per_day
        self.busy_until = 0.0
        self.roster: list[float] | None = None
        self.index = 0

    def book(self, day: int, hours: float) -> int:
        """Book ``hours`` of work that cannot start before ``day``; return the day it is done."""
        earliest, busy = day * self.hours_per_day, self.busy_until
        self.busy_until = busy = (earliest if earliest > busy else busy) + hours
        if self.roster is not None:
            self.roster[self.index] = busy
        done = math.ceil(busy / self.hours_per_day - 1e-9) - 1
        return done if done > day else day

    def queued_days(self, day: int) -> float:
        """Days of booked work still ahead on ``day``."""
        queued = self.busy_until / self.hours_per_day - day
        return queued if queued > 0.0 else 0.0


class Roster:
    """The clocks of a group of professionals (prosecutors, judges). :meth:`least_busy` is the first of the clocks
    with the earliest ``busy_until`` — what ``min(clocks, key=busy_until)`` gives — found in a list of the clocks'
    ``busy_until`` that each booking keeps current, so the search runs in C over plain floats (a district's
    dozens of prosecutors or judges in well under a microsecond)."""

    __slots__ = ("clocks", "busy_until")

    def __init__(self, clocks: Sequence[WorkClock]) -> None:
        self.clocks = list(clocks)
        self.busy_until = [clock.busy_until for clock in self.clocks]
        for index, clock in enumerate(self.clocks):
            clock.roster, clock.index = self.busy_until, index

    def least_busy(self) -> int:
        """Index of the clock free earliest (the lowest index among equals)."""
        busy_until = self.busy_until
        return busy_until.index(min(busy_until))
