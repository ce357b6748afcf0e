"""The textbook special cases (DOMAIN.md §6): the model's own agents and protocols, switched to textbook
assumptions by the presets in conf/textbook, reproduce the closed forms of bargainsim.analysis.textbook.

Every comparison runs a PleaModel over controlled cases (conftest.make_case: a guilty suspect at liberty, no
victim, aggravation or mitigation) that span a grid of conviction probabilities p and trial sentences S, once
per combination of trial costs c_p, c_d, bargaining power β or discount factors δ_p, δ_d. Sentences agree with
the closed forms within SENTENCE_TOLERANCE months: the Nash solution is found by golden-section search to 1e-12
relative, the Rubinstein equilibrium by backward induction truncated at 400 rounds (error ≤ (δ_p·δ_d)^200 of the
surplus, below 1e-9 on this grid), both far inside the tolerance.

The asymmetric-information presets (screening, Bebchuk 1984; signalling, Reinganum 1988) run cases whose p span the
uninformed side's prior [a, b]; the offers agree with the closed forms within SENTENCE_TOLERANCE (the screening
offer is found by bisection to machine precision), who pleads agrees exactly, and shares of trials agree with
the closed-form probabilities within a stated discretisation or binomial tolerance.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
from conftest import build_model, compose_cfg, frame_of, make_case, population, read_cases, run_cases
from hydra import compose, initialize_config_dir

from bargainsim import decisions
from bargainsim.analysis import textbook
from bargainsim.apps.cli import run_job
from bargainsim.core.offenses import CATALOGUE
from bargainsim.core.procedure.negotiation import subgame_perfect_gains
from bargainsim.core.trackers import Tracker
from bargainsim.harness.config import config_dir, settings_from_config
from bargainsim.params import ConfigError

SENTENCE_TOLERANCE = 1e-6
"""Months: the simulated recommendation must equal the closed form to this precision."""

PRESETS = ("risk_neutral", "landes_shared", "landes_private", "nash", "nash_asymmetric", "rubinstein", "bebchuk",
           "reinganum")
PROBABILITIES = (0.3, 0.55, 0.8)
SENTENCES = (6.0, 15.0, 24.0, 60.0)
COSTS = ((0.5, 0.5), (2.0, 1.0), (1.0, 3.0), (4.0, 0.25))
"""(c_p, c_d) in months."""

THEFT = next(o for o in CATALOGUE if o.name == "theft")  # statutory range 1–36 months
PICKING_QUARRELS = next(o for o in CATALOGUE if o.name == "picking_quarrels")  # 1–60 months


def preset(name: str):
    """The (rules, behaviour) of a textbook preset composed as the command line does: textbook=NAME."""
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = compose("config", overrides=[f"textbook={name}", "reform=baseline"])
    settings = settings_from_config(cfg)
    return settings.arms[0].rules, settings.behaviour


def grid_cases(pairs=None, draws=None) -> list:
    """One controlled case per (p, S) of ``pairs`` (default: PROBABILITIES × SENTENCES); S is the guideline
    starting point, inside the offense's range; ``draws``, if given, are the cases' pre-drawn ``u_adopt``."""
    pairs = itertools.product(PROBABILITIES, SENTENCES) if pairs is None else pairs
    cases = []
    for i, (p, s) in enumerate(pairs):
        offense = THEFT if s <= THEFT.statutory_max else PICKING_QUARRELS
        cases.append(make_case(case_id=i, arrival_day=i // 5, offense=offense, conviction_probability=p,
                               start_months=s, u_adopt=0.5 if draws is None else draws[i]))
    return cases


def simulate(name: str, **behaviour_changes: float):
    """Run the grid under a preset with some behaviour changed; the records sorted by case_id."""
    rules, behaviour = preset(name)
    return run_cases(grid_cases(), rules, dataclasses.replace(behaviour, **behaviour_changes))


def interior(p_p: float, p_d: float, s: float, c_p: float, c_d: float) -> bool:
    """The bargaining range [r_p, r_d] lies inside [0, S], where the closed forms hold without truncation."""
    return textbook.prosecutor_reservation(p_p, s, c_p) >= 0.0 and textbook.defense_reservation(p_d, s, c_d) <= s


@pytest.mark.parametrize("name", PRESETS)
def test_presets_compose_and_validate(name):
    rules, behaviour = preset(name)
    assert behaviour.risk_aversion == 1.0 and behaviour.risk_heterogeneity == 0.0
    assert behaviour.trial_costs == "given"
    if name != "risk_neutral":
        assert behaviour.recommendation_limits == "none"
        assert rules.misdemeanor_protocol == rules.felony_protocol != "consultation"


@pytest.mark.parametrize("c_p,c_d", COSTS)
def test_shadow_of_trial_shared_beliefs_never_goes_to_trial(c_p, c_d):
    frame = simulate("landes_shared", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d)
    assert not frame["tried"].any()
    assert frame["pleaded"].all()
    # The single offer is the defendant's reservation pS + c_d, capped at S.
    expected = [min(textbook.defense_reservation(p, s, c_d), s) for p, s in itertools.product(PROBABILITIES,
                                                                                              SENTENCES)]
    assert frame["recommendation_months"].tolist() == pytest.approx(expected, abs=SENTENCE_TOLERANCE)


OFFSETS = ((0.15, -0.15), (0.05, -0.2), (0.15, 0.0), (0.0, -0.07))
"""(prosecutor's, defendant's) belief offsets: p_p = p + offset, p_d = p + offset."""


@pytest.mark.parametrize("c_p,c_d", COSTS)
@pytest.mark.parametrize("offset_p,offset_d", OFFSETS)
def test_shadow_of_trial_private_beliefs_trials_exactly_when_optimism_exceeds_costs(c_p, c_d, offset_p, offset_d):
    frame = simulate("landes_private", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d,
                     belief_offset_prosecutor=offset_p, belief_offset_defense=offset_d)
    for (p, s), tried in zip(itertools.product(PROBABILITIES, SENTENCES), frame["tried"]):
        p_p, p_d = p + offset_p, p + offset_d
        margin = (p_p - p_d) * s - (c_p + c_d)
        assert abs(margin) > 1e-6, "grid point on the boundary"
        assert tried == textbook.landes_trial(p_p, p_d, s, c_p, c_d), (p, s, margin)


def test_private_belief_grid_has_trials_and_pleas():
    """The grid above is informative: both outcomes occur (the boundary is crossed)."""
    outcomes = {textbook.landes_trial(p + op, p + od, s, c_p, c_d)
                for p, s, (c_p, c_d), (op, od) in itertools.product(PROBABILITIES, SENTENCES, COSTS, OFFSETS)}
    assert outcomes == {True, False}


@pytest.mark.parametrize("c_p,c_d", COSTS)
@pytest.mark.parametrize("power", (0.5, 0.25, 0.75))
def test_nash_bargaining_sentence(c_p, c_d, power):
    frame = simulate("nash", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d, bargaining_power=power)
    assert frame["pleaded"].all() and not frame["tried"].any()
    checked = 0
    for (p, s), months, imposed in zip(itertools.product(PROBABILITIES, SENTENCES), frame["recommendation_months"],
                                       frame["sentence_months"]):
        assert 0.0 <= months <= s + SENTENCE_TOLERANCE
        assert imposed == pytest.approx(months, abs=SENTENCE_TOLERANCE)  # the court adopts it
        if interior(p, p, s, c_p, c_d):
            checked += 1
            assert months == pytest.approx(textbook.nash_sentence(p, s, c_p, c_d, power), abs=SENTENCE_TOLERANCE)
            if power == 0.5:
                assert months == pytest.approx(p * s + (c_d - c_p) / 2.0, abs=SENTENCE_TOLERANCE)
    assert checked >= 8


def test_asymmetric_nash_preset_favours_the_stronger_prosecutor():
    symmetric, asymmetric = simulate("nash"), simulate("nash_asymmetric")
    rules, behaviour = preset("nash_asymmetric")
    surplus = behaviour.trial_cost_prosecutor_given + behaviour.trial_cost_defendant
    c_p, c_d = behaviour.trial_cost_prosecutor_given, behaviour.trial_cost_defendant
    inside = [interior(p, p, s, c_p, c_d) for p, s in itertools.product(PROBABILITIES, SENTENCES)]
    gap = (asymmetric["recommendation_months"] - symmetric["recommendation_months"])[inside]
    assert len(gap) >= 8
    assert gap.tolist() == pytest.approx([(behaviour.bargaining_power - 0.5) * surplus] * len(gap),
                                         abs=SENTENCE_TOLERANCE)


def test_nash_with_private_beliefs_splits_the_perceived_surplus():
    offset_p, offset_d, c_p, c_d = 0.05, -0.05, 2.0, 2.0
    frame = simulate("nash", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d,
                     belief_offset_prosecutor=offset_p, belief_offset_defense=offset_d)
    for (p, s), months, tried in zip(itertools.product(PROBABILITIES, SENTENCES), frame["recommendation_months"],
                                     frame["tried"]):
        p_p, p_d = p + offset_p, p + offset_d
        assert tried == textbook.landes_trial(p_p, p_d, s, c_p, c_d)
        if not tried and interior(p_p, p_d, s, c_p, c_d):
            assert months == pytest.approx(textbook.nash_sentence(p_p, s, c_p, c_d, 0.5, p_d),
                                           abs=SENTENCE_TOLERANCE)


DISCOUNTS = ((0.9, 0.8), (0.5, 0.95), (0.95, 0.5), (0.7, 0.7), (0.99, 0.9))


@pytest.mark.parametrize("c_p,c_d", COSTS)
@pytest.mark.parametrize("delta_p,delta_d", DISCOUNTS)
def test_rubinstein_share_with_immediate_agreement(c_p, c_d, delta_p, delta_d):
    frame = simulate("rubinstein", trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d,
                     discount_prosecutor=delta_p, discount_defense=delta_d)
    assert frame["pleaded"].all() and (frame["rounds"] == 1).all()
    share = textbook.rubinstein_share(delta_p, delta_d)
    checked = 0
    for (p, s), months in zip(itertools.product(PROBABILITIES, SENTENCES), frame["recommendation_months"]):
        if interior(p, p, s, c_p, c_d):
            checked += 1
            r_p = textbook.prosecutor_reservation(p, s, c_p)
            assert (months - r_p) / (c_p + c_d) == pytest.approx(share, abs=SENTENCE_TOLERANCE)
            assert months == pytest.approx(textbook.rubinstein_sentence(p, s, c_p, c_d, delta_p, delta_d),
                                           abs=SENTENCE_TOLERANCE)
    assert checked >= 8


def test_alternating_offers_are_played_out_not_assumed():
    """The share emerges from backward induction: with one round the prosecutor's offer is an ultimatum and it
    takes the whole surplus, with two the defendant's threat to counter leaves it 1 − δ_d, and the finite-horizon
    shares converge to Rubinstein's geometrically."""
    delta_p, delta_d = 0.9, 0.8
    one = simulate("rubinstein", alternating_horizon=1)
    two = simulate("rubinstein", alternating_horizon=2)
    rules, behaviour = preset("rubinstein")
    c_p, c_d = behaviour.trial_cost_prosecutor_given, behaviour.trial_cost_defendant
    p, s = PROBABILITIES[1], SENTENCES[1]
    index = PROBABILITIES.index(p) * len(SENTENCES) + SENTENCES.index(s)
    r_p = textbook.prosecutor_reservation(p, s, c_p)
    assert one["recommendation_months"][index] == pytest.approx(r_p + (c_p + c_d), abs=SENTENCE_TOLERANCE)
    assert two["recommendation_months"][index] == pytest.approx(r_p + (1 - delta_d) * (c_p + c_d),
                                                                abs=SENTENCE_TOLERANCE)
    errors = [abs(subgame_perfect_gains(1.0, delta_p, delta_d, horizon)[0] - textbook.rubinstein_share(delta_p,
                                                                                                          delta_d))
              for horizon in (10, 20, 40)]
    assert errors[0] > errors[1] > errors[2] > 0.0
    assert errors[2] <= (delta_p * delta_d) ** 20 + 1e-15


