"""`bargainsim-brief RESULTS_DIR [--reform NAME] [--out DIR]`: a two-page policy brief on one reform, from a
robustness study's report (``results/robustness``).

National accounts per year: the reform's effect per suspect at each posterior draw, times a year's suspects —
pleas, trials, innocent pleas, prison-years, detention-days, and prosecutors' and judges' full-time equivalents —
each with its median and 90% interval over the posterior; then the conclusions that hold whatever the assumptions,
the fragile ones with the region of parameters in which they flip (PRIM), and the assumptions the figures rest on.
Written as Markdown and as a self-contained HTML page (figures embedded).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bargainsim.analysis import OUTCOMES
from bargainsim.apps.scripts import ArgumentParser, guarded
from bargainsim.harness.files import write_atomic
from bargainsim.harness.robustness import ACCOUNTS, DRAW, ROBUST, direction
from bargainsim.params import Caseload, ConfigError

logger = logging.getLogger(__name__)

PERSONS_PER_YEAR = 1_698_000 / 0.869
"""Suspects whose cases the procuratorates concluded in a year: 1.698 million persons under plea leniency at an
application rate of 86.9% (SPP 2024 white paper via seeds/004; DOMAIN.md §5) ⇒ about 1.954 million."""
WORKING_DAYS_PER_YEAR = 250
"""Working days in a year: 365 − 104 weekend days − 11 public holidays (State Council holiday rules)."""


@dataclass(frozen=True)
class Account:
    """One line of the national accounts: the per-suspect figure it scales and how."""

    label: str
    unit: str
    outcome: str
    scale: float
    decimals: int


def accounts(caseload: Caseload) -> list[Account]:
    """The national accounts: each outcome's effect per suspect times the suspects of a year (innocent pleas:
    times the share of innocent suspects; full-time equivalents: hours ÷ a year's working hours)."""
    year_hours = caseload.hours_per_day * WORKING_DAYS_PER_YEAR
    n = PERSONS_PER_YEAR
    return [Account("Pleas", "persons", "application_rate", n, 0),
            Account("Contested trials", "persons", "trial_rate", n, 0),
            Account("Innocent suspects who plead", "persons", "innocent_plea_rate", n * caseload.innocent_share, 0),
            Account("Prison time", "prison-years", "prison_months", n / 12.0, 0),
            Account("Pre-trial detention", "detention-days", "detention_days", n, 0),
            Account("Prosecutors", "full-time equivalents", "prosecutor_hours", n / year_hours, 0),
            Account("Judges", "full-time equivalents", "court_hours", n / year_hours, 0)]


