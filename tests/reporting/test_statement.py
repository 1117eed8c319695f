"""The statement after valid events: totals past one amount's bound are carried exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from tuangou_core.errors import InvalidInput
from tuangou_core.group import CampaignState, ReplayStep, run
from tuangou_core.interchange import parse, settle
from tuangou_core.money import Money
from tuangou_core.reporting import statement_of
from tuangou_core.reporting._statement_data import OrderData
from tuangou_core.reporting._statement_text import _Amounts

HUGE = "6000000000000.00"
LIST = "9000000000000.00"


def _two_huge_payments() -> dict[str, Any]:
    def pay(member: str, minute: int) -> dict[str, Any]:
        return {
            "at": f"2026-03-06T14:0{minute}:00+08:00",
            "type": "pay",
            "group": "g1",
            "member": member,
            "payment_id": f"wx-{member}",
            "amount": HUGE,
        }

    events: list[dict[str, Any]] = [
        {"at": "2026-03-06T14:00:00+08:00", "type": "open", "group": "g1", "member": "u1"},
        pay("u1", 1),
        {"at": "2026-03-06T14:02:00+08:00", "type": "join", "group": "g1", "member": "u2"},
        pay("u2", 3),
    ]
    campaign = {"id": "huge", "list_price": LIST, "rule": "fixed", "size": 2, "price": HUGE}
    return {"schema": 1, "campaign": campaign, "events": events}


def test_totals_past_one_amounts_bound_are_carried_exactly() -> None:
    """Two payments of 6 000 000 000 000.00 settle; the totals read 12 000 000 000 000.00."""
    statement = settle(parse(_two_huge_payments()))
    data = json.loads(json.dumps(statement.to_data()))
    assert data["totals"]["paid"] == "12000000000000.00"
    assert data["ledger"]["balanced"] is True and data["ledger"]["audited"] is True
    assert data["totals"]["net"] == "12000000000000.00"
    assert [group["status"] for group in data["groups"]] == ["formed"]
    assert "12000000000000.00" in statement.text()


def test_orders_that_share_a_split_get_rows_of_their_own() -> None:
    """Two orders with the same figures share one split, yet each JSON row is its own dict."""
    data = settle(parse(_two_huge_payments())).to_data()
    first, second = data["orders"]
    assert first["split"] == second["split"]
    first["split"]["merchant"] = "0.00"
    first["refunds"].append("edited")
    assert second["split"]["merchant"] != "0.00"
    assert second["refunds"] == []
    assert second["due"] == second["paid"] == HUGE


def test_a_statement_counts_the_entries_it_tallied() -> None:
    """Two payments that settle two orders book four entries: received and split, twice."""
    data = settle(parse(_two_huge_payments())).to_data()
    assert data["ledger"] == {"balanced": True, "entries": 4, "audited": True}


def test_the_text_statement_writes_amounts_and_nets_of_its_currency() -> None:
    """Amounts print as their own text; one of another currency is left to ``str``."""
    text = _Amounts("CNY").text
    assert text(Money(7000)) == "70.00"
    assert text(Money(7000), Money(1250)) == "57.50"
    assert text(Money(7000), Money(1250)) is text(Money(5750))
    assert text(Money(7000, "JPY")) == "7000"
    assert text(Money(7000, "JPY"), Money(1000, "JPY")) == "6000"
    with pytest.raises(InvalidInput) as error:
        text(Money(7000), Money(1000, "JPY"))
    assert error.value.code == "currency_mismatch"  # as the order line's own net would


def test_a_statement_reads_steps_once_and_the_state_after_them() -> None:
    """Steps from a generator, the state from a function called once they are read: the same
    statement as from the steps and the state themselves."""
    scenario = parse(_two_huge_payments())
    steps, fold = run(scenario.campaign, scenario.commands)
    read: list[int] = []

    def one_by_one() -> Iterator[ReplayStep]:
        for step in steps:
            read.append(step.index)
            yield step

    def final() -> CampaignState:
        assert read == [step.index for step in steps]  # every step read before the state
        return fold.state

    assert statement_of(one_by_one(), final) == statement_of(steps, fold.state)


def test_json_rows_write_an_amount_of_another_currency_by_its_own_text() -> None:
    """The rows' amount texts are remembered for the statement's currency only."""
    rows = OrderData("CNY")
    assert rows.text(Money(7000, "JPY")) == "7000"
    assert rows.text(Money(7000)) == "70.00"
    assert rows.texts == {7000: "70.00"}


def test_an_order_line_of_another_currency_prints_each_amount_by_its_own_text() -> None:
    """A statement built by hand with an order in yen: its row in the JSON and in the text
    writes each amount as that amount's own text, not the statement's remembered ones."""
    scenario = parse(_two_huge_payments())
    steps, fold = run(scenario.campaign, scenario.commands)
    statement = statement_of(steps, fold.state)
    yen = attrs.evolve(
        statement.orders[0],
        due=Money(7000, "JPY"),
        paid=Money(7000, "JPY"),
        refunded=Money(1000, "JPY"),
    )
    mixed = attrs.evolve(statement, orders=(yen, *statement.orders[1:]))
    row = mixed.to_data()["orders"][0]
    assert [row[k] for k in ("due", "paid", "refunded", "net")] == ["7000", "7000", "1000", "6000"]
    line = next(x for x in mixed.text().splitlines() if x.split()[:2] == ["g1", "u1"])
    assert line.split()[3:] == ["7000", "7000", "1000", "6000"]


@pytest.mark.parametrize("charge", ["prepay_highest", "capture_at_close"])
def test_the_points_standing_are_booked_whichever_way_cash_comes(charge: str) -> None:
    """Two members at 80.00 earn 80 points each at 0.01: the statement's 1.60 liability is
    the ledger's points liability, with the cash paid up front or captured at forming."""
    at = "2026-03-06T14:0{}:00+08:00".format
    data = {
        "schema": 1,
        "campaign": {
            "id": "points",
            "list_price": "100.00",
            "rule": "tiered",
            "tiers": [{"size": 2, "price": "80.00"}],
            "charge": charge,
        },
        "points": {"earn_per_unit": 1, "value": "0.01", "funded_by": "platform"},
        "events": [
            {"at": at(0), "type": "open", "group": "g1", "member": "u1"},
            {
                "at": at(1),
                "type": "pay",
                "group": "g1",
                "member": "u1",
                "payment_id": "p1",
                "amount": "80.00",
            },
            {"at": at(2), "type": "join", "group": "g1", "member": "u2"},
            {
                "at": at(3),
                "type": "pay",
                "group": "g1",
                "member": "u2",
                "payment_id": "p2",
                "amount": "80.00",
            },
        ],
    }
    statement = settle(parse(data))
    assert (statement.points_standing, str(statement.points_liability)) == (160, "1.60")
    assert statement.to_data()["ledger"] == {"balanced": True, "entries": 6, "audited": True}
    assert statement.balances["points_liability"].credits == 160  # fen: 1.60
