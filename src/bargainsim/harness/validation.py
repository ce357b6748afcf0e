"""The validation suite's run (`bargainsim-validate`, `make validate`): every arm on the registered protocol's cases,
each registered fact measured and judged (:mod:`bargainsim.analysis.validation`), the table written as CSV and
Markdown.

The facts (conf/validation/facts.yaml) are read, never fitted; the run's size and seed are the registration's
(conf/validate.yaml). The records of the arms the measures compare are kept (their needed columns only); the
others stream past the check of 上诉不加刑 and are dropped.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from bargainsim.analysis.tables import to_frame
from bargainsim.analysis.validation import COUNSEL_ARM, VIGNETTE, AppealCheck, evaluate, fact_verdicts
from bargainsim.analysis.vignette import acceptance_table
from bargainsim.core.record import STATUS_QUO
from bargainsim.harness.config import Settings, config_dir
from bargainsim.harness.experiment import execute, tasks_for
from bargainsim.harness import vignette
from bargainsim.harness.files import ensure_writable, write_atomic, write_provenance
from bargainsim.params import ConfigError

logger = logging.getLogger(__name__)

KEPT_ARMS = (STATUS_QUO, COUNSEL_ARM)


def facts_path() -> Path:
    return config_dir() / "validation" / "facts.yaml"


def load_facts(path: Path | None = None) -> list[dict]:
    """The registered facts, in registration order."""
    path = facts_path() if path is None else path
    return OmegaConf.to_container(OmegaConf.load(path), resolve=False)["facts"]


@dataclass
class Validation:
    table: pd.DataFrame
    files: dict[str, Path]


def check_arms(settings: Settings) -> None:
    """The run has the arms the facts compare (ConfigError naming ``reform`` otherwise)."""
    labels = {arm.label for arm in settings.arms}
    missing = [label for label in KEPT_ARMS if label not in labels]
    if missing:
        raise ConfigError(f"reform: the validation needs the arms {', '.join(KEPT_ARMS)}; "
                          f"{', '.join(missing)} is not selected (omit reform to run every arm)")


def simulate_arms(settings: Settings) -> tuple[dict[str, pd.DataFrame], AppealCheck]:
    """Every arm of ``settings`` on the same cases: the kept arms' records, and the appeal check over all."""
    check_arms(settings)
    kept: dict[str, list[pd.DataFrame]] = {label: [] for label in KEPT_ARMS}
    appeals = AppealCheck()
    for table in execute(tasks_for(settings), settings.jobs, settings.progress):
        label = table.column("reform")[0].as_py() if table.num_rows else None
        frame = to_frame(table if label in kept else table.select(list(AppealCheck.COLUMNS)))
        appeals.add(frame)
        if label in kept:
            kept[label].append(frame)
    return {label: pd.concat(frames, ignore_index=True) for label, frames in kept.items()}, appeals


def vignette_tables(settings: Settings) -> pd.DataFrame:
    """The Plea-Justice grid (conf/vignette/plea_justice.yaml) under the run's behaviour, once per replication with
    suspects drawn from the run's seed and the replication."""
    grid = vignette.load(config_dir() / "vignette" / "plea_justice.yaml")
    tables = []
    for replication in range(settings.replications):
        options = dataclasses.replace(grid.options, seed=settings.seed + replication)
        table = acceptance_table(grid.design, settings.behaviour, options)
        tables.append(table.assign(replication=replication))
    return pd.concat(tables, ignore_index=True)


def format_markdown(table: pd.DataFrame, facts: list[dict], settings: Settings) -> str:
    """The validation table with each fact's statement and source."""
    by_id = {fact["id"]: fact for fact in facts}
    counts = fact_verdicts(table)
    lines = [
        "# Validation: facts the calibration did not use",
        "",
        f"Status quo and every reform arm, seed {settings.seed}, {settings.replications} replications × "
        f"{settings.n_cases:,} cases (the registered protocol: conf/validation/facts.yaml). Mean over replications "
        "and Student-t 95% CI. A magnitude passes inside its registered band; a direction passes when its CI "
        "excludes 0 with the expected sign. A fact passes when every one of its judged measures does.",
        "",
        f"Facts: {len(counts)}; " + ", ".join(f"{verdict} {n}" for verdict, n in counts.value_counts().items()) + ".",
        "",
        "| fact | kind | measure | published | band | model | 95% CI | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        published = "" if pd.isna(row.published) else f"{row.published:.4g}"
        ci = "" if pd.isna(row.ci_low) else f"[{row.ci_low:.4g}, {row.ci_high:.4g}]"
        model = "" if pd.isna(row.mean) else f"{row.mean:.4g}"
        note = f" ({row.note})" if row.note else ""
        lines.append(f"| `{row.fact}` | {row.kind} | {row.measure}{note} | {published} | {row.band} | {model} | {ci} "
                     f"| {row.verdict} |")
    lines += ["", "## The facts", ""]
    for fact_id in counts.index:
        fact = by_id[fact_id]
        lines += [f"**`{fact_id}`** — {' '.join(str(fact['statement']).split())}", "",
                  f"Source: {' '.join(str(fact['source']).split())}", ""]
    return "\n".join(lines) + "\n"


def run(settings: Settings, out_dir: Path | str) -> Validation:
    """Simulate, measure, judge; write validation.csv, validation.md and run.json into ``out_dir``."""
    out_dir = Path(out_dir)
    ensure_writable(out_dir)
    facts = load_facts()
    arms, appeals = simulate_arms(settings)
    table = evaluate(facts, {**arms, VIGNETTE: vignette_tables(settings)}, appeals)
    report = format_markdown(table, facts, settings)
    files = {
        "table": write_atomic(out_dir / "validation.csv", lambda p: table.to_csv(p, index=False)),
        "report": write_atomic(out_dir / "validation.md", lambda p: p.write_text(report, encoding="utf-8")),
        "provenance": write_provenance(settings, out_dir),
    }
    return Validation(table, files)


def format_console(table: pd.DataFrame) -> str:
    """Fact, model figure and verdict, for the terminal."""
    lines = [f"{'fact':<42}{'model':>10}{'95% CI':>22}  verdict"]
    for row in table.itertuples():
        ci = "" if pd.isna(row.ci_low) else f"[{row.ci_low:.4g}, {row.ci_high:.4g}]"
        model = "" if pd.isna(row.mean) else f"{row.mean:.4g}"
        lines.append(f"{row.fact:<42}{model:>10}{ci:>22}  {row.verdict}")
    return "\n".join(lines)