def test_textbook_presets_on_a_drawn_population():
    """On the main job's case mix (hidden aggravation, mitigation, victims, detention, felonies) the
    shared-belief presets still bring every case to a plea: both sides know p and, under full and mutual
    disclosure, the same trial sentence."""
    cases = population(400, seed=11)
    for name in ("landes_shared", "nash", "rubinstein"):
        rules, behaviour = preset(name)
        frame = run_cases(cases, rules, behaviour)
        assert not frame["tried"].any() and not frame["non_prosecution"].any(), name
        assert (frame["suspect_belief"] == frame["prosecutor_belief"]).all(), name
        truth = frame["conviction_probability"].clip(0.01, 0.99)
        assert (frame["suspect_belief"] - truth).abs().max() < 1e-12, name


def test_textbook_parameters_are_validated_before_any_simulation():
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = compose("config", overrides=["textbook=rubinstein", "reform=baseline", "behaviour.discount_defense=1.0"])
        with pytest.raises(ConfigError, match=r"behaviour\.discount_defense = 1\.0 is outside the allowed range"):
            settings_from_config(cfg)
        cfg = compose("config", overrides=["textbook=bebchuk", "behaviour.strength_prior_low=0.9",
                                           "behaviour.strength_prior_high=0.6"])
        with pytest.raises(ConfigError, match=r"behaviour\.strength_prior_low = 0\.9 must be below "
                                              r"behaviour\.strength_prior_high = 0\.6"):
            settings_from_config(cfg)
        cfg = compose("config", overrides=["textbook=nash", "rules.felony_protocol=haggle"])
        with pytest.raises(ConfigError, match=r"rules\.felony_protocol = 'haggle'.*take_it_or_leave_it, nash, "
                                              r"alternating, screening, signalling"):
            settings_from_config(cfg)


