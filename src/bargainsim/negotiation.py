"""Negotiation protocols: the status-quo 'consultation' and the reform 'dialogue'.

Consultation (seeds/002: "listens without adopting", a question-and-answer format): the prosecutor states one
recommendation; the defense may counter once; the counter and its mitigation are adopted only rarely; the last
recommendation is take-it-or-leave-it.
Dialogue (seeds/002, seeds/004 §3.1): alternating proposals with time-dependent concession tactics until the
statutory deadline; the defense's mitigation ("sentencing chips") moves the prosecutor when adopted; only the
final round is an ultimatum.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bargainsim.agents.prosecutor import Position, Prosecutor
from bargainsim.agents.suspect import Suspect


@dataclass(slots=True)
class Move:
    """One move at the table, for transcripts."""

    round: int
    party: str
    action: str
    months: float


@dataclass(slots=True)
class Table:
    """What both sides bring to one negotiation."""

    prosecutor: Prosecutor
    position: Position
    reposition: Callable[[], Position]
    chips_known: bool
    adoption: float
    u_adopt: float
    reservation: float
    target: float
    rounds: int
    tactic: float
    trace: bool = False


@dataclass(slots=True)
class Outcome:
    """The result of a negotiation."""

    agreed: bool
    months: float
    rounds: int
    prosecutor_moves: int
    defense_moves: int
    opening: float
    last_defense: float
    chips_adopted: bool
    ultimatum: bool
    position: Position
    moves: list[Move] = field(default_factory=list)


class Protocol:
    """A negotiation protocol: how offers are exchanged and when the talk ends."""

    name = "protocol"

    def negotiate(self, table: Table) -> Outcome:
        raise NotImplementedError


class Consultation(Protocol):
    """One recommendation, at most one counter-proposal, rarely adopted; the last word is an ultimatum."""

    name = "consultation"

    def negotiate(self, table: Table) -> Outcome:
        moves: list[Move] = []
        position = table.position
        opening = position.opening
        if table.trace:
            moves.append(Move(1, "prosecutor", "recommends", opening))
        if opening <= table.reservation + 1e-9:
            if table.trace:
                moves.append(Move(1, "defense", "accepts", opening))
            return Outcome(True, opening, 1, 1, 0, opening, float("nan"), False, True, position, moves)
        if table.rounds < 2:
            if table.trace:
                moves.append(Move(1, "defense", "refuses", opening))
            return Outcome(False, opening, 1, 1, 0, opening, float("nan"), False, True, position, moves)
        counter = min(table.target, table.reservation)
        if table.trace:
            moves.append(Move(1, "defense", "counters", counter))
        adopted = table.prosecutor.adopts(table.u_adopt, table.adoption)
        final = opening
        if adopted:
            position = table.reposition()
            final = max(position.reservation, counter)
        agreed = final <= table.reservation + 1e-9
        if table.trace:
            moves.append(Move(2, "prosecutor", "revises" if adopted else "maintains", final))
            moves.append(Move(2, "defense", "accepts" if agreed else "refuses", final))
        return Outcome(agreed, final, 2, 2, 1, opening, counter, adopted, True, position, moves)


class Dialogue(Protocol):
    """Alternating proposals with concession tactics until agreement or the deadline's ultimatum."""

    name = "dialogue"

    def negotiate(self, table: Table) -> Outcome:
        moves: list[Move] = []
        prosecutor = table.prosecutor
        position = table.position
        opening = position.opening
        rounds = max(1, table.rounds)
        presented = table.chips_known
        adopted = False
        last_defense = float("nan")
        defense_moves = 0
        for t in range(rounds):
            final = t == rounds - 1
            offer = prosecutor.offer(position, t, rounds)
            planned = Suspect.proposal(table.target, min(table.reservation, opening), t, rounds, table.tactic)
            if table.trace:
                moves.append(Move(t + 1, "prosecutor", "ultimatum" if final else "offers", offer))
            if Suspect.accepts(offer, planned, table.reservation, final):
                if table.trace:
                    moves.append(Move(t + 1, "defense", "accepts", offer))
                return Outcome(True, offer, t + 1, t + 1, defense_moves, opening, last_defense, adopted, final,
                               position, moves)
            if final:
                if table.trace:
                    moves.append(Move(t + 1, "defense", "refuses", offer))
                return Outcome(False, offer, t + 1, t + 1, defense_moves, opening, last_defense, adopted, True,
                               position, moves)
            defense_moves += 1
            last_defense = planned
            if table.trace:
                moves.append(Move(t + 1, "defense", "proposes", planned))
            if not presented:
                presented = True
                if prosecutor.adopts(table.u_adopt, table.adoption):
                    adopted = True
                    position = table.reposition()
            if planned >= prosecutor.offer(position, t + 1, rounds) - 1e-9:
                if table.trace:
                    moves.append(Move(t + 1, "prosecutor", "accepts", planned))
                return Outcome(True, planned, t + 1, t + 1, defense_moves, opening, last_defense, adopted, False,
                               position, moves)
        raise AssertionError("unreachable: the final round always ends the dialogue")


PROTOCOLS: dict[str, Protocol] = {p.name: p for p in (Consultation(), Dialogue())}
