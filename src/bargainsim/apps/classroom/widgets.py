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


def guarded(error: solara.Reactive[str], action: Callable[[], None]) -> None:
    """Run a user's action; a refused one shows its message, an unexpected failure a plain sentence (the server's
    log has the details), never a traceback."""
    try:
        action()
        error.set("")
    except ConfigError as refused:
        error.set(str(refused))
    except Exception:
        logger.exception("the classroom page failed")
        error.set("Something went wrong on the server (the log has the details). Try again, or draw another case.")
