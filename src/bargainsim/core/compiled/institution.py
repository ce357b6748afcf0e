"""The district's books, compiled: the phases' calendars, the professionals' work clocks (as
:class:`~bargainsim.core.workclock.WorkClock` and :class:`~bargainsim.core.workclock.Roster`) and counsel
assignment (as :mod:`bargainsim.core.procedure.counsel`)."""

from __future__ import annotations

import math

import numpy as np

from bargainsim.core.compiled import kernel
from bargainsim.core.compiled.layout import DAY, N_DUTY, SCHEDULED, SIZES


@kernel
def schedule(d, phase, day, i):
    """Put case ``i`` on ``phase``'s calendar for ``day`` (today if that has passed), after the cases already
    scheduled for that day."""
    today = d.counters[DAY]
    due = day if day > today else today
    order = d.counters[SCHEDULED]
    d.counters[SCHEDULED] = order + 1
    heap = d.calendar[phase]
    k = d.counters[SIZES + phase]
    d.counters[SIZES + phase] = k + 1
    while k > 0:
        parent = (k - 1) // 2
        if heap[parent, 0] < due or (heap[parent, 0] == due and heap[parent, 1] < order):
            break
        heap[k, 0], heap[k, 1], heap[k, 2] = heap[parent, 0], heap[parent, 1], heap[parent, 2]
        k = parent
    heap[k, 0], heap[k, 1], heap[k, 2] = due, order, i


@kernel
def _pop(d, phase):
    """Take the earliest entry off ``phase``'s calendar; return its case."""
    heap = d.calendar[phase]
    n = d.counters[SIZES + phase] - 1
    d.counters[SIZES + phase] = n
    first = heap[0, 2]
    day, order, case = heap[n, 0], heap[n, 1], heap[n, 2]
    k = 0
    while True:
        child = 2 * k + 1
        if child >= n:
            break
        if child + 1 < n and (heap[child + 1, 0] < heap[child, 0] or
                              (heap[child + 1, 0] == heap[child, 0] and heap[child + 1, 1] < heap[child, 1])):
            child += 1
        if day < heap[child, 0] or (day == heap[child, 0] and order < heap[child, 1]):
            break
        heap[k, 0], heap[k, 1], heap[k, 2] = heap[child, 0], heap[child, 1], heap[child, 2]
        k = child
    heap[k, 0], heap[k, 1], heap[k, 2] = day, order, case
    return first


@kernel
def due_today(d, phase):
    """The cases on ``phase``'s calendar for today, in the order they were scheduled (taken off the calendar)."""
    today = d.counters[DAY]
    heap = d.calendar[phase]
    due = np.empty(d.counters[SIZES + phase], np.int64)
    n = 0
    while d.counters[SIZES + phase] > 0 and heap[0, 0] <= today:
        due[n] = _pop(d, phase)
        n += 1
    return due[:n]


@kernel
def book(busy, index, day, hours, hours_per_day):
    """Book ``hours`` on clock ``index`` from ``day`` (:meth:`WorkClock.book`); return the day the work is done."""
    earliest, until = day * hours_per_day, busy[index]
    until = (earliest if earliest > until else until) + hours
    busy[index] = until
    done = math.ceil(until / hours_per_day - 1e-9) - 1
    return done if done > day else day


@kernel
def least_busy(busy):
    """The first clock with the earliest ``busy_until`` (:meth:`Roster.least_busy`)."""
    best = 0
    for k in range(1, busy.shape[0]):
        if busy[k] < busy[best]:
            best = k
    return best


@kernel
def queued_days(busy_until, day, hours_per_day):
    """Days of booked work still ahead on ``day`` (:meth:`WorkClock.queued_days`)."""
    queued = busy_until / hours_per_day - day
    return queued if queued > 0.0 else 0.0


@kernel
def book_prosecutor(d, p, i, hours):
    """Book the case's prosecutor for ``hours`` from today; return the day the work is done."""
    s = d.st[i]
    s.prosecutor_hours += hours
    return book(d.prosecutors, s.prosecutor, d.counters[DAY], hours, p.hours_per_day)


@kernel
def assign(d, i, retained, stage):
    """The least-loaded lawyer of the duty roster or of retained counsel joins case ``i`` at ``stage``."""
    first = d.counters[N_DUTY] if retained else 0
    last = d.lawyer_open.shape[0] if retained else d.counters[N_DUTY]
    lawyer = first
    for k in range(first + 1, last):
        if d.lawyer_open[k] < d.lawyer_open[lawyer]:
            lawyer = k
    d.lawyer_open[lawyer] += 1
    s = d.st[i]
    s.counsel, s.counsel_day, s.counsel_joined = lawyer, d.counters[DAY], stage


@kernel
def advocated(d, i):
    """An advocate is at the suspect's side."""
    lawyer = d.st[i].counsel
    return lawyer >= 0 and d.lawyer_advocate[lawyer]
