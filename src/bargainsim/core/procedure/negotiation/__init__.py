"""The negotiation between prosecutor and defense: the protocols (consultation, dialogue and the textbook ones),
one module each, and the opening of the talks (:mod:`.talks`)."""

from bargainsim.core.procedure.negotiation.base import Bargaining, Conclusion, Move, Protocol
from bargainsim.core.procedure.negotiation.consultation import Consultation
from bargainsim.core.procedure.negotiation.dialogue import Dialogue
from bargainsim.core.procedure.negotiation.talks import (
    PROTOCOLS,
    BargainingConduct,
    court_position,
    negotiate,
    position_at,
    prosecutor_position_at,
)
from bargainsim.core.procedure.negotiation.textbook import (
                                                            AlternatingOffers,
                                                            NashBargaining,
                                                            Screening,
                                                            Signalling,
                                                            TakeItOrLeaveIt,
                                                            nash_solution,
                                                            subgame_perfect_gains,
)

__all__ = ["PROTOCOLS", "AlternatingOffers", "Bargaining", "BargainingConduct", "Conclusion", "Consultation",
           "Dialogue", "Move", "NashBargaining", "Protocol", "Screening", "Signalling", "TakeItOrLeaveIt",
           "court_position", "nash_solution", "negotiate", "position_at", "prosecutor_position_at", "subgame_perfect_gains"]
