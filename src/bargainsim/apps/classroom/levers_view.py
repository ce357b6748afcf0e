"""The levers tab: the status quo and the rules a class's levers set, run side by side on the same cases a working
week at a time — the running figures with their counts, charts, the flow of the week's cases through the stages,
the beliefs and the talks of the latest negotiation, and its story."""

from __future__ import annotations

import html

import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from bargainsim.analysis import OUTCOMES, STATUS_QUO
from bargainsim.apps.classroom.model import (
    ARMS,
    FIGURES,
    LEVER_ARM,
    LEVERS,
    MIN_CASES,
    WARM_UP,
    ClassroomModel,
    column,
    count_column,
)
from bargainsim.apps.classroom.pictures import (
    bargain_of,
    beliefs_figure,
    beliefs_of,
    flow_figure,
    path_of,
    range_figure,
)
from bargainsim.apps.classroom.tables import figures_html
from bargainsim.apps.classroom.widgets import LabelledSlider

COLOURS = {STATUS_QUO: "#7f7f7f", LEVER_ARM: "#d62728"}
PLAY_INTERVAL_MS = 600
"""Pause between weeks while the page plays (Mesa's play interval, fixed here rather than a control)."""


def default_parameters() -> dict[str, object]:
    """The model's arguments on load: every lever at its default, the seed, and the warm-up weeks."""
    return {**{lever.name: lever.default for lever in LEVERS}, "seed": 2024, "warm_up": WARM_UP}


def draw_charts(model: ClassroomModel) -> Figure:
    """One small chart per running figure: the levers (red) against the status quo (grey), week by week, each
    point drawn once the figure counts at least :data:`MIN_CASES` cases."""
    data = model.datacollector.get_model_vars_dataframe()
    fig = Figure(figsize=(9.0, 5.4), dpi=72)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.09, wspace=0.3, hspace=0.5)
    for ax, figure in zip(fig.subplots(2, 3).flat, FIGURES):
        outcome = OUTCOMES[figure]
        for arm in ARMS:
            values = data[column(figure, arm)].where(data[count_column(figure, arm)] >= MIN_CASES)
            ax.plot(data.index, values, color=COLOURS[arm], label=ARMS[arm], lw=1.6, marker="o", markersize=2.5)
        if data[[count_column(figure, arm) for arm in ARMS]].iloc[-1].min() < MIN_CASES:
            ax.text(0.5, 0.5, f"fewer than {MIN_CASES} cases yet", transform=ax.transAxes, ha="center",
                    fontsize=8, color="#a00")
        ax.set_xlim(-0.2, max(1, model.steps) + 0.2)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"{outcome.title} ({outcome.unit})", fontsize=10)
        ax.set_xlabel("week", fontsize=8)
        ax.tick_params(labelsize=8)
    fig.suptitle(f"Running figures, week by week (a point from n ≥ {MIN_CASES} cases)", fontsize=10)
    fig.axes[0].legend(fontsize=8, loc="best")
    return fig


def draw_flow(model: ClassroomModel) -> Figure:
    """The cases each arm disposed of in the last week, through the stages."""
    return flow_figure([(ARMS[arm], [path_of(row) for row in model.week(arm)]) for arm in ARMS],
                       f"Week {model.steps}: what became of the week's cases")


def current_pictures(model: ClassroomModel) -> tuple[Figure, Figure] | None:
    """The beliefs and the talks of the latest negotiation under both arms (None before the first one)."""
    case_id = model.current_case()
    if case_id is None:
        return None
    runs = [(ARMS[arm], t.suspects[case_id], t.snapshots.get(case_id)) for arm, t in model.transcribers.items()
            if case_id in t.suspects and case_id in t.snapshots]
    beliefs = beliefs_figure([(label, beliefs_of(s, snap)) for label, s, snap in runs],
                             f"Case {case_id}: what each side believes about a conviction, against the truth")
    talks = range_figure([(label, bargain_of(s, snap)) for label, s, snap in runs],
                         f"Case {case_id}: the bargaining range and the offers, round by round")
    return beliefs, talks


