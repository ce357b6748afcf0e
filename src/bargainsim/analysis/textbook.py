"""Closed forms of the textbook bargaining models that bargainsim contains as special cases (DOMAIN.md §6).

With the presets in ``conf/textbook`` (risk-neutral agents, trial costs given in sentence months, shared or
private beliefs, no guideline bounds) the model's own agents and protocols reproduce these results; the tests
compare the simulation with them. A plea sentence s is bargained over against a trial that convicts with
probability p (the prosecutor believes p_p, the defendant p_d) and then imposes S months, at a cost of c_p months
to the prosecutor and c_d to the defendant:

- the defendant accepts any s ≤ r_d = p_d·S + c_d, the prosecutor any s ≥ r_p = p_p·S − c_p;
- shadow of trial (Landes 1971): a plea happens exactly when r_d ≥ r_p, i.e. a trial exactly when
  (p_p − p_d)·S > c_p + c_d; with shared beliefs (p_p = p_d) never;
- Nash bargaining (Nash 1950; with bargaining power β, Kalai 1977): s* = r_p + β·(r_d − r_p), which is
  pS + (c_d − c_p)/2 for β = ½ and shared beliefs;
- Rubinstein (1982) alternating offers, the prosecutor proposing first: immediate agreement, the proposer
  keeping the share (1 − δ₂)/(1 − δ₁δ₂) of the surplus r_d − r_p (δ₁ its own discount factor, δ₂ the
  responder's).

With private information about the case's strength p, the uninformed side holding a uniform prior on [a, b]
(shared beliefs otherwise, C = c_p + c_d):

- screening (Bebchuk 1984), the defendant informed: the prosecutor's one offer s makes the types p < (s − c_d)/S
  go to trial; its expected value is concave in the threshold p̂ = (s − c_d)/S with derivative proportional to
  S·(b − p̂) − C, so p̂ = max(a, b − C/S), the offer s* = p̂·S + c_d (= bS − c_p inside) and the trial
  probability (p̂ − a)/(b − a);
- signalling (Reinganum 1988, one-sided), the prosecutor informed: the separating offer s(p) = pS + c_d is
  accepted with probability φ = exp(−(p − a)·S/C), derived in :func:`reinganum_acceptance`.

>>> round(nash_sentence(0.8, 24.0, c_p=2.0, c_d=1.0), 6)
18.7
>>> round(rubinstein_share(0.9, 0.8), 6)
0.714286
>>> landes_trial(0.9, 0.6, 24.0, c_p=2.0, c_d=1.0)
True
>>> round(bebchuk_offer(20.0, 2.0, 1.0, 0.5, 0.9), 6), round(bebchuk_trial_probability(20.0, 2.0, 1.0, 0.5, 0.9), 6)
(16.0, 0.625)
>>> round(reinganum_acceptance(0.65, 20.0, 2.0, 1.0, 0.5), 6)
0.367879
"""

from __future__ import annotations

import math


def defense_reservation(p_d: float, trial_sentence: float, c_d: float) -> float:
    """The most a risk-neutral defendant accepts: r_d = p_d·S + c_d."""
    return p_d * trial_sentence + c_d


def prosecutor_reservation(p_p: float, trial_sentence: float, c_p: float) -> float:
    """The least a risk-neutral prosecutor accepts: r_p = p_p·S − c_p."""
    return p_p * trial_sentence - c_p


def landes_trial(p_p: float, p_d: float, trial_sentence: float, c_p: float, c_d: float) -> bool:
    """Shadow of trial (Landes 1971): a case goes to trial exactly when (p_p − p_d)·S > c_p + c_d."""
    return (p_p - p_d) * trial_sentence > c_p + c_d


def nash_sentence(p_p: float, trial_sentence: float, c_p: float, c_d: float, power: float = 0.5,
                  p_d: float | None = None) -> float:
    """The (generalized) Nash bargaining sentence s* = r_p + β·(r_d − r_p); with β = ½ and shared beliefs
    (``p_d`` omitted) s* = pS + (c_d − c_p)/2."""
    r_p = prosecutor_reservation(p_p, trial_sentence, c_p)
    r_d = defense_reservation(p_p if p_d is None else p_d, trial_sentence, c_d)
    return r_p + power * (r_d - r_p)


def rubinstein_share(delta_proposer: float, delta_responder: float) -> float:
    """The first proposer's share of the surplus in Rubinstein's (1982) game: (1 − δ₂)/(1 − δ₁δ₂)."""
    return (1.0 - delta_responder) / (1.0 - delta_proposer * delta_responder)


