"""The validation facts (conf/validation/facts.yaml): each fact's measure on the simulated case records, and its verdict
against the published figure or direction.

The facts were registered before any model figure for them was looked at, with their tolerances; none is a
calibration target. A measure is one statistic per replication: of the status quo's records, or the paired
difference of two arms on the same cases, or of the vignette grid's acceptance rates (the Plea-Justice grid, one
draw of suspects per replication). Verdicts follow the registered protocol:

- a magnitude passes when the mean over replications lies inside its band (the 95% CI is reported, not used);
- a direction passes when the Student-t 95% CI over replications excludes 0 with the expected sign, fails when it
  excludes 0 with the other sign, and is otherwise inconclusive;
- an invariant (a maximum that must not be positive) passes when it holds in every case of every arm.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from bargainsim.core.procedure.court import RANGE_HALF_WIDTH
from bargainsim.core.record import STATUS_QUO

Frames = Mapping[str, pd.DataFrame]
"""Case records by arm label, and the vignette grid's acceptance table under :data:`VIGNETTE`."""

COUNSEL_ARM = "effective_counsel"
"""The second arm some facts compare with the status quo, on the same cases."""

LEVEL = 0.95


def _by_replication(frame: pd.DataFrame, statistic: Callable[[pd.DataFrame], float]) -> pd.Series:
    return pd.Series({r: statistic(group) for r, group in frame.groupby("replication", sort=True)}, dtype=float)


def _share(frame: pd.DataFrame, value: pd.Series, among: pd.Series) -> pd.Series:
    """Per replication: the share of ``value`` among the cases of ``among``."""
    data = pd.DataFrame({"replication": frame.replication, "value": value.astype(float), "among": among})
    return data[data.among].groupby("replication", sort=True).value.mean()


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("boolean").fillna(False).astype(bool)


def _gap(frame: pd.DataFrame, value: pd.Series, first: pd.Series, second: pd.Series, among: pd.Series,
         within: tuple[str, ...] = ()) -> pd.Series:
    """Per replication: mean ``value`` of group ``first`` minus group ``second`` among ``among``; with ``within``,
    the difference inside each cell of like cases that has both groups, weighted by the cell's size."""
    data = pd.DataFrame({"replication": frame.replication, "value": value.astype(float), "first": first,
                         "second": second, **{key: frame[key] for key in within}})[among & (first | second)]

    def difference(group: pd.DataFrame) -> float:
        if not within:
            return group.value[group["first"]].mean() - group.value[group["second"]].mean()
        total = weight = 0.0
        for _, cell in group.groupby(list(within), sort=True, observed=True):
            if cell["first"].any() and cell["second"].any():
                total += len(cell) * (cell.value[cell["first"]].mean() - cell.value[cell["second"]].mean())
                weight += len(cell)
        return total / weight if weight else float("nan")

    return _by_replication(data, difference)


# -- the measures, by fact id ------------------------------------------------------------------------------------

