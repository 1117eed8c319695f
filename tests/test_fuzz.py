"""Fuzzing the public API: junk in every argument gets a coded TuangouError, never a raw one.

Covers the stages whose boundary is hardened (money, timing, campaign, pricing, the commission
split, lint, from_data and scenario parsing). Each test draws valid arguments with junk in their
place (types, NaN, huge exponents, unicode digits, bools, nested lists, naive and extreme
datetimes, mutated tables) and allows exactly two outcomes: a result, or a ``TuangouError`` that
is not an ``InternalError`` (an InternalError is a bug). The ``ci`` profile runs 50 cases per
test (about 2 500 in all), ``deep`` 2 000 per test (about 100 000).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from strategies import junk, mutated, or_junk
from tuangou_core.campaign import (
    Campaign,
    Coupon,
    FeeSchedule,
    FixedRule,
    LotteryRule,
    SeckillRule,
    Tier,
    TieredRule,
    check_id,
    check_quantity,
    money_field_value,
)
from tuangou_core.errors import InternalError, TuangouError
from tuangou_core.interchange import from_data, parse, to_data
from tuangou_core.money import Currency, Money, Rate, Rounding, allocate, allocate_minor, split
from tuangou_core.operations import lint, lint_context, lint_output
from tuangou_core.pricing import (
    Context,
    Discount,
    Line,
    StackingPolicy,
    TimeSlot,
    coupon_discount,
    group_unit_price,
    percent_text,
    quote,
    quote_member,
)
from tuangou_core.settlement import Split, clawback, split_order, standing_subsidy, total_split
from tuangou_core.timing import (
    Calendar,
    Duration,
    Extension,
    QuietHours,
    Slot,
    deadline,
    may_open,
    require_aware,
    zone,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCENARIOS = {
    path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
    for path in sorted(EXAMPLES.glob("*.toml"))
}
CAMPAIGNS = [s["campaign"] for s in SCENARIOS.values()]
CALENDAR = {
    "starts": "2026-03-01",
    "extensions": [{"rule": "FREQ=WEEKLY;BYDAY=SA,SU", "add": "PT1H"}],
    "quiet": [{"start": "22:00", "end": "08:00", "rule": "FREQ=MONTHLY;BYMONTHDAY=1,15"}],
    "slots": [{"start": "09:00", "end": "21:00"}],
}
MILK_TEA = Campaign.build(
    SCENARIOS["milk_tea_shanghai"]["campaign"], fees=SCENARIOS["milk_tea_shanghai"]["fees"]
)
WITH_COUPONS = Campaign.build(
    SCENARIOS["new_customer_platform_coupon"]["campaign"],
    fees=SCENARIOS["new_customer_platform_coupon"].get("fees"),
    coupons=SCENARIOS["new_customer_platform_coupon"].get("coupons", ()),
)
AT = datetime(2026, 3, 7, 10, tzinfo=UTC)
YUAN = Money(1000)


def coded(call: Callable[[], object]) -> None:
    """Run *call*: a result or a coded, non-internal TuangouError; anything else fails."""
    try:
        call()
    except InternalError:
        raise
    except TuangouError as error:
        assert error.code.family != "InternalError"
        assert isinstance(error, ValueError) or error.code == "output_failed"
        str(error), repr(error)  # the message and the repr never fail either


def kwargs_with_junk(valid: dict[str, object]) -> st.SearchStrategy[dict[str, Any]]:
    """*valid* keyword arguments, some of them replaced by junk."""
    names = sorted(valid)
    return st.fixed_dictionaries({name: or_junk(st.just(valid[name])) for name in names})


# -- money ------------------------------------------------------------------------------------


@given(minor=or_junk(st.integers()), currency=or_junk(st.just("CNY")), other=junk())
def test_money_and_its_arithmetic_refuse_junk(minor: Any, currency: Any, other: Any) -> None:
    """Money(minor, currency), its operators and comparisons with junk are coded errors."""
    coded(lambda: Money(minor, currency))
    coded(lambda: Money.zero(currency))
    coded(lambda: Currency.of(other))
    for operation in (
        lambda: YUAN + other,
        lambda: other + YUAN,
        lambda: YUAN - other,
        lambda: YUAN * other,
        lambda: YUAN < other,  # noqa: SIM300 (the operator under test)
        lambda: YUAN >= other,  # noqa: SIM300
        lambda: sum([YUAN, other]),
    ):
        coded(operation)


@given(value=junk(), currency=or_junk(st.just("CNY")), rounding=or_junk(st.just("half_up")))
def test_money_parse_refuses_junk(value: Any, currency: Any, rounding: Any) -> None:
    """Money.parse of junk text, numbers, NaN, huge exponents: a coded error, at once."""
    coded(lambda: Money.parse(value, currency, rounding))


@given(value=junk(), places=or_junk(st.integers(0, 20)), amount=or_junk(st.just(YUAN)))
def test_rates_refuse_junk(value: Any, places: Any, amount: Any) -> None:
    """Rate(junk), its arithmetic, apply and as_decimal with junk: coded errors."""
    coded(lambda: Rate(value))
    coded(lambda: Rate.parse(value))
    third = Rate("1/3")
    coded(lambda: third.as_decimal(places))
    coded(lambda: third.apply(amount, rounding=value))
    coded(lambda: third.apply(amount, rounding="half_up"))
    for operation in (
        lambda: third + value,
        lambda: third - value,
        lambda: value - third,
        lambda: third * value,
        lambda: third < value,
        lambda: str(Rate(value)),
    ):
        coded(operation)


@given(value=junk(), numerator=or_junk(st.integers()), denominator=or_junk(st.integers()))
def test_rounding_refuses_junk(value: Any, numerator: Any, denominator: Any) -> None:
    """Rounding.round, divide and parse of junk are coded errors."""
    for mode in Rounding:
        coded(lambda mode=mode: mode.round(value))  # type: ignore[misc]
        coded(lambda mode=mode: mode.divide(numerator, denominator))  # type: ignore[misc]
    coded(lambda: Rounding.parse(value))


@given(
    total=or_junk(st.just(YUAN)),
    weights=or_junk(st.lists(st.integers(0, 5), max_size=5)),
    amount=or_junk(st.integers()),
    n=junk(),
)
def test_allocation_refuses_junk(total: Any, weights: Any, amount: Any, n: Any) -> None:
    """allocate, allocate_minor and split with junk weights, totals and counts: coded."""
    coded(lambda: allocate(total, weights))
    coded(lambda: allocate_minor(amount, weights))
    coded(lambda: split(total, n))
    coded(lambda: split(YUAN, n))


# -- timing -----------------------------------------------------------------------------------


@given(
    parts=st.tuples(junk(), junk(), junk()),
    text=or_junk(st.sampled_from(["PT24H", "P1D", "PT15M"])),
    start=or_junk(st.just(AT)),
    tz=or_junk(st.sampled_from(["Asia/Shanghai", "America/New_York"])),
)
def test_durations_and_deadlines_refuse_junk(
    parts: tuple[Any, Any, Any], text: Any, start: Any, tz: Any
) -> None:
    """Duration, Duration.parse, after, deadline and may_open with junk: coded errors."""
    coded(lambda: Duration(*parts))
    coded(lambda: Duration.parse(text, "window"))
    coded(lambda: Duration.parse("PT24H").after(start, tz))
    coded(lambda: deadline(start, text, tz))
    coded(lambda: deadline(start, "PT24H", tz, Calendar.build(CALENDAR)))
    coded(lambda: may_open(start, tz, Calendar.build(CALENDAR)))
    coded(lambda: require_aware(start, "at"))
    coded(lambda: zone(tz))


@given(data=st.data(), entry=st.tuples(junk(), junk(), junk()))
def test_calendars_refuse_junk(data: st.DataObject, entry: tuple[Any, Any, Any]) -> None:
    """Calendar.build of a mutated table and entries built from junk: coded errors, and a
    calendar that builds answers deadlines at any instant in range."""
    table = mutated(CALENDAR, data)
    coded(lambda: Extension(entry[0], entry[1]))
    coded(lambda: QuietHours(*entry))
    coded(lambda: Slot(*entry))
    coded(lambda: Calendar(extensions=entry[0], quiet=entry[1], slots=entry[2]))
    try:
        calendar = Calendar.build(table)  # type: ignore[arg-type]
    except TuangouError as error:
        assert not isinstance(error, InternalError)
        return
    when = data.draw(or_junk(st.datetimes(timezones=st.just(UTC))), label="when")
    coded(lambda: deadline(when, "PT24H", "Asia/Shanghai", calendar))  # type: ignore[arg-type]
    coded(lambda: may_open(when, "Asia/Shanghai", calendar))  # type: ignore[arg-type]


# -- campaign ---------------------------------------------------------------------------------


@given(data=st.data())
def test_campaign_build_refuses_mutated_tables(data: st.DataObject) -> None:
    """Campaign.build of a mutated example table (fees, coupons, calendar too): a campaign,
    or a coded error; a campaign that builds computes its deadlines."""
    scenario = data.draw(st.sampled_from(sorted(SCENARIOS)), label="scenario")
    document = SCENARIOS[scenario]
    table = dict(document["campaign"])
    if data.draw(st.booleans(), label="calendar"):
        table["calendar"] = CALENDAR
    table = mutated(table, data)  # type: ignore[assignment]
    fees: Any = data.draw(or_junk(st.just(document.get("fees", {}))), label="fees")
    coupons: Any = data.draw(or_junk(st.just(document.get("coupons", []))), label="coupons")
    try:
        built = Campaign.build(table, fees=fees, coupons=coupons)
    except TuangouError as error:
        assert not isinstance(error, InternalError)
        return
    when: Any = data.draw(or_junk(st.just(AT)), label="when")
    coded(lambda: built.deadline(when))
    coded(lambda: built.may_open(when))
    coded(lambda: built.coupon(when))
    coded(lambda: to_data(built))


_CAMPAIGN_KWARGS: dict[str, object] = {
    "id": "c1",
    "list_price": Money(1000),
    "rule": FixedRule(2, Money(700)),
    "timezone": "Asia/Shanghai",
    "window": "PT24H",
    "payment_timeout": "PT15M",
    "on_expiry": "fail",
    "max_size": 2,
    "overflow": "reject",
    "leader_price": Money(600),
    "stock": 10,
    "per_member_limit": 2,
    "fees": FeeSchedule(),
    "coupons": (),
    "calendar": Calendar(),
}


@given(kwargs=kwargs_with_junk(_CAMPAIGN_KWARGS))
def test_campaign_constructor_refuses_junk_fields(kwargs: dict[str, Any]) -> None:
    """Campaign(...) with any field junk: a coded InvalidRule, never a stored str."""
    coded(lambda: Campaign(**kwargs))


@given(
    kwargs=kwargs_with_junk(
        {"payment_rate": "0.006", "platform_rate": "5%", "leader_rate": "0", "leader": "opener"}
    ),
    levels=or_junk(st.just(1)),
    table=junk(),
)
def test_fee_schedules_refuse_junk(kwargs: dict[str, Any], levels: Any, table: Any) -> None:
    """FeeSchedule(...) converts rate text or refuses; build of junk is coded."""
    coded(lambda: FeeSchedule(**kwargs, levels=levels))
    coded(lambda: FeeSchedule.build(table))
    coded(lambda: FeeSchedule.build({"payment_rate": table}))


@given(
    data=st.data(),
    args=st.tuples(junk(), junk(), junk()),
    currency=or_junk(st.just("CNY")),
)
def test_rules_and_coupons_refuse_junk(
    data: st.DataObject, args: tuple[Any, Any, Any], currency: Any
) -> None:
    """Group rules, tiers, coupons and the shared checks with junk: coded errors."""
    size, price, extra = args
    coded(lambda: Tier(size, price))
    coded(lambda: FixedRule(size, price))
    coded(lambda: TieredRule(size, price))
    coded(lambda: LotteryRule(size, price, extra))
    coded(lambda: SeckillRule(size, price, extra))
    coded(lambda: LotteryRule(3, Money(500), 1, extra))
    coded(lambda: Coupon(size, price, extra))
    coupon = {"id": "new10", "kind": "amount_off", "amount": "10", "funded_by": "platform"}
    table = mutated(coupon, data)
    coded(lambda: Coupon.build(table, currency))  # type: ignore[arg-type]
    coded(lambda: check_quantity(size))
    coded(lambda: check_id(size, "member"))
    coded(lambda: money_field_value(size, currency, "price"))


# -- pricing ----------------------------------------------------------------------------------

_DISCOUNT_KWARGS: dict[str, object] = {
    "funder": "merchant",
    "phase": "order",
    "stack_class": "promotion",
    "priority": 0,
    "base": "running",
    "coupon": False,
    "percent": "10%",
    "skus": ["a"],
    "audience": "anyone",
    "label": "",
}


@given(kwargs=kwargs_with_junk(_DISCOUNT_KWARGS), kind=or_junk(st.just("percent_off")))
def test_discounts_refuse_junk(kwargs: dict[str, Any], kind: Any) -> None:
    """Discount(...) with junk fields (skus=[["a"]] among them): a coded InvalidRule."""
    coded(lambda: Discount("d", kind, **kwargs))


@given(
    kwargs=kwargs_with_junk(
        {
            "phases": ["item", "order", "points", "shipping"],
            "best_of": ["coupon"],
            "exclusive": [["coupon", "group_price"]],
            "max_discount_share": "50%",
            "allow_free": False,
            "rounding": "half_up",
        }
    )
)
def test_stacking_policies_refuse_junk(kwargs: dict[str, Any]) -> None:
    """StackingPolicy(...) with junk (exclusive=[1] among them): a coded InvalidRule."""
    coded(lambda: StackingPolicy(**kwargs))


@given(
    kwargs=kwargs_with_junk(
        {
            "role": "joiner",
            "member": False,
            "new_customer": True,
            "coupons": ["new10"],
            "points_balance": 0,
            "points_to_use": None,
            "at": AT,
            "remaining_stock": 5,
            "shipping_fee": Money(0),
            "group_size": 2,
        }
    ),
    line=st.tuples(junk(), junk(), junk(), junk()),
)
def test_contexts_and_lines_refuse_junk(
    kwargs: dict[str, Any], line: tuple[Any, Any, Any, Any]
) -> None:
    """Context(...) and Line(...) with junk fields, TimeSlot of junk: coded errors."""
    coded(lambda: Context(**kwargs))
    coded(lambda: Line(*line))
    coded(lambda: TimeSlot(line[0], line[1]))


@given(
    lines=or_junk(st.just([Line("milk-tea", 2)])),
    campaign=or_junk(st.sampled_from([MILK_TEA, WITH_COUPONS])),
    context=or_junk(st.just(Context(coupons=("new10",), new_customer=True))),
    policy=or_junk(st.just(StackingPolicy())),
    offers=or_junk(st.just([Discount("d", "percent_off", percent="5%")])),
    extra=junk(),
)
def test_quotes_refuse_junk(
    lines: Any, campaign: Any, context: Any, policy: Any, offers: Any, extra: Any
) -> None:
    """quote(lines, None) and every other junk argument: a coded error; a quote that is made
    answers funded_by and explain with junk too."""
    coded(lambda: quote(lines, campaign, context, policy, offers=offers))
    coded(lambda: quote_member(campaign, unit_price=extra))
    coded(lambda: quote_member(WITH_COUPONS, unit_price=Money(800), coupon_ids=extra))
    coded(lambda: quote_member(WITH_COUPONS, unit_price=Money(800), role=extra))
    coded(lambda: group_unit_price(campaign, extra))
    coded(lambda: coupon_discount(extra))
    coded(lambda: percent_text(extra))
    made = quote([Line("milk-tea", 1)], MILK_TEA)
    coded(lambda: made.funded_by(extra))
    coded(lambda: made.step(extra))


# -- settlement: the commission split ---------------------------------------------------------


@given(
    args=st.tuples(or_junk(st.just(YUAN)), or_junk(st.just(YUAN)), or_junk(st.just(Money(0)))),
    fees=or_junk(st.just(FeeSchedule(payment_rate="0.006"))),
    rounding=or_junk(st.just("half_up")),
    other=junk(),
)
def test_the_split_refuses_junk(
    args: tuple[Any, Any, Any], fees: Any, rounding: Any, other: Any
) -> None:
    """split_order(..., fees={}) and every other junk argument: a coded error."""
    coded(lambda: split_order(*args, fees, rounding=rounding))
    coded(lambda: standing_subsidy(*args, rounding=rounding))
    made = split_order(YUAN, YUAN, Money(0), FeeSchedule())
    coded(lambda: Split(other, other, other, other, other, other, other))
    coded(lambda: clawback(made, other))
    coded(lambda: clawback(other, made))
    coded(lambda: total_split(other))
    coded(lambda: total_split([made, other]))
    coded(lambda: total_split([], other))
    coded(lambda: made + other)
    coded(lambda: made - other)


# -- operations: lint -------------------------------------------------------------------------


@given(data=st.data(), campaign=or_junk(st.just(MILK_TEA)), context=junk())
def test_lint_refuses_junk(data: st.DataObject, campaign: Any, context: Any) -> None:
    """lint(c, "ctx"), lint of a mutated raw table, and lint_context of junk: coded errors."""
    table = mutated(dict(CAMPAIGNS[0]), data)
    coded(lambda: lint(campaign, context))
    coded(lambda: lint_output(campaign, context))
    coded(lambda: lint(table))  # type: ignore[arg-type]
    coded(lambda: lint_context(context, "CNY"))
    coded(lambda: lint_context({"recent_prices": ["12.00"]}, context))


# -- interchange: from_data and scenario data -------------------------------------------------

_VALUES = [
    MILK_TEA,
    WITH_COUPONS,
    FeeSchedule(payment_rate="0.006"),
    Discount("d", "percent_off", percent="5%", skus=["a"]),
    StackingPolicy(exclusive=[["coupon", "group_price"]]),
    Context(coupons=("new10",), at=AT),
    quote([Line("milk-tea", 2)], MILK_TEA),
    split_order(YUAN, YUAN, Money(100), FeeSchedule(platform_rate="5%")),
]


@given(data=st.data(), value=st.sampled_from(_VALUES), other=junk())
def test_from_data_refuses_mutated_documents(data: st.DataObject, value: Any, other: Any) -> None:
    """from_data of a mutated to_data document, or of junk: a value or a coded error."""
    document = mutated(to_data(value), data)
    coded(lambda: from_data(document))  # type: ignore[arg-type]
    coded(lambda: from_data(other))
    coded(lambda: to_data(other))


@given(data=st.data())
def test_scenario_parse_refuses_mutated_documents(data: st.DataObject) -> None:
    """interchange.parse of a mutated example scenario: a scenario or a coded error."""
    scenario = data.draw(st.sampled_from(sorted(SCENARIOS)), label="scenario")
    document = mutated(SCENARIOS[scenario], data)
    coded(lambda: parse(document))  # type: ignore[arg-type]
