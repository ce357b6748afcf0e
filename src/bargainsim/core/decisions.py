"""The suspect's and the prosecutor's decision rules as plain functions of plain numbers.

The :class:`~bargainsim.core.agents.Suspect` and :class:`~bargainsim.core.agents.Prosecutor` agents decide through these
functions, so a researcher can evaluate one agent's choice — for a given belief, offer, trial sentence, trial
cost and risk attitude — without building a model. Sentences and costs are in months; beliefs are conviction
probabilities. The rules are those of the shadow-of-trial model (Landes 1971) with a risk-averse suspect
(constant relative risk aversion over prison months, assumption) and the guideline's plea-discount band
(:class:`~bargainsim.params.Guideline`, by default the status quo's, SPC/SPP 2021; see
:mod:`bargainsim.core.sentencing`).

A risk-neutral suspect who believes it is convicted with probability 0.8 of a 24-month trial sentence, at a
trial cost of 2 months, accepts any recommendation up to 0.8·24 + 2 = 21.2 months:

>>> reservation = suspect_reservation(0.8, 24.0, 2.0)
>>> round(reservation, 6)
21.2
>>> suspect_accepts(18.0, reservation), suspect_accepts(22.0, reservation)
(True, False)

A prosecutor with the same belief and a 3-month trial cost, bound by the status quo's review-stage band (up to
a 20% discount, 75% of it usually offered), opens at 24·(1 − 0.15) = 20.4 months and goes no lower than
max(0.8·24 − 3, 24·0.8) = 19.2:

>>> position = prosecutor_position(24.0, 0.8, 3.0)
>>> round(position.opening, 6), round(position.reservation, 6), prosecutor_wants_plea(position)
(20.4, 19.2, True)

Under another guideline — here a flat ladder with a 10% cap — the band moves: the opening gives 7.5% and the
floor 10%, so the prosecutor concedes no further than 21.6 months:

>>> capped = prosecutor_position(24.0, 0.8, 3.0, guideline=Guideline(plea_cap=0.1, ladder_step=0.0))
>>> round(capped.opening, 6), round(capped.reservation, 6)
(22.2, 21.6)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bargainsim.core.sentencing import Terms, guideline_band, sentence
from bargainsim.params import Guideline

TOLERANCE = 1e-9
"""Months within which two sentences count as equal (floating-point slack in every comparison)."""


@dataclass(slots=True)
class Position:
    """The prosecutor's bargaining position on one case, in months of the recommendation.

    ``trial_sentence`` is the sentence it expects on conviction, ``floor`` and ``opening`` the lowest and the
    usual recommendation the rules allow, ``reservation`` the lowest it accepts, ``trial_value`` the trial's
    worth to it (expected sentence net of its trial cost).
    """

    trial_sentence: float
    floor: float
    opening: float
    reservation: float
    trial_value: float


def certainty_equivalent(belief: float, trial_sentence: float, risk_aversion: float) -> float:
    """Sentence months valued like the trial lottery: (p·S^ρ)^(1/ρ); ρ = 1 is risk-neutral (p·S).

    >>> certainty_equivalent(0.5, 12.0, 1.0)
    6.0
    >>> certainty_equivalent(0.5, 12.0, 2.0) > 6.0   # risk-averse over prison months: a plea is worth more
    True
    """
    if trial_sentence <= 0.0:
        return 0.0
    return trial_sentence * belief ** (1.0 / risk_aversion)


def suspect_reservation(belief: float, trial_sentence: float, trial_cost: float, risk_aversion: float = 1.0,
                        innocence_cost: float = 0.0) -> float:
    """The most severe recommendation the suspect accepts rather than go to trial: the certainty equivalent of
    the trial, plus its cost of a trial, less (for an innocent suspect) the moral cost of admitting guilt.

    >>> suspect_reservation(0.5, 12.0, 1.0)
    7.0
    >>> suspect_reservation(0.5, 12.0, 1.0, innocence_cost=4.0)
    3.0
    """
    return certainty_equivalent(belief, trial_sentence, risk_aversion) + trial_cost - innocence_cost


def suspect_accepts(offer: float, reservation: float, planned: float = math.inf, final: bool = True) -> bool:
    """Whether the suspect accepts ``offer``: it must be bearable (no more than the reservation) and, unless it
    is final, no worse than the suspect's own next proposal ``planned``.

    >>> suspect_accepts(8.0, 9.0), suspect_accepts(8.0, 9.0, planned=7.0, final=False)
    (True, False)
    """
    return offer <= reservation + TOLERANCE and (final or offer <= planned + TOLERANCE)


def trial_value(belief: float, trial_sentence: float, trial_cost: float) -> float:
    """What a trial is worth to the prosecutor, in sentence months: the expected sentence net of its trial cost.

    >>> trial_value(0.9, 10.0, 2.0)
    7.0
    """
    return belief * trial_sentence - trial_cost


def prosecutor_position(base: float, belief: float, trial_cost: float, low: float = 0.0, high: float = math.inf,
                        stage: str = "review", share: float | None = None, mitigation: float = 0.0,
                        victim: float = 0.0, bounded: bool = True,
                        guideline: Guideline | Terms | None = None) -> Position:
    """The prosecutor's opening recommendation and reservation for a case with base sentence ``base`` (statutory
    range [``low``, ``high``]), its conviction ``belief`` and its ``trial_cost``, under ``guideline`` (a
    :class:`~bargainsim.params.Guideline`, or its :class:`~bargainsim.core.sentencing.Terms` as a model holds
    them; by default the status quo's).

    Bounded by the guideline, the opening gives ``share`` (by default the guideline's usual share) of the cap the
    ``stage``'s usual discount refers to, and the floor gives the stage's whole cap; the reservation is the trial
    value kept inside [floor, opening]. Unbounded (``bounded=False``, the textbook models), any recommendation in
    [0, S] is allowed, S being the trial sentence: the opening is S and the reservation the trial value kept
    inside [0, S].

    >>> p = prosecutor_position(12.0, 0.5, 1.0, bounded=False)
    >>> p.opening, p.floor, p.reservation
    (12.0, 0.0, 5.0)
    """
    terms = guideline if isinstance(guideline, Terms) else Terms.of(guideline if guideline is not None else Guideline())
    if bounded:
        floor, opening, trial_sentence = guideline_band(base, low, high, terms, stage,
                                                        terms.usual_share if share is None else share,
                                                        mitigation, victim)
    else:
        trial_sentence = sentence(base, low, high, 0.0, mitigation, victim, cap=terms.total_cap)
        floor, opening = 0.0, trial_sentence
    value = trial_value(belief, trial_sentence, trial_cost)
    reservation = min(max(value, floor), opening)
    return Position(trial_sentence, floor, opening, reservation, value)


def prosecutor_wants_plea(position: Position) -> bool:
    """Open a negotiation when a plea at the opening is worth at least the trial (shadow of trial).

    >>> prosecutor_wants_plea(Position(12.0, 8.0, 10.0, 10.0, 10.5))
    False
    """
    return position.opening >= position.trial_value
