"""Reading a scenario's events into commands, each error naming ``events[i].key``.

The careful reading (:func:`read_command`) checks every key of every event and names the one
at fault; the quick reading (:func:`read_plain`) takes the common case, an open, a join or a
pay of plain text values, straight to the command's constructor and stands aside for
anything else, so that both give the same command or the careful reading's error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from tuangou_core.campaign import check_quantity
from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    Cancel,
    Command,
    Complete,
    Draw,
    Join,
    Open,
    Pay,
    RequestRefund,
    Ship,
    Tick,
)
from tuangou_core.money import Money


class InvalidScenario(InvalidInput):
    """A scenario file that cannot be replayed as written; the message names the key."""

    default_code = "invalid_scenario"


def bad(code: str, key: str, message: str, value: object = None) -> InvalidScenario:
    return InvalidScenario(code, f"{key} {message}", field=key, value=value)


def reject_floats(table: object, where: str) -> None:
    if not isinstance(table, Mapping):
        raise bad("invalid_value", where, "must be a table")
    for key, value in table.items():
        if type(value) is str:  # most values: text, not a float, holding no table
            continue
        if isinstance(value, float):
            raise bad(
                "float_refused",
                f"{where}.{key}",
                f"is the float {value!r}; write it as a decimal string",
                value,
            )
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    reject_floats(item, f"{where}.{key}[{index}]")


_Builder = Callable[["_Fields"], Command]


class _Fields:
    """Reads one event's keys, each error naming ``events[i].key``."""

    def __init__(
        self,
        data: Mapping[str, Any],
        where: str,
        currency: str,
        at: datetime,
        amounts: dict[str, Money],
    ) -> None:
        self.data = data
        self.where = where
        self.currency = currency
        self.at = at
        self.amounts = amounts

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            raise bad("missing_key", f"{self.where}.{key}", "is required")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise bad(
                "invalid_value",
                f"{self.where}.{key}",
                f"must be a non-empty string, got {value!r}",
                value,
            )
        # A group's and a member's ids recur in every event about them, each occurrence its
        # own string as JSON reads it: one object each, shared by the commands and events.
        return sys.intern(value) if type(value) is str else value

    def qty(self) -> int:
        value = self.data.get("qty", 1)
        try:
            return check_quantity(value, f"{self.where}.qty")
        except InvalidInput as error:
            raise InvalidScenario(error.code, error.message, **error.fields) from None

    def coupons(self) -> tuple[str, ...]:
        value = self.data.get("coupons", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise bad(
                "invalid_value", f"{self.where}.coupons", "must be a list of coupon ids", value
            )
        return tuple(value)

    def amount(self, *, allow_zero: bool = False) -> Money:
        key = f"{self.where}.amount"
        value = self.data.get("amount")
        if value is None:
            raise bad("missing_key", key, "is required")
        if not isinstance(value, str):
            raise bad(
                "invalid_amount",
                key,
                f'must be a decimal string like "22.00", got {value!r} (a number could be '
                "fen or yuan)",
                value,
            )
        money = self.amounts.get(value)
        if money is None:
            try:
                money = Money.parse(value, self.currency)
            except InvalidInput as error:
                raise bad(error.code, key, error.message, value) from None
            if len(self.amounts) < _MAX_AMOUNTS:
                self.amounts[value] = money
        if money.minor < 0 or (money.minor == 0 and not allow_zero):
            raise bad("invalid_amount", key, f"must be positive, got {money}", value)
        return money

    def count(self, key: str) -> int:
        value = self.data.get(key)
        if type(value) is not int or value < 0:
            raise bad(
                "invalid_value",
                f"{self.where}.{key}",
                f"must be a whole number of at least 0, got {value!r}",
                value,
            )
        return value


def _open(f: _Fields) -> Command:
    return Open(f.at, f.text("group"), f.text("member"), f.qty(), f.coupons())


def _join(f: _Fields) -> Command:
    member = f.text("member")
    inviter = f.text("inviter") if "inviter" in f.data else None
    if inviter == member:
        raise bad("invalid_inviter", f"{f.where}.inviter", "names the joiner itself", inviter)
    return Join(f.at, f.text("group"), member, f.qty(), f.coupons(), inviter)


def _pay(f: _Fields) -> Command:
    tender = f.text("tender") if "tender" in f.data else "wechat"
    return Pay(f.at, f.text("group"), f.text("member"), f.text("payment_id"), f.amount(), tender)


def _refund(f: _Fields) -> Command:
    # A refund of zero is a rejected event (refund_exceeds_paid), not an unreadable file.
    reason = f.text("reason") if "reason" in f.data else "after_sales"
    refund_id = f.text("refund_id") if "refund_id" in f.data else None
    if ("amount" in f.data) == ("units" in f.data):
        raise bad("invalid_value", f.where, "a refund names exactly one of amount and units")
    if "units" in f.data:
        return RequestRefund(
            f.at,
            f.text("group"),
            f.text("member"),
            units=f.count("units"),
            refund_id=refund_id,
            reason=reason,
        )
    amount = f.amount(allow_zero=True)
    return RequestRefund(
        f.at, f.text("group"), f.text("member"), amount, refund_id=refund_id, reason=reason
    )


_MAX_AMOUNTS: Final = 4096  # distinct amount texts remembered by one parse

_EVENT_TYPES: Final[Mapping[str, tuple[frozenset[str], _Builder]]] = {
    "open": (frozenset({"group", "member", "qty", "coupons"}), _open),
    "join": (frozenset({"group", "member", "qty", "coupons", "inviter"}), _join),
    "pay": (frozenset({"group", "member", "payment_id", "amount", "tender"}), _pay),
    "cancel": (
        frozenset({"group", "member"}),
        lambda f: Cancel(f.at, f.text("group"), f.text("member")),
    ),
    "tick": (frozenset(), lambda f: Tick(f.at)),
    "draw": (frozenset({"group", "seed"}), lambda f: Draw(f.at, f.text("group"), f.text("seed"))),
    "ship": (
        frozenset({"group", "member"}),
        lambda f: Ship(f.at, f.text("group"), f.text("member")),
    ),
    "complete": (
        frozenset({"group", "member"}),
        lambda f: Complete(f.at, f.text("group"), f.text("member")),
    ),
    "refund": (
        frozenset({"group", "member", "amount", "units", "refund_id", "reason"}),
        _refund,
    ),
}


_ALLOWED: Final = {kind: keys | {"at", "type"} for kind, (keys, _build) in _EVENT_TYPES.items()}


def read_datetime(value: object, key: str) -> datetime:
    # JSON has no datetime type; a TOML file may quote one too. Both read ISO 8601 text.
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise bad(
                "invalid_datetime",
                key,
                f"must be an ISO 8601 datetime with an offset, got {value!r}",
                value,
            ) from None
    if not isinstance(value, datetime):
        raise bad(
            "invalid_datetime", key, f"must be a datetime with an offset, got {value!r}", str(value)
        )
    zone = value.tzinfo
    if zone is None or value.utcoffset() is None:
        raise bad(
            "naive_datetime",
            key,
            f"must carry a UTC offset (e.g. +08:00), got the local {value.isoformat()}",
            value.isoformat(),
        )
    if type(zone) is timezone and len(_OFFSETS) < _MAX_OFFSETS:
        # Every "+08:00" read makes a new fixed-offset object; one object per offset lets the
        # decider compare instants field by field instead of through two utcoffset() calls.
        # A fixed offset has no repeated hour, so that comparison is exact; an IANA zone is
        # left as it is (ZoneInfo keeps one object per key already).
        shared = _OFFSETS.setdefault((zone.utcoffset(None), zone.tzname(None)), zone)
        if shared is not zone:
            value = value.replace(tzinfo=shared)
    return value


_OFFSETS: dict[tuple[timedelta | None, str | None], timezone] = {}
_MAX_OFFSETS = 1024  # offsets are a few dozen in practice; a hostile file cannot grow it


def read_plain(data: object, amounts: dict[str, Money]) -> Command | None:
    """The command of a plain open, join or pay (every value text, an ``at`` with an offset,
    an amount already read once), or None: anything else, and anything the command refuses,
    is read by :func:`read_command`, which gives the same command or names the key at fault."""
    # A day's file is hundreds of thousands of such events: this reads each value once and
    # leaves every check to the command's own converters.
    if type(data) is not dict:
        return None
    kind = data.get("type")
    plain = _PLAIN.get(kind) if type(kind) is str else None
    if plain is None:
        return None
    keys, build = plain
    if not keys.issuperset(data):
        return None  # qty, coupons, an unknown key: the careful reading
    for value in data.values():
        if type(value) is not str:
            return None
    at = data.get("at")
    try:
        at = datetime.fromisoformat(at)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    zone = at.tzinfo
    if type(zone) is not timezone:
        return None
    shared = _OFFSETS.get((zone.utcoffset(None), zone.tzname(None)))
    if shared is None:
        return None  # an offset not seen yet: the careful reading shares it
    if shared is not zone:
        at = at.replace(tzinfo=shared)
    try:
        return build(data, at, amounts)
    except (InvalidInput, KeyError):
        return None


def _plain_open(data: dict[str, str], at: datetime, amounts: dict[str, Money]) -> Command:
    return Open(at, sys.intern(data["group"]), sys.intern(data["member"]))


def _plain_join(data: dict[str, str], at: datetime, amounts: dict[str, Money]) -> Command | None:
    member = sys.intern(data["member"])
    inviter = data.get("inviter")
    return Join(
        at,
        sys.intern(data["group"]),
        member,
        inviter=None if inviter is None else sys.intern(inviter),
    )


def _plain_pay(data: dict[str, str], at: datetime, amounts: dict[str, Money]) -> Command | None:
    amount = amounts.get(data["amount"])
    if amount is None or amount.minor <= 0:
        return None
    return Pay(
        at,
        sys.intern(data["group"]),
        sys.intern(data["member"]),
        sys.intern(data["payment_id"]),
        amount,
        sys.intern(data.get("tender", "wechat")),
    )


_Plain = Callable[[dict[str, str], datetime, dict[str, Money]], Command | None]

_PLAIN: Final[Mapping[str, tuple[frozenset[str], _Plain]]] = {
    "open": (frozenset({"type", "at", "group", "member"}), _plain_open),
    "join": (frozenset({"type", "at", "group", "member", "inviter"}), _plain_join),
    "pay": (
        frozenset({"type", "at", "group", "member", "payment_id", "amount", "tender"}),
        _plain_pay,
    ),
}


def read_command(data: object, index: int, currency: str, amounts: dict[str, Money]) -> Command:
    where = f"events[{index}]"
    if type(data) is not dict and not isinstance(data, Mapping):
        raise bad("invalid_value", where, "must be a table")
    kind = data.get("type")
    if kind is None:
        raise bad("missing_key", f"{where}.type", "is required")
    spec = _EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if spec is None:
        names = ", ".join(_EVENT_TYPES)
        raise bad(
            "unknown_event_type", f"{where}.type", f"must be one of {names}, got {kind!r}", kind
        )
    keys, build = spec
    if not _ALLOWED[kind].issuperset(data):
        unknown = sorted(set(data) - keys - {"at", "type"})
        raise bad(
            "unknown_key", f"{where}.{unknown[0]}", f"is not a key of a {kind} event", unknown[0]
        )
    if "at" not in data:
        raise bad("missing_key", f"{where}.at", "is required")
    reject_floats(data, where)
    at = read_datetime(data["at"], f"{where}.at")
    try:
        return build(_Fields(data, where, currency, at, amounts))
    except InvalidScenario:
        raise
    except InvalidInput as error:
        # The command refused one of its fields (an id with a control character, one too
        # long): name it as the file does, events[i].key, as every other refusal here.
        field = error.fields.get("field")
        value = error.fields.get("value")
        if not isinstance(field, str):
            raise bad(error.code, where, error.message, value) from None
        message = error.message.removeprefix(f"{field} ")
        raise bad(error.code, f"{where}.{field}", message, value) from None
