"""Rewards granted by events: points on net paid, care coupons, consolation and invite coupons.

Pure functions from an event log to *grants*; the ledger books points grants against its
points liability, and a backend issues the coupons. Nothing here reads a clock.

Points: an order earns ``round(net paid in major units × per_unit)`` points with the policy's
named rounding (``Rounding.DOWN`` by default: 1 point per whole yuan, so ¥59.99 earns 59).
Net paid counts only the payment that settled the order (``OrderPaid``; for
``capture_at_close``, what was captured) minus the refunds on that payment. After each event
that changes it the order's points are recomputed from its net and the difference is granted:
a positive grant earns, a negative one claws back. So the grants of an order always add up to
the points of its final net, never below zero, whatever the order of refunds.

Coupons:

- *care* (拼团失败关怀券): when a group fails, each member whose paid order was still waiting
  for it gets the care coupon (members who left first do not).
- *consolation*: a lottery's losers get the coupon named by ``WinnersDrawn``.
- *invite* (邀请3人得10元无门槛券): an opener gets the coupon when the N-th distinct member who
  joined one of their groups pays (and at 2N, 3N … with ``repeat``). A later refund does not
  take it back: the coupon may be spent already; :func:`~tuangou_core.operations.assess`
  catches openers who fill groups with linked accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from fractions import Fraction
from typing import Any, Final

import attrs

from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.group import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    LeaderChanged,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderReopened,
    OrderRepriced,
    OrderShipped,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    Projection,
    RefundDue,
    RefundReason,
    StockReleased,
    StockReserved,
    WinnersDrawn,
    amount_in,
    fold_events,
)
from tuangou_core.money import Currency, Money, Rate, Rounding
from tuangou_core.settlement import Account, JournalEntry, Posting, Side


def _rate(value: object) -> Rate:
    try:
        rate = Rate.parse(value)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(
            error.code, f"points.per_unit: {error.message}", field="points.per_unit"
        ) from None
    if rate.value < 0:
        raise InvalidRule(
            "invalid_rule",
            f"points.per_unit must not be negative, got {rate}",
            field="points.per_unit",
            value=str(rate),
        )
    return rate


def _rounding(value: Rounding | str) -> Rounding:
    return Rounding.parse(value)


@attrs.frozen
class PointsPolicy:
    """Points per major unit of net paid (*per_unit*, default 1 per yuan), and the rounding."""

    per_unit: Rate = attrs.field(default=Rate(1), converter=_rate)
    rounding: Rounding = attrs.field(default=Rounding.DOWN, converter=_rounding)

    def points_for(self, net: Money) -> int:
        """The points an order with *net* paid has earned (0 for zero or less)."""
        if net.minor <= 0:
            return 0
        exact = Fraction(net.minor, Currency.of(net.currency).scale) * self.per_unit.value
        return self.rounding.round(exact)


def _coupon_id(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if value is not None and (not isinstance(value, str) or not value):
            raise InvalidRule(
                "invalid_rule", f"{field} must be a coupon id", field=field, value=repr(value)
            )

    return check


def _invitees(_instance: object, _attribute: object, value: object) -> None:
    if type(value) is not int or value < 1:
        raise InvalidRule(
            "invalid_rule",
            f"invite.invitees must be a whole number of at least 1, got {value!r}",
            field="invite.invitees",
            value=repr(value),
        )


@attrs.frozen
class InvitePolicy:
    """Grant *coupon* to an opener once *invitees* distinct joiners of their groups paid."""

    coupon: str = attrs.field(validator=_coupon_id("invite.coupon"))
    invitees: int = attrs.field(default=3, validator=_invitees)
    repeat: bool = False


@attrs.frozen
class RewardPolicy:
    """Which rewards run: points (None for none), the care coupon, consolation, invites."""

    points: PointsPolicy | None = PointsPolicy()
    care_coupon: str | None = attrs.field(default=None, validator=_coupon_id("care_coupon"))
    consolation: bool = True
    invite: InvitePolicy | None = None


@attrs.frozen
class PointsGrant:
    """*points* for *member*'s order in *group*: positive earned, negative clawed back."""

    group: str
    member: str
    points: int
    reason: str  # "earned" | "clawback"
    event: int  # the index of the event that caused it
    at: datetime

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values."""
        return {
            "group": self.group,
            "member": self.member,
            "points": self.points,
            "reason": self.reason,
            "event": self.event,
            "at": self.at.isoformat(),
        }


@attrs.frozen
class CouponGrant:
    """*coupon* for *member*, for *reason* (care, consolation, invite), and the events why."""

    member: str
    coupon: str
    reason: str
    group: str
    events: tuple[int, ...]
    at: datetime

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values."""
        return {
            "member": self.member,
            "coupon": self.coupon,
            "reason": self.reason,
            "group": self.group,
            "events": list(self.events),
            "at": self.at.isoformat(),
        }


