"""The commission split (分账): the contract's formula and the laws it keeps."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core.campaign import FeeSchedule
from tuangou_core.errors import InvalidInput, InvalidRule, TuangouError
from tuangou_core.money import Money, Rate, Rounding
from tuangou_core.settlement import PARTS, Split, clawback, split_order, total_split

FEES = FeeSchedule(Rate("0.006"), Rate("0.05"), Rate("0.03"))


def cny(text: str) -> Money:
    return Money.parse(text)


@st.composite
def fee_schedules(draw: st.DrawFn, max_total: Fraction = Fraction(1, 2)) -> FeeSchedule:
    """Fee schedules whose three rates, in thousandths, sum to at most *max_total*."""
    limit = int(max_total * 1000)
    payment = draw(st.integers(0, min(limit, 100)))
    platform = draw(st.integers(0, limit - payment))
    leader = draw(st.integers(0, limit - payment - platform))
    return FeeSchedule(
        Rate(Fraction(payment, 1000)),
        Rate(Fraction(platform, 1000)),
        Rate(Fraction(leader, 1000)),
    )


@st.composite
def orders(draw: st.DrawFn) -> tuple[Money, Money, Money]:
    """(net, amount due, platform discount) of a paid order with any part refunded."""
    due = draw(st.integers(1, 10**9))
    net = draw(st.integers(0, due))
    discount = draw(st.integers(0, 10**8))
    return Money(net), Money(due), Money(discount)


def test_fixed_group_of_five_splits_as_the_contract_says() -> None:
    """5 × 70.00 at 0.6% / 5% / 3% splits 2.10 / 17.50 / 10.50 / 319.90 (per order 0.42 …)."""
    one = split_order(cny("70.00"), cny("70.00"), Money(0), FEES)
    assert (one.payment_fee, one.platform, one.leader, one.merchant) == (
        cny("0.42"),
        cny("3.50"),
        cny("2.10"),
        cny("63.98"),
    )
    total = total_split([one] * 5)
    assert (total.payment_fee, total.platform, total.leader, total.merchant) == (
        cny("2.10"),
        cny("17.50"),
        cny("10.50"),
        cny("319.90"),
    )
    assert total.net == cny("350.00")


def test_platform_coupon_is_paid_to_the_merchant_as_subsidy() -> None:
    """A 10.00 platform coupon on a 70.00 price: base 70.00, platform 3.50 − 10.00 = −6.50."""
    split = split_order(cny("60.00"), cny("60.00"), cny("10.00"), FEES)
    assert split.subsidy == cny("10.00")
    assert split.base == cny("70.00")
    assert split.payment_fee == cny("0.36")
    assert split.platform == cny("-6.50")
    assert split.leader == cny("2.10")
    assert split.merchant == cny("64.04")


def test_half_refund_keeps_half_the_subsidy_rounded_half_up() -> None:
    """Net 20.00 of 60.00 due keeps round(10.00 × 1/3) = 3.33 of subsidy."""
    split = split_order(cny("20.00"), cny("60.00"), cny("10.00"), FEES)
    assert split.subsidy == cny("3.33")
    assert split.base == cny("23.33")
    assert split.platform == cny("1.17") - cny("3.33")


def test_subsidy_rounds_half_up_on_a_tie() -> None:
    """round(0.01 × 1/2) is 0.01 under half-up and 0.00 under half-even."""
    assert split_order(Money(1), Money(2), Money(1), FEES).subsidy == Money(1)
    assert split_order(
        Money(1), Money(2), Money(1), FEES, rounding=Rounding.HALF_EVEN
    ).subsidy == Money(0)


def test_nothing_standing_splits_to_zero() -> None:
    """A fully refunded order keeps no subsidy and no part."""
    assert split_order(Money(0), cny("60.00"), cny("10.00"), FEES) == Split.zero()


def test_overpayment_caps_the_subsidy_at_the_discount() -> None:
    """Net above the amount due keeps the whole discount, never more."""
    split = split_order(cny("120.00"), cny("60.00"), cny("10.00"), FEES)
    assert split.subsidy == cny("10.00")
    assert split.base == cny("130.00")


def test_nothing_due_keeps_the_whole_discount_while_cash_stands() -> None:
    """With an amount due of zero the subsidy is all or nothing, never a division by zero."""
    assert split_order(Money(5), Money(0), Money(300), FEES).subsidy == Money(300)
    assert split_order(Money(0), Money(0), Money(300), FEES).subsidy == Money(0)


def test_bad_inputs_are_refused_with_codes() -> None:
    """Negative amounts and mixed currencies are coded errors, not arithmetic accidents."""
    with pytest.raises(InvalidInput) as negative:
        split_order(Money(-1), Money(10), Money(0), FEES)
    assert negative.value.code == "negative_amount"
    with pytest.raises(InvalidInput) as mixed:
        split_order(Money(1), Money(10, "USD"), Money(0), FEES)
    assert mixed.value.code == "currency_mismatch"


def test_second_commission_level_is_refused() -> None:
    """A schedule with two levels is a multi_level_commission rule error, even forced."""
    with pytest.raises(InvalidRule) as built:
        FeeSchedule(levels=2)
    assert built.value.code == "multi_level_commission"
    forced = FeeSchedule()
    object.__setattr__(forced, "levels", 2)
    with pytest.raises(InvalidRule) as split:
        split_order(Money(100), Money(100), Money(0), forced)
    assert split.value.code == "multi_level_commission"


def test_an_unbalanced_split_cannot_be_built() -> None:
    """A Split whose parts do not sum to its net is refused."""
    one = Money(1)
    with pytest.raises(TuangouError) as error:
        Split(one, one, Money(0), one, one, Money(0), Money(0))
    assert error.value.code == "split_unbalanced"


def test_explain_names_each_rule() -> None:
    """explain() prints each part with its rate and the merchant as the residual."""
    text = split_order(cny("70.00"), cny("70.00"), Money(0), FEES).explain()
    assert "0.6% of net" in text
    assert "5% of base" in text
    assert "63.98" in text
    assert "residual" in text


@given(order=orders(), fees=fee_schedules(Fraction(99, 100)))
def test_parts_sum_to_net(order: tuple[Money, Money, Money], fees: FeeSchedule) -> None:
    """Σ split parts = net, under any schedule."""
    net, due, discount = order
    split = split_order(net, due, discount, fees)
    assert sum(split.parts().values(), Money(0)) == net


@given(order=orders(), fees=fee_schedules())
def test_parts_are_non_negative_except_platform_under_subsidy(
    order: tuple[Money, Money, Money], fees: FeeSchedule
) -> None:
    """Fee, leader and merchant are never negative; platform only when a subsidy stands."""
    net, due, discount = order
    split = split_order(net, due, discount, fees)
    assert split.payment_fee.minor >= 0
    assert split.leader.minor >= 0
    assert split.merchant.minor >= 0
    assert split.platform.minor >= 0 or split.subsidy.minor > 0
    assert split.subsidy <= discount


@given(order=orders(), fees=fee_schedules(), cut=st.integers(0, 10**9))
def test_clawback_sums_to_the_cash_refunded(
    order: tuple[Money, Money, Money], fees: FeeSchedule, cut: int
) -> None:
    """clawback(before, after) parts sum to before.net − after.net, part by part."""
    net, due, discount = order
    after_net = Money(min(cut, net.minor))
    before = split_order(net, due, discount, fees)
    after = split_order(after_net, due, discount, fees)
    back = clawback(before, after)
    assert sum(back.parts().values(), Money(0)) == net - after_net
    for name in PARTS:
        assert getattr(after, name) + getattr(back, name) == getattr(before, name)


@given(st.lists(st.tuples(orders(), fee_schedules()), max_size=8))
def test_statement_total_is_the_sum_of_orders(
    items: list[tuple[tuple[Money, Money, Money], FeeSchedule]],
) -> None:
    """A total split's parts are the sums of the per-order parts and still sum to its net."""
    splits = [split_order(*order, fees) for order, fees in items]
    total = total_split(splits)
    assert total == sum(splits, Split.zero())
    for name in (*PARTS, "net", "subsidy", "base"):
        assert getattr(total, name) == sum((getattr(s, name) for s in splits), Money(0))


def test_zero_split_is_neutral_and_keeps_the_schedule() -> None:
    """Adding the zero split changes nothing, and the sum still explains its rates."""
    one = split_order(cny("70.00"), cny("70.00"), Money(0), FEES)
    assert one + Split.zero() == one
    assert (Split.zero() + one).fees == FEES
    assert one - one == Split.zero()
    assert -one + one == Split.zero()
    assert attrs.evolve(one, fees=None) == one
