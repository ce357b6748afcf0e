"""The agents of the plea leniency procedure, one class per role."""

from bargainsim.agents.lawyer import DutyLawyer
from bargainsim.agents.observer import PublicObserver
from bargainsim.agents.prosecutor import Position, Prosecutor
from bargainsim.agents.suspect import Suspect
from bargainsim.agents.victim import Victim

__all__ = ["DutyLawyer", "Position", "Prosecutor", "PublicObserver", "Suspect", "Victim"]
