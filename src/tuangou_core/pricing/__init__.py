"""Pricing: quote a cart under a campaign, stacking discounts as data, explaining every cent.

:func:`quote` prices cart lines under a campaign, a :class:`Context` and a
:class:`StackingPolicy`. It starts from the list price, takes the group price (as a
merchant-funded step), then runs the phases in the policy's order (item → order → points →
shipping by default). Each :class:`Discount` becomes a :class:`Step` that names its funder and
carries its integer share on every line; order-level discounts are spread over the lines with
:func:`~tuangou_core.money.allocate` by the lines' running amounts, so a refund of a line can
reverse exactly that line's share.

:func:`quote_member` is the one-line case the group decider uses: a member's order at the unit
price the decider chose, with the campaign's coupons applied in the order presented.

The invariants, for every quote: ``total == Σ line totals``; each step's shares sum to its
amount; no line is negative; ``list_total − discount_total == total``.
"""

from __future__ import annotations

from tuangou_core.pricing._discounts import (
    Audience,
    Base,
    Discount,
    DiscountKind,
    Phase,
    Role,
    TimeSlot,
    coupon_discount,
    percent_text,
)
from tuangou_core.pricing._policy import Context, StackingPolicy
from tuangou_core.pricing._protection import PROTECTION_KIND, protect
from tuangou_core.pricing._quote import QUOTE_COLUMNS, Line, Quote, QuoteLine, Skipped, Step
from tuangou_core.pricing._quoting import group_unit_price, quote, quote_member

__all__ = [
    "PROTECTION_KIND",
    "QUOTE_COLUMNS",
    "Audience",
    "Base",
    "Context",
    "Discount",
    "DiscountKind",
    "Line",
    "Phase",
    "Quote",
    "QuoteLine",
    "Role",
    "Skipped",
    "StackingPolicy",
    "Step",
    "TimeSlot",
    "coupon_discount",
    "group_unit_price",
    "percent_text",
    "protect",
    "quote",
    "quote_member",
]
