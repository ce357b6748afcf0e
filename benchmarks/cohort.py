"""What NumPy gains over per-case Python for the arithmetic of a decision, by the size of the cohort decided at once.

The arithmetic is that of the review decision's beliefs and reservation for an unadvised suspect under the status
quo's disclosure, case by case with the model's belief and reservation functions: the prosecutor's belief
(``beliefs.signal``), the overstatement the suspect takes on, the suspect's belief and its reservation
(``decisions.suspect_reservation``: certainty equivalent with its risk aversion, plus its trial cost).
The NumPy version computes the same quantities for a cohort of cases at once, reading them from arrays (the most
favourable layout: no per-case gathering from agents). Cohort sizes: a district's day (20 cases at the default
arrival rate), ten districts' day, and the national year's day (340 districts). It prints the cost per case of each
and whether the NumPy results equal the per-case ones to the last bit.

    python benchmarks/cohort.py [--cases 20000] [--repeats 5]
"""

from __future__ import annotations

import math
import time

import numpy as np
from _common import timing_options

from bargainsim.core.cases import draw_population
from bargainsim.core.decisions import suspect_reservation
from bargainsim.core.procedure.information import HIGH, LOW, InformationConduct, belief_noise, information_share, signal
from bargainsim.core.streams import CASES, stream
from bargainsim.params import Behaviour, Caseload, Rules

COHORTS = (20, 200, 6800)


def per_case(cases: list, b: Behaviour, information: float) -> list[float]:
    """The reservation of each case, case by case, with the model's functions."""
    out = []
    for case in cases:
        p_belief = signal(case.conviction_probability, b.prosecutor_belief_noise, case.z_prosecutor,
                          b.belief_offset_prosecutor)
        bias = b.credulity_unadvised * max(0.0, min(b.overstatement, 0.99 - p_belief))
        noise = belief_noise(b.belief_noise_uninformed, b.belief_noise_informed, information, case.understanding)
        belief = signal(case.conviction_probability, noise, case.z_defense, bias + b.belief_offset_defense)
        risk = b.risk_aversion * math.exp(b.risk_heterogeneity * case.z_risk)
        out.append(suspect_reservation(belief, case.base_months, b.trial_cost_defendant, risk,
                                       0.0 if case.guilty else b.innocence_cost))
    return out


def _signal(truth: np.ndarray, sd: float | np.ndarray, z: np.ndarray, shift: float | np.ndarray) -> np.ndarray:
    """:func:`bargainsim.core.procedure.information.signal` over arrays."""
    truth = np.clip(truth, LOW, HIGH)
    return np.clip(1.0 / (1.0 + np.exp(-(np.log(truth / (1.0 - truth)) + sd * z))) + shift, LOW, HIGH)


def per_cohort(facts: dict[str, np.ndarray], b: Behaviour, information: float, size: int) -> np.ndarray:
    """The same reservations, a cohort of ``size`` cases at a time, with NumPy."""
    n = len(facts["p"])
    out = np.empty(n)
    for start in range(0, n, size):
        s = slice(start, start + size)
        p, understanding = facts["p"][s], facts["understanding"][s]
        p_belief = _signal(p, b.prosecutor_belief_noise, facts["z_prosecutor"][s], b.belief_offset_prosecutor)
        bias = b.credulity_unadvised * np.maximum(0.0, np.minimum(b.overstatement, 0.99 - p_belief))
        noise = belief_noise(b.belief_noise_uninformed, b.belief_noise_informed, information,
                             understanding)  # plain arithmetic: arrays pass through
        belief = _signal(p, noise, facts["z_defense"][s], bias + b.belief_offset_defense)
        risk = b.risk_aversion * np.exp(b.risk_heterogeneity * facts["z_risk"][s])
        base = facts["base"][s]
        equivalent = np.where(base > 0.0, base * belief ** (1.0 / risk), 0.0)
        out[s] = equivalent + b.trial_cost_defendant - np.where(facts["guilty"][s], 0.0, b.innocence_cost)
    return out


def main() -> None:
    args = timing_options(__doc__)
    b = Behaviour()
    information = information_share(Rules().disclosure, InformationConduct.of(b))
    cases = draw_population(args.cases, Caseload(), stream(1, 0, CASES))
    facts = {name: np.array([getattr(c, attr) for c in cases]) for name, attr in (
        ("p", "conviction_probability"), ("understanding", "understanding"), ("z_prosecutor", "z_prosecutor"),
        ("z_defense", "z_defense"), ("z_risk", "z_risk"), ("base", "base_months"), ("guilty", "guilty"))}

    def best(work) -> float:
        times = []
        for _ in range(args.repeats):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return 1e9 * min(times) / args.cases

    scalar = np.array(per_case(cases, b, information))
    print(f"{args.cases} cases, best of {args.repeats} (CPU time): per case in Python "
          f"{best(lambda: per_case(cases, b, information)):.0f} ns per case")
    for size in COHORTS:
        vector = per_cohort(facts, b, information, size)
        identical = np.array_equal(vector, scalar)
        largest = float(np.max(np.abs(vector - scalar)))
        print(f"  NumPy, cohorts of {size:>5}: {best(lambda: per_cohort(facts, b, information, size)):6.0f} ns per "
              f"case; {'bit-identical' if identical else f'largest difference {largest:.1e} months'}")


if __name__ == "__main__":
    main()
