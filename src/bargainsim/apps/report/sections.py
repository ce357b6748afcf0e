"""The sections of a sweep's report.md, each writing the tables and figures it shows: the comparison of arms (by
scenario, over a grid, by offense track), the Sobol indices of a sensitivity study, and the sweep's configuration."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from bargainsim import analysis
from bargainsim.analysis import ALL_OUTCOMES, FROM_CASES, HEADLINE, OUTCOMES, STATUS_QUO
from bargainsim.apps.report.comparison import (
    ALPHA,
    TRACK,
    Design,
    by_track,
    cell_label,
    comparisons,
    design,
    outcome_table,
)
from bargainsim.apps.report.jobs import ARM, JOB, Sweep
from bargainsim.apps.report.jurisdictions import jurisdiction_sections
from bargainsim.harness import robustness, sensitivity
from bargainsim.harness.config import reform_catalogue
from bargainsim.harness.files import write_atomic
from bargainsim.reporting import plots
from bargainsim.reporting.formatting import format_console, number, value_text

# Grids with more cells than this get heatmaps only (a by-arm figure of 50 cells reads badly and weighs MBs).
MAX_ARM_FIGURES = 16
# Outcomes drawn as heatmaps over a grid: voluntariness and its information components, leniency, efficiency.
GRID_OUTCOMES = ("voluntariness", "defense_influence", "belief_error", "innocent_plea_rate", "discount",
                 "days_to_disposition")
# Who pleads and what sentences follow, shown per arm when the jobs kept their cases (the outcomes of FROM_CASES
# are computed from them): the figures of a guideline study (Bar-Gill & Gazal-Ayal 2006).
SENTENCING = ("application_rate", "trial_rate", "guilty_plea_rate", "innocent_plea_rate", "innocent_conviction_rate",
              "sentence_guilty", "sentence_convicted", "sentence_innocent")


class ReportFiles:
    """The files a report writes into a directory, by name, in the order written."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.written: dict[str, Path] = {}

    def write(self, name: str, write: Callable[[Path], object]) -> str:
        """Write one file (atomically, by ``write`` given a temporary path); its name."""
        self.written[name] = write_atomic(self.directory / name, write)
        return name

    def frame(self, name: str, frame: pd.DataFrame, formats: tuple[str, ...] = ("csv",)) -> None:
        """A table as ``name.csv`` and/or ``name.parquet``."""
        for kind in formats:
            save = frame.to_csv if kind == "csv" else frame.to_parquet
            self.write(f"{name}.{kind}", lambda p, save=save: save(p, index=False))


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in str(text))


def _by_scenario(table: pd.DataFrame, scenarios: list[str]) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """Each scenario's part of a table with its title and the suffix of its figures' names (for a sweep without
    scenarios: the whole table, no title, no suffix)."""
    if not scenarios:
        yield "", "", table
        return
    for values, part in table.groupby(scenarios, sort=False):
        values = values if isinstance(values, tuple) else (values,)
        title = ", ".join(f"`{key}` = {value_text(value)}" for key, value in zip(scenarios, values))
        yield title, "_" + _safe("_".join(value_text(v) for v in values)), part


def comparison_sections(result: Sweep, files: ReportFiles, baseline: str | None, level: float) -> list[str]:
    """The comparison of arms: how to read it, each scenario's results, grid heatmaps and the tracks' results."""
    plan = design(result, baseline)
    order = [STATUS_QUO, *[name for name, entries in reform_catalogue().items() if entries]] \
        if plan.kind == "reforms" else None
    files.frame("metrics", plan.runs, ("csv", "parquet"))
    table = comparisons(plan, level)
    files.frame("comparison", table)
    lines = ["", "## How to read this report", "",
             f"Each arm is compared with `{plan.baseline}`"
             + (" of the same scenario" if plan.scenarios else "")
             + ", pairing runs by replication: paired runs share their cases and institution (common random "
               "numbers). Means and paired differences carry Student-t 95% confidence intervals over "
               "replications; d_z is the mean paired difference divided by the SD of the differences; p is the "
               "paired t-test; p (Holm) adjusts p over the arms compared on one outcome (Holm-Bonferroni, "
               f"family-wise error {ALPHA:g}); `*` marks differences significant after adjustment. "
               "Every outcome for every arm is in `comparison.csv`; the runs behind it in `metrics.csv`."]
    if plan.note:
        lines += ["", plan.note]
    lines += jurisdiction_sections(plan, table, files, level)
    for title, suffix, part in _by_scenario(table, plan.scenarios):
        lines += ["", f"## Scenario: {title}" if title else "## Results"]
        lines += _scenario_results(part, plan, files, suffix, order)
    sentencing = not FROM_CASES.keys().isdisjoint(table["outcome"])
    if sentencing:
        lines += _sentencing_section(table, plan)
    if plan.kind == "grid" and len(plan.grid) >= 2:
        extra = tuple(name for name in SENTENCING if sentencing and name not in GRID_OUTCOMES)
        lines += _grid_heatmaps(table, plan, files, GRID_OUTCOMES + extra)
    tracks = by_track(result, plan, level)
    if tracks is not None:
        lines += _track_sections(tracks, plan, files, order)
    return lines


