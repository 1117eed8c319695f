"""The decider's entry points: decide, evolve, the linear-time Fold, and replay."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tuangou_core.campaign import Campaign
from tuangou_core.errors import InvalidInput
from tuangou_core.group._commands import COMMAND_TYPES, Command
from tuangou_core.group._decide import decide_now, effective_time
from tuangou_core.group._events import Event
from tuangou_core.group._evolve import Draft
from tuangou_core.group._invariants import check_state
from tuangou_core.group._outcomes import elapse
from tuangou_core.group._state import CampaignState, initial_state
from tuangou_core.group._view import View


def check_command(command: object) -> None:
    """Refuse anything but a command (``unknown_command``) before its ``at`` is read."""
    if type(command) not in COMMAND_TYPES:
        raise InvalidInput(
            "unknown_command",
            f"{type(command).__name__} is not a command",
            field="command",
            value=type(command).__name__,
        )


def command_time(view: View, command: Command) -> datetime:
    """The instant *command* is decided at (:func:`effective_time`), its ``at`` being an
    aware instant in range already: every command checks it when it is built."""
    at = command.at
    clock = view.clock
    return clock if clock is not None and at < clock else at


def decide(state: CampaignState, command: Command) -> tuple[Event, ...]:
    """What *command* causes in *state*: time passing to ``command.at``, then the command.

    Args:
        state: the campaign's current state.
        command: an ``Open``, ``Join``, ``Pay``, ``Cancel``, ``Tick``, ``Draw``, ``Ship``,
            ``Complete`` or ``RequestRefund``.

    Returns:
        The events, in the order to apply them (possibly none: a duplicate payment).

    Raises:
        Rejected: a coded refusal (``group_full``, ``already_member``, ...); nothing changed.
        Conflict: ``payment_conflict``, ``refund_conflict``.
        InvalidInput: a malformed command (a naive time, a bad amount; the command refuses
            those when it is built), ``unknown_command`` for an object that is not a command,
            ``invalid_input`` for a *state* that is not a :class:`CampaignState`. A command
            stamped before the campaign's clock is decided at the clock, its own stamp kept on
            the events as ``stamped_at``: time never refuses money.
    """
    check_state(state, "state")
    check_command(command)
    elapsed = elapse(state, command_time(state, command))
    after = state
    for event in elapsed:
        after = evolve(after, event)
    return (*elapsed, *decide_now(after, command))


def evolve(state: CampaignState, event: Event) -> CampaignState:
    """The state after *event*; *state* itself is unchanged.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not an event, ``invalid_input``
            for a *state* that is not a :class:`CampaignState`, ``event_misfit`` for an event
            this state cannot take (of another log, or out of its order: a payment for an order
            that was never placed); *state* is unchanged.
    """
    check_state(state, "state")
    draft = Draft(state)
    draft.apply((event,))
    return draft.freeze()


class Fold:
    """Decides and applies a long stream of commands or events in linear time.

    The working copy is private: its groups and orders are mutable records edited in place,
    and :attr:`state` builds the immutable value from what changed since it was last read
    (reading it after every event costs what the pure :func:`evolve` costs; reading it once at
    the end costs one frozen record per group and order). Further work then copies what it
    touches again, so every state handed out stays unchanged.

    Args:
        campaign: the campaign, or a state to continue from.

    Raises:
        InvalidInput: ``invalid_input`` for anything else.
    """

    def __init__(self, campaign: Campaign | CampaignState) -> None:
        state = campaign if isinstance(campaign, CampaignState) else initial_state(campaign)
        self._draft = Draft(state)

    @property
    def state(self) -> CampaignState:
        """The state so far, as an immutable value."""
        return self._draft.freeze()

    def apply(self, events: Iterable[Event]) -> None:
        """Apply facts (never fails on events that ``decide`` produced).

        Raises:
            InvalidInput: ``unknown_event`` for an entry that is not an event, ``invalid_input``
                for *events* that are not a list (nor any iterable), ``event_misfit`` for an
                event the state cannot take. After a refusal the fold holds a state part-way
                through that event: build a new fold (the pure :func:`evolve` changes
                nothing).
        """
        # A list or tuple is the common case (and the decider's own): no ABC check for it.
        if type(events) not in (list, tuple) and not isinstance(events, Iterable):
            raise InvalidInput(
                "invalid_input",
                f"events must be a list of events, got {type(events).__name__}",
                field="events",
                value=type(events).__name__,
            )
        self._draft.apply(events)

    def advance(self, at: datetime) -> tuple[Event, ...]:
        """Let time pass to *at*: expired holds, then expired groups. Returns what it caused.

        An instant before the clock changes nothing: time has already passed it.

        Raises:
            InvalidInput: ``naive_datetime`` or ``invalid_datetime``.
        """
        return self._pass_time(effective_time(self._draft, at))

    def _pass_time(self, at: datetime) -> tuple[Event, ...]:
        """:meth:`advance` to *at*, an instant already checked and not before the clock: a
        command's ``at`` was checked when the command was built (:func:`command_time`)."""
        draft = self._draft
        elapsed = elapse(draft, at)
        if elapsed:
            draft.apply(elapsed)
        # The clock moves only with events, exactly as on the pure path (decide + evolve):
        # a quiet tick leaves no trace, so both paths refuse the same commands.
        return tuple(elapsed)

    def execute(self, command: Command) -> tuple[Event, ...]:
        """Decide *command* as :func:`decide` would, apply its events, and return them.

        Time passing to ``command.at`` is applied even when the command is then refused.

        Raises:
            Rejected, Conflict, InvalidInput: as :func:`decide`; the command changed nothing.
        """
        check_command(command)
        elapsed = self._pass_time(command_time(self._draft, command))
        return (*elapsed, *self._decide_now(command))

    def _decide_now(self, command: Command) -> tuple[Event, ...]:
        """Decide *command* and apply its events, time having passed to its ``at`` already
        (:meth:`advance`): :meth:`execute` without the time passing, for a caller that
        advanced first and keeps what time caused apart.

        Raises:
            Rejected, Conflict, InvalidInput: as :func:`decide`; the command changed nothing.
        """
        events = decide_now(self._draft, command)
        self._draft.apply(events)
        return tuple(events)


def replay(campaign: Campaign, events: Iterable[Event]) -> CampaignState:
    """Fold an event log into the state it leads to, in time linear in the log.

    Raises:
        InvalidInput: ``invalid_input`` for a *campaign* that is not a :class:`Campaign` (or a
            state) or *events* that are not a list; ``unknown_event`` for an entry that is
            not an event.
    """
    fold = Fold(campaign)
    fold.apply(events)
    return fold.state
