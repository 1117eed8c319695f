"""Member points (积分) earned on formed orders: the scenario's ``[points]`` table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from tuangou_core.campaign._coupons import Funder
from tuangou_core.campaign._validation import choice, refuse_unknown, required_money, rule_error
from tuangou_core.money import Currency, Money


@attrs.frozen
class PointsRule:
    """How many points a formed order stands at, and what each point is worth.

    An order in ``awaiting_shipment``, ``shipped`` or ``completed`` stands at
    ``floor(net / major unit) × earn_per_unit`` points; any other order at none. Refunds claw
    points back by the same rule (the standing is recomputed from the net). The liability is
    points × ``value``, funded by ``funded_by``'s share.

    Args:
        earn_per_unit: points per whole major unit (yuan) of an order's net cash.
        value: what one point is worth.
        funded_by: whose payable funds the liability: merchant or platform.

    Raises:
        InvalidRule: naming the field, for a negative or absurd rate, a non-positive value, or
            a funder that cannot fund points.
    """

    earn_per_unit: int
    value: Money
    funded_by: Funder = Funder.MERCHANT

    def __attrs_post_init__(self) -> None:
        if type(self.earn_per_unit) is not int or not 0 <= self.earn_per_unit <= 1_000_000:
            raise rule_error(
                "points.earn_per_unit",
                "must be a whole number from 0 to 1000000",
                self.earn_per_unit,
            )
        if not isinstance(self.value, Money) or self.value.minor <= 0:
            raise rule_error("points.value", "must be a positive amount", self.value)
        if self.funded_by is Funder.LEADER:
            raise rule_error("points.funded_by", "must be 'merchant' or 'platform'", "leader")

    @classmethod
    def build(cls, data: Mapping[str, Any], currency: str) -> PointsRule:
        """Read the ``[points]`` table (``value`` a decimal string in the campaign currency).

        Raises:
            InvalidRule: naming the key.
        """
        if not isinstance(data, Mapping):
            raise rule_error("points", "must be a table", data)
        refuse_unknown(data, {"earn_per_unit", "value", "funded_by"}, "points")
        return cls(
            earn_per_unit=data.get("earn_per_unit", 1),
            value=required_money(data.get("value"), currency, "points.value"),
            funded_by=choice(Funder, data.get("funded_by", "merchant"), "points.funded_by"),
        )

    def standing(self, net: Money) -> int:
        """The points an order with *net* cash stands at once formed (none for no cash)."""
        if net.minor <= 0:
            return 0
        return net.minor // Currency.of(net.currency).scale * self.earn_per_unit

    def liability(self, points: int) -> Money:
        """What *points* are worth: ``points × value``."""
        return self.value * points
