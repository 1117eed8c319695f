"""Price protection (保价): a repriced order never costs more than what it already paid.

When a tiered group closes at a cheaper tier, each member's order is repriced there with its
coupons. A 满X减Y coupon can stop qualifying at the lower price, so the repriced total can be
above what the member paid; the member keeps the amount paid, and the gap is a discount funded
by whoever funded the coupons that stopped applying (the platform's part counts in the split's
subsidy), so every order of the group still splits on the tier's price.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from tuangou_core.campaign import Funder
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money, allocate_minor
from tuangou_core.pricing._quote import Quote, Step

PROTECTION_KIND = "price_protection"


def protect(quote: Quote, keep: Money, lapsed: Sequence[tuple[str, Funder, Money]]) -> Quote:
    """*quote* brought down to *keep* by price-protection steps.

    Args:
        quote: the order repriced at its new price (its total above *keep*).
        keep: what the member already paid, which the order's amount due becomes.
        lapsed: the coupons that applied at the old price and no longer do, as
            ``(name, funder, amount it took)``. The gap is divided among them by those amounts
            (largest remainder); with none, the merchant funds it.

    Returns:
        The quote with one ``price protection (<coupon>)`` step per lapsed coupon, each spread
        over the lines by what they still cost, and ``total == keep``.

    Raises:
        InvalidInput: ``invalid_amount`` when *keep* is not below the quote's total.
    """
    gap = quote.total.minor - keep.minor
    if keep.currency != quote.currency or gap <= 0 or keep.minor < 0:
        raise InvalidInput(
            "invalid_amount",
            f"price protection keeps an amount below the quote's {quote.total}, got {keep}",
            field="keep",
            value=str(keep),
        )
    funded = [(name, funder, amount.minor) for name, funder, amount in lapsed if amount.minor > 0]
    if not funded:
        funded = [("tier price", Funder.MERCHANT, 1)]
    parts = allocate_minor(gap, [weight for _, _, weight in funded])
    left = [line.total.minor for line in quote.lines]
    steps = list(quote.steps)
    for (name, funder, _), part in zip(funded, parts, strict=True):
        if not part:
            continue
        shares = allocate_minor(part, left)
        left = [held - share for held, share in zip(left, shares, strict=True)]
        steps.append(
            Step(
                PROTECTION_KIND,
                f"price protection ({name})",
                f"保价: {name} no longer applies at the new price",
                funder,
                Money._trusted(part, quote.currency),
                tuple(shares),
                "order",
                note="the member keeps the amount already paid",
            )
        )
    lines = tuple(
        attrs.evolve(line, total=Money._trusted(held, quote.currency))
        for line, held in zip(quote.lines, left, strict=True)
    )
    return attrs.evolve(quote, steps=tuple(steps), lines=lines, total=keep)
