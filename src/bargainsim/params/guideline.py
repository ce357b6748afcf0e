"""The sentencing guideline: the plea-discount ladder, the combined cap, victim caps and credits, the usual share.

The status quo is the SPC/SPP Guiding Opinions on Sentencing (2021): a plea discount of at most 30% of the base
sentence, a combined reduction (plea, surrender, confession, restitution, compensation, forgiveness) of at most
60%, compensation plus forgiveness at most 40%, compensation alone 30%, forgiveness alone 20%; local ladders make
the plea discount larger the earlier the plea (≤30% at investigation, ≤20% at review for prosecution, ≤10% at
trial). The ladder is parametrised by its review-stage rung (where most pleas are made) and one step per stage,
so that the cap and the ladder's steepness are two independent levers (``experiments/sentencing_guideline.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bargainsim.params.validation import ConfigError, param

STAGES = ("investigation", "review", "trial")
"""The rungs of the plea-discount ladder, earliest first."""

_RUNG = {"investigation": 1, "review": 0, "trial": -1}
"""Each stage's rung: steps above (+) or below (−) the review-stage cap."""

SHARE = {"low": 0.0, "high": 1.0, "unit": "share of the base sentence"}
LADDER = "local ladders after SPC/SPP 2021"
OPINIONS = "SPC/SPP 2021 Guiding Opinions on Sentencing"
VICTIM_CREDIT = "assumption (inside the caps of SPC/SPP 2021)"
VICTIM_SETTLEMENTS = ("both", "compensation", "forgiveness")
"""The victim settlements with a cap and a credit: compensation and forgiveness, either alone."""


