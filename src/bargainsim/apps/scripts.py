"""What the argparse console scripts (`bargainsim-report`, `bargainsim-transcript`) share: every error is one line
on stderr, never a traceback.

Exit codes, as for the Hydra entry points (:mod:`bargainsim.apps.cli`): 2 bad input (argparse's own errors and every
:class:`~bargainsim.params.ConfigError`; nothing written), 130 an interruption, 1 a failure of the machine (a full
disk) or an unexpected error. ``HYDRA_FULL_ERROR=1`` keeps the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable
from typing import NoReturn

from bargainsim.params import ConfigError, check_integer


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors (unknown option, missing or malformed value) are one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        usage = " ".join(self.format_usage().split()[1:])
        self.exit(2, f"{self.prog}: {message}; usage: {usage}\n")

    def refuse(self, message: str) -> NoReturn:
        """Refuse a value the parser accepted but the script does not: one line, exit code 2."""
        self.exit(2, f"{self.prog}: {message}\n")


def integer(allowed: str) -> Callable[[str], int]:
    """An argparse type: text that spells an integer, or an error saying what is allowed
    (:func:`~bargainsim.params.check_integer`)."""
    def parse(text: str) -> int:
        try:
            value: object = int(text)
        except ValueError:
            value = text
        try:
            return check_integer(None, value, allowed=allowed)
        except ConfigError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    parse.__name__ = "integer"
    return parse


def first_line(error: object) -> str:
    """The first non-blank line of an error's message."""
    return next((line.strip() for line in str(error).splitlines() if line.strip()), "")


def failure(error: BaseException) -> tuple[str, int]:
    """What a console script says of an error (one line) and its exit code (module docstring)."""
    if isinstance(error, ConfigError):
        return str(error), 2
    if isinstance(error, KeyboardInterrupt):
        return ("interrupted; finished results are kept, nothing unfinished looks complete (run the same command "
                "again to redo or resume)"), 130
    if isinstance(error, OSError):
        reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or first_line(error))
        where = f" writing {error.filename}" if error.filename else ""
        return f"failed{where}: {reason}; nothing unfinished looks complete", 1
    return (f"internal error ({type(error).__name__}: {first_line(error)}); nothing unfinished looks complete; "
            f"HYDRA_FULL_ERROR=1 shows the traceback"), 1


def guarded(prog: str, body: Callable[[], int]) -> int:
    """Run a script's body; turn whatever goes wrong into one line on stderr and the exit code (module docstring)."""
    try:
        return body()
    except (ConfigError, KeyboardInterrupt, OSError) as error:
        line, code = failure(error)
    except Exception as error:  # noqa: BLE001 - every failure becomes one line
        if os.environ.get("HYDRA_FULL_ERROR") == "1":
            raise
        line, code = failure(error)
    sys.stderr.write(f"{prog}: {line}\n")
    return code
