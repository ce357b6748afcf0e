"""Negotiation protocols: the status-quo 'consultation' and the reform 'dialogue'.

Consultation (seeds/002: "listens without adopting", a question-and-answer format): the prosecutor states one
recommendation; the defense may counter once; the counter and its mitigation are adopted only rarely; the last
recommendation is take-it-or-leave-it.
Dialogue (seeds/002, seeds/004 §3.1): alternating proposals with time-dependent concession tactics until the
statutory deadline; the defense's mitigation ("sentencing chips") moves the prosecutor when adopted; only the
final round is an ultimatum.
The textbook protocols (conf/textbook presets; :mod:`bargainsim.analysis.textbook` has their closed forms) bargain over
the sentences both sides prefer to a trial, between the prosecutor's reservation r_p and the defendant's r_d:
take-it-or-leave-it (the shadow of trial, Landes 1971), the generalized Nash bargaining solution (Nash 1950;
Kalai 1977) and alternating offers with discounting (Rubinstein 1982). Where r_d < r_p no plea is possible and
the case goes to trial.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from bargainsim.core.agents.prosecutor import Position, Prosecutor
from bargainsim.core.agents.suspect import Suspect


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
    bargaining_power: float = 0.5
    discount_prosecutor: float = 1.0
    discount_defense: float = 1.0
    horizon: int = 1


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


def _surplus(table: Table) -> tuple[float, float]:
    """The prosecutor's and the defendant's reservations (r_p, r_d) over plea sentences in [0, S]."""
    position = table.position
    return position.reservation, min(table.reservation, position.trial_sentence)


def _trial(table: Table, offer: float, moves: list[Move]) -> Outcome:
    """No sentence both prefer to a trial: the prosecutor's best acceptable offer is refused."""
    if table.trace:
        moves += [Move(1, "prosecutor", "ultimatum", offer), Move(1, "defense", "refuses", offer)]
    return Outcome(False, offer, 1, 1, 0, offer, float("nan"), False, True, table.position, moves)


class TakeItOrLeaveIt(Protocol):
    """The shadow of trial (Landes 1971): the prosecutor, who knows what the defendant will bear, demands the
    defendant's reservation r_d but never less than its own reservation r_p, once; the defendant accepts any
    bearable offer. A plea happens exactly when r_d ≥ r_p."""

    name = "take_it_or_leave_it"

    def negotiate(self, table: Table) -> Outcome:
        moves: list[Move] = []
        r_p, r_d = _surplus(table)
        offer = max(r_p, r_d)
        if not Suspect.accepts(offer, offer, table.reservation, True):
            return _trial(table, offer, moves)
        if table.trace:
            moves += [Move(1, "prosecutor", "ultimatum", offer), Move(1, "defense", "accepts", offer)]
        return Outcome(True, offer, 1, 1, 0, offer, float("nan"), False, True, table.position, moves)


def nash_solution(r_p: float, r_d: float, power: float, tolerance: float = 1e-12) -> float:
    """The sentence in [r_p, r_d] that maximises the Nash product (s − r_p)^β·(r_d − s)^(1−β), β = ``power``,
    found by golden-section search on its (concave) logarithm."""
    golden = (math.sqrt(5.0) - 1.0) / 2.0
    low, high = r_p, r_d

    def log_product(s: float) -> float:
        gain_p, gain_d = s - r_p, r_d - s
        if gain_p <= 0.0 or gain_d <= 0.0:
            return -math.inf
        return power * math.log(gain_p) + (1.0 - power) * math.log(gain_d)

    while high - low > tolerance * max(1.0, abs(r_d)):
        left, right = high - golden * (high - low), low + golden * (high - low)
        if log_product(left) < log_product(right):
            low = left
        else:
            high = right
    return 0.5 * (low + high)


