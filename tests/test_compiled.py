"""The compiled procedure (bargainsim.core.compiled) is the Python procedure: the compiled decision functions give
the reference functions' results over generated inputs, and a whole district run compiled records exactly what the
Python procedure records — every column, every value, in order of disposition — for every arm of the main job,
every guideline, every textbook preset and randomly drawn rules, behaviour and caseloads. A model watched by a
tracker runs the Python procedure, so the comparison is a run with and without a passive tracker."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hydra import compose, initialize_config_dir
from hypothesis import given, settings
from hypothesis import strategies as st

from bargainsim.core import decisions, sentencing
from bargainsim.core.compiled import compiled
from bargainsim.core.district import build_district
from bargainsim.core.procedure import information, voluntariness
from bargainsim.core.procedure.negotiation import textbook
from bargainsim.core.record import FIELDS
from bargainsim.core.trackers import Tracker
from bargainsim.harness.config import config_dir, make_arm, reform_catalogue, settings_from_config
from bargainsim.params import Behaviour, Caseload, Guideline, Rules, Timing
from bargainsim.params.validation import ConfigError, specs, validate

probability = st.floats(0.0, 1.0)
months = st.floats(0.0, 300.0)
share = st.floats(0.0, 1.0)
noise = st.one_of(st.just(0.0), st.floats(1e-3, 5.0))
z = st.floats(-4.0, 4.0)


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@settings(max_examples=300, deadline=None)
@given(probability, noise, z, st.floats(-0.5, 0.5), st.floats(-4.0, 4.0), st.floats(0.1, 3.0), st.floats(0, 10))
def test_beliefs_compiled_are_the_reference(truth, sd, draw, shift, prior_mean, prior_sd, weight):
    assert same(compiled(information.signal)(truth, sd, draw, shift), information.signal(truth, sd, draw, shift))
    assert same(compiled(information.weighed)(truth, sd, draw, prior_mean, prior_sd, weight),
                information.weighed(truth, sd, draw, prior_mean, prior_sd, weight))
    assert compiled(information.belief_noise)(sd, shift, truth, weight) == \
        information.belief_noise(sd, shift, truth, weight)


@settings(max_examples=300, deadline=None)
@given(months, months, months, share, share, share, share, share)
def test_sentences_compiled_are_the_reference(base, low, high, plea, mitigation, victim, cap, usual):
    low, high = sorted((low, high))
    assert compiled(sentencing.capped)(base, low, high, plea, mitigation, victim, cap) == \
        sentencing.sentence(base, low, high, plea, mitigation, victim, cap=cap)
    assert compiled(sentencing.band)(base, low, high, cap, plea, usual, mitigation, victim) == \
        sentencing.band(base, low, high, cap, plea, usual, mitigation, victim)
    assert compiled(information.sentencing_chips)(mitigation, plea, victim) == \
        information.sentencing_chips(mitigation, plea, victim)


@settings(max_examples=300, deadline=None)
@given(probability, months, st.floats(0.0, 24.0), st.floats(0.5, 4.0), st.floats(0.0, 8.0), st.floats(0.0, 1.0),
       st.floats(0.0, 0.5), st.booleans())
def test_choices_compiled_are_the_reference(belief, trial, cost, rho, innocence, u, scale, detained):
    taste = decisions.choice_taste(u, scale)
    assert compiled(decisions.choice_taste)(u, scale) == taste
    assert compiled(decisions.risk_exponent)(rho, scale, innocence - 4.0) == \
        decisions.risk_exponent(rho, scale, innocence - 4.0)
    assert compiled(decisions.suspect_reservation)(belief, trial, cost, rho, innocence, taste) == \
        decisions.suspect_reservation(belief, trial, cost, rho, innocence, taste)
    assert compiled(decisions.defendant_trial_cost)(cost, innocence, detained, rho) == \
        decisions.defendant_trial_cost(cost, innocence, detained, rho)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.5, 300.0), st.floats(0.0, 12.0), st.floats(0.0, 12.0), st.floats(0.01, 0.5), st.floats(0.55, 0.99),
       st.floats(0.0, 1.0), st.integers(1, 60), st.floats(0.05, 0.999), st.floats(0.05, 0.999))
def test_textbook_offers_compiled_are_the_reference(trial, c_p, c_d, low, high, power, horizon, d_p, d_d):
    assert compiled(decisions.screening_offer)(trial, c_p, c_d, low, high, 0.0, trial) == \
        decisions.screening_offer(trial, c_p, c_d, low, high, 0.0, trial)
    offer = decisions.signalling_offer(0.5 * (low + high), trial, c_d, 0.0, trial)
    assert compiled(decisions.signalling_offer)(0.5 * (low + high), trial, c_d, 0.0, trial) == offer
    weakest, strongest = (decisions.signalling_offer(p, trial, c_d, 0.0, trial) for p in (low, high))
    assert compiled(decisions.signalling_acceptance)(offer, weakest, strongest, c_p, c_d) == \
        decisions.signalling_acceptance(offer, weakest, strongest, c_p, c_d)
    assert compiled(textbook.nash_solution)(c_d, c_d + trial, power) == textbook.nash_solution(c_d, c_d + trial, power)
    assert list(compiled(textbook.subgame_perfect_gains)(trial, d_p, d_d, horizon)) == \
        textbook.subgame_perfect_gains(trial, d_p, d_d, horizon)


@settings(max_examples=300, deadline=None)
@given(months, months, months, st.integers(0, 6), st.integers(0, 6), st.booleans(), months)
def test_plea_terms_compiled_are_the_reference(opening, target, recommendation, defense, prosecutor, last, ref):
    assert compiled(voluntariness.plea_terms)(opening, target, recommendation, defense, prosecutor, last, ref) == \
        voluntariness.plea_terms(opening, target, recommendation, defense, prosecutor, last, ref)


def test_keyword_only_arguments_are_refused():
    """numba misreads keyword-only arguments, so a function with them is not compiled (it would compute wrongly)."""
    with pytest.raises(TypeError, match="keyword-only"):
        compiled(sentencing.sentence)


def both_ways(rules: Rules, behaviour: Behaviour, caseload: Caseload, n: int, seed: int) -> tuple:
    """The records and the institution's end state of one district, compiled and in Python."""
    runs = []
    for trackers in ((), (Tracker(),)):
        model = build_district(rules, behaviour, caseload, Timing(), n, seed, trackers=trackers)
        assert model.compiles == (not trackers)
        records = model.run()
        lawyers = model.duty_lawyers + model.retained_lawyers
        state = (model.day, [p.clock.busy_until for p in model.prosecutors],
                 [j.busy_until for j in model.court.judges], [lawyer.open_cases for lawyer in lawyers])
        runs.append((records, state))
    return runs[0], runs[1]


