"""Every refusal of the commission split, exactly, and the split's sharp edges.

Pins class, code, message and fields of each refusal (a backend maps them, a person reads
them), and the edges mutation testing found loose: the subsidy's currency, its rounding mode,
the boundary between a partial and a full refund, how fee schedules travel through sums, and
the explanation's text (docs/testing.md).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tuangou_core.campaign import FeeSchedule
from tuangou_core.errors import TuangouError
from tuangou_core.money import Money, Rounding
from tuangou_core.settlement import Split, clawback, split_order, standing_subsidy, total_split

m = Money(1000)
z = Money(0)
usd = Money(1000, "USD")
fees = FeeSchedule(payment_rate="0.006", platform_rate="5%", leader_rate="10%")
s = split_order(m, m, Money(100), fees)

REFUSALS: list[tuple[str, Callable[[], object], str]] = [
    (
        "split_order(1000, m, z, fees)",
        lambda: split_order(1000, m, z, fees),
        "InvalidInput('not_money', 'split_order.net must be Money, got int', field='net', value='int')",
    ),
    (
        "split_order(m, 'x', z, fees)",
        lambda: split_order(m, "x", z, fees),
        "InvalidInput('not_money', 'split_order.amount_due must be Money, got str', field='amount_due', value='str')",
    ),
    (
        "split_order(m, m, None, fees)",
        lambda: split_order(m, m, None, fees),
        "InvalidInput('not_money', 'split_order.platform_discount must be Money, got NoneType', field='platform_discount', value='NoneType')",
    ),
    (
        "split_order(m, usd, z, fees)",
        lambda: split_order(m, usd, z, fees),
        "InvalidInput('currency_mismatch', 'split_order.amount_due is in USD, the net in CNY', field='amount_due', value='USD')",
    ),
    (
        "split_order(m, m, Money(1,'USD'), fees)",
        lambda: split_order(m, m, Money(1, "USD"), fees),
        "InvalidInput('currency_mismatch', 'split_order.platform_discount is in USD, the net in CNY', field='platform_discount', value='USD')",
    ),
    (
        "split_order(Money(-1), m, z, fees)",
        lambda: split_order(Money(-1), m, z, fees),
        "InvalidInput('negative_amount', 'split_order.net must not be negative, got -0.01', field='net', value='-0.01')",
    ),
    (
        "split_order(m, Money(-1), z, fees)",
        lambda: split_order(m, Money(-1), z, fees),
        "InvalidInput('negative_amount', 'split_order.amount_due must not be negative, got -0.01', field='amount_due', value='-0.01')",
    ),
    (
        "split_order(m, m, Money(-1), fees)",
        lambda: split_order(m, m, Money(-1), fees),
        "InvalidInput('negative_amount', 'split_order.platform_discount must not be negative, got -0.01', field='platform_discount', value='-0.01')",
    ),
    (
        "split_order(m, m, z, {})",
        lambda: split_order(m, m, z, {}),
        "InvalidInput('invalid_value', 'split_order.fees must be a FeeSchedule, got dict', field='fees', value='dict')",
    ),
    (
        "split_order(m, m, z, None)",
        lambda: split_order(m, m, z, None),
        "InvalidInput('invalid_value', 'split_order.fees must be a FeeSchedule, got NoneType', field='fees', value='NoneType')",
    ),
    (
        "split_order(m, m, z, fees, rounding='sideways')",
        lambda: split_order(m, m, z, fees, rounding="sideways"),
        "InvalidInput('unknown_rounding', \"rounding must be one of half_up, half_even, half_down, up, down, ceiling, floor, got 'sideways'\", field='rounding', value='sideways')",
    ),
    (
        "standing_subsidy(None, m, z)",
        lambda: standing_subsidy(None, m, z),
        "InvalidInput('not_money', 'standing_subsidy.net must be Money, got NoneType', field='net', value='NoneType')",
    ),
    (
        "standing_subsidy(m, usd, z)",
        lambda: standing_subsidy(m, usd, z),
        "InvalidInput('currency_mismatch', 'standing_subsidy.amount_due is in USD, the net in CNY', field='amount_due', value='USD')",
    ),
    (
        "standing_subsidy(m, m, Money(-5))",
        lambda: standing_subsidy(m, m, Money(-5)),
        "InvalidInput('negative_amount', 'standing_subsidy.platform_discount must not be negative, got -0.05', field='platform_discount', value='-0.05')",
    ),
    (
        "standing_subsidy(m, m, z, rounding=5)",
        lambda: standing_subsidy(m, m, z, rounding=5),
        "InvalidInput('unknown_rounding', 'rounding must be a Rounding or its name, got int', field='rounding', value='int')",
    ),
    (
        "Split(1, m, m, m, m, m, m)",
        lambda: Split(1, m, m, m, m, m, m),
        "InvalidInput('not_money', 'split.net must be Money, got int', field='split.net', value='int')",
    ),
    (
        "Split(m, m, m, m, m, m, 'x')",
        lambda: Split(m, m, m, m, m, m, "x"),
        "InvalidInput('not_money', 'split.merchant must be Money, got str', field='split.merchant', value='str')",
    ),
    (
        "Split(m, m, z, m, z, z, z, fees={})",
        lambda: Split(m, m, z, m, z, z, z, fees={}),
        "InvalidInput('invalid_value', 'split.fees must be a FeeSchedule or None, got dict', field='split.fees', value='dict')",
    ),
    (
        "Split(m, m, z, Money(1000,'USD'), z, z, z)",
        lambda: Split(m, m, z, Money(1000, "USD"), z, z, z),
        "InvalidInput('currency_mismatch', 'split.payment_fee is in USD, the net in CNY', field='split.payment_fee', value='USD')",
    ),
    (
        "Split(m, m, z, z, z, z, z)",
        lambda: Split(m, m, z, z, z, z, z),
        "InvalidInput('split_unbalanced', 'split parts sum to 0 minor units, the net is 1000', field='split', value=0)",
    ),
    (
        "s + 5",
        lambda: s + 5,
        "InvalidInput('not_a_split', 'cannot combine a Split with int', field='other', value='int')",
    ),
    (
        "s - None",
        lambda: s - None,
        "InvalidInput('not_a_split', 'cannot combine a Split with NoneType', field='other', value='NoneType')",
    ),
    (
        "5 + s",
        lambda: 5 + s,
        "InvalidInput('not_a_split', 'cannot combine a Split with int', field='other', value='int')",
    ),
    (
        "clawback(5, s)",
        lambda: clawback(5, s),
        "InvalidInput('not_a_split', 'clawback needs two Splits, got int', field='before', value='int')",
    ),
    (
        "clawback(s, 5)",
        lambda: clawback(s, 5),
        "InvalidInput('not_a_split', 'cannot combine a Split with int', field='other', value='int')",
    ),
    (
        "total_split(5)",
        lambda: total_split(5),
        "InvalidInput('not_a_split', 'total_split needs a list of Splits, got int', field='splits', value='int')",
    ),
    (
        "total_split('ab')",
        lambda: total_split("ab"),
        "InvalidInput('not_a_split', 'total_split needs a list of Splits, got str', field='splits', value='str')",
    ),
    (
        "total_split([s, 5])",
        lambda: total_split([s, 5]),
        "InvalidInput('not_a_split', 'cannot combine a Split with int', field='other', value='int')",
    ),
    (
        "total_split([], 'XXX')",
        lambda: total_split([], "XXX"),
        "InvalidInput('unknown_currency', \"currency must be an ISO 4217 code (CNY, EUR, GBP, HKD, JPY, KRW, KWD, MOP, MYR, SGD, THB, TWD, USD), got 'XXX'\", field='currency', value='XXX')",
    ),
    (
        "s + split_order(usd, usd, Money(0,'USD'), fees)",
        lambda: s + split_order(usd, usd, Money(0, "USD"), fees),
        "InvalidInput('currency_mismatch', 'cannot add USD and CNY amounts', field='currency', value='USD')",
    ),
]


@pytest.mark.parametrize(
    ("call", "expected"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_each_refusal_is_exactly_this_error(call: Callable[[], object], expected: str) -> None:
    """The refusal is this class, code, message and these fields, and nothing else."""
    with pytest.raises(TuangouError) as caught:
        call()
    assert repr(caught.value) == expected
    assert caught.value.fields.get("field")  # every refusal names its field


def test_a_split_is_exactly_the_contract_formula() -> None:
    """10.00 paid, 1.00 platform-funded, 0.6% / 5% / 10%: every part to the fen."""
    assert s == Split(
        Money(1000), Money(1100), Money(100), Money(6), Money(-45), Money(110), Money(929)
    )
    assert s.fees is fees
    assert s.currency == "CNY"
    assert s.parts() == {
        "payment_fee": Money(6),
        "platform": Money(-45),
        "leader": Money(110),
        "merchant": Money(929),
    }


def test_the_explanation_is_line_by_line() -> None:
    """explain() names each rate and rule; the part lines sum to the net line."""
    assert s.explain().splitlines() == [
        "net cash (paid − refunded)  10.00",
        "platform subsidy standing    1.00  platform-funded discounts",
        "base (net + subsidy)        11.00",
        "payment fee                  0.06  0.6% of net, half-up",
        "platform                    -0.45  5% of base, half-up, − subsidy",
        "leader                       1.10  10% of base, half-up, one level",
        "merchant                     9.29  the residual: net − fee − platform − leader",
    ]
    mixed = s + split_order(m, m, z, FeeSchedule(platform_rate="1%"))
    assert mixed.fees is None
    assert "its rate of base" in mixed.explain()
    assert "its rate of net" in mixed.explain()


def test_the_subsidy_keeps_the_currency_of_the_order() -> None:
    """A USD order's standing subsidy is in USD, in each of its three cases."""
    for net in (Money(0, "USD"), Money(500, "USD"), Money(1000, "USD"), Money(1500, "USD")):
        subsidy = standing_subsidy(net, usd, Money(100, "USD"))
        assert subsidy.currency == "USD"
    assert standing_subsidy(Money(500, "USD"), usd, Money(0, "USD")) == Money(0, "USD")


