"""The boundary checks every public value shares: attrs converters that raise coded errors.

Each factory here returns a converter (``attrs.field(converter=...)``) or a check for one field:
it returns the value (converted where the rule says so) or raises the error class it is given
(:class:`~tuangou_core.errors.InvalidInput` by default, :class:`InvalidRule` for campaign rules)
with a stable code and a message naming the field. The stages build their own converters from
these, so that a bad argument is refused the same way wherever it is written.

Values the library builds itself skip the converters (``Money._trusted`` and friends); only what
crosses the public boundary pays for the checks.

Bounds every stage reads (docs/decisions.md, "Bounds"):

- :data:`MAX_ID_LENGTH`: ids and names (campaign, coupon, discount, sku, member, group).
- :data:`MAX_ITEMS`: entries of a list argument (coupons presented, skus, class pairs, …).
- :data:`MAX_DEPTH`: nesting of plain data (scenario files, ``from_data`` documents).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar

from tuangou_core.errors import InvalidInput

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
Convert = Callable[[Any], T]

MAX_ID_LENGTH: Final = 128
"""The longest id or name accepted: longer text is not an id a person or a backend wrote."""

MAX_ITEMS: Final = 10_000
"""The most entries of a list argument (coupons presented, skus, pairs, calendar entries)."""

MAX_DEPTH: Final = 32
"""The deepest nesting of plain data (tables in tables, lists in lists) a document may have."""


def fail(
    error: type[InvalidInput], code: str, field: str, message: str, value: object
) -> InvalidInput:
    """The error for *field*: its message starts with the field's name."""
    return error(code, f"{field} {message}", field=field, value=_shown(value))


def _shown(value: object) -> object:
    # The offending value as the error keeps it: scalars as they are, anything else by type, so
    # an error never holds (or prints) a megabyte of junk.
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and len(value) > 200:
            return value[:200] + "…"
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
            return f"<int of {value.bit_length()} bits>"
        return value
    return f"<{type(value).__name__}>"


def text(
    field: str,
    *,
    code: str = "invalid_value",
    error: type[InvalidInput] = InvalidInput,
    max_length: int = MAX_ID_LENGTH,
    empty: bool = False,
) -> Convert[str]:
    """A converter that accepts a ``str`` of at most *max_length* characters (non-empty unless
    *empty*), with no control characters."""

    def convert(value: object) -> str:
        if type(value) is not str:
            raise fail(error, code, field, f"must be text, got {type(value).__name__}", value)
        if not empty and not value.strip():
            raise fail(error, code, field, "must not be empty", value)
        if len(value) > max_length:
            raise fail(error, code, field, f"must be at most {max_length} characters", value)
        if not value.isprintable():
            raise fail(error, code, field, "must not hold control characters", value)
        return value

    return convert


def whole(
    field: str,
    minimum: int,
    maximum: int,
    *,
    code: str = "invalid_value",
    error: type[InvalidInput] = InvalidInput,
) -> Convert[int]:
    """A converter that accepts an ``int`` (never a ``bool``) from *minimum* to *maximum*."""

    def convert(value: object) -> int:
        if type(value) is not int:
            raise fail(
                error, code, field, f"must be a whole number, got {type(value).__name__}", value
            )
        if not minimum <= value <= maximum:
            raise fail(
                error, code, field, f"must be between {minimum} and {maximum}, got {value}", value
            )
        return value

    return convert


def flag(
    field: str, *, code: str = "invalid_value", error: type[InvalidInput] = InvalidInput
) -> Convert[bool]:
    """A converter that accepts ``True`` or ``False`` only (not 0, 1 or "yes")."""

    def convert(value: object) -> bool:
        if type(value) is not bool:
            raise fail(error, code, field, f"must be true or false, got {value!r}", value)
        return value

    return convert


