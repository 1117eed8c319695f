"""Scenario files: a campaign and what happened to it, replayed into a statement.

The format is the contract of ``shared/SCENARIO.md`` (``schema = 1``): TOML for people, JSON of
the same structure for backends. :func:`load` reads a file into a :class:`Scenario` or raises
:class:`InvalidScenario` naming the key; :func:`settle` replays it through the decider and
returns the :class:`~tuangou_core.reporting.Statement`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

import attrs

from tuangou_core._validators import shallow
from tuangou_core.campaign import Campaign, check_quantity
from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    CampaignState,
    Cancel,
    Command,
    Complete,
    Draw,
    Join,
    Open,
    Pay,
    ReplayStep,
    RequestRefund,
    Ship,
    Tick,
    run,
)
from tuangou_core.interchange._files import (
    MAX_INPUT_BYTES,
    decode_document,
    read_text,
    refuse_float,
)
from tuangou_core.interchange._stream import EventStream, Fallback, stream_scenario
from tuangou_core.money import Money
from tuangou_core.reporting import Statement, statement_of

SCHEMA: Final = 1


class InvalidScenario(InvalidInput):
    """A scenario file that cannot be replayed as written; the message names the key."""

    default_code = "invalid_scenario"


def _bad(code: str, key: str, message: str, value: object = None) -> InvalidScenario:
    return InvalidScenario(code, f"{key} {message}", field=key, value=value)


@attrs.frozen
class Scenario:
    """A validated scenario: the campaign and the commands, in file order."""

    campaign: Campaign
    commands: tuple[Command, ...]
    lint: Mapping[str, Any] = attrs.field(factory=dict, eq=False)


def load(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Scenario:
    """Read a scenario from a ``.toml`` or ``.json`` file, or ``-`` for standard input (JSON
    when its first non-blank character is ``{``, TOML otherwise).

    Only regular files are read (a FIFO or a device is refused at once), at most *max_bytes*
    (16 MiB unless raised, up to 1 GiB: a million-event day is about 112 MiB), nested at most
    32 levels deep (``interchange._files``).

    Raises:
        InvalidScenario: ``file_not_found``, ``not_a_file``, ``input_too_large``,
            ``invalid_toml``, ``invalid_json``, ``too_deep`` or any validation error of
            :func:`parse`, naming the key.
        InvalidRule: a campaign rule that cannot be run, naming the key.
        InvalidInput: ``invalid_input`` for a *max_bytes* that is not 1 to 1 GiB.
    """
    text, as_json, name = read_text(path, InvalidScenario, max_bytes)
    if as_json:
        # Events decoded one at a time as their commands are built (interchange._stream);
        # whenever the stream cannot vouch for the document, it is read whole below, and
        # that reading's answer (or error) is the one given.
        head = stream_scenario(text, refuse_float(InvalidScenario))
        if head is not None:
            events: EventStream = head["events"]
            try:
                scenario = _parse(head, owned=True)
            except InvalidInput:
                if events.finish():
                    raise  # the document is whole and well-formed: the error stands
            except Fallback:
                pass
            else:
                if events.last:
                    return scenario
            del head, events
    # The document is this call's own: its nesting is measured once it is decoded, and each
    # event's table can go once its command is built.
    return _parse(decode_document(text, as_json, name, InvalidScenario), owned=True)


def parse(data: Mapping[str, Any]) -> Scenario:
    """Validate plain scenario data (as TOML or JSON decodes it) into a :class:`Scenario`.

    Datetimes may be TOML datetimes or ISO 8601 text (JSON has no datetime type); either way
    they must carry a UTC offset.

    Args:
        data: the decoded document.

    Raises:
        InvalidScenario: naming the key at fault.
        InvalidRule: a campaign rule that cannot be run.
    """
    return _parse(data, owned=False)


def _parse(data: Mapping[str, Any], *, owned: bool) -> Scenario:
    if not isinstance(data, Mapping):
        raise _bad("invalid_scenario", "scenario", "must be a table of keys")
    if not owned:
        shallow(data, "scenario", error=InvalidScenario)  # before any recursive look at it
    unknown = sorted(set(data) - _SCENARIO_KEYS)
    if unknown:
        raise _bad(
            "unknown_key",
            unknown[0],
            f"is not a scenario key ({', '.join(sorted(_SCENARIO_KEYS))})",
            unknown[0],
        )
    lint = data.get("lint", {})
    if not isinstance(lint, Mapping):
        raise _bad("invalid_value", "lint", "must be a table")
    if "schema" not in data:
        raise _bad("missing_key", "schema", "is required (schema = 1)")
    if data["schema"] != SCHEMA or isinstance(data["schema"], bool):
        raise _bad(
            "unsupported_schema",
            "schema",
            f"must be {SCHEMA}, got {data['schema']!r}",
            data["schema"],
        )
    if not isinstance(data.get("campaign"), Mapping):
        raise _bad("missing_key", "campaign", "must be a table")
    campaign_data = dict(data["campaign"])
    _reject_floats(campaign_data, "campaign")
    _amounts_as_text(campaign_data, ("list_price", "price", "leader_price"), "campaign")
    for index, tier in enumerate(campaign_data.get("tiers") or ()):
        if isinstance(tier, Mapping):
            _amounts_as_text(tier, ("price",), f"campaign.tiers[{index}]")
    if "starts_at" in campaign_data:
        campaign_data["starts_at"] = _datetime(campaign_data["starts_at"], "campaign.starts_at")
    fees = data.get("fees", {})
    if not isinstance(fees, Mapping):
        raise _bad("invalid_value", "fees", "must be a table")
    _reject_floats(fees, "fees")
    coupons = data.get("coupons", [])
    if not isinstance(coupons, list):
        raise _bad("invalid_value", "coupons", "must be a list of tables")
    for index, coupon in enumerate(coupons):
        _reject_floats(coupon, f"coupons[{index}]")
        _amounts_as_text(coupon, ("amount", "threshold"), f"coupons[{index}]")
    points = data.get("points")
    if points is not None:
        _reject_floats(points, "points")
        _amounts_as_text(points, ("value",), "points")
    campaign = Campaign.build(campaign_data, fees=fees, coupons=coupons, points=points)
    events = data.get("events", [])
    if not isinstance(events, list | EventStream):
        raise _bad("invalid_value", "events", "must be a list of tables")
    return Scenario(campaign, _commands(events, campaign.currency, owned=owned), dict(lint))


def _commands(
    events: list[Any] | EventStream, currency: str, *, owned: bool
) -> tuple[Command, ...]:
    commands: list[Command] = []
    last: datetime | None = None
    amounts: dict[str, Money] = {}  # a day's payments name a handful of distinct amounts
    for index, event in enumerate(events):
        command = _plain(event, amounts)
        if command is None:
            command = _command(event, index, currency, amounts)
        if last is not None and command.at < last:
            raise _bad(
                "time_went_backwards",
                f"events[{index}].at",
                f"({command.at.isoformat()}) is before the event before it "
                f"({last.isoformat()}); events must be in time order",
                command.at.isoformat(),
            )
        last = command.at
        commands.append(command)
        if owned and type(events) is list:
            events[index] = None  # its command holds what it said: a million tables go
    return tuple(commands)


_SCENARIO_KEYS: Final = frozenset(
    {"schema", "campaign", "fees", "points", "coupons", "events", "lint"}
)


def _amounts_as_text(table: Mapping[str, Any], keys: tuple[str, ...], where: str) -> None:
    # A number where an amount belongs is ambiguous (fen or yuan?): only decimal text is read.
    for key in keys:
        value = table.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            raise _bad(
                "invalid_amount",
                f"{where}.{key}",
                f'is the number {value}; write amounts as decimal strings like "22.00" '
                "(a number could be fen or yuan)",
                value,
            )


def _reject_floats(table: object, where: str) -> None:
    if not isinstance(table, Mapping):
        raise _bad("invalid_value", where, "must be a table")
    for key, value in table.items():
        if type(value) is str:  # most values: text, not a float, holding no table
            continue
        if isinstance(value, float):
            raise _bad(
                "float_refused",
                f"{where}.{key}",
                f"is the float {value!r}; write it as a decimal string",
                value,
            )
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    _reject_floats(item, f"{where}.{key}[{index}]")


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
            raise _bad("missing_key", f"{self.where}.{key}", "is required")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise _bad(
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
            raise _bad(
                "invalid_value", f"{self.where}.coupons", "must be a list of coupon ids", value
            )
        return tuple(value)

    def amount(self, *, allow_zero: bool = False) -> Money:
        key = f"{self.where}.amount"
        value = self.data.get("amount")
        if value is None:
            raise _bad("missing_key", key, "is required")
        if not isinstance(value, str):
            raise _bad(
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
                raise _bad(error.code, key, error.message, value) from None
            if len(self.amounts) < _MAX_AMOUNTS:
                self.amounts[value] = money
        if money.minor < 0 or (money.minor == 0 and not allow_zero):
            raise _bad("invalid_amount", key, f"must be positive, got {money}", value)
        return money

    def count(self, key: str) -> int:
        value = self.data.get(key)
        if type(value) is not int or value < 0:
            raise _bad(
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
        raise _bad("invalid_inviter", f"{f.where}.inviter", "names the joiner itself", inviter)
    return Join(f.at, f.text("group"), member, f.qty(), f.coupons(), inviter)


def _pay(f: _Fields) -> Command:
    tender = f.text("tender") if "tender" in f.data else "wechat"
    return Pay(f.at, f.text("group"), f.text("member"), f.text("payment_id"), f.amount(), tender)


def _refund(f: _Fields) -> Command:
    # A refund of zero is a rejected event (refund_exceeds_paid), not an unreadable file.
    reason = f.text("reason") if "reason" in f.data else "after_sales"
    refund_id = f.text("refund_id") if "refund_id" in f.data else None
    if ("amount" in f.data) == ("units" in f.data):
        raise _bad("invalid_value", f.where, "a refund names exactly one of amount and units")
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


def _datetime(value: object, key: str) -> datetime:
    # JSON has no datetime type; a TOML file may quote one too. Both read ISO 8601 text.
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _bad(
                "invalid_datetime",
                key,
                f"must be an ISO 8601 datetime with an offset, got {value!r}",
                value,
            ) from None
    if not isinstance(value, datetime):
        raise _bad(
            "invalid_datetime", key, f"must be a datetime with an offset, got {value!r}", str(value)
        )
    zone = value.tzinfo
    if zone is None or value.utcoffset() is None:
        raise _bad(
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


def _plain(data: object, amounts: dict[str, Money]) -> Command | None:
    """The command of a plain open, join or pay (every value text, an ``at`` with an offset,
    an amount already read once), or None: anything else, and anything the command refuses,
    is read by :func:`_command`, which gives the same command or names the key at fault."""
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


def _command(data: object, index: int, currency: str, amounts: dict[str, Money]) -> Command:
    where = f"events[{index}]"
    if type(data) is not dict and not isinstance(data, Mapping):
        raise _bad("invalid_value", where, "must be a table")
    kind = data.get("type")
    if kind is None:
        raise _bad("missing_key", f"{where}.type", "is required")
    spec = _EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if spec is None:
        names = ", ".join(_EVENT_TYPES)
        raise _bad(
            "unknown_event_type", f"{where}.type", f"must be one of {names}, got {kind!r}", kind
        )
    keys, build = spec
    if not _ALLOWED[kind].issuperset(data):
        unknown = sorted(set(data) - keys - {"at", "type"})
        raise _bad(
            "unknown_key", f"{where}.{unknown[0]}", f"is not a key of a {kind} event", unknown[0]
        )
    if "at" not in data:
        raise _bad("missing_key", f"{where}.at", "is required")
    _reject_floats(data, where)
    at = _datetime(data["at"], f"{where}.at")
    return build(_Fields(data, where, currency, at, amounts))


def settle(scenario: Scenario) -> Statement:
    """Replay *scenario* and return its statement.

    Raises:
        InvalidInput: a command the decider cannot read (a refused one is listed instead).
    """
    return statement_of(*_replay(scenario))


def _replay(scenario: Scenario) -> tuple[tuple[ReplayStep, ...], CampaignState]:
    steps, fold = run(scenario.campaign, scenario.commands)
    return steps, fold.state
