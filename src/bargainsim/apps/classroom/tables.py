"""The tables the classroom's pages show, as HTML whose cells carry their data (``data-*`` attributes) for the
browser tests: the levers' running figures with their counts, the debrief, the class's tally."""

from __future__ import annotations

import html

from bargainsim.analysis import OUTCOMES
from bargainsim.apps.classroom.model import ARMS, FIGURES, MIN_CASES, ClassroomModel
from bargainsim.apps.classroom.play import Debrief, shown
from bargainsim.apps.classroom.tally import MIN_PLAYS, ClassTally

RUN_IDS = ("you", "model", "reform")
"""The debrief's runs, as its table's ``data-run`` attributes say."""


def _format(figure: str, value: float) -> str:
    return f"{value:.1f}" if OUTCOMES[figure].unit == "working days" else f"{value:.3f}"


def figure_cell(model: ClassroomModel, figure: str, arm: str) -> str:
    """One figure of one arm: its value and the cases it is over, or "too few cases" below :data:`MIN_CASES`."""
    value, n = model.figure(arm, figure), model.count(arm, figure)
    if n < MIN_CASES:
        text = f'<span style="color:#a00">too few cases</span> <small>(n = {n})</small>'
    else:
        text = f"{_format(figure, value)} <small>(n = {n})</small>"
    return (f'<td data-figure="{figure}" data-arm="{arm}" data-value="{value!r}" data-n="{n}" '
            f'style="text-align:right;padding:2px 10px">{text}</td>')


def figures_html(model: ClassroomModel) -> str:
    """The running figures of both arms as a table whose cells carry ``data-figure``, ``data-arm``, ``data-value``
    and ``data-n`` attributes."""
    rows = []
    for figure in FIGURES:
        outcome = OUTCOMES[figure]
        cells = "".join(figure_cell(model, figure, arm) for arm in ARMS)
        rows.append(f'<tr title="{html.escape(outcome.definition)}"><td style="padding:2px 10px">'
                    f"{html.escape(outcome.title)} ({html.escape(outcome.unit)})</td>{cells}</tr>")
    disposed = "".join(f'<td data-arm="{arm}" data-disposed="{model.disposed(arm)}" '
                       f'style="text-align:right;padding:2px 10px">{model.disposed(arm)}</td>' for arm in ARMS)
    changes = model.changes()
    changed = "; ".join(html.escape(c) for c in changes) if changes else "nothing (both arms are the status quo)"
    header = "".join(f'<th style="text-align:right;padding:2px 10px">{ARMS[arm]}</th>' for arm in ARMS)
    return (f'<div id="figures-panel" data-day="{model.day}" data-week="{model.steps}">'
            f"<p><b>Week {model.steps}</b> (working day {model.day}). The levers change: {changed}. "
            f"Both arms: {100 * model.levers['innocent_share']:.0f}% innocent suspects, "
            f"{100 * model.levers['misdemeanor_share']:.0f}% misdemeanors, seed {model.seed}.</p>"
            f'<table id="figures"><tr><th></th>{header}</tr>{"".join(rows)}'
            f"<tr><td style=\"padding:2px 10px\">Cases disposed of</td>{disposed}</tr></table>"
            f'<p style="font-size:85%">Each figure is over the cases disposed of so far (n: the cases it counts; '
            f"below {MIN_CASES} it is marked too few). Hover a row for its definition.</p></div>")


def debrief_html(debrief: Debrief) -> str:
    """The debrief's table, each cell carrying its record column, run and value (``data-column``, ``data-run``,
    ``data-value``)."""
    header = "".join(f'<th style="padding:2px 10px;text-align:right">{html.escape(run.label)}</th>'
                     for run in debrief.runs)
    rows = []
    for row, values in debrief.table():
        cells = "".join(
            f'<td data-column="{row.column}" data-run="{run}" data-value="{html.escape(repr(value))}" '
            f'style="padding:2px 10px;text-align:right">{html.escape(shown(row, value))}</td>'
            for run, value in zip(RUN_IDS, values))
        rows.append(f'<tr><td style="padding:2px 10px">{html.escape(row.label)}</td>{cells}</tr>')
    setting = debrief.setting
    return (f'<table id="debrief" data-case="{setting.case_id}" data-seed="{setting.seed}" '
            f'data-rules="{setting.rules}" data-compare="{debrief.compare}" data-role="{setting.role}">'
            f'<tr><th></th>{header}</tr>{"".join(rows)}</table>')


def _rate(accepted: int, n: int, enough: bool) -> str:
    share = f"{accepted / n:.2f}" if n else "–"
    return f"{share} ({accepted} of {n})" + ("" if enough else ' <span style="color:#a00">too few cases</span>')


def tally_html(tally: ClassTally) -> str:
    """The class's tally as a table; each row carries its group and counts (``data-rules``, ``data-guilt``,
    ``data-custody``, ``data-n``, ``data-accepted``, ``data-model-accepted``)."""
    groups = tally.groups()
    entries = tally.entries()
    rows = "".join(
        f'<tr data-rules="{g.rules}" data-guilt="{g.guilt}" data-custody="{g.custody}" data-n="{g.n}" '
        f'data-accepted="{g.accepted}" data-model-accepted="{g.model_accepted}">'
        f'<td style="padding:2px 10px">{html.escape(g.rules.replace("_", " "))}</td>'
        f'<td style="padding:2px 10px">{g.guilt}</td><td style="padding:2px 10px">{g.custody}</td>'
        f'<td style="padding:2px 10px;text-align:right">{g.n}</td>'
        f'<td style="padding:2px 10px;text-align:right">{_rate(g.accepted, g.n, g.enough)}</td>'
        f'<td style="padding:2px 10px;text-align:right">{_rate(g.model_accepted, g.n, g.enough)}</td></tr>'
        for g in groups)
    sessions = len({entry.session for entry in entries})
    return (f'<div id="class-tally" data-plays="{len(entries)}" data-sessions="{sessions}">'
            f"<p><b>{len(entries)}</b> cases played to the end by <b>{sessions}</b> students.</p>"
            '<table><tr><th style="padding:2px 10px">rules</th><th>guilt</th><th>custody</th><th>cases</th>'
            '<th style="padding:2px 10px">the class accepted a plea</th>'
            '<th style="padding:2px 10px">the model\'s suspects accepted</th></tr>'
            f"{rows}</table><p style='font-size:85%'>Acceptance: the defense signed a plea. Each case is compared "
            f"with the model's own suspect on the same case under the same rules. Below {MIN_PLAYS} cases a group "
            "is marked too few.</p></div>")
