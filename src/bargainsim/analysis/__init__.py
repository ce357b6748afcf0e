"""Per-run outcome metrics and paired comparisons of reform arms against the status quo.

The simulation writes one record per case. :func:`run_metrics` reduces them to one
row per run (reform arm x replication); :func:`summarize` compares arms over
replications, pairing each arm with the baseline run that shares its replication
(and hence its seed); the ``format_*`` functions render that summary as text.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

from bargainsim.core.record import STATUS_QUO

logger = logging.getLogger(__name__)

RUN_KEYS = ["reform", "replication"]
LIKE_CASE_KEYS = ["offense", "prior_record"]

Group = Literal["system", "voluntariness", "leniency", "efficiency"]
GROUPS: tuple[Group, ...] = ("system", "voluntariness", "leniency", "efficiency")

# Decimal places used when printing a value of each unit.
DECIMALS = {
    "share": 3,
    "score 0-1": 3,
    "probability": 3,
    "hours": 2,
    "rounds": 2,
    "working days": 1,
    "work-days per prosecutor": 1,
}

# Relative size below which a standard deviation is treated as floating-point noise.
_ZERO_SD = 1e-12


@dataclass(frozen=True)
class Outcome:
    """Definition of one per-run outcome."""

    title: str
    unit: str
    group: Group
    higher_is_better: bool | None
    definition: str

    @property
    def label(self) -> str:
        """Title with unit, for axes and table headers."""
        return f"{self.title} ({self.unit})"

    @property
    def decimals(self) -> int:
        """Decimal places used to print values of this outcome."""
        return DECIMALS.get(self.unit, 3)


OUTCOMES: dict[str, Outcome] = {
    # system
    "application_rate": Outcome(
        "Application rate", "share", "system", None,
        "Share of cases disposed under plea leniency."),
    "determinate_share": Outcome(
        "Determinate recommendations", "share", "system", None,
        "Share of pleaded cases with a sentence recommendation whose recommendation "
        "is a determinate term rather than a range."),
    "adoption_rate": Outcome(
        "Adoption rate", "share", "system", None,
        "Share of pleaded cases in which the court adopted the recommendation "
        "(possibly after an adjustment)."),
    "first_instance_acceptance": Outcome(
        "First-instance acceptance", "share", "system", True,
        "Share of pleaded cases not appealed (1 - appeal rate among pleaded cases)."),
    "withdrawal_rate": Outcome(
        "Withdrawal rate", "share", "system", None,
        "Share of cases with a signed plea affidavit in which the suspect withdrew the plea."),
    "appeal_rate": Outcome(
        "Appeal rate", "share", "system", False,
        "Share of all cases appealed by the defendant."),
    "protest_rate": Outcome(
        "Protest rate", "share", "system", False,
        "Share of all cases protested by the procuratorate."),
    "trial_rate": Outcome(
        "Trial rate", "share", "system", None,
        "Share of all cases that went to trial."),
    "victim_satisfaction": Outcome(
        "Victim satisfaction", "score 0-1", "system", True,
        "Mean victim satisfaction over cases with a victim."),
    "observer_fairness": Outcome(
        "Perceived fairness", "score 0-1", "system", True,
        "Mean fairness rating by observers over observed cases."),
    # voluntariness
    "voluntariness": Outcome(
        "Voluntariness", "score 0-1", "voluntariness", True,
        "Mean voluntariness index over pleaded cases."),
    "informed": Outcome(
        "Informed", "score 0-1", "voluntariness", True,
        "Mean informedness component over pleaded cases."),
    "uncoerced": Outcome(
        "Uncoerced", "score 0-1", "voluntariness", True,
        "Mean absence-of-coercion component over pleaded cases."),
    "participatory": Outcome(
        "Participatory", "score 0-1", "voluntariness", True,
        "Mean participation component over pleaded cases."),
    "pressure": Outcome(
        "Pressure", "score 0-1", "voluntariness", False,
        "Mean pressure on the suspect over pleaded cases."),
    "defense_influence": Outcome(
        "Defense influence", "score 0-1", "voluntariness", True,
        "Mean influence of defense counsel on the recommendation over pleaded cases."),
    "innocent_plea_rate": Outcome(
        "Innocent plea rate", "share", "voluntariness", False,
        "Share of factually innocent suspects who pleaded."),
    "belief_error": Outcome(
        "Belief error", "probability", "voluntariness", False,
        "Mean absolute error of the suspect's believed conviction probability, "
        "over suspects who made a decision."),
    # leniency
    "discount": Outcome(
        "Discount", "share", "leniency", None,
        "Mean sentence discount (1 - sentence / base sentence) over pleaded, convicted cases."),
    "discount_vs_trial": Outcome(
        "Discount vs trial", "share", "leniency", None,
        "Mean discount relative to the counterfactual sentence on conviction at trial (no plea discount), "
        "over pleaded, convicted cases."),
    "discount_dispersion": Outcome(
        "Discount dispersion", "share", "leniency", False,
        "Consistency for like cases: standard deviation (ddof=0) of the discount among "
        "pleaded, convicted cases with the same offense and prior record, averaged over "
        "such groups weighted by size (groups of fewer than 2 cases skipped)."),
    "honoured_rate": Outcome(
        "Honoured rate", "share", "leniency", True,
        "Share of pleaded cases sentenced no more severely than the signed recommendation."),
    # efficiency
    "days_to_disposition": Outcome(
        "Days to disposition", "working days", "efficiency", False,
        "Mean working days from arrival to first-instance judgment over all cases."),
    "prosecutor_hours": Outcome(
        "Prosecutor time", "hours", "efficiency", False,
        "Mean prosecutor hours per case over all cases."),
    "court_hours": Outcome(
        "Court time", "hours", "efficiency", False,
        "Mean court hours per case (appeal included) over all cases."),
    "backlog": Outcome(
        "Backlog at arrival", "work-days per prosecutor", "efficiency", False,
        "Mean queued days of work per prosecutor when a case arrived, over all cases."),
    "rounds": Outcome(
        "Negotiation rounds", "rounds", "efficiency", None,
        "Mean negotiation rounds over cases with a negotiation."),
}

HEADLINE: tuple[str, ...] = (
    "application_rate",
    "voluntariness",
    "innocent_plea_rate",
    "discount",
    "days_to_disposition",
    "prosecutor_hours",
)

CASE_COLUMNS = (
    "reform", "replication", "seed", "offense", "guilty", "prior_record", "has_victim",
    "observed", "negotiated", "signed", "pleaded", "withdrew", "tried", "convicted",
    "appealed", "protested", "recommendation_months", "determinate", "adopted", "honoured",
    "discount", "discount_vs_trial", "belief_error", "pressure", "informed", "uncoerced",
    "participatory", "voluntariness", "defense_influence", "rounds", "days_to_disposition",
    "prosecutor_hours", "court_hours", "backlog_at_arrival", "victim_satisfaction",
    "observer_fairness",
)

SUMMARY_COLUMNS = [
    "reform", "outcome", "group", "n", "mean", "ci_low", "ci_high",
    "diff", "diff_ci_low", "diff_ci_high", "p_value", "baseline", "level",
]


def _flag(column: pd.Series) -> np.ndarray:
    """Boolean array from a (possibly nullable) flag column; missing counts as False."""
    return column.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _values(column: pd.Series) -> np.ndarray:
    """Float array from a numeric or (nullable) boolean column; missing becomes NaN."""
    return column.to_numpy(dtype="float64", na_value=np.nan)


def _over(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Values restricted to a denominator: NaN outside ``mask``."""
    return np.where(mask, values, np.nan)