@dataclass
class Guideline:
    """The sentencing guideline's bounds on the plea discount and the victim credit (shares of the base sentence).

    A stage's plea-discount cap is ``plea_cap + rung·ladder_step`` (rung +1 at investigation, 0 at review, −1 at
    trial), kept within [0, 1]: a steep ladder gives a trial-stage plea no discount. A cap of 1 is no cap: the
    recommendation is then bounded only by the statutory range, since the combined cap never takes back a plea
    discount the ladder grants (at a stage whose plea cap exceeds ``total_cap`` the combined cap rises to it).
    The usual discount — the prosecutor's opening and the court's guideline sentence — is ``usual_share`` of the
    stage's cap, but of no more than the stage's rung of a ladder whose review-stage cap is ``customary_cap`` (by
    default the status quo's): a cap above today's lets the prosecutor concede further, it does not make every
    opening more generous, and without a cap the opening stays at the going rate, not at ``usual_share`` of
    everything.
    """

    plea_cap: float = param(0.20, **SHARE, source=LADDER,
                            doc="plea-discount cap at review for prosecution, where most pleas are made "
                                "(1 = no cap: the statutory range alone bounds the recommendation)")
    ladder_step: float = param(0.10, **SHARE, source=LADDER,
                               doc="how much larger the cap is one stage earlier: investigation = plea_cap + step, "
                                   "trial = plea_cap − step, kept within [0, 1] (0 = the same cap at every stage)")
    total_cap: float = param(0.60, **SHARE, source=OPINIONS,
                             doc="cap on the combined reduction (plea discount, mitigation, victim credit); at a "
                                 "stage whose plea cap is higher the combined cap rises to it")
    usual_share: float = param(0.75, low=0.0, high=1.0, unit="share of the cap",
                               source="assumption after SPC/SPP 2021 (the cap is a maximum, not the rule)",
                               doc="share of the stage's plea-discount cap usually given: the prosecutor's opening "
                                   "offer and the court's guideline sentence")
    customary_cap: float = param(0.20, **SHARE, source="assumption after SPC/SPP 2021 (the going rate of its ladder)",
                                 doc="review-stage cap of the ladder the usual discount refers to when the "
                                     "guideline's own is higher or absent (the going rate outlives a cap); it "
                                     "binds only where plea_cap exceeds it")
    victim_cap_both: float = param(0.40, **SHARE, source=OPINIONS,
                                   doc="cap on the reduction for compensation and forgiveness together")
    victim_cap_compensation: float = param(0.30, **SHARE, source=OPINIONS,
                                           doc="cap on the reduction for compensation alone")
    victim_cap_forgiveness: float = param(0.20, **SHARE, source=OPINIONS,
                                          doc="cap on the reduction for forgiveness alone")
    victim_credit_both: float = param(0.30, **SHARE, source=VICTIM_CREDIT,
                                      doc="reduction granted for compensation and forgiveness (≤ victim_cap_both)")
    victim_credit_compensation: float = param(0.20, **SHARE, source=VICTIM_CREDIT,
                                              doc="reduction granted for compensation alone "
                                                  "(≤ victim_cap_compensation)")
    victim_credit_forgiveness: float = param(0.10, **SHARE, source=VICTIM_CREDIT,
                                             doc="reduction granted for forgiveness alone (≤ victim_cap_forgiveness)")

    ladder: str = param("step", choices=("step", "table"), source=LADDER,
                        doc="how the other rungs follow from plea_cap: one ladder_step per stage, or a table "
                            "(table_investigation, plea_cap, table_trial)")
    table_investigation: float = param(0.30, **SHARE, source=LADDER,
                                       doc="plea-discount cap of the earliest stage when ladder=table")
    table_trial: float = param(0.10, **SHARE, source=LADDER,
                               doc="plea-discount cap at trial when ladder=table")

    def check(self, prefix: str) -> None:
        """Cross-field rules: each victim credit within its cap; a joint settlement's cap and credit no smaller than
        either alone's."""
        for settlement in VICTIM_SETTLEMENTS:
            credit, cap = f"victim_credit_{settlement}", f"victim_cap_{settlement}"
            if getattr(self, credit) > getattr(self, cap):
                raise ConfigError(f"{prefix}.{credit} = {getattr(self, credit)!r} exceeds {prefix}.{cap} = "
                                  f"{getattr(self, cap)!r}; allowed: a credit within its cap")
        for kind in ("cap", "credit"):
            both = getattr(self, f"victim_{kind}_both")
            for alone in ("compensation", "forgiveness"):
                if both < getattr(self, f"victim_{kind}_{alone}"):
                    raise ConfigError(f"{prefix}.victim_{kind}_both = {both!r} is below {prefix}.victim_{kind}_"
                                      f"{alone} = {getattr(self, f'victim_{kind}_{alone}')!r}; allowed: "
                                      f"compensation and forgiveness earn at least what {alone} alone earns")

    def plea_caps(self) -> dict[str, float]:
        """The plea-discount cap of each stage (the ladder's rungs, or the table's)."""
        if self.ladder == "table":
            return {"investigation": self.table_investigation, "review": self.plea_cap, "trial": self.table_trial}
        return {stage: _rung(self.plea_cap, self.ladder_step, stage) for stage in STAGES}

    def usual_bases(self) -> dict[str, float]:
        """Per stage, the cap the usual discount is a share of: the stage's cap, or the customary ladder's rung if
        that is lower (a table scaled by customary_cap / plea_cap)."""
        customary = min(self.plea_cap, self.customary_cap)
        if self.ladder == "table":
            scale = customary / self.plea_cap if self.plea_cap > 0.0 else 1.0
            return {stage: round(cap * scale, 12) for stage, cap in self.plea_caps().items()}
        return {stage: _rung(customary, self.ladder_step, stage) for stage in STAGES}

    def combined_caps(self) -> dict[str, float]:
        """Per stage, the cap on the combined reduction of a plea at that stage: the total cap, or the stage's
        plea cap if that is higher."""
        return {stage: max(self.total_cap, cap) for stage, cap in self.plea_caps().items()}

    def victim_credits(self) -> dict[tuple[bool, bool], float]:
        """The reduction for each victim settlement, (compensated, forgiven) → share, never above its cap."""
        return {(True, True): min(self.victim_credit_both, self.victim_cap_both),
                (True, False): min(self.victim_credit_compensation, self.victim_cap_compensation),
                (False, True): min(self.victim_credit_forgiveness, self.victim_cap_forgiveness),
                (False, False): 0.0}


def _rung(review: float, step: float, stage: str) -> float:
    """A stage's rung of the ladder through ``review`` with ``step``, within [0, 1]. Rounded to 12 decimals, so
    that a ladder written in percentages gets the rungs as written (0.2 + 0.1 is 0.3, not 0.30000000000000004)."""
    rung = round(review + _RUNG[stage] * step, 12)
    return 1.0 if rung > 1.0 else 0.0 if rung < 0.0 else rung
