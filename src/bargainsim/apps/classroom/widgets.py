"""Small pieces the classroom's tabs share: a slider that shows its value and unit, and the guard that turns a
refused or failed action into a message."""

from __future__ import annotations

import logging
from collections.abc import Callable

import solara

from bargainsim.params import ConfigError

logger = logging.getLogger(__name__)


@solara.component
def LabelledSlider(label: str, value: float, shown: str, low: float, high: float, step: float,
                   on_value: Callable[[float], None]) -> None:
    """A slider under its label, which shows the current value and its unit (``shown``)."""
    solara.Text(f"{label}: {shown}", style={"font-size": "90%"})
    solara.SliderFloat("", value=value, min=low, max=high, step=step, on_value=on_value, thumb_label=False)


def guarded(report: Callable[[str], None], action: Callable[[], None]) -> None:
    """Run a user's action and ``report`` the outcome: "" when done, the message of a refused one, a plain sentence
    for an unexpected failure (the server's log has the details) — never a traceback."""
    try:
        action()
        report("")
    except ConfigError as refused:
        report(str(refused))
    except Exception:
        logger.exception("the classroom page failed")
        report("Something went wrong on the server (the log has the details). Try again, or draw another case.")
