"""The comparison summary (:func:`bargainsim.analysis.summarize`) as text: a Markdown report body, a terminal
table, and the numbers in their cells."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from bargainsim.analysis import GROUPS, HEADLINE, OUTCOMES, arm_order, summary_baseline, summary_level


def number(value: float, decimals: int, signed: bool = False) -> str:
    """Fixed-decimal number, without negative zero; ``n/a`` for NaN."""
    if pd.isna(value):
        return "n/a"
    value = round(float(value), decimals) + 0.0
    return f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"


def value_text(value: object) -> str:
    """A configuration value as a report shows it: a float in its shortest form (``0.5``, ``1e-05``)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def p_text(p: float) -> str:
    """A p-value for a table: three decimals, ``<0.001`` below that, blank for NaN."""
    if pd.isna(p):
        return ""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _cell(row: pd.Series, decimals: int, is_baseline: bool) -> str:
    """Table cell: mean [CI] for the baseline, mean (diff [CI]) for other arms."""
    text = number(row["mean"], decimals)
    if pd.isna(row["mean"]):
        return text
    if is_baseline:
        if pd.notna(row["ci_low"]):
            text += (f" [{number(row['ci_low'], decimals)}, "
                     f"{number(row['ci_high'], decimals)}]")
        return text
    if pd.isna(row["diff"]):
        return text
    diff = number(row["diff"], decimals, signed=True)
    if pd.notna(row["diff_ci_low"]):
        diff += (f" [{number(row['diff_ci_low'], decimals, signed=True)}, "
                 f"{number(row['diff_ci_high'], decimals, signed=True)}]")
    return f"{text} ({diff})"


def _compact_cell(row: pd.Series, decimals: int, is_baseline: bool) -> str:
    """Terminal cell: mean ±CI half-width for the baseline, mean (diff ±CI half-width) for other arms."""
    text = number(row["mean"], decimals)
    if pd.isna(row["mean"]):
        return text
    low, high, centre = ("ci_low", "ci_high", "mean") if is_baseline else ("diff_ci_low", "diff_ci_high", "diff")
    if pd.isna(row[centre]):
        return text
    spread = f"±{number((row[high] - row[low]) / 2.0, decimals)}" if pd.notna(row[low]) else ""
    return f"{text}{spread}" if is_baseline else f"{text} ({number(row[centre], decimals, signed=True)}{spread})"


def _select_outcomes(summary: pd.DataFrame, outcomes: Sequence[str] | None) -> list[str]:
    """Requested outcomes (default: all in the summary), checked against the summary."""
    present = list(dict.fromkeys(summary["outcome"]))
    if outcomes is None:
        return present
    absent = [name for name in outcomes if name not in present]
    if absent:
        raise ValueError(f"outcomes not in summary: {', '.join(absent)}")
    return list(outcomes)


def _replication_note(summary: pd.DataFrame) -> str:
    """'n = 30 replications' (or a range when arms differ)."""
    counts = summary.loc[summary["n"] > 0, "n"]
    if counts.empty:
        return "no replications"
    low, high = counts.min(), counts.max()
    return f"n = {low} replications" if low == high else f"n = {low}-{high} replications"


def _cells(summary: pd.DataFrame, outcomes: Sequence[str],
           cell: Callable[[pd.Series, int, bool], str]) -> list[list[str]]:
    """One row of cells per arm (baseline first): the arm, then ``cell(row, decimals, is_baseline)`` per outcome."""
    baseline = summary_baseline(summary)
    rows = summary.set_index(["reform", "outcome"])
    return [[arm, *(cell(rows.loc[(arm, name)], OUTCOMES[name].decimals, arm == baseline)
                    if (arm, name) in rows.index else "n/a" for name in outcomes)]
            for arm in arm_order(summary["reform"], baseline)]


def format_markdown(summary: pd.DataFrame, outcomes: list[str] | None = None) -> str:
    """Markdown report body: a legend and one arms-by-outcomes table per domain group."""
    selected = _select_outcomes(summary, outcomes)
    baseline, level = summary_baseline(summary), summary_level(summary)
    lines = [
        f"Cells: `{baseline}` shows the mean over replications [{level:.0%} CI]; "
        f"other arms show the mean (paired difference vs `{baseline}` [{level:.0%} CI]). "
        f"{_replication_note(summary)} per arm."
    ]
    for group in GROUPS:
        names = [name for name in selected if OUTCOMES[name].group == group]
        if not names:
            continue
        lines += ["", f"### {group.capitalize()}", ""]
        lines.append("| Arm | " + " | ".join(OUTCOMES[name].label for name in names) + " |")
        lines.append("|---|" + "---:|" * len(names))
        lines += [f"| {arm} | " + " | ".join(cells) + " |" for arm, *cells in _cells(summary, names, _cell)]
    return "\n".join(lines) + "\n"


def format_console(summary: pd.DataFrame, outcomes: Sequence[str] = HEADLINE) -> str:
    """Fixed-width terminal table of headline outcomes: mean (difference vs baseline), each ± the half-width of
    its confidence interval."""
    selected = [name for name in outcomes if name in set(summary["outcome"])]
    table = [["arm", *selected], *_cells(summary, selected, _compact_cell)]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [
        "  ".join([row[0].ljust(widths[0]),
                   *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:]))])
        for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append(f"mean (paired difference vs {summary_baseline(summary)}), ± half-width of the "
                 f"{summary_level(summary):.0%} CI; {_replication_note(summary)} per arm")
    return "\n".join(lines)
