"""How groups end and money goes back: time passing, forming, failing, refunds along the path.

Every function here only reads the state (a :class:`CampaignState` or the working copy of a
``Fold``) and returns events. The command handlers (``_decide``) share these: a payment that
completes a group forms it exactly as a deadline does, and every refund, whatever caused it,
is planned by the one refund planner (:mod:`tuangou_core.refunds`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from tuangou_core.campaign import Campaign, ChargeMode, Expiry, LotteryRule, TieredRule
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
from tuangou_core.group._view import GroupView, OrderView, View
from tuangou_core.money import Money
from tuangou_core.pricing import Quote, protect, quote_member
from tuangou_core.refunds import (
    FullRefund,
    RefundPlan,
    RefundReason,
    RefundRequest,
    TenderPaid,
    TierDifference,
    plan_refund,
    plan_return,
)

# Pricing is pure and its quotes are frozen values: members who join on the same terms share
# one quote instead of recomputing it. The cache is bounded and holds nothing mutable.
member_quote = functools.lru_cache(maxsize=4096)(quote_member)


def reject(code: str, message: str, **fields: Any) -> Rejected:
    return Rejected(code, message, **fields)


def order_of(group: GroupView, member: str) -> OrderView:
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
    if not heap or heap[0][0] > at:
        return []  # nothing due: what almost every command finds
    size = len(heap)
    if (size < 2 or heap[1][0] > at) and (size < 3 or heap[2][0] > at):
        return [heap[0]]  # only the head: most often an entry that no longer matters
    found: list[Any] = []
    stack = [0]
    while stack:
        index = stack.pop()
        entry = heap[index]
        if entry[0] <= at:
            found.append(entry)
            stack.extend(i for i in (2 * index + 1, 2 * index + 2) if i < len(heap))
    found.sort()
    return found


# -- time passing -------------------------------------------------------------------------------


def elapse(view: View, at: datetime) -> list[Event]:
    """What time passing to *at* causes, in this order: expired holds (an opener's lapsed hold
    ends its group at once), then expired groups, then formed lottery groups left undrawn."""
    holds, deadlines, draws = view.holds, view.deadlines, view.draws
    if (
        (not holds or holds[0][0] > at)
        and (not deadlines or deadlines[0][0] > at)
        and (not draws or draws[0][0] > at)
    ):
        return []  # nothing is due: what almost every command finds
    events: list[Event] = []
    released: set[tuple[str, str]] = set()
    ended: set[str] = set()
    for due, _seq, group_id, member in _due_entries(view.holds, at):
        group = view.groups[group_id]
        order = group.orders[member]
        if (
            group.status is not GroupStatus.OPEN
            or group_id in ended
            or order.status is not OrderStatus.PENDING_PAYMENT
            or order.hold_until != due
        ):
            continue
        events.append(OrderCancelled(at, group_id, member, "hold_expired"))
        events.extend(release(view, order, at))
        released.add((group_id, member))
        if member == group.leader:
            events.extend(fail(view, group, at, due, "opener_unpaid", released))
            ended.add(group_id)
    for _due, _seq, group_id in _due_entries(view.deadlines, at):
        group = view.groups[group_id]
        if group.status is GroupStatus.OPEN and group_id not in ended:
            events.extend(_expire(view, group, at, released))
    for due, _seq, group_id in _due_entries(view.draws, at):
        group = view.groups[group_id]
        if group.status is GroupStatus.FORMED and not group.drawn:
            events.extend(fail(view, group, at, due, "draw_overdue", released))
    return events


def release(view: View, order: OrderView, at: datetime) -> list[Event]:
    """The order's units back to the campaign's stock (when stock or limits are tracked)."""
    if view.campaign.stock is None and view.campaign.per_member_limit is None:
        return []
    return [StockReleased(at, order.group, order.member, order.qty)]


def _expire(
    view: View, group: GroupView, at: datetime, released: set[tuple[str, str]]
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
    return fail(view, group, at, group.deadline, "deadline", released)


_FAILURE_REASONS = {"draw_overdue": RefundReason.DRAW_OVERDUE}


def fail(
    view: View,
    group: GroupView,
    at: datetime,
    due: datetime,
    reason: str,
    released: Iterable[tuple[str, str]] = (),
    leaving: str | None = None,
) -> list[Event]:
    """The group fails: unpaid holds are cancelled, every paid order is refunded in full.

    Args:
        reason: the :class:`GroupFailed` reason (``deadline``, ``opener_unpaid``,
            ``no_paid_member``, ``draw_overdue``).
        released: orders already cancelled by the same step of time, left alone.
        leaving: a member whose own leaving caused the failure, already refunded.
    """
    # *leaving* is a paid leader who left (an unpaid one is in *released*): the paid orders
    # below leave it out, and it is no pending order.
    skip = set(released)
    waiting = {OrderStatus.AWAITING_GROUP, OrderStatus.AWAITING_SHIPMENT}
    paid = [o for o in group.orders.values() if o.status in waiting and o.member != leaving]
    pending = [
        o
        for o in group.orders.values()
        if o.status is OrderStatus.PENDING_PAYMENT and (o.group, o.member) not in skip
    ]
    events: list[Event] = [GroupFailed(at, group.id, len(paid), due, reason)]
    for order in pending:
        events.append(OrderCancelled(at, group.id, order.member, "group_failed"))
        events.extend(release(view, order, at))
    refund_reason = _FAILURE_REASONS.get(reason, RefundReason.GROUP_FAILED)
    for order in paid:
        events.extend(give_back(order, refund_reason, at))
        events.extend(release(view, order, at))
    return events


# -- money back ---------------------------------------------------------------------------------


def refund_event(order: OrderView, plan: RefundPlan, at: datetime, note: str) -> RefundDue:
    """The :class:`RefundDue` that carries *plan* for *order*."""
    (tender,) = plan.tenders
    return RefundDue(
        at,
        order.group,
        order.member,
        plan.refund_id,
        tender.payment_id,
        plan.amount,
        plan.reason,
        note,
        tender.kind,
        plan.units,
        tuple(share for line in plan.lines for share in line.discounts),
        plan.points_returned,
        plan.coupons_restored,
        plan.coupons_forfeited,
    )


def refund(
    order: OrderView,
    request: RefundRequest,
    at: datetime,
    note: str = "",
    refund_id: str | None = None,
) -> list[Event]:
    """Plan *request* on *order*'s settled cash; the refund it causes, if any cash moves."""
    plan = plan_refund(order.paid_order(), request, refund_id=refund_id)
    return [refund_event(order, plan, at, note)] if plan.amount.minor else []


