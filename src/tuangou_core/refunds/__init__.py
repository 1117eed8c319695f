"""Refunds (退款): what goes back, from which line, which discount, along which tender.

A :class:`PaidOrder` is what a member paid and what still stands: lines (units, cash and each
discount's share on the line), tenders (WeChat Pay, balance …), points redeemed and earned,
and coupons used. Build it from the pricing :class:`~tuangou_core.pricing.Quote` with
:meth:`PaidOrder.from_quote`. :func:`plan_refund` answers a request with a :class:`RefundPlan`
and changes nothing; :meth:`PaidOrder.apply` records a plan and returns the order after it.

The rules, chosen so that partial refunds always add up and agree with the split:

- *Units* (the contract's cumulative rule): with ``r`` of a line's ``q`` units back in all,
  the unit returns together give back ``round(due × r / q)``, where ``due`` is the line's
  amount due; each return gives the difference from what earlier unit returns gave, never more
  than the line still holds. Returning units one by one therefore never drifts: 3 × 1.00 less
  a 0.01 coupon gives back 1.00, 0.99, 1.00.
- *Amount without return* (小额理赔): the cash is spread over the lines by the cash they still
  hold (largest remainder); the units stay.
- *Tier difference* (差价退款): the repriced quote's line totals and shares replace the held
  ones; each line gives back what it held above its new total.
- *Full*: everything still held.
- *Discounts*: one standing rule for every kind of refund, the contract's subsidy rule: per
  funder, the discounts stand in full while nothing is refunded, not at all once the net is
  zero, and ``round(discount × net / due)`` in between; a plan reverses the difference, share
  by share. So the platform's share reversed is exactly what the commission split claws back.
- *Tenders*: cash goes back along the original path, external channels first (WeChat Pay,
  then balance, by default; see :class:`RefundPolicy`), each up to what it still holds. A stray
  payment (a duplicate, a late or mismatched amount, one naming no order) goes back whole along
  its own tender (:func:`plan_return`).
- *Points*: redeemed points return as points, in proportion to the points discount reversed;
  points earned on the order are clawed back in proportion to the cash returned.
- *Coupons*: restored when the refund ends the order for a reason the policy names (by default
  group failure, a lost or overdue lottery, leaving before forming); forfeited by an
  after-sales refund; otherwise kept.
- *Ids*: ``"<order id>:r<sequence>"`` unless the caller names one: planning again from the
  same order gives the same refund, so a retry is never a second refund.
- *Limits*: a request beyond what the order, a line or a tender still holds, or a unit return
  that would give back nothing, is refused with :class:`~tuangou_core.errors.Rejected`
  ``refund_exceeds_paid`` and nothing changes.
"""

from __future__ import annotations

from tuangou_core.refunds._plan import plan_refund, plan_return
from tuangou_core.refunds._reasons import ENDING_REASONS, RefundReason
from tuangou_core.refunds._requests import (
    AmountRefund,
    FullRefund,
    RefundPolicy,
    RefundRequest,
    TierDifference,
    UnitsRefund,
)
from tuangou_core.refunds._standing import standing
from tuangou_core.refunds._values import (
    DiscountShare,
    LineRefund,
    PaidLine,
    PaidOrder,
    RefundPlan,
    TenderPaid,
    TenderRefund,
    lines_of,
)

__all__ = [
    "ENDING_REASONS",
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
    "lines_of",
    "plan_refund",
    "plan_return",
    "standing",
]
