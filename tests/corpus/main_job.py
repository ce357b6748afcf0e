"""Bad inputs to `bargainsim` (the main job and its sweeps)."""

from __future__ import annotations

from pathlib import Path

from corpus import BadInput, Fixtures, copy_run, copy_sweep

EXPERIMENTS = str(Path(__file__).resolve().parents[2] / "experiments")
RUN = ("hydra.run.dir={tmp}/out", "n_cases=40", "replications=1", "progress=false")
SWEEP = ("-m", "hydra/launcher=basic", "hydra.sweep.dir={tmp}/sweep", "n_cases=40", "replications=1",
         "progress=false")
SWEEP_AGAIN = ("-m", "hydra/launcher=basic", "hydra.sweep.dir={sweep}", "reform=baseline,no_kpi", "n_cases=40",
               "replications=2", "progress=false", "save_figures=false", "jobs=1")
PROBABILITY = "[0.0, 1.0]"
SEED_RANGE = "[0, 9223372036854775807]"


def file_in_the_way(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: a regular file where an output directory should go."""
    (tmp / "blocker").write_text("not a directory")


def file_as_job_directory(tmp: Path, fixtures: Fixtures) -> None:
    """Setup: a sweep directory where a regular file occupies job 1's directory name."""
    (tmp / "sweep").mkdir()
    (tmp / "sweep" / "1").write_text("not a job")


def run_case(id: str, names: tuple[str, ...], *args: str) -> BadInput:
    """A bad main-job input (small run into ``{tmp}/out``)."""
    return BadInput(id, "bargainsim", (*RUN, *args), names)


CASES: list[BadInput] = [
    run_case("share-above-one", ("caseload.innocent_share", "1.5", PROBABILITY), "caseload.innocent_share=1.5"),
    run_case("share-negative", ("caseload.innocent_share", PROBABILITY), "caseload.innocent_share=-0.1"),
    run_case("behaviour-range", ("behaviour.overstatement", PROBABILITY), "behaviour.overstatement=2"),
    run_case("n-cases-zero", ("n_cases", "≥ 1"), "n_cases=0"),
    run_case("n-cases-negative", ("n_cases", "-5", "≥ 1"), "n_cases=-5"),
    run_case("replications-zero", ("replications", "≥ 1"), "replications=0"),
    run_case("seed-negative", ("seed", SEED_RANGE), "seed=-1"),
    run_case("seed-too-large", ("seed", "9223372036854775808", SEED_RANGE), "seed=9223372036854775808"),
    run_case("jobs-negative", ("jobs", "≥ 0"), "jobs=-2"),
    run_case("districts-zero", ("districts", "≥ 1"), "districts=0"),
    run_case("districts-above-cases", ("districts", "n_cases"), "districts=50"),
    run_case("districts-without-judges", ("caseload.n_judges", "districts", "≥ 20"), "districts=20"),
    run_case("prosecutors-zero", ("caseload.n_prosecutors", "[1, 100000]"), "caseload.n_prosecutors=0"),
    run_case("arrivals-zero", ("caseload.arrivals_per_day", "[0.01,"), "caseload.arrivals_per_day=0"),
    run_case("unknown-choice", ("rules.disclosure", "partial", "none, core, full"), "rules.disclosure=partial"),
    run_case("kpi-range", ("rules.kpi_pressure", "[0.0, 3.0]"), "rules.kpi_pressure=5"),
    run_case("deadline-zero", ("timing.review_limit_speedy", "[1, 365]"), "timing.review_limit_speedy=0"),
    run_case("weights-zero", ("behaviour.weight_informed", "> 0"), "behaviour.weight_informed=0",
             "behaviour.weight_uncoerced=0", "behaviour.weight_participatory=0"),
    run_case("private-information-protocol", ("rules.felony_protocol=signalling", "behaviour.trial_costs=given"),
             "reform=baseline", "rules.felony_protocol=signalling"),
    run_case("strength-prior-empty", ("behaviour.strength_prior_low", "below", "behaviour.strength_prior_high"),
             "textbook=bebchuk", "reform=baseline", "behaviour.strength_prior_low=0.9",
             "behaviour.strength_prior_high=0.6"),
    run_case("guideline-cap-range", ("rules.guideline.plea_cap", "1.5", PROBABILITY), "rules.guideline.plea_cap=1.5"),
    run_case("guideline-credit-above-cap", ("rules.guideline.victim_credit_compensation",
                                            "rules.guideline.victim_cap_compensation", "within its cap"),
             "guideline=low_cap", "rules.guideline.victim_cap_compensation=0.1"),
    run_case("guideline-joint-cap-below-one",
             ("rules.guideline.victim_cap_both", "rules.guideline.victim_cap_compensation", "at least"),
             "rules.guideline.victim_cap_both=0.35", "rules.guideline.victim_credit_both=0.2",
             "rules.guideline.victim_cap_compensation=0.38"),
    run_case("guideline-misspelt", ("rules.guideline.plea_capp", "rules.guideline.plea_cap"),
             "rules.guideline.plea_capp=0.1"),
    run_case("guideline-text", ("rules.guideline.ladder_step", "steep", "Float"), "rules.guideline.ladder_step=steep"),
    run_case("unknown-guideline", ("guideline", "'nope'", "spc_2021", "no_cap"), "guideline=nope"),
    run_case("reform-sets-guideline", ("reform.custom.guideline", "guideline=NAME"), "reform=baseline",
             "+reform.custom.guideline.plea_cap=0.1"),
    run_case("unknown-jurisdiction", ("jurisdiction", "'nowhere'", "china", "us_federal"), "jurisdiction=nowhere"),
    run_case("jurisdiction-name", ("jurisdiction.name", "'mars'", "england_wales"), "jurisdiction.name=mars"),
    run_case("reform-excluded-by-jurisdiction", ("two_way_initiation", "jurisdiction=germany", "§ 257c StPO"),
             "jurisdiction=germany", "reform=two_way_initiation"),
    run_case("reform-already-the-jurisdiction", ("no_kpi", "jurisdiction=us_federal", "already"),
             "jurisdiction=us_federal", "reform=no_kpi"),
    run_case("reform-sets-institution", ("reform.custom.charge_bargaining", "jurisdiction=NAME"), "reform=baseline",
             "+reform.custom.charge_bargaining=true"),
    run_case("institution-choice", ("rules.recommendation_effect", "'bind'", "advisory"),
             "rules.recommendation_effect=bind"),
    run_case("integer-text", ("n_cases", "abc", "Integer"), "n_cases=abc"),
    run_case("integer-with-space", ("n_cases", "Integer"), "n_cases=1 2"),
    run_case("bool-text", ("progress", "maybe", "bool"), "progress=maybe"),
    run_case("bool-number", ("save_cases=2", "true or false"), "save_cases=2"),
    run_case("bool-rule-text", ("rules.mutual_disclosure", "sometimes", "bool"), "rules.mutual_disclosure=sometimes"),
    run_case("unknown-reform", ("'nonexistent'", "disclosure_full", "withdrawal_right"), "reform=nonexistent"),
    run_case("unknown-reform-in-list", ("'nonexistent'", "disclosure_full", "withdrawal_right"),
             "reform=[disclosure_full,nonexistent]"),
    run_case("empty-reform-list", ("reform=[]", "reform=baseline"), "reform=[]"),
    run_case("conflicting-reforms", ("disclosure_core", "disclosure_full", "rules.disclosure"),
             "reform=[disclosure_core,disclosure_full]"),
    run_case("unknown-textbook", ("textbook", "'nope'", "nash"), "textbook=nope"),
    run_case("unknown-scale", ("scale", "'galactic'", "national"), "scale=galactic"),
    run_case("unknown-launcher", ("hydra/launcher", "'cloud'", "joblib", "slurm"), "hydra/launcher=cloud"),
    run_case("misspelt-key-added", ("behaviour.risk_aversoin", "behaviour.risk_aversion"),
             "+behaviour.risk_aversoin=3.5"),
    run_case("misspelt-key", ("caseload.n_prosecutor", "caseload.n_prosecutors"), "caseload.n_prosecutor=3"),
    run_case("unknown-top-level-key", ("foo", "docs/parameters.md"), "+foo=1"),
    run_case("misspelt-top-level-key", ("n_case", "n_cases"), "n_case=3"),
    run_case("custom-reform-alone", ("reform.custom.disclosure", "reform=baseline"), "+reform.custom.disclosure=full"),
    run_case("custom-reform-bad-rule", ("reform.custom.disclosur", "allowed rules", "disclosure"), "reform=baseline",
             "+reform.custom.disclosur=full"),
    run_case("custom-reform-bad-value", ("reform.custom.disclosure", "partial", "none, core, full"),
             "reform=baseline", "+reform.custom.disclosure=partial"),
    run_case("sensitivity-outside-study", ("sensitivity.n_base", "--config-name sensitivity"),
             "+sensitivity.n_base=4"),
    run_case("non-ascii-value", ("rules.disclosure=完全", "quote"), "rules.disclosure=完全"),
    run_case("empty-run-dir", ("hydra.run.dir", "empty"), "hydra.run.dir="),
    BadInput("default-run-dir", "bargainsim", ("n_cases=0",), ("n_cases", "≥ 1")),
    BadInput("default-sweep-dir", "bargainsim", ("-m", "hydra/launcher=basic", "reform=baseline,no_kpi", "n_cases=0"),
             ("job 0", "n_cases", "≥ 1")),
    BadInput("unknown-option", "bargainsim", ("--badflag", *RUN), ("--badflag", "--help")),
    BadInput("option-without-value", "bargainsim", (*RUN, "--config-name"), ("--config-name", "expected one argument")),
    BadInput("primary-config-missing", "bargainsim", ("--config-name", "nonexistent", *RUN),
             ("--config-name", "'nonexistent'", "config")),
    BadInput("run-dir-under-file", "bargainsim", (*RUN, "hydra.run.dir={tmp}/blocker/out"),
             ("{tmp}/blocker/out", "not a directory"), file_in_the_way),
    BadInput("run-dir-is-file", "bargainsim", (*RUN, "hydra.run.dir={tmp}/blocker"),
             ("{tmp}/blocker", "is a file"), file_in_the_way),
    BadInput("run-dir-holds-a-run", "bargainsim", (*RUN, "hydra.run.dir={run}"), ("{run}", "overwrite=true"),
             copy_run),
    BadInput("overwrite-with-bad-value", "bargainsim", (*RUN, "hydra.run.dir={run}", "overwrite=true",
                                                        "caseload.innocent_share=1.5"),
             ("caseload.innocent_share", PROBABILITY), copy_run),
    BadInput("sweep-invalid-job", "bargainsim", (*SWEEP, "caseload.innocent_share=0.2,1.5"),
             ("job 1", "caseload.innocent_share", PROBABILITY)),
    BadInput("sweep-invalid-rerun", "bargainsim", (*SWEEP_AGAIN, "caseload.innocent_share=1.5"),
             ("job 0", "caseload.innocent_share", PROBABILITY), copy_sweep),
    BadInput("sweep-rerun-unknown-key", "bargainsim", (*SWEEP_AGAIN, "+behaviour.risk_aversoin=3.5"),
             ("behaviour.risk_aversoin", "behaviour.risk_aversion"), copy_sweep),
    BadInput("sweep-bool-value", "bargainsim", (*SWEEP, "save_cases=true,2"), ("job 1", "save_cases", "true or false")),
    BadInput("sweep-unknown-reform", "bargainsim", (*SWEEP, "reform=no_kpi,nonexistent"),
             ("'nonexistent'", "no_kpi")),
    BadInput("sweep-job-dir-is-file", "bargainsim", (*SWEEP, "reform=baseline,no_kpi"),
             ("job 1", "{tmp}/sweep/1", "is a file"), file_as_job_directory),
    BadInput("sweep-dir-empty", "bargainsim", (*SWEEP, "hydra.sweep.dir=", "reform=baseline,no_kpi"),
             ("hydra.sweep.dir", "empty")),
    BadInput("sweep-dir-under-file", "bargainsim", (*SWEEP, "hydra.sweep.dir={tmp}/blocker/sweep"),
             ("{tmp}/blocker/sweep", "not a directory"), file_in_the_way),
    BadInput("study-sobol-size", "bargainsim", ("--config-dir", EXPERIMENTS, "--config-name", "sensitivity", *SWEEP,
                                                "sensitivity.n_base=12"),
             ("sensitivity.n_base", "power of two")),
    BadInput("study-sobol-chunk", "bargainsim", ("--config-dir", EXPERIMENTS, "--config-name", "sensitivity", *SWEEP,
                                                 "sensitivity.chunks=2", "sensitivity.chunk=2"),
             ("sensitivity.chunk", "0..1")),
    BadInput("study-bad-value", "bargainsim", ("--config-dir", EXPERIMENTS, "--config-name", "tracks", *SWEEP,
                                               "rules.kpi_pressure=-1"),
             ("rules.kpi_pressure", "[0.0, 3.0]")),
]
