"""JSON-safe data: every value round-trips, and bad data is refused with a coded error."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core.campaign import Campaign
from tuangou_core.errors import TuangouError
from tuangou_core.group import Cancel, Command, Draw, Fold, Join, Open, Pay, Ship, Tick, run
from tuangou_core.interchange import SerializationError, from_data, parse, to_data
from tuangou_core.money import Money
from tuangou_core.pricing import quote_member
from tuangou_core.reporting import statement_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI)

CAMPAIGNS = {
    "fixed": Campaign.build(
        {
            "id": "f",
            "list_price": "100.00",
            "rule": "fixed",
            "size": 3,
            "price": "70.00",
            "leader_price": "60.00",
            "stock": 20,
            "per_member_limit": 2,
        },
        fees={"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.03"},
        coupons=[{"id": "new10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"}],
    ),
    "tiered": Campaign.build(
        {
            "id": "t",
            "list_price": "100.00",
            "rule": "tiered",
            "max_size": 4,
            "tiers": [{"size": 2, "price": "90.00"}, {"size": 3, "price": "80.00"}],
            "charge": "capture_at_close",
        },
    ),
    "lottery": Campaign.build(
        {
            "id": "l",
            "list_price": "100.00",
            "rule": "lottery",
            "size": 3,
            "price": "50.00",
            "winners": 1,
            "consolation_coupon": "care5",
        },
    ),
}


def _round_trip(value: Any) -> Any:
    return from_data(json.loads(json.dumps(to_data(value))))


def _commands(kind: str) -> st.SearchStrategy[list[Command]]:
    members = st.sampled_from(["u1", "u2", "u3", "u4"])
    groups = st.sampled_from(["g1", "g2"])
    price = {"fixed": "70.00", "tiered": "90.00", "lottery": "50.00"}[kind]
    step = st.one_of(
        st.builds(lambda g, m: ("open", g, m), groups, members),
        st.builds(lambda g, m: ("join", g, m), groups, members),
        st.builds(
            lambda g, m, p: ("pay", g, m, p),
            groups,
            members,
            st.sampled_from([price, "60.00", "1.00"]),
        ),
        st.builds(lambda g, m: ("cancel", g, m), groups, members),
        st.builds(lambda g: ("draw", g), groups),
        st.builds(lambda g, m: ("ship", g, m), groups, members),
        st.just(("tick",)),
    )

    def build(raw: list[tuple[Any, ...]]) -> list[Command]:
        out: list[Command] = []
        for i, item in enumerate(raw):
            at = START + timedelta(minutes=7 * i)
            name = item[0]
            if name == "open":
                out.append(Open(at, item[1], item[2]))
            elif name == "join":
                out.append(Join(at, item[1], item[2]))
            elif name == "pay":
                out.append(Pay(at, item[1], item[2], f"p{i % 5}", Money.parse(item[3])))
            elif name == "cancel":
                out.append(Cancel(at, item[1], item[2]))
            elif name == "draw":
                out.append(Draw(at, item[1], "seed"))
            elif name == "ship":
                out.append(Ship(at, item[1], item[2]))
            else:
                out.append(Tick(at))
        return out

    return st.lists(step, max_size=30).map(build)


@pytest.mark.parametrize("kind", sorted(CAMPAIGNS))
def test_campaign_round_trips(kind: str) -> None:
    """A campaign read back from its data equals the campaign."""
    assert _round_trip(CAMPAIGNS[kind]) == CAMPAIGNS[kind]


@pytest.mark.parametrize("kind", sorted(CAMPAIGNS))
@given(data=st.data())
def test_commands_and_events_round_trip(kind: str, data: st.DataObject) -> None:
    """Every command and every event a random stream produces reads back equal to itself."""
    commands = data.draw(_commands(kind))
    fold = Fold(CAMPAIGNS[kind])
    for command in commands:
        assert _round_trip(command) == command
        try:
            events = fold.execute(command)
        except TuangouError:
            continue
        for event in events:
            assert _round_trip(event) == event


def test_quote_round_trips() -> None:
    """A quote with a coupon step reads back equal, shares and funders included."""
    quote = quote_member(
        CAMPAIGNS["fixed"], unit_price=Money.parse("70.00"), qty=2, coupon_ids=("new10",)
    )
    assert _round_trip(quote) == quote


def test_a_statement_has_one_json_shape_its_own() -> None:
    """to_data refuses a statement and names Statement.to_data, the contract's one shape."""
    scenario = parse(
        {
            "schema": 1,
            "campaign": {
                "id": "s",
                "list_price": "100.00",
                "rule": "fixed",
                "size": 2,
                "price": "70.00",
            },
            "fees": {"payment_rate": "0.006"},
            "events": [
                {"at": "2026-03-01T10:00:00+08:00", "type": "open", "group": "g", "member": "a"},
                {
                    "at": "2026-03-01T10:01:00+08:00",
                    "type": "pay",
                    "group": "g",
                    "member": "a",
                    "payment_id": "p1",
                    "amount": "70.00",
                },
                {
                    "at": "2026-03-01T10:02:00+08:00",
                    "type": "pay",
                    "group": "g",
                    "member": "a",
                    "payment_id": "p2",
                    "amount": "70.00",
                },
            ],
        },
    )
    steps, fold = run(scenario.campaign, scenario.commands)
    statement = statement_of(steps, fold.state)
    with pytest.raises(SerializationError) as caught:
        to_data(statement)
    assert caught.value.code == "not_serializable"
    assert "Statement.to_data()" in caught.value.message
    assert statement.to_data()["schema"] == 1