PRIOR = (0.5, 0.9)
"""(a, b): the uninformed side's uniform prior over p in the asymmetric-information tests."""


class Offers(Tracker):
    """The prosecutor's single offer in each case, with the trial sentence it was made against (a refused offer
    leaves no column in the record)."""

    def __init__(self) -> None:
        self.offers: dict[int, tuple[float, float]] = {}

    def decided(self, suspect) -> None:
        self.offers[suspect.case.case_id] = (suspect.talks.opening, suspect.talks.position.trial_sentence)


def strengths(n: int, low: float = PRIOR[0], high: float = PRIOR[1]) -> list[float]:
    """``n`` conviction probabilities evenly spread over [low, high] (the midpoints of n equal cells)."""
    return [low + (high - low) * (k + 0.5) / n for k in range(n)]


def simulate_offers(name: str, cases: list, **behaviour_changes: float):
    """Run ``cases`` under a preset with the test prior and some behaviour changed: the records sorted by
    case_id and each case's (offer, trial sentence)."""
    rules, behaviour = preset(name)
    behaviour = dataclasses.replace(behaviour, strength_prior_low=PRIOR[0], strength_prior_high=PRIOR[1],
                                    **behaviour_changes)
    tracker = Offers()
    frame = frame_of(build_model(cases, rules, behaviour, trackers=(tracker,)))
    return frame, [tracker.offers[i] for i in range(len(cases))]


