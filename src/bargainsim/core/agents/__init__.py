"""The agents of the plea leniency procedure, one class per role; each reads its own slice of behaviour."""

from bargainsim.core.agents.counsel import Counsel, CounselConduct
from bargainsim.core.agents.observer import PublicObserver
from bargainsim.core.agents.prosecutor import Position, Prosecutor, ProsecutorConduct
from bargainsim.core.agents.suspect import Suspect, SuspectConduct
from bargainsim.core.agents.victim import Victim, VictimConduct

__all__ = ["Counsel", "CounselConduct", "Position", "Prosecutor", "ProsecutorConduct", "PublicObserver", "Suspect",
           "SuspectConduct", "Victim", "VictimConduct"]
