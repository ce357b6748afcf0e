"""Trackers: observers a model calls at named points of a case's procedure, in the spirit of Ciw's trackers. Front
ends (the transcript, the classroom) and tests watch the model through them instead of subclassing it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect

EVENTS = ("admitted", "decided", "reconsidered", "plea_rejected", "closed")
"""The points of the procedure a tracker is told of, in the order a case passes them."""


class Tracker:
    """Watches a model's cases: override the events of interest (each is given the case's suspect). ``moves``:
    whether the negotiations keep their moves (:class:`~bargainsim.core.procedure.negotiation.Move`) for this
    tracker to read."""

    moves = False

    def admitted(self, suspect: Suspect) -> None:
        """The case has arrived: suspect, counsel during investigation, victim."""

    def decided(self, suspect: Suspect) -> None:
        """The prosecutor has decided after review: not to prosecute, to try, or to negotiate (talks and signature
        done)."""

    def reconsidered(self, suspect: Suspect) -> None:
        """A signed plea has been reconsidered before indictment (withdrawn or not)."""

    def plea_rejected(self, suspect: Suspect) -> None:
        """The court's review has found the plea involuntary or its evidence insufficient."""

    def closed(self, suspect: Suspect) -> None:
        """The case is disposed of and recorded; its agents are about to leave the model."""
