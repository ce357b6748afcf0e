"""The posterior calibration (bargainsim.harness.posterior, bargainsim.analysis.posterior): ABC-SMC gives the same
particles whatever the number of processes; draws, quantiles and highest-density levels are those of the weighted
sample; bad posterior settings are refused naming the key."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from bargainsim.analysis import posterior as weighted
from bargainsim.harness import posterior
from bargainsim.harness.calibration import TARGETS_2024
from bargainsim.params import Behaviour, Caseload, ConfigError, Rules, Timing

PRIORS = {"kpi_plea_value": [2.0, 10.0], "range_recommendation": [0.0, 0.5]}
SCALES = {name: 0.02 for name in TARGETS_2024}


def tiny(**changes: object) -> posterior.PosteriorSettings:
    config = dataclasses.replace(posterior.PosteriorConfig(population_size=12, generations=2, replications=1,
                                                           n_cases=300, chunk=3, predictive_draws=4,
                                                           scales=SCALES, priors=PRIORS), **changes)
    return posterior.settings_from(config, TARGETS_2024, Behaviour())


def model(settings: posterior.PosteriorSettings) -> posterior.StatusQuoFigures:
    return posterior.StatusQuoFigures(Rules(), Behaviour(), Caseload(), Timing(), tuple(TARGETS_2024),
                                      settings.seed, settings.replications, settings.n_cases)


def test_abc_gives_the_same_particles_whatever_the_processes(tmp_path):
    settings = tiny()
    one, generations = posterior.infer(settings, model(settings), TARGETS_2024, 1, tmp_path)
    (tmp_path / "two").mkdir()
    two, _ = posterior.infer(settings, model(settings), TARGETS_2024, 2, tmp_path / "two")
    pd.testing.assert_frame_equal(one, two)
    assert len(one) == 12 and one["weight"].sum() == pytest.approx(1.0)
    assert list(generations["generation"]) == [0, 1]
    assert generations["tolerance"].iloc[1] < generations["tolerance"].iloc[0]
    for name, (low, high) in PRIORS.items():
        assert one[name].between(low, high).all()


def test_another_seed_gives_other_particles(tmp_path):
    settings = tiny()
    first, _ = posterior.infer(settings, model(settings), TARGETS_2024, 1, tmp_path)
    (tmp_path / "b").mkdir()
    other = dataclasses.replace(settings, seed=settings.seed + 1)
    second, _ = posterior.infer(other, model(other), TARGETS_2024, 1, tmp_path / "b")
    assert not first.equals(second)


def test_systematic_draws_follow_the_weights():
    sample = pd.DataFrame({"a": [1.0, 2.0, 3.0], "weight": [0.5, 0.25, 0.25]})
    draws = weighted.systematic_draws(sample, 100, seed=7)
    counts = draws["a"].value_counts()
    assert counts[1.0] == 50 and counts[2.0] == 25 and counts[3.0] == 25
    assert draws.equals(weighted.systematic_draws(sample, 100, seed=7))
    assert list(draws["draw"]) == list(range(100))
    assert not draws["a"].equals(weighted.systematic_draws(sample, 100, seed=8)["a"])


def test_weighted_quantiles_are_those_of_the_repeated_sample():
    rng = np.random.default_rng(1)
    values = rng.normal(size=40)
    counts = rng.integers(1, 6, size=40)
    repeated = np.repeat(values, counts)
    for q in (0.05, 0.5, 0.95):
        assert weighted.weighted_quantile(values, counts / counts.sum(), q) == \
            pytest.approx(np.quantile(repeated, q), abs=0.15)


def test_a_point_at_the_mode_is_in_a_small_highest_density_region_and_one_far_away_in_none():
    rng = np.random.default_rng(2)
    sample = pd.DataFrame({"x": rng.normal(5.0, 0.5, 2000), "y": rng.normal(0.3, 0.05, 2000)})
    sample["weight"] = 1.0 / len(sample)
    priors = {"x": (0.0, 10.0), "y": (0.0, 1.0)}
    assert weighted.density_level(sample, priors, {"x": 5.0, "y": 0.3}) < 0.05
    two_sd = 1.0 - np.exp(-2.0)  # a bivariate normal's mass inside the density contour 2 sd from its mean
    assert weighted.density_level(sample, priors, {"x": 6.0, "y": 0.3}) == pytest.approx(two_sd, abs=0.04)
    assert weighted.density_level(sample, priors, {"x": 9.5, "y": 0.9}) == 1.0


def test_the_predictive_check_says_whether_the_figure_is_inside():
    simulated = pd.DataFrame({"application_rate": np.linspace(0.80, 0.90, 101)})
    check = weighted.predictive_summary(simulated, {"application_rate": 0.86})
    assert bool(check["inside"].iloc[0]) and check["median"].iloc[0] == pytest.approx(0.85)
    assert not weighted.predictive_summary(simulated, {"application_rate": 0.95})["inside"].iloc[0]


@pytest.mark.parametrize("changes, key", [
    ({"priors": {"no_such": [0.0, 1.0]}}, "posterior.priors.no_such"),
    ({"priors": {"kpi_plea_value": [7.0, 10.0]}}, "posterior.priors.kpi_plea_value"),
    ({"priors": {"kpi_plea_value": [0.0, 100.0]}}, "posterior.priors.kpi_plea_value"),
    ({"scales": {"application_rate": 0.02}}, "posterior.scales"),
    ({"scales": {**SCALES, "adoption_rate": 0.0}}, "posterior.scales.adoption_rate"),
    ({"population_size": 1}, "posterior.population_size"),
    ({"minimum_epsilon": 0.0}, "posterior.minimum_epsilon"),
])
def test_bad_posterior_settings_name_the_key(changes, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        tiny(**changes)


def test_slurm_arrays_map_in_order(tmp_path):
    """The Slurm executor's map, run by submitit's in-process debug cluster: results in the order of the inputs."""
    arrays = posterior.SlurmArrays(tmp_path, {"timeout_min": 5}, cluster="debug")
    assert list(arrays.map(pow, [2, 3, 4], [2, 2, 3])) == [4, 9, 64]


def test_an_unknown_executor_is_refused():
    with pytest.raises(ConfigError, match=r"posterior\.executor"):
        tiny(executor="cloud")
