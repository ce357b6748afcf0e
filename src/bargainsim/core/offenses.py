"""The offense catalogue: statutory ranges from the Criminal Law, guideline starting points, case-mix shares.

Statutory ranges (months) follow the cited articles of the PRC Criminal Law; the guideline starting-point
ranges and the within-track shares are assumptions for a typical basic-level district.
A case is on the misdemeanor track when its statutory maximum is 3 years or less (speedy procedure,
CPL arts. 222-225); otherwise it is on the felony track. A felony band may name its lesser band: the offense a
charge bargain (FRCrP 11(c)(1)(A)) lets the defendant plead to, whose statutory range then bounds the plea's
sentence (the first band of the same article, or for robbery theft, its lesser included offense: assumption).
"""

from __future__ import annotations

from dataclasses import dataclass

MISDEMEANOR_MAX_MONTHS = 36.0


@dataclass(frozen=True)
class Offense:
    """One offense band: its statutory range, the guideline's starting-point range, and who it harms."""

    name: str
    statute: str
    statutory_min: float
    statutory_max: float
    start_low: float
    start_high: float
    victim_share: float
    share_in_track: float
    lesser: str = ""

    @property
    def track(self) -> str:
        return "misdemeanor" if self.statutory_max <= MISDEMEANOR_MAX_MONTHS else "felony"


CATALOGUE: tuple[Offense, ...] = (
    Offense("dangerous_driving", "Criminal Law art. 133-1", 1.0, 6.0, 1.5, 4.0, 0.05, 0.40),
    Offense("theft", "Criminal Law art. 264 (first band)", 1.0, 36.0, 4.0, 18.0, 0.90, 0.25),
    Offense("network_crime_assistance", "Criminal Law art. 287-2", 1.0, 36.0, 6.0, 14.0, 0.0, 0.15),
    Offense("minor_injury", "Criminal Law art. 234 para. 1", 1.0, 36.0, 6.0, 18.0, 1.0, 0.10),
    Offense("fraud", "Criminal Law art. 266 (first band)", 1.0, 36.0, 6.0, 20.0, 0.95, 0.10),
    Offense("serious_theft", "Criminal Law art. 264 (second band)", 36.0, 120.0, 36.0, 72.0, 0.90, 0.25, "theft"),
    Offense("robbery", "Criminal Law art. 263", 36.0, 120.0, 36.0, 84.0, 1.0, 0.20, "theft"),
    Offense("serious_injury", "Criminal Law art. 234 para. 2", 36.0, 120.0, 36.0, 90.0, 1.0, 0.15, "minor_injury"),
    Offense("large_fraud", "Criminal Law art. 266 (second band)", 36.0, 120.0, 36.0, 80.0, 0.95, 0.25, "fraud"),
    Offense("picking_quarrels", "Criminal Law art. 293", 1.0, 60.0, 12.0, 36.0, 0.60, 0.15),
)


def lesser_range(offense: Offense) -> tuple[float, float]:
    """The statutory range of the offense's lesser band, (0, 0) if it has none."""
    lesser = next((o for o in CATALOGUE if o.name == offense.lesser), None) if offense.lesser else None
    return (lesser.statutory_min, lesser.statutory_max) if lesser is not None else (0.0, 0.0)


def track_offenses(track: str) -> tuple[Offense, ...]:
    """The offenses of one track, in catalogue order."""
    return tuple(o for o in CATALOGUE if o.track == track)
