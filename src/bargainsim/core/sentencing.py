"""The sentencing guideline applied: the stage's plea-discount cap, the usual discount, the combined cap, victim
credits, and the statutory range.

The guideline's parameters are :class:`~bargainsim.params.Guideline` (``rules.guideline``; status quo: the SPC/SPP
Guiding Opinions on Sentencing 2021 with a local stage ladder — ≤30% at investigation, ≤20% at review for
prosecution, ≤10% at trial; combined reduction ≤60%; compensation plus forgiveness ≤40%, compensation alone ≤30%,
forgiveness alone ≤20%). A model reads them as :class:`Terms`, computed once. A sentence never leaves the
offense's statutory range.
"""

from __future__ import annotations

from dataclasses import dataclass

from bargainsim.params import Guideline


@dataclass(frozen=True, slots=True)
class Terms:
    """A guideline's terms per ladder stage, as the procedure applies them (see :class:`Guideline`): the plea
    cap, the cap the usual discount is a share of, the combined cap of a plea at that stage; the total cap of a
    sentence without a plea; the usual share; the credit of each victim settlement (compensated, forgiven)."""

    plea_cap: dict[str, float]
    usual_base: dict[str, float]
    combined_cap: dict[str, float]
    total_cap: float
    usual_share: float
    victim_credits: dict[tuple[bool, bool], float]

    @classmethod
    def of(cls, guideline: Guideline) -> Terms:
        return cls(guideline.plea_caps(), guideline.usual_bases(), guideline.combined_caps(), guideline.total_cap,
                   guideline.usual_share, guideline.victim_credits())

    def usual(self, stage: str, share: float | None = None) -> float:
        """The usual plea discount at ``stage``: ``share`` (by default the guideline's usual share) of the cap it
        refers to."""
        return self.usual_base[stage] * (self.usual_share if share is None else share)

    def lowest(self, base: float, low: float, high: float, stage: str | None = None) -> float:
        """The lowest sentence the guideline and the statute allow on ``base``: the combined cap of a plea at
        ``stage`` taken in full, or the total cap without a plea."""
        return lowest(base, low, high, self.total_cap if stage is None else self.combined_cap[stage])

    def victim_credit(self, compensated: bool, forgiven: bool) -> float:
        """The reduction a victim settlement earns, never above its cap."""
        return self.victim_credits[compensated, forgiven]


def clamp(months: float, low: float, high: float) -> float:
    """Keep a sentence inside the statutory range."""
    return high if months > high else low if months < low else months


def sentence(base: float, low: float, high: float, plea: float = 0.0, mitigation: float = 0.0,
             victim: float = 0.0, *, cap: float) -> float:
    """Months after the plea discount, other mitigation and victim credit (their sum at most ``cap``: the
    guideline's total cap, or a stage's combined cap for a plea), inside [low, high]."""
    return capped(base, low, high, plea, mitigation, victim, cap)


def capped(base: float, low: float, high: float, plea: float, mitigation: float, victim: float,
           cap: float) -> float:
    """:func:`sentence` with every argument given in order (as the compiled procedure calls it)."""
    reduction = plea + mitigation + victim
    if reduction > cap:
        reduction = cap
    months = base * (1.0 - reduction)
    return high if months > high else low if months < low else months


def lowest(base: float, low: float, high: float, cap: float) -> float:
    """The lowest sentence ``cap`` (a combined or the total cap, taken in full) and the statute allow on ``base``
    (:meth:`Terms.lowest` in plain numbers)."""
    return capped(base, low, high, 1.0, 0.0, 0.0, cap)


def plea_sentence(base: float, low: float, high: float, terms: Terms, stage: str, mitigation: float,
                  victim: float) -> float:
    """The sentence with the full plea discount of ``stage`` (the floor of its band)."""
    return sentence(base, low, high, terms.plea_cap[stage], mitigation, victim, cap=terms.combined_cap[stage])


def guideline_band(base: float, low: float, high: float, terms: Terms, stage: str, share: float,
                   mitigation: float, victim: float) -> tuple[float, float, float]:
    """(floor, standard, ceiling): the sentence with the ``stage``'s full plea discount, with ``share`` of the
    usual discount's cap, and with none — each after mitigation and victim credit, inside the statutory range."""
    return band(base, low, high, terms.combined_cap[stage], terms.plea_cap[stage], terms.usual(stage, share),
                mitigation, victim)


def band(base: float, low: float, high: float, cap: float, plea: float, usual: float, mitigation: float,
         victim: float) -> tuple[float, float, float]:
    """:func:`guideline_band` in plain numbers: the combined ``cap``, the full ``plea`` discount and the ``usual``
    one. (Each is :func:`sentence` with that plea discount, written out: the band is computed for every
    negotiation.)"""
    full = plea + mitigation + victim
    usual = usual + mitigation + victim
    none = 0.0 + mitigation + victim
    floor = base * (1.0 - (cap if full > cap else full))
    standard = base * (1.0 - (cap if usual > cap else usual))
    ceiling = base * (1.0 - (cap if none > cap else none))
    return (high if floor > high else low if floor < low else floor,
            high if standard > high else low if standard < low else standard,
            high if ceiling > high else low if ceiling < low else ceiling)
