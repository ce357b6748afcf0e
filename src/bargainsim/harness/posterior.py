"""Posterior calibration: approximate Bayesian computation (ABC-SMC, pyabc) of the uncertain behavioural parameters
against the national figures, and its checks.

Every evaluation simulates the status quo on the same cases (common random numbers: the posterior's seed,
replications and cases) under a parameter draw and compares its target figures with the published ones by a
weighted Euclidean distance, each figure's difference divided by its scale (how far the published figure itself
moves from year to year: a distance of 1 is one such spread on every figure at once). ABC-SMC (Toni et al. 2009,
as pyabc implements it) lowers the tolerance generation by generation to the median distance of the last, until
``minimum_epsilon`` or ``generations``. Sampling is reproducible whatever the number of processes: candidates are
evaluated in rounds of a fixed size, candidate ``i`` of generation ``t`` with its own seed, and accepted in the
order of ``i`` (:class:`ReproducibleSampler`).

Outputs (beside the point fit in ``results/calibration``): ``posterior.parquet`` (the final generation's weighted
particles), ``posterior_summary.csv``, ``posterior_marginals.png`` and ``posterior_pairs.png``, the posterior
predictive check (``predictive.csv``, ``predictive.png``: the targets simulated at draws from the posterior, on
fresh cases, against the published figures) and a section of ``calibration.md``.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cloudpickle
import numpy as np
import pandas as pd
import pyabc
from pyabc.sampler import Sampler

from bargainsim import analysis
from bargainsim.analysis import posterior as weighted
from bargainsim.harness.experiment import leave_interrupts, status_quo_metrics, worker_context
from bargainsim.harness.files import write_atomic
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules, Timing, check_integer, specs

logger = logging.getLogger(__name__)


@dataclass
class PosteriorConfig:
    """Schema of the calibration's ``posterior`` section (``conf/calibration.yaml`` sets it; a population size of 0,
    the schema's default, computes no posterior)."""

    population_size: int = 0
    generations: int = 8
    minimum_epsilon: float = 1.0
    seed: int = 2026
    replications: int = 2
    n_cases: int = 4000
    round_size: int = 0
    chunk: int = 4
    predictive_draws: int = 100
    scales: dict[str, float] = field(default_factory=dict)
    priors: dict[str, list[float]] = field(default_factory=dict)
    executor: str = "local"
    slurm: dict[str, Any] = field(default_factory=dict)
    min_effective_share: float = 0.25
    tolerances: list[float] = field(default_factory=list)


EXECUTORS = ("local", "slurm")
"""Where candidates are evaluated: local worker processes (``jobs`` of them), or Slurm job arrays (submitit)."""


class SlurmArrays:
    """The ``map`` a sampling round needs, as one Slurm job array per round (submitit, resources from
    ``posterior.slurm``: e.g. partition, timeout_min, cpus_per_task, mem_gb)."""

    def __init__(self, folder: Path, resources: dict[str, Any], cluster: str | None = None) -> None:
        import submitit

        self.executor = submitit.AutoExecutor(folder=folder, cluster=cluster)
        self.executor.update_parameters(**{("slurm_" + k if k == "partition" else k): v
                                           for k, v in resources.items() if v is not None})

    def map(self, function: Callable, *arguments: list) -> Iterator:
        jobs = self.executor.map_array(function, *[list(a) for a in arguments])
        return (job.result() for job in jobs)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Nothing to stop: each round's array is collected before the next."""


@dataclass(frozen=True)
class PosteriorSettings:
    """A posterior calibration as plain validated values."""

    population_size: int
    generations: int
    minimum_epsilon: float
    seed: int
    replications: int
    n_cases: int
    round_size: int
    chunk: int
    predictive_draws: int
    scales: dict[str, float]
    priors: dict[str, tuple[float, float]]
    executor: str = "local"
    slurm: tuple[tuple[str, Any], ...] = ()
    min_effective_share: float = 0.25
    tolerances: tuple[float, ...] = ()