@pytest.mark.parametrize("c_p,c_d", COSTS)
def test_screening_offer_and_the_types_that_plead(c_p, c_d):
    """Bebchuk (1984): the uninformed prosecutor's one offer is s* = p̂·S + c_d whatever the case's own p; exactly
    the types above p̂ = max(a, b − (c_p + c_d)/S) plead, the weaker ones go to trial."""
    pairs = list(itertools.product(strengths(32), SENTENCES))
    frame, offers = simulate_offers("bebchuk", grid_cases(pairs), trial_cost_prosecutor_given=c_p,
                                    trial_cost_defendant=c_d)
    assert (frame["protocol"] == "screening").all()
    assert (frame["pleaded"] != frame["tried"]).all()
    checked = 0
    for (p, s), (offer, trial_sentence), pleaded in zip(pairs, offers, frame["pleaded"]):
        assert trial_sentence == s
        expected = textbook.bebchuk_offer(s, c_p, c_d, *PRIOR)
        if not 0.0 <= expected <= s:
            continue
        checked += 1
        assert offer == pytest.approx(expected, abs=SENTENCE_TOLERANCE), (p, s)
        threshold = textbook.bebchuk_threshold(s, c_p, c_d, *PRIOR)
        assert abs(p - threshold) > 1e-9, "grid point on the threshold"
        assert pleaded == (p > threshold), (p, s, threshold)
    assert checked >= 120
    assert frame["pleaded"].any() and frame["tried"].any()


