"""The snapshot codec: encoders and decoders compiled from the state's type hints, once.

Private to :mod:`tuangou_core.interchange`; the public entry points are ``to_snapshot`` and
``from_snapshot``. Amounts in the snapshot's currency are written as minor units, datetimes as
ISO 8601 with their offset and IANA zone, enums by value, tuples and sequences as lists,
mappings with string keys as objects (others as lists of pairs), unions of attrs classes
tagged with the class name, and hashable attrs values that are not records (a quote) once, in
a shared table, referred to by index.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any, Union
from zoneinfo import ZoneInfo

import attrs

from tuangou_core.errors import TuangouError
from tuangou_core.group import CampaignState
from tuangou_core.interchange._data import SerializationError
from tuangou_core.money import Money, Rate
from tuangou_core.timing import Duration

Encode = Callable[[Any, "Writer"], Any]
Decode = Callable[[Any, "Reader"], Any]


class Writer:
    __slots__ = ("currency", "index", "shared")

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.shared: list[Any] = []
        self.index: dict[tuple[type, Any], int] = {}


class Reader:
    # Amounts and instants repeat across orders: each distinct one is built once.
    __slots__ = ("amounts", "currency", "instants", "shared")

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.shared: list[Any] = []
        self.amounts: dict[int, Money] = {}
        self.instants: dict[str, datetime] = {}


def invalid(where: str, message: str) -> SerializationError:
    return SerializationError("invalid_value", f"{where}: {message}", field=where)


# -- the compiler: one encoder and one decoder per type hint, built once ------------------------


class Codec:
    """Encoders and decoders compiled from type hints, memoised per (hint, place)."""

    def __init__(self) -> None:
        self._encoders: dict[Any, Encode] = {}
        self._decoders: dict[tuple[Any, str], Decode] = {}
        self.records = _records(CampaignState)
        self.shareable: dict[type, bool] = {}

    def encoder(self, hint: Any) -> Encode:
        found = self._encoders.get(hint)
        if found is None:
            found = self._encoders[hint] = self._compile_encoder(hint)
        return found

    def decoder(self, hint: Any, where: str) -> Decode:
        key = (hint, where)
        found = self._decoders.get(key)
        if found is None:
            found = self._decoders[key] = self._compile_decoder(hint, where)
        return found

    # encoders ---------------------------------------------------------------------------------

    def _compile_encoder(self, hint: Any) -> Encode:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (Union, types.UnionType):
            return self._union_encoder(args)
        if origin is tuple or origin in (Sequence, list, frozenset, set):
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                parts = [self.encoder(a) for a in args]
                return lambda value, w: [p(v, w) for p, v in zip(parts, value, strict=True)]
            item = self.encoder(args[0])
            if origin in (frozenset, set):
                return lambda value, w: sorted((item(v, w) for v in value), key=repr)
            return lambda value, w: [item(v, w) for v in value]
        if origin in (Mapping, dict):
            key, item = self.encoder(args[0]), self.encoder(args[1])
            if args[0] is str:
                return lambda value, w: {k: item(v, w) for k, v in value.items()}
            return lambda value, w: [[key(k, w), item(v, w)] for k, v in value.items()]
        return self._plain_encoder(hint)

    def _union_encoder(self, options: tuple[Any, ...]) -> Encode:
        real = [o for o in options if o is not type(None)]
        if len(real) == 1:
            inner = self.encoder(real[0])
            return lambda value, w: None if value is None else inner(value, w)
        if all(isinstance(o, type) and attrs.has(o) for o in real):
            tagged = {o: self.encoder(o) for o in real}
            return lambda value, w: (
                None
                if value is None
                else {"type": type(value).__name__, "value": tagged[type(value)](value, w)}
            )
        plain = {o: self.encoder(o) for o in real}

        def encode(value: Any, w: Writer) -> Any:
            if value is None:
                return None
            return plain[type(value)](value, w)

        return encode

    def _plain_encoder(self, hint: Any) -> Encode:
        if hint in (str, int, bool, type(None)):
            return lambda value, _w: value
        if hint is Money:
            return _encode_money
        if hint is datetime:
            return lambda value, _w: _datetime_text(value)
        if hint in (Rate, Duration, Fraction):
            return lambda value, _w: str(value)
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return lambda value, _w: value.value
        if isinstance(hint, type) and attrs.has(hint):
            return self._attrs_encoder(hint)
        raise SerializationError(
            "not_serializable", f"a snapshot cannot hold {hint!r}", value=repr(hint)
        )

    def _attrs_encoder(self, cls: type) -> Encode:
        hints = typing.get_type_hints(cls)
        fields = [(f.name, self.encoder(hints[f.name])) for f in attrs.fields(cls)]

        def inline(value: Any, w: Writer) -> dict[str, Any]:
            return {name: encode(getattr(value, name), w) for name, encode in fields}

        if not self.is_shareable(cls):
            return inline

        name = cls.__name__

        def shared(value: Any, w: Writer) -> Any:
            key = (cls, value)
            index = w.index.get(key)
            if index is None:
                body = inline(value, w)  # children first: they take the lower indices
                index = w.index[key] = len(w.shared)
                w.shared.append([name, body])
            return index

        return shared

    def is_shareable(self, cls: type) -> bool:
        """Values written once and referred to by index: hashable attrs values that are not
        records (records, such as orders, are keyed in a mapping and unique) and hold no
        datetime (equal datetimes in two zones must keep their own zone)."""
        known = self.shareable.get(cls)
        if known is None:
            self.shareable[cls] = False  # a recursive class is never shared
            known = (
                cls not in self.records
                and getattr(cls, "__hash__", None) is not None
                and not _holds(cls, datetime)
            )
            self.shareable[cls] = known
        return known

    # decoders ---------------------------------------------------------------------------------

    def _compile_decoder(self, hint: Any, where: str) -> Decode:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (Union, types.UnionType):
            return self._union_decoder(args, where)
        if origin is tuple or origin in (Sequence, list, frozenset, set):
            return self._sequence_decoder(origin, args, where)
        if origin in (Mapping, dict):
            key = self.decoder(args[0], f"{where}.key")
            item = self.decoder(args[1], f"{where}.*")
            if args[0] is str:

                def mapping(value: Any, r: Reader) -> Any:
                    if not isinstance(value, dict):
                        raise invalid(where, "must be an object")
                    return {_key(k, where): item(v, r) for k, v in value.items()}

                return mapping

            def pairs(value: Any, r: Reader) -> Any:
                if not isinstance(value, list):
                    raise invalid(where, "must be a list of pairs")
                return {key(_pair(p, where)[0], r): item(p[1], r) for p in value}

            return pairs
        return self._plain_decoder(hint, where)

    def _sequence_decoder(self, origin: Any, args: tuple[Any, ...], where: str) -> Decode:
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            parts = [self.decoder(a, f"{where}[{i}]") for i, a in enumerate(args)]

            def fixed(value: Any, r: Reader) -> Any:
                if not isinstance(value, list) or len(value) != len(parts):
                    raise invalid(where, f"must be a list of {len(parts)}")
                return tuple(p(v, r) for p, v in zip(parts, value, strict=True))

            return fixed
        item = self.decoder(args[0], f"{where}[]")
        build: Callable[[Any], Any] = {frozenset: frozenset, set: set, list: list}.get(
            origin, tuple
        )

        def sequence(value: Any, r: Reader) -> Any:
            if not isinstance(value, list):
                raise invalid(where, "must be a list")
            return build(item(v, r) for v in value)

        return sequence

    def _union_decoder(self, options: tuple[Any, ...], where: str) -> Decode:
        real = [o for o in options if o is not type(None)]
        nullable = len(real) < len(options)
        if len(real) == 1:
            inner = self.decoder(real[0], where)

            def optional(value: Any, r: Reader) -> Any:
                if value is None and nullable:
                    return None
                return inner(value, r)

            return optional
        if all(isinstance(o, type) and attrs.has(o) for o in real):
            tagged = {o.__name__: self.decoder(o, where) for o in real}

            def union(value: Any, r: Reader) -> Any:
                if value is None and nullable:
                    return None
                if not isinstance(value, dict) or value.get("type") not in tagged:
                    raise invalid(where, f"must name one of {sorted(tagged)}")
                return tagged[value["type"]](value.get("value"), r)

            return union
        plain = [(o, self.decoder(o, where)) for o in real]

        def simple(value: Any, r: Reader) -> Any:
            if value is None and nullable:
                return None
            for option, decode in plain:
                if type(value) is option:
                    return decode(value, r)
            raise invalid(where, f"does not match {options}")

        return simple

    def _plain_decoder(self, hint: Any, where: str) -> Decode:
        if hint in (str, int, bool):

            def exact(value: Any, _r: Reader) -> Any:
                if type(value) is not hint:
                    raise invalid(where, f"must be a {hint.__name__}")
                return value

            return exact
        if hint is Money:
            return lambda value, r: _decode_money(value, r, where)
        if hint is datetime:

            def instant(value: Any, r: Reader) -> datetime:
                found = r.instants.get(value) if type(value) is str else None
                if found is None:
                    found = _read_datetime(value, where)
                    r.instants[value] = found
                return found

            return instant
        if hint in (Rate, Duration, Fraction):
            return lambda value, _r: _read_text_value(hint, value, where)
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return lambda value, _r: _read_enum(hint, value, where)
        if isinstance(hint, type) and attrs.has(hint):
            return self._attrs_decoder(hint, where)
        raise SerializationError(
            "not_serializable", f"a snapshot cannot hold {hint!r}", value=repr(hint)
        )

    def _attrs_decoder(self, cls: type, where: str) -> Decode:
        if not self.is_shareable(cls):
            return self.inline_decoder(cls, where)

        def shared(value: Any, r: Reader) -> Any:
            if type(value) is not int or not 0 <= value < len(r.shared):
                raise invalid(where, "must be the index of a shared value")
            found = r.shared[value]
            if type(found) is not cls:
                raise invalid(where, f"shared[{value}] is not a {cls.__name__}")
            return found

        return shared

    def inline_decoder(self, cls: type, where: str) -> Decode:
        """The decoder of *cls*'s fields, written out in place (not as a shared index)."""
        key = (cls, f"inline:{where}")
        found = self._decoders.get(key)
        if found is None:
            found = self._decoders[key] = self._inline_decoder(cls, where)
        return found

    def _inline_decoder(self, cls: type, where: str) -> Decode:
        hints = typing.get_type_hints(cls)
        fields = [
            (f.name, self.decoder(hints[f.name], f"{where}.{f.name}"), f.default is attrs.NOTHING)
            for f in attrs.fields(cls)
        ]
        names = {name for name, _d, _r in fields}

        def inline(value: Any, r: Reader) -> Any:
            if not isinstance(value, dict):
                raise invalid(where, "must be an object")
            extra = set(value) - names
            if extra:
                raise SerializationError(
                    "unknown_key",
                    f"{where}.{sorted(extra)[0]} is not a key of {cls.__name__}",
                    field=f"{where}.{sorted(extra)[0]}",
                )
            kwargs: dict[str, Any] = {}
            for name, decode, required in fields:
                if name in value:
                    kwargs[name] = decode(value[name], r)
                elif required:
                    raise SerializationError(
                        "missing_key", f"{where}.{name} is required", field=f"{where}.{name}"
                    )
            try:
                return cls(**kwargs)
            except TuangouError as error:
                raise invalid(where, error.message) from None
            except (TypeError, ValueError) as error:
                raise invalid(where, str(error)) from None

        return inline


