"""What the argparse console scripts (`bargainsim-report`, `bargainsim-transcript`) share: every error is one line
on stderr, never a traceback.

Exit codes, as for the Hydra entry points (:mod:`bargainsim.cli`): 2 bad input (argparse's own errors and every
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

from bargainsim.params import ConfigError


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors (unknown option, missing or malformed value) are one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        usage = " ".join(self.format_usage().split()[1:])
        self.exit(2, f"{self.prog}: {message}; usage: {usage}\n")

    def refuse(self, message: str) -> NoReturn:
        """Refuse a value the parser accepted but the script does not: one line, exit code 2."""
        self.exit(2, f"{self.prog}: {message}\n")


def integer(allowed: str) -> Callable[[str], int]:
    """An argparse type: an integer, or an error saying what is allowed."""
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer; allowed: {allowed}") from None
    parse.__name__ = "integer"
    return parse


def _first_line(error: BaseException) -> str:
    return next((line.strip() for line in str(error).splitlines() if line.strip()), "")


def guarded(prog: str, body: Callable[[], int]) -> int:
    """Run a script's body; turn whatever goes wrong into one line on stderr and the exit code (module docstring)."""
    try:
        return body()
    except ConfigError as error:
        line, code = str(error), 2
    except KeyboardInterrupt:
        line, code = "interrupted; nothing unfinished looks complete (run the same command again)", 130
    except OSError as error:
        reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or _first_line(error))
        where = f" on {error.filename}" if error.filename else ""
        line, code = f"failed{where}: {reason}; nothing unfinished looks complete", 1
    except Exception as error:  # noqa: BLE001 - every failure becomes one line
        if os.environ.get("HYDRA_FULL_ERROR") == "1":
            raise
        line, code = (f"internal error ({type(error).__name__}: {_first_line(error)}); nothing unfinished looks "
                      f"complete; HYDRA_FULL_ERROR=1 shows the traceback"), 1
    sys.stderr.write(f"{prog}: {line}\n")
    return code
