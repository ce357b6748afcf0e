"""Voluntariness of a plea (DOMAIN.md §4): informed, uncoerced and participatory. The plea's terms say how much the
defense's proposals moved the recommendation (influence), how often it spoke (voice) and how much an accepted
ultimatum pressed it (deadline pressure); with the detention and overstatement pressure and the error of its
belief they make the voluntariness index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bargainsim.core.state import Voluntariness
from bargainsim.params import BehaviourSlice

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel


@dataclass(frozen=True, slots=True)
class VoluntarinessWeights(BehaviourSlice):
    """The weights of the voluntariness index's three components."""

    weight_informed: float
    weight_uncoerced: float
    weight_participatory: float


def plea_terms(opening: float, target: float, months: float, defense_moves: int, prosecutor_moves: int,
               ultimatum: bool, reference: float) -> tuple[float, float, float]:
    """(influence, voice, deadline pressure) of a plea on ``months``: the share of the gap between the opening
    and the defense's target closed in its favour, its moves per prosecutor move (1 when the terms met its target),
    and for an accepted ultimatum its gap to the defense's ``reference`` (its last proposal) relative to the offer."""
    gap = opening - target
    influence = (opening - months) / gap if gap > 1e-9 else 0.0
    influence = influence if influence > 0.0 else 0.0
    influence = influence if influence < 1.0 else 1.0
    if months <= target + 1e-9:
        voice = 1.0
    else:
        voice = defense_moves / max(1, prosecutor_moves)
        voice = voice if voice < 1.0 else 1.0
    late = months - reference
    deadline = (late if late > 0.0 else 0.0) / months if ultimatum and months > 0 else 0.0
    return influence, voice, deadline


def assess(weights: VoluntarinessWeights, belief: float, truth: float, detention_pressure: float,
           deadline_pressure: float, overstatement_pressure: float, voice: float, influence: float) -> Voluntariness:
    """The voluntariness of a plea from its components."""
    informed = 1.0 - abs(belief - truth)
    pressure = 1.0 - (1.0 - detention_pressure) * (1.0 - deadline_pressure) * (1.0 - overstatement_pressure)
    participatory = 0.5 * (voice + influence)
    w = weights
    total = w.weight_informed + w.weight_uncoerced + w.weight_participatory
    index = (w.weight_informed * informed + w.weight_uncoerced * (1.0 - pressure)
             + w.weight_participatory * participatory) / total
    return Voluntariness(influence, voice, deadline_pressure, detention_pressure, overstatement_pressure, pressure,
                         informed, participatory, index)


def assess_plea(model: PleaModel, suspect: Suspect, ultimatum: bool, reference: float) -> None:
    """Assess a signed plea on its agreement's recommendation (nothing to assess without a plea)."""
    if not suspect.agreement.pleaded:
        return
    talks, views = suspect.talks, suspect.views
    influence, voice, deadline = plea_terms(talks.opening, talks.target, suspect.agreement.recommendation,
                                            talks.defense_moves, talks.prosecutor_moves, ultimatum, reference)
    suspect.voluntariness = assess(model.conduct.voluntariness, views.belief, suspect.case.conviction_probability,
                                   views.detention_pressure, deadline, views.bias, voice, influence)
