"""Running a list of commands the way a scenario does: each decided and applied, or refused.

A refused command changes nothing and is kept with its error; the run goes on. Time passing
to a refused command's ``at`` stays passed, exactly as it would for a backend that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

import attrs

from tuangou_core._validators import instance
from tuangou_core.campaign import Campaign
from tuangou_core.errors import InvalidInput, Rejected, TuangouError
from tuangou_core.group._commands import Command
from tuangou_core.group._decider import Fold, check_command, command_time
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

    Raises:
        InvalidInput: ``invalid_input`` for a *campaign* that is not a campaign or *commands*
            that are not a list; ``unknown_command`` for an entry that is not a command (the
            run cannot go on: such an entry has no time to pass to).
    """
    fold = Fold(campaign)
    return tuple(run_steps(fold, commands)), fold


_FOLD: Final = instance(Fold, "fold", code="invalid_input")
_COMMANDS: Final = instance(Iterable, "commands", code="invalid_input", what="a list of commands")


def run_steps(fold: Fold, commands: Iterable[Command]) -> Iterator[ReplayStep]:
    """Run *commands* on *fold* one at a time, as :func:`run` does, yielding each step as it
    is decided: a caller that reads the steps once (a statement of a million events) keeps
    none of them, and ``fold.state`` is the final state once the steps are read.

    Yields:
        One :class:`ReplayStep` per command, in order.

    Raises:
        InvalidInput: as :func:`run`; *fold* and *commands* are checked at the call, each
            command when its step is asked for.
    """
    return _steps(_FOLD(fold), _COMMANDS(commands))


def _steps(fold: Fold, commands: Iterable[Command]) -> Iterator[ReplayStep]:
    for index, command in enumerate(commands):
        check_command(command)  # junk is refused before its ``at`` is read; the run stops
        elapsed = fold._pass_time(command_time(fold._draft, command))
        try:
            events = fold._decide_now(command)  # time has passed: advance once, not twice
        except (Rejected, InvalidInput) as error:  # an InternalError is a bug: it propagates
            yield ReplayStep(index, command, elapsed, error)
            continue
        yield ReplayStep(index, command, elapsed + events if elapsed else events)
