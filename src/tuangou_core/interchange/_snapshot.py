"""Snapshots: a campaign's state as JSON-safe data and back, exactly.

``to_snapshot(state)`` writes every field of a :class:`~tuangou_core.group.CampaignState`
except its campaign (which a store keeps once, beside the snapshot) as plain dicts, lists,
strings and ints; ``from_snapshot(campaign, data)`` reads it back into a state equal to the one
written, down to the time zone of every datetime. The codec reads the attrs fields and type
hints of the state's classes, so a field added to ``CampaignState``, ``GroupState`` or
``Order`` needs no change here.

A snapshot carries ``schema`` (this codec's format) and ``shape``, a digest of the state's
classes, fields and type hints. A snapshot written by a library whose state had another shape
is refused (``stale_snapshot``): a store then rebuilds the state from the events, which are the
record; a snapshot is only a cache of them.

Values that repeat (a quote shared by a thousand orders) are written once in ``shared`` and
referred to by index, so a snapshot stays small and fast to read.
"""

from __future__ import annotations

import enum
import hashlib
import typing
from collections.abc import Mapping
from typing import Any, Final

import attrs

from tuangou_core._validators import instance
from tuangou_core.campaign import Campaign
from tuangou_core.group import CampaignState
from tuangou_core.interchange._codec import Codec, Reader, Writer, invalid
from tuangou_core.interchange._data import SerializationError

SNAPSHOT_SCHEMA: Final = 1
"""The snapshot format; a snapshot of another format is refused (``unsupported_schema``)."""

# -- the public face ---------------------------------------------------------------------------

_CODEC: Final = Codec()
_STATE_FIELDS: Final = tuple(f.name for f in attrs.fields(CampaignState) if f.name != "campaign")


def _describe(root: type) -> str:
    # Every class reachable from the state, its fields and their hints, and enum members.
    lines: list[str] = []
    seen: set[Any] = set()

    def visit(hint: Any) -> None:
        if hint in seen:
            return
        seen.add(hint)
        if isinstance(hint, type) and attrs.has(hint):
            if hint is Campaign:
                return  # kept beside the snapshot, not in it
            hints = typing.get_type_hints(hint)
            for f in attrs.fields(hint):
                lines.append(f"{hint.__qualname__}.{f.name}: {hints[f.name]!r}")
                visit(hints[f.name])
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            lines.append(f"{hint.__qualname__} = {sorted(str(m.value) for m in hint)}")
        for arg in typing.get_args(hint):
            visit(arg)

    visit(root)
    return "\n".join(sorted(lines))


def _classes(root: type) -> list[type]:
    found: list[type] = []

    def visit(hint: Any) -> None:
        if isinstance(hint, type) and attrs.has(hint):
            if hint in found or hint is Campaign:
                return
            found.append(hint)
            hints = typing.get_type_hints(hint)
            for f in attrs.fields(hint):
                visit(hints[f.name])
        for arg in typing.get_args(hint):
            visit(arg)

    visit(root)
    return found


_SHAREABLE: Final = {
    cls.__name__: cls for cls in _classes(CampaignState) if _CODEC.is_shareable(cls)
}

SNAPSHOT_SHAPE: Final = hashlib.sha256(_describe(CampaignState).encode()).hexdigest()[:16]
"""A digest of the state's classes, fields and type hints: a snapshot of another is stale."""


def to_snapshot(state: CampaignState) -> dict[str, Any]:
    """The JSON-safe snapshot of *state* (all but its campaign, which is named by id).

    Returns:
        ``{"schema", "type", "campaign", "currency", "shape", "shared", "state"}``.

    Raises:
        SerializationError: ``not_serializable`` for a state field of a kind the codec cannot
            write (a bug: the round-trip tests cover every field).
    """
    if not isinstance(state, CampaignState):
        raise SerializationError(
            "not_serializable",
            f"a snapshot is of a CampaignState, not a {type(state).__name__}",
            value=type(state).__name__,
        )
    writer = Writer(state.campaign.currency)
    hints = typing.get_type_hints(CampaignState)
    body = {
        name: _CODEC.encoder(hints[name])(getattr(state, name), writer) for name in _STATE_FIELDS
    }
    return {
        "schema": SNAPSHOT_SCHEMA,
        "type": "CampaignState",
        "campaign": state.campaign.id,
        "currency": writer.currency,
        "shape": SNAPSHOT_SHAPE,
        "shared": writer.shared,
        "state": body,
    }