def _scenario_results(part: pd.DataFrame, plan: Design, files: ReportFiles, suffix: str,
                      order: list[str] | None) -> list[str]:
    """One scenario's headline table, its by-arm and trade-off figures, and a table per headline outcome."""
    summary = part[analysis.SUMMARY_COLUMNS]
    lines = ["", "Headline outcomes, all arms at a glance (details per outcome below):", "", "```text",
             format_console(summary), "```"]
    if plan.kind == "grid" and len(plan.grid) >= 2 and summary[ARM].nunique() > MAX_ARM_FIGURES:
        lines += ["", f"With {summary[ARM].nunique()} grid cells, the heatmaps below take the place of the "
                      "by-arm and trade-off figures."]
    else:
        outcomes_png = files.write(f"outcomes_by_arm{suffix}.png",
                                   lambda p: plots.plot_outcomes_by_reform(summary, p, order=order))
        tradeoff_png = files.write(f"tradeoff{suffix}.png", lambda p: plots.plot_tradeoff(summary, p, order=order))
        lines += ["", f"![Headline outcomes by arm]({outcomes_png})", "",
                  f"![Voluntariness vs days to disposition]({tradeoff_png})"]
    for outcome in [name for name in HEADLINE if name in set(part["outcome"])] + ["defense_influence"]:
        lines += ["", f"### {OUTCOMES[outcome].label}", "", outcome_table(part, outcome, plan.baseline)]
    return lines


def _sentencing_section(table: pd.DataFrame, plan: Design) -> list[str]:
    """Per arm (each scenario apart): who pleads by guilt, trials, innocent convictions and sentence lengths, each
    a mean with its CI."""
    names = [name for name in SENTENCING if name in set(table["outcome"])]
    lines = ["", "## Pleas, trials and sentences", "",
             "Who pleads, guilty or innocent, and the sentences that follow (computed from the jobs' "
             "`cases.parquet`): means over replications with 95% CIs. Sentences are in months; an innocent "
             "suspect's punishment counts 0 when not convicted. Differences from the baseline are in "
             "`comparison.csv`."]
    header = "| Arm | " + " | ".join(ALL_OUTCOMES[name].label for name in names) + " |"
    for title, _, part in _by_scenario(table, plan.scenarios):
        rows = part.set_index([ARM, "outcome"])
        lines += ["", f"### Scenario: {title}", ""] if title else [""]
        lines += [header, "|---|" + "---:|" * len(names)]
        for arm in dict.fromkeys(part[ARM]):
            cells = []
            for name in names:
                row, d = rows.loc[(arm, name)], ALL_OUTCOMES[name].decimals
                cells.append(f"{number(row['mean'], d)} [{number(row['ci_low'], d)}, {number(row['ci_high'], d)}]")
            lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    return lines


def _grid_heatmaps(table: pd.DataFrame, plan: Design, files: ReportFiles, outcomes: tuple[str, ...]) -> list[str]:
    """Heatmaps of the grid ``outcomes`` over the first two grid parameters, faceted by the others."""
    lines = ["", "## Grid heatmaps", ""]
    x, y, *facets = plan.grid
    summary = table.set_index(ARM)
    keys = plan.runs.drop_duplicates(ARM).set_index(ARM)[plan.grid]
    for outcome in outcomes:
        rows = keys.join(summary[summary["outcome"] == outcome][["mean", "ci_low", "ci_high", "level"]])
        facet = facets[0] if len(facets) == 1 else None
        if len(facets) > 1:
            facet = "facet"
            rows[facet] = rows[facets].apply(lambda r: cell_label(r.to_dict()), axis=1)
        name = files.write(f"heatmap_{outcome}.png", lambda p, r=rows, o=outcome, f=facet:
                           plots.plot_heatmaps(r, p, o, x, y, f))
        lines += [f"![{ALL_OUTCOMES[outcome].title} over the grid]({name})", ""]
    return lines


