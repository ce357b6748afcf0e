"""The classroom's pages (Solara): a class plays cases and watches the levers at ``/``, the teacher follows the
class's decisions at ``/teacher``.

Start it with ``make classroom`` (``solara run bargainsim.apps.classroom.app --host 127.0.0.1 --port 8765``). Each
browser is its own session (its own play and its own district of the levers); the class's tally is shared by all
sessions of the server.
"""

from __future__ import annotations

import solara
import solara.lab

from bargainsim.apps.classroom.levers_view import LeversTab
from bargainsim.apps.classroom.play_view import PlayTab
from bargainsim.apps.classroom.teacher_view import TeacherPage

TITLE = "bargainsim classroom"


@solara.component
def Navigation() -> None:
    """The app bar's tabs: the class's page and the teacher's."""
    with solara.AppBar(), solara.lab.Tabs(align="center"):
        solara.lab.Tab("Classroom: play a case, pull the levers", path_or_route="/")
        solara.lab.Tab("Teacher: the class's tally", path_or_route="/teacher")


@solara.component
def ClassroomPage() -> None:
    """Two tabs: play a case; the levers against the status quo, week by week."""
    solara.Title(f"{TITLE} — play a case, pull the levers")
    Navigation()
    with solara.lab.Tabs(lazy=True):
        with solara.lab.Tab("Play a case"):
            PlayTab()
        with solara.lab.Tab("Status quo vs the levers, week by week"):
            LeversTab()


@solara.component
def TeacherRoute() -> None:
    """The teacher's page under the app bar's tabs."""
    Navigation()
    TeacherPage()


routes = [
    solara.Route(path="/", component=ClassroomPage, label="Classroom"),
    solara.Route(path="teacher", component=TeacherRoute, label="Teacher"),
]
