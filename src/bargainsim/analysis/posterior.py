"""A weighted posterior sample of the behavioural parameters: its summaries, draws from it, and where a point lies
in it. Plain functions of a frame with one column per parameter and a ``weight`` column (summing to 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

WEIGHT = "weight"


def parameters_of(posterior: pd.DataFrame) -> list[str]:
    """The parameter columns of a posterior frame."""
    return [name for name in posterior.columns if name not in (WEIGHT, "distance", "generation")]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """Quantiles of a weighted sample (the inverse of its weighted empirical distribution, interpolated at the
    midpoints of each value's weight)."""
    order = np.argsort(values, kind="stable")
    values, weights = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cumulative = (np.cumsum(weights) - 0.5 * weights) / weights.sum()
    return np.interp(q, cumulative, values)


def systematic_draws(posterior: pd.DataFrame, count: int, seed: int) -> pd.DataFrame:
    """``count`` equally weighted draws from the posterior by systematic resampling (one uniform offset from
    ``seed``), in a shuffled order from the same seed: a particle of weight w appears about ``count``·w times. The
    same posterior, count and seed always give the same draws."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(count)]))
    weights = posterior[WEIGHT].to_numpy(float)
    edges = np.cumsum(weights / weights.sum())
    edges[-1] = 1.0
    positions = (rng.random() + np.arange(count)) / count
    rows = np.searchsorted(edges, positions, side="right")
    draws = posterior.iloc[rows[rng.permutation(count)]][parameters_of(posterior)].reset_index(drop=True)
    draws.insert(0, "draw", np.arange(count))
    return draws


def summary(posterior: pd.DataFrame, priors: dict[str, tuple[float, float]], defaults: dict[str, float]
            ) -> pd.DataFrame:
    """One row per parameter: its prior range, the posterior's mean, median and 90% interval, how much of the
    prior's spread is left (posterior sd ÷ prior sd), the default and its quantile in the posterior marginal."""
    weights = posterior[WEIGHT].to_numpy(float)
    rows = []
    for name in parameters_of(posterior):
        values = posterior[name].to_numpy(float)
        low, high = priors[name]
        mean = float(np.average(values, weights=weights))
        sd = float(np.sqrt(np.average((values - mean) ** 2, weights=weights)))
        q05, q50, q95 = weighted_quantile(values, weights, np.array([0.05, 0.5, 0.95]))
        default = defaults[name]
        rows.append({"parameter": name, "prior_low": low, "prior_high": high, "mean": mean, "median": float(q50),
                     "q05": float(q05), "q95": float(q95), "sd_ratio": sd / ((high - low) / np.sqrt(12.0)),
                     "default": default,
                     "default_quantile": float(weights[values <= default].sum() / weights.sum())})
    return pd.DataFrame(rows)


def density_level(posterior: pd.DataFrame, priors: dict[str, tuple[float, float]], point: dict[str, float]
                  ) -> float:
    """The smallest highest-density region of the posterior that holds ``point``, as its posterior mass: the
    weight of the particles at which a weighted Gaussian kernel density (on the prior box scaled to the unit cube)
    is at least its density at ``point``. 0.5 means the point lies in the 50% highest-density region."""
    from scipy.stats import gaussian_kde

    names = parameters_of(posterior)
    scale = np.array([[priors[n][0], priors[n][1] - priors[n][0]] for n in names])
    unit = (posterior[names].to_numpy(float) - scale[:, 0]) / scale[:, 1]
    weights = posterior[WEIGHT].to_numpy(float)
    kde = gaussian_kde(unit.T, weights=weights)
    at = (np.array([point[n] for n in names]) - scale[:, 0]) / scale[:, 1]
    density, densities = kde(at[:, None])[0], kde(unit.T)
    return float(weights[densities >= density].sum() / weights.sum())


def predictive_summary(simulated: pd.DataFrame, targets: dict[str, float], level: float = 0.9) -> pd.DataFrame:
    """The posterior predictive check: per target, the published figure, the median of the figures simulated at
    the posterior draws, their central ``level`` interval, and whether the figure lies inside it."""
    rows = []
    for name, target in targets.items():
        values = simulated[name].to_numpy(float)
        low, median, high = np.quantile(values, [(1 - level) / 2, 0.5, (1 + level) / 2])
        rows.append({"figure": name, "target": target, "median": median, "low": low, "high": high,
                     "inside": bool(low <= target <= high)})
    return pd.DataFrame(rows)