def assert_identical(rules: Rules, behaviour: Behaviour = Behaviour(), caseload: Caseload = Caseload(),
                     n: int = 1200, seed: int = 3) -> None:
    (fast, fast_state), (reference, reference_state) = both_ways(rules, behaviour, caseload, n, seed)
    assert len(fast) == len(reference) == n
    assert fast_state == reference_state
    fast_rows, reference_rows = fast.rows, reference.rows
    for k, (name, column, expected) in enumerate(zip(FIELDS, zip(*fast_rows), zip(*reference_rows))):
        differ = [i for i, (a, b) in enumerate(zip(column, expected)) if not (a == b or (a != a and b != b))]
        assert not differ, f"{name}: first of {len(differ)} differences at record {differ[0]}: " \
                           f"{column[differ[0]]!r} compiled, {expected[differ[0]]!r} in Python"
    assert [type(v) for v in fast_rows[0]] == [type(v) for v in reference_rows[0]]


ARMS = reform_catalogue()


@pytest.mark.parametrize("arm", sorted(ARMS))
def test_every_arm_compiled_is_the_python_procedure(arm):
    assert_identical(make_arm(ARMS[arm], Rules()).rules)


def composed(*overrides: str) -> tuple[Rules, Behaviour]:
    """The status quo's rules and the behaviour of the main job's configuration with ``overrides``."""
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        settings = settings_from_config(compose(config_name="config", overrides=["reform=baseline", *overrides]))
    return settings.arms[0].rules, settings.behaviour


@pytest.mark.parametrize("preset", sorted(p.stem for p in (config_dir() / "guideline").glob("*.yaml")))
def test_every_guideline_compiled_is_the_python_procedure(preset):
    assert_identical(*composed(f"guideline={preset}"))


@pytest.mark.parametrize("preset", sorted(p.stem for p in (config_dir() / "jurisdiction").glob("*.yaml")))
def test_every_jurisdiction_compiled_is_the_python_procedure(preset):
    assert_identical(*composed(f"jurisdiction={preset}"))


@pytest.mark.parametrize("preset", sorted(p.stem for p in (config_dir() / "textbook").glob("*.yaml")))
def test_every_textbook_preset_compiled_is_the_python_procedure(preset):
    rules, behaviour = composed(f"textbook={preset}")
    assert_identical(rules, behaviour, n=600)


def draw(cls: type, rng: np.random.Generator, bounds: dict[str, tuple[float, float]] | None = None):
    """A parameter object with every field drawn inside its documented range or choices."""
    values = {}
    for name, field in specs(cls):
        meta, default = field.metadata, field.default
        if meta.get("section") or name in (bounds or {}) and bounds[name] is None:
            continue
        if meta.get("choices"):
            values[name] = str(rng.choice(meta["choices"]))
        elif isinstance(default, bool):
            values[name] = bool(rng.random() < 0.5)
        elif isinstance(default, (int, float)):
            low, high = (bounds or {}).get(name, (meta["low"], meta["high"]))
            value = rng.uniform(low, high)
            values[name] = int(round(value)) if isinstance(default, int) else float(value)
    return cls(**values)


def random_configuration(seed: int) -> tuple[Rules, Behaviour, Caseload]:
    """Rules, behaviour and caseload drawn at random inside their ranges (staff kept small, so that clocks,
    counsel and calendars are busy; the alternating horizon short)."""
    rng = np.random.default_rng(seed)
    while True:
        try:
            guideline = draw(Guideline, rng)
            rules = dataclasses.replace(draw(Rules, rng, {"preparation_days": (0, 10)}), guideline=guideline)
            behaviour = draw(Behaviour, rng, {"alternating_horizon": (1, 40), "dialogue_max_rounds": (1, 12)})
            caseload = draw(Caseload, rng, {"arrivals_per_day": (2.0, 40.0), "n_prosecutors": (1, 6),
                                            "n_judges": (1, 4), "n_duty_lawyers": (1, 4),
                                            "n_retained_lawyers": (1, 4), "n_observers": (1, 4)})
            for obj, key in ((rules, "rules"), (behaviour, "behaviour"), (caseload, "caseload")):
                validate(obj, key)
            behaviour.check("behaviour")
            guideline.check("rules.guideline")
            return rules, behaviour, caseload
        except ConfigError:
            continue


@pytest.mark.parametrize("seed", range(24))
def test_random_configurations_compiled_are_the_python_procedure(seed):
    rules, behaviour, caseload = random_configuration(seed)
    assert_identical(rules, behaviour, caseload, n=500, seed=seed)
