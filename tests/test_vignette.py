"""The vignette (`bargainsim-vignette`): the model's suspects decide each cell of a plea-experiment grid by the
model's own rule, the same suspects in every cell; its directions hold with room to spare; bad input is refused
in one line; the same seed gives the same bytes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bargainsim import decisions
from bargainsim.analysis.vignette import (
    FACTORS,
    Condition,
    Design,
    Population,
    VignetteOptions,
    acceptance_table,
    draw_suspects,
    pooled_rate,
)
from bargainsim.apps.vignette import main
from bargainsim.core.cases import strength_prior
from bargainsim.core.procedure.information import belief_noise, signal, weighed
from bargainsim.harness import rundir
from bargainsim.harness.vignette import behaviour_with, load
from bargainsim.params import Behaviour, Caseload

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "conf" / "vignette" / "plea_justice.yaml"
RESULTS = ROOT / "results" / "vignette"
EVERY_CONDITION = {"counsel": ["none", "duty", "retained"], "detention": ["detained", "at_liberty"],
                   "trial_sentence": [24, 36], "conviction_probability": [0.0, 0.2, 0.5, 0.8, 1.0]}


def by_hand(cell: Condition, b: Behaviour, z_risk: float, u_choice: float, z_lawyer: float, z_belief: float,
            sd: float, role: str) -> bool:
    """One suspect's decision in ``cell``, from the decision functions one suspect at a time."""
    rho = decisions.risk_exponent(b.risk_aversion, b.risk_heterogeneity, z_risk)
    taste = decisions.choice_taste(u_choice, b.choice_noise)
    c_d = decisions.defendant_trial_cost(b.trial_cost_defendant, b.detention_cost, cell.detention == "detained",
                                         b.detention_venue_factor)
    innocence = b.innocence_cost if cell.guilt == "innocent" else 0.0
    p, s = cell.conviction_probability, cell.trial_sentence
    belief = signal(p, sd, z_belief) if sd > 0.0 else p
    reservation = decisions.suspect_reservation(belief, s, c_d, rho, innocence, taste)
    advocate = cell.counsel == "retained" or (cell.counsel == "duty" and role == "advocate")
    if advocate:
        quality = b.lawyer_quality_retained if cell.counsel == "retained" else b.lawyer_quality_duty
        sd_lawyer = belief_noise(b.belief_noise_uninformed, b.belief_noise_informed, 1.0, quality)
        lawyer = weighed(p, sd_lawyer, z_lawyer, *strength_prior(Caseload()), b.experience_weight)
        reservation = decisions.suspect_reservation(lawyer, s, c_d, rho, innocence, taste)
    return decisions.suspect_accepts(cell.offer, reservation)


@pytest.mark.parametrize(("sd", "role"), [(0.0, "endorse"), (0.4, "advocate")])
def test_acceptance_is_the_decision_rule_applied_by_hand_to_the_same_draws(sd: float, role: str) -> None:
    b = Behaviour()
    options = VignetteOptions(suspects=150, seed=11, belief_noise=sd, duty_lawyer_role=role)
    table = acceptance_table(EVERY_CONDITION, b, options)
    draws = draw_suspects(150, 11)
    assert len(table) == 2 * 3 * 2 * 2 * 5 * 3
    for row in table.itertuples(index=False):
        cell = Condition(*(getattr(row, name) for name in FACTORS))
        expected = sum(by_hand(cell, b, *suspect, sd, role) for suspect in zip(
            draws.z_risk.tolist(), draws.u_choice.tolist(), draws.z_lawyer.tolist(), draws.z_belief.tolist()))
        assert (row.n, row.accepted) == (150, expected), cell
        assert row.rate == expected / 150 and row.ci_low <= row.rate <= row.ci_high


