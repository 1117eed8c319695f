"""Refunds (退款): what goes back, from which line, which discount, along which tender.

A :class:`PaidOrder` is what a member paid and what still stands: lines (units, cash and each
discount's share on the line), tenders (WeChat Pay, balance …), points redeemed and earned,
and coupons used. Build it from the pricing :class:`~tuangou_core.pricing.Quote` with
:meth:`PaidOrder.from_quote`. :func:`plan_refund` answers a request with a :class:`RefundPlan`
and changes nothing; :meth:`PaidOrder.apply` records a plan and returns the order after it.

The rules, chosen so that partial refunds always add up:

- *Units*: returning ``k`` of the ``u`` units still held on a line gives back
  ``held − round(held × (u − k) / u)`` of the line's cash and of each discount share, that is
  ``alloc(before) − alloc(after)`` over what remains. The last unit takes whatever is left, so
  any sequence of partial refunds returns exactly what was paid, never a cent more or less.
- *Amount without return* (小额理赔): the cash is spread over the lines by the cash they still
  hold (largest remainder); units and discount shares stay.
- *Tier difference* (差价退款): the repriced quote's line totals and shares replace the held
  ones; each line gives back what it held above its new total.
- *Full*: everything still held.
- *Tenders*: cash goes back along the original path, external channels first (WeChat Pay,
  then balance, by default; see :class:`RefundPolicy`), each up to what it still holds.
- *Points*: redeemed points return as points, in proportion to the points discount reversed;
  points earned on the order are clawed back in proportion to the cash returned.
- *Coupons*: restored when the refund ends the order for a reason the policy names (by default
  group failure, a lost lottery, leaving before forming); forfeited otherwise (a partial or
  after-sales refund keeps them spent).
- *Ids*: ``"<order id>:r<sequence>"``: planning again from the same order gives the same
  refund, so a retry is never a second refund.
- *Limits*: a request beyond what the order, a line or a tender still holds is refused with
  :class:`~tuangou_core.errors.Rejected` ``refund_exceeds_paid`` and nothing changes.
"""

from __future__ import annotations

from tuangou_core.refunds._plan import plan_refund
from tuangou_core.refunds._reasons import RefundReason
from tuangou_core.refunds._values import (
    AmountRefund,
    DiscountShare,
    FullRefund,
    LineRefund,
    PaidLine,
    PaidOrder,
    RefundPlan,
    RefundPolicy,
    RefundRequest,
    TenderPaid,
    TenderRefund,
    TierDifference,
    UnitsRefund,
)

__all__ = [
    "AmountRefund",
    "DiscountShare",
    "FullRefund",
    "LineRefund",
    "PaidLine",
    "PaidOrder",
    "RefundPlan",
    "RefundPolicy",
    "RefundReason",
    "RefundRequest",
    "TenderPaid",
    "TenderRefund",
    "TierDifference",
    "UnitsRefund",
    "plan_refund",
]
