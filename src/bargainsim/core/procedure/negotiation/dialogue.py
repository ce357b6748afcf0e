"""Dialogue, the reform (seeds/002, seeds/004 §3.1): alternating proposals with time-dependent concession tactics
until the statutory deadline; the defense's mitigation ("sentencing chips") moves the prosecutor when adopted;
only the final round is an ultimatum. A defense that breaks the talks off before the deadline ends them there
(the model's own suspect never does: it proposes until the last word)."""

from __future__ import annotations

from bargainsim.core import defense
from bargainsim.core.agents.suspect import Suspect
from bargainsim.core.procedure.negotiation.base import Bargaining, Conclusion, Move, Protocol


class Dialogue(Protocol):
    """Alternating proposals with concession tactics until agreement or the deadline's ultimatum."""

    name = "dialogue"

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        moves: list[Move] = []
        prosecutor = inputs.prosecutor
        position = inputs.position
        opening = position.opening
        rounds = max(1, inputs.rounds)
        presented = inputs.chips_known
        adopted = False
        last_defense = float("nan")
        defense_moves = 0
        for t in range(rounds):
            final = t == rounds - 1
            offer = prosecutor.offer(position, t, rounds)
            planned = Suspect.proposal(inputs.target, min(inputs.reservation, opening), t, rounds, inputs.tactic)
            if inputs.trace:
                moves.append(Move(t + 1, "prosecutor", "ultimatum" if final else "offers", offer))
            answer = "accepts" if Suspect.accepts(offer, planned, inputs.reservation, final) else \
                "refuses" if final else "proposes"
            if inputs.defense is not None:
                answer, planned = inputs.defense(defense.offer("proposes", t + 1, rounds, offer, final, answer,
                                                               planned, moves))
            if answer == "accepts":
                if inputs.trace:
                    moves.append(Move(t + 1, "defense", "accepts", offer))
                return Conclusion(True, offer, t + 1, t + 1, defense_moves, opening, last_defense, adopted, final,
                               position, moves)
            if answer == "refuses":
                if inputs.trace:
                    moves.append(Move(t + 1, "defense", "refuses", offer))
                return Conclusion(False, offer, t + 1, t + 1, defense_moves, opening, last_defense, adopted, final,
                               position, moves)
            defense_moves += 1
            last_defense = planned
            if inputs.trace:
                moves.append(Move(t + 1, "defense", "proposes", planned))
            if not presented:
                presented = True
                if prosecutor.adopts(inputs.u_adopt, inputs.adoption):
                    adopted = True
                    position = inputs.reposition()
            if planned >= prosecutor.offer(position, t + 1, rounds) - 1e-9:
                if inputs.trace:
                    moves.append(Move(t + 1, "prosecutor", "accepts", planned))
                return Conclusion(True, planned, t + 1, t + 1, defense_moves, opening, last_defense, adopted, False,
                               position, moves)
        raise AssertionError("unreachable: the final round always ends the dialogue")