def test_an_endorsing_duty_lawyer_advises_nothing_and_an_advocate_reads_the_case_for_the_client() -> None:
    """An endorser changes nothing; an advocate's reading, weighed against a case mix of strong cases, raises
    acceptance where the stated chance of conviction is low and changes the decision somewhere."""
    design = Design.factorial({"counsel": ["none", "duty", "retained"]})
    rates = {role: acceptance_table(design, options=VignetteOptions(suspects=1000, duty_lawyer_role=role))
             .pivot_table("rate", ["guilt", "conviction_probability", "offer"], "counsel")
             for role in ("endorse", "advocate")}
    assert (rates["endorse"]["duty"] == rates["endorse"]["none"]).all()
    assert (rates["advocate"]["retained"] == rates["endorse"]["retained"]).all()
    advised, alone = rates["advocate"]["duty"], rates["advocate"]["none"]
    assert (advised != alone).any()
    low = advised.index.get_level_values("conviction_probability") == 0.2
    assert (advised[low] >= alone[low]).all()


def test_every_cell_sees_the_same_suspects_and_the_grid_does_not_change_them() -> None:
    """Common random numbers: a cell's result does not depend on which other cells the grid holds."""
    options = VignetteOptions(suspects=800, seed=3)
    whole = acceptance_table(None, options=options)
    one = acceptance_table({"guilt": "innocent", "conviction_probability": 0.5, "offer": 12}, options=options)
    match = whole[(whole.guilt == "innocent") & (whole.conviction_probability == 0.5) & (whole.offer == 12)]
    assert one.reset_index(drop=True).equals(match.reset_index(drop=True))
    first = draw_suspects(100, 3)
    more = draw_suspects(800, 3)
    assert np.array_equal(first.z_risk, more.z_risk[:100]) and np.array_equal(first.u_choice, more.u_choice[:100])


def test_cells_are_graded_under_the_calibrated_choice_noise_as_logit_choice_predicts() -> None:
    """With the default choice noise most cells lie strictly between 0 and 1, and each cell's rate matches the
    logit acceptance probability (decisions.acceptance_probability) averaged over the suspects' risk draws, within
    4 binomial standard errors (4,000 suspects: at most 0.032)."""
    b, n = Behaviour(), 4000
    table = acceptance_table(None, b, VignetteOptions(suspects=n, seed=17))
    graded = table[(table.rate > 0.02) & (table.rate < 0.98)]
    assert len(graded) >= 9, table
    population = Population.of(draw_suspects(n, 17), behaviour_with({"choice_noise": 0.0}))
    for row in table.itertuples(index=False):
        cell = Condition(*(getattr(row, name) for name in FACTORS))
        reservations = population.reservations(cell)
        expected = np.mean([decisions.acceptance_probability(row.offer, r, row.trial_sentence, b.choice_noise)
                            for r in reservations.tolist()])
        se = math.sqrt(max(expected * (1.0 - expected), 1e-4) / n)
        assert abs(row.rate - expected) <= 4.0 * se, (cell, row.rate, expected)


def test_without_choice_noise_or_risk_heterogeneity_every_cell_is_zero_or_one_as_the_closed_form_says() -> None:
    b = behaviour_with({"choice_noise": 0, "risk_heterogeneity": 0})
    design = Design.factorial({**EVERY_CONDITION, "counsel": ["none", "duty"]})
    table = acceptance_table(design, b, VignetteOptions(suspects=300))
    assert set(table.rate) == {0.0, 1.0}
    for row in table.itertuples(index=False):
        c_d = b.trial_cost_defendant + (b.detention_cost * b.detention_venue_factor if row.detention == "detained"
                                        else 0.0)
        bound = row.trial_sentence * row.conviction_probability ** (1.0 / b.risk_aversion) + c_d \
            - (b.innocence_cost if row.guilt == "innocent" else 0.0)
        assert row.rate == (1.0 if row.offer <= bound + 1e-9 else 0.0), row


SEEDS = (101, 202, 303, 404, 505)