def test_the_subsidy_at_each_edge() -> None:
    """All of it from net == amount due on (overpaid too), none at zero, a share between."""
    assert standing_subsidy(m, m, Money(100)) == Money(100)
    assert standing_subsidy(Money(1001), m, Money(100)) == Money(100)
    assert standing_subsidy(Money(999), m, Money(100)) == Money(100)  # 99.9 rounds up
    assert standing_subsidy(Money(1), m, Money(100)) == Money(0)  # 0.1 rounds down
    assert standing_subsidy(Money(5), m, Money(100)) == Money(1)  # 0.5: half up
    assert standing_subsidy(z, m, Money(100)) == Money(0)
    assert standing_subsidy(Money(500), z, Money(100)) == Money(100)  # nothing was due


def test_the_subsidy_and_every_part_use_the_named_rounding() -> None:
    """On exact ties, half-up and half-down give different fen, in the subsidy and the rates."""
    assert standing_subsidy(Money(5), m, Money(100), rounding=Rounding.HALF_DOWN) == z
    assert standing_subsidy(Money(5), m, Money(100), rounding="half_up") == Money(1)
    tie = FeeSchedule(payment_rate="0.5%")  # 1.00 × 0.5% = 0.005: a tie
    assert split_order(Money(100), Money(100), z, tie).payment_fee == Money(1)
    assert split_order(Money(100), Money(100), z, tie, rounding="half_down").payment_fee == z
    leader = FeeSchedule(leader_rate="0.5%")
    assert split_order(Money(100), Money(100), z, leader, rounding="half_even").leader == z
    assert split_order(Money(300), Money(300), z, leader, rounding="half_even").leader == Money(2)
    platform = FeeSchedule(platform_rate="0.5%")
    assert split_order(Money(100), Money(100), z, platform, rounding="down").platform == z
    assert split_order(Money(100), Money(100), z, platform, rounding="up").platform == Money(1)


