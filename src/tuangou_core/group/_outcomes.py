"""How groups end and money goes back: time passing, forming, failing, refunds along the path.

Every function here only reads the state (a :class:`CampaignState` or the working copy of a
``Fold``) and returns events. The command handlers (``_decide``) share these: a payment that
completes a group forms it exactly as a deadline does.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tuangou_core.campaign import Campaign, ChargeMode, Expiry, TieredRule
from tuangou_core.errors import Rejected
from tuangou_core.group._events import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupStatus,
    OrderCancelled,
    OrderRepriced,
    OrderStatus,
    PaymentCaptured,
    RefundDue,
    StockReleased,
)
from tuangou_core.group._state import GroupState, Order, View
from tuangou_core.money import Money
from tuangou_core.pricing import quote_member
from tuangou_core.refunds import RefundReason

# Pricing is pure and its quotes are frozen values: members who join on the same terms share
# one quote instead of recomputing it. The cache is bounded and holds nothing mutable.
member_quote = functools.lru_cache(maxsize=4096)(quote_member)


def reject(code: str, message: str, **fields: Any) -> Rejected:
    return Rejected(code, message, **fields)


def order_of(group: GroupState, member: str) -> Order:
    order = group.orders.get(member)
    if order is None:
        raise reject(
            "not_a_member",
            f"{member!r} has no order in group {group.id!r}",
            group=group.id,
            member=member,
        )
    return order


def _due_entries(heap: Sequence[Any], at: datetime) -> list[Any]:
    # Read-only walk of a binary heap: visit a child only when its parent is due.
    found: list[Any] = []
    stack = [0] if heap else []
    while stack:
        index = stack.pop()
        entry = heap[index]
        if entry[0] <= at:
            found.append(entry)
            stack.extend(i for i in (2 * index + 1, 2 * index + 2) if i < len(heap))
    found.sort()
    return found


def elapse(view: View, at: datetime) -> list[Event]:
    """What time passing to *at* causes: expired holds first, then expired groups."""
    events: list[Event] = []
    for _due, _seq, group_id, member in _due_entries(view.holds, at):
        group = view.groups[group_id]
        order = group.orders[member]
        if order.status is OrderStatus.PENDING_PAYMENT and group.status is GroupStatus.OPEN:
            events.append(OrderCancelled(at, group_id, member, "hold_expired"))
            events.extend(release(view, order, at))
    expired = [view.groups[g] for _due, _seq, g in _due_entries(view.deadlines, at)]
    if not expired:
        return events
    # Apply the hold expiries before judging the groups, so counts are current.
    released = {(e.group, e.member) for e in events if isinstance(e, OrderCancelled)}
    for group in expired:
        if group.status is GroupStatus.OPEN:
            events.extend(_expire(view, group, at, released))
    return events


def release(view: View, order: Order, at: datetime) -> list[Event]:
    if view.campaign.stock is None and view.campaign.per_member_limit is None:
        return []
    return [StockReleased(at, order.group, order.member, order.qty)]


def _expire(
    view: View, group: GroupState, at: datetime, released: set[tuple[str, str]]
) -> list[Event]:
    campaign = view.campaign
    paid = [o for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP]
    pending = [
        o
        for o in group.orders.values()
        if o.status is OrderStatus.PENDING_PAYMENT and (o.group, o.member) not in released
    ]
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        tier = rule.tier_for(len(paid))
        if tier is not None:
            return form(view, group, paid, pending, at, tier.price, 0, group.deadline)
    elif campaign.on_expiry is Expiry.VIRTUAL_COMPLETE and len(paid) >= (campaign.virtual_min or 1):
        return form(
            view, group, paid, pending, at, rule.price, rule.size - len(paid), group.deadline
        )
    return _fail(view, group, paid, pending, at)


def _fail(
    view: View, group: GroupState, paid: list[Order], pending: list[Order], at: datetime
) -> list[Event]:
    events: list[Event] = [GroupFailed(at, group.id, len(paid), group.deadline)]
    for order in pending:
        events.append(OrderCancelled(at, group.id, order.member, "group_failed"))
        events.extend(release(view, order, at))
    for order in paid:
        events.extend(give_back(order, order.net, order.authorised, RefundReason.GROUP_FAILED, at))
        events.extend(release(view, order, at))
    return events


def give_back(
    order: Order,
    cash: Money,
    authorised: Money | None,
    reason: RefundReason,
    at: datetime,
    payment_id: str | None = None,
    note: str = "",
) -> list[Event]:
    """Return *cash* (a refund) and release *authorised* (never captured) to the member,
    along the path of *payment_id* (the order's own payment unless named)."""
    path = payment_id or order.payment_id or ""
    events: list[Event] = []
    if cash.minor:
        refund_id = f"{order.group}:{order.member}:r{order.refund_count + 1}"
        events.append(RefundDue(at, order.group, order.member, refund_id, path, cash, reason, note))
    if authorised is not None and authorised.minor:
        events.append(
            AuthorisationReleased(at, order.group, order.member, path, authorised, reason)
        )
    return events


def form(
    view: View,
    group: GroupState,
    paid: list[Order],
    pending: list[Order],
    at: datetime,
    unit_price: Money,
    virtual: int,
    due: datetime | None,
) -> list[Event]:
    campaign = view.campaign
    events: list[Event] = [GroupFormed(at, group.id, len(paid) + virtual, virtual, unit_price, due)]
    for order in pending:
        events.append(OrderCancelled(at, group.id, order.member, "group_formed"))
        events.extend(release(view, order, at))
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        capture = rule.charge is ChargeMode.CAPTURE_AT_CLOSE
        for order in paid:
            events.extend(_settle_tier(campaign, order, unit_price, capture, at))
    return events


def _settle_tier(
    campaign: Campaign, order: Order, tier_price: Money, capture: bool, at: datetime
) -> list[Event]:
    unit = tier_price
    if order.role == "opener" and campaign.leader_price is not None:
        unit = min(unit, campaign.leader_price)
    quote = member_quote(
        campaign,
        unit_price=unit,
        qty=order.qty,
        coupon_ids=order.coupons,
        role=order.role,
    )
    charged = order.authorised if capture else order.net
    events: list[Event] = []
    # Price protection: a member never pays more than already charged, even when a coupon
    # threshold no longer qualifies at the lower price; such an order keeps its price.
    if quote.total < charged:
        events.append(OrderRepriced(at, order.group, order.member, quote))
        final = quote.total
    else:
        final = charged
    if capture:
        events.append(PaymentCaptured(at, order.group, order.member, order.payment_id or "", final))
        events.extend(
            give_back(
                order, Money.zero(final.currency), charged - final, RefundReason.TIER_DIFFERENCE, at
            )
        )
    elif final < charged:
        events.extend(give_back(order, charged - final, None, RefundReason.TIER_DIFFERENCE, at))
    return events


def forming_price(campaign: Campaign, paid: int) -> Money | None:
    """The unit price a group forms at the moment *paid* members have paid, or None."""
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        tier = rule.tier_for(paid)
        return tier.price if tier is not None and paid >= campaign.max_size else None
    return rule.price if paid >= rule.size else None


def captures(campaign: Campaign) -> bool:
    rule = campaign.rule
    return isinstance(rule, TieredRule) and rule.charge is ChargeMode.CAPTURE_AT_CLOSE