@attrs.frozen
class Rewards:
    """The grants of one log, each in event order."""

    points: tuple[PointsGrant, ...]
    coupons: tuple[CouponGrant, ...]

    def points_by_member(self) -> dict[str, int]:
        """Each member's points balance from this log, sorted by member."""
        totals: dict[str, int] = {}
        for grant in self.points:
            totals[grant.member] = totals.get(grant.member, 0) + grant.points
        return dict(sorted(totals.items()))


_Key = tuple[str, str]


class _PointsFold:
    def __init__(self, policy: PointsPolicy, currency: str) -> None:
        self.policy = policy
        self.currency = currency
        self.payments: dict[str, tuple[_Key, Money | None]] = {}  # None: authorised only
        self.settled: dict[str, _Key] = {}  # payment id → the order it settled
        self.net: dict[_Key, int] = {}
        self.granted: dict[_Key, int] = {}
        self.grants: list[PointsGrant] = []

    def change(self, key: _Key, minor: int, index: int, at: datetime) -> None:
        net = self.net[key] = self.net.get(key, 0) + minor
        target = self.policy.points_for(Money(max(net, 0), self.currency))
        delta = target - self.granted.get(key, 0)
        if delta:
            self.granted[key] = target
            reason = "earned" if delta > 0 else "clawback"
            self.grants.append(PointsGrant(key[0], key[1], delta, reason, index, at))

    def amount(self, money: Money, index: int) -> int:
        return amount_in(money, self.currency, index, "the rewards")

    def received(self, event: PaymentReceived, _index: int) -> None:
        self.payments[event.payment_id] = ((event.group, event.member), event.amount)

    def authorised(self, event: PaymentAuthorised, _index: int) -> None:
        self.payments[event.payment_id] = ((event.group, event.member), None)

    def paid(self, event: OrderPaid, index: int) -> None:
        key, amount = self.payments.get(event.payment_id, ((event.group, event.member), None))
        self.settled[event.payment_id] = key
        if amount is not None:
            self.change(key, self.amount(amount, index), index, event.at)

    def captured(self, event: PaymentCaptured, index: int) -> None:
        key = (event.group, event.member)
        if self.settled.get(event.payment_id) == key:
            self.change(key, self.amount(event.amount, index), index, event.at)

    def refunded(self, event: RefundDue, index: int) -> None:
        key = (event.group, event.member)
        if self.settled.get(event.payment_id) == key:
            self.change(key, -self.amount(event.amount, index), index, event.at)


_POINTS: Final = Projection[Callable[[_PointsFold, Any, int], None]](
    "the points rewards",
    {
        PaymentReceived: _PointsFold.received,
        PaymentAuthorised: _PointsFold.authorised,
        OrderPaid: _PointsFold.paid,
        PaymentCaptured: _PointsFold.captured,
        RefundDue: _PointsFold.refunded,
    },
    ignore=(
        GroupOpened,
        MemberJoined,
        OrderReopened,
        PaymentUnmatched,
        LeaderChanged,
        StockReserved,
        StockReleased,
        AuthorisationReleased,
        OrderCancelled,
        GroupFormed,
        OrderRepriced,
        GroupFailed,
        WinnersDrawn,
        OrderShipped,
        OrderCompleted,
    ),
)


