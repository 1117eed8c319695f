"""What a notebook shows: short reprs, flat records for a DataFrame, and HTML tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tuangou_core.campaign import Campaign
from tuangou_core.group import CampaignState, Fold, Join, Open, Pay
from tuangou_core.money import Money
from tuangou_core.pricing import quote_member

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAMPAIGN = Campaign.build(
    {"id": "nb", "list_price": "100.00", "rule": "fixed", "size": 2, "price": "70.00"},
    coupons=[{"id": "new10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"}],
)


def _state() -> CampaignState:
    fold = Fold(CAMPAIGN)
    fold.execute(Open(datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), "g1", "u1"))
    fold.execute(
        Pay(datetime(2026, 3, 1, 10, 1, tzinfo=SHANGHAI), "g1", "u1", "p1", Money.parse("70.00"))
    )
    fold.execute(Join(datetime(2026, 3, 1, 10, 2, tzinfo=SHANGHAI), "g1", "u2", coupons=("new10",)))
    return fold.state


def test_state_reprs_are_one_line_summaries() -> None:
    """Campaign, group and order states print as one readable line, not a wall of fields."""
    state = _state()
    assert repr(state) == "<CampaignState nb: groups 1 open; 2 orders>"
    group = state.group("g1")
    assert repr(group).startswith("<GroupState g1 open: 1 paid, 1 holding, unit 70.00")
    assert repr(group.orders["u2"]) == (
        "<Order g1/u2 pending_payment: due 60.00, paid 0.00, refunded 0.00>"
    )


def test_state_records_are_flat_and_in_join_order() -> None:
    """to_records gives one flat record per order, in join order: amounts as minor units and
    exact Decimals, the join a UTC datetime."""
    records = _state().to_records()
    assert [(r["member"], r["status"], r["due"], r["paid_minor"]) for r in records] == [
        ("u1", "awaiting_group", Decimal("70.00"), 7000),
        ("u2", "pending_payment", Decimal("60.00"), 0),
    ]
    assert all(
        isinstance(v, str | int | Decimal | datetime | None) for r in records for v in r.values()
    )
    assert records[0]["joined_at"] == datetime(2026, 3, 1, 2, tzinfo=UTC)


def test_quote_records_carry_each_steps_share_per_line() -> None:
    """A quote's records hold each line's share of every step, which sum to the step."""
    quote = quote_member(CAMPAIGN, unit_price=Money.parse("70.00"), qty=3, coupon_ids=("new10",))
    records = quote.to_records()
    assert len(records) == len(quote.lines) * (1 + len(quote.steps))
    step = quote.step("new10")
    assert step is not None
    assert -sum(r["amount_minor"] for r in records if r["name"] == "new10") == step.amount.minor
    assert sum(r["amount_minor"] for r in records) == quote.total.minor
    assert repr(quote) == "<Quote 200.00 due: list 300.00, 2 steps, 1 lines>"


def test_html_tables_escape_what_they_show() -> None:
    """Notebook tables are HTML tables whose cells are escaped."""
    fold = Fold(CAMPAIGN)
    fold.execute(Open(datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), "g<1>", "u&1"))
    page = fold.state._repr_html_()
    assert page.startswith("<table>")
    assert "g&lt;1&gt;" in page and "u&amp;1" in page and "<1>" not in page
    assert "<td>70.00</td>" in fold.state.group("g<1>")._repr_html_()
    quote = quote_member(CAMPAIGN, unit_price=Money.parse("70.00"))
    assert "<td>due</td><td>70.00</td>" in quote._repr_html_()
