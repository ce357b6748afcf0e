"""The agents of the plea leniency procedure, one class per role."""

from bargainsim.core.agents.counsel import DutyLawyer
from bargainsim.core.agents.observer import PublicObserver
from bargainsim.core.agents.prosecutor import Position, Prosecutor
from bargainsim.core.agents.suspect import Suspect
from bargainsim.core.agents.victim import Victim

__all__ = ["DutyLawyer", "Position", "Prosecutor", "PublicObserver", "Suspect", "Victim"]