def settings_from(config: PosteriorConfig, targets: dict[str, float], behaviour: Behaviour) -> PosteriorSettings:
    """Validate the ``posterior`` section against the calibration's targets; ConfigError names the key."""
    for key, value, minimum in (("population_size", config.population_size, 2),
                                ("generations", config.generations, 1), ("replications", config.replications, 1),
                                ("n_cases", config.n_cases, 1), ("round_size", config.round_size, 0),
                                ("chunk", config.chunk, 1), ("predictive_draws", config.predictive_draws, 2)):
        check_integer(f"posterior.{key}", value, minimum)
    check_integer("posterior.seed", config.seed, 0)
    if config.executor not in EXECUTORS:
        raise ConfigError(f"posterior.executor = {config.executor!r} is not allowed; allowed values: "
                          f"{', '.join(EXECUTORS)}")
    for k, tolerance in enumerate(config.tolerances):
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not tolerance > 0:
            raise ConfigError(f"posterior.tolerances[{k}] = {tolerance!r} must be a positive distance")
    if not 0.0 < config.min_effective_share <= 1.0:
        raise ConfigError(f"posterior.min_effective_share = {config.min_effective_share!r} must be in (0, 1]")
    if not config.minimum_epsilon > 0:
        raise ConfigError(f"posterior.minimum_epsilon = {config.minimum_epsilon!r} must be > 0")
    if set(config.scales) != set(targets):
        raise ConfigError(f"posterior.scales must give one scale per target ({', '.join(targets)}); "
                          f"given: {', '.join(config.scales) or 'none'}")
    for name, scale in config.scales.items():
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
            raise ConfigError(f"posterior.scales.{name} = {scale!r} must be a positive share")
    ranges = {name: f.metadata for name, f in specs(Behaviour)
              if isinstance(f.default, float) and f.metadata.get("low") is not None}
    if not config.priors:
        raise ConfigError(f"posterior.priors is empty; give [low, high] for some of: {', '.join(ranges)}")
    priors = {}
    for name, bounds in config.priors.items():
        if name not in ranges:
            raise ConfigError(f"posterior.priors.{name} is not a continuous behaviour parameter; allowed: "
                              f"{', '.join(ranges)}")
        if not isinstance(bounds, (list, tuple)) or len(bounds) != 2 or \
                any(isinstance(b, bool) or not isinstance(b, (int, float)) for b in bounds):
            raise ConfigError(f"posterior.priors.{name} = {bounds!r} must be [low, high]")
        low, high = float(bounds[0]), float(bounds[1])
        if not ranges[name]["low"] <= low < high <= ranges[name]["high"]:
            raise ConfigError(f"posterior.priors.{name} = [{low:g}, {high:g}] must satisfy "
                              f"{ranges[name]['low']} ≤ low < high ≤ {ranges[name]['high']}")
        if not low <= getattr(behaviour, name) <= high:
            raise ConfigError(f"posterior.priors.{name} = [{low:g}, {high:g}] must hold the default "
                              f"{getattr(behaviour, name)!r}")
        priors[name] = (low, high)
    return PosteriorSettings(config.population_size, config.generations, float(config.minimum_epsilon),
                             config.seed, config.replications, config.n_cases,
                             config.round_size or config.population_size, config.chunk, config.predictive_draws,
                             {name: float(config.scales[name]) for name in targets}, priors, config.executor,
                             tuple(sorted(dict(config.slurm).items())), float(config.min_effective_share),
                             tuple(float(t) for t in config.tolerances))


@dataclass(frozen=True)
class StatusQuoFigures:
    """The model ABC evaluates: the status quo's target figures under a parameter draw, on fixed cases (the mean
    over ``replications`` replications of ``n_cases`` cases of ``seed``)."""

    rules: Rules
    behaviour: Behaviour
    caseload: Caseload
    timing: Timing
    targets: tuple[str, ...]
    seed: int
    replications: int
    n_cases: int

    def __call__(self, parameters: dict[str, float]) -> dict[str, float]:
        behaviour = dataclasses.replace(self.behaviour, **{k: float(v) for k, v in parameters.items()})
        metrics = status_quo_metrics(self.rules, behaviour, self.caseload, self.timing, self.seed,
                                     self.replications, self.n_cases)
        return {name: float(metrics[name].mean()) for name in self.targets}


