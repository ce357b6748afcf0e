"""The victim: heard or not, settles compensation, may forgive, and judges the outcome."""

from __future__ import annotations

from dataclasses import dataclass

import mesa

from bargainsim.params import BehaviourSlice


@dataclass(frozen=True, slots=True)
class VictimConduct(BehaviourSlice):
    """What a victim's settlement depends on."""

    victim_heard_status_quo: float
    victim_acceptance_share: float
    self_restitution: float
    compensation_default: float


class Victim(mesa.Agent):
    """The victim of one case. The compensation demand is the unit of money (1.0)."""

    def __init__(self, model: mesa.Model, ability_to_pay: float, forgiveness: float, conduct: VictimConduct) -> None:
        super().__init__(model)
        self.ability_to_pay = ability_to_pay
        self.forgiveness = forgiveness
        self.conduct = conduct
        self.heard = False
        self.paid = 0.0
        self.compensated = False
        self.forgiven = False
        self.unpaid = False

    def settle(self, heard: bool, u_restitution: float, u_forgive: float) -> None:
        """Negotiate compensation and forgiveness (谅解): a heard victim accepts part of its demand; an unheard
        one is compensated only on the suspect's own initiative and forgives less readily."""
        self.heard = heard
        if heard:
            self.compensated = self.ability_to_pay >= self.conduct.victim_acceptance_share
            self.paid = min(1.0, self.ability_to_pay) if self.compensated else 0.0
            forgive_chance = self.forgiveness
        else:
            self.compensated = u_restitution < self.conduct.self_restitution and self.ability_to_pay >= 1.0
            self.paid = 1.0 if self.compensated else 0.0
            forgive_chance = 0.5 * self.forgiveness
        self.forgiven = self.compensated and u_forgive < forgive_chance

    def go_unpaid(self) -> None:
        """The compensation agreed is not paid: nothing is, and the forgiveness given for it is withdrawn."""
        self.compensated, self.forgiven, self.paid, self.unpaid = False, False, 0.0, True

    @property
    def opposes(self) -> bool:
        """A heard victim who has not forgiven opposes the usual plea discount (CPL art. 173)."""
        return self.heard and not self.forgiven

    def desired_sentence(self, trial_sentence: float) -> float:
        """The sentence the victim asks for: the full trial sentence, halved by forgiveness."""
        return trial_sentence * (0.5 if self.forgiven else 1.0)

    def satisfaction(self, sentence: float, trial_sentence: float) -> float:
        """Satisfaction in [0, 1]: being heard, being compensated, and the sentence matching the wish
        (weights 0.35, 0.35, 0.30; assumption)."""
        desired = self.desired_sentence(trial_sentence)
        fit = 1.0 - min(1.0, abs(sentence - desired) / desired) if desired > 0 else 1.0
        return 0.35 * self.heard + 0.35 * min(1.0, self.paid) + 0.30 * fit
