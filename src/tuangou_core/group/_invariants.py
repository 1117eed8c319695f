"""The invariants every campaign state keeps; the stateful tests check them after every step.

A state that breaks one is the library's bug, never a user's mistake: the error is an
:class:`InvariantViolation`, an :class:`~tuangou_core.errors.InternalError` (not a
``ValueError``), so no caller mistakes it for a refused command.
"""

from __future__ import annotations

from tuangou_core.campaign import Campaign, LotteryRule, TieredRule
from tuangou_core.errors import InternalError, InvalidInput
from tuangou_core.group._events import GroupStatus, OrderStatus
from tuangou_core.group._state import ENDED, PAID, CampaignState, GroupState, Order
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
    most ``max_size`` slots held, counters equal to the orders, and a state that agrees with
    its orders: a formed group holds no order awaiting it (but an undrawn lottery's), has at
    least the members its rule needs, and an open group has not reached the size that forms
    it; the leader is a member, paid once anyone else is in an open group, paid (or refunded
    after paying) in a formed one. Campaign: stock taken within stock, per-member units within
    the limit, no negative counts.

    Raises:
        InvariantViolation: naming the first invariant broken.
        InvalidInput: ``invalid_input`` for a *state* that is not a :class:`CampaignState`.
    """
    check_state(state, "state")
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
        _check_group_state(campaign, group, paid)
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


def _forming_size(campaign: Campaign) -> int:
    rule = campaign.rule
    return campaign.max_size if isinstance(rule, TieredRule) else rule.size


def _check_group_state(campaign: Campaign, group: GroupState, waiting: int) -> None:
    leader = group.orders.get(group.leader)
    if leader is None:
        _violated(f"group {group.id}: its leader {group.leader!r} has no order in it")
        return
    if group.status is GroupStatus.OPEN:
        if waiting >= _forming_size(campaign):
            _violated(
                f"group {group.id} is open with {waiting} paid members: it should have formed "
                f"at {_forming_size(campaign)}"
            )
        others = len(group.orders) > 1
        if others and leader.status is not OrderStatus.AWAITING_GROUP:
            _violated(
                f"group {group.id} takes members but its leader {group.leader!r} is "
                f"{leader.status.value}, not a paid member"
            )
    elif group.status is GroupStatus.FORMED:
        undrawn = isinstance(campaign.rule, LotteryRule) and not group.drawn
        if waiting and not undrawn:
            _violated(f"group {group.id} formed but {waiting} order(s) still await it")
        if group.formed_size < campaign.min_size:
            _violated(
                f"group {group.id} formed with {group.formed_size} members, fewer than the "
                f"{campaign.min_size} its rule needs"
            )
        if group.formed_size - group.virtual > group.members:
            _violated(
                f"group {group.id} formed with {group.formed_size - group.virtual} real "
                f"members but holds {group.members} orders"
            )
        if leader.status not in PAID and leader.status is not OrderStatus.REFUNDED:
            _violated(
                f"group {group.id} formed with leader {group.leader!r} "
                f"{leader.status.value}, not a paid member"
            )


def check_state(state: object, field: str) -> None:
    """Refuse a *state* that is not a :class:`CampaignState` (``invalid_input`` naming *field*)
    before any of its attributes is read."""
    if not isinstance(state, CampaignState):
        raise InvalidInput(
            "invalid_input",
            f"{field} must be a CampaignState, got {type(state).__name__}",
            field=field,
            value=type(state).__name__,
        )
