"""What a refund asks (full, units, an amount, a tier difference) and how it goes back.

Each request and the policy check their fields when built (coded errors naming the field);
the planner (``_plan``) reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

from tuangou_core._validators import instance
from tuangou_core.money import Money, Rounding
from tuangou_core.pricing import Quote
from tuangou_core.refunds import _checks as check
from tuangou_core.refunds._reasons import RefundReason

_RESTORING: Final = frozenset(
    {
        RefundReason.GROUP_FAILED,
        RefundReason.LOTTERY_LOST,
        RefundReason.CANCELLED,
        RefundReason.DRAW_OVERDUE,
    }
)


@attrs.frozen
class FullRefund:
    """Everything the order still holds goes back (group failed, lottery lost, cancelled)."""

    reason: RefundReason = attrs.field(default=RefundReason.GROUP_FAILED, converter=check.reason)


@attrs.frozen
class UnitsRefund:
    """Return units: ``{line: units}``, a line named by its sku or its index.

    Raises:
        InvalidInput: ``invalid_request`` for *units* that are not a mapping of 1 to 1 000
            lines, ``unknown_line`` for a key that is neither a sku nor an index,
            ``invalid_quantity`` for a count that is not a quantity.
    """

    units: Mapping[str | int, int] = attrs.field(converter=check.units)
    reason: RefundReason = attrs.field(default=RefundReason.AFTER_SALES, converter=check.reason)


@attrs.frozen
class AmountRefund:
    """小额理赔: *amount* back without a return, from line *sku* or spread over all lines.

    Raises:
        InvalidInput: ``invalid_amount`` for an amount that is not Money or not positive,
            ``unknown_line`` for a *sku* that is not text.
    """

    amount: Money = attrs.field(converter=check.positive_amount)
    sku: str | None = attrs.field(default=None, converter=check.line_sku)
    reason: RefundReason = attrs.field(default=RefundReason.AFTER_SALES, converter=check.reason)


_QUOTE: Final = instance(Quote, "quote", code="invalid_request")


def _quote(value: object) -> Quote:
    quote: Quote = _QUOTE(value)
    return quote


@attrs.frozen
class TierDifference:
    """差价退款: the group closed cheaper; *quote* is the order repriced at the final tier."""

    quote: Quote = attrs.field(converter=_quote)
    reason: RefundReason = attrs.field(default=RefundReason.TIER_DIFFERENCE, converter=check.reason)


RefundRequest = FullRefund | UnitsRefund | AmountRefund | TierDifference


@attrs.frozen
class RefundPolicy:
    """How refunds go back.

    Args:
        tender_order: which tenders are refunded first; tenders not listed follow in the
            order they were paid. Default: ``wechat`` before ``balance``: an external
            channel's refund window closes (WeChat Pay takes refunds for a year), the balance
            never does, and returning cash where it came from keeps stored value low.
        restore_coupons_on: the reasons whose order-ending refund restores the coupons;
            any other refund forfeits them.
        rounding: the rounding of proportional shares (units, discounts, points).

    Raises:
        InvalidInput: ``invalid_policy`` naming the field: tender kinds that are not a list of
            ids, reasons that are not :class:`RefundReason` values, an unknown rounding mode.
    """

    tender_order: tuple[str, ...] = attrs.field(
        default=("wechat", "balance"), converter=check.tender_order
    )
    restore_coupons_on: frozenset[RefundReason] = attrs.field(
        default=_RESTORING, converter=check.restoring
    )
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, converter=check.rounding)


DEFAULT_POLICY: Final = RefundPolicy()
"""The policy a refund follows when none is given."""