def _check_currency(currency: object) -> str:
    return Currency.of(currency).code  # type: ignore[arg-type]


def points_grants(
    events: Iterable[Event], policy: PointsPolicy | None = None, currency: str = "CNY"
) -> tuple[PointsGrant, ...]:
    """Points earned and clawed back by *events* under *policy* (1 point per yuan, rounded
    down, by default).

    Raises:
        InvalidInput: ``currency_mismatch``, ``unknown_currency``.
    """
    fold = _PointsFold(policy or PointsPolicy(), _check_currency(currency))
    return tuple(fold_events(_POINTS, fold, events).grants)


class _CouponFold:
    def __init__(self, policy: RewardPolicy) -> None:
        self.policy = policy
        self.opener: dict[str, str] = {}  # group → its leader now
        self.paid_leaders: set[tuple[str, str]] = set()
        self.joiners: dict[tuple[str, str], int] = {}  # (group, member) → join index
        self.waiting: dict[str, dict[str, int]] = {}  # group → member → OrderPaid index
        self.invited: dict[str, dict[str, int]] = {}  # opener → invitee → OrderPaid index
        self.grants: list[CouponGrant] = []

    def opened(self, event: GroupOpened, _index: int) -> None:
        self.opener[event.group] = event.opener

    def joined(self, event: MemberJoined, index: int) -> None:
        if event.role != "opener":
            self.joiners[(event.group, event.member)] = index

    def paid(self, event: OrderPaid, index: int) -> None:
        self.waiting.setdefault(event.group, {})[event.member] = index
        if self.opener.get(event.group) == event.member:
            self.paid_leaders.add((event.group, event.member))
        self._invite(event, index)

    def leader_changed(self, event: LeaderChanged, _index: int) -> None:
        # The new leader is a paid member; the invites of the group now count for them.
        self.opener[event.group] = event.leader
        self.paid_leaders.add((event.group, event.leader))

    def refunded(self, event: RefundDue, _index: int) -> None:
        if event.reason is RefundReason.CANCELLED:
            self.waiting.get(event.group, {}).pop(event.member, None)

    def failed(self, event: GroupFailed, index: int) -> None:
        coupon = self.policy.care_coupon
        members = self.waiting.pop(event.group, {})
        if coupon is None:
            return
        for member, paid in sorted(members.items()):
            self.grants.append(
                CouponGrant(member, coupon, "care", event.group, (paid, index), event.at)
            )

    def drawn(self, event: WinnersDrawn, index: int) -> None:
        coupon = event.consolation_coupon
        if not self.policy.consolation or coupon is None:
            return
        for member in sorted(event.losers):
            self.grants.append(
                CouponGrant(member, coupon, "consolation", event.group, (index,), event.at)
            )

    def _invite(self, event: OrderPaid, index: int) -> None:
        invite = self.policy.invite
        opener = self.opener.get(event.group)
        joined = self.joiners.get((event.group, event.member))
        if invite is None or opener is None or joined is None or event.member == opener:
            return
        if (event.group, opener) not in self.paid_leaders:
            return  # a leader who never paid invites nobody: no reward for a ghost group
        invited = self.invited.setdefault(opener, {})
        if event.member in invited:
            return
        invited[event.member] = index
        count = len(invited)
        if count % invite.invitees or (count > invite.invitees and not invite.repeat):
            return
        behind = tuple(sorted(invited.values())[-invite.invitees :])
        self.grants.append(
            CouponGrant(opener, invite.coupon, "invite", event.group, behind, event.at)
        )