def member(
    kind: type[E],
    field: str,
    *,
    code: str = "invalid_value",
    error: type[InvalidInput] = InvalidInput,
) -> Convert[E]:
    """A converter that accepts a member of *kind* or its value (``"half_up"``)."""
    by_value = {m.value: m for m in kind}

    def convert(value: object) -> E:
        if isinstance(value, kind):
            return value
        found = by_value.get(value) if isinstance(value, str | int) else None
        if found is None or isinstance(value, bool):
            names = " | ".join(repr(m.value) for m in kind)
            raise fail(error, code, field, f"must be {names}, got {_brief(value)}", value)
        return found

    return convert


def instance(
    kind: type[T] | tuple[type, ...],
    field: str,
    *,
    code: str = "invalid_value",
    error: type[InvalidInput] = InvalidInput,
    what: str = "",
) -> Convert[T]:
    """A converter that accepts an instance of *kind* as it is."""
    name = what or (
        kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
    )

    def convert(value: object) -> T:
        if not isinstance(value, kind):
            raise fail(error, code, field, f"must be {name}, got {type(value).__name__}", value)
        return value  # type: ignore[return-value]

    return convert


def optional(convert: Convert[T]) -> Convert[T | None]:
    """*convert*, letting ``None`` through."""

    def maybe(value: object) -> T | None:
        return None if value is None else convert(value)

    return maybe


def items(
    field: str,
    convert: Convert[T],
    *,
    code: str = "invalid_value",
    error: type[InvalidInput] = InvalidInput,
    max_items: int = MAX_ITEMS,
) -> Convert[tuple[T, ...]]:
    """A converter that reads a list (any iterable but text or a mapping) of at most
    *max_items* entries into a tuple, each entry through *convert*."""

    def convert_all(value: object) -> tuple[T, ...]:
        entries = listed(value, field, code=code, error=error, max_items=max_items)
        return tuple(convert(entry) for entry in entries)

    return convert_all


def listed(
    value: object,
    field: str,
    *,
    code: str = "invalid_value",
    error: type[InvalidInput] = InvalidInput,
    max_items: int = MAX_ITEMS,
) -> list[Any]:
    """*value* as a list of at most *max_items* entries; text, bytes and mappings are refused.

    The count is checked before more than ``max_items + 1`` entries are read, so a generator
    without end costs nothing.
    """
    if isinstance(value, (tuple, list)):  # the common case, without the ABC checks below
        if len(value) > max_items:
            raise fail(error, code, field, f"must hold at most {max_items} entries", value)
        return list(value)
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise fail(error, code, field, f"must be a list, got {type(value).__name__}", value)
    sized = getattr(value, "__len__", None)
    if sized is not None and len(value) > max_items:  # type: ignore[arg-type]
        raise fail(error, code, field, f"must hold at most {max_items} entries", value)
    found: list[Any] = []
    for entry in value:
        found.append(entry)
        if len(found) > max_items:
            raise fail(error, code, field, f"must hold at most {max_items} entries", value)
    return found


_SCALARS: Final = frozenset({str, int, float, bool, type(None)})


def depth_of(value: object, limit: int = MAX_DEPTH) -> int:
    """How deeply *value* nests lists, tuples and mappings, counted without recursion and no
    further than ``limit + 1`` (a scalar is 0, ``[1]`` is 1)."""
    # Level by level, carrying only what may be a container: a scenario's hundreds of
    # thousands of strings and numbers are looked at once, by their exact type.
    depth = 0
    level: list[object] = [value]
    while level:
        below: list[object] = []
        nested = False
        for current in level:
            if type(current) is dict or isinstance(current, Mapping):
                children: Iterable[object] = current.values()
            elif isinstance(current, list | tuple):
                children = current
            else:
                continue
            nested = True
            below += [child for child in children if type(child) not in _SCALARS]
        if not nested:
            break
        depth += 1
        if depth > limit:
            break
        level = below
    return depth


def shallow(
    value: T,
    field: str,
    *,
    code: str = "too_deep",
    error: type[InvalidInput] = InvalidInput,
    limit: int = MAX_DEPTH,
) -> T:
    """*value* when it nests at most *limit* levels deep."""
    if depth_of(value, limit) > limit:
        raise fail(error, code, field, f"nests deeper than {limit} levels", value)
    return value


def _brief(value: object) -> str:
    shown = _shown(value)
    return repr(shown) if shown is value else str(shown)
