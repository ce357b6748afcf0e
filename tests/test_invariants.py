"""Invariants that every simulated case must satisfy, whatever the rules, the caseload and the seed.

Hypothesis draws procedural rules (any combination of the levers, not only the catalogued reforms), caseload
variations and seeds; each example runs one arm of one replication through
:func:`bargainsim.harness.experiment.simulate` and checks the case records against the law (statutory ranges,
the 60% cap, the stage ladder), the procedure (signatures, counsel, non-prosecution, acquittal) and the documented
meaning of the columns (voluntariness and its components in [0, 1], NaN exactly without a plea). The drawn rules
include any sentencing guideline (ladder, caps, usual share, victim credits). The sentencing guideline's own
functions are checked directly over arbitrary inputs.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bargainsim.analysis.tables import to_frame
from bargainsim.core import sentencing
from bargainsim.core.cases import draw_population
from bargainsim.core.offenses import CATALOGUE, lesser_range
from bargainsim.core.record import NAMES
from bargainsim.core.sentencing import Terms
from bargainsim.core.streams import CASES, stream
from bargainsim.harness.config import Arm
from bargainsim.harness.experiment import Task, simulate
from bargainsim.params import STAGES, Behaviour, Caseload, ConfigError, Guideline, Rules, Timing, validate

EPS = 1e-9
OFFENSES = {o.name: o for o in CATALOGUE}
COMPONENTS = ("informed", "uncoerced", "participatory", "pressure", "defense_influence", "voluntariness")

SIM_SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                        suppress_health_check=[HealthCheck.too_slow])
FAST_SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None)


# -- strategies ------------------------------------------------------------------------------------------------

def _choices(name: str) -> tuple[str, ...]:
    return next(f for f in dataclasses.fields(Rules) if f.name == name).metadata["choices"]


@st.composite
def rules_strategy(draw: st.DrawFn) -> Rules:
    """Any combination of the procedural levers inside their documented choices and ranges."""
    values = {}
    for f in dataclasses.fields(Rules):
        meta = f.metadata
        if meta.get("section"):
            values[f.name] = draw(guideline_strategy())
        elif meta.get("choices"):
            values[f.name] = draw(st.sampled_from(meta["choices"]))
        elif isinstance(f.default, bool):
            values[f.name] = draw(st.booleans())
        elif isinstance(f.default, int):
            values[f.name] = draw(st.integers(int(meta["low"]), min(int(meta["high"]), 20)))
        else:
            values[f.name] = draw(st.floats(meta["low"], meta["high"], allow_nan=False))
    rules = Rules(**values)
    validate(rules, "rules")
    return rules


share = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def guideline_strategy(draw: st.DrawFn) -> Guideline:
    """Any guideline: a ladder of any cap (1 = none) and step, any combined cap, usual and customary shares, and
    victim credits inside caps that reward a joint settlement at least as much as either part."""
    cap_compensation, cap_forgiveness = draw(share), draw(share)
    cap_both = draw(st.floats(max(cap_compensation, cap_forgiveness), 1.0))
    credit_compensation = draw(st.floats(0.0, cap_compensation))
    credit_forgiveness = draw(st.floats(0.0, cap_forgiveness))
    guideline = Guideline(draw(share), draw(st.floats(0.0, 0.5)), draw(share), draw(share), draw(share), cap_both,
                          cap_compensation, cap_forgiveness,
                          draw(st.floats(max(credit_compensation, credit_forgiveness), cap_both)),
                          credit_compensation, credit_forgiveness)
    validate(guideline, "rules.guideline")
    return guideline


@st.composite
def caseload_strategy(draw: st.DrawFn) -> Caseload:
    """Caseload variations: any shares, small institutions, light to heavy arrival rates."""
    caseload = Caseload(
        arrivals_per_day=draw(st.floats(0.5, 60.0)),
        n_prosecutors=draw(st.integers(1, 40)),
        n_judges=draw(st.integers(1, 10)),
        n_duty_lawyers=draw(st.integers(1, 15)),
        n_retained_lawyers=draw(st.integers(1, 15)),
        n_observers=draw(st.integers(1, 12)),
        hours_per_day=draw(st.floats(2.0, 12.0)),
        innocent_share=draw(share),
        detained_share=draw(share),
        retained_share=draw(share),
        prior_record_share=draw(share),
        mitigation_share=draw(share),
        aggravation_share=draw(share),
        suspect_understanding_mean=draw(share),
        evidence_guilty_mean=draw(share),
        evidence_innocent_mean=draw(share),
        felony_share=draw(share),
    )
    validate(caseload, "caseload")
    return caseload


@dataclasses.dataclass(frozen=True)
class Scenario:
    rules: Rules
    caseload: Caseload
    behaviour: Behaviour
    seed: int
    replication: int
    n_cases: int

    def __repr__(self) -> str:
        def changed(obj) -> str:
            default = type(obj)()
            diff = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)
                    if getattr(obj, f.name) != getattr(default, f.name)}
            return f"{type(obj).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in diff.items()) + ")"

        return (f"Scenario({changed(self.rules)}, {changed(self.caseload)}, {changed(self.behaviour)}, "
                f"seed={self.seed}, replication={self.replication}, n_cases={self.n_cases})")

    def _repr_pretty_(self, printer, cycle) -> None:  # hypothesis prints falsifying examples with this
        printer.text(repr(self))

    def run(self) -> pd.DataFrame:
        task = Task(Arm("drawn", (), self.rules), self.replication, self.seed, self.n_cases, self.behaviour,
                    self.caseload, Timing())
        return to_frame(simulate(task))

    def population(self):
        return draw_population(self.n_cases, self.caseload, stream(self.seed, self.replication, CASES))


@st.composite
def scenarios(draw: st.DrawFn, behaviour: st.SearchStrategy[Behaviour] | None = None) -> Scenario:
    return Scenario(
        rules=draw(rules_strategy()),
        caseload=draw(caseload_strategy()),
        behaviour=draw(behaviour) if behaviour is not None else Behaviour(),
        seed=draw(st.integers(0, 2**32 - 1)),
        replication=draw(st.integers(0, 5)),
        n_cases=draw(st.integers(1, 120)),
    )


STATUS_QUO = Scenario(Rules(), Caseload(), Behaviour(), 2024, 0, 120)
FULL_REFORM = Scenario(Rules(initiation="two_way", disclosure="full", mutual_disclosure=True,
                             misdemeanor_protocol="dialogue", felony_protocol="dialogue", misdemeanor_offer="schedule",
                             preparation_days=10, duty_lawyer_stage="investigation", duty_lawyer_role="advocate",
                             public_observation=True, venue="outside", victim_participation=True, kpi_pressure=0.0,
                             signature="tripartite", withdrawal_before_indictment=True,
                             judicial_review="substantive"), Caseload(), Behaviour(), 7, 1, 120)


def _flag(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].astype("boolean").fillna(False).to_numpy(dtype=bool)


# -- case-level invariants over generated scenarios -----------------------------------------------------------

@SIM_SETTINGS
@given(scenarios())
@example(STATUS_QUO)
@example(FULL_REFORM)
def test_every_case_of_the_population_appears_exactly_once_with_its_facts(scenario: Scenario) -> None:
    frame = scenario.run()
    population = scenario.population()
    assert list(frame.columns) == list(NAMES)
    assert frame["case_id"].tolist() == list(range(scenario.n_cases))
    assert (frame["reform"] == "drawn").all()
    assert (frame["replication"] == scenario.replication).all() and (frame["seed"] == scenario.seed).all()
    assert frame["offense"].tolist() == [c.offense.name for c in population]
    assert frame["guilty"].tolist() == [c.guilty for c in population]
    assert frame["base_months"].tolist() == [c.base_months for c in population]
    assert frame["conviction_probability"].tolist() == [c.conviction_probability for c in population]


@SIM_SETTINGS
@given(scenarios())
@example(STATUS_QUO)
@example(FULL_REFORM)
def test_sentences_stay_inside_the_statutory_range_and_acquittals_carry_none(scenario: Scenario) -> None:
    frame = scenario.run()
    low = frame["offense"].map(lambda name: OFFENSES[name].statutory_min)
    high = frame["offense"].map(lambda name: OFFENSES[name].statutory_max)
    track = frame["offense"].map(lambda name: OFFENSES[name].track)
    trial_low, trial_high = low.copy(), high.copy()
    lesser = _flag(frame, "charge_reduced")       # a plea to the lesser band: its range bounds the sentence
    low[lesser] = frame.loc[lesser, "offense"].map(lambda name: lesser_range(OFFENSES[name])[0])
    high[lesser] = frame.loc[lesser, "offense"].map(lambda name: lesser_range(OFFENSES[name])[1])
    assert (frame["track"] == track).all()
    convicted = _flag(frame, "convicted")
    for column in ("base_months", "trial_sentence_months"):
        assert (frame[column] >= trial_low - EPS).all() and (frame[column] <= trial_high + EPS).all(), column
    sentence = frame.loc[convicted, "sentence_months"]
    assert (sentence >= low[convicted] - EPS).all(), frame.loc[convicted & (frame["sentence_months"] < low - EPS)]
    assert (sentence <= high[convicted] + EPS).all(), frame.loc[convicted & (frame["sentence_months"] > high + EPS)]
    assert (frame.loc[~convicted, "sentence_months"] == 0.0).all()
    assert frame.loc[~convicted, ["discount", "discount_vs_trial"]].isna().all().all()
    assert frame.loc[convicted, ["discount", "discount_vs_trial"]].notna().all().all()
    # The recommendation itself is a lawful sentence.
    pleaded = _flag(frame, "pleaded")
    rec = frame.loc[pleaded, "recommendation_months"]
    assert (rec >= low[pleaded] - EPS).all() and (rec <= high[pleaded] + EPS).all()


@SIM_SETTINGS
@given(scenarios())
@example(STATUS_QUO)
@example(FULL_REFORM)
@example(Scenario(Rules(), Caseload(), Behaviour(), 1, 0, 300))  # court sentences case 39 below the 60% cap
def test_reduction_from_the_base_sentence_never_exceeds_the_combined_cap(scenario: Scenario) -> None:
    """SPC/SPP 2021: plea, mitigation and victim credit together reduce the base sentence by at most 60% (the
    guideline's combined cap, raised at a stage to a higher plea cap), unless the statutory minimum is higher (then
    the sentence is the minimum)."""
    frame = scenario.run()
    convicted = _flag(frame, "convicted")
    low = frame["offense"].map(lambda name: OFFENSES[name].statutory_min)
    terms = Terms.of(scenario.rules.guideline)
    cap = frame["plea_stage"].map({**terms.combined_cap, "none": terms.total_cap})
    floor = np.maximum(frame["base_months"] * (1.0 - cap), low)
    lesser = _flag(frame, "charge_reduced")       # a plea to the lesser band escapes the full charge's cap
    below = convicted & ~lesser & (frame["sentence_months"] < floor - 1e-7)
    assert not below.any(), (
        "sentences below max(statutory minimum, the base less the combined cap):\n"
        + frame.loc[below, ["case_id", "offense", "pleaded", "tried", "adopted", "adjusted", "determinate",
                            "base_months", "recommendation_months", "sentence_months", "discount"]].to_string())
    assert (frame.loc[convicted & ~lesser, "discount"] <= cap[convicted & ~lesser] + 1e-7).all()


@SIM_SETTINGS
@given(scenarios())
@example(STATUS_QUO)
@example(FULL_REFORM)
def test_recommendation_respects_the_stage_ladder(scenario: Scenario) -> None:
    """A recommendation is never below the guideline floor of its plea stage — the stage's full plea discount,
    all of the case's mitigation and the victim credit earned, inside the statutory range — less what assessment
    pressure lets the prosecutor concede beyond it, and never beyond the combined cap (compensation left
    unpaid at the hearing has lost the credit the recommendation counted: those cases are left out)."""
    frame = scenario.run()
    population = scenario.population()
    pleaded = _flag(frame, "pleaded")
    court_led = scenario.rules.negotiator == "court"     # the court's own view, at the main hearing
    assert set(frame.loc[pleaded, "plea_stage"]) <= ({"trial"} if court_led else {"investigation", "review"})
    assert frame.loc[pleaded, "recommendation_months"].notna().all()
    assert frame.loc[~pleaded, "recommendation_months"].isna().all()
    terms = Terms.of(scenario.rules.guideline)
    leeway = scenario.behaviour.kpi_leeway * scenario.rules.kpi_pressure
    checked = pleaded & ~frame.compensation_unpaid.to_numpy() & ~_flag(frame, "charge_reduced")
    for row in (() if court_led else frame.loc[checked].itertuples()):
        case = population[row.case_id]
        credit = terms.victim_credit(bool(row.compensated), bool(row.forgiven))
        floor = sentencing.plea_sentence(case.base_months, case.statutory_min, case.statutory_max, terms,
                                         row.plea_stage, case.mitigation, credit)
        lowest = sentencing.sentence(case.base_months, case.statutory_min, case.statutory_max, 1.0,
                                     cap=terms.combined_cap[row.plea_stage])
        floor = max(floor - leeway * case.base_months, lowest)
        assert row.recommendation_months >= floor - 1e-7, (row.case_id, row.plea_stage, floor,
                                                           row.recommendation_months)
    # The stage ladder: an investigation-stage plea needs counsel present at investigation.
    early = pleaded & (frame["plea_stage"] == "investigation").to_numpy()
    assert (frame.loc[early, "lawyer_stage"] == "investigation").all()


def _check_voluntariness_columns(frame: pd.DataFrame) -> None:
    pleaded = _flag(frame, "pleaded")
    for name in COMPONENTS:
        values = frame[name]
        assert values[pleaded].notna().all(), f"{name} is NaN for a pleaded case"
        assert values[~pleaded].isna().all(), f"{name} is set for a case without a plea"
        inside = values[pleaded].between(0.0 - EPS, 1.0 + EPS)
        assert inside.all(), f"{name} outside [0, 1]: {values[pleaded][~inside].describe().to_dict()}"
    assert np.allclose(frame.loc[pleaded, "uncoerced"], 1.0 - frame.loc[pleaded, "pressure"])
    for name in ("detention_pressure", "deadline_pressure", "overstatement_pressure"):
        values = frame.loc[pleaded, name]
        assert values.between(0.0 - EPS, 1.0 + EPS).all(), f"{name} outside [0, 1]"
    for name in ("victim_satisfaction", "observer_fairness"):
        values = frame[name].dropna()
        assert values.between(0.0, 1.0).all(), name
    assert frame.loc[~_flag(frame, "has_victim"), "victim_satisfaction"].isna().all()
    assert frame.loc[~_flag(frame, "observed"), "observer_fairness"].isna().all()
    for name in ("determinate", "adopted", "adjusted", "honoured"):
        assert frame.loc[pleaded, name].notna().all(), name
        assert frame.loc[~pleaded, name].isna().all(), name


@SIM_SETTINGS
@given(scenarios())
@example(STATUS_QUO)
@example(FULL_REFORM)
def test_voluntariness_and_components_in_unit_interval_and_nan_exactly_without_a_plea(scenario: Scenario) -> None:
    _check_voluntariness_columns(scenario.run())


@st.composite
def pressure_behaviour(draw: st.DrawFn) -> Behaviour:
    """Valid behaviour with strong overstatement and credulity (the levers of overstatement pressure)."""
    return Behaviour(overstatement=draw(share), kpi_overstatement=draw(share),
                     credulity_unadvised=draw(share), credulity_endorse=draw(share),
                     credulity_advocate=draw(share))


EXTREME_PRESSURE = Scenario(Rules(kpi_pressure=3.0), Caseload(), Behaviour(
    overstatement=1.0, kpi_overstatement=1.0, credulity_unadvised=1.0, credulity_endorse=1.0,
    credulity_advocate=1.0), 1, 0, 120)


@SIM_SETTINGS
@given(scenarios(pressure_behaviour()))
@example(EXTREME_PRESSURE)
def test_voluntariness_stays_in_unit_interval_for_any_valid_overstatement(scenario: Scenario) -> None:
    """Every value the validator accepts must keep pressure, uncoerced and voluntariness inside [0, 1]."""
    validate(scenario.behaviour, "behaviour")
    _check_voluntariness_columns(scenario.run())


@st.composite
def weight_behaviour(draw: st.DrawFn) -> Behaviour:
    weight = st.sampled_from([0.0, 0.25, 1.0]) | st.floats(0.0, 1.0)
    return Behaviour(weight_informed=draw(weight), weight_uncoerced=draw(weight),
                     weight_participatory=draw(weight))


def test_all_zero_voluntariness_weights_are_rejected() -> None:
    with pytest.raises(ConfigError, match=r"behaviour\.weight_informed \+ weight_uncoerced \+ weight_participatory"):
        validate(Behaviour(weight_informed=0.0, weight_uncoerced=0.0, weight_participatory=0.0), "behaviour")


@SIM_SETTINGS
@given(scenarios(weight_behaviour()))
@example(Scenario(Rules(), Caseload(), Behaviour(weight_informed=0.0, weight_uncoerced=0.0,
                                                 weight_participatory=1e-6), 1, 0, 60))
def test_voluntariness_defined_for_every_plea_under_any_valid_weights(scenario: Scenario) -> None:
    """The composite is documented as NaN only without a plea: any weights the validator accepts must define it."""
    b = scenario.behaviour
    assume(b.weight_informed + b.weight_uncoerced + b.weight_participatory > 0.0)
    validate(b, "behaviour")
    frame = scenario.run()
    pleaded = _flag(frame, "pleaded")
    assert frame.loc[pleaded, "voluntariness"].notna().all()
    assert frame.loc[pleaded, "voluntariness"].between(0.0 - EPS, 1.0 + EPS).all()


@SIM_SETTINGS
@given(scenarios())
@example(STATUS_QUO)
@example(FULL_REFORM)
def test_no_plea_without_counsel_and_the_required_signatures(scenario: Scenario) -> None:
    frame = scenario.run()
    pleaded = _flag(frame, "pleaded")
    assert _flag(frame, "suspect_signed")[pleaded].all()
    assert (_flag(frame, "suspect_signed") == pleaded).all()
    assert _flag(frame, "signed")[pleaded].all()
    assert _flag(frame, "negotiated")[pleaded].all()
    assert (frame.loc[pleaded, "lawyer_type"] != "none").all(), "a plea affidavit signed without a lawyer"
    assert (frame.loc[pleaded, "lawyer_stage"] != "none").all()
    lawyer_signed, prosecutor_signed = _flag(frame, "lawyer_signed"), _flag(frame, "prosecutor_signed")
    if scenario.rules.signature == "tripartite":
        assert lawyer_signed[pleaded].all() and prosecutor_signed[pleaded].all()
    else:
        assert not lawyer_signed.any() and not prosecutor_signed.any()
    assert not (lawyer_signed | prosecutor_signed)[~pleaded].any()
    # Withdrawal exists only where the rule grants it, and only after a signature.
    withdrew = _flag(frame, "withdrew")
    if not scenario.rules.withdrawal_before_indictment:
        assert not withdrew.any()
    assert _flag(frame, "signed")[withdrew].all()
    # Observation only under the reform.
    if not scenario.rules.public_observation:
        assert not _flag(frame, "observed").any()
    assert set(frame["lawyer_type"]) <= {"retained", "duty", "none"}
    assert set(frame["protocol"]) <= {*_choices("misdemeanor_protocol"), "none"}
    assert set(frame["initiated_by"]) <= {"prosecutor", "defense", "court", "none"}
    if scenario.rules.initiation == "prosecutor":
        assert not (frame["initiated_by"] == "defense").any()


@SIM_SETTINGS
@given(scenarios())
@example(STATUS_QUO)
@example(FULL_REFORM)
def test_dispositions_are_exclusive_and_take_nonnegative_time(scenario: Scenario) -> None:
    frame = scenario.run()
    pleaded, tried, convicted = _flag(frame, "pleaded"), _flag(frame, "tried"), _flag(frame, "convicted")
    declined = _flag(frame, "non_prosecution")
    assert not (pleaded | tried | convicted)[declined].any()
    assert (frame.loc[declined, "sentence_months"] == 0.0).all()
    assert not (_flag(frame, "appealed") | _flag(frame, "protested"))[declined].any()
    assert not (pleaded & tried).any()
    # Every case ends one way: declined, judged on a plea, or tried.
    assert (declined | pleaded | tried).all()
    assert convicted[pleaded].all()
    rejected = _flag(frame, "plea_rejected")
    assert tried[rejected].all() and not pleaded[rejected].any()
    assert not (_flag(frame, "appealed") & ~convicted).any(), "an acquitted defendant appealed"
    for column in ("days_to_disposition", "prosecutor_hours", "court_hours", "backlog_at_arrival"):
        assert (frame[column] >= 0.0).all(), column
        assert frame[column].notna().all(), column
    assert (frame["rounds"] >= 0).all()
    assert (frame.loc[_flag(frame, "negotiated"), "rounds"] >= 1).all()
    assert (frame.loc[~_flag(frame, "negotiated"), "rounds"] == 0).all()


# -- the sentencing guideline over arbitrary inputs -----------------------------------------------------------

months = st.floats(0.0, 600.0, allow_nan=False)
fraction = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def statutory_range(draw: st.DrawFn) -> tuple[float, float]:
    low = draw(months)
    return low, draw(st.floats(low, 600.0, allow_nan=False))


STATUS_QUO_TERMS = Terms.of(Guideline())


@FAST_SETTINGS
@given(months, statutory_range(), fraction, fraction, fraction, fraction)
def test_sentence_stays_in_range_and_never_reduces_more_than_the_cap(base, bounds, plea, mitigation, victim, cap):
    low, high = bounds
    months_out = sentencing.sentence(base, low, high, plea, mitigation, victim, cap=cap)
    assert low <= months_out <= high
    expected = min(max(base * (1.0 - min(cap, plea + mitigation + victim)), low), high)
    assert months_out == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # The combined reduction is capped: never below the base less the cap unless the statutory minimum says more.
    assert months_out >= min(high, max(low, base * (1.0 - cap))) - 1e-9
    # No reduction never raises a sentence above the (clamped) base, and more reduction never increases it.
    assert months_out <= min(high, max(low, base)) + 1e-9
    assert sentencing.sentence(base, low, high, plea, mitigation, victim + 0.1, cap=cap) <= months_out + 1e-9


@FAST_SETTINGS
@given(months, statutory_range(), guideline_strategy(), st.sampled_from(STAGES), fraction, fraction, fraction)
def test_guideline_band_is_the_sentence_with_full_usual_and_no_plea_discount(base, bounds, guideline, stage, share,
                                                                               mitigation, victim):
    low, high = bounds
    terms = Terms.of(guideline)
    band = sentencing.guideline_band(base, low, high, terms, stage, share, mitigation, victim)
    assert band == tuple(sentencing.sentence(base, low, high, plea, mitigation, victim, cap=terms.combined_cap[stage])
                         for plea in (terms.plea_cap[stage], terms.usual(stage, share), 0.0))
    assert band[0] <= band[1] <= band[2]
    assert band[0] == sentencing.plea_sentence(base, low, high, terms, stage, mitigation, victim)


@FAST_SETTINGS
@given(months, statutory_range(), guideline_strategy(), st.sampled_from(STAGES), fraction)
def test_earlier_plea_stage_never_gives_a_harsher_floor(base, bounds, guideline, stage, mitigation):
    low, high = bounds
    for terms in (STATUS_QUO_TERMS, Terms.of(guideline)):
        floors = [sentencing.plea_sentence(base, low, high, terms, s, mitigation, 0.0) for s in STAGES]
        assert floors == sorted(floors)
        assert all(0.0 <= terms.usual_base[s] <= terms.plea_cap[s] <= 1.0 for s in STAGES)
    assert STATUS_QUO_TERMS.plea_cap[stage] <= 0.30
    assert sentencing.plea_sentence(base, low, high, STATUS_QUO_TERMS, stage, 0.0, 0.0) \
        >= min(high, max(low, base * 0.70)) - 1e-9


@FAST_SETTINGS
@given(guideline_strategy(), st.booleans(), st.booleans())
def test_victim_credit_respects_its_caps(guideline: Guideline, compensated: bool, forgiven: bool) -> None:
    caps = {(True, True): 0.40, (True, False): 0.30, (False, True): 0.20, (False, False): 0.0}   # DOMAIN.md §3
    for terms, cap in ((STATUS_QUO_TERMS, caps[compensated, forgiven]),
                       (Terms.of(guideline), {(True, True): guideline.victim_cap_both,
                                              (True, False): guideline.victim_cap_compensation,
                                              (False, True): guideline.victim_cap_forgiveness,
                                              (False, False): 0.0}[compensated, forgiven])):
        credit = terms.victim_credit(compensated, forgiven)
        assert 0.0 <= credit <= cap
        assert terms.victim_credit(True, True) >= credit
        if not (compensated or forgiven):
            assert credit == 0.0
        assert not math.isnan(credit)