def test_money_travels_as_decimal_strings() -> None:
    """Amounts are decimal strings and the currency is named once, in the envelope."""
    data = to_data(Pay(START, "g", "u", "p1", Money.parse("70.00")))
    assert data["amount"] == "70.00"
    assert data["currency"] == "CNY"
    assert data["at"] == "2026-03-01T10:00:00+08:00"
    assert (data["schema"], data["type"]) == (1, "Pay")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"schema": 2, "type": "Tick", "at": "2026-03-01T10:00:00+08:00"}, "unsupported_schema"),
        ({"type": "Tick", "at": "2026-03-01T10:00:00+08:00"}, "unsupported_schema"),
        ({"schema": 1, "type": "Nope"}, "unknown_type"),
        ({"schema": 1, "type": "Tick"}, "missing_key"),
        ({"schema": 1, "type": "Tick", "at": "2026-03-01T10:00:00+08:00", "x": 1}, "unknown_key"),
        ({"schema": 1, "type": "Tick", "at": "2026-03-01T10:00:00"}, "naive_datetime"),
        ({"schema": 1, "type": "Tick", "at": "yesterday"}, "invalid_datetime"),
        (
            {
                "schema": 1,
                "type": "Pay",
                "at": "2026-03-01T10:00:00+08:00",
                "group": "g",
                "member": "u",
                "payment_id": "p",
                "amount": "7.001",
                "tender": "wechat",
            },
            "too_precise",
        ),
        (
            {
                "schema": 1,
                "type": "Pay",
                "at": "2026-03-01T10:00:00+08:00",
                "group": "g",
                "member": "u",
                "payment_id": "p",
                "amount": 7.5,
                "tender": "wechat",
            },
            "invalid_value",
        ),
        ({"schema": 1, "type": "FixedRule", "size": 1, "price": "70.00"}, "invalid_rule"),
        ([1, 2], "invalid_value"),
    ],
)
def test_bad_data_is_refused_with_a_code(data: Any, code: str) -> None:
    """Data that cannot be a value is refused with a TuangouError naming what is wrong."""
    with pytest.raises(TuangouError) as caught:
        from_data(data)
    assert caught.value.code == code


def test_unknown_values_are_not_serialized() -> None:
    """Only library values serialize; anything else is a coded error, not a TypeError."""
    with pytest.raises(TuangouError) as caught:
        to_data(object())
    assert caught.value.code == "not_serializable"


def _fall_back_scenario(times: list[str]) -> Any:
    return parse(
        {
            "schema": 1,
            "campaign": {
                "id": "dst",
                "list_price": "100.00",
                "rule": "fixed",
                "size": 3,
                "price": "70.00",
                "window": "PT24H",
            },
            "events": [
                {"at": at, "type": "open", "group": f"g{i}", "member": f"u{i}"}
                for i, at in enumerate(times)
            ],
        }
    )


def test_instants_at_one_offset_share_one_zone_object() -> None:
    """A file's '+08:00' instants all carry one tzinfo object (so the decider compares them
    field by field); each instant and its text stay exactly as written."""
    times = ["2026-03-01T10:00:00+08:00", "2026-03-01T10:00:05+08:00", "2026-03-01T11:00:00+08:00"]
    commands = _fall_back_scenario(times).commands
    assert len({id(c.at.tzinfo) for c in commands}) == 1
    assert [c.at.isoformat() for c in commands] == times
    assert [c.at for c in commands] == [datetime.fromisoformat(t) for t in times]


def test_instants_in_the_repeated_hour_keep_their_order() -> None:
    """New York's clocks go back at 02:00 EDT on 2026-11-01: 01:45-04:00 comes before
    01:15-05:00, though its wall clock reads later. With one object per offset the two keep
    their own offsets, compare by the instant, and the run orders them right: the second is
    not taken for a command stamped before the clock, and the first opener's hold
    has lapsed by then (half an hour later)."""
    scenario = _fall_back_scenario(["2026-11-01T01:45:00-04:00", "2026-11-01T01:15:00-05:00"])
    first, second = (c.at for c in scenario.commands)
    assert first.tzinfo is not second.tzinfo
    assert first < second
    steps, fold = run(scenario.campaign, scenario.commands)
    events = [e for step in steps for e in step.events]
    assert [type(e).__name__ for e in events] == [
        "GroupOpened",
        "MemberJoined",
        "OrderCancelled",
        "GroupFailed",
        "GroupOpened",
        "MemberJoined",
    ]
    assert all(e.stamped_at is None for e in events)
    assert fold.state.clock == second
