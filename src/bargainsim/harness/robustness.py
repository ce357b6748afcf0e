"""Robustness of the reform effects: every arm over draws from the posterior, and which conclusions hold.

A robustness study (``experiments/robustness.yaml``) runs the configured arms at each of K draws from the
posterior calibration (``results/calibration/posterior.parquet``, drawn by systematic resampling: a pure function
of the posterior, K and the study's seed, so every job of a sweep computes the same draws and evaluates its own
chunk). Within a draw every arm runs the same replications on the same cases (common random numbers), and across
draws replication ``r`` keeps its cases: an effect is paired by draw and by replication. Per reform and outcome it
reports the median effect over the draws, its 90% interval over the posterior (parameter uncertainty), the Monte
Carlo CI of an effect at one draw (replication noise), and the share of draws giving the effect the sign most of
them give it; where that share is below :data:`ROBUST` PRIM (the EMA Workbench's) finds the region of parameters
in which the effect flips.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from bargainsim import analysis
from bargainsim.analysis import posterior as weighted
from bargainsim.harness.config import Settings
from bargainsim.harness.sensitivity import evaluate_points
from bargainsim.params import WORKING_DAYS_PER_CALENDAR_DAY, Behaviour, ConfigError, check_integer, specs

logger = logging.getLogger(__name__)

DRAW = "draw"
ROBUST = 0.9
"""An effect is robust when it keeps its sign in at least this share of the posterior draws."""
PRIM_COVERAGE = 0.5
"""PRIM's box is the densest on its peeling trajectory that still holds this share of the draws that flip."""


@dataclass(frozen=True)
class Robustness:
    """A validated robustness study: the posterior's file, the number of draws and their seed, and this job's
    chunk of the draws."""

    posterior: str
    draws: int
    seed: int
    chunks: int
    chunk: int


def robustness_from_config(spec: object) -> Robustness:
    """Check a robustness study's section; ConfigError names the key."""
    check_integer("robustness.draws", spec.draws, 2)
    check_integer("robustness.seed", spec.seed, 0)
    check_integer("robustness.chunks", spec.chunks, 1, spec.draws, f"1..{spec.draws} (robustness.draws)")
    check_integer("robustness.chunk", spec.chunk, 0, spec.chunks - 1, f"0..{spec.chunks - 1} (robustness.chunks)")
    read_posterior(spec.posterior)
    return Robustness(str(spec.posterior), spec.draws, spec.seed, spec.chunks, spec.chunk)


def posterior_path(path: str | Path) -> Path:
    """A posterior's file: as given, or, if relative and not under the working directory, under the project (the
    directory of ``conf/``), so a study finds ``results/calibration/posterior.parquet`` from anywhere."""
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    from bargainsim.harness.config import config_dir

    beside = config_dir().parent / path
    return beside if beside.exists() else path


def read_posterior(path: str | Path, key: str = "robustness.posterior") -> pd.DataFrame:
    """The posterior's weighted particles; ConfigError naming ``key`` if the file is missing or not a posterior."""
    path = posterior_path(path)
    if not path.is_file():
        raise ConfigError(f"{key} = {str(path)!r}: no such file (make calibrate writes "
                          "results/calibration/posterior.parquet)")
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same bad input
        raise ConfigError(f"{key} = {str(path)!r} is not a readable Parquet file "
                          f"({str(error).splitlines()[0]})") from None
    known = {name for name, _ in specs(Behaviour)}
    names = weighted.parameters_of(frame)
    if weighted.WEIGHT not in frame or not names or set(names) - known:
        raise ConfigError(f"{key} = {str(path)!r} is not a posterior of behaviour parameters "
                          f"(columns {', '.join(frame.columns)})")
    return frame


def draws(spec: Robustness) -> pd.DataFrame:
    """The study's K draws from the posterior, numbered 0..K−1."""
    return weighted.systematic_draws(read_posterior(spec.posterior), spec.draws, spec.seed)


def chunk_draws(spec: Robustness) -> range:
    """The contiguous block of draws this job evaluates."""
    bounds = np.linspace(0, spec.draws, spec.chunks + 1).round().astype(int)
    return range(int(bounds[spec.chunk]), int(bounds[spec.chunk + 1]))


ACCOUNTS = {"prison_months": "mean final sentence over all suspects (0 if not convicted), months",
            "detention_days": "mean calendar days in pre-trial detention over all suspects: from arrival to "
                              "disposition for a suspect detained on arrival and not released on counsel's argument",
            "convictions": "share of suspects convicted at first instance"}
"""Per-suspect figures a study's draws also record, for national accounts (the policy brief)."""


def accounts(cases: pd.DataFrame) -> pd.DataFrame:
    """Per run (reform, replication): the :data:`ACCOUNTS` figures of its case records."""
    detained = cases["detained"].to_numpy(bool) & ~cases["released_on_bail"].to_numpy(bool)
    frame = pd.DataFrame({
        "reform": cases["reform"], "replication": cases["replication"],
        "prison_months": cases["final_sentence_months"].to_numpy(float),
        "detention_days": np.where(detained, cases["days_to_disposition"].to_numpy(float), 0.0)
        / WORKING_DAYS_PER_CALENDAR_DAY,
        "convictions": cases["convicted"].to_numpy(float)})
    return frame.groupby(["reform", "replication"], sort=False).mean().reset_index()