def _key(key: Any, where: str) -> str:
    if not isinstance(key, str):  # pragma: no cover - JSON objects have string keys
        raise invalid(where, "keys must be strings")
    return key


def _pair(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise invalid(where, "must be a list of [key, value] pairs")
    return value


def _records(root: type) -> frozenset[type]:
    # The classes held as the values of a mapping (a state's groups, a group's orders).
    found: set[type] = {root}
    seen: set[type] = set()

    def visit(hint: Any, in_mapping: bool) -> None:
        if isinstance(hint, type) and attrs.has(hint):
            if in_mapping:
                found.add(hint)
            if hint in seen:
                return
            seen.add(hint)
            for name, inner in typing.get_type_hints(hint).items():
                if name in {f.name for f in attrs.fields(hint)}:
                    visit(inner, False)
            return
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        for i, arg in enumerate(args):
            visit(arg, origin in (Mapping, dict) and i == 1)

    visit(root, False)
    return frozenset(found)


def _holds(cls: type, kind: type) -> bool:
    seen: set[Any] = set()

    def visit(hint: Any) -> bool:
        if hint is kind:
            return True
        if hint in seen:
            return False
        seen.add(hint)
        if isinstance(hint, type) and attrs.has(hint):
            hints = typing.get_type_hints(hint)
            return any(visit(hints[f.name]) for f in attrs.fields(hint))
        return any(visit(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)

    return visit(cls)


# -- leaves ----------------------------------------------------------------------------------


def _encode_money(value: Money, w: Writer) -> Any:
    # An amount in the snapshot's currency is its minor units; another keeps its currency.
    if value.currency == w.currency:
        return value.minor
    return [value.minor, value.currency]


def _decode_money(value: Any, r: Reader, where: str) -> Money:
    try:
        if type(value) is int:
            found = r.amounts.get(value)
            if found is None:
                found = r.amounts[value] = Money(value, r.currency)
            return found
        if isinstance(value, list) and len(value) == 2:
            return Money(value[0], value[1])
    except TuangouError as error:
        raise invalid(where, error.message) from None
    raise invalid(where, "must be minor units, or [minor units, currency]")


def _datetime_text(value: datetime) -> str:
    # ISO 8601 with the offset, and the IANA zone when there is one (RFC 9557's suffix), so
    # a datetime comes back in its own zone, not only at its own instant.
    text = value.isoformat()
    zone = value.tzinfo
    if isinstance(zone, ZoneInfo):
        return f"{text}[{zone.key}]"
    return text


def _read_datetime(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise invalid(where, "must be ISO 8601 text")
    text, _sep, zone = value.partition("[")
    try:
        parsed = datetime.fromisoformat(text)
        if zone:
            parsed = parsed.astimezone(ZoneInfo(zone.removesuffix("]")))
    except (ValueError, KeyError):
        raise SerializationError(
            "invalid_datetime", f"{where} must be ISO 8601 with an offset", field=where
        ) from None
    if parsed.tzinfo is None:
        raise SerializationError("naive_datetime", f"{where} must carry an offset", field=where)
    return parsed


def _read_text_value(kind: Any, value: Any, where: str) -> Any:
    if not isinstance(value, str):
        raise invalid(where, "must be a string")
    try:
        if kind is Duration:
            return Duration.parse(value, where)
        return kind(value)
    except (TuangouError, ValueError, ZeroDivisionError):
        raise invalid(where, f"{value!r} is not a {kind.__name__}") from None


def _read_enum(kind: type[enum.Enum], value: Any, where: str) -> enum.Enum:
    try:
        return kind(value)
    except ValueError:
        raise invalid(where, f"{value!r} is not a {kind.__name__}") from None
