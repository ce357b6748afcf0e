"""What a negotiation works with and what it yields: the inputs both sides bring, the moves, the conclusion, and
the protocol interface every negotiation protocol implements."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from bargainsim.core.agents.prosecutor import Position, Prosecutor
from bargainsim.core.defense import Answer, Decision


@dataclass(slots=True)
class Move:
    """One move at the inputs, for transcripts."""

    round: int
    party: str
    action: str
    months: float


@dataclass(slots=True)
class Bargaining:
    """What both sides bring to one negotiation: the prosecutor and its position, how it repositions on what the
    defense argues (``chips_known``: exculpatory material already disclosed), the defense's reservation, target
    and tactic, and the protocol's terms; for the asymmetric-information protocols also the prosecutor's
    conviction belief, both trial costs (common knowledge) and the uninformed side's uniform prior [prior_low,
    prior_high] over conviction probabilities; ``ceiling`` the most a plea may agree (the statutory maximum of
    the charge pleaded to); ``defense`` answers the defense's decisions at the table when a
    strategy plays the case (None: the model's own rule, :mod:`bargainsim.core.defense`)."""

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
    belief: float = 0.0
    prosecutor_cost: float = 0.0
    defense_cost: float = 0.0
    prior_low: float = 0.0
    prior_high: float = 1.0
    defense: Callable[[Decision], Answer] | None = None
    ceiling: float = math.inf


@dataclass(slots=True)
class Conclusion:
    """How a negotiation ended: agreed or not, on what recommendation, after how many moves."""

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

    def negotiate(self, inputs: Bargaining) -> Conclusion:
        raise NotImplementedError
