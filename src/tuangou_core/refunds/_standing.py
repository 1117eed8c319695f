"""How much of a discount still stands once part of an order's cash went back.

One rule for every refund, the one the scenario contract writes for the platform's subsidy: a
discount stands in full while nothing is refunded (the order's net cash covers its amount due),
not at all once the net is zero, and ``round(discount × net / due)`` (half up) in between. The
refund planner reverses discount shares by it, and the commission split pays the subsidy by
it, so a refund's "discounts reversed" and the split's clawback always agree.
"""

from __future__ import annotations

from tuangou_core.money import Rounding


def standing(discount: int, net: int, due: int, rounding: Rounding = Rounding.HALF_UP) -> int:
    """The part of *discount* (minor units) that stands on an order with *net* cash and *due*.

    Args:
        discount: the discount as quoted, in minor units (zero or more).
        net: the order's cash standing (paid − refunded), in minor units.
        due: the order's amount due, in minor units.
        rounding: the named rounding of the proportional case; half up by contract.

    Returns:
        All of *discount* when ``net >= due``, none when ``net <= 0``, else
        ``round(discount × net / due)``.
    """
    if net <= 0 or discount == 0:
        return 0
    if net >= due:
        return discount
    return rounding.divide(discount * net, due)
