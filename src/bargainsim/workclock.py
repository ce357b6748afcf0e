"""A professional's working time: hours booked in order, completed on a working day."""

from __future__ import annotations

import math


class WorkClock:
    """Books tasks first-come first-served on ``hours_per_day`` hours per working day."""

    __slots__ = ("hours_per_day", "busy_until")

    def __init__(self, hours_per_day: float) -> None:
        self.hours_per_day = hours_per_day
        self.busy_until = 0.0

    def book(self, day: int, hours: float) -> int:
        """Book ``hours`` of work that cannot start before ``day``; return the day it is done."""
        start = max(self.busy_until, day * self.hours_per_day)
        self.busy_until = start + hours
        return max(day, math.ceil(self.busy_until / self.hours_per_day - 1e-9) - 1)

    def queued_days(self, day: int) -> float:
        """Days of booked work still ahead on ``day``."""
        return max(0.0, self.busy_until / self.hours_per_day - day)