_CAMPAIGN: Final = instance(Campaign, "campaign", code="invalid_input")


def from_snapshot(campaign: Campaign, data: Mapping[str, Any]) -> CampaignState:
    """The state *data* was written from, for *campaign*.

    Args:
        campaign: the campaign the snapshot is of (a store keeps it beside the snapshot).
        data: what :func:`to_snapshot` wrote, e.g. read back from JSON.

    Returns:
        A state equal to the one written.

    Raises:
        SerializationError: ``unsupported_schema`` (another snapshot format),
            ``stale_snapshot`` (another campaign, or a state of another shape: rebuild it from
            the events), or ``invalid_value``, ``missing_key``, ``unknown_key``,
            ``invalid_datetime`` naming the key.
        InvalidInput: ``invalid_input`` for a *campaign* that is not a :class:`Campaign`.
    """
    _CAMPAIGN(campaign)
    if not isinstance(data, Mapping):
        raise SerializationError("invalid_value", "a snapshot must be an object")
    if data.get("schema") != SNAPSHOT_SCHEMA or isinstance(data.get("schema"), bool):
        raise SerializationError(
            "unsupported_schema",
            f"snapshot schema must be {SNAPSHOT_SCHEMA}, got {data.get('schema')!r}",
            field="schema",
        )
    if data.get("type") != "CampaignState" or data.get("campaign") != campaign.id:
        raise SerializationError(
            "stale_snapshot",
            f"the snapshot is of {data.get('type')!r} {data.get('campaign')!r}, "
            f"not of campaign {campaign.id!r}",
            field="campaign",
        )
    if data.get("shape") != SNAPSHOT_SHAPE:
        raise SerializationError(
            "stale_snapshot",
            f"the snapshot's state shape {data.get('shape')!r} is not this library's "
            f"{SNAPSHOT_SHAPE!r}; rebuild the state from the events",
            field="shape",
        )
    currency = data.get("currency")
    if currency != campaign.currency:
        raise SerializationError(
            "stale_snapshot",
            f"the snapshot is in {currency!r}, the campaign in {campaign.currency!r}",
            field="currency",
        )
    reader = Reader(campaign.currency)
    _read_shared(data.get("shared"), reader)
    body = data.get("state")
    if not isinstance(body, Mapping):
        raise invalid("state", "must be an object")
    hints = typing.get_type_hints(CampaignState)
    extra = sorted(set(body) - set(_STATE_FIELDS))
    if extra:
        raise SerializationError(
            "unknown_key", f"state.{extra[0]} is not a key of CampaignState", field=extra[0]
        )
    kwargs: dict[str, Any] = {"campaign": campaign}
    for field in attrs.fields(CampaignState):
        if field.name == "campaign":
            continue
        if field.name not in body:
            if field.default is attrs.NOTHING:
                raise SerializationError(
                    "missing_key", f"state.{field.name} is required", field=f"state.{field.name}"
                )
            continue
        decode = _CODEC.decoder(hints[field.name], f"state.{field.name}")
        kwargs[field.name] = decode(body[field.name], reader)
    return CampaignState(**kwargs)


def _read_shared(entries: Any, reader: Reader) -> None:
    # Shared values were written children first, so each refers only to earlier ones.
    if not isinstance(entries, list):
        raise invalid("shared", "must be a list")
    for index, entry in enumerate(entries):
        where = f"shared[{index}]"
        kind = entry[0] if isinstance(entry, list) and len(entry) == 2 else None
        if not isinstance(kind, str) or kind not in _SHAREABLE:
            raise invalid(where, f"must be [type, value] with a type of {sorted(_SHAREABLE)}")
        cls = _SHAREABLE[kind]
        decode = _CODEC.inline_decoder(cls, f"shared.{cls.__name__}")
        reader.shared.append(decode(entry[1], reader))