def test_screening_trial_share_over_a_fine_grid_of_types():
    """Over 400 types evenly spread on [a, b] the share tried is the closed-form trial probability (p̂ − a)/(b − a)
    to within the grid's resolution 1/400, for trial sentences where some and where no types go to trial; and
    the prosecutor's offer does at least as well against its prior as any other offer."""
    n, c_p, c_d = 400, 2.0, 1.0
    sentences = (6.0, 15.0, 24.0, 60.0)
    pairs = list(itertools.product(sentences, strengths(n)))
    frame, offers = simulate_offers("bebchuk", grid_cases([(p, s) for s, p in pairs]),
                                    trial_cost_prosecutor_given=c_p, trial_cost_defendant=c_d)
    for k, s in enumerate(sentences):
        tried = frame["tried"][k * n:(k + 1) * n].mean()
        assert tried == pytest.approx(textbook.bebchuk_trial_probability(s, c_p, c_d, *PRIOR), abs=1.0 / n)
        offer = offers[k * n][0]
        best = decisions.screening_value(offer, s, c_p, c_d, *PRIOR)
        others = [decisions.screening_value(x, s, c_p, c_d, *PRIOR) for x in (s * i / 200 for i in range(201))]
        assert best >= max(others) - 1e-12
    assert frame["tried"][:n].sum() == 0 and frame["tried"][n:].sum() > 0  # S = 6: (b − a)·S < c_p + c_d


def test_the_screening_offer_reads_the_prior_not_the_case():
    """Changing what the prosecutor believes about the case itself leaves its offer unchanged; moving the prior
    moves it."""
    pairs = list(itertools.product(strengths(8), SENTENCES))
    _, offers = simulate_offers("bebchuk", grid_cases(pairs))
    _, shifted = simulate_offers("bebchuk", grid_cases(pairs), belief_offset_prosecutor=0.2)
    assert shifted == offers
    for s in SENTENCES:
        assert len({offer for (offer, trial_sentence) in offers if trial_sentence == s}) == 1
    rules, behaviour = preset("bebchuk")
    wider = dataclasses.replace(behaviour, strength_prior_low=0.3, strength_prior_high=0.95)
    tracker = Offers()
    frame_of(build_model(grid_cases(pairs), rules, wider, trackers=(tracker,)))
    c_p, c_d = behaviour.trial_cost_prosecutor_given, behaviour.trial_cost_defendant
    for i, (p, s) in enumerate(pairs):
        assert tracker.offers[i][0] == pytest.approx(min(textbook.bebchuk_offer(s, c_p, c_d, 0.3, 0.95), s),
                                                     abs=SENTENCE_TOLERANCE)


def signalling_interior(s: float, c_d: float) -> bool:
    """Every type's separating offer pS + c_d lies inside [0, S], where the closed form holds without the cap."""
    return textbook.reinganum_offer(PRIOR[1], s, c_d) <= s


