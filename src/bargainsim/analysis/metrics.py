"""Per-run outcome metrics from case records: all at once (:func:`run_metrics`), part by part
(:class:`MetricsAccumulator`), or case by case as a run goes on (:class:`Tally`) — the same figures, to the bit."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bargainsim.analysis.outcomes import (
    CASE_COLUMNS,
    DISPERSION,
    FROM_CASES,
    MEANS,
    OUTCOMES,
    RUN_KEYS,
    case_outcomes,
    case_value,
)
from bargainsim.analysis.statistics import arm_order
from bargainsim.core.compiled import kernel

logger = logging.getLogger(__name__)


def _check_columns(cases: pd.DataFrame) -> None:
    missing = [name for name in CASE_COLUMNS if name not in cases.columns]
    if missing:
        raise ValueError(f"case records lack columns: {', '.join(missing)}")


def _in_arm_order(metrics: pd.DataFrame) -> pd.DataFrame:
    """Runs sorted by arm (in order of first appearance, status quo first), then replication."""
    rank = {arm: i for i, arm in enumerate(arm_order(metrics["reform"]))}
    return (metrics.assign(_rank=metrics["reform"].map(rank)).sort_values(["_rank", "replication"], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def _dispersion(cases: pd.DataFrame) -> pd.Series:
    """Size-weighted mean within-like-case-group SD (ddof=0) of the dispersion outcome's value, per run."""
    within = list(OUTCOMES[DISPERSION].within)
    values = case_outcomes(cases, (DISPERSION,))[DISPERSION]
    keep = ~np.isnan(values)
    like = cases.loc[keep, RUN_KEYS + within].copy()
    like["value"] = values[keep]
    grouped = like.groupby(RUN_KEYS + within, sort=False, observed=True)["value"]
    groups = pd.DataFrame({"sd": grouped.std(ddof=0), "n": grouped.size()})
    groups = groups[groups["n"] >= 2]
    groups["weighted_sd"] = groups["sd"] * groups["n"]
    per_run = groups.groupby(level=RUN_KEYS, sort=False)[["weighted_sd", "n"]].sum()
    return (per_run["weighted_sd"] / per_run["n"]).rename(DISPERSION)


def run_metrics(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per run (reform, replication) with ``seed``, ``n_cases`` and every outcome.

    Arms keep their order of first appearance in ``cases`` (status quo first);
    replications are sorted. An outcome with an empty denominator is NaN.
    """
    _check_columns(cases)
    per_case = pd.DataFrame(case_outcomes(cases))
    for name in (*RUN_KEYS, "seed"):
        per_case[name] = cases[name].to_numpy()
    grouped = per_case.groupby(RUN_KEYS, sort=False)
    metrics = grouped[list(MEANS)].mean()
    metrics[DISPERSION] = _dispersion(cases).reindex(metrics.index)
    metrics.insert(0, "n_cases", grouped.size())
    metrics.insert(0, "seed", grouped["seed"].first())
    metrics = _in_arm_order(metrics.reset_index())
    logger.debug("computed metrics for %d runs from %d cases", len(metrics), len(cases))
    return metrics[RUN_KEYS + ["seed", "n_cases", *OUTCOMES]]


def case_metrics(cases: pd.DataFrame, names: tuple[str, ...] = tuple(FROM_CASES)) -> pd.DataFrame:
    """One row per run (reform, replication) with the mean of each named outcome over its denominator's cases (by
    default the outcomes computed from kept cases, :data:`FROM_CASES`); runs in order of first appearance."""
    per_case = pd.DataFrame(case_outcomes(cases, names))
    for name in RUN_KEYS:
        per_case[name] = cases[name].to_numpy()
    return per_case.groupby(RUN_KEYS, sort=False)[list(names)].mean().reset_index()


@dataclass
class Part:
    """What the accumulator folds in of one part of the case records, computed from the part alone (so a worker
    process can compute it): each case's outcomes, its dispersion outcome and like-case keys, its run's code, the
    runs' keys in order of first appearance, and each case's seed."""

    outcomes: dict[str, np.ndarray]
    dispersed: np.ndarray
    within: list[np.ndarray]
    codes: np.ndarray
    runs: list[tuple]
    seeds: np.ndarray

    @classmethod
    def of(cls, cases: pd.DataFrame) -> Part:
        _check_columns(cases)
        if cases.empty:
            return cls({}, np.empty(0), [], np.empty(0, np.int64), [], np.empty(0, np.int64))
        outcomes = case_outcomes(cases, (*MEANS, DISPERSION))
        dispersed = outcomes.pop(DISPERSION)
        codes, runs = _factorize_runs(cases)
        return cls(outcomes, dispersed, [cases[name].to_numpy() for name in OUTCOMES[DISPERSION].within], codes,
                   runs, cases["seed"].to_numpy())


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

    def add(self, cases: pd.DataFrame | Part) -> None:
        """Fold in the next part of the case records (the columns of ``CASE_COLUMNS``, or their :class:`Part`)."""
        part = cases if isinstance(cases, Part) else Part.of(cases)
        if not part.runs:
            return
        outcomes, dispersed = part.outcomes, part.dispersed
        if self._complete and any(np.isnan(values).any() for values in outcomes.values()):
            self._complete = False
            for state in self._runs.values():
                state.values.clear()
        for rows, state in self._parts(part):
            state.n_cases += len(rows)
            for name, total in state.sums.items():
                total.add(outcomes[name][rows])
                if self._complete:
                    state.values[name].append(outcomes[name][rows])
            kept = rows[~np.isnan(dispersed[rows])]
            state.add_like_cases(zip(*(keys[kept].tolist() for keys in part.within)), dispersed[kept])

    def _parts(self, part: Part) -> Iterable[tuple[np.ndarray, _RunState]]:
        """Each run's rows in the part with its state (created on its first case), noting runs out of order."""
        codes = part.codes
        if np.count_nonzero(np.diff(codes)) != len(part.runs) - 1:
            self._contiguous = False
        for code, key in enumerate(part.runs):
            rows = np.flatnonzero(codes == code)
            state = self._runs.get(key)
            if state is None:
                state = self._runs[key] = _RunState(part.seeds[rows[0]])
            elif code > 0 or key != next(reversed(self._runs)):
                self._contiguous = False
            yield rows, state

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
        return _in_arm_order(frame)


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


