"""The classroom: an interactive page (Mesa's SolaraViz) that runs the status quo and the rules set by a class's
levers side by side on the same cases. ``make classroom`` starts it; the page itself is in :mod:`.app`, which
needs the ``classroom`` extra."""

from bargainsim.apps.classroom.model import ARMS, FIGURES, LEVERS, ClassroomModel, Lever

__all__ = ["ARMS", "FIGURES", "LEVERS", "ClassroomModel", "Lever"]