def effective_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of importance weights, 1 / Σ w² (weights normalised)."""
    weights = np.asarray(weights, float) / float(np.sum(weights))
    return float(1.0 / np.sum(weights ** 2))


def _evaluate(simulate_one: bytes, seeds: list[int]) -> list:
    """Evaluate candidates of one generation, each after seeding the generators pyabc draws from."""
    function = cloudpickle.loads(simulate_one)
    particles = []
    for seed in seeds:
        np.random.seed(seed)
        random.seed(seed)
        particles.append(function())
    return particles


class ReproducibleSampler(Sampler):
    """A pyabc sampler whose result does not depend on the number of processes: each generation evaluates its
    candidates in rounds of ``round_size`` (``chunk`` to a task), candidate ``i`` seeded from (seed, generation,
    i), and accepts them in the order of ``i`` until it has ``n``."""

    def __init__(self, seed: int, round_size: int, chunk: int, executor: Executor | None) -> None:
        super().__init__()
        self.seed, self.round_size, self.chunk, self.executor = seed, round_size, chunk, executor

    def sample_until_n_accepted(self, n: int, simulate_one: Callable, t: int, *, max_eval: float = np.inf,
                                all_accepted: bool = False, ana_vars: object = None) -> object:
        pickled = cloudpickle.dumps(simulate_one)
        sample = self._create_empty_sample()
        accepted = evaluated = start = 0
        while accepted < n and evaluated < max_eval:
            seeds = [int(np.random.SeedSequence([self.seed, t + 2, i]).generate_state(1)[0])
                     for i in range(start, start + self.round_size)]
            chunks = [seeds[k:k + self.chunk] for k in range(0, len(seeds), self.chunk)]
            run = self.executor.map if self.executor is not None else map
            for particles in run(_evaluate, [pickled] * len(chunks), chunks):
                for particle in particles:
                    if accepted >= n:
                        break
                    sample.append(particle)
                    evaluated += 1
                    accepted += bool(particle.accepted)
            start += self.round_size
            logger.debug("generation %d: %d of %d candidates accepted so far", t, accepted, evaluated)
        self.nr_evaluations_ = evaluated
        logger.info("generation %d: %d of %d candidates accepted", t, accepted, evaluated)
        if accepted < n:
            sample.ok = False
        return sample


def infer(settings: PosteriorSettings, model: StatusQuoFigures, targets: dict[str, float], jobs: int,
          work_dir: Path, shared_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run ABC-SMC; the posterior's particles (parameters and ``weight``) and each generation's tolerance,
    particles, evaluations and effective sample size. The posterior is the last generation whose importance
    weights keep an effective sample size of at least ``min_effective_share`` of its particles: a later one, its
    weight piled on a few particles (a large drop in tolerance does that), would claim a certainty it lacks.
    Slurm's job arrays exchange their inputs and results through ``shared_dir`` (a directory the cluster's nodes
    see; by default ``work_dir``)."""
    for name in ("ABC", "Epsilon", "Distance", "Sampler", "History", "Acceptor", "Transition", "Population"):
        logging.getLogger(f"ABC.{name}").setLevel(logging.WARNING)
    logging.getLogger("ABC").setLevel(logging.WARNING)
    prior = pyabc.Distribution(**{name: pyabc.RV("uniform", low, high - low)
                                  for name, (low, high) in settings.priors.items()})
    distance = pyabc.PNormDistance(p=2, fixed_weights={name: 1.0 / scale for name, scale in settings.scales.items()})
    np.random.seed(settings.seed)
    random.seed(settings.seed)
    executor = None
    if settings.executor == "slurm":
        executor = SlurmArrays((shared_dir or work_dir) / "slurm", dict(settings.slurm))
    elif jobs > 1:
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=worker_context(), initializer=leave_interrupts)
    try:
        sampler = ReproducibleSampler(settings.seed, settings.round_size, settings.chunk, executor)
        schedule = {}
        if settings.tolerances:
            schedule["eps"] = pyabc.epsilon.ListEpsilon(list(settings.tolerances))
        abc = pyabc.ABCSMC(model, prior, distance, population_size=settings.population_size, sampler=sampler,
                           **schedule)
        abc.new(f"sqlite:///{work_dir / 'abc.db'}", targets)
        generations = len(settings.tolerances) or settings.generations
        history = abc.run(minimum_epsilon=settings.minimum_epsilon, max_nr_populations=generations)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    populations = history.get_all_populations()
    generations = populations[populations["t"] >= 0].rename(columns={"t": "generation", "epsilon": "tolerance",
                                                                      "samples": "evaluations"})
    generations = generations[["generation", "tolerance", "particles", "evaluations"]].reset_index(drop=True)
    generations["effective_size"] = [effective_size(history.get_distribution(m=0, t=int(t))[1])
                                     for t in generations["generation"]]
    usable = generations[generations["effective_size"] >= settings.min_effective_share * settings.population_size]
    chosen = int(usable["generation"].max()) if not usable.empty else 0
    generations["posterior"] = generations["generation"] == chosen
    frame, weights = history.get_distribution(m=0, t=chosen)
    particles = frame.reset_index(drop=True)[list(settings.priors)]
    particles[weighted.WEIGHT] = np.asarray(weights, float) / float(np.sum(weights))
    distances = history.get_weighted_distances(t=chosen)
    generations.attrs["distances"] = distances[["distance", "w"]].to_numpy(float)
    return particles, generations


