"""The group decider against a plain model, driven by random command streams.

A hypothesis ``RuleBasedStateMachine`` sends opens, joins racing for the last slot, payments
(due, wrong, duplicated notifications, second payments, reused ids), cancels in every state,
ticks at odd moments, draws, shipments and after-sales refunds to one campaign of a random
rule. Each command goes three ways:

- the pure path: ``decide`` then ``evolve`` per event (and, when refused, time passing alone);
- the fast path: a :class:`~tuangou_core.group.Fold` executing the same command;
- a model below, a few small dicts written from SCENARIO.md and issue 4, not from group.py.

After every step: ``check_invariants`` on both states; statuses and money equal to the model's;
the Fold's state equal to the pure one; ``replay`` of the log equal to the pure state; and a
refused command refused with the model's code by both paths, having changed nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import event as note_event
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from strategies import GROUP_START, group_campaigns
from tuangou_core.campaign import (
    Campaign,
    ChargeMode,
    Expiry,
    LotteryRule,
    Overflow,
    SeckillRule,
    TieredRule,
)
from tuangou_core.errors import TuangouError
from tuangou_core.group import (
    AuthorisationReleased,
    CampaignState,
    Cancel,
    Command,
    Complete,
    Draw,
    Event,
    Fold,
    Join,
    Open,
    Pay,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
    RequestRefund,
    Ship,
    Tick,
    check_invariants,
    decide,
    evolve,
    initial_state,
    replay,
)
from tuangou_core.money import Money

# -- the model ---------------------------------------------------------------------------------

PENDING = "pending_payment"
AWAITING_GROUP = "awaiting_group"
AWAITING_SHIPMENT = "awaiting_shipment"
SHIPPED = "shipped"
COMPLETED = "completed"
CANCELLED = "cancelled"
REFUNDED = "refunded"
ENDED = {CANCELLED, REFUNDED}
AFTER_FORMING = {AWAITING_SHIPMENT, SHIPPED, COMPLETED}

MEMBERS = ("u0", "u1", "u2", "u3", "u4")
OPENABLE = ("g0", "g1", "g2")
COUPON_CHOICES = ((), (), (), ("off5",), ("t85",), ("off5", "t85"), ("nope",))
MINUTES = (0, 0, 0, 1, 2, 5)  # commands come close together; `tick` makes the long jumps
LATE = (0, 1, 5, 16, 121)  # a payment may come after its hold or after the deadline
PAYMENT_TIMEOUT = timedelta(minutes=15)
WINDOW = timedelta(hours=2)


class Refused(Exception):
    """The model refuses a command with *code*; it checks everything before changing."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def half_up(numerator: int, denominator: int) -> int:
    """round(numerator / denominator), ties away from zero, for non-negative numbers."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass
class MOrder:
    """One member's order as the model sees it (amounts in fen)."""

    member: str
    role: str
    qty: int
    coupons: tuple[str, ...]
    due: int
    hold_until: datetime
    joined_at: datetime
    seq: int
    status: str = PENDING
    paid: int = 0
    refunded: int = 0
    authorised: int = 0
    units_returned: int = 0
    unit_refunded: int = 0

    @property
    def net(self) -> int:
        return self.paid - self.refunded


@dataclass
class MGroup:
    """One group as the model sees it."""

    id: str
    leader: str
    deadline: datetime
    unit_price: int
    spill_of: str | None = None
    orders: dict[str, MOrder] = field(default_factory=dict)
    status: str = "open"
    virtual: int = 0
    winners: tuple[str, ...] = ()
    drawn: bool = False
    draw_by: datetime | None = None

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.orders.values() if o.status in statuses)


