"""The classroom page: Mesa's SolaraViz with the levers as controls, the running figures of both arms as a table
and as charts, and the most recent negotiation told side by side.

Start it with ``make classroom`` (``solara run bargainsim.apps.classroom.app --host 127.0.0.1 --port 8765``). Change a
control, press Reset to apply it, then Step (one working week) or play.
"""

from __future__ import annotations

import html
import math

import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from bargainsim.analysis import OUTCOMES, STATUS_QUO
from bargainsim.apps.classroom.model import ARMS, FIGURES, LEVER_ARM, LEVERS, ClassroomModel, column

COLOURS = {STATUS_QUO: "#7f7f7f", LEVER_ARM: "#d62728"}


def model_params() -> dict[str, dict]:
    """The page's controls, one per lever, plus the seed of the district's cases."""
    params: dict[str, dict] = {}
    for lever in LEVERS:
        if lever.choices:
            params[lever.name] = {"type": "Select", "value": lever.default, "values": list(lever.choices),
                                  "label": lever.label}
        elif isinstance(lever.default, bool):
            params[lever.name] = {"type": "Checkbox", "value": lever.default, "label": lever.label}
        else:
            params[lever.name] = {"type": "SliderFloat", "value": lever.default, "min": lever.low,
                                  "max": lever.high, "step": lever.step, "label": lever.label}
    params["seed"] = {"type": "SliderInt", "value": 2024, "min": 2000, "max": 2099, "step": 1,
                      "label": "Seed (the district's cases)"}
    return params


def _format(figure: str, value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.1f}" if OUTCOMES[figure].unit == "working days" else f"{value:.3f}"


def figures_html(model: ClassroomModel) -> str:
    """The running figures of both arms as a table whose cells carry ``data-figure``, ``data-arm`` and
    ``data-value`` attributes."""
    rows = []
    for figure in FIGURES:
        outcome = OUTCOMES[figure]
        cells = "".join(
            f'<td data-figure="{figure}" data-arm="{arm}" data-value="{model.figure(arm, figure)!r}" '
            f'style="text-align:right;padding:2px 10px">{_format(figure, model.figure(arm, figure))}</td>'
            for arm in ARMS)
        rows.append(f'<tr title="{html.escape(outcome.definition)}"><td style="padding:2px 10px">'
                    f"{html.escape(outcome.title)} ({html.escape(outcome.unit)})</td>{cells}</tr>")
    disposed = "".join(f'<td data-arm="{arm}" data-disposed="{model.disposed(arm)}" '
                       f'style="text-align:right;padding:2px 10px">{model.disposed(arm)}</td>' for arm in ARMS)
    changes = model.changes()
    changed = "; ".join(html.escape(c) for c in changes) if changes else "nothing (both arms are the status quo)"
    header = "".join(f'<th style="text-align:right;padding:2px 10px">{ARMS[arm]}</th>' for arm in ARMS)
    return (f'<div id="figures-panel" data-day="{model.day}">'
            f"<p><b>Week {model.steps}</b> (working day {model.day}). The levers change: {changed}. "
            f"Both arms: {100 * model.levers['innocent_share']:.0f}% innocent suspects, "
            f"{100 * model.levers['misdemeanor_share']:.0f}% misdemeanors, seed {model.seed}.</p>"
            f'<table id="figures"><tr><th></th>{header}</tr>{"".join(rows)}'
            f"<tr><td style=\"padding:2px 10px\">Cases disposed of</td>{disposed}</tr></table>"
            "<p style=\"font-size:85%\">Change a control, then press <b>Reset</b> to apply it; <b>Step</b> "
            "runs a working week of both arms on the same cases.</p></div>")


@solara.component
def FiguresPanel(model: ClassroomModel) -> None:
    """The running figures, status quo against the levers."""
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML=figures_html(model))


@solara.component
def StoryPanel(model: ClassroomModel) -> None:
    """The most recent negotiation in the model, told under both arms."""
    update_counter.get()
    story = model.story(width=86) or "No negotiation yet: press Step."
    solara.HTML(tag="pre", unsafe_innerHTML=html.escape(story), attributes={"id": "transcript"},
                style="font-size:10.5px;line-height:1.25;white-space:pre;height:100%;overflow:auto;margin:0")


def draw_charts(model: ClassroomModel) -> Figure:
    """One small chart per running figure: the levers (red) against the status quo (grey), week by week."""
    data = model.datacollector.get_model_vars_dataframe()
    fig = Figure(figsize=(9.0, 5.4), dpi=72)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.93, bottom=0.09, wspace=0.3, hspace=0.45)
    for ax, figure in zip(fig.subplots(2, 3).flat, FIGURES):
        outcome = OUTCOMES[figure]
        for arm in ARMS:
            ax.plot(data.index, data[column(figure, arm)], color=COLOURS[arm], label=ARMS[arm], lw=1.6,
                    marker="o", markersize=2.5)
        ax.set_xlim(-0.2, max(1, model.steps) + 0.2)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"{outcome.title} ({outcome.unit})", fontsize=10)
        ax.set_xlabel("week", fontsize=8)
        ax.tick_params(labelsize=8)
    fig.axes[0].legend(fontsize=8, loc="best")
    return fig


@solara.component
def ChartsPanel(model: ClassroomModel) -> None:
    """The running figures as charts, redrawn after every step."""
    update_counter.get()
    solara.FigureMatplotlib(draw_charts(model), format="png")


components = [(FiguresPanel, 0), (StoryPanel, 0), (ChartsPanel, 0)]

page = SolaraViz(ClassroomModel(), components=components, model_params=model_params(),
                 name="bargainsim classroom: the levers against the status quo")
