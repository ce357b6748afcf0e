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


def risk_exponent(mean: float, heterogeneity: float, z: float) -> float:
    """A suspect's CRRA exponent: the population's ``mean`` moved log-normally by its standard normal draw ``z``,
    ρ = mean·exp(heterogeneity·z) (``heterogeneity`` 0: every suspect alike).

    >>> risk_exponent(1.4, 0.0, 2.0), round(risk_exponent(1.0, 0.25, 1.0), 6)
    (1.4, 1.284025)
    """
    return mean * math.exp(heterogeneity * z)


def defendant_trial_cost(trial_cost: float, detention_cost: float = 0.0, detained: bool = False,
                         venue_factor: float = 1.0) -> float:
    """The suspect's cost of a trial in sentence months: its trial burden plus, while detained, the cost of
    awaiting trial in detention, amplified by ``venue_factor`` when it negotiates inside detention.

    >>> defendant_trial_cost(1.0, 2.5), defendant_trial_cost(1.0, 2.5, detained=True, venue_factor=1.6)
    (1.0, 5.0)
    """
    detention = detention_cost * venue_factor if detained else 0.0
    return trial_cost + detention


def suspect_reservation(belief: float, trial_sentence: float, trial_cost: float, risk_aversion: float = 1.0,
                        innocence_cost: float = 0.0, taste: float = 0.0) -> float:
    """The most severe recommendation the suspect accepts rather than go to trial: the certainty equivalent of
    the trial, plus its cost of a trial, less (for an innocent suspect) the moral cost of admitting guilt, plus
    its idiosyncratic ``taste`` for a plea (:func:`choice_taste`) as a share of the trial sentence.

    >>> suspect_reservation(0.5, 12.0, 1.0)
    7.0
    >>> suspect_reservation(0.5, 12.0, 1.0, innocence_cost=4.0)
    3.0
    >>> suspect_reservation(0.5, 12.0, 1.0, taste=0.25)
    10.0
    """
    return certainty_equivalent(belief, trial_sentence, risk_aversion) + trial_cost - innocence_cost \
        + taste * trial_sentence


def choice_taste(u: float, noise: float) -> float:
    """A suspect's idiosyncratic taste for a plea, as a share of the trial sentence: the logistic quantile of the
    case's uniform draw ``u`` at scale ``noise`` (0 = none, the textbook agents). A suspect who accepts an offer
    ``s`` exactly when ``s`` is at most its reservation plus this taste makes a logit choice:
    P(accept) = 1 / (1 + exp((s − r) / (noise·S))), r the reservation without it (McFadden 1974).

    >>> choice_taste(0.5, 0.1), round(choice_taste(0.75, 0.1), 6)
    (0.0, 0.109861)
    """
    if noise <= 0.0:
        return 0.0
    u = 1e-12 if u < 1e-12 else 1.0 - 1e-12 if u > 1.0 - 1e-12 else u
    return noise * math.log(u / (1.0 - u))


