"""Running a list of commands the way a scenario does: each decided and applied, or refused.

A refused command changes nothing and is kept with its error; the run goes on. Time passing
to a refused command's ``at`` stays passed, exactly as it would for a backend that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from tuangou_core.campaign import Campaign
from tuangou_core.errors import InvalidInput, Rejected, TuangouError
from tuangou_core.group._commands import Command
from tuangou_core.group._decider import Fold
from tuangou_core.group._events import Event


@attrs.frozen
class ReplayStep:
    """One command run: what it caused, or why it was refused.

    Args:
        index: the command's 0-based position in the run.
        command: the command.
        events: what it caused (time passing first), or, when refused, only what time passing
            caused.
        rejected: the coded refusal, or None.
    """

    index: int
    command: Command
    events: tuple[Event, ...]
    rejected: TuangouError | None = None


def run(campaign: Campaign, commands: Iterable[Command]) -> tuple[tuple[ReplayStep, ...], Fold]:
    """Run *commands* against *campaign*: each decided and applied, or refused and kept.

    Returns:
        One :class:`ReplayStep` per command, and the fold holding the final state.

    A command the rules refuse (a :class:`~tuangou_core.errors.Rejected`) or that is malformed
    (an :class:`~tuangou_core.errors.InvalidInput`) is kept with its error and the run goes on;
    an :class:`~tuangou_core.errors.InternalError` is a bug and propagates.
    """
    fold = Fold(campaign)
    steps: list[ReplayStep] = []
    for index, command in enumerate(commands):
        # An object that is no command has no .at: it is refused (unknown_command) below.
        elapsed = fold.advance(command.at) if isinstance(command, Command) else ()
        try:
            events = fold._decide_now(command)  # time has passed: advance once, not twice
        except (Rejected, InvalidInput) as error:  # an InternalError is a bug: it propagates
            steps.append(ReplayStep(index, command, elapsed, error))
            continue
        steps.append(ReplayStep(index, command, (*elapsed, *events)))
    return tuple(steps), fold
