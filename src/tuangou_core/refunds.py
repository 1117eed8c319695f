"""Refund plans (退款): what goes back, from which line, which discount, along which tender.

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

# Each import marked F401 is a name the values' annotations use (see the end), unused here.
from collections.abc import Mapping  # noqa: F401

from tuangou_core._refund_plan import plan_refund
from tuangou_core._refund_types import (
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
from tuangou_core.campaign import Funder  # noqa: F401
from tuangou_core.events import RefundReason  # noqa: F401
from tuangou_core.money import Money, Rounding  # noqa: F401
from tuangou_core.pricing import Quote  # noqa: F401

__all__ = [
    "AmountRefund",
    "DiscountShare",
    "FullRefund",
    "LineRefund",
    "PaidLine",
    "PaidOrder",
    "RefundPlan",
    "RefundPolicy",
    "RefundRequest",
    "TenderPaid",
    "TenderRefund",
    "TierDifference",
    "UnitsRefund",
    "plan_refund",
]

# The values and the planning live in private modules; every name above but the union
# RefundRequest (a type alias, which names no module) is this module's public name, so it says
# so (for the API reference, reprs and pickles alike). Their annotations are strings resolved
# in the module they name (typing.get_type_hints), hence the imports marked F401.
for _name in __all__:
    if _name != "RefundRequest":
        globals()[_name].__module__ = __name__
