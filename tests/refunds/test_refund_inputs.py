"""The refund values and the planner refuse malformed input with a coded error naming the field.

A paid order comes from a backend's own records: a negative tender, more refunded than paid,
one payment id on two tenders or a field of the wrong type is refused when the order is built,
never found later inside a plan.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

from tuangou_core.campaign import Funder
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money, Rounding
from tuangou_core.refunds import (
    AmountRefund,
    DiscountShare,
    FullRefund,
    PaidLine,
    PaidOrder,
    RefundPolicy,
    RefundReason,
    TenderPaid,
    TierDifference,
    UnitsRefund,
    plan_refund,
    plan_return,
)

LINE = PaidLine("tea", 2, Money(1000), Money(2000))
TENDER = TenderPaid("wechat", "p1", Money(2000))
ORDER = PaidOrder("o1", (LINE,), (TENDER,))
HALF = (TenderPaid("wechat", "p1", Money(1000)), TenderPaid("balance", "p1", Money(1000)))

REFUSED: list[tuple[str, Callable[[], object], str, str]] = [
    (
        "negative tender",
        lambda: TenderPaid("wechat", "p1", Money(-100)),
        "invalid_amount",
        "paid",
    ),
    (
        "tender refunded > paid",
        lambda: TenderPaid("wechat", "p1", Money(100), Money(200)),
        "invalid_order",
        "refunded",
    ),
    (
        "tender of another currency",
        lambda: TenderPaid("w", "p", Money(1), Money(0, "USD")),
        "currency_mismatch",
        "refunded",
    ),
    ("tender kind 5", lambda: TenderPaid(5, "p1", Money(1)), "invalid_tender", "kind"),
    (
        "paid tender without id",
        lambda: TenderPaid("wechat", "", Money(1)),
        "invalid_payment_id",
        "payment_id",
    ),
    ("tender paid text", lambda: TenderPaid("wechat", "p1", "20.00"), "invalid_amount", "paid"),
    (
        "line paid negative",
        lambda: PaidLine("tea", 1, Money(100), Money(-1)),
        "invalid_amount",
        "paid",
    ),
    (
        "line refunded > paid",
        lambda: PaidLine("tea", 1, Money(100), Money(100), refunded=Money(200)),
        "invalid_order",
        "refunded",
    ),
    (
        "units returned > bought",
        lambda: PaidLine("tea", 1, Money(100), Money(100), units_returned=2),
        "invalid_order",
        "units_returned",
    ),
    (
        "line qty text",
        lambda: PaidLine("tea", "2", Money(1000), Money(2000)),
        "invalid_quantity",
        "qty",
    ),
    ("line sku 0", lambda: PaidLine(0, 2, Money(1000), Money(2000)), "invalid_order", "sku"),
    (
        "line discounts junk",
        lambda: PaidLine("tea", 2, Money(1000), Money(2000), discounts=[5]),
        "invalid_order",
        "discounts",
    ),
    (
        "line in two currencies",
        lambda: PaidLine("tea", 1, Money(100, "USD"), Money(100)),
        "currency_mismatch",
        "amount",
    ),
    (
        "share funder junk",
        lambda: DiscountShare("c", "nobody", Money(1)),
        "invalid_funder",
        "funder",
    ),
    (
        "share amount int",
        lambda: DiscountShare("c", Funder.PLATFORM, 5),
        "invalid_amount",
        "amount",
    ),
    (
        "share points 1",
        lambda: DiscountShare("c", Funder.PLATFORM, Money(1), 1),
        "invalid_order",
        "points",
    ),
    ("duplicate payment ids", lambda: PaidOrder("o1", (LINE,), HALF), "invalid_order", "tenders"),
    ("order id empty", lambda: PaidOrder("", (LINE,), (TENDER,)), "invalid_order", "order_id"),
    ("lines junk", lambda: PaidOrder("o1", [5], (TENDER,)), "invalid_order", "lines"),
    ("tenders text", lambda: PaidOrder("o1", (LINE,), "wechat"), "invalid_order", "tenders"),
    ("no lines", lambda: PaidOrder("o1", (), (TENDER,)), "invalid_order", "lines"),
    (
        "refunds -1",
        lambda: PaidOrder("o1", (LINE,), (TENDER,), refunds=-1),
        "invalid_order",
        "refunds",
    ),
    (
        "points 1.5",
        lambda: PaidOrder("o1", (LINE,), (TENDER,), points_used=1.5),
        "invalid_order",
        "points_used",
    ),
    (
        "points returned > used",
        lambda: PaidOrder("o1", (LINE,), (TENDER,), points_returned=1),
        "invalid_order",
        "points_returned",
    ),
    (
        "coupons [1]",
        lambda: PaidOrder("o1", (LINE,), (TENDER,), coupons=[1]),
        "invalid_coupons",
        "coupons",
    ),
    ("from_quote(None)", lambda: PaidOrder.from_quote("o1", None, []), "invalid_input", "quote"),  # type: ignore[arg-type]
    ("apply(None)", lambda: ORDER.apply(None), "invalid_input", "plan"),  # type: ignore[arg-type]
    ("plan_refund(None)", lambda: plan_refund(None, FullRefund()), "invalid_input", "order"),  # type: ignore[arg-type]
    ("plan_refund(o, junk)", lambda: plan_refund(ORDER, "all"), "invalid_request", "request"),  # type: ignore[arg-type]
    (
        "plan_refund(policy=junk)",
        lambda: plan_refund(ORDER, FullRefund(), "p"),  # type: ignore[arg-type]
        "invalid_policy",
        "policy",
    ),
    (
        "plan_refund(refund_id=5)",
        lambda: plan_refund(ORDER, FullRefund(), refund_id=5),  # type: ignore[arg-type]
        "invalid_refund_id",
        "refund_id",
    ),
    ("full reason junk", lambda: FullRefund("oops"), "invalid_request", "reason"),
    ("units list", lambda: UnitsRefund([1]), "invalid_request", "units"),
    ("units empty", lambda: UnitsRefund({}), "invalid_request", "units"),
    ("units count text", lambda: UnitsRefund({"tea": "1"}), "invalid_quantity", "units"),
    ("units key float", lambda: UnitsRefund({1.0: 1}), "unknown_line", "units"),
    ("amount text", lambda: AmountRefund("5.00"), "invalid_amount", "amount"),
    ("amount zero", lambda: AmountRefund(Money(0)), "invalid_amount", "amount"),
    ("amount sku list", lambda: AmountRefund(Money(5), sku=["tea"]), "unknown_line", "sku"),
    ("tier quote junk", lambda: TierDifference("q"), "invalid_request", "quote"),
    (
        "policy rounding junk",
        lambda: RefundPolicy(rounding="nearest"),
        "invalid_policy",
        "rounding",
    ),
    (
        "policy tenders [1]",
        lambda: RefundPolicy(tender_order=[1]),
        "invalid_policy",
        "tender_order",
    ),
    (
        "policy reasons 5",
        lambda: RefundPolicy(restore_coupons_on=5),
        "invalid_policy",
        "restore_coupons_on",
    ),
    (
        "plan_return(payment=None)",
        lambda: plan_return("r1", "g1:u1", None, RefundReason.LATE_PAYMENT),  # type: ignore[arg-type]
        "invalid_input",
        "payment",
    ),
    (
        "plan_return(refund_id=None)",
        lambda: plan_return(None, "g1:u1", TENDER, RefundReason.LATE_PAYMENT),  # type: ignore[arg-type]
        "invalid_refund_id",
        "refund_id",
    ),
    (
        "plan_return(reason junk)",
        lambda: plan_return("r1", "g1:u1", TENDER, "late"),  # type: ignore[arg-type]
        "invalid_request",
        "reason",
    ),
]


@pytest.mark.parametrize(("name", "call", "code", "field"), REFUSED, ids=[r[0] for r in REFUSED])
def test_malformed_refund_input_is_refused_naming_the_field(
    name: str, call: Callable[[], object], code: str, field: str
) -> None:
    """Each malformed field or argument is a coded InvalidInput naming it."""
    with pytest.raises(InvalidInput) as caught:
        call()
    assert (caught.value.code, caught.value.field) == (code, field)


def test_policy_text_converts_to_its_values() -> None:
    """RefundPolicy(rounding="half_even") reads the mode at once, not inside plan_refund."""
    policy = RefundPolicy(
        tender_order=["balance"], restore_coupons_on=["after_sales"], rounding="half_even"
    )
    assert policy.rounding is Rounding.HALF_EVEN
    assert policy.tender_order == ("balance",)
    assert policy.restore_coupons_on == frozenset({RefundReason.AFTER_SALES})
    plan = plan_refund(ORDER, FullRefund(), policy)
    assert plan.amount == Money(2000)


def test_lists_are_stored_as_tuples_and_a_free_tender_may_have_no_id() -> None:
    """Lines and tenders given as lists are stored as tuples; an unpaid order's tender (paid
    nothing) carries an empty payment id, as the decider builds it."""
    order = PaidOrder("o1", [LINE], [TENDER], coupons=["c1"])
    assert order == PaidOrder("o1", (LINE,), (TENDER,), coupons=("c1",))
    assert TenderPaid("wechat", "", Money(0)).payment_id == ""


def test_a_planned_order_keeps_every_bound() -> None:
    """The planner's rebuilt order (made without the checks) passes them when built again."""
    plan = plan_refund(ORDER, UnitsRefund({"tea": 1}))
    after = plan.after
    assert after is not None
    again = PaidOrder(
        after.order_id,
        tuple(PaidLine(**attrs.asdict(line, recurse=False)) for line in after.lines),
        tuple(TenderPaid(**attrs.asdict(t, recurse=False)) for t in after.tenders),
        refunds=after.refunds,
        coupons=after.coupons,
    )
    assert again == after
    assert after.lines[0].units_returned == 1 and after.tenders[0].refunded == Money(1000)