def predictive(settings: PosteriorSettings, model: StatusQuoFigures, particles: pd.DataFrame, seed: int,
               jobs: int) -> pd.DataFrame:
    """The target figures simulated at ``predictive_draws`` draws from the posterior, each on fresh cases of
    ``seed`` (the fit never saw them)."""
    draws = weighted.systematic_draws(particles, settings.predictive_draws, settings.seed)
    fresh = dataclasses.replace(model, seed=seed)
    parameters = [{name: row[name] for name in settings.priors} for _, row in draws.iterrows()]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=worker_context(),
                                 initializer=leave_interrupts) as pool:
            figures = list(pool.map(fresh, parameters))
    else:
        figures = [fresh(p) for p in parameters]
    return pd.concat([draws, pd.DataFrame(figures)], axis=1)


@dataclass(frozen=True)
class Posterior:
    """A finished posterior calibration and its checks."""

    particles: pd.DataFrame
    generations: pd.DataFrame
    summary: pd.DataFrame
    predictive: pd.DataFrame
    check: pd.DataFrame
    default_level: float
    default_distance: float
    default_fit_share: float
    files: dict[str, Path]


def run(settings: PosteriorSettings, model: StatusQuoFigures, targets: dict[str, float], defaults: dict[str, float],
        predictive_seed: int, jobs: int, out_dir: Path) -> Posterior:
    """Infer the posterior, summarise it, check it, and write its files into ``out_dir``."""
    logger.info("posterior of %s: ABC-SMC, %d particles, at most %d generations, on %d × %d cases (seed %d)",
                ", ".join(settings.priors), settings.population_size, settings.generations, settings.replications,
                settings.n_cases, settings.seed)
    shared = out_dir / ".abc-slurm"
    try:
        with tempfile.TemporaryDirectory(prefix="bargainsim-abc-") as work:
            particles, generations = infer(settings, model, targets, jobs, Path(work), shared)
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    summary = weighted.summary(particles, settings.priors, defaults)
    level = weighted.density_level(particles, settings.priors, defaults)
    at_defaults = model(defaults)
    default_distance = float(np.sqrt(sum(((at_defaults[name] - target) / settings.scales[name]) ** 2
                                         for name, target in targets.items())))
    distances = generations.attrs["distances"]
    fit_share = float(distances[distances[:, 0] <= default_distance, 1].sum() / distances[:, 1].sum())
    simulated = predictive(settings, model, particles, predictive_seed, jobs)
    check = weighted.predictive_summary(simulated, targets)
    from bargainsim.reporting import plots

    files = {
        "posterior": write_atomic(out_dir / "posterior.parquet", lambda p: particles.to_parquet(p, index=False)),
        "posterior_summary": write_atomic(out_dir / "posterior_summary.csv",
                                          lambda p: summary.to_csv(p, index=False)),
        "generations": write_atomic(out_dir / "generations.csv", lambda p: generations.to_csv(p, index=False)),
        "predictive": write_atomic(out_dir / "predictive.csv", lambda p: simulated.to_csv(p, index=False)),
        "posterior_marginals": write_atomic(out_dir / "posterior_marginals.png", lambda p: plots.plot_marginals(
            particles, settings.priors, defaults, p)),
        "posterior_pairs": write_atomic(out_dir / "posterior_pairs.png", lambda p: plots.plot_pairs(
            particles, settings.priors, defaults, summary, p)),
        "predictive_figure": write_atomic(out_dir / "predictive.png", lambda p: plots.plot_predictive(
            simulated, targets, p)),
    }
    return Posterior(particles, generations, summary, simulated, check, level, default_distance, fit_share, files)


