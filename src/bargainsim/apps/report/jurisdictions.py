"""The jurisdictions study's own sections (a sweep over ``jurisdiction``): each jurisdiction's status quo beside
China's on the same suspects, the model's figures beside the published ones, and the headline Chinese reforms
re-read against the foreign systems they resemble (docs/jurisdictions.md)."""

from __future__ import annotations

import pandas as pd

from bargainsim.analysis import ALL_OUTCOMES, STATUS_QUO
from bargainsim.apps.report.comparison import Design, compare, outcome_table
from bargainsim.apps.report.jobs import ARM
from bargainsim.harness.config import JURISDICTIONS
from bargainsim.reporting import plots
from bargainsim.reporting.formatting import number

KEY = "jurisdiction"
BASELINE = "china"
TRANSPORT = ("application_rate", "trial_rate", "discount_vs_trial", "innocent_plea_rate")
"""The figures compared with published ones: the issue's application rate, trial rate, mean discount (against the
sentence on conviction at trial) and innocent-plea rate."""

PUBLISHED: dict[tuple[str, str], tuple[str, str]] = {
    ("china", "application_rate"): (
        "86.9% of suspects (2024; a calibration target, fitted)", "SPP 2024 white paper (seeds/004)"),
    ("us_federal", "application_rate"): (
        "90% of all defendants pleaded guilty, 8% were dismissed (FY2018); 96.9% of convicted offenders pleaded "
        "(FY2013)", "Pew Research Center 2019 (verified); USSC Overview of Federal Criminal Cases FY2013 (verified)"),
    ("us_federal", "trial_rate"): ("2% of all defendants went to trial (FY2018)", "Pew Research Center 2019 (verified)"),
    ("us_federal", "discount_vs_trial"): (
        "trial sentences 64% longer than plea sentences (2006-08), i.e. a plea 39% below trial",
        "Kim, 84 Miss. L.J. 1195 (2015), SSRN abstract (secondary)"),
    ("us_federal", "innocent_plea_rate"): (
        "not comparable: 15% of 1,702 known exonerees had pleaded guilty (2015)",
        "National Registry of Exonerations (verified)"),
    ("england_wales", "application_rate"): (
        "Crown Court guilty-plea rate 65% (Q4 2023), 71% (2018-19); 70-72% (1989-92)",
        "MoJ via the Bar Council and the Sentencing Academy (secondary); Hansard 2 April 1992 (verified)"),
    ("england_wales", "discount_vs_trial"): (
        "72% pleaded at the first reasonable opportunity, 89% of them with at least a third off (2014)",
        "Crown Court Sentencing Survey 2014, via Peters & Peters (secondary)"),
    ("italy", "trial_rate"): (
        "ordinary trial in over 70% of collegial and over half of single-judge cases (2005-17)",
        "a thesis on Ministry of Justice statistics (secondary)"),
}
"""Published figures per (jurisdiction, outcome) with their source and status (docs/jurisdictions_research.md §7);
a missing entry: not found. For comparison, never fitted."""

RESEMBLES: tuple[tuple[str, str, str], ...] = (
    ("two_way_initiation", "us_federal", "either side may propose terms (White 1978)"),
    ("two_way_initiation", "italy", "either party may request the sentence (art. 444(1) c.p.p.)"),
    ("substantive_dialogue", "us_federal", "counsel and the AUSA bargain (FRCrP 11(c)(1))"),
    ("disclosure_full", "germany", "counsel inspects the whole file (§ 147(1) StPO)"),
    ("early_legal_aid", "england_wales", "advice from the police station on (PACE 1984 s. 58)"),
    ("effective_counsel", "germany", "mandatory defense by a defender (§ 140 StPO)"),
    ("tripartite_agreement", "us_federal", "a written agreement signed by the parties (FRCrP 11)"),
    ("judicial_review", "germany", "the court must establish the truth despite a confession (§ 257c(1) StPO)"),
    ("no_kpi", "england_wales", "no plea-rate indicators for prosecutors (none found)"),
)
"""Each headline Chinese reform beside a foreign system that already has what it proposes, with the rule."""

SHOWN = ("application_rate", "voluntariness", "innocent_plea_rate", "discount_vs_trial", "days_to_disposition")