_COUPONS: Final = Projection[Callable[[_CouponFold, Any, int], None]](
    "the coupon rewards",
    {
        GroupOpened: _CouponFold.opened,
        MemberJoined: _CouponFold.joined,
        OrderPaid: _CouponFold.paid,
        RefundDue: _CouponFold.refunded,
        GroupFailed: _CouponFold.failed,
        WinnersDrawn: _CouponFold.drawn,
        LeaderChanged: _CouponFold.leader_changed,
    },
    ignore=(
        OrderReopened,
        PaymentUnmatched,
        StockReserved,
        StockReleased,
        PaymentReceived,
        PaymentAuthorised,
        PaymentCaptured,
        AuthorisationReleased,
        OrderCancelled,
        GroupFormed,
        OrderRepriced,
        OrderShipped,
        OrderCompleted,
    ),
)


def coupon_grants(events: Iterable[Event], policy: RewardPolicy) -> tuple[CouponGrant, ...]:
    """Coupons granted by *events* under *policy*: care, consolation and invite coupons.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not an event.
    """
    return tuple(fold_events(_COUPONS, _CouponFold(policy), events).grants)


_DEFAULT: Final = RewardPolicy()


def rewards(
    events: Iterable[Event], policy: RewardPolicy = _DEFAULT, currency: str = "CNY"
) -> Rewards:
    """Every grant of *events* under *policy*, points and coupons.

    Raises:
        InvalidInput: ``currency_mismatch``, ``unknown_currency``.
    """
    log = tuple(events)
    points = () if policy.points is None else points_grants(log, policy.points, currency)
    return Rewards(points, coupon_grants(log, policy))


def points_entries(
    grants: Iterable[PointsGrant],
    value_per_point: Money,
    funded_by: Account = Account.MERCHANT_PAYABLE,
) -> tuple[JournalEntry, ...]:
    """Book points grants into the ledger's points liability.

    Points earned are a promise to the member worth ``points × value_per_point``; whoever funds
    them (the merchant by default) gives up that much of what it is owed: ``funded_by`` is
    debited and ``points_liability`` credited for the member. A clawback books the reverse.
    Added to the entries of :func:`~tuangou_core.settlement.journal` (of a campaign without
    its own ``[points]``), the ledger still balances. This books the rewards module's own
    points policy; a campaign's ``[points]`` table is booked by the journal itself.

    Args:
        grants: the grants, e.g. ``rewards(events).points``.
        value_per_point: what one point is worth, in whole minor units (the seeds' 100 points
            per yuan is ``Money(1)``: one fen).
        funded_by: the account that pays for points: merchant or platform.

    Returns:
        One balanced entry per grant with points, ids ``points.<n>`` in grant order.

    Raises:
        InvalidInput: ``invalid_point_value`` for a value that is not a positive amount,
            ``invalid_funder`` for an account that cannot fund points.
    """
    if not isinstance(value_per_point, Money) or value_per_point.minor <= 0:
        raise InvalidInput(
            "invalid_point_value",
            f"value_per_point must be a positive amount, got {value_per_point!r}",
            field="value_per_point",
        )
    if funded_by not in (Account.MERCHANT_PAYABLE, Account.PLATFORM_REVENUE):
        raise InvalidInput(
            "invalid_funder",
            f"points are funded by merchant_payable or platform_revenue, not {funded_by}",
            field="funded_by",
        )
    entries: list[JournalEntry] = []
    for grant in grants:
        if not grant.points:
            continue
        value = value_per_point * abs(grant.points)
        earned = grant.points > 0
        memo = f"{grant.points:+d} points for {grant.member} ({grant.reason})"
        postings = (
            Posting(funded_by, Side.DEBIT if earned else Side.CREDIT, value),
            Posting(
                Account.POINTS_LIABILITY, Side.CREDIT if earned else Side.DEBIT, value, grant.member
            ),
        )
        entries.append(
            JournalEntry(
                f"points.{len(entries)}",
                grant.event,
                grant.at,
                memo,
                postings,
                grant.group,
                grant.member,
            )
        )
    return tuple(entries)
