"""The play tab: a student draws a case, plays the suspect or its lawyer to the end, and reads the debrief. Each
browser session plays on its own; a finished case goes into the class's tally (:mod:`.tally`)."""

from __future__ import annotations

import html

import solara

from bargainsim.apps.classroom.pictures import (
    bargain_of,
    beliefs_figure,
    beliefs_of,
    known_bargain,
    known_beliefs,
    range_figure,
)
from bargainsim.apps.classroom.play import (
    ROLES,
    Debrief,
    Play,
    Setting,
    changes_in_words,
    compared,
    draw_case,
    procedure_named,
    procedures,
)
from bargainsim.apps.classroom.tables import debrief_html
from bargainsim.apps.classroom.tally import CLASS, played
from bargainsim.apps.classroom.widgets import LabelledSlider, guarded
from bargainsim.apps.classroom.words import BUTTONS, known, prompt
from bargainsim.core.record import STATUS_QUO
from bargainsim.params import ConfigError
from bargainsim.reporting.narration import Telling, side_by_side


@solara.component
def SettingsCard(setting: solara.Reactive[dict], play: solara.Reactive[Play | None],
                 error: solara.Reactive[str], session: int) -> None:
    """Role, rules, district and case; a case drawn for the student or chosen by number."""
    values = setting.value

    def set_value(name: str, value: object) -> None:
        setting.value = {**setting.value, name: value}

    def draw() -> None:
        drawn = draw_case(values["seed"], CLASS.next_draw(), values["rules"], values["role"],
                          values["innocent_share"])
        set_value("case_id", drawn.case_id)
        play.set(Play(drawn))

    def choose() -> None:
        case_id = values["case_id"]
        if case_id is None:
            raise ConfigError("enter a case number")
        play.set(Play(Setting(case_id, values["rules"], values["role"], values["seed"], values["innocent_share"])))

    with solara.Card("Your case"):
        solara.Text("You play")
        solara.ToggleButtonsSingle(value=values["role"], values=list(ROLES), on_value=lambda v: set_value("role", v))
        solara.Select("Rules of the procedure", values=list(procedures()), value=values["rules"],
                      on_value=lambda v: set_value("rules", v))
        solara.Text(f"They change: {changes_in_words(values['rules'])}.", style={"font-size": "85%"})
        LabelledSlider("Innocent suspects in the district", values["innocent_share"],
                       f"{values['innocent_share']:.2f} (share of suspects)", 0.0, 0.5, 0.01,
                       lambda v: set_value("innocent_share", v))
        solara.InputInt("District seed (its cases and staff)", value=values["seed"],
                        on_value=lambda v: set_value("seed", v))
        solara.Button("Draw a case for me", color="primary", on_click=lambda: guarded(error.set, draw))
        solara.InputInt("Case number (0 to 399)", value=values["case_id"], optional=True,
                        on_value=lambda v: set_value("case_id", v))
        solara.Button("Play this case number", outlined=True, on_click=lambda: guarded(error.set, choose))
        solara.Text(f"Session {session}", style={"font-size": "80%", "color": "#777"})


@solara.component
def QuestionPanel(current: Play, play: solara.Reactive[Play | None], error: solara.Reactive[str],
                  session: int) -> None:
    """What the role knows now, the pictures of it, and the choices the rules allow."""
    question, setting = current.question, current.setting
    proposal = solara.use_reactive(None)

    def answer(action: str) -> None:
        after = current.answer(action, proposal.value)
        if after.done:
            CLASS.add(played(session, after))
        proposal.set(None)
        play.set(after)

    you = ROLES[setting.role]
    solara.Markdown(f"### Case {setting.case_id} — you are {you}, under {procedure_named(setting.rules).title}")
    solara.HTML(tag="div", attributes={
        "id": "question", "data-point": question.point, "data-round": str(question.round),
        "data-months": repr(question.months), "data-options": " ".join(question.options),
        "data-decisions": str(len(current.answers))},
        unsafe_innerHTML=f"<p style='font-size:115%'><b>{html.escape(prompt(question))}</b></p>")
    with solara.Columns([2, 3]):
        with solara.Column():
            solara.Markdown("**What you know**\n\n" + "\n".join(f"- {html.escape(line)}" for line in known(question)))
        with solara.Column():
            with solara.Div(classes=["known-beliefs"]):
                solara.FigureMatplotlib(beliefs_figure([("as you see it", known_beliefs(question))],
                                                       "The chance of a conviction, as you are told"), format="png")
            if question.moves:
                with solara.Div(classes=["known-talks"]):
                    solara.FigureMatplotlib(range_figure([("the talks so far", known_bargain(question))],
                                                         "The offers so far (months)"), format="png")
    with solara.Row():
        for action in question.options:
            if action == question.counters:
                continue
            solara.Button(BUTTONS[(question.point, action)], color="primary",
                          on_click=lambda a=action: guarded(error.set, lambda: answer(a)))
    if question.counters:
        with solara.Row(style={"align-items": "center"}):
            solara.InputFloat(f"Months you propose (below {question.months:.1f})", value=proposal, optional=True,
                              style={"max-width": "280px"})
            solara.Button(BUTTONS[(question.point, question.counters)], color="primary", outlined=True,
                          on_click=lambda: guarded(error.set, lambda: answer(question.counters)))