@pytest.mark.parametrize("c_p,c_d", COSTS)
def test_signalling_offers_reveal_strength(c_p, c_d):
    """Reinganum (1988): the informed prosecutor offers s(p) = pS + c_d, increasing in p; the defendant, who sees
    only the offer, accepts exactly when its draw falls below φ = exp(−(p − a)·S/(c_p + c_d))."""
    pairs = list(itertools.product(strengths(20), SENTENCES))
    draws = [(0.37 * i) % 1.0 for i in range(len(pairs))]
    frame, offers = simulate_offers("reinganum", grid_cases(pairs, draws), trial_cost_prosecutor_given=c_p,
                                    trial_cost_defendant=c_d)
    assert (frame["protocol"] == "signalling").all()
    assert (frame["pleaded"] != frame["tried"]).all()
    checked = 0
    for (p, s), (offer, _), u, pleaded in zip(pairs, offers, draws, frame["pleaded"]):
        if not signalling_interior(s, c_d):
            continue
        checked += 1
        assert offer == pytest.approx(textbook.reinganum_offer(p, s, c_d), abs=SENTENCE_TOLERANCE)
        accept = textbook.reinganum_acceptance(p, s, c_p, c_d, PRIOR[0])
        assert abs(u - accept) > 1e-9, "draw on the acceptance probability"
        assert pleaded == (u < accept), (p, s, u, accept)
    assert checked >= 20
    for s in SENTENCES:
        by_strength = [offer for (p, t), (offer, _) in zip(pairs, offers) if t == s]
        assert by_strength == sorted(by_strength)


REPLICAS = 400
BINOMIAL_SE = 4.0
"""Acceptance frequencies over REPLICAS draws must lie within BINOMIAL_SE binomial standard errors of the
equilibrium probability (a false alarm has probability below 1e-4 per comparison)."""


def binomial_tolerance(probability: float, n: int) -> float:
    return BINOMIAL_SE * math.sqrt(probability * (1.0 - probability) / n)


