"""Scenario files: a campaign and what happened to it, replayed into a statement.

The format is the contract of ``shared/SCENARIO.md`` (``schema = 1``): TOML for people, JSON of
the same structure for backends. :func:`load` reads a file into a :class:`Scenario` or raises
:class:`InvalidScenario` naming the key; :func:`settle` replays it through the decider and
returns the :class:`~tuangou_core.reporting.Statement`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import attrs

from tuangou_core._validators import shallow
from tuangou_core.campaign import Campaign
from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    CampaignState,
    Command,
    ReplayStep,
    run,
)
from tuangou_core.interchange._files import (
    MAX_INPUT_BYTES,
    decode_document,
    read_text,
    refuse_float,
)
from tuangou_core.interchange._scenario_events import (
    InvalidScenario,
    bad,
    read_command,
    read_datetime,
    read_plain,
    reject_floats,
)
from tuangou_core.interchange._stream import EventStream, Fallback, stream_scenario
from tuangou_core.money import Money
from tuangou_core.reporting import Statement, statement_of

SCHEMA: Final = 1


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
        raise bad("invalid_scenario", "scenario", "must be a table of keys")
    if not owned:
        shallow(data, "scenario", error=InvalidScenario)  # before any recursive look at it
    unknown = sorted(set(data) - _SCENARIO_KEYS)
    if unknown:
        raise bad(
            "unknown_key",
            unknown[0],
            f"is not a scenario key ({', '.join(sorted(_SCENARIO_KEYS))})",
            unknown[0],
        )
    lint = data.get("lint", {})
    if not isinstance(lint, Mapping):
        raise bad("invalid_value", "lint", "must be a table")
    if "schema" not in data:
        raise bad("missing_key", "schema", "is required (schema = 1)")
    if data["schema"] != SCHEMA or isinstance(data["schema"], bool):
        raise bad(
            "unsupported_schema",
            "schema",
            f"must be {SCHEMA}, got {data['schema']!r}",
            data["schema"],
        )
    if not isinstance(data.get("campaign"), Mapping):
        raise bad("missing_key", "campaign", "must be a table")
    campaign_data = dict(data["campaign"])
    reject_floats(campaign_data, "campaign")
    _amounts_as_text(campaign_data, ("list_price", "price", "leader_price"), "campaign")
    for index, tier in enumerate(campaign_data.get("tiers") or ()):
        if isinstance(tier, Mapping):
            _amounts_as_text(tier, ("price",), f"campaign.tiers[{index}]")
    if "starts_at" in campaign_data:
        campaign_data["starts_at"] = read_datetime(campaign_data["starts_at"], "campaign.starts_at")
    fees = data.get("fees", {})
    if not isinstance(fees, Mapping):
        raise bad("invalid_value", "fees", "must be a table")
    reject_floats(fees, "fees")
    coupons = data.get("coupons", [])
    if not isinstance(coupons, list):
        raise bad("invalid_value", "coupons", "must be a list of tables")
    for index, coupon in enumerate(coupons):
        reject_floats(coupon, f"coupons[{index}]")
        _amounts_as_text(coupon, ("amount", "threshold"), f"coupons[{index}]")
    points = data.get("points")
    if points is not None:
        reject_floats(points, "points")
        _amounts_as_text(points, ("value",), "points")
    campaign = Campaign.build(campaign_data, fees=fees, coupons=coupons, points=points)
    events = data.get("events", [])
    if not isinstance(events, list | EventStream):
        raise bad("invalid_value", "events", "must be a list of tables")
    return Scenario(campaign, _commands(events, campaign.currency, owned=owned), dict(lint))


def _commands(
    events: list[Any] | EventStream, currency: str, *, owned: bool
) -> tuple[Command, ...]:
    commands: list[Command] = []
    last: datetime | None = None
    amounts: dict[str, Money] = {}  # a day's payments name a handful of distinct amounts
    for index, event in enumerate(events):
        command = read_plain(event, amounts)
        if command is None:
            command = read_command(event, index, currency, amounts)
        if last is not None and command.at < last:
            raise bad(
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
            raise bad(
                "invalid_amount",
                f"{where}.{key}",
                f'is the number {value}; write amounts as decimal strings like "22.00" '
                "(a number could be fen or yuan)",
                value,
            )


def settle(scenario: Scenario) -> Statement:
    """Replay *scenario* and return its statement.

    Raises:
        InvalidInput: a command the decider cannot read (a refused one is listed instead).
    """
    return statement_of(*_replay(scenario))


def _replay(scenario: Scenario) -> tuple[tuple[ReplayStep, ...], CampaignState]:
    steps, fold = run(scenario.campaign, scenario.commands)
    return steps, fold.state