class NashBargaining(Protocol):
    """The generalized Nash bargaining solution (Nash 1950; asymmetric: Kalai 1977): the recommendation
    maximises the product of the two sides' gains over a trial, weighted by the prosecutor's bargaining power;
    with equal power and shared beliefs it is s* = pS + (c_d − c_p)/2."""

    name = "nash"

    def negotiate(self, table: Table) -> Outcome:
        moves: list[Move] = []
        r_p, r_d = _surplus(table)
        if r_d < r_p:
            return _trial(table, r_p, moves)
        months = nash_solution(r_p, r_d, table.bargaining_power)
        if table.trace:
            moves += [Move(1, "prosecutor", "proposes", months), Move(1, "defense", "accepts", months)]
        return Outcome(True, months, 1, 1, 1, months, months, False, False, table.position, moves)


def subgame_perfect_gains(surplus: float, first: float, second: float, horizon: int) -> list[float]:
    """Backward induction over ``horizon`` rounds of alternating offers on ``surplus``: the gain the proposer of
    each round keeps in the subgame-perfect equilibrium, the first side (discount factor ``first``) proposing in
    even rounds. After the last round comes a trial (no gain), so the last proposer keeps everything; earlier, a
    proposer leaves the responder exactly the discounted gain it would keep as the next proposer."""
    gains = [0.0] * horizon
    gains[-1] = surplus
    for t in range(horizon - 2, -1, -1):
        responder = second if t % 2 == 0 else first
        gains[t] = surplus - responder * gains[t + 1]
    return gains


class AlternatingOffers(Protocol):
    """Rubinstein (1982) alternating offers over the sentences both prefer to a trial: the prosecutor proposes
    first, the sides alternate, each round's delay discounted by δ_p and δ_d; each side makes its
    subgame-perfect offer and accepts an offer no worse than the discounted value of its own next proposal. In
    equilibrium the first offer is accepted and gives the prosecutor (1 − δ_d)/(1 − δ_p·δ_d) of the surplus."""

    name = "alternating"

    def negotiate(self, table: Table) -> Outcome:
        moves: list[Move] = []
        r_p, r_d = _surplus(table)
        if r_d < r_p:
            return _trial(table, r_p, moves)
        surplus = r_d - r_p
        horizon = max(1, table.horizon)
        gains = subgame_perfect_gains(surplus, table.discount_prosecutor, table.discount_defense, horizon)
        defense_moves = 0
        last_defense = float("nan")
        for t in range(horizon):
            final = t == horizon - 1
            next_gain = 0.0 if final else gains[t + 1]
            if t % 2 == 0:
                offer = r_p + gains[t]
                planned = r_d - table.discount_defense * next_gain
                if table.trace:
                    moves.append(Move(t + 1, "prosecutor", "offers", offer))
                if Suspect.accepts(offer, planned, table.reservation, final):
                    if table.trace:
                        moves.append(Move(t + 1, "defense", "accepts", offer))
                    return Outcome(True, offer, t + 1, t // 2 + 1, defense_moves, r_p + gains[0], last_defense,
                                   False, final, table.position, moves)
                if table.trace:
                    moves.append(Move(t + 1, "defense", "refuses", offer))
            else:
                offer = r_d - gains[t]
                defense_moves += 1
                last_defense = offer
                if table.trace:
                    moves.append(Move(t + 1, "defense", "proposes", offer))
                if offer >= r_p + table.discount_prosecutor * next_gain - 1e-9:
                    if table.trace:
                        moves.append(Move(t + 1, "prosecutor", "accepts", offer))
                    return Outcome(True, offer, t + 1, (t + 1) // 2, defense_moves, r_p + gains[0], last_defense,
                                   False, False, table.position, moves)
        return Outcome(False, r_p + gains[0], horizon, (horizon + 1) // 2, defense_moves, r_p + gains[0],
                       last_defense, False, True, table.position, moves)


PROTOCOLS: dict[str, Protocol] = {p.name: p for p in (Consultation(), Dialogue(), TakeItOrLeaveIt(),
                                                      NashBargaining(), AlternatingOffers())}