def pooled_differences(seed: int) -> dict[str, float]:
    """At the shipped grid with 2,000 suspects: acceptance at p = 0.8 minus at 0.2 (per guilt status, pooled over
    offers), at a 6-month minus an 18-month offer (per guilt status, pooled over p), guilty minus innocent."""
    table = acceptance_table(None, options=VignetteOptions(suspects=2000, seed=seed))
    by_p = pooled_rate(table, ["guilt", "conviction_probability"])
    by_offer = pooled_rate(table, ["guilt", "offer"])
    by_guilt = pooled_rate(table, "guilt")
    return {**{f"p_{g}": by_p[(g, 0.8)] - by_p[(g, 0.2)] for g in ("guilty", "innocent")},
            **{f"offer_{g}": by_offer[(g, 6.0)] - by_offer[(g, 18.0)] for g in ("guilty", "innocent")},
            "guilt": by_guilt["guilty"] - by_guilt["innocent"]}


def test_acceptance_rises_with_conviction_probability_and_a_lower_offer_and_innocents_accept_less() -> None:
    """Five independent populations of 2,000: every pooled difference is positive in every population, and its
    mean over the populations exceeds its tolerance (p and offer: 0.2; guilt: 0.05) by more than the 95% t
    half-width (the Monte Carlo error of one pooled difference is about 0.01)."""
    runs = pd.DataFrame([pooled_differences(seed) for seed in SEEDS])
    assert (runs > 0.0).all().all(), runs
    half = 2.776 * runs.std(ddof=1) / math.sqrt(len(SEEDS))
    tolerance = pd.Series({"p_guilty": 0.2, "p_innocent": 0.2, "offer_guilty": 0.2, "offer_innocent": 0.2,
                           "guilt": 0.05})
    assert (runs.mean() - half > tolerance).all(), pd.DataFrame({"mean": runs.mean(), "half": half})


def test_with_the_same_suspects_each_direction_holds_suspect_by_suspect() -> None:
    """Monotone in each condition for every suspect: whoever pleads at p = 0.2 pleads at 0.8, whoever takes 18
    months takes 6, whoever pleads while innocent pleads while guilty (so no cell breaks a direction)."""
    population = Population.of(draw_suspects(3000, 8), Behaviour())
    for counsel in ("none", "retained"):
        def accepts(guilt: str = "guilty", p: float = 0.5, offer: float = 12.0) -> np.ndarray:
            return population.accepts(Condition(guilt, counsel, "detained", 24.0, p, offer), 0.3, "endorse")
        assert np.all(accepts(p=0.2) <= accepts(p=0.8)) and accepts(p=0.2).sum() < accepts(p=0.8).sum()
        assert np.all(accepts(offer=18.0) <= accepts(offer=6.0)) and accepts(offer=18.0).sum() < accepts(offer=6.0).sum()
        assert np.all(accepts("innocent") <= accepts("guilty")) and accepts("innocent").sum() < accepts().sum()


def test_a_csv_grid_lists_its_cells_and_they_match_the_factorial_ones(tmp_path: Path) -> None:
    grid = tmp_path / "grid.csv"
    grid.write_text("# two cells of the Plea-Justice grid\nguilt,conviction_probability,offer\n"
                    "innocent,0.5,12\nguilty,0.2,18\n", encoding="utf-8")
    vignette = load(grid, options={"suspects": 500})
    table = acceptance_table(vignette.design, vignette.behaviour, vignette.options)
    whole = acceptance_table(None, options=VignetteOptions(suspects=500)).set_index(list(FACTORS))
    assert list(zip(table.guilt, table.offer)) == [("innocent", 12.0), ("guilty", 18.0)]
    assert (table.set_index(list(FACTORS)).accepted == whole.loc[table.set_index(list(FACTORS)).index].accepted).all()


def run(args: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).strip()