def _track_sections(tracks: pd.DataFrame, plan: Design, files: ReportFiles, order: list[str] | None) -> list[str]:
    """Each arm's outcomes among misdemeanor and felony cases separately, per scenario."""
    files.frame("comparison_by_track", tracks)
    lines = ["", "## By offense track", "",
             "Each arm's outcomes among misdemeanor and felony cases separately (from the jobs' "
             "`cases.parquet`); all outcomes in `comparison_by_track.csv`."]
    for title, suffix, part in _by_scenario(tracks, plan.scenarios):
        if title:
            lines += ["", f"### Scenario: {title}"]
        name = files.write(f"tracks{suffix}.png", lambda p, s=part: plots.plot_levels_by_group(
            s, p, TRACK, [*HEADLINE, "defense_influence"], order=order))
        lines += ["", f"![Outcomes by track]({name})"]
        for track, rows in part.groupby(TRACK, sort=True):
            for outcome in ("voluntariness", "discount", "days_to_disposition"):
                lines += ["", f"#### {track}: {OUTCOMES[outcome].label}", "",
                          outcome_table(rows, outcome, plan.baseline)]
    return lines


def sensitivity_sections(result: Sweep, files: ReportFiles, level: float) -> list[str]:
    """The Sobol indices: how to read them, the parameters' ranges, and per target a figure and the parameter with
    the largest total index per outcome."""
    points, spec = result.points, result.sensitivity
    files.frame("points", points, ("parquet",))
    table = sensitivity.indices(points, spec, result.seed, level=level)
    files.frame("sobol", table)
    lines = ["", "## How to read this report", "",
             f"Sobol indices over {len(spec.parameters)} uncertain parameters (Saltelli design, N = {spec.n_base}, "
             f"{points[sensitivity.POINT].nunique()} points, each run over "
             f"{points['replication'].nunique()} replications with common random numbers). S1 is the share of an "
             "outcome's variance due to a parameter alone; ST includes its interactions. Intervals are "
             f"{level:.0%} bootstrap CIs ({sensitivity.RESAMPLES} resamples). Targets are the arms' levels and, for a "
             "reform arm, its paired effect against the status quo. All indices in `sobol.csv`, the evaluated "
             "points in `points.parquet`.", "", "| Parameter | Range |", "|---|---|"]
    lines += [f"| `{key}` | [{low:g}, {high:g}] |" for key, low, high in spec.parameters]
    for target in dict.fromkeys(table["target"]):
        name = files.write(f"sobol_{_safe(target.replace(' − ', '_vs_'))}.png",
                           lambda p, t=target: plots.plot_sobol(table, p, t))
        lines += ["", f"## {target}", "", f"![Sobol indices of {target}]({name})", "",
                  "Largest total index per outcome:", "", "| Outcome | Parameter | S1 [CI] | ST [CI] |",
                  "|---|---|---:|---:|"]
        for outcome, rows in table[table["target"] == target].groupby("outcome", sort=False):
            if rows["ST"].isna().all():
                lines.append(f"| {OUTCOMES[outcome].title} | (constant or undefined) | | |")
                continue
            top = rows.loc[rows["ST"].idxmax()]
            lines.append(f"| {OUTCOMES[outcome].title} | `{top['parameter']}` | {top['S1']:.2f} ± "
                         f"{top['S1_conf']:.2f} | {top['ST']:.2f} ± {top['ST_conf']:.2f} |")
    return lines


ROBUSTNESS_OUTCOMES: tuple[str, ...] = (*HEADLINE, "trial_rate", "court_hours", "sentence_convicted")
"""The outcomes whose robustness a robustness report gives."""