def debrief_story(debrief: Debrief) -> str:
    """The student's case and the model's suspect's, told side by side."""
    you, model = debrief.runs[0], debrief.runs[1]
    tellings = [Telling("you", you.rules, you.suspect, you.transcriber.narrate(debrief.setting.case_id, False)),
                Telling("the model's suspect", model.rules, model.suspect,
                        model.transcriber.narrate(debrief.setting.case_id))]
    return "\n".join(side_by_side(*tellings, 120))


def _debrief(play: Play, compare: str) -> tuple[Debrief | None, str]:
    """The debrief, or why there is none (in words: the server's log has any details)."""
    result: list[Debrief] = []
    failure: list[str] = []
    guarded(failure.append, lambda: result.append(play.debrief(compare)))
    return (result[0] if result else None), failure[-1]


@solara.component
def DebriefPanel(current: Play, play: solara.Reactive[Play | None], compare: solara.Reactive[str],
                 error: solara.Reactive[str]) -> None:
    """The truth, what the prosecutor knew and said, what the model's suspect did, the court, and the same case
    under a reform or another country's plea system, side by side."""
    debrief, failure = solara.use_memo(lambda: _debrief(current, compare.value), [current, compare.value])
    if debrief is None:
        solara.Error(failure)
        return
    you = debrief.runs[0].record
    truth = "guilty" if you["guilty"] else "INNOCENT"
    solara.Markdown(f"### Debrief: case {current.setting.case_id}\n\nThe truth: the suspect was **{truth}**, and "
                    f"a trial would have convicted with probability "
                    f"**{100 * you['conviction_probability']:.0f}%**. Below, your case beside what the model's own "
                    f"suspect did with the same case and the same luck, and what it did under a reform or another "
                    "country's plea system.")
    solara.Select("Compare with a reform or another plea system", values=compared(), value=compare)
    solara.Text(f"It changes: {debrief.changes}.", style={"font-size": "85%"})
    solara.HTML(tag="div", unsafe_innerHTML=debrief_html(debrief))
    runs = debrief.runs
    with solara.Div(classes=["debrief-beliefs"]):
        solara.FigureMatplotlib(beliefs_figure([(run.label, beliefs_of(run.suspect, run.snapshots)) for run in runs],
                                               "What each side believed about a conviction, against the truth"),
                                format="png")
    with solara.Div(classes=["debrief-talks"]):
        solara.FigureMatplotlib(range_figure([(run.label, bargain_of(run.suspect, run.snapshots)) for run in runs],
                                             "The bargaining range and the offers, round by round (months)"),
                                format="png")
    with solara.Details("Your case and the model's suspect's, told side by side", expand=False):
        solara.HTML(tag="pre", unsafe_innerHTML=html.escape(debrief_story(debrief)),
                    style="font-size:11px;line-height:1.25;white-space:pre;overflow:auto")
    solara.Button("Play another case", color="primary", on_click=lambda: guarded(error.set, lambda: play.set(None)))


INTRO = """### Play a case

You will take the part of a suspect — or of its defense lawyer — in one case the model draws from a district's
week of cases. The prosecutor, the court and everyone else are the model's agents. At each point where the
procedure lets the defense decide, the page shows only what your role knows under the rules you chose (what the
prosecutor says about the evidence, what the lawyer advises, detention, the deadline, the offer), and you decide:
accept, counter-propose, refuse, sign, withdraw where the rules allow it, appeal.

When the case is over the debrief shows the truth — guilt and the real chance of a conviction — what the
prosecutor knew and overstated, what the model's own suspect did with the same case, the court's ruling, and the
same case under a reform or another country's plea system.

Choose your role and the rules on the left — China's status quo, a reform of it, or another country's plea system
(`jurisdiction: …`: the same case in Beijing, London, Washington or Berlin) — then **Draw a case for me**."""


@solara.component
def PlayTab() -> None:
    """A session's play: settings on the left; the question, or the debrief, on the right."""
    session = solara.use_memo(CLASS.new_session, [])
    setting = solara.use_reactive({"role": "suspect", "rules": STATUS_QUO, "innocent_share": 0.03, "seed": 2024,
                                   "case_id": None})
    play = solara.use_reactive(None)
    compare = solara.use_reactive("public_observation")
    error = solara.use_reactive("")
    with solara.Columns([1, 3]):
        SettingsCard(setting, play, error, session)
        with solara.Column():
            if error.value:
                solara.Error(error.value)
            current = play.value
            if current is None:
                solara.Markdown(INTRO)
            elif current.done:
                DebriefPanel(current, play, compare, error)
            else:
                QuestionPanel(current, play, error, session)
