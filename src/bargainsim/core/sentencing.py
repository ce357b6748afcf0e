"""The sentencing guideline: discount caps, the stage ladder, victim credits, and the statutory range.

Source: SPC/SPP Guiding Opinions on Sentencing (2021), as summarised in DOMAIN.md §3: the plea discount is at
most 30% of the base sentence; with surrender, confession, restitution, compensation or forgiveness the combined
reduction is at most 60%; compensation plus forgiveness at most 40%, compensation alone at most 30%, forgiveness
alone at most 20%. Local ladders make the plea discount depend on the stage of the plea. A sentence never leaves
the offense's statutory range.
"""

from __future__ import annotations

PLEA_CAP = {"investigation": 0.30, "review": 0.20, "trial": 0.10}
TOTAL_CAP = 0.60
VICTIM_CAP = {(True, True): 0.40, (True, False): 0.30, (False, True): 0.20, (False, False): 0.0}
VICTIM_CREDIT = {(True, True): 0.30, (True, False): 0.20, (False, True): 0.10, (False, False): 0.0}
"""Reduction granted for (compensated, forgiven); assumption, inside the caps of VICTIM_CAP."""


def victim_credit(compensated: bool, forgiven: bool) -> float:
    """The reduction a victim settlement earns, never above its cap."""
    key = (compensated, forgiven)
    return min(VICTIM_CREDIT[key], VICTIM_CAP[key])


def clamp(months: float, low: float, high: float) -> float:
    """Keep a sentence inside the statutory range."""
    return high if months > high else low if months < low else months


def sentence(base: float, low: float, high: float, plea: float = 0.0, mitigation: float = 0.0,
             victim: float = 0.0) -> float:
    """Months after the plea discount, other mitigation and victim credit (combined cap 60%), inside [low, high]."""
    reduction = plea + mitigation + victim
    if reduction > TOTAL_CAP:
        reduction = TOTAL_CAP
    months = base * (1.0 - reduction)
    return high if months > high else low if months < low else months


def guideline_band(base: float, low: float, high: float, cap: float, share: float, mitigation: float,
                   victim: float) -> tuple[float, float, float]:
    """(floor, standard, ceiling): the sentence with the stage's full plea discount ``cap``, with the usual
    ``share`` of it, and with none — each after mitigation and victim credit, inside the statutory range. (Each
    is :func:`sentence` with that plea discount, written out: the band is computed for every negotiation.)"""
    full, usual, none = cap + mitigation + victim, cap * share + mitigation + victim, 0.0 + mitigation + victim
    floor = base * (1.0 - (TOTAL_CAP if full > TOTAL_CAP else full))
    standard = base * (1.0 - (TOTAL_CAP if usual > TOTAL_CAP else usual))
    ceiling = base * (1.0 - (TOTAL_CAP if none > TOTAL_CAP else none))
    return (high if floor > high else low if floor < low else floor,
            high if standard > high else low if standard < low else standard,
            high if ceiling > high else low if ceiling < low else ceiling)
