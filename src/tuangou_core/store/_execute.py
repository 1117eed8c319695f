"""Executing a command against a store: load, decide, append with the expected seq, retry.

The decider stays pure: this module reads the state from the store, asks
:func:`tuangou_core.group.decide` what the command causes, wraps the events in envelopes and
asks the store to append them only if the campaign's log is still where it was read. When
another writer got there first it reads again and decides again, a bounded number of times.
"""

from __future__ import annotations

import random
import time
import uuid
from typing import Final, Protocol

import attrs

from tuangou_core.campaign import Campaign
from tuangou_core.errors import Conflict, InvalidInput
from tuangou_core.group import CampaignState, Command, Fold, decide
from tuangou_core.store._envelope import (
    EVENT_SCHEMAS,
    Recorded,
    check_command_id,
    command_text,
)
from tuangou_core.store._sql import Head, LostRace, Plan, Planned, Recalled

ATTEMPTS: Final = 8
"""How many times :func:`execute` decides a command before it gives up (``concurrent_write``).

The first attempt is optimistic; each later one holds the campaign's write lock, so only a
command id taken in the meantime (or a lock the database could not give) makes it lose.
"""

_BACKOFF_CAP: Final = 0.1  # seconds: the longest pause between two attempts


class Store(Protocol):
    """What :func:`execute` needs of an event store (``SQLiteStore``, ``PostgresStore``)."""

    snapshot_every: int

    def create_campaign(self, campaign: Campaign) -> None:
        """Record *campaign*, with an empty log."""
        ...

    def campaign(self, campaign_id: str) -> Campaign:
        """The campaign recorded under *campaign_id*."""
        ...

    def state(self, campaign_id: str) -> CampaignState:
        """The campaign's current state."""
        ...

    def events(self, campaign_id: str, after: int = 0) -> tuple[Recorded, ...]:
        """The campaign's recorded events with ``seq`` above *after*."""
        ...

    def load(self, campaign_id: str) -> Head:
        """The campaign's current state and its ``seq``."""
        ...

    def recall(self, command_id: str) -> Recalled | None:
        """What a recorded command id stands for, or ``None``."""
        ...

    def append(
        self,
        head: Head,
        command_id: str,
        command: str,
        recorded: tuple[Recorded, ...],
        after: CampaignState,
    ) -> bool:
        """Record *recorded* after *head*, or return False when the log moved first."""
        ...

    def append_exclusive(self, campaign_id: str, plan: Plan) -> Planned | None:
        """Under the campaign's write lock, read its head and record what *plan* decides."""
        ...

    def close(self) -> None:
        """Let go of the database."""
        ...


@attrs.frozen
class Outcome:
    """What one :func:`submit` did.

    Attributes:
        events: the envelopes of the events the command caused (possibly none).
        attempts: how many times it was decided (1: no other writer got in the way).
        duplicate: True when the command id was already recorded: *events* are what it
            caused the first time, and nothing new was recorded.
    """

    events: tuple[Recorded, ...]
    attempts: int
    duplicate: bool = False


def execute(
    store: Store,
    campaign_id: str,
    command: Command,
    command_id: str | None = None,
    *,
    attempts: int = ATTEMPTS,
) -> tuple[Recorded, ...]:
    """Decide *command* on the campaign's stored state and record what it causes.

    Args:
        store: the event store.
        campaign_id: the campaign the command is for.
        command: any command of :mod:`tuangou_core.group`.
        command_id: the idempotency key (a payment provider's transaction id, a client's
            request id). Executed again with the same id, the command returns the events it
            caused the first time and records nothing. Without one, the store makes one up
            for the envelopes, and a retry is a new command (the decider's own ids, such as
            ``payment_id``, still make a repeated payment change nothing).
        attempts: how many times to decide before giving up when other writers keep moving
            the campaign's log.

    Returns:
        The envelopes of the events the command caused, in ``seq`` order.

    Raises:
        Rejected: the decider's refusal (``group_full``, ...), or ``unknown_campaign``;
            nothing was recorded.
        Conflict: the decider's (``payment_conflict``), ``command_conflict`` (the id was
            recorded with another command or campaign), or ``concurrent_write`` (every
            attempt lost the race; nothing was recorded).
        InvalidInput: a malformed command, ``invalid_command_id``, ``invalid_option``.
        StoreError: ``store_unavailable`` and the other store failures. When it came from the
            write itself the command may or may not have been recorded: send it again with
            the same command id.
    """
    return submit(store, campaign_id, command, command_id, attempts=attempts).events


def submit(
    store: Store,
    campaign_id: str,
    command: Command,
    command_id: str | None = None,
    *,
    attempts: int = ATTEMPTS,
) -> Outcome:
    """:func:`execute`, telling also how many attempts it took and whether it was a duplicate.

    Raises:
        Rejected, Conflict, InvalidInput, StoreError: as :func:`execute`.
    """
    given = check_command_id(command_id)
    if type(attempts) is not int or attempts < 1:
        raise InvalidInput(
            "invalid_option",
            f"attempts must be a whole number of at least 1, got {attempts!r}",
            field="attempts",
            value=repr(attempts),
        )
    text = command_text(command)
    own_id = given or uuid.uuid4().hex
    for attempt in range(1, attempts + 1):
        result: list[Outcome] = []

        def plan(
            head: Head, attempt: int = attempt, result: list[Outcome] = result
        ) -> Planned | None:
            if given is not None:
                recalled = store.recall(given)
                if recalled is not None:
                    result.append(_duplicate(recalled, campaign_id, text, given, attempt))
                    return None
            events = decide(head.state, command)  # a refusal propagates: nothing recorded
            if not events and given is None:
                result.append(Outcome((), attempt))  # nothing happened, no id to remember
                return None
            recorded = tuple(
                Recorded(
                    campaign_id,
                    head.seq + offset,
                    uuid.uuid4().hex,
                    own_id,
                    EVENT_SCHEMAS[type(event).__name__],
                    event,
                )
                for offset, event in enumerate(events, start=1)
            )
            fold = Fold(head.state)
            fold.apply(events)
            result.append(Outcome(recorded, attempt))
            return (own_id, text, recorded, fold.state)

        try:
            if attempt == 1:
                # Optimistic: read without a lock, write only if nobody moved the log since.
                head = store.load(campaign_id)
                planned = plan(head)
                if planned is None or store.append(head, *planned):
                    return result[0]
            else:
                # Another writer got in first: decide again under the campaign's write lock,
                # where nobody can.
                store.append_exclusive(campaign_id, plan)
                return result[0]
        except LostRace:
            pass  # the command id was taken meanwhile: the next attempt recalls it
        # Full jitter, so that writers who lost together do not collide again together.
        time.sleep(random.uniform(0, min(_BACKOFF_CAP, 0.002 * 2**attempt)))
    raise Conflict(
        "concurrent_write",
        f"campaign {campaign_id!r} changed under the command in each of {attempts} attempts; "
        "nothing was recorded",
        campaign=campaign_id,
        command_id=given,
    )


def _duplicate(
    recalled: Recalled, campaign_id: str, text: str, command_id: str, attempt: int
) -> Outcome:
    if recalled.campaign_id != campaign_id or recalled.command != text:
        raise Conflict(
            "command_conflict",
            f"command_id {command_id!r} was recorded for another command"
            + (
                f" of campaign {recalled.campaign_id!r}"
                if recalled.campaign_id != campaign_id
                else ""
            ),
            command_id=command_id,
            campaign=campaign_id,
        )
    return Outcome(recalled.events, attempt, duplicate=True)