def format_markdown(settings: PosteriorSettings, posterior: Posterior, predictive_seed: int) -> str:
    """The posterior's section of calibration.md."""
    rows = "\n".join(
        f"| `behaviour.{r.parameter}` | [{r.prior_low:g}, {r.prior_high:g}] | {r.median:.4g} "
        f"| [{r.q05:.4g}, {r.q95:.4g}] | {r.sd_ratio:.2f} | {r.default:g} | {r.default_quantile:.2f} |"
        for r in posterior.summary.itertuples())
    checks = "\n".join(
        f"| {analysis.OUTCOMES[r.figure].title} | {100 * r.target:.1f}% | {100 * r.median:.2f}% "
        f"| [{100 * r.low:.2f}, {100 * r.high:.2f}] | {'yes' if r.inside else '**no**'} |"
        for r in posterior.check.itertuples())
    scales = ", ".join(f"{name} {100 * s:g} pp" for name, s in settings.scales.items())
    last = posterior.generations[posterior.generations["posterior"]].iloc[0]
    if len(posterior.generations) == 1:
        method = (f"Rejection ABC: {settings.population_size} particles drawn from the prior and kept within "
                  f"tolerance {last.tolerance:g} ({int(last.evaluations):,} evaluations; in these dimensions the "
                  "importance weights of ABC-SMC degenerate from its second generation on).")
    else:
        method = (f"ABC-SMC, {len(posterior.generations)} generations of {settings.population_size} particles; the "
                  f"posterior is generation {int(last.generation)} (tolerance {last.tolerance:.3g}, effective "
                  f"sample size {last.effective_size:.0f}), the last whose weights keep an effective sample size of "
                  f"at least {settings.min_effective_share:.0%} of its particles.")
    accepted = posterior.default_distance <= last.tolerance
    verdict = (f"inside the tolerance, so a point the posterior accepts, and a better fit than "
               f"{1 - posterior.default_fit_share:.0%} of its particles" if accepted else
               "**outside** the tolerance: the posterior would not accept them")
    return f"""
## Posterior (approximate Bayesian computation)

Approximate Bayesian computation of {len(settings.priors)} uncertain behavioural parameters, uniform priors on
the ranges below (`posterior.priors` in `conf/calibration.yaml`), against the same targets; a draw's distance is
the Euclidean norm of its figures' differences from the targets, each divided by its scale ({scales}: about the
published figure's own movement from year to year). {method} Every evaluation on the same
{settings.replications} × {settings.n_cases:,} cases (seed {settings.seed}). Particles:
[`posterior.parquet`](posterior.parquet); per generation: [`generations.csv`](generations.csv).

| parameter | prior | posterior median | 90% interval | sd left of the prior's | default | default's quantile |
|---|---|---|---|---|---|---|
{rows}

**The defaults.** On the same cases, the figures at the defaults lie at distance {posterior.default_distance:.2f}
from the targets: {verdict} (the posterior's tolerance). With uniform priors the ABC posterior's density at a
point is the chance that its
simulated figures fall within the tolerance, so a point that fits better than most particles is one of high
posterior density. (A kernel density estimate in {len(settings.priors)} dimensions from
{settings.population_size} particles is too thin to say more: it puts the defaults in the
{100 * posterior.default_level:.0f}% highest-density region.)
"sd left" near 1 means the national figures say little about a parameter: its posterior is about its prior.

![marginals](posterior_marginals.png)

![pairs](posterior_pairs.png)

### Posterior predictive check

The targets simulated at {settings.predictive_draws} draws from the posterior, each on fresh cases (seed
{predictive_seed}, {settings.replications} × {settings.n_cases:,} cases), against the published figures:

| figure | published | predictive median | 90% predictive interval | inside |
|---|---|---|---|---|
{checks}

![predictive](predictive.png)
"""
