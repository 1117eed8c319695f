"""Envelopes: what the store records around each event, and the store's own error class.

The decider's events stay as they are (pure facts, no ids); the store wraps each one it
records in a :class:`Recorded` envelope. Event types are read generically from
:data:`tuangou_core.group.EVENT_TYPES` and written with the interchange's ``to_data``, so an
event type added to the decider is recorded without a change here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import attrs

from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.group import EVENT_TYPES, Command, Event
from tuangou_core.interchange import SerializationError, from_data, to_data


class StoreError(TuangouError, RuntimeError):
    """The event store failed, or holds what this library cannot read; retry or alert."""

    default_code = "store_unavailable"
    http_status: ClassVar[int] = 503


EVENT_SCHEMAS: Final[Mapping[str, int]] = {kind.__name__: 1 for kind in EVENT_TYPES}
"""The schema version of each event type, recorded in every envelope.

Every type is at 1. A change to an event type that old data cannot be read into (a field
without a default added, a field removed or renamed) raises its version here, and the store
then refuses older rows of that type with ``unsupported_event_schema`` rather than misread
them. A field added with a default keeps the version: old rows read as they are.
"""

_COMMAND_TYPES: Final = frozenset(
    kind for kind in getattr(Command, "__args__", ()) if isinstance(kind, type)
)
_EVENT_TYPES: Final = frozenset(EVENT_TYPES)
MAX_COMMAND_ID: Final = 200


@attrs.frozen
class Recorded:
    """One recorded event in its envelope.

    Attributes:
        campaign_id: the campaign whose log holds it (the partition key).
        seq: its place in that log, gapless from 1 (the optimistic-concurrency token).
        event_id: its own id, unique across every campaign.
        command_id: the id of the command that caused it: the caller's idempotency key, or
            one the store made up when the caller gave none.
        schema: the schema version of the event's type when it was recorded.
        event: the event itself, exactly as ``decide`` made it.
    """

    campaign_id: str
    seq: int
    event_id: str
    command_id: str
    schema: int
    event: Event


def canonical(data: Any) -> str:
    """JSON text with sorted keys and no spaces: equal data, equal text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def check_command_id(command_id: object) -> str | None:
    """*command_id* if it is ``None`` or a usable idempotency key.

    Raises:
        InvalidInput: ``invalid_command_id``.
    """
    if command_id is None:
        return None
    if not isinstance(command_id, str) or not command_id or len(command_id) > MAX_COMMAND_ID:
        raise InvalidInput(
            "invalid_command_id",
            f"command_id must be a non-empty string of at most {MAX_COMMAND_ID} characters, "
            f"got {command_id!r}",
            field="command_id",
            value=repr(command_id)[:80],
        )
    return command_id


def command_text(command: object) -> str:
    """The canonical JSON of *command*, as the store keeps it beside its command id.

    Raises:
        InvalidInput: ``unknown_command`` for an object that is not a command.
    """
    if type(command) not in _COMMAND_TYPES:
        raise InvalidInput(
            "unknown_command",
            f"a {type(command).__name__} is not a command",
            field="command",
            value=type(command).__name__,
        )
    return canonical(to_data(command))


def event_text(event: Event) -> str:
    """The canonical JSON of *event*, as the store keeps it."""
    return canonical(to_data(event))


def read_event(type_name: str, schema: int, text: str, where: str) -> Event:
    """The event a stored row holds.

    Raises:
        StoreError: ``unsupported_event_schema`` or ``store_corrupt``, naming the row.
    """
    known = EVENT_SCHEMAS.get(type_name)
    if known is None:
        raise StoreError(
            "store_corrupt", f"{where} holds a {type_name!r}, not an event type", field=where
        )
    if schema != known:
        raise StoreError(
            "unsupported_event_schema",
            f"{where} is a {type_name} of schema {schema}; this library reads schema {known}",
            field=where,
            value=schema,
        )
    try:
        event = from_data(json.loads(text))
    except (ValueError, SerializationError) as error:  # JSONDecodeError is a ValueError
        raise StoreError(
            "store_corrupt", f"{where} does not decode: {error}", field=where
        ) from None
    if type(event) not in _EVENT_TYPES or type(event).__name__ != type_name:
        raise StoreError(
            "store_corrupt", f"{where} is labelled {type_name} but holds {event!r}", field=where
        )
    found: Event = event
    return found
