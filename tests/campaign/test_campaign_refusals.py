"""Campaign rules refused at build time: each bad field a coded InvalidRule naming it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tuangou_core.campaign import (
    Campaign,
    Coupon,
    Expiry,
    FeeSchedule,
    FixedRule,
    LotteryRule,
    SeckillRule,
    Tier,
    TieredRule,
    check_id,
    choice,
    money_field_value,
)
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, Rate
from tuangou_core.timing import Calendar

BASE = {"id": "c1", "list_price": "10.00", "rule": "fixed", "size": 2, "price": "7.00"}
TIERED = {"id": "t", "list_price": "10", "rule": "tiered", "tiers": [{"size": 2, "price": "9"}]}
SECKILL = {"id": "s", "list_price": "10", "rule": "seckill", "size": 2, "price": "5"}


def build(**changes: Any) -> Campaign:
    """Campaign.build of the base table with *changes* (None removes a key)."""
    table = {**BASE, **changes}
    return Campaign.build({k: v for k, v in table.items() if v is not None})


def direct(**changes: Any) -> Campaign:
    """Campaign(...) with valid fields and *changes*."""
    fields: dict[str, Any] = {
        "id": "c1",
        "list_price": Money(1000),
        "rule": FixedRule(2, Money(700)),
    }
    return Campaign(**{**fields, **changes})


CASES: list[tuple[str, Callable[[], object], str, str]] = [
    ("table not a table", lambda: Campaign.build([]), "invalid_rule", "campaign"),
    ("currency not text", lambda: build(currency=5), "invalid_rule", "campaign.currency"),
    ("currency unknown", lambda: build(currency="XXX"), "invalid_rule", "campaign.currency"),
    ("rule unhashable", lambda: build(rule=[]), "invalid_rule", "campaign.rule"),
    ("rule unknown", lambda: build(rule="mega"), "invalid_rule", "campaign.rule"),
    ("key of another rule", lambda: build(winners=1), "invalid_rule", "campaign.winners"),
    (
        "tiered with size",
        lambda: Campaign.build({**TIERED, "size": 2}),
        "invalid_rule",
        "campaign.size",
    ),
    (
        "tiers missing",
        lambda: Campaign.build({**TIERED, "tiers": []}),
        "invalid_rule",
        "campaign.tiers",
    ),
    (
        "tier not a table",
        lambda: Campaign.build({**TIERED, "tiers": [5]}),
        "invalid_rule",
        "campaign.tiers[0]",
    ),
    (
        "seckill without start",
        lambda: Campaign.build(SECKILL),
        "invalid_rule",
        "campaign.starts_at",
    ),
    (
        "seckill naive start",
        lambda: Campaign.build({**SECKILL, "starts_at": datetime(2026, 3, 1)}),
        "naive_datetime",
        "campaign.starts_at",
    ),
    ("coupons not a list", lambda: Campaign.build(BASE, coupons=5), "invalid_rule", "coupons"),
    ("coupon not a table", lambda: Campaign.build(BASE, coupons=[5]), "invalid_rule", "coupons"),
    ("fees not a table", lambda: Campaign.build(BASE, fees=[1]), "invalid_rule", "fees"),
    ("calendar junk", lambda: build(calendar=5), "invalid_calendar", "calendar"),
    ("id empty", lambda: build(id=""), "invalid_rule", "campaign.id"),
    ("id a number", lambda: direct(id=5), "invalid_rule", "campaign.id"),
    ("id too long", lambda: direct(id="x" * 129), "invalid_rule", "campaign.id"),
    ("id control char", lambda: direct(id="a\nb"), "invalid_rule", "campaign.id"),
    ("list price text", lambda: direct(list_price="10"), "invalid_rule", "campaign.list_price"),
    ("rule junk", lambda: direct(rule="fixed"), "invalid_rule", "campaign.rule"),
    ("timezone number", lambda: direct(timezone=8), "unknown_timezone", "campaign.timezone"),
    (
        "timezone unknown",
        lambda: direct(timezone="Mars/Olympus"),
        "unknown_timezone",
        "campaign.timezone",
    ),
    ("window junk", lambda: direct(window="24h"), "invalid_duration", "campaign.window"),
    (
        "timeout junk",
        lambda: direct(payment_timeout=15),
        "invalid_duration",
        "campaign.payment_timeout",
    ),
    ("expiry junk", lambda: direct(on_expiry="never"), "invalid_rule", "campaign.on_expiry"),
    ("overflow junk", lambda: direct(overflow=True), "invalid_rule", "campaign.overflow"),
    ("virtual_min text", lambda: direct(virtual_min="1"), "invalid_rule", "campaign.virtual_min"),
    ("virtual_min alone", lambda: direct(virtual_min=1), "invalid_rule", "campaign.virtual_min"),
    (
        "virtual needs min",
        lambda: direct(on_expiry=Expiry.VIRTUAL_COMPLETE),
        "invalid_rule",
        "campaign.virtual_min",
    ),
    ("max_size bool", lambda: direct(max_size=True), "invalid_rule", "campaign.max_size"),
    ("stock text", lambda: direct(stock="5"), "invalid_rule", "campaign.stock"),
    (
        "limit float",
        lambda: direct(per_member_limit=1.5),
        "invalid_rule",
        "campaign.per_member_limit",
    ),
    (
        "leader price text",
        lambda: direct(leader_price="6"),
        "invalid_rule",
        "campaign.leader_price",
    ),
    ("fees dict", lambda: direct(fees={}), "invalid_rule", "campaign.fees"),
    ("coupons junk", lambda: direct(coupons=["x"]), "invalid_rule", "coupons"),
    ("coupons text", lambda: direct(coupons="x"), "invalid_rule", "coupons"),
    ("calendar dict", lambda: direct(calendar={}), "invalid_rule", "campaign.calendar"),
    ("tier size text", lambda: Tier("2", Money(5)), "invalid_rule", "tier.size"),
    ("tier price text", lambda: Tier(2, "5"), "invalid_rule", "tier.price"),
    ("tiers junk", lambda: TieredRule([5]), "invalid_rule", "tiers[0]"),
    ("tiers text", lambda: TieredRule("ab"), "invalid_rule", "tiers"),
    (
        "charge junk",
        lambda: TieredRule([Tier(2, Money(5))], "later"),
        "invalid_rule",
        "campaign.charge",
    ),
    (
        "consolation number",
        lambda: LotteryRule(3, Money(5), 1, 5),
        "invalid_rule",
        "campaign.consolation_coupon",
    ),
    (
        "seckill text start",
        lambda: SeckillRule(2, Money(5), "2026"),
        "invalid_datetime",
        "starts_at",
    ),
    (
        "coupon id number",
        lambda: Coupon(5, "amount_off", amount=Money(1)),
        "invalid_rule",
        "coupons.id",
    ),
    ("coupon kind junk", lambda: Coupon("c", "gift"), "invalid_rule", "coupon.kind"),
    (
        "coupon funder junk",
        lambda: Coupon("c", "amount_off", "bank"),
        "invalid_rule",
        "coupon.funded_by",
    ),
    (
        "coupon amount text",
        lambda: Coupon("c", "amount_off", amount="1"),
        "invalid_rule",
        "coupon.amount",
    ),
    (
        "coupon threshold text",
        lambda: Coupon("c", "threshold", amount=Money(1), threshold="5"),
        "invalid_rule",
        "coupon.threshold",
    ),
    (
        "coupon percent text",
        lambda: Coupon("c", "percent_off", percent="10%"),
        "invalid_rule",
        "coupon.percent",
    ),
    (
        "coupon leader-funded",
        lambda: Coupon("c", "amount_off", "leader", amount=Money(1)),
        "invalid_rule",
        "coupons[c].funded_by",
    ),
    ("coupon build not table", lambda: Coupon.build(5, "CNY"), "invalid_rule", "coupons"),
    (
        "coupon build no id",
        lambda: Coupon.build({"kind": "amount_off"}, "CNY"),
        "invalid_rule",
        "coupons.id",
    ),
    (
        "coupon percent junk",
        lambda: Coupon.build({"id": "c", "kind": "percent_off", "percent": "x"}, "CNY"),
        "invalid_rate",
        "coupons[c].percent",
    ),
    ("fees rate junk", lambda: FeeSchedule(payment_rate=[1]), "invalid_rate", "fees.payment_rate"),
    (
        "fees rate above one",
        lambda: FeeSchedule(platform_rate="2"),
        "invalid_rule",
        "fees.platform_rate",
    ),
    (
        "fees sum one",
        lambda: FeeSchedule(payment_rate="0.5", leader_rate="0.5"),
        "invalid_rule",
        "fees",
    ),
    ("fees leader number", lambda: FeeSchedule(leader=5), "invalid_rule", "fees.leader"),
    ("fees levels bool", lambda: FeeSchedule(levels=True), "invalid_rule", "fees.levels"),
    ("fees two levels", lambda: FeeSchedule(levels=2), "multi_level_commission", "fees.levels"),
    ("fees unknown key", lambda: FeeSchedule.build({"bonus": 1}), "unknown_key", "fees.bonus"),
    (
        "choice not text",
        lambda: choice(Expiry, 5, "campaign.on_expiry"),
        "invalid_rule",
        "campaign.on_expiry",
    ),
    (
        "choice too long",
        lambda: choice(Expiry, "x" * 200, "campaign.on_expiry"),
        "invalid_rule",
        "campaign.on_expiry",
    ),
    (
        "money of another currency",
        lambda: money_field_value(Money(1, "USD"), "CNY", "price"),
        "currency_mismatch",
        "price",
    ),
    ("money junk", lambda: money_field_value([], "CNY", "price"), "invalid_amount", "price"),
    ("id junk", lambda: check_id(None, "member"), "invalid_value", "member"),
]


@pytest.mark.parametrize(
    ("call", "code", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_bad_rule_is_refused_naming_its_field(
    call: Callable[[], object], code: str, field: str
) -> None:
    """The refusal is an InvalidInput (InvalidRule for rules) with this code and field."""
    with pytest.raises(InvalidInput) as caught:
        call()
    assert (caught.value.code, caught.value.fields.get("field")) == (code, field)


def test_rule_errors_are_invalid_rules() -> None:
    """A campaign that cannot run is an InvalidRule (422), not a bare InvalidInput."""
    with pytest.raises(InvalidRule):
        direct(list_price="10")


def test_fee_rates_given_as_text_are_rates() -> None:
    """FeeSchedule(payment_rate="0.006") stores Rate("0.006"), not the text."""
    fees = FeeSchedule(payment_rate="0.006", platform_rate=Rate("5%"))
    assert fees.payment_rate == Rate("0.006")
    assert fees.platform_rate == Rate("0.05")
    assert FeeSchedule.build({"leader": "u1", "leader_rate": "3%"}).leader == "u1"


def test_a_campaign_with_a_calendar_round_trips_and_keeps_its_start() -> None:
    """The calendar's start and entries travel through the campaign's fields."""
    built = build(
        calendar={
            "starts": "2026-03-01",
            "quiet": [{"start": "22:00", "end": "08:00", "rule": "FREQ=WEEKLY"}],
        }
    )
    assert isinstance(built.calendar, Calendar)
    assert str(built.calendar.starts) == "2026-03-01"
    opened = datetime(2026, 3, 7, 14, 30, tzinfo=UTC)  # deadline: Sunday 22:30, like 03-01
    assert built.deadline(opened).hour == 8  # Sunday nights are quiet: pushed to 08:00
    assert direct(coupons=[Coupon("c", "amount_off", amount=Money(100))]).coupons[0].id == "c"
