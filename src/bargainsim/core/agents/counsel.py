"""Defense counsel: a state duty lawyer or retained counsel, who prepares, advises and may sign."""

from __future__ import annotations

import mesa

from bargainsim.params import Behaviour


class DutyLawyer(mesa.Agent):
    """A lawyer of the legal-aid roster (``kind='duty'``) or a retained defense lawyer (``kind='retained'``)."""

    def __init__(self, model: mesa.Model, kind: str, quality: float, role: str, hours_per_day: float) -> None:
        super().__init__(model)
        self.kind = kind
        self.quality = quality
        self.role = role
        self.hours_per_day = hours_per_day
        self.open_cases = 0

    def take_case(self) -> None:
        self.open_cases += 1

    def release_case(self) -> None:
        self.open_cases -= 1

    def preparation(self, behaviour: Behaviour, assigned_day: int, day: int, hours_needed: float) -> float:
        """Share of the needed preparation done by ``day``, given the lawyer's caseload and role."""
        effort = 1.0 if self.role == "advocate" else behaviour.endorse_effort
        if hours_needed <= 0.0:
            return effort
        hours = (day - assigned_day + 1) * self.hours_per_day / max(1, self.open_cases)
        return min(effort, hours / hours_needed)

    def capacity(self, preparation: float) -> float:
        """How well the lawyer can read the file and evaluate the case, in [0, 1]."""
        return self.quality * preparation

    def find_mitigation(self, mitigation: float, preparation: float) -> float:
        """Sentencing chips: the share of the case's mitigating facts the lawyer establishes."""
        return mitigation * self.quality * preparation

    def credulity(self, behaviour: Behaviour) -> float:
        """How much of the prosecution's overstatement reaches the suspect through this lawyer."""
        return behaviour.credulity_advocate if self.role == "advocate" else behaviour.credulity_endorse

    def signs(self, recommendation: float, own_reservation: float) -> bool:
        """Whether the lawyer signs a tripartite agreement: an advocate only for a deal it would advise."""
        return self.role == "endorse" or recommendation <= own_reservation + 1e-9
