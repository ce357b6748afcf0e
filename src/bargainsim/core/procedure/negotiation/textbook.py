"""The textbook protocols (conf/textbook presets; :mod:`bargainsim.analysis.textbook` has their closed forms).

With both sides knowing what the other bears, they bargain over the sentences both prefer to a trial, between the
prosecutor's reservation r_p and the defendant's r_d: take-it-or-leave-it (the shadow of trial, Landes 1971), the
generalized Nash bargaining solution (Nash 1950; Kalai 1977) and alternating offers with discounting (Rubinstein
1982); where r_d < r_p no plea is possible and the case goes to trial. With one side informed of the case's
strength and the other holding a prior over it, one offer is made: screening by the uninformed prosecutor
(Bebchuk 1984) or signalling by the informed one (Reinganum 1988)."""

from __future__ import annotations

import math

from bargainsim.core.agents.suspect import Suspect
from bargainsim.core.procedure.negotiation.base import Bargaining, Conclusion, Move, Protocol


def _surplus(inputs: Bargaining) -> tuple[float, float]:
    """The prosecutor's and the defendant's reservations (r_p, r_d) over plea sentences in [0, S] (S no more than
    the most the charge pleaded to allows)."""
    position = inputs.position
    return position.reservation, min(inputs.reservation, position.trial_sentence, inputs.ceiling)


def _ultimatum(inputs: Bargaining, offer: float, agreed: bool, answer: str, moves: list[Move]) -> Conclusion:
    """One offer, taken or left: the defense's ``answer`` to the prosecutor's ultimatum."""
    if inputs.trace:
        moves += [Move(1, "prosecutor", "ultimatum", offer), Move(1, "defense", answer, offer)]
    return Conclusion(agreed, offer, 1, 1, 0, offer, float("nan"), False, True, inputs.position, moves)


def _trial(inputs: Bargaining, offer: float, moves: list[Move]) -> Conclusion:
    """No sentence both prefer to a trial: the prosecutor's best acceptable offer is refused."""
    return _ultimatum(inputs, offer, False, "refuses", moves)


class TakeItOrLeaveIt(Protocol):
    """The shadow of trial (Landes 1971): the prosecutor, who knows what the defendant will bear, demands the
    defendant's reservation r_d but never less than its own reservation r_p, once; the defendant accepts any
    bearable offer. A plea happens exactly when r_d ≥ r_p."""

    name = "take_it_or_leave_it"

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        moves: list[Move] = []
        r_p, r_d = _surplus(inputs)
        offer = max(r_p, r_d)
        if not Suspect.accepts(offer, offer, inputs.reservation, True):
            return _trial(inputs, offer, moves)
        return _ultimatum(inputs, offer, True, "accepts", moves)


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

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        moves: list[Move] = []
        r_p, r_d = _surplus(inputs)
        if r_d < r_p:
            return _trial(inputs, r_p, moves)
        months = nash_solution(r_p, r_d, inputs.bargaining_power)
        if inputs.trace:
            moves += [Move(1, "prosecutor", "proposes", months), Move(1, "defense", "accepts", months)]
        return Conclusion(True, months, 1, 1, 1, months, months, False, False, inputs.position, moves)


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

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        moves: list[Move] = []
        r_p, r_d = _surplus(inputs)
        if r_d < r_p:
            return _trial(inputs, r_p, moves)
        surplus = r_d - r_p
        horizon = max(1, inputs.horizon)
        gains = subgame_perfect_gains(surplus, inputs.discount_prosecutor, inputs.discount_defense, horizon)
        defense_moves = 0
        last_defense = float("nan")
        for t in range(horizon):
            final = t == horizon - 1
            next_gain = 0.0 if final else gains[t + 1]
            if t % 2 == 0:
                offer = r_p + gains[t]
                planned = r_d - inputs.discount_defense * next_gain
                if inputs.trace:
                    moves.append(Move(t + 1, "prosecutor", "offers", offer))
                if Suspect.accepts(offer, planned, inputs.reservation, final):
                    if inputs.trace:
                        moves.append(Move(t + 1, "defense", "accepts", offer))
                    return Conclusion(True, offer, t + 1, t // 2 + 1, defense_moves, r_p + gains[0], last_defense,
                                   False, final, inputs.position, moves)
                if inputs.trace:
                    moves.append(Move(t + 1, "defense", "refuses", offer))
            else:
                offer = r_d - gains[t]
                defense_moves += 1
                last_defense = offer
                if inputs.trace:
                    moves.append(Move(t + 1, "defense", "proposes", offer))
                if offer >= r_p + inputs.discount_prosecutor * next_gain - 1e-9:
                    if inputs.trace:
                        moves.append(Move(t + 1, "prosecutor", "accepts", offer))
                    return Conclusion(True, offer, t + 1, (t + 1) // 2, defense_moves, r_p + gains[0], last_defense,
                                   False, False, inputs.position, moves)
        return Conclusion(False, r_p + gains[0], horizon, (horizon + 1) // 2, defense_moves, r_p + gains[0],
                       last_defense, False, True, inputs.position, moves)


class Screening(Protocol):
    """Screening (Bebchuk 1984): the defendant knows its conviction probability p, the prosecutor only that p is
    uniform on [a, b]; the prosecutor makes the one offer that does best against that prior (never reading the
    case's own strength) and the defendant accepts iff it is bearable, s ≤ pS + c_d. The stronger cases plead, the
    types below the threshold p̂ = max(a, b − (c_p + c_d)/S) go to trial."""

    name = "screening"

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        offer = inputs.prosecutor.screening_offer(inputs.position, inputs.prosecutor_cost, inputs.defense_cost,
                                                  inputs.prior_low, inputs.prior_high)
        agreed = Suspect.accepts(offer, offer, inputs.reservation, True)
        return _ultimatum(inputs, offer, agreed, "accepts" if agreed else "refuses", [])


class Signalling(Protocol):
    """Signalling (Reinganum 1988, one-sided): the prosecutor knows the case's strength p, the defendant only
    that p is uniform on [a, b]. The prosecutor offers s(p) = pS + c_d, which reveals p and leaves the defendant
    indifferent; the defendant, reading only the offer (the offer function s(·) is common knowledge), accepts with
    the probability exp(−(s − s(a))/(c_p + c_d)) that keeps each prosecutor from mimicking a stronger case, drawn
    with the case's pre-drawn ``u_adopt`` (no adoption happens in this protocol). Stronger cases ask more and go
    to trial more often."""

    name = "signalling"

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        prosecutor, position, c_d = inputs.prosecutor, inputs.position, inputs.defense_cost
        offer = prosecutor.signalling_offer(position, inputs.belief, c_d)
        weakest = prosecutor.signalling_offer(position, inputs.prior_low, c_d)
        strongest = prosecutor.signalling_offer(position, inputs.prior_high, c_d)
        agreed = Suspect.accepts_signal(inputs.u_adopt, offer, weakest, strongest, inputs.prosecutor_cost, c_d)
        return _ultimatum(inputs, offer, agreed, "accepts" if agreed else "rejects", [])
