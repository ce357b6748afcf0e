"""The defense's choices: the points of the procedure where the suspect, advised by counsel, decides — and the
strategy a front end may give a model to make those choices instead of the model's own rules.

At each point the stage works out what the model's decision rule chooses (:mod:`bargainsim.core.decisions`) and,
only if the model was given a :class:`Defense`, asks it, with the rule's answer as the :class:`Decision`'s
``default``. Without one — every experiment — the rule's answer stands and nothing else runs. The classroom's
student plays a case through a Defense (``bargainsim.apps.classroom.play``).

The points, in the order a case meets them, and the answers the rules allow there (``OPTIONS``):

- ``offer``: an offer at the table (:mod:`.procedure.negotiation`): accept, refuse, or counter (consultation) /
  propose (dialogue) a number of months — only accept or refuse when the offer is the last word;
- ``sign``: the suspect's signature on the plea affidavit (具结书, CPL art. 174) or the tripartite agreement;
- ``countersign``: counsel's signature on the tripartite agreement (seeds/004 §3.1);
- ``withdraw``: withdrawing a signed plea before indictment, where the rules allow it (seeds/004 §3.1);
- ``sign_again``: signing the prosecutor's last offer after a withdrawal;
- ``appeal``: appealing a first-instance conviction (CPL art. 227).

The textbook protocols (conf/textbook) are formal special cases and are not asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from bargainsim.core.agents import Suspect
    from bargainsim.core.model import PleaModel

NAN = float("nan")

OPTIONS: dict[str, tuple[str, ...]] = {
    "offer": ("accepts", "refuses", "counters", "proposes"),
    "sign": ("signs", "refuses"),
    "countersign": ("signs", "refuses"),
    "withdraw": ("withdraws", "stands"),
    "sign_again": ("signs", "refuses"),
    "appeal": ("appeals", "accepts"),
}
"""Every decision point and the answers it can take; a yes-or-no point lists its yes first."""

COUNTERS = ("counters", "proposes")
"""The answers that name months of their own: the defense's counter-proposal (consultation) or proposal
(dialogue)."""


class Answer(NamedTuple):
    """The defense's answer: an action of the point's options and, for a counter-proposal, its months."""

    action: str
    months: float = NAN


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision of the defense: the point, the answers the rules allow, the model's own rule's answer, the
    months in question (the offer on the table, the terms to sign, the judgment's sentence); at the table the
    round, the most rounds the talks may take, whether the offer is the last word and the moves so far (when
    the model keeps them); and the defense's belief when it is not its belief at the table (before indictment
    the file has been read again)."""

    point: str
    options: tuple[str, ...]
    default: Answer
    months: float = NAN
    round: int = 0
    rounds: int = 0
    final: bool = False
    moves: tuple = ()
    belief: float = NAN


class Defense:
    """A strategy for the defense's decisions. This base class answers each with the model's own rule (its
    ``default``); a front end overrides :meth:`choose` for the cases it plays."""

    def choose(self, suspect: Suspect, decision: Decision) -> Answer:
        """The answer to ``decision`` in ``suspect``'s case."""
        return decision.default


def ask(defense: Defense, suspect: Suspect, decision: Decision) -> Answer:
    """``defense``'s answer; one of its own (not the rule's ``default``) is checked: one of the decision's
    options, and a counter-proposal of months in [0, the offer) (ValueError naming the point otherwise)."""
    answer = defense.choose(suspect, decision)
    if answer is decision.default:
        return answer
    if answer.action not in decision.options:
        raise ValueError(f"{decision.point}: {answer.action!r} is not allowed here; allowed: "
                         f"{', '.join(decision.options)}")
    if answer.action in COUNTERS and not 0.0 <= answer.months < decision.months:
        raise ValueError(f"{decision.point}: a counter-proposal must be at least 0 and below the offer of "
                         f"{decision.months:.1f} months, not {answer.months!r}")
    return answer


def at_table(model: PleaModel, suspect: Suspect) -> Callable[[Decision], Answer] | None:
    """What the talks ask for the defense's answers: nothing (the rule answers) or the model's strategy, bound to
    the case."""
    return None if model.defense is None else partial(ask, model.defense, suspect)


def offer(counter: str, round: int, rounds: int, months: float, final: bool, action: str, counter_months: float,
          moves: list) -> Decision:
    """The decision on an offer of ``months`` in ``round`` of at most ``rounds``: the rule's ``action`` (with
    ``counter_months`` if it is ``counter``, the protocol's word for a counter-proposal); only accept or refuse
    the last word."""
    options = ("accepts", "refuses") if final else ("accepts", "refuses", counter)
    return Decision("offer", options, Answer(action, counter_months if action == counter else months), months,
                    round, rounds, final, tuple(moves))


def yes_no(model: PleaModel, suspect: Suspect, point: str, default: bool, months: float = NAN,
           belief: float = NAN) -> bool:
    """A yes-or-no choice at ``point``: the rule's ``default`` unless the model's strategy answers."""
    if model.defense is None:
        return default
    yes, no = OPTIONS[point]
    decision = Decision(point, (yes, no), Answer(yes if default else no), months, belief=belief)
    return ask(model.defense, suspect, decision).action == yes