def evaluate(settings: Settings) -> pd.DataFrame:
    """Run this job's chunk of the draws: one row per (draw, arm, replication), the draw's parameter values, the
    run's metrics and its :data:`ACCOUNTS`."""
    spec = settings.robustness
    if spec is None:
        raise ValueError("settings carry no robustness study")
    table = draws(spec)
    names = weighted.parameters_of(table.drop(columns=DRAW))
    chosen = chunk_draws(spec)
    logger.info("robustness chunk %d/%d: draws %d-%d of %d", spec.chunk + 1, spec.chunks, chosen.start,
                chosen.stop - 1, spec.draws)
    points = evaluate_points(settings, [f"behaviour.{name}" for name in names], table[names].to_numpy(float),
                             chosen, DRAW, accounts)
    return points.rename(columns={f"behaviour.{name}": name for name in names})


def effects(points: pd.DataFrame, outcomes: list[str], baseline: str = analysis.STATUS_QUO) -> pd.DataFrame:
    """Per draw, reform and outcome: the effect (the mean over replications of the reform's paired difference from
    the baseline, same draw and replication) and the half-width of its 95% Student-t CI over the replications."""
    runs = points.set_index([DRAW, "reform", "replication"]).sort_index()
    base = runs.xs(baseline, level="reform")
    rows = []
    for arm in [a for a in analysis.arm_order(points["reform"], baseline) if a != baseline]:
        differences = (runs.xs(arm, level="reform")[outcomes] - base[outcomes]).dropna(how="all")
        grouped = differences.groupby(level=DRAW)
        mean, sd, n = grouped.mean(), grouped.std(ddof=1), grouped.count()
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
        for outcome in outcomes:
            frame = pd.DataFrame({DRAW: mean.index, "reform": arm, "outcome": outcome,
                                  "effect": mean[outcome].to_numpy(), "mc_half_width": half[outcome].to_numpy()})
            rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def direction(values: np.ndarray) -> tuple[float, float]:
    """The sign most of the effects have (+1, −1 or 0; a tie goes to +1, then −1) and the share that have it."""
    shares = [(float(np.mean(values > 0)), 1.0), (float(np.mean(values < 0)), -1.0), (float(np.mean(values == 0)), 0.0)]
    share, sign = max(shares, key=lambda pair: pair[0])
    return sign, share


def conclusions(per_draw: pd.DataFrame) -> pd.DataFrame:
    """Per reform and outcome: the median effect over the draws, its 90% interval over the posterior, the median
    Monte Carlo half-width at one draw, the sign most draws give it and their share, and whether it is robust."""
    rows = []
    for (arm, outcome), group in per_draw.groupby(["reform", "outcome"], sort=False):
        values = group["effect"].dropna().to_numpy(float)
        if len(values) == 0:
            continue
        sign, share = direction(values)
        rows.append({"reform": arm, "outcome": outcome, "median": float(np.median(values)),
                     "q05": float(np.quantile(values, 0.05)), "q95": float(np.quantile(values, 0.95)),
                     "mc_half_width": float(group["mc_half_width"].median()), "draws": len(values),
                     "direction": sign, "sign_share": share, "robust": share >= ROBUST})
    return pd.DataFrame(rows)


def flip_region(per_draw: pd.DataFrame, parameters: pd.DataFrame, reform: str, outcome: str
                ) -> dict[str, object] | None:
    """PRIM's box of the parameters in which ``reform``'s effect on ``outcome`` lacks the sign most draws give it: the densest box on the peeling trajectory still covering :data:`PRIM_COVERAGE` of the flips; its
    restricted parameters' limits, coverage, density and mass (None if nothing flips)."""
    from ema_workbench.analysis import prim

    rows = per_draw[(per_draw["reform"] == reform) & (per_draw["outcome"] == outcome)].dropna(subset=["effect"])
    x = parameters.set_index(DRAW).loc[rows[DRAW]].reset_index(drop=True)
    effect = rows["effect"].to_numpy(float)
    flipped = np.sign(effect) != direction(effect)[0]
    if not flipped.any() or flipped.all():
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("EMA").setLevel(logging.WARNING)
        box = prim.Prim(x, flipped, threshold=max(flipped.mean(), 1e-9), peel_alpha=0.05).find_box()
    trajectory = box.peeling_trajectory
    eligible = trajectory[trajectory["coverage"] >= PRIM_COVERAGE]
    chosen = int(eligible.sort_values(["density", "coverage"], ascending=False)["id"].iloc[0])
    limits = box.box_lims[chosen]
    initial = box.box_lims[0]
    restricted = {name: (float(limits[name].iloc[0]), float(limits[name].iloc[1])) for name in x.columns
                  if not np.isclose(limits[name].iloc[0], initial[name].iloc[0])
                  or not np.isclose(limits[name].iloc[1], initial[name].iloc[1])}
    row = trajectory[trajectory["id"] == chosen].iloc[0]
    return {"reform": reform, "outcome": outcome, "flips": int(flipped.sum()), "draws": len(flipped),
            "coverage": float(row["coverage"]), "density": float(row["density"]), "mass": float(row["mass"]),
            "limits": restricted}