def robustness_sections(result: Sweep, files: ReportFiles, level: float) -> list[str]:
    """What holds whatever the assumptions: per reform and outcome, the median effect over the posterior draws,
    its 90% interval, the Monte Carlo CI at one draw and the share of draws keeping its sign; PRIM's box of the
    parameters where a fragile effect flips."""
    points, spec = result.points, result.robustness
    outcomes = [name for name in ROBUSTNESS_OUTCOMES if name in points.columns]
    per_draw = robustness.effects(points, [*outcomes, *(name for name in robustness.ACCOUNTS if name in points)])
    table = robustness.conclusions(per_draw)
    parameters = points.groupby(robustness.DRAW, sort=True).first()[
        [c for c in points.columns if c not in (robustness.DRAW, ARM, "replication", "seed", "n_cases", *OUTCOMES,
                                                *robustness.ACCOUNTS)]
    ].reset_index()
    boxes = [box for row in table[~table["robust"]].itertuples()
             if (box := robustness.flip_region(per_draw, parameters, row.reform, row.outcome)) is not None]
    files.frame("points", points, ("parquet",))
    files.frame("effects", per_draw)
    files.frame("robustness", table)
    files.frame("prim", pd.DataFrame([{**{k: v for k, v in box.items() if k != "limits"},
                                       "limits": json.dumps(box["limits"])} for box in boxes]))
    figure = files.write("robustness.png", lambda p: plots.plot_robustness(per_draw, table, p))
    n_draws = points[robustness.DRAW].nunique()
    replications = points["replication"].nunique()
    lines = ["", "## How to read this report", "",
             f"Every arm at {n_draws} draws from the posterior calibration (`{spec.posterior}`, systematic "
             f"resampling, seed {spec.seed}), each draw over {replications} replications with common random "
             "numbers (every arm and every draw see replication r's cases). An effect is a reform's paired "
             "difference from the status quo at one draw (mean over its replications). Per reform and outcome: "
             "the median effect over the draws, its 90% interval over the posterior (what we do not know about "
             "the behaviour), ± the median half-width of the 95% Monte Carlo CI at one draw (replication noise), "
             f"and the share of draws giving the effect the sign most of them give it — **robust** at "
             f"{robustness.ROBUST:.0%} or more. Per draw in `effects.csv`, per reform in `robustness.csv`, the "
             "evaluated draws in `points.parquet`.", "",
             "## What holds whatever the assumptions", ""]
    headline = [name for name in HEADLINE if name in outcomes]
    lines += ["| Reform | " + " | ".join(OUTCOMES[name].title for name in headline) + " |",
              "|---|" + "---:|" * len(headline)]
    for arm, rows in table.groupby("reform", sort=False):
        cells = []
        for name in headline:
            row = rows[rows["outcome"] == name]
            if row.empty:
                cells.append("")
                continue
            r = row.iloc[0]
            d = ALL_OUTCOMES[name].decimals
            mark = "**" if r["robust"] else ""
            cells.append(f"{mark}{number(r['median'], d, True)}{mark} [{number(r['q05'], d, True)}, "
                         f"{number(r['q95'], d, True)}] ±{number(r['mc_half_width'], d)}; {r['sign_share']:.0%}")
        lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    robust = table[table["robust"]]
    fragile = table[~table["robust"]]
    lines += ["", f"Bold: robust (the sign holds in at least {robustness.ROBUST:.0%} of the draws). "
              f"{len(robust)} of {len(table)} reform × outcome effects are robust, {len(fragile)} fragile.", "",
              f"![effects over the posterior]({figure})", "", "## Where fragile effects flip (PRIM)", ""]
    if not boxes:
        lines.append("No effect changes sign in any draw.")
    else:
        lines += [f"PRIM (EMA Workbench) on the draws' parameters: the box in which the effect lacks the sign most "
                  f"draws give it — the densest on the peeling trajectory still covering "
                  f"{robustness.PRIM_COVERAGE:.0%} of the flips. Coverage: the share of flips inside; density: the "
                  "share of draws inside that flip; mass: the share of all draws inside.", "",
                  "| Reform | Outcome | Flips | Box (restricted parameters) | Coverage | Density | Mass |",
                  "|---|---|---:|---|---:|---:|---:|"]
        for box in boxes:
            limits = "; ".join(f"{name} ∈ [{low:.3g}, {high:.3g}]" for name, (low, high) in box["limits"].items())
            title = OUTCOMES[box["outcome"]].title if box["outcome"] in OUTCOMES else box["outcome"]
            lines.append(f"| {box['reform']} | {title} | {box['flips']}/{box['draws']} "
                         f"| {limits or '(none restricted)'} | {box['coverage']:.2f} | {box['density']:.2f} "
                         f"| {box['mass']:.2f} |")
    return lines


def config_section(result: Sweep) -> list[str]:
    """The sweep's jobs and configuration: directory, study, seeds, parameters, revisions and versions."""
    jobs = result.jobs
    lines = ["## Configuration", ""]
    lines.append(f"- Sweep directory: `{result.directory}`; study `{result.study}`.")
    lines.append(f"- Completed jobs: {len(jobs)}" + (f"; incomplete (left out): {', '.join(result.incomplete)}"
                                                     if result.incomplete else "; none incomplete") + ".")
    lines.append(f"- Root seed: {result.seed}.")
    for key in [k for k in jobs.columns if k not in (JOB, "path")]:
        values = list(dict.fromkeys(jobs[key].map(value_text)))
        lines.append(f"- `{key}`: {', '.join(values)}" + (" (swept)" if key in result.parameters else ""))
    revisions, versions = set(), set()
    for path in jobs["path"]:
        try:
            run = json.loads((Path(path) / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        revisions.add(str(run.get("git_revision")))
        versions.add(", ".join(f"{k} {v}" for k, v in run.get("versions", {}).items()))
    lines.append(f"- Git revision of the jobs: {', '.join(sorted(revisions)) or 'unknown'}.")
    lines.append(f"- Package versions: {'; '.join(sorted(versions)) or 'unknown'}.")
    if result.config:
        yaml = OmegaConf.to_yaml(OmegaConf.create(result.config)).rstrip()
        lines += ["", "<details><summary>The study's configuration (before each job's sweep overrides)</summary>",
                  "", "```yaml", yaml, "```", "", "</details>"]
    return lines
