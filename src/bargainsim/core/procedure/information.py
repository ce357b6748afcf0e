"""Beliefs about the conviction probability: noisy signals of the truth on the logit scale.

A signal is the truth moved by normal noise on the log-odds scale, so it stays inside (0, 1) without clipping
and is unbiased in log-odds whatever the case's strength; a shift in probability units (a believed
overstatement, a blind spot) is added afterwards, and the result kept in [0.01, 0.99].
"""

from __future__ import annotations

import math

from bargainsim.params import Behaviour

LOW, HIGH = 0.01, 0.99


def signal(truth: float, sd: float, z: float, shift: float = 0.0) -> float:
    """A belief: ``truth`` moved by ``sd · z`` in log-odds, then by ``shift`` in probability."""
    truth = LOW if truth < LOW else HIGH if truth > HIGH else truth
    belief = 1.0 / (1.0 + math.exp(-(math.log(truth / (1.0 - truth)) + sd * z))) + shift
    return LOW if belief < LOW else HIGH if belief > HIGH else belief


def belief_noise(behaviour: Behaviour, information: float, capacity: float) -> float:
    """Sd (log-odds) of the defense's signal: it shrinks with the information disclosed and the capacity to read
    it, from ``belief_noise_uninformed`` to ``belief_noise_informed``."""
    b = behaviour
    return b.belief_noise_uninformed - (b.belief_noise_uninformed - b.belief_noise_informed) * information * capacity


def information_share(disclosure: str, behaviour: Behaviour) -> float:
    """Share of the conviction-relevant information the defense can see under a disclosure rule: restricted
    access, core evidence in full with an index of the rest, or the whole file."""
    if disclosure == "full":
        return 1.0
    if disclosure == "core":
        core = behaviour.core_evidence_share
        return core + (1.0 - core) * behaviour.peripheral_index_share
    return behaviour.restricted_file_share
