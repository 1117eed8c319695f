"""Price protection: only an amount below the quote is kept, and a gap no coupon funds is the
merchant's."""

from __future__ import annotations

import pytest

from drivers import campaign, cny
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money
from tuangou_core.pricing import protect, quote_member


@pytest.mark.parametrize("keep", ["70.00", "70.01", "-0.01"])
def test_price_protection_keeps_only_an_amount_below_the_quote(keep: str) -> None:
    """Keeping the whole total, more, or a negative amount is invalid_amount."""
    q = quote_member(campaign(), unit_price=cny("70.00"))
    with pytest.raises(InvalidInput) as caught:
        protect(q, cny(keep), [])
    assert repr(caught.value) == (
        "InvalidInput('invalid_amount', \"price protection keeps an amount below the quote's "
        f"70.00, got {keep}\", field='keep', value='{keep}')"
    )


def test_price_protection_in_another_currency_is_refused() -> None:
    """A keep in USD for a CNY quote is invalid_amount."""
    q = quote_member(campaign(), unit_price=cny("70.00"))
    with pytest.raises(InvalidInput) as caught:
        protect(q, Money(100, "USD"), [])
    assert caught.value.code == "invalid_amount"


def test_price_protection_without_lapsed_coupons_is_the_merchants() -> None:
    """70.00 kept at 60.00 with no coupon lapsed: one merchant-funded 10.00 step."""
    q = quote_member(campaign(), unit_price=cny("70.00"))
    protected = protect(q, cny("60.00"), [])
    assert protected.total == cny("60.00")
    step = protected.steps[-1]
    assert (step.name, step.funder.value, step.amount) == (
        "price protection (tier price)",
        "merchant",
        cny("10.00"),
    )
