"""Consultation, the status quo (seeds/002: "listens without adopting", a question-and-answer format): the
prosecutor states one recommendation; the defense may counter once; the counter and its mitigation are adopted
only rarely; the last recommendation is take-it-or-leave-it."""

from __future__ import annotations

from bargainsim.core import defense
from bargainsim.core.procedure.negotiation.base import Bargaining, Conclusion, Move, Protocol


class Consultation(Protocol):
    """One recommendation, at most one counter-proposal, rarely adopted; the last word is an ultimatum."""

    name = "consultation"

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        moves: list[Move] = []
        position = inputs.position
        opening = position.opening
        if inputs.trace:
            moves.append(Move(1, "prosecutor", "recommends", opening))
        last_word = inputs.rounds < 2
        counter = min(inputs.target, inputs.reservation)
        answer = "accepts" if opening <= inputs.reservation + 1e-9 else "refuses" if last_word else "counters"
        if inputs.defense is not None:
            answer, counter = inputs.defense(defense.offer("counters", 1, 1 if last_word else 2, opening, last_word,
                                                           answer, counter, moves))
        if answer == "accepts":
            if inputs.trace:
                moves.append(Move(1, "defense", "accepts", opening))
            return Conclusion(True, opening, 1, 1, 0, opening, float("nan"), False, True, position, moves)
        if answer == "refuses":
            if inputs.trace:
                moves.append(Move(1, "defense", "refuses", opening))
            return Conclusion(False, opening, 1, 1, 0, opening, float("nan"), False, True, position, moves)
        if inputs.trace:
            moves.append(Move(1, "defense", "counters", counter))
        adopted = inputs.prosecutor.adopts(inputs.u_adopt, inputs.adoption)
        final = opening
        if adopted:
            position = inputs.reposition()
            final = max(position.reservation, counter)
        agreed = final <= inputs.reservation + 1e-9
        if inputs.trace:
            moves.append(Move(2, "prosecutor", "revises" if adopted else "maintains", final))
        if inputs.defense is not None:
            rule = "accepts" if agreed else "refuses"
            answer = inputs.defense(defense.offer("counters", 2, 2, final, True, rule, final, moves)).action
            agreed = answer == "accepts"
        if inputs.trace:
            moves.append(Move(2, "defense", "accepts" if agreed else "refuses", final))
        return Conclusion(agreed, final, 2, 2, 1, opening, counter, adopted, True, position, moves)
