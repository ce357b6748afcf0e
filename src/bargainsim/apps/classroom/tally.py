"""The class's tally: every case the students have played to the end, beside what the model's own suspect did on
the same case under the same rules, for the teacher's page.

One :class:`ClassTally` lives in the server process (:data:`CLASS`) and is shared by every browser session; a
lock guards it, and readers get copies. Nothing leaves the process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from bargainsim.apps.classroom.play import Play, acceptance, run_named

MIN_PLAYS = 5
"""Below this many played cases in a group, its acceptance rates are marked "too few cases"."""


@dataclass(frozen=True)
class Played:
    """One case played to the end: who played it (an anonymous session number), the setting, the case's facts that
    group the tally (guilt, custody), and what the student and the model's suspect did with it."""

    session: int
    role: str
    rules: str
    seed: int
    case_id: int
    guilty: bool
    detained: bool
    accepted: bool
    model_accepted: bool
    final_sentence: float
    model_final_sentence: float

    @property
    def guilt(self) -> str:
        return "guilty" if self.guilty else "innocent"

    @property
    def custody(self) -> str:
        return "detained" if self.detained else "at large"


def played(session: int, play: Play) -> Played:
    """The tally's entry for a finished ``play``: the student's run and the model's suspect's, each read from the
    case's record."""
    if play.outcome is None:
        raise ValueError("the case is not over yet")
    setting, you = play.setting, play.outcome.record
    model = run_named(setting, setting.rules, "the model's suspect").record
    return Played(session, setting.role, setting.rules, setting.seed, setting.case_id, bool(you["guilty"]),
                  bool(you["detained"]), acceptance(you), acceptance(model), float(you["final_sentence_months"]),
                  float(model["final_sentence_months"]))


@dataclass(frozen=True)
class Group:
    """The tally of one group of played cases (rules, guilt, custody): how many, and how many the class and the
    model's suspects accepted."""

    rules: str
    guilt: str
    custody: str
    n: int
    accepted: int
    model_accepted: int

    @property
    def enough(self) -> bool:
        return self.n >= MIN_PLAYS

    @property
    def rate(self) -> float:
        return self.accepted / self.n

    @property
    def model_rate(self) -> float:
        return self.model_accepted / self.n


class ClassTally:
    """The cases a class has played, shared by every session of the server (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._played: list[Played] = []
        self._sessions = 0
        self._draws = 0
        self._version = 0

    def new_session(self) -> int:
        """A new anonymous session number."""
        with self._lock:
            self._sessions += 1
            return self._sessions

    def next_draw(self) -> int:
        """The next draw number, so that students drawing at the same time get different cases."""
        with self._lock:
            self._draws += 1
            return self._draws - 1

    def add(self, entry: Played) -> None:
        with self._lock:
            self._played.append(entry)
            self._version += 1

    def clear(self) -> None:
        with self._lock:
            self._played.clear()
            self._version += 1

    @property
    def version(self) -> int:
        """Changes whenever a case is added or the tally cleared (for pages that poll)."""
        with self._lock:
            return self._version

    def entries(self) -> list[Played]:
        with self._lock:
            return list(self._played)

    def groups(self) -> list[Group]:
        """The tally by rules, guilt and custody, in that order."""
        counts: dict[tuple[str, str, str], list[int]] = {}
        for entry in self.entries():
            n = counts.setdefault((entry.rules, entry.guilt, entry.custody), [0, 0, 0])
            n[0] += 1
            n[1] += entry.accepted
            n[2] += entry.model_accepted
        return [Group(*key, *values) for key, values in sorted(counts.items())]


CLASS = ClassTally()
"""The tally of this server process's class."""
