"""Why money goes back to a member: the reasons every refund names."""

from __future__ import annotations

import enum


class RefundReason(enum.Enum):
    """Why money goes back to a member."""

    GROUP_FAILED = "group_failed"  # the group did not form by its deadline (原路退回)
    LOTTERY_LOST = "lottery_lost"  # not drawn in a lottery group
    CANCELLED = "cancelled"  # the member left a group that had not formed
    TIER_DIFFERENCE = "tier_difference"  # 差价退款: the group closed at a cheaper tier
    AMOUNT_MISMATCH = "amount_mismatch"  # paid an amount other than the amount due
    DUPLICATE_PAYMENT = "duplicate_payment"  # a second payment for an order already paid
    LATE_PAYMENT = "late_payment"  # money for a cancelled order or a closed group
    AFTER_SALES = "after_sales"  # 售后: a refund asked for after forming
    UNMATCHED_PAYMENT = "unmatched_payment"  # money that named no order: sent straight back
    DRAW_OVERDUE = "draw_overdue"  # a formed lottery group not drawn in time: everyone back

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


ENDING_REASONS: frozenset[RefundReason] = frozenset(
    {
        RefundReason.GROUP_FAILED,
        RefundReason.LOTTERY_LOST,
        RefundReason.CANCELLED,
        RefundReason.DRAW_OVERDUE,
    }
)
"""The reasons that end an order whatever is left of it (everything goes back)."""
