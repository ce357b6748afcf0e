"""Independent random streams derived from one seed.

Each replication of a run owns a ``SeedSequence`` built from ``(seed, replication, stream)`` (and the district, in a
run split across districts: each district its own cases and institution); the case
population and the institution's persistent agents come from their own streams, so every reform arm of the
same seed and replication sees exactly the same cases and the same prosecutors, lawyers and observers
(common random numbers). Behaviour inside a case draws only on the numbers pre-drawn for that case.
"""

from __future__ import annotations

import numpy as np

CASES = 0
INSTITUTION = 1


def stream(seed: int, replication: int, name: int, district: int = 0) -> np.random.Generator:
    """The generator of one named stream of one replication in one district. District 0 (the only one of a
    single-district run) keeps the key ``(seed, replication, stream)``; district ``d ≥ 1`` appends ``d``, so no
    two districts share a stream (a trailing 0 would not change a ``SeedSequence``, hence no key ends in one)."""
    key = [int(seed), int(replication), int(name)] + ([int(district)] if district else [])
    return np.random.default_rng(np.random.SeedSequence(key))


def beta_with_mean(rng: np.random.Generator, mean: float, concentration: float, size: int) -> np.ndarray:
    """Beta draws with the given mean and concentration (alpha + beta)."""
    mean = min(max(mean, 1e-6), 1.0 - 1e-6)
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size)


def logit_normal(rng: np.random.Generator, median: float, sd: float, size: int) -> np.ndarray:
    """Draws in (0, 1) whose log-odds are normal around those of ``median`` with ``sd``; for the same generator
    state each draw increases with ``median``, so settings that differ only in it compare like with like."""
    median = min(max(median, 1e-6), 1.0 - 1e-6)
    return 1.0 / (1.0 + np.exp(-(np.log(median / (1.0 - median)) + sd * rng.standard_normal(size))))
