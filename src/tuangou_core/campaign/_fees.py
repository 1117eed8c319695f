"""The fee schedule: who takes what from each payment (分账)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from tuangou_core.campaign._validation import refuse_unknown, rule_error
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Rate


def _rate_in_unit(value: object, field: str) -> Rate:
    try:
        rate = Rate.parse(value)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(
            error.code, f"{field}: {error.message}", field=field, value=error.fields.get("value")
        ) from None
    if not 0 <= rate.value <= 1:
        raise rule_error(field, f"must be between 0 and 1, got {rate}", str(rate))
    return rate


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
    """

    payment_rate: Rate = attrs.field(default=Rate(0))
    platform_rate: Rate = attrs.field(default=Rate(0))
    leader_rate: Rate = attrs.field(default=Rate(0))
    leader: str = "opener"
    levels: int = 1

    def __attrs_post_init__(self) -> None:
        for name in ("payment_rate", "platform_rate", "leader_rate"):
            _rate_in_unit(getattr(self, name), f"fees.{name}")
        total = self.payment_rate + self.platform_rate + self.leader_rate
        if total >= 1:
            raise rule_error(
                "fees",
                f"rates must sum to less than 1 (payment + platform + leader = {total})",
                str(total),
            )
        if not isinstance(self.leader, str) or not self.leader:
            raise rule_error("fees.leader", "must be 'opener' or a member or host id", self.leader)
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
        """Read a fee schedule from plain values (rates as strings)."""
        data = dict(data or {})
        known = {"payment_rate", "platform_rate", "leader_rate", "leader", "levels"}
        refuse_unknown(data, known, "fees")
        return cls(
            payment_rate=_rate_in_unit(data.get("payment_rate", "0"), "fees.payment_rate"),
            platform_rate=_rate_in_unit(data.get("platform_rate", "0"), "fees.platform_rate"),
            leader_rate=_rate_in_unit(data.get("leader_rate", "0"), "fees.leader_rate"),
            leader=data.get("leader", "opener"),
            levels=data.get("levels", 1),
        )