def test_the_command_writes_the_table_heatmap_and_provenance_and_the_same_seed_gives_the_same_bytes(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    common = [str(SHIPPED), "--suspects", "500", "behaviour.risk_aversion=1.2"]
    assert run([*common, "--out", str(first)], capsys)[0] == 0
    assert run([*common, "--out", str(second)], capsys)[0] == 0
    assert run([*common, "--out", str(other), "--seed", "7"], capsys)[0] == 0
    for directory in (first, second, other):
        assert sorted(p.name for p in directory.iterdir()) == ["acceptance.csv", "acceptance.png", "job.json",
                                                                "vignette.json"]
        assert rundir.is_complete(directory)
    assert (first / "acceptance.csv").read_bytes() == (second / "acceptance.csv").read_bytes()
    assert (first / "acceptance.csv").read_bytes() != (other / "acceptance.csv").read_bytes()
    table = pd.read_csv(first / "acceptance.csv")
    assert list(table.columns) == [*FACTORS, "n", "accepted", "rate", "ci_low", "ci_high"] and len(table) == 18
    assert "behaviour_overrides" in (first / "vignette.json").read_text() and '"risk_aversion": 1.2' in \
        (first / "vignette.json").read_text()
    # a second run replaces the first whole
    assert run([str(SHIPPED), "--suspects", "300", "--out", str(first)], capsys)[0] == 0
    assert rundir.is_complete(first) and set(pd.read_csv(first / "acceptance.csv").n) == {300}


@pytest.mark.parametrize(("args", "file_text", "names"), [
    (["{tmp}/missing.yaml"], None, ["missing.yaml", "no such file"]),
    (["{tmp}/grid.yaml"], "factors:\n  colour: [red]\n", ["factors.colour", "allowed factors"]),
    (["{tmp}/grid.yaml"], "factors:\n  conviction_probability: [0.2, 1.2]\n",
     ["factors.conviction_probability = 1.2", "≤ 1"]),
    ([str(SHIPPED), "behaviour.risk_aversoin=2"], None, ["behaviour.risk_aversoin", "behaviour.risk_aversion"]),
    ([str(SHIPPED), "behaviour.choice_noise=-1"], None, ["behaviour.choice_noise", "[0.0, 2.0]"]),
], ids=["missing-file", "unknown-factor", "level-out-of-range", "bad-behaviour-key", "behaviour-out-of-range"])
def test_bad_input_is_one_line_exit_two_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                           args: list[str], file_text: str | None,
                                                           names: list[str]) -> None:
    if file_text is not None:
        (tmp_path / "grid.yaml").write_text(file_text, encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(SystemExit) as stop:
        main([a.replace("{tmp}", str(tmp_path)) for a in args] + ["--out", str(tmp_path / "out")])
    said = capsys.readouterr()
    text = (said.out + said.err).strip()
    assert stop.value.code == 2 and len(text.splitlines()) == 1 and "Traceback" not in text, text
    assert text.startswith("bargainsim-vignette: ") and all(name in text for name in names), text
    assert sorted(tmp_path.rglob("*")) == before


def test_the_shipped_results_are_those_of_the_shipped_grid(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert run([str(SHIPPED), "--out", str(tmp_path / "out")], capsys)[0] == 0
    assert (tmp_path / "out" / "acceptance.csv").read_bytes() == (RESULTS / "acceptance.csv").read_bytes(), \
        "results/vignette is stale: run `make vignette`"
    assert rundir.is_complete(RESULTS)


def test_the_textbook_suspect_gives_the_expected_value_benchmark() -> None:
    """Risk-neutral, alike, no costs, no noise: accept iff offer ≤ p·24 (docs/validation_research.md, "Vignette
    grid"): never at p = 0.2, the 6- and 12-month offers at p = 0.5, every offer at p = 0.8 — guilty or not."""
    b = behaviour_with({"risk_aversion": 1, "risk_heterogeneity": 0, "choice_noise": 0, "trial_cost_defendant": 0,
                        "detention_cost": 0, "innocence_cost": 0})
    table = acceptance_table(None, b, VignetteOptions(suspects=200))
    accepted = {(row.conviction_probability, row.offer) for row in table.itertuples() if row.rate == 1.0}
    assert set(table.rate) == {0.0, 1.0}
    assert accepted == {(0.5, 6.0), (0.5, 12.0), (0.8, 6.0), (0.8, 12.0), (0.8, 18.0)}