def rubinstein_sentence(p: float, trial_sentence: float, c_p: float, c_d: float, delta_p: float,
                        delta_d: float) -> float:
    """The plea sentence agreed at once when the prosecutor proposes first: r_p + share·(c_p + c_d)."""
    return prosecutor_reservation(p, trial_sentence, c_p) + rubinstein_share(delta_p, delta_d) * (c_p + c_d)


def bebchuk_threshold(trial_sentence: float, c_p: float, c_d: float, low: float, high: float) -> float:
    """The weakest type that pleads under the optimal screening offer (Bebchuk 1984), p uniform on [a, b]:
    p̂ = max(a, b − (c_p + c_d)/S); the types below it go to trial."""
    return min(max(high - (c_p + c_d) / trial_sentence, low), high)


def bebchuk_offer(trial_sentence: float, c_p: float, c_d: float, low: float, high: float) -> float:
    """The uninformed prosecutor's optimal single offer, s* = p̂·S + c_d: b·S − c_p when some types go to
    trial, a·S + c_d (all plead) when (b − a)·S ≤ c_p + c_d."""
    return bebchuk_threshold(trial_sentence, c_p, c_d, low, high) * trial_sentence + c_d


def bebchuk_trial_probability(trial_sentence: float, c_p: float, c_d: float, low: float, high: float) -> float:
    """The share of the prior's types that reject the screening offer: (p̂ − a)/(b − a), i.e.
    1 − (c_p + c_d)/((b − a)·S) when positive."""
    return (bebchuk_threshold(trial_sentence, c_p, c_d, low, high) - low) / (high - low)


def reinganum_offer(p: float, trial_sentence: float, c_d: float) -> float:
    """The informed prosecutor's separating offer s(p) = pS + c_d (Reinganum 1988): what a defendant who knew
    p would bear, so that a defendant who reads p from the offer is indifferent and may mix."""
    return defense_reservation(p, trial_sentence, c_d)


def reinganum_acceptance(p: float, trial_sentence: float, c_p: float, c_d: float, low: float) -> float:
    """The probability that the offer of a case of strength p ≥ a is accepted in the separating equilibrium,
    φ = exp(−(p − a)·S/(c_p + c_d)).

    Derivation (C = c_p + c_d): a prosecutor of type p that offers s(p') earns
    U(p', p) = φ(s(p'))·s(p') + (1 − φ(s(p')))·(pS − c_p). Not mimicking (p' = p optimal) needs
    φ'(s)·(s − (pS − c_p)) + φ(s) = 0 along s = s(p), where s − (pS − c_p) = C, so φ(s) = K·exp(−s/C). An offer
    below s(a) is bearable for every type and accepted for sure, so φ(s(a)) = 1 and
    φ = exp(−(s − s(a))/C) = exp(−(p − a)S/C). Globally, U(p', p) − (pS − c_p) = φ(s(p'))·((p' − p)S + C)
    = C·exp(−(p − a)S/C)·(1 + x)·e^(−x) with x = (p' − p)S/C, which is largest at x = 0: no type gains by
    mimicking another (:func:`reinganum_mimicry`). Stronger cases ask more and are refused more often.
    """
    return math.exp(-(p - low) * trial_sentence / (c_p + c_d))


def reinganum_mimicry(p_sent: float, p: float, trial_sentence: float, c_p: float, c_d: float,
                      low: float) -> float:
    """What a prosecutor whose case has strength ``p`` expects from sending the offer of strength ``p_sent``:
    the offer if accepted, else its trial value pS − c_p.

    >>> honest = reinganum_mimicry(0.7, 0.7, 20.0, 2.0, 1.0, 0.5)
    >>> honest > max(reinganum_mimicry(q, 0.7, 20.0, 2.0, 1.0, 0.5) for q in (0.5, 0.65, 0.75, 0.9))
    True
    """
    accepted = reinganum_acceptance(p_sent, trial_sentence, c_p, c_d, low)
    offer = reinganum_offer(p_sent, trial_sentence, c_d)
    return accepted * offer + (1.0 - accepted) * prosecutor_reservation(p, trial_sentence, c_p)


def reinganum_trial_rate(trial_sentence: float, c_p: float, c_d: float, low: float, high: float) -> float:
    """The share of cases tried when p is uniform on [a, b]: the mean of 1 − φ over the prior,
    1 − C/((b − a)·S)·(1 − exp(−(b − a)·S/C)).

    >>> round(reinganum_trial_rate(20.0, 2.0, 1.0, 0.5, 0.9), 6)
    0.651056
    """
    spread = (high - low) * trial_sentence / (c_p + c_d)
    return 1.0 - (1.0 - math.exp(-spread)) / spread