def test_signalling_acceptance_frequency_matches_the_equilibrium():
    """REPLICAS copies of each of five case strengths, each with its own pre-drawn u_adopt from the cases
    stream: the share accepted is φ(p) within the binomial tolerance; over strengths evenly spread on the prior
    the share tried is the closed-form trial rate; the stronger cases go to trial more often."""
    s, c_p, c_d = 24.0, 2.0, 1.0
    assert signalling_interior(s, c_d)
    types = (0.55, 0.6, 0.7, 0.8, 0.88)
    spread = strengths(REPLICAS)
    pairs = [(p, s) for p in types for _ in range(REPLICAS)] + [(p, s) for p in spread]
    draws = [case.u_adopt for case in population(len(pairs), seed=5)]
    frame, _ = simulate_offers("reinganum", grid_cases(pairs, draws), trial_cost_prosecutor_given=c_p,
                               trial_cost_defendant=c_d)
    pleaded = frame["pleaded"].to_numpy()
    for k, p in enumerate(types):
        accept = textbook.reinganum_acceptance(p, s, c_p, c_d, PRIOR[0])
        share = pleaded[k * REPLICAS:(k + 1) * REPLICAS].mean()
        assert abs(share - accept) <= binomial_tolerance(accept, REPLICAS), (p, share, accept)
    tried = ~pleaded[len(types) * REPLICAS:]
    rate = textbook.reinganum_trial_rate(s, c_p, c_d, *PRIOR)
    assert abs(tried.mean() - rate) <= binomial_tolerance(rate, REPLICAS) + 1.0 / REPLICAS
    assert tried[REPLICAS // 2:].mean() > tried[:REPLICAS // 2].mean()


def mimicry_payoff(sent: float, p: float, s: float, c_p: float, c_d: float, refusal_costs: float) -> float:
    """What a prosecutor of strength ``p`` expects from sending the offer of strength ``sent`` against the
    model's acceptance rule, the defendant refusing as if the trial costs summed to ``refusal_costs``."""
    offer = decisions.signalling_offer(sent, s, c_d)
    weakest, strongest = (decisions.signalling_offer(x, s, c_d) for x in PRIOR)
    accept = decisions.signalling_acceptance(offer, weakest, strongest, refusal_costs - c_d, c_d)
    return accept * offer + (1.0 - accept) * decisions.trial_value(p, s, c_p)


@pytest.mark.parametrize("s,c_p,c_d", ((24.0, 2.0, 1.0), (60.0, 0.5, 0.5), (15.0, 1.0, 0.25), (40.0, 4.0, 3.0)))
def test_no_prosecutor_gains_by_mimicking_another(s, c_p, c_d):
    """Incentive compatibility of the separating equilibrium: a prosecutor of strength p earns most by sending
    its own offer, under the closed form and under the model's acceptance rule (off-path offers included); a
    defendant refusing less readily (acceptance for twice the trial costs) would let weak cases mimic strong."""
    p_grid = strengths(25)
    sent_grid = [PRIOR[0] - 0.1 + 0.5 * k / 100 for k in range(101)]
    costs = c_p + c_d
    for p in p_grid:
        honest = textbook.reinganum_mimicry(p, p, s, c_p, c_d, PRIOR[0])
        assert mimicry_payoff(p, p, s, c_p, c_d, costs) == pytest.approx(honest, abs=1e-12)
        for sent in sent_grid:
            if PRIOR[0] <= sent <= PRIOR[1]:
                assert textbook.reinganum_mimicry(sent, p, s, c_p, c_d, PRIOR[0]) <= honest + 1e-12
            assert mimicry_payoff(sent, p, s, c_p, c_d, costs) <= honest + 1e-12, (p, sent)
    lenient = [mimicry_payoff(sent, p, s, c_p, c_d, 2.0 * costs) - mimicry_payoff(p, p, s, c_p, c_d, 2.0 * costs)
               for p in p_grid for sent in sent_grid]
    assert max(lenient) > 1e-3


def test_asymmetric_information_presets_on_a_drawn_population():
    """On the main job's case mix both presets run to the end with trials and pleas. Under screening a case
    pleads exactly when its defendant bears the offer made against its trial sentence; under signalling the offer
    is the prosecutor's belief's s(p), capped at S, and the share of pleas is the mean equilibrium acceptance
    probability of the cases' offers within the binomial tolerance (the pre-drawn u_adopt are uniform and
    independent of the case)."""
    cases = population(400, seed=11)
    for name in ("bebchuk", "reinganum"):
        rules, behaviour = preset(name)
        tracker = Offers()
        frame = frame_of(build_model(cases, rules, behaviour, trackers=(tracker,)))
        assert frame["tried"].any() and frame["pleaded"].any(), name
        offers = [tracker.offers[i] for i in frame["case_id"]]
        c_p, c_d = behaviour.trial_cost_prosecutor_given, behaviour.trial_cost_defendant
        low, high = behaviour.strength_prior_low, behaviour.strength_prior_high
        accepts = []
        for (offer, s), belief, p_belief, pleaded in zip(offers, frame["suspect_belief"], frame["prosecutor_belief"],
                                                         frame["pleaded"]):
            if name == "bebchuk":
                assert offer == pytest.approx(min(textbook.bebchuk_offer(s, c_p, c_d, low, high), s), abs=1e-9)
                assert pleaded == (textbook.defense_reservation(belief, s, c_d) >= offer - 1e-9)
            else:
                assert offer == pytest.approx(min(textbook.reinganum_offer(p_belief, s, c_d), s), abs=1e-9)
                weakest, strongest = (min(textbook.reinganum_offer(x, s, c_d), s) for x in (low, high))
                accepts.append(decisions.signalling_acceptance(offer, weakest, strongest, c_p, c_d))
        if name == "reinganum":
            n, expected = len(accepts), sum(accepts) / len(accepts)
            spread = BINOMIAL_SE * math.sqrt(sum(a * (1.0 - a) for a in accepts)) / n
            assert abs(frame["pleaded"].mean() - expected) <= spread


@pytest.mark.parametrize("name", ("bebchuk", "reinganum"))
def test_private_information_presets_run_under_every_arm(name, tmp_path):
    """Composed with every reform arm (some replace the protocol by a dialogue, whose unbounded plea may then be
    0 months) the presets run to the end: each arm disposes of every case, and the status quo uses the preset's
    protocol."""
    run_job(compose_cfg(f"textbook={name}", "n_cases=300", "replications=1", "jobs=1", "progress=false",
                        "save_figures=false"), tmp_path)
    frame = read_cases(tmp_path)
    arms = frame.groupby("reform")["case_id"].count()
    assert len(arms) >= 16 and (arms == 300).all()
    quo = frame[frame["reform"] == "status_quo"]
    assert set(quo["protocol"]) == {"screening" if name == "bebchuk" else "signalling"}
