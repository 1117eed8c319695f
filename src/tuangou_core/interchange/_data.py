"""JSON-safe data for backends: campaigns, commands, events, quotes and splits.

``to_data(value)`` turns a library value into plain dicts, lists, strings, ints and bools;
``from_data(data)`` turns it back, refusing unknown or missing keys with a coded error. Money
travels as decimal strings (``"70.00"``) with the currency named once in the envelope, rates as
exact strings (``"0.006"``, ``"1/3"``), datetimes as ISO 8601 with their offset, durations as
ISO 8601 durations, enums by their value. Every document carries ``schema`` and ``type``::

    {"schema": 1, "type": "PaymentReceived", "currency": "CNY", "at": "...", "amount": "70.00"}

A value round-trips exactly: ``from_data(to_data(x)) == x``.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime, time
from fractions import Fraction
from typing import Any, Final, Union

import attrs

from tuangou_core import campaign as _campaign
from tuangou_core import group as _group
from tuangou_core import pricing as _pricing
from tuangou_core import settlement as _settlement
from tuangou_core._validators import shallow
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.interchange._scenario import SCHEMA
from tuangou_core.money import Money, Rate
from tuangou_core.timing import Duration


class SerializationError(InvalidInput):
    """Data that cannot be read back into a library value; the message names the key."""

    default_code = "invalid_data"


def _registry() -> dict[str, type]:
    # The values a backend sends or stores: campaigns, commands, events, quotes, splits. A
    # statement is not among them: its one JSON shape is Statement.to_data, the contract's.
    found: dict[str, type] = {}
    for module in (_campaign, _pricing, _group, _settlement):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and attrs.has(value):
                found[name] = value
    return found


_TYPES: Final = _registry()
_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)  # values live where their annotations resolve
        _HINTS[cls] = hints
    return hints


def _currency_in(value: Any) -> str | None:
    if isinstance(value, Money):
        return value.currency
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            found = _currency_in(getattr(value, field.name))
            if found is not None:
                return found
    elif isinstance(value, tuple | list):
        for item in value:
            found = _currency_in(item)
            if found is not None:
                return found
    elif isinstance(value, Mapping):
        for item in value.values():
            found = _currency_in(item)
            if found is not None:
                return found
    return None


def to_data(value: Any) -> dict[str, Any]:
    """The JSON-safe form of a library value (a campaign, command, event, quote, statement...).

    Raises:
        SerializationError: ``not_serializable`` for a value this module does not know.
    """
    name = type(value).__name__
    if _TYPES.get(name) is not type(value):
        own = getattr(value, "to_data", None)
        hint = f"; use its own {name}.to_data()" if callable(own) else ""
        raise SerializationError(
            "not_serializable", f"{name} is not a serializable value{hint}", value=name
        )
    data = _encode(value)
    currency = _currency_in(value)
    envelope: dict[str, Any] = {"schema": SCHEMA, "type": name}
    if currency is not None:
        envelope["currency"] = currency
    envelope.update(data)
    return envelope


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Money | Rate | Duration):
        return str(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(_encode(item) for item in value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):
        return {
            str(key.value if isinstance(key, enum.Enum) else key): _encode(item)
            for key, item in value.items()
        }
    if attrs.has(type(value)):
        out: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            if field.eq is False:
                continue  # derived context (e.g. a split's fee schedule), not part of the value
            out[field.name] = _encode(getattr(value, field.name))
        if _TYPES.get(type(value).__name__) is type(value) and _is_union_member(type(value)):
            out = {"type": type(value).__name__, **out}
        return out
    raise SerializationError(
        "not_serializable",
        f"{type(value).__name__} is not serializable",
        value=type(value).__name__,
    )


def _is_union_member(cls: type) -> bool:
    # Values that sit in a field typed as a union (a rule, an event) carry their type name.
    return cls in _UNION_MEMBERS


def from_data(data: Mapping[str, Any]) -> Any:
    """Read back what :func:`to_data` wrote.

    Raises:
        SerializationError: ``unsupported_schema``, ``unknown_type``, ``missing_key``,
            ``unknown_key`` or ``invalid_value``, naming the key.
        TuangouError: whatever the value's own validation refuses (e.g. ``invalid_rule``).
    """
    if not isinstance(data, Mapping):
        raise SerializationError(
            "invalid_value",
            f"data must be an object, got {type(data).__name__}",
            value=type(data).__name__,
        )
    shallow(data, "data", error=SerializationError)
    schema = data.get("schema")
    if type(schema) is not int or schema != SCHEMA:
        shown = schema if isinstance(schema, str | int) and len(str(schema)) < 40 else "…"
        raise SerializationError(
            "unsupported_schema", f"schema must be {SCHEMA}, got {shown!r}", field="schema"
        )
    name = data.get("type")
    cls = _TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        shown = name if isinstance(name, str) and len(name) <= 40 else type(name).__name__
        raise SerializationError(
            "unknown_type", f"type {shown!r} is not a known value", field="type", value=shown
        )
    currency = data.get("currency", "CNY")
    if not isinstance(currency, str):
        raise SerializationError(
            "invalid_value", "currency must be an ISO 4217 code", field="currency"
        )
    own = {f.name for f in attrs.fields(cls)}
    body = {
        k: v
        for k, v in data.items()
        if k not in ("schema", "type") and (k != "currency" or "currency" in own)
    }
    return _decode_attrs(cls, body, currency, name or "")


def _decode_attrs(cls: type, data: Any, currency: str, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise SerializationError("invalid_value", f"{where} must be an object", field=where)
    hints = _hints(cls)
    fields = [f for f in attrs.fields(cls) if f.eq is not False]
    names = {f.name for f in fields}
    unknown = sorted(str(key)[:40] for key in set(data) - names - {"type"})
    if unknown:
        raise SerializationError(
            "unknown_key",
            f"{where}.{unknown[0]} is not a key of {cls.__name__}",
            field=f"{where}.{unknown[0]}",
        )
    kwargs: dict[str, Any] = {}
    for field in fields:
        if field.name not in data:
            if field.default is attrs.NOTHING:
                raise SerializationError(
                    "missing_key",
                    f"{where}.{field.name} is required",
                    field=f"{where}.{field.name}",
                )
            continue
        kwargs[field.name] = _decode(
            hints[field.name], data[field.name], currency, f"{where}.{field.name}"
        )
    try:
        return cls(**kwargs)
    except TuangouError:
        raise
    except (TypeError, ValueError) as error:
        raise SerializationError("invalid_value", f"{where}: {error}", field=where) from None


def _decode(hint: Any, value: Any, currency: str, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        real = [o for o in options if o is not type(None)]
        if len(real) == 1:
            return _decode(real[0], value, currency, where)
        if isinstance(value, Mapping) and value.get("type") in {
            getattr(o, "__name__", "") for o in real
        }:
            return _decode_attrs(_TYPES[value["type"]], value, currency, where)
        for option in real:  # simple unions such as str | int
            if isinstance(option, type) and isinstance(value, option):
                return value
        raise SerializationError("invalid_value", f"{where} does not match {hint}", field=where)
    if origin in (tuple, frozenset):
        if not isinstance(value, list | tuple):
            raise SerializationError("invalid_value", f"{where} must be a list", field=where)
        item = typing.get_args(hint)[0]
        decoded = [_decode(item, v, currency, f"{where}[{i}]") for i, v in enumerate(value)]
        if origin is tuple:
            return tuple(decoded)
        try:
            return frozenset(decoded)
        except TypeError:
            raise SerializationError(
                "invalid_value", f"{where} must be a list of values", field=where
            ) from None
    if origin in (Mapping, dict) or hint is Mapping:
        if not isinstance(value, Mapping):
            raise SerializationError("invalid_value", f"{where} must be an object", field=where)
        key_type, item_type = typing.get_args(hint)
        return {
            _decode(key_type, k, currency, where): _decode(item_type, v, currency, f"{where}.{k}")
            for k, v in value.items()
        }
    try:
        return _decode_plain(hint, value, currency, where)
    except TuangouError as error:
        if isinstance(error, SerializationError):
            raise
        raise SerializationError(error.code, f"{where}: {error.message}", field=where) from None


def _decode_plain(hint: Any, value: Any, currency: str, where: str) -> Any:
    if hint is Money:
        return Money.parse(_text(value, where), currency)
    if hint is Rate:
        return Rate(_text(value, where))
    if hint is Duration:
        return Duration.parse(_text(value, where), where)
    if hint is datetime:
        try:
            parsed = datetime.fromisoformat(_text(value, where))
        except ValueError:
            raise SerializationError(
                "invalid_datetime", f"{where} must be ISO 8601", field=where
            ) from None
        if parsed.tzinfo is None:
            raise SerializationError("naive_datetime", f"{where} must carry an offset", field=where)
        return parsed
    if hint is date or hint is time:
        try:
            read = hint.fromisoformat(_text(value, where))
        except ValueError:
            raise SerializationError(
                "invalid_value", f"{where} must be an ISO 8601 {hint.__name__}", field=where
            ) from None
        return read
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return hint(value)
        except ValueError:
            shown = value if isinstance(value, str) and len(value) <= 40 else type(value).__name__
            raise SerializationError(
                "invalid_value", f"{where}: {shown!r} is not a {hint.__name__}", field=where
            ) from None
    if isinstance(hint, type) and attrs.has(hint):
        return _decode_attrs(hint, value, currency, where)
    if hint in (str, int, bool):
        if type(value) is not hint:
            raise SerializationError(
                "invalid_value", f"{where} must be a {hint.__name__}", field=where
            )
        return value
    if hint is Any:
        return value
    raise SerializationError("invalid_value", f"{where}: cannot read {hint}", field=where)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise SerializationError("invalid_value", f"{where} must be a string", field=where)
    return value


def _union_members() -> frozenset[type]:
    members: set[type] = set()
    for alias in (_campaign.GroupRule, _group.Command, _group.Event):
        members.update(typing.get_args(alias))
    return frozenset(members)


_UNION_MEMBERS: Final = _union_members()