def court_adjustment_suggested_share(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _share(f, f.deviated, f.pleaded)


def court_deviation_heavier_share(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    ranged = ~_flag(f, "determinate")
    rec, months = f.recommendation_months, f.sentence_months
    upper, lower = rec * (1.0 + RANGE_HALF_WIDTH * ranged), rec * (1.0 - RANGE_HALF_WIDTH * ranged)
    changed = np.where(ranged, (months > upper) | (months < lower), (months - rec).abs() > 0.5)
    return _share(f, months > upper, f.pleaded & f.convicted & pd.Series(changed, index=f.index))


def non_plea_first_instance_acceptance(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _share(f, ~f.appealed, ~f.pleaded & f.tried & f.convicted)


def tried_first_instance_acceptance(arms: Frames) -> pd.Series:
    """Over all tried cases (acquittals count as accepted): reported beside the registered measure."""
    f = arms[STATUS_QUO]
    return _share(f, ~f.appealed, ~f.pleaded & f.tried)


def plea_protest_rate(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _share(f, f.protested, f.pleaded)


def protest_change_rate(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _share(f, f.revised, f.protested)


def acquittal_rate(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _share(f, f.tried & ~f.convicted, ~f.non_prosecution)


def evidentiary_non_prosecution_rate(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _share(f, f.non_prosecution, pd.Series(True, index=f.index))


def short_sentence_share(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _share(f, f.sentence_months <= 36.0, f.convicted)


def plea_cases_appeal_less(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _gap(f, f.appealed, f.pleaded, f.tried, f.convicted)


def better_counsel_shorter_sentences(arms: Frames) -> pd.Series:
    """(a) within offense × prior record: sentence relative to the base, retained minus duty counsel."""
    f = arms[STATUS_QUO]
    return _gap(f, f.sentence_months / f.base_months, f.lawyer_type == "retained", f.lawyer_type == "duty",
                f.pleaded & f.convicted, ("offense", "prior_record"))


def better_counsel_shorter_sentences_reform(arms: Frames) -> pd.Series:
    """(b) effective counsel against the status quo, paired: mean sentence over convicted cases."""
    def mean_sentence(frame: pd.DataFrame) -> pd.Series:
        return _share(frame, frame.sentence_months, frame.convicted)
    return mean_sentence(arms[COUNSEL_ARM]) - mean_sentence(arms[STATUS_QUO])


def retained_counsel_more_influence(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _gap(f, f.defense_influence, f.lawyer_type == "retained", f.lawyer_type == "duty", f.pleaded)


def detention_raises_plea(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _gap(f, f.pleaded, f.detained & ~f.released_on_bail, ~f.detained, ~f.non_prosecution, ("offense",))


def victim_remedy_more_common_in_plea_cases(arms: Frames) -> pd.Series:
    """Compensation (forgiveness is :func:`victim_forgiveness_more_common_in_plea_cases`)."""
    f = arms[STATUS_QUO]
    return _gap(f, f.compensated, f.pleaded, ~f.pleaded, f.has_victim, ("offense",))


def victim_forgiveness_more_common_in_plea_cases(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _gap(f, f.forgiven, f.pleaded, ~f.pleaded, f.has_victim, ("offense",))


def plea_faster_disposition(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _gap(f, f.days_to_disposition, f.pleaded, f.tried, pd.Series(True, index=f.index), ("offense",))


def misdemeanor_application_higher(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _gap(f, f.pleaded, f.track == "misdemeanor", f.track == "felony", ~f.non_prosecution)


def misdemeanor_larger_leniency(arms: Frames) -> pd.Series:
    f = arms[STATUS_QUO]
    return _gap(f, f.discount_vs_trial, f.track == "misdemeanor", f.track == "felony", f.pleaded & f.convicted)


# -- the vignette grid's measures (arms["vignette"]: the grid's acceptance table, one per replication) -------------

VIGNETTE = "vignette"


def _vignette_rate(arms: Frames, **where: object) -> pd.Series:
    """Per replication: the mean acceptance rate over the grid's cells that match ``where`` (equal weights)."""
    table = arms[VIGNETTE]
    keep = pd.Series(True, index=table.index)
    for column, value in where.items():
        keep &= table[column] == value
    return table[keep].groupby("replication", sort=True).rate.mean()


def lab_innocent_to_guilty_acceptance_ratio(arms: Frames) -> pd.Series:
    return _vignette_rate(arms, guilt="innocent") / _vignette_rate(arms, guilt="guilty")


def innocents_plead_less(arms: Frames) -> pd.Series:
    return _vignette_rate(arms, guilt="innocent") - _vignette_rate(arms, guilt="guilty")


def innocents_plead_less_in_every_cell(arms: Frames) -> pd.Series:
    """The largest difference over the grid's cells, innocent minus guilty acceptance, in the same condition."""
    table = arms[VIGNETTE]
    conditions = [c for c in table.columns if c not in ("guilt", "n", "accepted", "rate", "ci_low", "ci_high")]
    wide = table.pivot_table("rate", conditions, "guilt")
    gap = (wide["innocent"] - wide["guilty"]).rename("gap").reset_index()
    return gap.groupby("replication", sort=True).gap.max()


def _by_probability(arms: Frames, **where: object) -> pd.Series:
    table = arms[VIGNETTE]
    high, low = table.conviction_probability.max(), table.conviction_probability.min()
    return _vignette_rate(arms, conviction_probability=high, **where) - \
        _vignette_rate(arms, conviction_probability=low, **where)


def acceptance_rises_with_conviction_probability(arms: Frames) -> pd.Series:
    """Innocent suspects (the guilty: :func:`guilty_acceptance_with_conviction_probability`)."""
    return _by_probability(arms, guilt="innocent")


def guilty_acceptance_with_conviction_probability(arms: Frames) -> pd.Series:
    return _by_probability(arms, guilt="guilty")


def acceptance_rises_with_discount(arms: Frames, **where: object) -> pd.Series:
    table = arms[VIGNETTE]
    return _vignette_rate(arms, offer=table.offer.min(), **where) - \
        _vignette_rate(arms, offer=table.offer.max(), **where)


def guilty_acceptance_with_discount(arms: Frames) -> pd.Series:
    return acceptance_rises_with_discount(arms, guilt="guilty")


def innocent_acceptance_with_discount(arms: Frames) -> pd.Series:
    return acceptance_rises_with_discount(arms, guilt="innocent")


@dataclass(frozen=True)
class Measure:
    """How a fact is measured: the statistic, the fact it belongs to, what it is (in words) and, for a
    direction, the expected sign."""

    fact: str
    statistic: Callable[[Frames], pd.Series]
    label: str
    expect: int = 0
    strict: bool = True
    """A direction passes when its CI excludes 0 with the expected sign; not strict: unless it excludes 0 with
    the other sign ('not negative')."""
    judged: bool = True
    """False for a figure the registration asks to report beside the judged one."""


MEASURES: tuple[Measure, ...] = (
    Measure("court_adjustment_suggested_share", court_adjustment_suggested_share,
            "pleas the court did not sentence as recommended (adjustment suggested, made or refused)"),
    Measure("court_deviation_heavier_share", court_deviation_heavier_share,
            "changed pleas sentenced above the recommendation"),
    Measure("non_plea_first_instance_acceptance", non_plea_first_instance_acceptance,
            "trial convictions not appealed"),
    Measure("non_plea_first_instance_acceptance", tried_first_instance_acceptance,
            "tried cases not appealed, acquittals included (reported)", judged=False),
    Measure("plea_protest_rate", plea_protest_rate, "pleaded cases protested"),
    Measure("protest_change_rate", protest_change_rate, "protested cases changed at second instance"),
    Measure("acquittal_rate", acquittal_rate, "indicted cases acquitted"),
    Measure("evidentiary_non_prosecution_rate", evidentiary_non_prosecution_rate,
            "cases not prosecuted for insufficient evidence"),
    Measure("short_sentence_share", short_sentence_share, "convictions with 36 months or less"),
    Measure("lab_innocent_to_guilty_acceptance_ratio", lab_innocent_to_guilty_acceptance_ratio,
            "vignette grid: mean acceptance of the innocent / of the guilty"),
    Measure("plea_cases_appeal_less", plea_cases_appeal_less,
            "appeal rate, pleaded minus tried (convicted)", -1),
    Measure("better_counsel_shorter_sentences", better_counsel_shorter_sentences,
            "(a) sentence / base, retained minus duty counsel, like cases", -1),
    Measure("better_counsel_shorter_sentences", better_counsel_shorter_sentences_reform,
            "(b) mean sentence of the convicted, effective_counsel minus status quo (months)", -1),
    Measure("retained_counsel_more_influence", retained_counsel_more_influence,
            "defense influence, retained minus duty counsel", 1),
    Measure("detention_raises_plea", detention_raises_plea,
            "plea share, detained minus at liberty, like offenses", 1),
    Measure("innocents_plead_less", innocents_plead_less,
            "vignette grid: acceptance, innocent minus guilty", -1),
    Measure("innocents_plead_less", innocents_plead_less_in_every_cell,
            "vignette grid: largest cell difference, innocent minus guilty (not positive)", -1, strict=False),
    Measure("acceptance_rises_with_conviction_probability", acceptance_rises_with_conviction_probability,
            "vignette grid: innocent acceptance, highest minus lowest stated p", 1),
    Measure("acceptance_rises_with_conviction_probability", guilty_acceptance_with_conviction_probability,
            "vignette grid: guilty acceptance, highest minus lowest stated p (not negative)", 1, strict=False),
    Measure("acceptance_rises_with_discount", acceptance_rises_with_discount,
            "vignette grid: acceptance, lowest minus highest offer", 1),
    Measure("acceptance_rises_with_discount", guilty_acceptance_with_discount,
            "vignette grid: guilty acceptance, lowest minus highest offer (not negative)", 1, strict=False),
    Measure("acceptance_rises_with_discount", innocent_acceptance_with_discount,
            "vignette grid: innocent acceptance, lowest minus highest offer (not negative)", 1, strict=False),
    Measure("victim_remedy_more_common_in_plea_cases", victim_remedy_more_common_in_plea_cases,
            "(a) victims compensated, pleaded minus not, like offenses", 1),
    Measure("victim_remedy_more_common_in_plea_cases", victim_forgiveness_more_common_in_plea_cases,
            "(b) victims forgiving, pleaded minus not, like offenses", 1),
    Measure("plea_faster_disposition", plea_faster_disposition,
            "working days to disposition, pleaded minus tried, like offenses", -1),
    Measure("misdemeanor_application_higher", misdemeanor_application_higher,
            "plea share, misdemeanor minus felony track", 1),
    Measure("misdemeanor_larger_leniency", misdemeanor_larger_leniency,
            "discount vs trial, misdemeanor minus felony track", 1),
)
"""The measures computable from the case records, in the order of the table (a fact may have two)."""

INVARIANT = "appeal_never_heavier"
"""Checked over every arm as the records stream past (:class:`AppealCheck`), not per replication."""


@dataclass
class AppealCheck:
    """上诉不加刑 over every arm: the largest rise of a sentence on an appeal not protested, and how many protested
    judgments were made heavier."""

    largest_rise: float = -np.inf
    appeals: int = 0
    heavier_on_protest: int = 0

    COLUMNS = ("appealed", "protested", "sentence_months", "final_sentence_months")
    """The record columns the check reads."""

    def add(self, frame: pd.DataFrame) -> None:
        rise = frame.final_sentence_months - frame.sentence_months
        alone = frame.appealed & ~frame.protested
        self.appeals += int(alone.sum())
        if alone.any():
            self.largest_rise = max(self.largest_rise, float(rise[alone].max()))
        self.heavier_on_protest += int((frame.protested & (rise > 1e-9)).sum())

    @property
    def verdict(self) -> str:
        if self.appeals == 0:
            return "INCONCLUSIVE"
        return "PASS" if self.largest_rise <= 1e-9 and self.heavier_on_protest > 0 else "FAIL"


def interval(values: pd.Series, level: float = LEVEL) -> tuple[float, float, float]:
    """(mean, CI low, CI high): the Student-t interval over replications."""
    values = values.dropna()
    mean = float(values.mean())
    if len(values) < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
    return mean, mean - half, mean + half


def band(fact: Mapping[str, object]) -> tuple[float, float]:
    """A magnitude's registered band: given explicitly, or the published figure ± its tolerance."""
    if fact.get("band") is not None:
        low, high = fact["band"]
        return float(low), float(high)
    published, tolerance = float(fact["published"]), float(fact["tolerance"])
    return published - tolerance, published + tolerance


def verdict(fact: Mapping[str, object], measure: Measure, mean: float, low: float, high: float) -> str:
    """The registered protocol's verdict on one measure (REPORTED for a figure that is reported, not judged)."""
    if not measure.judged:
        return "REPORTED"
    if np.isnan(mean):
        return "NOT EVALUABLE"
    if fact["kind"] == "magnitude":
        lower, upper = band(fact)
        return "PASS" if lower <= mean <= upper else "FAIL"
    if np.isnan(low):
        return "INCONCLUSIVE"
    if measure.expect * low < 0 and measure.expect * high < 0:
        return "FAIL"
    if not measure.strict or (measure.expect * low > 0 and measure.expect * high > 0):
        return "PASS"
    return "INCONCLUSIVE"


def evaluate(facts: list[Mapping[str, object]], arms: Frames, appeals: AppealCheck | None = None) -> pd.DataFrame:
    """The validation table: one row per measure of each registered fact, with the model's mean and 95% CI over
    replications and the verdict; a fact the model cannot measure yet is listed as NOT EVALUABLE."""
    rows = []
    measured = {m.fact for m in MEASURES} | {INVARIANT}
    for fact in facts:
        published = fact.get("published")
        base = {"fact": fact["id"], "kind": fact["kind"], "published": published, "note": "",
                "band": "" if fact["kind"] != "magnitude" else "[{:.4g}, {:.4g}]".format(*band(fact))}
        if fact["id"] == INVARIANT:
            check = appeals or AppealCheck()
            rows.append({**base, "measure": "largest rise of a sentence on an appeal alone, every arm (months; an "
                                            "invariant the second instance holds by construction)",
                         "mean": check.largest_rise, "ci_low": float("nan"), "ci_high": float("nan"),
                         "verdict": check.verdict,
                         "note": f"{check.appeals} appeals alone; {check.heavier_on_protest} protested judgments "
                                 "made heavier"})
            continue
        if fact["id"] not in measured:
            rows.append({**base, "measure": "no measure", "mean": float("nan"), "ci_low": float("nan"),
                         "ci_high": float("nan"), "verdict": "NOT EVALUABLE"})
            continue
        for measure in (m for m in MEASURES if m.fact == fact["id"]):
            mean, low, high = interval(measure.statistic(arms))
            rows.append({**base, "measure": measure.label, "mean": mean, "ci_low": low, "ci_high": high,
                         "verdict": verdict(fact, measure, mean, low, high)})
    return pd.DataFrame(rows)


SEVERITY = ("FAIL", "INCONCLUSIVE", "NOT EVALUABLE", "PASS")


def fact_verdicts(table: pd.DataFrame) -> pd.Series:
    """One verdict per fact: PASS when every judged measure passes, otherwise the most severe of them."""
    judged = table[table.verdict != "REPORTED"]
    return judged.groupby("fact", sort=False).verdict.agg(lambda v: min(v, key=SEVERITY.index))