@dataclass
class _KahanSum:
    """A running sum with the compensation of pandas' grouped mean (missing values skipped), fed in parts."""

    total: float = 0.0
    compensation: float = 0.0
    count: int = 0

    def add(self, values: np.ndarray) -> None:
        values = values[~np.isnan(values)]
        self.count += len(values)
        total = self.total
        if (self.compensation == 0.0 and total.is_integer() and np.all(np.isfinite(values))
                and np.all(values == np.floor(values)) and abs(total) + np.abs(values).sum() < 2.0 ** 52):
            self.total = total + float(values.sum())  # integers: every partial sum is exact, no compensation
            return
        self.total, self.compensation = _kahan(total, self.compensation, values)

    def add_one(self, value: float) -> None:
        """Add one value (NaN: skipped)."""
        if value == value:
            self.count += 1
            self.total, self.compensation = _kahan(self.total, self.compensation, np.array([value]))

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else float("nan")


@kernel
def _kahan(total: float, compensation: float, values: np.ndarray) -> tuple[float, float]:
    """Kahan's compensated sum continued over ``values`` in order, as pandas sums a group's values (compiled: the
    same operations in the same order, so the same bits)."""
    for value in values:
        y = value - compensation
        t = total + y
        compensation = (t - total) - y
        if compensation != compensation:  # an infinite value: pandas resets the compensation
            compensation = 0.0
        total = t
    return total, compensation


@kernel
def _welford(moments: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
    """Welford's update of the moments (count, mean, squared deviations) of row ``rows[k]`` by ``values[k]``, in
    order."""
    for k in range(len(values)):
        group, value = moments[rows[k]], values[k]
        group[0] += 1.0
        old = group[1]
        group[1] = old + (value - old) / group[0]
        group[2] += (value - group[1]) * (value - old)


@dataclass
class _RunState:
    """One run's running sums, and Welford's running moments of the dispersion outcome per like-case group."""

    seed: int
    n_cases: int = 0
    sums: dict[str, _KahanSum] = field(default_factory=lambda: {name: _KahanSum() for name in MEANS})
    values: dict[str, list[np.ndarray]] = field(default_factory=lambda: {name: [] for name in MEANS})
    groups: dict[tuple, int] = field(default_factory=dict)  # like-case key -> its row of the moments
    moments: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))  # count, mean, squared deviations

    def add_like_cases(self, keys: Iterable[tuple], values: np.ndarray) -> None:
        """Welford's running update of each like-case group's moments by ``values`` in case order."""
        groups = self.groups
        rows = np.array([groups.setdefault(key, len(groups)) for key in keys], dtype=np.int64)
        if len(groups) > len(self.moments):
            grown = np.zeros((max(len(groups), 2 * len(self.moments)), 3))
            grown[:len(self.moments)] = self.moments
            self.moments = grown
        _welford(self.moments, rows, values)

    def value(self, name: str, reduceat: bool) -> float:
        """An outcome's mean; ``reduceat`` where pandas would sum each run with ``numpy.add.reduceat``."""
        if name == DISPERSION:
            return self._dispersion()
        if reduceat:
            values = np.concatenate(self.values[name])
            return float(np.add.reduceat(values, [0])[0] / float(len(values)))
        return self.sums[name].mean

    def _dispersion(self) -> float:
        """Size-weighted mean SD of the like-case groups of at least 2 (their weighted SDs have no missing
        value, so pandas sums them with ``numpy.add.reduceat``)."""
        groups = [(int(n), m2) for n, _, m2 in self.moments[:len(self.groups)].tolist() if n >= 2]
        if not groups:
            return float("nan")
        weighted = np.array([math.sqrt(m2 / n) * n for n, m2 in groups])
        return float(np.add.reduceat(weighted, [0])[0] / sum(n for n, _ in groups))


class Tally:
    """Running means of outcomes over single case records, as a run disposes of its cases.

    :meth:`add` takes a record as a row ``dict`` (as a model's ``CaseLog`` yields it). Each mean is summed as
    pandas sums it, so once every case is added :meth:`value` equals the run's :func:`run_metrics` figure to the
    bit (real records always miss some outcome; with none missing anywhere pandas sums otherwise and the two may
    differ in the last bit). The dispersion outcome is not a mean and is not tallied.
    """

    def __init__(self, names: Iterable[str] = MEANS) -> None:
        self.names = tuple(names)
        unknown = [name for name in self.names if name not in MEANS]
        if unknown:
            raise ValueError(f"not outcomes averaged over cases: {', '.join(unknown)}")
        self.sums = {name: _KahanSum() for name in self.names}
        self.cases = 0

    def add(self, row: Mapping[str, object]) -> None:
        """Count one case record."""
        self.cases += 1
        for name, total in self.sums.items():
            total.add_one(case_value(name, row))

    def value(self, name: str) -> float:
        """The outcome's mean so far (NaN while its denominator is empty)."""
        return self.sums[name].mean

    def count(self, name: str) -> int:
        """The cases the outcome's mean is over so far (its denominator)."""
        return self.sums[name].count
