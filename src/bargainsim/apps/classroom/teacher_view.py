"""The teacher's page: the class's decisions on the cases it has played — acceptance by rules, guilt and custody —
against the model's suspects on the same cases, refreshed as students finish."""

from __future__ import annotations

import solara
from matplotlib.figure import Figure

from bargainsim.apps.classroom.pictures import DEFENSE, PROSECUTOR
from bargainsim.apps.classroom.tables import tally_html
from bargainsim.apps.classroom.tally import CLASS, Group
from bargainsim.reporting.style import gridlines

POLL_SECONDS = 2.0
"""How often the page looks for newly finished cases."""


def tally_figure(groups: list[Group]) -> Figure:
    """Acceptance by group: the class's against the model's suspects', with each group's n."""
    fig = Figure(figsize=(9.0, 3.2), dpi=80, layout="constrained")
    ax = fig.subplots()
    if not groups:
        ax.text(0.5, 0.5, "No case played to the end yet", ha="center", va="center", transform=ax.transAxes)
        ax.axis("off")
        return fig
    xs = range(len(groups))
    ax.bar([x - 0.18 for x in xs], [g.rate for g in groups], 0.35, color=DEFENSE, label="the class")
    ax.bar([x + 0.18 for x in xs], [g.model_rate for g in groups], 0.35, color=PROSECUTOR, alpha=0.7,
           label="the model's suspects, same cases")
    ax.set_xlim(-0.6, max(len(groups), 4) - 0.4)
    for x, g in zip(xs, groups):
        ax.text(x, 1.04, f"n = {g.n}" + ("" if g.enough else "\ntoo few"), ha="center", fontsize=8,
                color="#000" if g.enough else "#a00")
    ax.set_xticks(list(xs), [f"{g.rules.replace('_', ' ')}\n{g.guilt}, {g.custody}" for g in groups], fontsize=8)
    ax.set_ylim(0, 1.25)
    ax.set_ylabel("share that accepted a plea", fontsize=8)
    ax.legend(fontsize=8, loc="upper right")
    gridlines(ax, "y")
    return fig


@solara.component
def TeacherPage() -> None:
    """The class's tally, polled every :data:`POLL_SECONDS` seconds; a refresh and a clear button."""
    solara.Title("bargainsim classroom — the class's tally")
    version, set_version = solara.use_state(CLASS.version)

    def poll(cancel) -> None:
        seen = version
        while not cancel.wait(POLL_SECONDS):
            if CLASS.version != seen:
                seen = CLASS.version
                set_version(seen)

    solara.use_thread(poll, dependencies=[version])
    solara.Markdown("## The class's decisions against the model's suspects\n\nEvery case a student has played to "
                    "the end on this server, grouped by the rules it was played under, the suspect's guilt (hidden "
                    "from the student until the debrief) and custody.")
    with solara.Row():
        solara.Button("Refresh", color="primary", on_click=lambda: set_version(CLASS.version))
        solara.Button("Clear the tally (a new class)", outlined=True,
                      on_click=lambda: (CLASS.clear(), set_version(CLASS.version)))
    solara.HTML(tag="div", unsafe_innerHTML=tally_html(CLASS))
    with solara.Div(classes=["tally-picture"]):
        solara.FigureMatplotlib(tally_figure(CLASS.groups()), format="png")
