"""Pictures of the imbalance: what each side believes against the truth, the bargaining range with each round's
offers and counters, and the flow of a week's cases through the stages.

Each picture is drawn from plain values (:class:`Beliefs`, :class:`Bargain`, flow paths) read from the model's
state by the readers here — for a played case, what the role knows (:func:`known_beliefs`, :func:`known_bargain`)
or, in the debrief and the levers' view, everything (:func:`beliefs_of`, :func:`bargain_of`).
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from bargainsim.apps.classroom.play import Briefing
from bargainsim.core.agents import Suspect
from bargainsim.core.procedure.information import lawyer_belief
from bargainsim.reporting.narration import Snapshots
from bargainsim.reporting.style import BASELINE_COLOUR, gridlines

NAN = math.nan
PROSECUTOR, DEFENSE, TRUTH, LAWYER = "#D55E00", "#0072B2", "#000000", "#009E73"
"""Okabe-Ito colours: the prosecution vermilion, the defense blue, its lawyer green, the truth black."""


# -- what the pictures show --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Belief:
    """One line of the beliefs picture: who, the conviction probability it believes or states, and its colour."""

    label: str
    value: float
    colour: str
    kind: str


def beliefs_of(suspect: Suspect, snapshots: Snapshots | None) -> list[Belief]:
    """Everything about a case's beliefs at the table, the truth included (the debrief, the levers' view)."""
    views, case = suspect.views, suspect.case
    table = snapshots.table if snapshots is not None and snapshots.table is not None else None
    lines = [Belief("The truth", case.conviction_probability, TRUTH, "truth"),
             Belief("The prosecutor believes", views.prosecutor_belief, PROSECUTOR, "prosecutor"),
             Belief("The prosecutor states", views.prosecutor_belief + views.overstatement, PROSECUTOR, "stated")]
    if suspect.counsel is not None and suspect.counsel_joined in ("investigation", "review"):
        lines.append(Belief("The lawyer reads the file as", lawyer_belief(suspect.model, suspect, views.capacity),
                            LAWYER, "lawyer"))
    lines.append(Belief("The suspect believes (at the table)", table.belief if table else views.belief, DEFENSE,
                        "suspect"))
    return lines


def known_beliefs(briefing: Briefing) -> list[Belief]:
    """What the role knows of the beliefs when it decides (no truth, no prosecutor's own belief)."""
    lines = [Belief("The prosecutor states", briefing.stated, PROSECUTOR, "stated")]
    if briefing.role == "lawyer":
        lines.append(Belief("Your reading of the file", briefing.own_belief, LAWYER, "lawyer"))
        lines.append(Belief("Your client believes", briefing.client_belief, DEFENSE, "suspect"))
    else:
        if not math.isnan(briefing.advice):
            lines.append(Belief("Your lawyer says", briefing.advice, LAWYER, "lawyer"))
        lines.append(Belief("You believe", briefing.own_belief, DEFENSE, "suspect"))
    return lines


@dataclass(frozen=True)
class Bargain:
    """A case's talks in months: each move (round, party, action, months), the trial sentence as the defense reads
    the file, and — where known to the viewer — the court's trial sentence, the least the prosecutor accepts,
    the most the suspect accepts, the signed terms and the court's sentence (NaN: not known)."""

    moves: tuple
    defense_trial: float
    trial_sentence: float = NAN
    prosecutor_limit: float = NAN
    suspect_limit: float = NAN
    terms: float = NAN
    sentence: float = NAN


def bargain_of(suspect: Suspect, snapshots: Snapshots | None) -> Bargain:
    """Everything about a case's talks (the debrief, the levers' view)."""
    views, talks, agreement, verdict = suspect.views, suspect.talks, suspect.agreement, suspect.verdict
    table = snapshots.table if snapshots is not None and snapshots.table is not None else None
    position = talks.position
    return Bargain(tuple(talks.moves), views.defense_trial, suspect.trial_sentence_months,
                   position.reservation if position is not None else NAN,
                   table.reservation if table else views.reservation,
                   agreement.recommendation if agreement.pleaded else NAN,
                   verdict.sentence if verdict.convicted else NAN)


def known_bargain(briefing: Briefing) -> Bargain:
    """What the role knows of the talks when it decides: the moves so far and the trial sentence as its side
    reads the file."""
    return Bargain(tuple(briefing.moves), briefing.trial_sentence)


def path_of(record: dict) -> tuple[str, str, str]:
    """A disposed-of case's way through the stages: after the talks, at first instance, after judgment."""
    if record["non_prosecution"]:
        return "not prosecuted", "not prosecuted", "final"
    talks = "plea signed" if record["signed"] else "no plea"
    if record["pleaded"]:
        court = "plea: court adopts" if record["adopted"] and not record["adjusted"] else "plea: court deviates"
    elif record["plea_rejected"]:
        court = "plea rejected: tried"
    else:
        court = "trial: convicted" if record["convicted"] else "trial: acquitted"
    return talks, court, "appealed or protested" if record["appealed"] or record["protested"] else "final"


STAGES = ("after the talks", "first instance", "after judgment")
NODES = (
    ("plea signed", "no plea", "not prosecuted"),
    ("plea: court adopts", "plea: court deviates", "plea rejected: tried", "trial: convicted", "trial: acquitted",
     "not prosecuted"),
    ("final", "appealed or protested"),
)
NODE_COLOURS = {
    "plea signed": DEFENSE, "no plea": PROSECUTOR, "not prosecuted": BASELINE_COLOUR,
    "plea: court adopts": "#56B4E9", "plea: court deviates": "#CC79A7", "plea rejected: tried": "#E69F00",
    "trial: convicted": PROSECUTOR, "trial: acquitted": LAWYER, "final": "#999999",
    "appealed or protested": "#000000",
}


# -- drawing -----------------------------------------------------------------------------------------------------
def _figure(n: int, width: float, height: float) -> tuple[Figure, list]:
    fig = Figure(figsize=(width * n, height), dpi=80, layout="constrained")
    axes = fig.subplots(1, n, squeeze=False, sharex=True).ravel().tolist()
    return fig, axes


def beliefs_figure(panels: Sequence[tuple[str, list[Belief]]], title: str) -> Figure:
    """Each panel's beliefs about the chance of conviction as dots on a 0–100% line (one row per side, shared by
    the panels), the truth as a dashed line, and an arrow from what the prosecutor believes to what it states
    (the overstatement)."""
    rows = list(dict.fromkeys((line.kind, line.label) for _, lines in panels for line in lines))
    ys = {row: len(rows) - 1 - i for i, row in enumerate(rows)}
    fig = Figure(figsize=(2.0 + 3.2 * len(panels), 0.9 + 0.42 * len(rows)), dpi=80, layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False, sharey=True).ravel().tolist()
    fig.suptitle(title, fontsize=11)
    for ax, (label, lines) in zip(axes, panels):
        values = {}
        for line in lines:
            y = ys[(line.kind, line.label)]
            values[line.kind] = (line.value, y)
            if math.isnan(line.value):
                ax.text(2, y, "not known", va="center", fontsize=8, color="#777777")
                continue
            if line.kind == "truth":
                ax.axvline(100 * line.value, color=TRUTH, lw=1.2, ls="--", zorder=1)
            ax.plot(100 * line.value, y, "o", color=line.colour, ms=9, zorder=3)
            ax.annotate(f"{100 * line.value:.0f}%", (100 * line.value, y), xytext=(-12, 0),
                        textcoords="offset points", ha="right", va="center", fontsize=8)
        if "prosecutor" in values and "stated" in values:
            (believed, y_from), (stated, y_to) = values["prosecutor"], values["stated"]
            if stated - believed > 0.005:
                ax.annotate("", (100 * stated, y_to), (100 * believed, y_from),
                            arrowprops={"arrowstyle": "->", "color": PROSECUTOR, "lw": 1.5})
                ax.text(3, (y_from + y_to) / 2, f"overstated by {100 * (stated - believed):.0f} points",
                        fontsize=8, color=PROSECUTOR, va="center")
        ax.set_xlim(-3, 103)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlabel("chance of conviction at trial (%)", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.set_title(textwrap.fill(label, 40), fontsize=9)
        gridlines(ax, "x")
    axes[0].set_yticks(list(ys.values()), [label for _, label in ys], fontsize=8)
    return fig


def range_figure(panels: Sequence[tuple[str, Bargain]], title: str) -> Figure:
    """Each panel's talks, round by round from the top: the prosecutor's offers (▼) and the defense's counters
    (●), the terms signed (★), the court's sentence (◆), the trial sentence as the defense reads the file
    (dashed) and the court's (dotted); where known, the range of deals both sides prefer to a trial (shaded)."""
    fig, axes = _figure(len(panels), 4.2, 2.8)
    fig.suptitle(title, fontsize=11)
    for ax, (label, bargain) in zip(axes, panels):
        rounds = max([move.round for move in bargain.moves] or [1])
        low, high = bargain.prosecutor_limit, bargain.suspect_limit
        if not (math.isnan(low) or math.isnan(high)):
            if low <= high:
                ax.axvspan(low, high, color=LAWYER, alpha=0.15, label="deals both prefer to a trial")
            else:
                ax.text(0.5, 0.98, "no deal both sides prefer to a trial", transform=ax.transAxes, ha="center",
                        va="top", fontsize=8, color="#555555")
            ax.axvline(low, color=PROSECUTOR, lw=0.8, alpha=0.6)
            ax.axvline(high, color=DEFENSE, lw=0.8, alpha=0.6)
        ax.axvline(bargain.defense_trial, color=DEFENSE, ls="--", lw=1.0,
                   label="trial sentence as the defense reads it")
        if not math.isnan(bargain.trial_sentence):
            ax.axvline(bargain.trial_sentence, color=TRUTH, ls=":", lw=1.0, label="court's trial sentence")
        for move in bargain.moves:
            prosecutor = move.party == "prosecutor"
            if move.action in ("accepts", "refuses"):
                marker, colour = ("*", LAWYER) if move.action == "accepts" else ("X", TRUTH)
                ax.plot(move.months, move.round, marker, color=colour, ms=13 if marker == "*" else 9, zorder=4)
                continue
            ax.plot(move.months, move.round, "v" if prosecutor else "o", color=PROSECUTOR if prosecutor else DEFENSE,
                    ms=8, zorder=3)
            ax.annotate(f"{move.months:.1f}", (move.months, move.round), xytext=(0, -12), textcoords="offset points",
                        ha="center", fontsize=7)
        if not math.isnan(bargain.sentence):
            ax.plot(bargain.sentence, rounds + 0.8, "D", color=TRUTH, ms=7)
            ax.annotate(f"court {bargain.sentence:.1f}", (bargain.sentence, rounds + 0.8), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=7)
        ax.set_ylim(rounds + 1.3, 0.4)
        ax.set_yticks(range(1, rounds + 1), [f"round {r}" for r in range(1, rounds + 1)], fontsize=8)
        ax.set_xlabel("months of sentence", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(textwrap.fill(label, 44), fontsize=9)
        gridlines(ax, "x")
    handles = {label: handle for ax in axes for handle, label in zip(*ax.get_legend_handles_labels())}
    if handles:
        fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncol=3, fontsize=7)
    return fig


def flow_figure(panels: Sequence[tuple[str, Sequence[tuple[str, str, str]]]], title: str) -> Figure:
    """Each panel's cases flowing through the stages (after the talks → first instance → after judgment): a bar
    per stage split by what became of the cases, bands joining the bars by how many cases took each way."""
    fig, axes = _figure(len(panels), 5.2, 3.6)
    fig.suptitle(title, fontsize=11)
    for ax, (label, paths) in zip(axes, panels):
        n = len(paths)
        ax.set_title(f"{label} (n = {n} cases)", fontsize=9, pad=16)
        ax.set_xlim(-0.15, len(STAGES) - 0.45)
        ax.set_ylim(-0.04 * max(n, 1), 1.16 * max(n, 1))
        ax.axis("off")
        if not n:
            ax.text(0.5, 0.5, "no case disposed of yet", transform=ax.transAxes, ha="center")
            continue
        tops = [_stack(column, Counter(path[i] for path in paths), n) for i, column in enumerate(NODES)]
        for i in range(len(STAGES) - 1):
            _bands(ax, i, Counter((path[i], path[i + 1]) for path in paths), tops[i], tops[i + 1])
        for i, stage in enumerate(STAGES):
            ax.text(i, 1.1 * n, stage, ha="center", fontsize=8, weight="bold")
            for node, (bottom, size) in tops[i].items():
                ax.add_patch(Rectangle((i - 0.08, bottom), 0.16, size, color=NODE_COLOURS[node], zorder=3))
                if size:
                    ax.text(i + 0.1, bottom + size / 2, f"{node}: {size}", va="center", fontsize=7, zorder=4,
                            bbox={"facecolor": "white", "alpha": 0.75, "lw": 0, "pad": 0.5})
    return fig


def _stack(column: Sequence[str], counts: Counter, n: int) -> dict[str, tuple[float, int]]:
    """(bottom, size) of each node of a column stacked from the top, with small gaps."""
    gap, top, placed = 0.02 * n, n * 1.0 + 0.02 * n * (len(column) - 1), {}
    for node in column:
        size = counts.get(node, 0)
        placed[node] = (top - size, size)
        top -= size + (gap if size else 0.0)
    return placed


def _bands(ax, i: int, pairs: Counter, left: dict, right: dict) -> None:
    """Bands from the nodes of column ``i`` to those of column ``i + 1``, in stacking order at both ends."""
    out = {node: bottom + size for node, (bottom, size) in left.items()}
    into = {node: bottom + size for node, (bottom, size) in right.items()}
    for a in left:
        for b in right:
            k = pairs.get((a, b), 0)
            if not k:
                continue
            y0, y1 = out[a], into[b]
            out[a] -= k
            into[b] -= k
            ax.add_patch(Polygon([(i + 0.08, y0), (i + 0.92, y1), (i + 0.92, y1 - k), (i + 0.08, y0 - k)],
                                 closed=True, color=NODE_COLOURS[a], alpha=0.3, lw=0, zorder=2))