def test_sums_keep_a_shared_schedule_and_drop_a_mixed_one() -> None:
    """Splits of one schedule sum under it; a zero split takes the other's; mixed gives None."""
    other = split_order(m, m, z, FeeSchedule(platform_rate="1%"))
    assert (s + s).fees is fees
    assert (Split.zero() + s).fees is fees
    assert (s + Split.zero()).fees is fees
    assert (s + other).fees is None
    assert (s - s).fees is fees
    assert sum([s, s]) == s + s
    assert (0 + s) is s
    assert -s == Split.zero() - s
    assert (-s).net == Money(-1000)
    assert total_split([s, s]) == s + s
    assert total_split([]) == Split.zero()
    assert total_split([], "USD") == Split.zero("USD")
    assert clawback(s, Split.zero()) == s
    assert clawback(s, s) == Split(z, z, z, z, z, z, z)


def test_a_schedule_forced_past_its_checks_is_still_refused() -> None:
    """A FeeSchedule whose levels were forced to 2 after it was built cannot split an order."""
    forced = FeeSchedule()
    object.__setattr__(forced, "levels", 2)
    with pytest.raises(TuangouError) as caught:
        split_order(m, m, z, forced)
    assert repr(caught.value) == (
        "InvalidRule('multi_level_commission', 'fees.levels must be 1: commission over 2 levels "
        "(多级分销) is not allowed', field='fees.levels', value=2)"
    )
