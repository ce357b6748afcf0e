"""The public observer: a citizen representative who watches a negotiation and rates its fairness."""

from __future__ import annotations

import mesa


class PublicObserver(mesa.Agent):
    """A citizen representative selected like a people's assessor (seeds/002)."""

    def __init__(self, model: mesa.Model, strictness: float) -> None:
        super().__init__(model)
        self.strictness = strictness

    def rate(self, voice: float, influence: float, ultimatum_pressure: float, z: float) -> float:
        """Procedural fairness in [0, 1] from what the observer saw: the defense heard, its proposals moving the
        terms, no ultimatum (weights 0.4, 0.4, 0.2; assumption), shifted by the observer's strictness."""
        score = 0.4 * voice + 0.4 * influence + 0.2 * (1.0 - ultimatum_pressure) - self.strictness + 0.05 * z
        return 0.0 if score < 0.0 else 1.0 if score > 1.0 else score
