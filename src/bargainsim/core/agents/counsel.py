"""Defense counsel: a duty lawyer of the legal-aid roster or retained counsel, who prepares, advises and may sign."""

from __future__ import annotations

from dataclasses import dataclass

import mesa

from bargainsim.params import BehaviourSlice


@dataclass(frozen=True, slots=True)
class CounselConduct(BehaviourSlice):
    """What counsel's work depends on."""

    endorse_effort: float
    credulity_endorse: float
    credulity_advocate: float
    bail_argument: float


class Counsel(mesa.Agent):
    """A lawyer of the legal-aid roster (``kind='duty'``, seeds/004 §2.2) or a retained defense lawyer
    (``kind='retained'``), acting as an ``'advocate'`` or as a witness who ``'endorse'``s the deal."""

    def __init__(self, model: mesa.Model, kind: str, quality: float, role: str, hours_per_day: float,
                 conduct: CounselConduct) -> None:
        super().__init__(model)
        self.kind = kind
        self.quality = quality
        self.role = role
        self.hours_per_day = hours_per_day
        self.conduct = conduct
        self.open_cases = 0

    def take_case(self) -> None:
        self.open_cases += 1

    def release_case(self) -> None:
        self.open_cases -= 1

    @property
    def advocates(self) -> bool:
        """The lawyer acts as an advocate, not as a witness who endorses the deal."""
        return self.role == "advocate"

    @property
    def effort(self) -> float:
        """Share of the needed preparation the lawyer does: all of it as an advocate."""
        return 1.0 if self.advocates else self.conduct.endorse_effort

    def preparation(self, assigned_day: int, day: int, hours_needed: float) -> float:
        """Share of the needed preparation done by ``day``, given the lawyer's caseload and role."""
        effort = self.effort
        if hours_needed <= 0.0:
            return effort
        hours = (day - assigned_day + 1) * self.hours_per_day / max(1, self.open_cases)
        return min(effort, hours / hours_needed)

    def capacity(self, preparation: float) -> float:
        """How well the lawyer can read the file and evaluate the case, in [0, 1]; also the share of the
        mitigating facts not on file that its work establishes."""
        return self.quality * preparation

    def credulity(self) -> float:
        """How much of the prosecution's overstatement reaches the suspect through this lawyer."""
        return self.conduct.credulity_advocate if self.advocates else self.conduct.credulity_endorse

    def argues_release(self, u_bail: float) -> bool:
        """Counsel present during investigation argues against detention necessity (seeds/004 §3.2)."""
        return u_bail < self.conduct.bail_argument * self.quality

    def signs(self, recommendation: float, own_reservation: float) -> bool:
        """Whether the lawyer signs a tripartite agreement: an advocate only for a deal it would advise."""
        return not self.advocates or recommendation <= own_reservation + 1e-9