class Model:
    """The rules of SCENARIO.md (revised for issue 11), as plainly as they can be written."""

    def __init__(self, campaign: Campaign) -> None:
        self.c = campaign
        self.groups: dict[str, MGroup] = {}
        self.payments: dict[str, tuple[str, str, int]] = {}
        self.refund_ids: dict[str, tuple[str, str, int, int]] = {}
        self.unmatched_in = 0  # cash that named no order, all of it sent straight back
        self.unmatched_held = 0  # authorisations that named no order, all released
        self.units: dict[str, int] = {}
        self.taken = 0
        self.seq = 0
        self.clock: datetime | None = None
        rule = campaign.rule
        self.tiered = isinstance(rule, TieredRule)
        self.capture = isinstance(rule, TieredRule) and rule.charge is ChargeMode.CAPTURE_AT_CLOSE
        self.lottery = isinstance(rule, LotteryRule)
        self.counts_units = campaign.stock is not None or campaign.per_member_limit is not None
        self.leader = None if campaign.leader_price is None else campaign.leader_price.minor

    def fingerprint(self) -> str:
        """Everything the model knows, to tell whether a step changed anything."""
        return repr((self.groups, self.payments, self.refund_ids, self.units, self.taken))

    # prices -----------------------------------------------------------------------------------

    def first_price(self) -> int:
        rule = self.c.rule
        return rule.tiers[0].price.minor if isinstance(rule, TieredRule) else rule.price.minor

    def price(self, unit: int, qty: int, coupons: tuple[str, ...]) -> int:
        running = unit * qty
        for coupon in coupons:
            if coupon == "off5" or (coupon == "t85" and running >= 8500):
                running -= min(500, running - 1)
        return running

    def check_coupons(self, coupons: tuple[str, ...]) -> None:
        known = {c.id for c in self.c.coupons}
        if any(c not in known for c in coupons):
            raise Refused("unknown_coupon")

    # stock ------------------------------------------------------------------------------------

    def reserve(self, member: str, qty: int) -> None:
        if self.counts_units:
            self.units[member] = self.units.get(member, 0) + qty
            self.taken += qty

    def release(self, order: MOrder) -> None:
        if self.counts_units:
            self.units[order.member] -= order.qty
            self.taken -= order.qty

    def admit(self, member: str, qty: int, at: datetime) -> None:
        rule = self.c.rule
        if isinstance(rule, SeckillRule) and at < rule.starts_at:
            raise Refused("before_start")
        limit = self.c.per_member_limit
        if limit is not None and self.units.get(member, 0) + qty > limit:
            raise Refused("limit_exceeded")
        if self.c.stock is not None and self.taken + qty > self.c.stock:
            raise Refused("out_of_stock")

    # time -------------------------------------------------------------------------------------

    def effective(self, at: datetime) -> datetime:
        """A command stamped before the clock is decided at the clock."""
        return at if self.clock is None or at >= self.clock else self.clock

    def elapse(self, at: datetime) -> None:
        for group in list(self.groups.values()):
            if group.status != "open":
                continue
            for order in list(group.orders.values()):
                if group.status == "open" and order.status == PENDING and order.hold_until <= at:
                    order.status = CANCELLED
                    self.release(order)
                    if order.member == group.leader:  # an opener who never paid
                        self.fail(group)
        for group in list(self.groups.values()):
            if group.status == "open" and group.deadline <= at:
                self.expire(group)
        for group in list(self.groups.values()):
            due = group.draw_by
            if group.status == "formed" and not group.drawn and due is not None and due <= at:
                self.fail(group)

    def expire(self, group: MGroup) -> None:
        paid = group.count(AWAITING_GROUP)
        rule = self.c.rule
        if isinstance(rule, TieredRule):
            reached = [t for t in rule.tiers if t.size <= paid]
            if reached:
                self.form(group, reached[-1].price.minor, 0, group.deadline)
                return
        elif self.c.on_expiry is Expiry.VIRTUAL_COMPLETE and paid >= (self.c.virtual_min or 0):
            self.form(group, rule.price.minor, rule.size - paid, group.deadline)
            return
        self.fail(group)

    def fail(self, group: MGroup) -> None:
        group.status = "failed"
        for order in group.orders.values():
            if order.status == PENDING:
                order.status = CANCELLED
                self.release(order)
            elif order.status == AWAITING_GROUP:
                self.give_all_back(order)

    def give_all_back(self, order: MOrder) -> None:
        order.refunded = order.paid
        order.authorised = 0
        order.status = REFUNDED
        self.release(order)

    def form(self, group: MGroup, unit_price: int, virtual: int, at: datetime) -> None:
        group.status = "formed"
        group.unit_price = unit_price
        group.virtual = virtual
        rule = self.c.rule
        if isinstance(rule, LotteryRule):
            group.draw_by = at + timedelta(seconds=rule.draw_within.seconds)
        for order in group.orders.values():
            if order.status == PENDING:
                order.status = CANCELLED
                self.release(order)
            elif order.status == AWAITING_GROUP:
                if not self.lottery:
                    order.status = AWAITING_SHIPMENT
                if self.tiered:
                    self.settle_tier(order, unit_price)

    def settle_tier(self, order: MOrder, tier_price: int) -> None:
        unit = tier_price
        if order.role == "opener" and self.leader is not None:
            unit = min(unit, self.leader)
        new = self.price(unit, order.qty, order.coupons)
        charged = order.authorised if self.capture else order.net
        final = min(new, charged)  # price protection: never more than already charged
        order.due = final
        if self.capture:
            order.paid += final
            order.authorised = 0
        else:
            order.refunded += charged - final

    # commands ---------------------------------------------------------------------------------

    def command(self, command: Command) -> None:
        """Apply *command* (time already passed), or raise Refused changing nothing."""
        handler = getattr(self, f"on_{type(command).__name__.lower()}")
        handler(command)

    def group(self, group_id: str) -> MGroup:
        if group_id not in self.groups:
            raise Refused("unknown_group")
        return self.groups[group_id]

    def order(self, group: MGroup, member: str) -> MOrder:
        if member not in group.orders:
            raise Refused("not_a_member")
        return group.orders[member]

    def add(self, group: MGroup, c: Open | Join, role: str, at: datetime) -> None:
        member, qty, coupons = c.member, c.qty, c.coupons
        spill = group.spill_of is not None
        leader_price = role == "opener" and self.leader is not None and not spill
        unit = self.leader if leader_price and self.leader is not None else self.first_price()
        due = self.price(unit, qty, coupons)
        existing = group.orders.get(member)
        if existing is not None:  # a cancelled order reopens: its money stays on it
            existing.status = PENDING
            existing.qty, existing.coupons, existing.due = qty, coupons, due
            existing.hold_until, existing.joined_at = at + PAYMENT_TIMEOUT, at
        else:
            self.seq += 1
            group.orders[member] = MOrder(
                member, role, qty, coupons, due, at + PAYMENT_TIMEOUT, at, self.seq
            )
        self.reserve(member, qty)

    def open_group(self, group_id: str, c: Open | Join, at: datetime, spill_of: str | None) -> None:
        group = MGroup(group_id, c.member, at + WINDOW, self.first_price(), spill_of)
        self.groups[group_id] = group
        self.add(group, c, "opener", at)

    def on_open(self, c: Open) -> None:
        if c.group in self.groups:
            raise Refused("group_exists")
        self.admit(c.member, c.qty, c.at)
        self.check_coupons(c.coupons)
        self.open_group(c.group, c, c.at, None)

    def not_member(self, group: MGroup, member: str) -> None:
        order = group.orders.get(member)
        if order is not None and order.status != CANCELLED:
            raise Refused("already_member")

    def on_join(self, c: Join) -> None:
        group = self.group(c.group)
        if group.status != "open":
            raise Refused("group_closed")
        self.not_member(group, c.member)
        self.admit(c.member, c.qty, c.at)
        target = group
        if group.count(PENDING, AWAITING_GROUP) >= self.c.max_size:
            if self.c.overflow is Overflow.REJECT:
                raise Refused("group_full")
            root = group.spill_of or group.id
            n = 2
            found = None
            while f"{root}-{n}" in self.groups:
                candidate = self.groups[f"{root}-{n}"]
                if (
                    candidate.spill_of == root
                    and candidate.status == "open"
                    and candidate.count(PENDING, AWAITING_GROUP) < self.c.max_size
                ):
                    found = candidate
                    break
                n += 1
            if found is None:
                self.check_coupons(c.coupons)
                self.open_group(f"{root}-{n}", c, c.at, root)
                return
            target = found
            self.not_member(target, c.member)
        leader = target.orders.get(target.leader)
        if leader is None or leader.status != AWAITING_GROUP:
            raise Refused("opener_unpaid")
        self.check_coupons(c.coupons)
        self.add(target, c, "joiner", c.at)

    def on_pay(self, c: Pay) -> None:
        seen = self.payments.get(c.payment_id)
        if seen is not None:
            if seen == (c.group, c.member, c.amount.minor):
                return
            raise Refused("payment_conflict")
        self.payments[c.payment_id] = (c.group, c.member, c.amount.minor)
        amount = c.amount.minor
        group = self.groups.get(c.group)
        if group is None or c.member not in group.orders:
            if self.capture:  # recorded and sent straight back, never refused
                self.unmatched_held += amount
            else:
                self.unmatched_in += amount
            return
        order = group.orders[c.member]
        if (
            order.status in ENDED
            or group.status == "failed"
            or order.status != PENDING
            or amount != order.due
        ):
            if not self.capture:  # recorded and returned at once; an authorisation is released
                order.paid += amount
                order.refunded += amount
            return
        order.status = AWAITING_GROUP
        if self.capture:
            order.authorised += amount
        else:
            order.paid += amount
        paid = group.count(AWAITING_GROUP)
        rule = self.c.rule
        if isinstance(rule, TieredRule):
            if paid >= self.c.max_size:
                reached = [t for t in rule.tiers if t.size <= paid]
                self.form(group, reached[-1].price.minor, 0, c.at)
        elif paid >= rule.size:
            self.form(group, rule.price.minor, 0, c.at)

    def on_cancel(self, c: Cancel) -> None:
        group = self.group(c.group)
        order = self.order(group, c.member)
        if group.status != "open":
            raise Refused("group_closed")
        if order.status in ENDED:
            raise Refused("order_closed")
        leader = order.member == group.leader
        if order.status == PENDING:
            order.status = CANCELLED
            self.release(order)
            if leader:
                self.fail(group)
            return
        self.give_all_back(order)
        if leader:
            paid = [o for o in group.orders.values() if o.status == AWAITING_GROUP]
            if paid:
                group.leader = min(paid, key=lambda o: (o.joined_at, o.seq)).member
            else:
                self.fail(group)

    def on_tick(self, c: Tick) -> None:
        pass

    def on_draw(self, c: Draw) -> None:
        group = self.group(c.group)
        rule = self.c.rule
        if not isinstance(rule, LotteryRule):
            raise Refused("not_a_lottery")
        if group.status != "formed":
            raise Refused("group_not_formed")
        if group.drawn:
            raise Refused("already_drawn")
        committed = rule.seed_sha256
        if committed is not None and hashlib.sha256(c.seed.encode()).hexdigest() != committed:
            raise Refused("seed_mismatch")
        members = [m for m, o in group.orders.items() if o.status == AWAITING_GROUP]

        def ticket(member: str) -> str:
            return hashlib.sha256(f"{c.seed}|{group.id}|{member}".encode()).hexdigest()

        ordered = sorted(members, key=ticket)
        group.drawn = True
        group.winners = tuple(ordered[: rule.winners])
        for member in ordered[: rule.winners]:
            group.orders[member].status = AWAITING_SHIPMENT
        for member in ordered[rule.winners :]:
            self.give_all_back(group.orders[member])

    def on_ship(self, c: Ship) -> None:
        order = self.order(self.group(c.group), c.member)
        if order.status != AWAITING_SHIPMENT:
            raise Refused("not_shippable")
        order.status = SHIPPED

    def on_complete(self, c: Complete) -> None:
        order = self.order(self.group(c.group), c.member)
        if order.status != SHIPPED:
            raise Refused("not_completable")
        order.status = COMPLETED

    def on_requestrefund(self, c: RequestRefund) -> None:
        group = self.group(c.group)
        order = self.order(group, c.member)
        units = c.units or 0
        amount = c.amount.minor if c.amount is not None else 0
        if c.refund_id is not None and c.refund_id in self.refund_ids:
            g, m, seen_units, seen_amount = self.refund_ids[c.refund_id]
            same = (g, m) == (c.group, c.member) and (
                seen_units == units
                if c.units is not None
                else (seen_units, seen_amount) == (0, amount)
            )
            if same:
                return
            raise Refused("refund_conflict")
        if order.status not in AFTER_FORMING:
            raise Refused("not_refundable")
        if c.units is not None:
            if units == 0 or units > order.qty - order.units_returned:
                raise Refused("refund_exceeds_paid")
            back_in_all = half_up(order.due * (order.units_returned + units), order.qty)
            back = min(back_in_all - order.unit_refunded, order.net)
            if back <= 0:
                raise Refused("refund_exceeds_paid")
            order.units_returned += units
            order.unit_refunded += back
        else:
            if amount == 0 or amount > order.net:
                raise Refused("refund_exceeds_paid")
            back = amount
        refund_id = c.refund_id or f"{group.id}:{order.member}:lib{len(self.refund_ids)}"
        self.refund_ids[refund_id] = (group.id, order.member, units, back)
        order.refunded += back
        if order.net == 0:
            if order.status == AWAITING_SHIPMENT:
                self.release(order)  # nothing left the warehouse: the units come back
            order.status = REFUNDED


