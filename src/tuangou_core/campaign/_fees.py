"""The fee schedule: who takes what from each payment (分账)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from tuangou_core._validators import text
from tuangou_core.campaign._validation import refuse_unknown, rule_error
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Rate


def _rate_in_unit(value: object, field: str) -> Rate:
    try:
        rate = value if isinstance(value, Rate) else Rate(value)
    except InvalidInput as error:
        raise InvalidRule(
            error.code, f"{field}: {error.message}", field=field, value=error.fields.get("value")
        ) from None
    if not 0 <= rate.value <= 1:
        raise rule_error(field, f"must be between 0 and 1, got {rate}", str(rate))
    return rate


def _payment_rate(value: Rate | str) -> Rate:
    return _rate_in_unit(value, "fees.payment_rate")


def _platform_rate(value: Rate | str) -> Rate:
    return _rate_in_unit(value, "fees.platform_rate")


def _leader_rate(value: Rate | str) -> Rate:
    return _rate_in_unit(value, "fees.leader_rate")


_LEADER: Final = text("fees.leader", code="invalid_rule", error=InvalidRule)


def _leader(value: str) -> str:
    return _LEADER(value)


def _levels(value: int) -> int:
    if type(value) is not int:
        raise rule_error("fees.levels", f"must be a whole number, got {value!r}", value)
    return value


@attrs.frozen
class FeeSchedule:
    """Who takes what from each payment (分账).

    Args:
        payment_rate: the processor's fee on cash paid (e.g. 0.6%).
        platform_rate: the platform's take on the merchant price.
        leader_rate: the community leader's commission on the merchant price.
        leader: who earns ``leader_rate``: ``"opener"`` (the group's opener) or a member or
            host id.
        levels: commission levels; only 1 is allowed (三级分销 is forbidden).

    Rates may be given as ``Rate`` or anything ``Rate`` reads (``"0.006"``, ``"0.6%"``).

    Raises:
        InvalidRule: naming the field: ``invalid_rate`` or ``invalid_rule`` for a rate outside
            0–1 or rates summing to 1 or more, ``multi_level_commission``.
    """

    payment_rate: Rate = attrs.field(default=Rate(0), converter=_payment_rate)
    platform_rate: Rate = attrs.field(default=Rate(0), converter=_platform_rate)
    leader_rate: Rate = attrs.field(default=Rate(0), converter=_leader_rate)
    leader: str = attrs.field(default="opener", converter=_leader)
    levels: int = attrs.field(default=1, converter=_levels)

    def __attrs_post_init__(self) -> None:
        total = self.payment_rate + self.platform_rate + self.leader_rate
        if total >= 1:
            raise rule_error(
                "fees",
                f"rates must sum to less than 1 (payment + platform + leader = {total})",
                str(total),
            )
        if self.levels != 1:
            raise InvalidRule(
                "multi_level_commission",
                f"fees.levels must be 1: commission over {self.levels} levels (多级分销) is "
                "not allowed",
                field="fees.levels",
                value=self.levels,
            )

    @classmethod
    def build(cls, data: Mapping[str, Any] | None = None) -> FeeSchedule:
        """Read a fee schedule from plain values (rates as strings).

        Raises:
            InvalidRule: naming the key, for a table that is not one, an unknown key or a value
                the schedule refuses.
        """
        if data is not None and not isinstance(data, Mapping):
            raise rule_error("fees", "must be a table", type(data).__name__)
        data = {str(key): value for key, value in (data or {}).items()}
        known = {"payment_rate", "platform_rate", "leader_rate", "leader", "levels"}
        refuse_unknown(data, known, "fees")
        return cls(
            payment_rate=_rate_in_unit(data.get("payment_rate", "0"), "fees.payment_rate"),
            platform_rate=_rate_in_unit(data.get("platform_rate", "0"), "fees.platform_rate"),
            leader_rate=_rate_in_unit(data.get("leader_rate", "0"), "fees.leader_rate"),
            leader=data.get("leader", "opener"),
            levels=data.get("levels", 1),
        )