def give_back(order: OrderView, reason: RefundReason, at: datetime) -> list[Event]:
    """Everything *order* holds goes back: its settled cash along its payment (planned as a
    full refund), and any authorisation released uncaptured."""
    events: list[Event] = []
    if (order.settled - order.returned).minor:
        events.extend(refund(order, FullRefund(reason), at))
    if order.authorised.minor:
        events.append(
            AuthorisationReleased(
                at, order.group, order.member, order.payment_id or "", order.authorised, reason
            )
        )
    return events


def return_payment(
    group: str,
    member: str,
    refund_id: str,
    payment_id: str,
    tender: str,
    amount: Money,
    reason: RefundReason,
    at: datetime,
    *,
    authorised: bool,
) -> Event:
    """A stray payment goes straight back whole along its own path: cash as a planned
    :class:`RefundDue`, an authorisation as an :class:`AuthorisationReleased`."""
    if authorised:
        return AuthorisationReleased(at, group, member, payment_id, amount, reason)
    plan = plan_return(
        refund_id, f"{group}:{member}", TenderPaid(tender, payment_id, amount), reason
    )
    (back,) = plan.tenders
    return RefundDue(at, group, member, refund_id, payment_id, amount, reason, "", back.kind)


# -- forming ------------------------------------------------------------------------------------


def form(
    view: View,
    group: GroupView,
    paid: list[OrderView],
    pending: list[OrderView],
    at: datetime,
    unit_price: Money,
    virtual: int,
    due: datetime | None,
) -> list[Event]:
    """The group forms (成团) with *paid* and *virtual* members at *unit_price*: its unpaid
    holds are cancelled, a tiered group's orders settle at the tier, and a lottery group gets
    its draw deadline."""
    campaign = view.campaign
    rule = campaign.rule
    draw_by = None
    if isinstance(rule, LotteryRule):
        draw_by = rule.draw_within.after(due or at, campaign.zone)
    events: list[Event] = [
        GroupFormed(at, group.id, len(paid) + virtual, virtual, unit_price, due, draw_by)
    ]
    for order in pending:
        events.append(OrderCancelled(at, group.id, order.member, "group_formed"))
        events.extend(release(view, order, at))
    if isinstance(rule, TieredRule):
        capture = rule.charge is ChargeMode.CAPTURE_AT_CLOSE
        for order in paid:
            events.extend(_settle_tier(campaign, order, unit_price, capture, at))
    return events


def _settle_tier(
    campaign: Campaign, order: OrderView, tier_price: Money, capture: bool, at: datetime
) -> list[Event]:
    unit = tier_price
    if order.role == "opener" and campaign.leader_price is not None:
        unit = min(unit, campaign.leader_price)
    repriced = member_quote(
        campaign,
        unit_price=unit,
        qty=order.qty,
        coupon_ids=order.coupons,
        role=order.role,
    )
    charged = order.authorised if capture else order.settled - order.returned
    events: list[Event] = []
    if repriced.total > charged:
        # Price protection: the member never pays more than already charged; the coupons that
        # stopped applying fund the gap, so the order still splits on the tier's price.
        repriced = protect(repriced, charged, _lapsed(order, repriced))
    if repriced != order.quote:  # a new price, or the same total funded another way
        events.append(OrderRepriced(at, order.group, order.member, repriced))
    final = repriced.total
    if capture:
        events.append(PaymentCaptured(at, order.group, order.member, order.payment_id or "", final))
        if charged > final:
            events.append(
                AuthorisationReleased(
                    at,
                    order.group,
                    order.member,
                    order.payment_id or "",
                    charged - final,
                    RefundReason.TIER_DIFFERENCE,
                )
            )
    elif final < charged:
        events.extend(refund(order, TierDifference(repriced), at))
    return events


def _lapsed(order: OrderView, repriced: Quote) -> list[tuple[str, Any, Money]]:
    """The coupons that took something at the order's old price and nothing at the new."""
    return [
        (step.name, step.funder, step.amount)
        for step in order.quote.steps
        if step.name in order.coupons and repriced.step(step.name) is None
    ]


def forming_price(campaign: Campaign, paid: int) -> Money | None:
    """The unit price a group forms at the moment *paid* members have paid, or None."""
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        tier = rule.tier_for(paid)
        return tier.price if tier is not None and paid >= campaign.max_size else None
    return rule.price if paid >= rule.size else None


def captures(campaign: Campaign) -> bool:
    """True for a tiered campaign that authorises and captures at close."""
    rule = campaign.rule
    return isinstance(rule, TieredRule) and rule.charge is ChargeMode.CAPTURE_AT_CLOSE