def read_results(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A robustness report's per-draw effects, conclusions, PRIM boxes and evaluated draws; ConfigError if the
    directory is not one."""
    needed = {"effects": "effects.csv", "robustness": "robustness.csv", "prim": "prim.csv",
              "points": "points.parquet"}
    missing = [name for name in needed.values() if not (directory / name).is_file()]
    if missing:
        raise ConfigError(f"RESULTS_DIR {str(directory)!r} is not a robustness report (missing "
                          f"{', '.join(missing)}); write one with bargainsim-report multirun/robustness --out "
                          "results/robustness")
    prim = directory / needed["prim"]
    return (pd.read_csv(directory / needed["effects"]), pd.read_csv(directory / needed["robustness"]),
            pd.read_csv(prim) if prim.stat().st_size > 1 else pd.DataFrame(),
            pd.read_parquet(directory / needed["points"]))


def national_draws(effects: pd.DataFrame, reform: str, caseload: Caseload) -> list[tuple[Account, np.ndarray]]:
    """Per account the study records: the reform's national effect per year at each posterior draw."""
    drawn = []
    for account in accounts(caseload):
        values = effects[(effects["reform"] == reform) & (effects["outcome"] == account.outcome)]["effect"]
        values = values.dropna().to_numpy(float) * account.scale
        if len(values):
            drawn.append((account, values))
    return drawn


def national(effects: pd.DataFrame, reform: str, caseload: Caseload) -> pd.DataFrame:
    """Per account: the reform's national effect per year at each draw's median, 90% interval and sign share."""
    rows = []
    for account, values in national_draws(effects, reform, caseload):
        sign, share = direction(values)
        rows.append({"account": account.label, "unit": account.unit, "outcome": account.outcome,
                     "median": float(np.median(values)), "q05": float(np.quantile(values, 0.05)),
                     "q95": float(np.quantile(values, 0.95)), "direction": sign, "sign_share": share,
                     "robust": share >= ROBUST, "decimals": account.decimals})
    return pd.DataFrame(rows)


def _amount(value: float, decimals: int) -> str:
    return f"{value:+,.{decimals}f}"


def _figure_png(effects: pd.DataFrame, reform: str, caseload: Caseload) -> bytes:
    """Small multiples: each account's national effect over the posterior draws."""
    from matplotlib.figure import Figure

    shown = national_draws(effects, reform, caseload)
    columns = 4
    rows = -(-len(shown) // columns)
    fig = Figure(figsize=(10, 2.1 * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, (account, values) in zip(axes, shown):
        ax.hist(values, bins=20, color="#4c72b0", alpha=0.75)
        ax.axvline(0.0, color="#444444", linestyle="--", linewidth=1)
        ax.axvline(float(np.median(values)), color="#c44e52", linewidth=1.5)
        ax.set_title(f"{account.label} ({account.unit})", fontsize="small")
        ax.set_yticks([])
        ax.tick_params(axis="x", labelsize="x-small")
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    fig.suptitle(f"{reform}: national effect per year over the posterior draws (red: median)", fontsize="medium")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def brief_markdown(reform: str, table: pd.DataFrame, conclusions: pd.DataFrame, prim: pd.DataFrame,
                   points: pd.DataFrame, caseload: Caseload, figure: str, source: Path) -> str:
    """The brief's text."""
    draws = points[DRAW].nunique()
    rows = "\n".join(f"| {r.account} | {r.unit} | {'**' if r.robust else ''}{_amount(r.median, r.decimals)}"
                     f"{'**' if r.robust else ''} | [{_amount(r.q05, r.decimals)}, {_amount(r.q95, r.decimals)}] "
                     f"| {r.sign_share:.0%} |" for r in table.itertuples())
    mine = conclusions[conclusions["reform"] == reform]
    robust, fragile = mine[mine["robust"]], mine[~mine["robust"]]

    def title(name: str) -> str:
        return OUTCOMES[name].title if name in OUTCOMES else name.replace("_", " ")

    def said(r: object) -> str:
        verb = "raises" if r.direction > 0 else "lowers" if r.direction < 0 else "leaves unchanged"
        return f"{verb} **{title(r.outcome).lower()}** (median {r.median:+.3g}, 90% of draws in " \
               f"[{r.q05:+.3g}, {r.q95:+.3g}]; the sign holds in {r.sign_share:.0%} of the draws)"

    holds = "\n".join(f"- It {said(r)}." for r in robust.itertuples()) or "- None."
    lines = []
    boxes = prim[prim["reform"] == reform] if not prim.empty else prim
    for r in fragile.itertuples():
        box = boxes[boxes["outcome"] == r.outcome] if not boxes.empty else boxes
        where = ""
        if not box.empty:
            b = box.iloc[0]
            limits = "; ".join(f"`{name}` is in [{low:.3g}, {high:.3g}]"
                               for name, (low, high) in json.loads(b["limits"]).items()) or "anywhere"
            where = f" It flips mostly where {limits} (PRIM: coverage {b['coverage']:.0%}, density " \
                    f"{b['density']:.0%})."
        lines.append(f"- Uncertain: it {said(r)}.{where}")
    fragile_text = "\n".join(lines) or "- None: every effect keeps its sign across the posterior."
    names = [c for c in points.columns if c not in (DRAW, "reform", "replication", "seed", "n_cases", *OUTCOMES,
                                                    *ACCOUNTS)]
    spans = points.groupby(DRAW).first()[names]
    assumed = "\n".join(f"| `{name}` | {spans[name].quantile(0.05):.3g} – {spans[name].quantile(0.95):.3g} |"
                        for name in names)
    return f"""# Policy brief: {reform.replace("_", " ")}

*From the robustness study in `{source}`: the status quo and the reform at {draws} draws from the posterior
calibration of the model's behaviour to the 2024 national figures, each on the same simulated cases.*

## National effect per year

A year's {PERSONS_PER_YEAR / 1e6:.2f} million suspects (SPP 2024), the reform against the status quo. Median over
the posterior draws, the interval that holds 90% of them, and the share of draws that agree on the direction
(bold where at least {ROBUST:.0%} do).

| | unit | effect | 90% of draws | same sign |
|---|---|---:|---:|---:|
{rows}

![national effects]({figure})

## What holds whatever the assumptions

{holds}

## What depends on the assumptions

{fragile_text}

## What the figures rest on

- The model's behaviour, uncertain within what the national figures allow (the posterior; 5–95% of the draws):

| parameter | range over the draws |
|---|---|
{assumed}

- Fixed assumptions: {caseload.innocent_share:.0%} of suspects factually innocent (innocent pleas scale with it);
  {caseload.hours_per_day:g} working hours a day and {WORKING_DAYS_PER_YEAR} working days a year for a full-time
  equivalent; detention-days count calendar days from arrival to judgment for suspects detained on arrival and
  not released on counsel's argument. Every other rule is the 2018 Criminal Procedure Law's status quo with the
  reform's changes (docs/model.md).
- Each draw's effect is itself estimated from simulated cases; its Monte Carlo error is in the study's report
  (`report.md`, `robustness.csv`).
"""


def to_html(markdown_text: str, images: dict[str, bytes], title: str) -> str:
    """A self-contained HTML page of the brief, its figures embedded."""
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables"])
    for name, data in images.items():
        body = body.replace(f'src="{name}"', f'src="data:image/png;base64,{base64.b64encode(data).decode()}"')
    style = ("body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.4}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:0.2em 0.5em}img{max-width:100%}")
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{style}</style></head><body>{body}</body></html>\n")


def write_brief(directory: Path, reform: str, out_dir: Path) -> dict[str, Path]:
    """Write ``brief_<reform>.md``, its figure and ``brief_<reform>.html`` into ``out_dir``."""
    effects, conclusions, prim, points = read_results(directory)
    reforms = sorted(set(effects["reform"]))
    if reform not in reforms:
        raise ConfigError(f"--reform {reform} is not in {directory}'s study; choose one of: {', '.join(reforms)}")
    caseload = Caseload()
    table = national(effects, reform, caseload)
    figure_name = f"brief_{reform}.png"
    png = _figure_png(effects, reform, caseload)
    text = brief_markdown(reform, table, conclusions, prim, points, caseload, figure_name, directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "figure": write_atomic(out_dir / figure_name, lambda p: p.write_bytes(png)),
        "table": write_atomic(out_dir / f"brief_{reform}.csv", lambda p: table.to_csv(p, index=False)),
        "markdown": write_atomic(out_dir / f"brief_{reform}.md", lambda p: p.write_text(text, encoding="utf-8")),
        "html": write_atomic(out_dir / f"brief_{reform}.html", lambda p: p.write_text(
            to_html(text, {figure_name: png}, f"Policy brief: {reform}"), encoding="utf-8")),
    }


def main(argv: list[str] | None = None) -> int:
    """`bargainsim-brief RESULTS_DIR [--reform NAME] [--out DIR]`."""
    p = ArgumentParser(prog="bargainsim-brief", description=__doc__.split("\n\n")[0])
    p.add_argument("results_dir", metavar="RESULTS_DIR", help="a robustness study's report (results/robustness)")
    p.add_argument("--reform", default="full_package", help="the reform to brief on (default: full_package)")
    p.add_argument("--out", metavar="DIR", help="where to write the brief (default: brief beside RESULTS_DIR)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    directory = Path(args.results_dir)
    out_dir = Path(args.out) if args.out else directory.resolve().parent / "brief"

    def brief() -> int:
        if not directory.is_dir():
            raise ConfigError(f"RESULTS_DIR {str(directory)!r} is not a directory")
        files = write_brief(directory, args.reform, out_dir)
        sys.stdout.write(f"Brief on {args.reform} in {out_dir}:\n")
        for path in files.values():
            sys.stdout.write(f"  {path.name}\n")
        return 0

    return guarded(p.prog, brief)


if __name__ == "__main__":
    sys.exit(main())