def acceptance_probability(offer: float, reservation: float, trial_sentence: float, noise: float) -> float:
    """The chance that a suspect with reservation ``reservation`` (before its taste) accepts ``offer`` under logit
    choice at scale ``noise`` of the ``trial_sentence``: a step at the reservation without noise.

    >>> acceptance_probability(10.0, 10.0, 24.0, 0.1)
    0.5
    >>> acceptance_probability(9.0, 10.0, 24.0, 0.0), acceptance_probability(11.0, 10.0, 24.0, 0.0)
    (1.0, 0.0)
    """
    scale = noise * trial_sentence
    if scale <= 0.0:
        return 1.0 if offer <= reservation + TOLERANCE else 0.0
    x = (offer - reservation) / scale
    return 1.0 / (1.0 + math.exp(x)) if x < 700.0 else 0.0


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
                        guideline: Guideline | Terms | None = None, leeway: float = 0.0,
                        plea_range: tuple[float, float] | None = None, limit: float = 0.0) -> Position:
    """The prosecutor's opening recommendation and reservation for a case with base sentence ``base`` (statutory
    range [``low``, ``high``]), its conviction ``belief`` and its ``trial_cost``, under ``guideline`` (a
    :class:`~bargainsim.params.Guideline`, or its :class:`~bargainsim.core.sentencing.Terms` as a model holds
    them; by default the status quo's).

    Bounded by the guideline, the opening gives ``share`` (by default the guideline's usual share) of the cap the
    ``stage``'s usual discount refers to, and the floor gives the stage's whole cap, less ``leeway`` × ``base``
    (what assessment pressure lets a prosecutor concede beyond the plea cap, never beyond the combined cap); the
    reservation is the trial value kept inside [floor, opening]. A plea to a lesser charge keeps floor and opening
    inside its ``plea_range`` (the trial sentence stays the full charge's); a ``limit`` on the agreed sentence caps
    the opening (never below the floor). Unbounded (``bounded=False``, the textbook models), any recommendation in
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
        plea_low, plea_high = (low, high) if plea_range is None else plea_range
        if plea_range is not None:
            floor, opening, _ = guideline_band(base, plea_low, plea_high, terms, stage,
                                               terms.usual_share if share is None else share, mitigation, victim)
        if leeway > 0.0:
            floor = max(floor - leeway * base, terms.lowest(base, plea_low, plea_high, stage))
        if limit > 0.0:
            opening = min(opening, max(limit, floor))
    else:
        trial_sentence = sentence(base, low, high, 0.0, mitigation, victim, cap=terms.total_cap)
        floor, opening = 0.0, trial_sentence
    value = trial_value(belief, trial_sentence, trial_cost)
    reservation = min(max(value, floor), opening)
    return Position(trial_sentence, floor, opening, reservation, value)


def reduces_charge(allowed: bool, lesser_max: float, trial_value: float, floor: float) -> bool:
    """Charge bargaining (FRCrP 11(c)(1)(A)): the prosecutor offers a plea to the offense's lesser band (``lesser_max``
    its statutory maximum, 0 if it has none) when the guideline's lowest plea sentence on the full charge,
    ``floor``, is above what a trial is worth to it and the lesser band can hold that worth.

    >>> reduces_charge(True, 36.0, 30.0, 40.0), reduces_charge(True, 36.0, 38.0, 40.0), reduces_charge(True, 0.0, 30.0, 40.0)
    (True, False, False)
    """
    return allowed and lesser_max > 0.0 and trial_value < floor and trial_value <= lesser_max


def pleadable(floor: float, limit: float) -> bool:
    """Whether a plea is open to the case under a limit on the agreed sentence (art. 444(1) c.p.p.; ``limit`` 0:
    none): the lowest lawful plea sentence must not exceed it.

    >>> pleadable(70.0, 60.0), pleadable(50.0, 60.0), pleadable(70.0, 0.0)
    (False, True, True)
    """
    return limit <= 0.0 or floor <= limit + TOLERANCE


def prosecutor_wants_plea(position: Position) -> bool:
    """Open a negotiation when a plea at the opening is worth at least the trial (shadow of trial).

    >>> prosecutor_wants_plea(Position(12.0, 8.0, 10.0, 10.0, 10.5))
    False
    """
    return position.opening >= position.trial_value


def screening_value(offer: float, trial_sentence: float, c_p: float, c_d: float, low: float, high: float) -> float:
    """What a single ``offer`` is worth to a prosecutor who believes the defendant's conviction probability p
    uniform on [``low``, ``high``] (Bebchuk 1984): a risk-neutral defendant of type p accepts iff the offer is
    bearable, s ≤ pS + c_d; the others are tried, each worth pS − c_p to the prosecutor.

    >>> round(screening_value(14.0, 20.0, 2.0, 1.0, 0.5, 0.9), 6)   # 3/8 tried (p < 0.65), worth 0.575·20 − 2
    12.3125
    """
    cut = min(max((offer - c_d) / trial_sentence, low), high)
    tried = (cut - low) / (high - low)
    return tried * trial_value(0.5 * (low + cut), trial_sentence, c_p) + (1.0 - tried) * offer


def screening_margin(offer: float, trial_sentence: float, c_p: float, c_d: float, low: float, high: float) -> float:
    """What raising ``offer`` by a month adds to :func:`screening_value`: a month from each defendant who still
    accepts, less, for the marginal types it drives to trial (a share 1/((b − a)·S) per month), the gap between
    the offer and their trial value pS − c_p.

    >>> round(screening_margin(14.0, 20.0, 2.0, 1.0, 0.5, 0.9), 6)   # 5/8 accept; 1/8 per month lose 3 months
    0.25
    """
    cut = min(max((offer - c_d) / trial_sentence, low), high)
    marginal = (offer - trial_value(cut, trial_sentence, c_p)) / ((high - low) * trial_sentence)
    return (high - cut) / (high - low) - marginal


def screening_offer(trial_sentence: float, c_p: float, c_d: float, low: float, high: float, floor: float = 0.0,
                    ceiling: float = math.inf) -> float:
    """The take-it-or-leave-it offer in [``floor``, ``ceiling``] that does best against defendants whose types
    the prosecutor believes uniform on [``low``, ``high``] (Bebchuk 1984): offers below the weakest type's
    reservation are accepted by all and offers above the strongest's by none, so the prosecutor raises its offer
    between the two while :func:`screening_margin` (which falls as the offer rises) is positive, by bisection.

    >>> round(screening_offer(20.0, 2.0, 1.0, 0.5, 0.9), 6)   # Bebchuk's b·S − c_p
    16.0
    """
    if trial_sentence <= 0.0:
        return floor
    weakest = min(max(suspect_reservation(low, trial_sentence, c_d), floor), ceiling)
    strongest = min(max(suspect_reservation(high, trial_sentence, c_d), floor), ceiling)
    if screening_margin(weakest, trial_sentence, c_p, c_d, low, high) <= 0.0:
        return weakest
    if screening_margin(strongest, trial_sentence, c_p, c_d, low, high) >= 0.0:
        return strongest
    while True:
        middle = 0.5 * (weakest + strongest)
        if middle in (weakest, strongest):
            return middle
        if screening_margin(middle, trial_sentence, c_p, c_d, low, high) > 0.0:
            weakest = middle
        else:
            strongest = middle


def signalling_offer(belief: float, trial_sentence: float, c_d: float, floor: float = 0.0,
                     ceiling: float = math.inf) -> float:
    """The informed prosecutor's offer in Reinganum's (1988) separating equilibrium: what a defendant who knew
    the case's strength would bear, s(p) = pS + c_d, kept in [``floor``, ``ceiling``].

    >>> signalling_offer(0.7, 20.0, 1.0)
    15.0
    """
    return min(max(suspect_reservation(belief, trial_sentence, c_d), floor), ceiling)


def signalling_acceptance(offer: float, weakest: float, strongest: float, c_p: float, c_d: float) -> float:
    """The probability with which an uninformed defendant accepts ``offer`` in Reinganum's (1988) separating
    equilibrium, the weakest and the strongest case in the prior offering ``weakest`` and ``strongest``: any
    offer up to ``weakest`` for sure (every type would bear it), exp(−(s − weakest)/(c_p + c_d)) in between (the
    offer reveals the type, which leaves the defendant indifferent; this rate of refusal keeps every prosecutor
    from mimicking a stronger case), none above ``strongest`` (read as the strongest case's offer, and more than
    that case would make it bear).

    >>> round(signalling_acceptance(13.0, 10.0, 18.0, 2.0, 1.0), 6)   # exp(−1)
    0.367879
    """
    if offer <= weakest + TOLERANCE:
        return 1.0
    if offer > strongest + TOLERANCE or c_p + c_d <= 0.0:
        return 0.0
    return math.exp(-(offer - weakest) / (c_p + c_d))