def arm_order(arms: Iterable[str], baseline: str = STATUS_QUO) -> list[str]:
    """Distinct arms in order of first appearance, with the baseline first if present."""
    order = list(dict.fromkeys(arms))
    if baseline in order:
        order.remove(baseline)
        order.insert(0, baseline)
    return order


def _case_outcomes(cases: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-case contribution to each outcome mean, NaN where the case is outside its denominator."""
    flag = {name: _flag(cases[name]) for name in (
        "guilty", "has_victim", "observed", "negotiated", "signed", "pleaded",
        "withdrew", "tried", "convicted", "appealed", "protested")}

    def value(name: str) -> np.ndarray:
        return _values(cases[name])

    pleaded = flag["pleaded"]
    sentenced_plea = pleaded & flag["convicted"]
    with_recommendation = pleaded & cases["recommendation_months"].notna().to_numpy()
    return {
        "application_rate": pleaded.astype(float),
        "determinate_share": _over(value("determinate"), with_recommendation),
        "adoption_rate": _over(value("adopted"), pleaded),
        "first_instance_acceptance": _over(1.0 - flag["appealed"], pleaded),
        "withdrawal_rate": _over(flag["withdrew"].astype(float), flag["signed"]),
        "appeal_rate": flag["appealed"].astype(float),
        "protest_rate": flag["protested"].astype(float),
        "trial_rate": flag["tried"].astype(float),
        "victim_satisfaction": _over(value("victim_satisfaction"), flag["has_victim"]),
        "observer_fairness": _over(value("observer_fairness"), flag["observed"]),
        **{name: _over(value(name), pleaded) for name in (
            "voluntariness", "informed", "uncoerced", "participatory", "pressure",
            "defense_influence")},
        "innocent_plea_rate": _over(pleaded.astype(float), ~flag["guilty"]),
        "belief_error": np.abs(value("belief_error")),
        "discount": _over(value("discount"), sentenced_plea),
        "discount_vs_trial": _over(value("discount_vs_trial"), sentenced_plea),
        "honoured_rate": _over(value("honoured"), pleaded),
        "days_to_disposition": value("days_to_disposition"),
        "prosecutor_hours": value("prosecutor_hours"),
        "court_hours": value("court_hours"),
        "backlog": value("backlog_at_arrival"),
        "rounds": _over(value("rounds"), flag["negotiated"]),
    }


def _discount_dispersion(cases: pd.DataFrame) -> pd.Series:
    """Size-weighted mean within-like-case-group SD (ddof=0) of the discount, per run."""
    keep = (
        _flag(cases["pleaded"]) & _flag(cases["convicted"])
        & cases["discount"].notna().to_numpy()
    )
    like = cases.loc[keep, RUN_KEYS + LIKE_CASE_KEYS].copy()
    like["discount"] = _values(cases.loc[keep, "discount"])
    grouped = like.groupby(RUN_KEYS + LIKE_CASE_KEYS, sort=False, observed=True)["discount"]
    groups = pd.DataFrame({"sd": grouped.std(ddof=0), "n": grouped.size()})
    groups = groups[groups["n"] >= 2]
    groups["weighted_sd"] = groups["sd"] * groups["n"]
    per_run = groups.groupby(level=RUN_KEYS, sort=False)[["weighted_sd", "n"]].sum()
    return (per_run["weighted_sd"] / per_run["n"]).rename("discount_dispersion")


def run_metrics(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per run (reform, replication) with ``seed``, ``n_cases`` and every outcome.

    Arms keep their order of first appearance in ``cases`` (status quo first);
    replications are sorted. An outcome with an empty denominator is NaN.
    """
    missing = [name for name in CASE_COLUMNS if name not in cases.columns]
    if missing:
        raise ValueError(f"case records lack columns: {', '.join(missing)}")
    per_case = pd.DataFrame(_case_outcomes(cases))
    for name in (*RUN_KEYS, "seed"):
        per_case[name] = cases[name].to_numpy()
    grouped = per_case.groupby(RUN_KEYS, sort=False)
    metrics = grouped[[name for name in OUTCOMES if name != "discount_dispersion"]].mean()
    metrics["discount_dispersion"] = _discount_dispersion(cases).reindex(metrics.index)
    metrics.insert(0, "n_cases", grouped.size())
    metrics.insert(0, "seed", grouped["seed"].first())
    metrics = metrics.reset_index()

    rank = {arm: i for i, arm in enumerate(arm_order(metrics["reform"]))}
    metrics = (
        metrics.assign(_rank=metrics["reform"].map(rank))
        .sort_values(["_rank", "replication"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    logger.debug("computed metrics for %d runs from %d cases", len(metrics), len(cases))
    return metrics[RUN_KEYS + ["seed", "n_cases", *OUTCOMES]]


class MetricsAccumulator:
    """:func:`run_metrics` computed part by part, so a run's cases need never be held at once.

    Feed the case records in their order, in parts of any size (a district at a time), then call
    :meth:`metrics`: the result equals ``run_metrics`` of all the parts concatenated, to the last bit. pandas
    averages an outcome with compensated (Kahan) summation in case order — unless no outcome of any case is
    missing and every run's cases are contiguous, when it sums each run with ``numpy.add.reduceat`` — and takes a
    like-case group's standard deviation with Welford's running update. The accumulator keeps, per run, each
    outcome's running Kahan sum and, per like-case group, Welford's running moments: a few numbers per run and
    group. Only while no outcome has yet been missing does it also keep the per-case values (real case records
    have missing outcomes — an unobserved case has no fairness rating — so in practice they go with the first part).
    """

    def __init__(self) -> None:
        self._runs: dict[tuple, _RunState] = {}
        self._complete = True  # no outcome of any case so far is missing
        self._contiguous = True  # each run's cases so far form one block

    def add(self, cases: pd.DataFrame) -> None:
        """Fold in the next part of the case records (the columns of ``CASE_COLUMNS``)."""
        missing = [name for name in CASE_COLUMNS if name not in cases.columns]
        if missing:
            raise ValueError(f"case records lack columns: {', '.join(missing)}")
        if cases.empty:
            return
        outcomes = _case_outcomes(cases)
        if self._complete and any(np.isnan(values).any() for values in outcomes.values()):
            self._complete = False
            for state in self._runs.values():
                state.values.clear()
        keep = (_flag(cases["pleaded"]) & _flag(cases["convicted"]) & cases["discount"].notna().to_numpy())
        discount = _values(cases["discount"])
        codes, uniques = _factorize_runs(cases)
        if np.count_nonzero(np.diff(codes)) != len(uniques) - 1:
            self._contiguous = False
        seeds = cases["seed"].to_numpy()
        offense, prior = cases["offense"].to_numpy(), cases["prior_record"].to_numpy()
        for code, key in enumerate(uniques):
            rows = np.flatnonzero(codes == code)
            state = self._runs.get(key)
            if state is None:
                state = self._runs[key] = _RunState(seeds[rows[0]])
            elif code > 0 or key != next(reversed(self._runs)):
                self._contiguous = False
            state.n_cases += len(rows)
            for name, total in state.sums.items():
                total.add(outcomes[name][rows])
                if self._complete:
                    state.values[name].append(outcomes[name][rows])
            like = rows[keep[rows]]
            state.add_discounts(zip(offense[like].tolist(), prior[like].tolist()), discount[like].tolist())

    def metrics(self) -> pd.DataFrame:
        """The runs' metrics, as :func:`run_metrics` gives them."""
        if not self._runs:
            raise ValueError("no case records were added")
        reduceat = self._complete and self._contiguous
        states = list(self._runs.values())
        reforms, replications = zip(*self._runs)
        frame = pd.DataFrame({"reform": pd.Series(reforms), "replication": pd.Series(replications)})
        frame["seed"] = [state.seed for state in states]
        frame["n_cases"] = np.array([state.n_cases for state in states], dtype="int64")
        for name in OUTCOMES:
            frame[name] = [state.value(name, reduceat) for state in states]
        rank = {arm: i for i, arm in enumerate(arm_order(frame["reform"]))}
        return (frame.assign(_rank=frame["reform"].map(rank)).sort_values(["_rank", "replication"], kind="stable")
                .drop(columns="_rank").reset_index(drop=True))


def _factorize_runs(cases: pd.DataFrame) -> tuple[np.ndarray, list[tuple]]:
    """Each case's run as a code numbering the runs in order of first appearance, and the runs' keys
    (:data:`RUN_KEYS` values) — what ``pd.factorize`` of their MultiIndex gives, without building its tuples."""
    combined = np.zeros(len(cases), dtype=np.int64)
    for name in RUN_KEYS:
        level, values = pd.factorize(cases[name], sort=False)
        combined = combined * len(values) + level
    codes, _ = pd.factorize(combined, sort=False)
    first = np.unique(codes, return_index=True)[1]
    columns = [cases[name].to_numpy()[first].tolist() for name in RUN_KEYS]
    return codes, list(zip(*columns))


class _KahanSum:
    """A running sum with the compensation of pandas' grouped mean (missing values skipped), fed in parts."""

    __slots__ = ("total", "compensation", "count")

    def __init__(self) -> None:
        self.total, self.compensation, self.count = 0.0, 0.0, 0

    def add(self, values: np.ndarray) -> None:
        values = values[~np.isnan(values)]
        self.count += len(values)
        total, compensation = self.total, self.compensation
        if (compensation == 0.0 and total.is_integer() and np.all(np.isfinite(values))
                and np.all(values == np.floor(values)) and abs(total) + np.abs(values).sum() < 2.0 ** 52):
            self.total = total + float(values.sum())  # integers: every partial sum is exact, no compensation
            return
        for value in values.tolist():
            y = value - compensation
            t = total + y
            compensation = (t - total) - y
            if compensation != compensation:  # an infinite value: pandas resets the compensation
                compensation = 0.0
            total = t
        self.total, self.compensation = total, compensation

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else float("nan")


class _RunState:
    """One run's running sums, and Welford's running moments of the discount per like-case group."""

    def __init__(self, seed: int) -> None:
        self.seed, self.n_cases = seed, 0
        self.sums = {name: _KahanSum() for name in OUTCOMES if name != "discount_dispersion"}
        self.values: dict[str, list[np.ndarray]] = {name: [] for name in self.sums}
        self.groups: dict[tuple, list] = {}  # (offense, prior record) -> [count, mean, squared deviations]

    def add_discounts(self, keys: Iterable[tuple], discounts: list[float]) -> None:
        groups = self.groups
        for key, value in zip(keys, discounts):
            group = groups.get(key)
            if group is None:
                group = groups[key] = [0, 0.0, 0.0]
            group[0] += 1
            old = group[1]
            group[1] = old + (value - old) / group[0]
            group[2] += (value - group[1]) * (value - old)

    def value(self, name: str, reduceat: bool) -> float:
        """An outcome's mean; ``reduceat`` where pandas would sum each run with ``numpy.add.reduceat``."""
        if name == "discount_dispersion":
            return self._dispersion()
        if reduceat:
            values = np.concatenate(self.values[name])
            return float(np.add.reduceat(values, [0])[0] / float(len(values)))
        return self.sums[name].mean

    def _dispersion(self) -> float:
        """Size-weighted mean SD of the like-case groups of at least 2 (their weighted SDs have no missing
        value, so pandas sums them with ``numpy.add.reduceat``)."""
        groups = [(n, m2) for n, _, m2 in self.groups.values() if n >= 2]
        if not groups:
            return float("nan")
        weighted = np.array([math.sqrt(m2 / n) * n for n, m2 in groups])
        return float(np.add.reduceat(weighted, [0])[0] / sum(n for n, _ in groups))


def _t_interval(
    mean: np.ndarray, sd: np.ndarray, n: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Student-t confidence interval; NaN when n < 2, degenerate when sd is 0."""
    df = np.where(n >= 2, n - 1, np.nan)
    half = special.stdtrit(df, 0.5 + level / 2) * sd / np.sqrt(n)
    return mean - half, mean + half


def _snap_sd(sd: pd.Series, scale: pd.Series) -> pd.Series:
    """Standard deviations at floating-point-noise size relative to ``scale`` set to 0."""
    return sd.mask(sd <= _ZERO_SD * np.maximum(scale, 1.0), 0.0)


def summarize(
    metrics: pd.DataFrame, baseline: str = STATUS_QUO, level: float = 0.95
) -> pd.DataFrame:
    """Tidy comparison table, one row per (reform, outcome).

    ``mean`` and its Student-t CI are over replications; ``diff`` is the mean paired
    difference (arm - baseline, matched on ``replication``) with a paired-t CI and
    p-value. CIs are NaN with fewer than two replications and collapse to the point
    estimate when the variance is zero; a constant non-zero paired difference has
    p-value 0. The baseline's own rows have ``diff`` 0 and NaN ``p_value``. The
    ``baseline`` and ``level`` columns record how the table was made.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    if metrics.duplicated(RUN_KEYS).any():
        raise ValueError("metrics hold more than one row for some (reform, replication)")
    outcomes = [name for name in OUTCOMES if name in metrics.columns]
    arms = arm_order(metrics["reform"], baseline)
    if baseline not in arms:
        logger.warning("baseline arm %r not in metrics; differences will be NaN", baseline)

    long = metrics.melt(
        id_vars=RUN_KEYS, value_vars=outcomes, var_name="outcome", value_name="value"
    )
    long["value"] = long["value"].astype("float64")
    base = long.loc[long["reform"] == baseline, ["replication", "outcome", "value"]]
    long = long.merge(base.rename(columns={"value": "base"}), on=["replication", "outcome"],
                      how="left")
    long["diff"] = long["value"] - long["base"]
    long["value_scale"] = long["value"].abs()
    long["diff_scale"] = np.fmax(long["value_scale"], long["base"].abs())

    grouped = long.groupby(["reform", "outcome"], sort=False)
    agg = grouped.agg(
        n=("value", "count"), mean=("value", "mean"), sd=("value", "std"),
        value_scale=("value_scale", "max"),
        n_pairs=("diff", "count"), diff=("diff", "mean"), diff_sd=("diff", "std"),
        diff_scale=("diff_scale", "max"),
    )
    agg = agg.reindex(pd.MultiIndex.from_product([arms, outcomes], names=["reform", "outcome"]))
    agg["n"] = agg["n"].fillna(0).astype(int)

    sd = _snap_sd(agg["sd"], agg["value_scale"])
    diff_sd = _snap_sd(agg["diff_sd"], agg["diff_scale"])
    negligible = agg["diff"].abs() <= _ZERO_SD * np.maximum(agg["diff_scale"], 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ci_low, ci_high = _t_interval(agg["mean"], sd, agg["n"], level)
        diff_ci_low, diff_ci_high = _t_interval(agg["diff"], diff_sd, agg["n_pairs"], level)
        t_stat = np.where((diff_sd == 0) & negligible, np.nan,
                          agg["diff"] / (diff_sd / np.sqrt(agg["n_pairs"])))
        df = np.where(agg["n_pairs"] >= 2, agg["n_pairs"] - 1, np.nan)
        p_value = 2 * special.stdtr(df, -np.abs(t_stat))

    summary = pd.DataFrame({
        "reform": agg.index.get_level_values("reform"),
        "outcome": agg.index.get_level_values("outcome"),
        "group": [OUTCOMES[name].group for name in agg.index.get_level_values("outcome")],
        "n": agg["n"].to_numpy(),
        "mean": agg["mean"].to_numpy(),
        "ci_low": np.asarray(ci_low, dtype=float),
        "ci_high": np.asarray(ci_high, dtype=float),
        "diff": agg["diff"].to_numpy(),
        "diff_ci_low": np.asarray(diff_ci_low, dtype=float),
        "diff_ci_high": np.asarray(diff_ci_high, dtype=float),
        "p_value": np.asarray(p_value, dtype=float),
        "baseline": baseline,
        "level": level,
    })
    summary.loc[summary["reform"] == baseline, "p_value"] = np.nan
    return summary[SUMMARY_COLUMNS]


def summary_level(summary: pd.DataFrame) -> float:
    """Confidence level recorded in a summary (0.95 if not recorded)."""
    return float(summary["level"].iloc[0]) if "level" in summary.columns and len(summary) else 0.95


def summary_baseline(summary: pd.DataFrame) -> str:
    """Baseline arm recorded in a summary (status quo if not recorded)."""
    if "baseline" in summary.columns and len(summary):
        return str(summary["baseline"].iloc[0])
    return STATUS_QUO


def _number(value: float, decimals: int, signed: bool = False) -> str:
    """Fixed-decimal number, without negative zero; ``n/a`` for NaN."""
    if pd.isna(value):
        return "n/a"
    value = round(float(value), decimals) + 0.0
    return f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"


def _cell(row: pd.Series, decimals: int, is_baseline: bool) -> str:
    """Table cell: mean [CI] for the baseline, mean (diff [CI]) for other arms."""
    text = _number(row["mean"], decimals)
    if pd.isna(row["mean"]):
        return text
    if is_baseline:
        if pd.notna(row["ci_low"]):
            text += (f" [{_number(row['ci_low'], decimals)}, "
                     f"{_number(row['ci_high'], decimals)}]")
        return text
    if pd.isna(row["diff"]):
        return text
    diff = _number(row["diff"], decimals, signed=True)
    if pd.notna(row["diff_ci_low"]):
        diff += (f" [{_number(row['diff_ci_low'], decimals, signed=True)}, "
                 f"{_number(row['diff_ci_high'], decimals, signed=True)}]")
    return f"{text} ({diff})"


def _compact_cell(row: pd.Series, decimals: int, is_baseline: bool) -> str:
    """Terminal cell: mean ±CI half-width for the baseline, mean (diff ±CI half-width) for other arms."""
    text = _number(row["mean"], decimals)
    if pd.isna(row["mean"]):
        return text
    low, high, centre = ("ci_low", "ci_high", "mean") if is_baseline else ("diff_ci_low", "diff_ci_high", "diff")
    if pd.isna(row[centre]):
        return text
    spread = f"±{_number((row[high] - row[low]) / 2.0, decimals)}" if pd.notna(row[low]) else ""
    return f"{text}{spread}" if is_baseline else f"{text} ({_number(row[centre], decimals, signed=True)}{spread})"


def _select_outcomes(summary: pd.DataFrame, outcomes: Sequence[str] | None) -> list[str]:
    """Requested outcomes (default: all in the summary), checked against the summary."""
    present = list(dict.fromkeys(summary["outcome"]))
    if outcomes is None:
        return present
    absent = [name for name in outcomes if name not in present]
    if absent:
        raise ValueError(f"outcomes not in summary: {', '.join(absent)}")
    return list(outcomes)


def _replication_note(summary: pd.DataFrame) -> str:
    """'n = 30 replications' (or a range when arms differ)."""
    counts = summary.loc[summary["n"] > 0, "n"]
    if counts.empty:
        return "no replications"
    low, high = counts.min(), counts.max()
    return f"n = {low} replications" if low == high else f"n = {low}-{high} replications"


def format_markdown(summary: pd.DataFrame, outcomes: list[str] | None = None) -> str:
    """Markdown report body: a legend and one arms-by-outcomes table per domain group."""
    selected = _select_outcomes(summary, outcomes)
    baseline = summary_baseline(summary)
    level = float(summary["level"].iloc[0]) if "level" in summary.columns and len(summary) else 0.95
    arms = arm_order(summary["reform"], baseline)
    rows = summary.set_index(["reform", "outcome"])
    lines = [
        f"Cells: `{baseline}` shows the mean over replications [{level:.0%} CI]; "
        f"other arms show the mean (paired difference vs `{baseline}` [{level:.0%} CI]). "
        f"{_replication_note(summary)} per arm."
    ]
    for group in GROUPS:
        names = [name for name in selected if OUTCOMES[name].group == group]
        if not names:
            continue
        lines += ["", f"### {group.capitalize()}", ""]
        lines.append("| Arm | " + " | ".join(OUTCOMES[name].label for name in names) + " |")
        lines.append("|---|" + "---:|" * len(names))
        for arm in arms:
            cells = [
                _cell(rows.loc[(arm, name)], OUTCOMES[name].decimals, arm == baseline)
                if (arm, name) in rows.index else "n/a"
                for name in names
            ]
            lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def format_console(summary: pd.DataFrame, outcomes: Sequence[str] = HEADLINE) -> str:
    """Fixed-width terminal table of headline outcomes: mean (difference vs baseline), each ± the half-width of
    its confidence interval."""
    selected = [name for name in outcomes if name in set(summary["outcome"])]
    baseline = summary_baseline(summary)
    arms = arm_order(summary["reform"], baseline)
    rows = summary.set_index(["reform", "outcome"])
    table = [["arm", *selected]]
    for arm in arms:
        table.append([arm, *(
            _compact_cell(rows.loc[(arm, name)], OUTCOMES[name].decimals, arm == baseline)
            if (arm, name) in rows.index else "n/a"
            for name in selected
        )])
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [
        "  ".join([row[0].ljust(widths[0]),
                   *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:]))])
        for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    level = summary_level(summary)
    lines.append(f"mean (paired difference vs {baseline}), ± half-width of the {level:.0%} CI; "
                 f"{_replication_note(summary)} per arm")
    return "\n".join(lines)
