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

>>> round(nash_sentence(0.8, 24.0, c_p=2.0, c_d=1.0), 6)
18.7
>>> round(rubinstein_share(0.9, 0.8), 6)
0.714286
>>> landes_trial(0.9, 0.6, 24.0, c_p=2.0, c_d=1.0)
True
"""

from __future__ import annotations


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