# -- the machine -------------------------------------------------------------------------------


def _cny(minor: int) -> Money:
    return Money(minor, "CNY")


class GroupMachine(RuleBasedStateMachine):
    """Random command streams through decide/evolve, a Fold and the model side by side."""

    def __init__(self) -> None:
        super().__init__()
        self.now = GROUP_START - timedelta(minutes=5)
        self.log: list[Event] = []
        self.next_payment = 0

    @initialize(
        campaign=group_campaigns(),
        minutes=st.sampled_from((5, 40)),
        pays=st.booleans(),
        fills=st.booleans(),
    )
    def start(self, campaign: Campaign, minutes: int, pays: bool, fills: bool) -> None:
        self.campaign = campaign
        self.model = Model(campaign)
        self.state = initial_state(campaign)
        self.fold = Fold(campaign)
        # A second Fold never asked for its state until the end: its working copy absorbs
        # the whole stream, as in a long replay.
        self.long_fold = Fold(campaign)
        self.earlier: list[tuple[int, CampaignState, CampaignState]] = []
        self.issue(Open(self.later(minutes), "g0", "u0"))
        if pays and "g0" in self.model.groups:  # the opener pays first, most of the time
            due = self.model.groups["g0"].orders["u0"].due
            self.issue(Pay(self.now, "g0", "u0", "p0", _cny(due)))
            if fills and self.led():  # and a group forms early, for the steps after forming
                self.fill(0)

    # plumbing ---------------------------------------------------------------------------------

    def later(self, minutes: int) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now

    def issue(self, command: Command) -> None:
        model = self.model
        before_model = model.fingerprint()
        at = model.effective(command.at)
        model.elapse(at)
        try:
            model.command(attrs.evolve(command, at=at))
            expected = None
        except Refused as refused:
            expected = refused.code
        if model.fingerprint() != before_model:
            model.clock = at  # the clock moves only with events, as the decider's does
        before = self.state
        try:
            events = decide(self.state, command)
        except TuangouError as error:
            assert error.code == expected, f"{command}: refused {error.code}, model {expected}"
            assert self.state is before
            for fold in (self.fold, self.long_fold):
                with pytest.raises(TuangouError) as fast:
                    fold.execute(command)
                assert fast.value.code == error.code
            note_event(f"refused {error.code}")
            # The refusal changed nothing, but time still passed: let the pure path catch up.
            self.apply(decide(self.state, Tick(command.at)))
            return
        assert expected is None, f"{command}: accepted, the model refuses with {expected}"
        if command.at < at:
            own = [e for e in events if e.stamped_at is not None]
            assert all(e.stamped_at == command.at and e.at == at for e in own)
        assert self.fold.execute(command) == events
        assert self.long_fold.execute(command) == events
        self.apply(events)
        for name in sorted({type(e).__name__ for e in events}):
            note_event(f"event {name}")

    def apply(self, events: tuple[Event, ...]) -> None:
        for event in events:
            self.state = evolve(self.state, event)
        self.log.extend(events)

    def orders(self) -> list[tuple[str, str]]:
        return sorted((g.id, m) for g in self.model.groups.values() for m in g.orders)

    def pick_order(self, index: int) -> tuple[str, str]:
        known = self.orders()
        index %= len(known) + 2
        if index == len(known):  # now and then a group the decider has never heard of,
            return ("ghost", "u0")
        if index == len(known) + 1:  # or a member with no order in a group it knows
            return (known[0][0] if known else "g0", "u9")
        return known[index]

    def with_status(self, *statuses: str) -> list[tuple[str, str]]:
        return sorted(
            (g.id, m)
            for g in self.model.groups.values()
            for m, o in g.orders.items()
            if o.status in statuses
        )

    def pick_group(self, index: int) -> str:
        known = sorted(self.model.groups)
        index %= len(known) + 1
        return known[index] if index < len(known) else "ghost"

    # rules ------------------------------------------------------------------------------------

    @rule(
        group=st.sampled_from(OPENABLE),
        member=st.sampled_from(MEMBERS),
        qty=st.sampled_from((1, 1, 1, 2)),
        coupons=st.sampled_from(COUPON_CHOICES),
        minutes=st.sampled_from(MINUTES),
    )
    def open(
        self, group: str, member: str, qty: int, coupons: tuple[str, ...], minutes: int
    ) -> None:
        self.issue(Open(self.later(minutes), group, member, qty, coupons))

    @rule(
        index=st.integers(0, 30),
        member=st.sampled_from(MEMBERS),
        qty=st.sampled_from((1, 1, 1, 2)),
        coupons=st.sampled_from(COUPON_CHOICES),
        minutes=st.sampled_from(MINUTES),
    )
    def join(
        self, index: int, member: str, qty: int, coupons: tuple[str, ...], minutes: int
    ) -> None:
        self.issue(Join(self.later(minutes), self.pick_group(index), member, qty, coupons))

    @rule(index=st.integers(0, 30), minutes=st.sampled_from((0, 0, 1, 14, 16)))
    def race_for_the_last_slot(self, index: int, minutes: int) -> None:
        """Every member not yet in the group tries to join at the same instant."""
        group = self.pick_group(index)
        at = self.later(minutes)
        for member in MEMBERS:
            self.issue(Join(at, group, member))

    @rule(
        index=st.integers(0, 30),
        how=st.sampled_from(("due", "wrong", "again", "repeat", "conflict")),
        minutes=st.sampled_from(LATE),
    )
    def pay(self, index: int, how: str, minutes: int) -> None:
        at = self.later(minutes)
        group, member = self.pick_order(index)
        order = self.model.groups.get(group, None)
        due = order.orders[member].due if order and member in order.orders else 7000
        seen = sorted(self.model.payments.items())
        if how in ("repeat", "conflict") and seen:
            pid, (g, m, amount) = seen[index % len(seen)]
            if how == "conflict":
                g, m, amount = (g, m, amount + 1) if index % 2 else (g, member, amount)
            self.issue(Pay(at, g, m, pid, _cny(amount)))
            return
        self.next_payment += 1
        amount = due + (1 if index % 2 else -1) if how == "wrong" else due
        self.issue(Pay(at, group, member, f"p{self.next_payment}", _cny(max(amount, 1))))

    @rule(index=st.integers(0, 30), minutes=st.sampled_from(MINUTES))
    def cancel(self, index: int, minutes: int) -> None:
        group, member = self.pick_order(index)
        self.issue(Cancel(self.later(minutes), group, member))

    @rule(minutes=st.sampled_from((1, 14, 15, 16, 60, 119, 120, 121, 240)))
    def tick(self, minutes: int) -> None:
        self.issue(Tick(self.later(minutes)))

    @rule(
        index=st.integers(0, 30),
        kind=st.sampled_from(("pay", "join", "cancel", "open")),
        back=st.sampled_from((1, 10, 90)),
    )
    def stale(self, index: int, kind: str, back: int) -> None:
        """A command stamped before the clock (a delayed callback): decided at the clock, never
        refused for its time."""
        at = self.now - timedelta(minutes=back)
        group, member = self.pick_order(index)
        if kind == "pay":
            model_group = self.model.groups.get(group)
            due = 7000
            if model_group is not None and member in model_group.orders:
                due = model_group.orders[member].due
            self.next_payment += 1
            self.issue(Pay(at, group, member, f"p{self.next_payment}", _cny(due)))
        elif kind == "join":
            self.issue(Join(at, group, MEMBERS[index % len(MEMBERS)]))
        elif kind == "cancel":
            self.issue(Cancel(at, group, member))
        else:
            self.issue(Open(at, OPENABLE[index % len(OPENABLE)], member))

    @rule(
        index=st.integers(0, 30),
        kind=st.sampled_from(
            ("draw", "ship", "complete", "full", "half", "one", "over", "zero", "units", "all")
        ),
        minutes=st.sampled_from((0, 1, 60)),
    )
    def anything_to_anyone(self, index: int, kind: str, minutes: int) -> None:
        """A draw, shipment, completion or refund aimed at any order, ready or not."""
        at = self.later(minutes)
        group, member = self.pick_order(index)
        if kind == "draw":
            self.issue(Draw(at, group, "s1" if index % 2 else "2026-03-01"))
        elif kind == "ship":
            self.issue(Ship(at, group, member))
        elif kind == "complete":
            self.issue(Complete(at, group, member))
        else:
            model_group = self.model.groups.get(group)
            net, qty = 0, 1
            if model_group is not None and member in model_group.orders:
                net, qty = model_group.orders[member].net, model_group.orders[member].qty
            if kind in ("units", "all"):
                units = 1 if kind == "units" else qty
                self.issue(RequestRefund(at, group, member, units=units))
                return
            amount = {"full": net, "half": net // 2, "one": 1, "over": net + 1, "zero": 0}[kind]
            self.issue(RequestRefund(at, group, member, _cny(max(amount, 0))))

    # targeted rules: they steer the stream towards groups that form, ship and draw ----------

    @precondition(lambda self: self.with_status(PENDING))
    @rule(index=st.integers(0, 20), minutes=st.sampled_from((0, 0, 1, 5, 14, 16)))
    def pay_due(self, index: int, minutes: int) -> None:
        """A pending order is paid its exact due, under a fresh payment id."""
        pending = self.with_status(PENDING)
        group, member = pending[index % len(pending)]
        self.next_payment += 1
        due = self.model.groups[group].orders[member].due
        self.issue(Pay(self.later(minutes), group, member, f"p{self.next_payment}", _cny(due)))

    def led(self) -> list[str]:
        """Open groups whose leader has paid: the ones that take joins."""
        return sorted(
            g.id
            for g in self.model.groups.values()
            if g.status == "open" and g.orders[g.leader].status == AWAITING_GROUP
        )

    @precondition(lambda self: self.led())
    @rule(index=st.integers(0, 20), member=st.sampled_from(MEMBERS), pays=st.booleans())
    def join_open(self, index: int, member: str, pays: bool) -> None:
        """Someone joins a group that takes joins, and maybe pays at once."""
        open_groups = self.led()
        group = open_groups[index % len(open_groups)]
        at = self.later(1)
        self.issue(Join(at, group, member))
        order = self.model.groups[group].orders.get(member)
        if pays and order is not None and order.status == PENDING:
            self.next_payment += 1
            self.issue(Pay(at, group, member, f"p{self.next_payment}", _cny(order.due)))

    @precondition(lambda self: self.with_status(AWAITING_SHIPMENT, SHIPPED))
    @rule(index=st.integers(0, 20), how=st.sampled_from(("ship", "complete", "refund")))
    def after_forming(self, index: int, how: str) -> None:
        """A formed order ships, completes, or gets part of its money back."""
        ready = self.with_status(AWAITING_SHIPMENT, SHIPPED)
        group, member = ready[index % len(ready)]
        at = self.later(1)
        if how == "ship":
            self.issue(Ship(at, group, member))
        elif how == "complete":
            self.issue(Complete(at, group, member))
        else:
            net = self.model.groups[group].orders[member].net
            self.issue(RequestRefund(at, group, member, _cny(max(net // 3, 1))))

    @precondition(lambda self: self.with_status(AWAITING_SHIPMENT, SHIPPED, COMPLETED))
    @rule(
        index=st.integers(0, 20),
        refund_id=st.sampled_from(("rf1", "rf2", "rf3")),
        units=st.sampled_from((None, 1, 2)),
    )
    def refund_with_an_id(self, index: int, refund_id: str, units: int | None) -> None:
        """An after-sales refund under a refund_id, of units or an amount: sent again with the
        same id it is one refund; asking another thing with it is refund_conflict."""
        ready = self.with_status(AWAITING_SHIPMENT, SHIPPED, COMPLETED)
        group, member = ready[index % len(ready)]
        at = self.later(1)
        if units is None:
            net = self.model.groups[group].orders[member].net
            command = RequestRefund(at, group, member, _cny(max(net // 2, 1)), refund_id=refund_id)
        else:
            command = RequestRefund(at, group, member, units=units, refund_id=refund_id)
        self.issue(command)
        self.issue(attrs.evolve(command, at=self.later(0)))

    @precondition(lambda self: self.with_status(CANCELLED))
    @rule(index=st.integers(0, 20))
    def rejoin(self, index: int) -> None:
        """A member whose order was cancelled joins the same group again."""
        cancelled = self.with_status(CANCELLED)
        group, member = cancelled[index % len(cancelled)]
        self.issue(Join(self.later(1), group, member))

    @precondition(
        lambda self: (
            any(g.status == "formed" and not g.drawn for g in self.model.groups.values())
            and self.model.lottery
        )
    )
    @rule(seed=st.sampled_from(("s1", "s2", "2026-03-01")))
    def draw_formed(self, seed: str) -> None:
        """A formed lottery group is drawn."""
        ready = sorted(
            g.id for g in self.model.groups.values() if g.status == "formed" and not g.drawn
        )
        self.issue(Draw(self.later(1), ready[0], seed))

    @precondition(
        lambda self: any(
            g.status == "open" and g.orders[g.leader].status == PENDING
            for g in self.model.groups.values()
        )
    )
    @rule(how=st.sampled_from(("lapse", "leave", "join")))
    def opener_unpaid(self, how: str) -> None:
        """A group whose opener has not paid: joins are refused; the opener's lapse or leaving
        ends it at once."""
        group = sorted(
            g.id
            for g in self.model.groups.values()
            if g.status == "open" and g.orders[g.leader].status == PENDING
        )[0]
        leader = self.model.groups[group].leader
        if how == "lapse":
            self.issue(Tick(self.later(16)))
        elif how == "leave":
            self.issue(Cancel(self.later(1), group, leader))
        else:
            self.issue(Join(self.later(0), group, "u4" if leader != "u4" else "u3"))

    @precondition(lambda self: self.led())
    @rule(index=st.integers(0, 20))
    def leader_leaves(self, index: int) -> None:
        """A paid leader leaves before forming: leadership passes, or the group fails."""
        led = self.led()
        group = led[index % len(led)]
        self.issue(Cancel(self.later(1), group, self.model.groups[group].leader))

    @precondition(lambda self: self.led())
    @rule(index=st.integers(0, 20))
    def fill(self, index: int) -> None:
        """Members join a group that takes joins and pay at once, until it forms or is full."""
        led = self.led()
        group = led[index % len(led)]
        at = self.later(1)
        for member in MEMBERS:
            model_group = self.model.groups[group]
            if model_group.status != "open":
                break
            self.issue(Join(at, group, member))
            order = model_group.orders.get(member)
            if order is not None and order.status == PENDING:
                self.next_payment += 1
                self.issue(Pay(at, group, member, f"p{self.next_payment}", _cny(order.due)))

    # checks -----------------------------------------------------------------------------------

    @invariant()
    def invariants_hold(self) -> None:
        """The library's own invariants, on both paths."""
        if not hasattr(self, "state"):
            return
        check_invariants(self.state)
        check_invariants(self.fold.state)

    @invariant()
    def agrees_with_the_model(self) -> None:
        """Statuses, prices and every order's money equal the model's."""
        if not hasattr(self, "state"):
            return
        state, model = self.state, self.model
        assert sorted(state.groups) == sorted(model.groups)
        for group_id, expected in model.groups.items():
            group = state.groups[group_id]
            where = f"group {group_id}"
            assert group.status.value == expected.status, where
            assert group.leader == expected.leader, where
            assert group.spill_of == expected.spill_of, where
            assert sorted(group.orders) == sorted(expected.orders), where
            if expected.status == "formed":
                assert group.unit_price.minor == expected.unit_price, where
                assert group.virtual == expected.virtual, where
            assert group.winners == expected.winners, where
            for member, want in expected.orders.items():
                order = group.orders[member]
                got = (
                    order.status.value,
                    order.paid.minor,
                    order.refunded.minor,
                    order.authorised.minor,
                    order.due.minor,
                )
                wanted = (want.status, want.paid, want.refunded, want.authorised, want.due)
                assert got == wanted, f"{group_id}/{member}: {got} != model {wanted}"
        unmatched_cash = sum(u.amount.minor for u in state.unmatched.values() if not u.authorised)
        unmatched_held = sum(u.amount.minor for u in state.unmatched.values() if u.authorised)
        assert (unmatched_cash, unmatched_held) == (model.unmatched_in, model.unmatched_held)
        assert all(u.returned == u.amount for u in state.unmatched.values())
        assert state.stock_taken == model.taken
        assert {m: u for m, u in state.units.items() if u} == {
            m: u for m, u in model.units.items() if u
        }

    @invariant()
    def fast_path_equals_pure_path(self) -> None:
        """The Fold's state equals decide+evolve's, and replaying the log gives it again."""
        if not hasattr(self, "state"):
            return
        fold_state = self.fold.state
        assert fold_state == self.state
        assert replay(self.campaign, self.log) == self.state
        self.earlier.append((len(self.log), self.state, fold_state))

    @invariant()
    def earlier_states_never_change(self) -> None:
        """States handed out before (pure and Fold) still equal a fresh replay of their log."""
        if not hasattr(self, "state"):
            return
        for length, pure, fast in self.earlier[-3:]:
            again = replay(self.campaign, self.log[:length])
            assert pure == again
            assert fast == again

    @invariant()
    def money_is_conserved(self) -> None:
        """Cash in minus cash owed back equals what the orders keep; refund ids never repeat."""
        if not hasattr(self, "state"):
            return
        cash_in = sum(
            e.amount.minor
            for e in self.log
            if isinstance(e, PaymentReceived | PaymentCaptured)
            or (isinstance(e, PaymentUnmatched) and not e.authorised)
        )
        cash_out = sum(e.amount.minor for e in self.log if isinstance(e, RefundDue))
        assert cash_in - cash_out == sum(o.net.minor for o in self.state.orders())
        ids = [e.refund_id for e in self.log if isinstance(e, RefundDue)]
        assert len(ids) == len(set(ids))
        held = sum(
            e.amount.minor
            for e in self.log
            if isinstance(e, PaymentAuthorised)
            or (isinstance(e, PaymentUnmatched) and e.authorised)
        )
        let_go = sum(
            e.amount.minor
            for e in self.log
            if isinstance(e, PaymentCaptured | AuthorisationReleased)
        )
        assert held - let_go == sum(o.authorised.minor for o in self.state.orders())
        assert self.model.unmatched_held == sum(
            e.amount.minor
            for e in self.log
            if isinstance(e, AuthorisationReleased) and e.reason.value == "unmatched_payment"
        )

    def teardown(self) -> None:
        if hasattr(self, "state"):
            assert self.long_fold.state == self.state


TestGroupMachine = GroupMachine.TestCase
TestGroupMachine.settings = settings(settings.default, stateful_step_count=60)
