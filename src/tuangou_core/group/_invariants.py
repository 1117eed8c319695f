"""The invariants every campaign state keeps; the stateful tests check them after every step.

A state that breaks one is the library's bug, never a user's mistake: the error is an
:class:`InvariantViolation`, an :class:`~tuangou_core.errors.InternalError` (not a
``ValueError``), so no caller mistakes it for a refused command.
"""

from __future__ import annotations

from tuangou_core.errors import InternalError
from tuangou_core.group._events import GroupStatus, OrderStatus
from tuangou_core.group._state import ENDED, CampaignState, GroupState, Order
from tuangou_core.money import Money


class InvariantViolation(InternalError):
    """A state broke one of the library's invariants: a bug, never a user's mistake."""

    default_code = "invariant_violated"


def _expected(order: Order, group: GroupState) -> tuple[Money, Money]:
    """The (net cash, authorised) an order must hold under its current outcome."""
    zero = Money.zero(order.paid.currency)
    if (
        order.status in ENDED
        or order.status is OrderStatus.PENDING_PAYMENT
        or group.status is GroupStatus.FAILED
    ):
        return zero, zero
    if order.authorised.minor:
        # capture_at_close before its group closed: held on the card, nothing captured yet.
        return zero, order.due
    return order.due - order.after_sales, zero


def check_invariants(state: CampaignState) -> None:
    """Check every invariant of *state*; the stateful tests call it after every step.

    Per order: paid − refunded equals the amount due under the current outcome (zero when
    failed, cancelled, lost or unpaid; the due less after-sales refunds otherwise); nothing
    refunded beyond what was paid; an authorisation (``capture_at_close``) equal to the amount
    due while the group is open, and nothing authorised otherwise. Per group: at
    most ``max_size`` slots held, counters equal to the orders. Campaign: stock taken within
    stock, per-member units within the limit, no negative counts.

    Raises:
        InvariantViolation: naming the first invariant broken.
    """
    campaign = state.campaign
    for group in state.groups.values():
        pending = sum(1 for o in group.orders.values() if o.status is OrderStatus.PENDING_PAYMENT)
        paid = sum(1 for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP)
        if group.status is GroupStatus.OPEN and (pending, paid) != (group.pending, group.paid):
            _violated(
                f"group {group.id}: counters {group.pending}/{group.paid} but orders say "
                f"{pending}/{paid}"
            )
        if group.status is GroupStatus.OPEN and group.holding > campaign.max_size:
            _violated(f"group {group.id} holds {group.holding} > {campaign.max_size} slots")
        for order in group.orders.values():
            if order.refunded > order.paid:
                _violated(
                    f"{order.group}/{order.member}: refunded {order.refunded} > paid {order.paid}"
                )
            net, authorised = _expected(order, group)
            if (order.net, order.authorised) != (net, authorised):
                _violated(
                    f"{order.group}/{order.member} ({order.status.value}): net {order.net} "
                    f"and {order.authorised} authorised, expected {net} and {authorised}"
                )
    if campaign.stock is not None and not 0 <= state.stock_taken <= campaign.stock:
        _violated(f"stock taken {state.stock_taken} outside 0..{campaign.stock}")
    for member, units in state.units.items():
        if units < 0 or (
            campaign.per_member_limit is not None and units > campaign.per_member_limit
        ):
            _violated(f"{member} holds {units} units")


def _violated(message: str) -> None:
    raise InvariantViolation("invariant_violated", message)