@solara.component
def LeverControls(parameters: solara.Reactive[dict], model: ClassroomModel) -> None:
    """One control per lever, showing its value and unit, and the seed; a changed lever waits for Reset."""

    def set_value(name: str, value: object) -> None:
        parameters.value = {**parameters.value, name: value}

    values = parameters.value
    for lever in LEVERS:
        value = values[lever.name]
        if lever.choices:
            solara.Select(lever.label, values=list(lever.choices), value=value,
                          on_value=lambda v, n=lever.name: set_value(n, v))
        elif isinstance(lever.default, bool):
            solara.Checkbox(label=lever.label, value=value, on_value=lambda v, n=lever.name: set_value(n, v))
        else:
            LabelledSlider(lever.label, value, f"{value:.2f} ({lever.unit})", lever.low, lever.high, lever.step,
                           lambda v, n=lever.name: set_value(n, v))
    bad_seed = solara.use_reactive("")

    def set_seed(seed: int | None) -> None:
        if seed is None or seed < 0:
            bad_seed.set("The seed must be a whole number, 0 or more; it is left at "
                         f"{parameters.value['seed']}.")
            return
        bad_seed.set("")
        set_value("seed", seed)

    solara.InputInt("Seed (the district's cases and staff)", value=values["seed"], on_value=set_seed)
    if bad_seed.value:
        solara.Error(bad_seed.value, dense=True)
    pending = [lever.label for lever in LEVERS if values[lever.name] != model.levers[lever.name]]
    if pending or values["seed"] != model.seed:
        solara.Warning(f"Changed, not yet applied: {', '.join(pending) or 'seed'}. Press Reset.", dense=True)


@solara.component
def FiguresPanel(model: ClassroomModel) -> None:
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML=figures_html(model))


@solara.component
def ChartsPanel(model: ClassroomModel) -> None:
    update_counter.get()
    with solara.Div(classes=["charts"]):
        solara.FigureMatplotlib(draw_charts(model), format="png")


@solara.component
def FlowPanel(model: ClassroomModel) -> None:
    update_counter.get()
    counts = {arm: len(model.week(arm)) for arm in ARMS}
    solara.HTML(tag="div", attributes={"id": "flow", "data-week": str(model.steps),
                                       **{f"data-{arm.replace('_', '-')}": str(n) for arm, n in counts.items()}})
    with solara.Div(classes=["flow-picture"]):
        solara.FigureMatplotlib(draw_flow(model), format="png")


@solara.component
def CurrentCasePanel(model: ClassroomModel) -> None:
    update_counter.get()
    pictures = current_pictures(model)
    if pictures is None:
        solara.Info("No negotiation yet: press Step.")
        return
    with solara.Div(classes=["current-beliefs"]):
        solara.FigureMatplotlib(pictures[0], format="png")
    with solara.Div(classes=["current-talks"]):
        solara.FigureMatplotlib(pictures[1], format="png")


@solara.component
def StoryPanel(model: ClassroomModel) -> None:
    update_counter.get()
    story = model.story(width=110) or "No negotiation yet: press Step."
    solara.HTML(tag="pre", unsafe_innerHTML=html.escape(story), attributes={"id": "transcript"},
                style="font-size:11px;line-height:1.25;white-space:pre;overflow:auto;margin:0")


@solara.component
def LeversTab() -> None:
    """The levers against the status quo: controls on the left, what they do on the right."""
    parameters = solara.use_reactive(default_parameters())
    initial = solara.use_memo(lambda: ClassroomModel(**default_parameters()), [])
    model = solara.use_reactive(initial)
    solara.use_effect(lambda: model.value.release, [model.value])   # the model replaced (Reset) or left is freed
    play_interval, render_interval = solara.use_reactive(PLAY_INTERVAL_MS), solara.use_reactive(1)
    threads = solara.use_reactive(False)
    with solara.Columns([1, 3]):
        with solara.Column():
            with solara.Card("Run"):
                ModelController(model, model_parameters=parameters, play_interval=play_interval,
                                render_interval=render_interval, use_threads=threads)
                solara.Markdown(f"**Step** runs one working week of both arms on the same cases; **▶** keeps "
                                f"stepping; **Reset** starts the district again with the levers below and runs "
                                f"{WARM_UP} weeks at once.")
            with solara.Card("Levers"):
                solara.Text("Each lever sets the levers' arm only, but the last two, which set who comes through "
                            "the door, set both arms.", style={"font-size": "85%"})
                LeverControls(parameters, model.value)
        with solara.Column():
            FiguresPanel(model.value)
            ChartsPanel(model.value)
            FlowPanel(model.value)
            CurrentCasePanel(model.value)
            with solara.Details("The latest negotiation, told under both arms", expand=False):
                StoryPanel(model.value)