def jurisdiction_sections(plan: Design, table: pd.DataFrame, files, level: float) -> list[str]:
    """The study's own sections; nothing unless the sweep varies the jurisdiction with China among them."""
    if KEY not in plan.scenarios or BASELINE not in set(plan.runs[KEY]):
        return []
    status_quo = status_quo_comparison(plan, level)
    files.frame("jurisdictions", status_quo)
    resemblances = resemblance_table(table, status_quo)
    files.frame("resemblances", resemblances)
    order = [name for name in JURISDICTIONS if name in set(status_quo[ARM])]
    figure = files.write("jurisdictions.png", lambda p: plots.plot_outcomes_by_reform(status_quo, p, order=order))
    lines = ["", "## The same suspects under each jurisdiction", "",
             "Each jurisdiction's status quo against China's, on the same case populations (the cases depend on the "
             "seed and replication only), pairing runs by replication. Behaviour is the calibrated Chinese behaviour "
             "everywhere: the differences are the institutions' (docs/jurisdictions.md). Every outcome is in "
             "`jurisdictions.csv`.", "", f"![Status quo of each jurisdiction against China's]({figure})"]
    for outcome in SHOWN:
        lines += ["", f"### {ALL_OUTCOMES[outcome].label}", "",
                  outcome_table(status_quo, outcome, BASELINE)]
    lines += ["", "## The model beside the published figures", "",
              "The model's status quo per jurisdiction (mean over replications, 95% CI) beside the figures found "
              "with a source (docs/jurisdictions_research.md §7). Nothing was fitted to the foreign figures; the "
              "definitions differ where noted (the model's rates are shares of all cases disposed of; its "
              "innocent-plea rate is the share of innocent suspects who plead).", "",
              "| jurisdiction | figure | model | published | source |", "|---|---|---:|---|---|"]
    for name in order:
        for outcome in TRANSPORT:
            row = status_quo[(status_quo[ARM] == name) & (status_quo["outcome"] == outcome)].iloc[0]
            d = ALL_OUTCOMES[outcome].decimals
            model = f"{number(row['mean'], d)} [{number(row['ci_low'], d)}, {number(row['ci_high'], d)}]"
            published, source = PUBLISHED.get((name, outcome), ("not found", ""))
            lines.append(f"| {name} | {ALL_OUTCOMES[outcome].label} | {model} | {published} | {source} |")
    lines += ["", "## Chinese reforms re-read against the systems they resemble", "",
              "Each headline reform's effect in China (against China's status quo) beside the difference the foreign "
              "system that already has its rule makes (its status quo against China's). The foreign system changes "
              "more than the one rule, so the two need not agree; where they point the same way, the system is "
              "evidence of the direction the reform would take. Every pair and outcome is in `resemblances.csv`.",
              "", "| reform | resembles | rule abroad | outcome | Δ reform in China [95% CI] | "
                  "Δ system vs China [95% CI] | same sign |", "|---|---|---|---|---:|---:|:---:|"]
    for row in resemblances.itertuples():
        d = ALL_OUTCOMES[row.outcome].decimals
        reform = f"{number(row.reform_diff, d, True)} [{number(row.reform_low, d, True)}, " \
                 f"{number(row.reform_high, d, True)}]"
        system = f"{number(row.system_diff, d, True)} [{number(row.system_low, d, True)}, " \
                 f"{number(row.system_high, d, True)}]"
        lines.append(f"| {row.reform} | {row.jurisdiction} | {row.rule} | {ALL_OUTCOMES[row.outcome].label} | "
                     f"{reform} | {system} | {'yes' if row.same_sign else 'no'} |")
    return lines


def status_quo_comparison(plan: Design, level: float) -> pd.DataFrame:
    """Every jurisdiction's status quo compared with China's, paired by replication."""
    runs = plan.runs[plan.runs[ARM] == STATUS_QUO].copy()
    runs[ARM] = runs[KEY]
    return compare(runs.drop(columns=[KEY]), BASELINE, level)


def resemblance_table(table: pd.DataFrame, status_quo: pd.DataFrame) -> pd.DataFrame:
    """Per reform resembling a foreign system (:data:`RESEMBLES`) and shown outcome: the reform's paired effect in
    China and the system's paired difference from China, with their CIs."""
    china = table[table[KEY] == BASELINE]
    rows = []
    for reform, jurisdiction, rule in RESEMBLES:
        for outcome in SHOWN:
            ours = china[(china[ARM] == reform) & (china["outcome"] == outcome)]
            theirs = status_quo[(status_quo[ARM] == jurisdiction) & (status_quo["outcome"] == outcome)]
            if ours.empty or theirs.empty:
                continue
            a, b = ours.iloc[0], theirs.iloc[0]
            rows.append({"reform": reform, "jurisdiction": jurisdiction, "rule": rule, "outcome": outcome,
                         "reform_diff": a["diff"], "reform_low": a["diff_ci_low"], "reform_high": a["diff_ci_high"],
                         "system_diff": b["diff"], "system_low": b["diff_ci_low"], "system_high": b["diff_ci_high"],
                         "same_sign": bool(a["diff"] * b["diff"] > 0)})
    return pd.DataFrame(rows)
