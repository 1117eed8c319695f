"""Hypothesis strategies shared by the test modules, one section per library module.

Add a strategy here when a second test module needs it; keep the sections in the import order
of the library (money, timing, campaign, pricing, ...).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

import tuangou_core.campaign as _c
from tuangou_core.campaign import Campaign, Coupon, CouponKind, FixedRule, Funder
from tuangou_core.errors import TuangouError
from tuangou_core.group import (
    CampaignState,
    Cancel,
    Command,
    Complete,
    Draw,
    Event,
    Fold,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    Join,
    MemberJoined,
    Open,
    OrderCompleted,
    OrderPaid,
    OrderShipped,
    Pay,
    PaymentReceived,
    RefundDue,
    RequestRefund,
    Ship,
    Tick,
)
from tuangou_core.money import MAX_MINOR, Currency, Money, Rate, Rounding
from tuangou_core.pricing import (
    Base,
    Discount,
    DiscountKind,
    Line,
    Phase,
    StackingPolicy,
    quote_member,
)
from tuangou_core.refunds import RefundReason
from tuangou_core.timing import Duration

Weight = int | Decimal | Fraction

# -- money ------------------------------------------------------------------------------------


def currencies() -> st.SearchStrategy[str]:
    """Every ISO 4217 code the library knows."""
    return st.sampled_from(Currency.known())


def minor_amounts(bound: int = MAX_MINOR) -> st.SearchStrategy[int]:
    """Whole minor units within ``±bound`` (by default the full range of ``Money``)."""
    return st.integers(-bound, bound)


def money(
    currency: str | None = None, *, bound: int = MAX_MINOR, min_minor: int | None = None
) -> st.SearchStrategy[Money]:
    """Amounts within ``±bound`` minor units, in *currency* or in any known currency.

    ``min_minor`` raises the floor, e.g. ``min_minor=0`` for amounts that are never negative.
    """
    low = -bound if min_minor is None else min_minor
    codes = currencies() if currency is None else st.just(currency)
    return st.builds(Money, st.integers(low, bound), codes)


def roundings() -> st.SearchStrategy[Rounding]:
    """Every rounding mode."""
    return st.sampled_from(Rounding)


def int_weights(max_size: int = 20, max_weight: int = 1000) -> st.SearchStrategy[list[int]]:
    """Non-empty lists of non-negative int weights, not all zero, zeros frequent."""
    weight = st.one_of(st.just(0), st.integers(0, max_weight))
    return st.lists(weight, min_size=1, max_size=max_size).filter(any)


def weights(max_size: int = 20) -> st.SearchStrategy[list[Weight]]:
    """Non-empty lists mixing int, Decimal and Fraction weights, none negative, not all zero."""
    weight: st.SearchStrategy[Weight] = st.one_of(
        st.just(0),
        st.integers(0, 1000),
        st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
        st.fractions(min_value=0, max_value=1000, max_denominator=60),
    )
    return st.lists(weight, min_size=1, max_size=max_size).filter(any)


def rate_values(
    min_value: Fraction = Fraction(0), max_value: Fraction = Fraction(1)
) -> st.SearchStrategy[Fraction]:
    """Exact ratios in ``[min_value, max_value]``: terminating decimals and thirds alike."""
    return st.fractions(min_value=min_value, max_value=max_value, max_denominator=10**6)


def rates(
    min_value: Fraction = Fraction(0), max_value: Fraction = Fraction(1)
) -> st.SearchStrategy[Rate]:
    """Rates in ``[min_value, max_value]`` (a fee rate or a discount share by default)."""
    return st.builds(Rate, rate_values(min_value, max_value))


def decimal_rates(places: int = 6, max_value: int = 2) -> st.SearchStrategy[Decimal]:
    """Rates written as decimals, as a fee schedule spells them: ``Decimal("0.006")``."""
    return st.decimals(
        min_value=0, max_value=max_value, places=places, allow_nan=False, allow_infinity=False
    )


# -- windows ----------------------------------------------------------------------------------

# Wide enough to cross many daylight-saving changes, narrow enough that ten years on is valid.
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2060, 1, 1, tzinfo=UTC)


def instants() -> st.SearchStrategy[datetime]:
    """Aware UTC instants, whole seconds, between 2000 and 2060."""
    span = int((_LATEST - _EARLIEST).total_seconds())
    return st.integers(0, span).map(lambda s: _EARLIEST + timedelta(seconds=s))


def durations() -> st.SearchStrategy[Duration]:
    """Valid durations: some months, days and seconds, together at most about five years."""
    parts = st.tuples(st.integers(0, 36), st.integers(0, 400), st.integers(0, 400 * 86400))
    return parts.filter(any).map(lambda p: Duration(*p))


# -- pricing ----------------------------------------------------------------------------------
# Carts and stacks of discounts for tests/test_pricing.py (owned by the pricing work).


def cart_lines(max_lines: int = 6, max_unit_minor: int = 50_000) -> st.SearchStrategy[list[Line]]:
    """Carts of 1..max_lines CNY lines with distinct skus, 1..5 units each, unit ≥ 0.01."""

    def build(units: list[tuple[int, int]]) -> list[Line]:
        return [Line(f"sku{i}", qty, Money(minor, "CNY")) for i, (minor, qty) in enumerate(units)]

    unit = st.tuples(st.integers(1, max_unit_minor), st.integers(1, 5))
    return st.lists(unit, min_size=1, max_size=max_lines).map(build)


def _discount_rule(index: int) -> st.SearchStrategy[Discount]:
    ident = f"d{index}"
    amounts = st.integers(1, 20_000).map(lambda m: Money(m, "CNY"))
    common = {
        "funder": st.sampled_from(Funder),
        "stack_class": st.sampled_from(["coupon", "promotion", "member"]),
        "priority": st.integers(0, 2),
        "base": st.sampled_from(Base),
        "cap": st.none() | amounts,
    }
    return st.one_of(
        st.builds(
            Discount,
            st.just(ident),
            st.just(DiscountKind.PERCENT_OFF),
            phase=st.sampled_from([Phase.ITEM, Phase.ORDER]),
            percent=st.fractions(Fraction(1, 100), Fraction(1), max_denominator=100).map(Rate),
            **common,
        ),
        st.builds(
            Discount,
            st.just(ident),
            st.just(DiscountKind.AMOUNT_OFF),
            phase=st.sampled_from([Phase.ITEM, Phase.ORDER]),
            amount=amounts,
            **common,
        ),
        st.builds(
            Discount,
            st.just(ident),
            st.just(DiscountKind.THRESHOLD),
            amount=amounts,
            threshold=st.integers(1, 50_000).map(lambda m: Money(m, "CNY")),
            repeat=st.booleans(),
            **common,
        ),
        st.builds(
            Discount,
            st.just(ident),
            st.just(DiscountKind.UNIT_PRICE),
            price=st.integers(0, 20_000).map(lambda m: Money(m, "CNY")),
            max_units=st.none() | st.integers(1, 3),
            **common,
        ),
        st.builds(
            Discount,
            st.just(ident),
            st.just(DiscountKind.POINTS),
            points_per_unit=st.sampled_from([1, 10, 100, 1000]),
            percent=st.sampled_from(["10%", "50%", "100%"]).map(Rate),
            **common,
        ),
        st.builds(
            Discount,
            st.just(ident),
            st.just(DiscountKind.FREE_SHIPPING),
            threshold=st.none() | amounts,
            **common,
        ),
    )


def discount_stacks(max_size: int = 6) -> st.SearchStrategy[list[Discount]]:
    """Lists of discounts of every kind with distinct ids (d0, d1, …)."""
    return st.integers(0, max_size).flatmap(
        lambda n: st.tuples(*(_discount_rule(i) for i in range(n))).map(list)
    )


def stacking_policies() -> st.SearchStrategy[StackingPolicy]:
    """Policies with random best-of classes, exclusions, a share cap, floor and rounding."""
    classes = st.sampled_from(["coupon", "promotion", "member", "group_price"])
    return st.builds(
        StackingPolicy,
        best_of=st.frozensets(classes, max_size=2),
        exclusive=st.lists(st.tuples(classes, classes).filter(lambda p: p[0] != p[1]), max_size=2),
        max_discount_share=st.none() | st.sampled_from(["30%", "50%", "100%"]).map(Rate),
        allow_free=st.booleans(),
        rounding=st.sampled_from(Rounding),
    )


# -- metrics, compliance, risk, rewards, pickup (issue 7) ------------------------------------
# Event logs built by hand from the event classes, for the tests of the issue-7 modules.


CST = timezone(timedelta(hours=8))
LOG_START = datetime(2026, 3, 1, 10, 0, tzinfo=CST)


def log_campaign() -> Campaign:
    """A 3-person fixed group at ¥70 (list ¥100) with a ¥10 new-customer coupon ``new10``."""
    new10 = Coupon("new10", CouponKind.AMOUNT_OFF, amount=Money(1000))
    return Campaign("c1", Money(10000), FixedRule(3, Money(7000)), coupons=(new10,))


class EventLog:
    """Builds a log by hand: each method appends the events the decider would produce.

    Times are minutes after :data:`LOG_START`; payment ids are ``p-<group>-<member>``.
    """

    def __init__(self) -> None:
        self.campaign = log_campaign()
        self.events: list[Event] = []

    @staticmethod
    def at(minutes: float) -> datetime:
        """The instant *minutes* after the start of the log."""
        return LOG_START + timedelta(minutes=minutes)

    def open(self, group: str, member: str, minutes: float = 0) -> EventLog:
        """*member* opens *group* (GroupOpened and the opener's MemberJoined)."""
        at = self.at(minutes)
        self.events.append(GroupOpened(at, group, member, at + timedelta(hours=24)))
        return self._joined(group, member, at, "opener", ())

    def join(
        self, group: str, member: str, minutes: float, coupons: tuple[str, ...] = ()
    ) -> EventLog:
        """*member* joins *group*, presenting *coupons*."""
        return self._joined(group, member, self.at(minutes), "joiner", coupons)

    def _joined(
        self, group: str, member: str, at: datetime, role: str, coupons: tuple[str, ...]
    ) -> EventLog:
        quote = quote_member(self.campaign, unit_price=Money(7000), coupon_ids=coupons, role=role)
        hold = at + timedelta(minutes=15)
        self.events.append(MemberJoined(at, group, member, 1, role, quote, hold))
        return self

    def pay(
        self, group: str, member: str, minutes: float, amount: int = 7000, settles: bool = True
    ) -> EventLog:
        """Cash of *amount* fen arrives; with *settles* it pays the order (OrderPaid)."""
        at = self.at(minutes)
        pid = f"p-{group}-{member}"
        self.events.append(PaymentReceived(at, group, member, pid, Money(amount), "wechat"))
        if settles:
            self.events.append(OrderPaid(at, group, member, pid))
        return self

    def refund(
        self,
        group: str,
        member: str,
        minutes: float,
        amount: int = 7000,
        reason: RefundReason = RefundReason.AFTER_SALES,
        sequence: int = 1,
    ) -> EventLog:
        """*amount* fen is owed back to *member* along their payment."""
        pid = f"p-{group}-{member}"
        self.events.append(
            RefundDue(
                self.at(minutes),
                group,
                member,
                f"{pid}-r{sequence}",
                pid,
                Money(amount),
                reason,
            )
        )
        return self

    def form(
        self, group: str, minutes: float, size: int = 3, due_minutes: float | None = None
    ) -> EventLog:
        """*group* forms with *size* members (``due`` set when *due_minutes* is given)."""
        due = None if due_minutes is None else self.at(due_minutes)
        self.events.append(GroupFormed(self.at(minutes), group, size, 0, Money(7000), due))
        return self

    def fail(self, group: str, minutes: float, paid: int, due_minutes: float) -> EventLog:
        """*group* fails at its deadline with *paid* paid members (refunds not included)."""
        self.events.append(GroupFailed(self.at(minutes), group, paid, self.at(due_minutes)))
        return self

    def ship(self, group: str, member: str, minutes: float) -> EventLog:
        """*member*'s order ships."""
        self.events.append(OrderShipped(self.at(minutes), group, member))
        return self

    def complete(self, group: str, member: str, minutes: float) -> EventLog:
        """*member* collects the order."""
        self.events.append(OrderCompleted(self.at(minutes), group, member))
        return self

    def paid_group(self, group: str, members: tuple[str, ...], minutes: float) -> EventLog:
        """*members[0]* opens *group* at *minutes*; everyone joins and pays a minute apart."""
        self.open(group, members[0], minutes)
        for offset, member in enumerate(members):
            if offset:
                self.join(group, member, minutes + offset)
            self.pay(group, member, minutes + offset)
        return self


def event_logs(max_groups: int = 6) -> st.SearchStrategy[list[Event]]:
    """Random logs of 3-person groups: each opens, gets 1–3 paid members, then forms (when
    full) or fails, and some formed orders ship or are refunded in part."""

    @st.composite
    def build(draw: st.DrawFn) -> list[Event]:
        log = EventLog()
        for g in range(draw(st.integers(0, max_groups))):
            group = f"g{g}"
            start = g * 30
            paid = draw(st.integers(1, 3))
            members = tuple(f"u{g}-{i}" for i in range(paid))
            log.paid_group(group, members, start)
            if paid == 3:
                log.form(group, start + draw(st.integers(3, 3000)))
                for member in members:
                    choice = draw(st.sampled_from(["none", "ship", "refund"]))
                    if choice == "ship":
                        log.ship(group, member, start + 4000)
                    elif choice == "refund":
                        amount = draw(st.integers(1, 7000))
                        log.refund(group, member, start + 4000, amount)
            else:
                log.fail(group, start + 1440, paid, start + 1440)
                for member in members:
                    log.refund(group, member, start + 1440, 7000, RefundReason.GROUP_FAILED)
        return log.events

    return build()


# -- group ------------------------------------------------------------------------------------
# Campaigns for the group decider's tests (tests/test_group*.py, owned by the group work).
# Every campaign opens in Shanghai time with a short window (PT2H) and the default payment
# timeout (PT15M), so random streams of small time steps reach holds and deadlines often.


GROUP_START = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


def _cny(minor: int) -> Money:
    return Money(minor, "CNY")


def group_coupons() -> tuple[_c.Coupon, ...]:
    """``off5`` takes 5.00 off; ``t85`` is 满85减5, which stops qualifying at a cheap tier."""
    return (
        _c.Coupon("off5", _c.CouponKind.AMOUNT_OFF, amount=_cny(500)),
        _c.Coupon("t85", _c.CouponKind.THRESHOLD, amount=_cny(500), threshold=_cny(8500)),
    )


@st.composite
def group_campaigns(draw: st.DrawFn) -> _c.Campaign:
    """Campaigns of every group rule: fixed, tiered (both charges), lottery and seckill.

    List price 100.00; group prices 60.00-90.00; optional leader price, stock, per-member
    limit, overflow spill and (fixed only) virtual completion. Lotteries may commit to the seed
    ``s1`` (``seed_sha256``) and fail undrawn groups one or three hours after forming. Tiered
    campaigns carry two coupons: ``off5`` (5.00 off) and ``t85`` (满85减5, which stops
    qualifying at a cheap tier).
    """
    kind = draw(st.sampled_from(["fixed", "tiered", "lottery", "seckill"]))
    size = draw(st.integers(2, 4))
    price = _cny(draw(st.sampled_from([7000, 7500, 8000])))
    rule: _c.GroupRule
    coupons: tuple[_c.Coupon, ...] = ()
    if kind == "fixed":
        rule = _c.FixedRule(size, price)
    elif kind == "lottery":
        # Half the lotteries commit to the seed "s1" up front; every one fails undrawn groups
        # an hour or three after forming, so the stream reaches draw deadlines.
        commitment = draw(st.sampled_from([None, hashlib.sha256(b"s1").hexdigest()]))
        within = Duration(seconds=draw(st.sampled_from([3600, 3 * 3600])))
        rule = _c.LotteryRule(size, price, draw(st.integers(1, size - 1)), None, commitment, within)
    elif kind == "seckill":
        rule = _c.SeckillRule(
            size, price, GROUP_START + timedelta(minutes=draw(st.integers(0, 30)))
        )
    else:
        tiers = draw(
            st.sampled_from(
                [
                    (_c.Tier(2, _cny(9000)), _c.Tier(3, _cny(8000))),
                    (_c.Tier(2, _cny(9000)), _c.Tier(3, _cny(8000)), _c.Tier(4, _cny(7000))),
                    (_c.Tier(3, _cny(9000)), _c.Tier(4, _cny(8500))),
                ]
            )
        )
        rule = _c.TieredRule(tiers, draw(st.sampled_from(_c.ChargeMode)))
        coupons = group_coupons()
    on_expiry = _c.Expiry.FAIL
    virtual_min = None
    if kind == "fixed" and draw(st.booleans()):
        on_expiry = _c.Expiry.VIRTUAL_COMPLETE
        virtual_min = draw(st.integers(1, rule.size))
    stock = draw(st.none() | st.integers(3, 12)) if kind != "seckill" else draw(st.integers(3, 10))
    return _c.Campaign(
        id=f"{kind}-campaign",
        list_price=_cny(10000),
        rule=rule,
        window=Duration(seconds=2 * 3600),
        on_expiry=on_expiry,
        virtual_min=virtual_min,
        max_size=rule.size + draw(st.sampled_from([0, 0, 1, 2])),
        overflow=draw(st.sampled_from(_c.Overflow)),
        leader_price=draw(st.none() | st.just(_cny(6000))),
        stock=stock,
        per_member_limit=draw(st.none() | st.integers(1, 3)),
        coupons=coupons,
    )


# -- store (issue 13) -------------------------------------------------------------------------
# Random command streams for the snapshot and store tests: intents resolved against the state
# as they run (a payment pays what the order is due, most of the time), so groups form, ship,
# refund, fail and draw often enough.

STREAM_MEMBERS = ("u0", "u1", "u2", "u3", "u4")
STREAM_GROUPS = ("g0", "g1", "g2")


def intents(max_size: int = 40) -> st.SearchStrategy[list[tuple[str, int, int, int]]]:
    """Lists of ``(kind, group index, member index, minutes later)``."""
    kind = st.sampled_from(
        ["open", "join", "join", "pay", "pay", "pay", "misspay", "cancel", "tick", "ship",
         "complete", "refund", "draw"]
    )  # fmt: skip
    step = st.tuples(
        kind, st.integers(0, 2), st.integers(0, 4), st.sampled_from((0, 0, 1, 5, 16, 130))
    )
    return st.lists(step, max_size=max_size)


def stream_command(
    state: CampaignState, intent: tuple[str, int, int, int], at: datetime, serial: int
) -> Command:
    """The command *intent* stands for in *state*, stamped *at*."""
    kind, g, m, _minutes = intent
    group, member = STREAM_GROUPS[g], STREAM_MEMBERS[m]
    found = state.groups.get(group)
    order = found.orders.get(member) if found is not None else None
    due = order.due if order is not None else _cny(7000)
    if kind == "open":
        return Open(at, group, member)
    if kind == "join":
        return Join(at, group, member)
    if kind in ("pay", "misspay"):
        amount = due if kind == "pay" else due + _cny(1)
        return Pay(at, group, member, f"p{serial}", amount)
    if kind == "cancel":
        return Cancel(at, group, member)
    if kind == "ship":
        return Ship(at, group, member)
    if kind == "complete":
        return Complete(at, group, member)
    if kind == "refund":
        net = order.net if order is not None else _cny(1)
        return RequestRefund(at, group, member, _cny(max(net.minor // 2, 1)))
    if kind == "draw":
        return Draw(at, group, "s1")
    return Tick(at)


def run_stream(
    campaign: Campaign, steps: list[tuple[str, int, int, int]]
) -> tuple[list[Command], list[tuple[Event, ...]]]:
    """Resolve and execute *steps* on *campaign*: the accepted commands and their events (a
    refused command whose time passing caused events stands as a ``Tick``)."""
    fold = Fold(campaign)
    at = GROUP_START
    commands: list[Command] = []
    caused: list[tuple[Event, ...]] = []
    for serial, step in enumerate(steps):
        at += timedelta(minutes=step[3])
        command = stream_command(fold.state, step, at, serial)
        # Time passes even for a command then refused: the log holds it as a Tick.
        elapsed = fold.advance(at)
        try:
            events = fold.execute(command)
        except TuangouError:
            if elapsed:
                commands.append(Tick(at))
                caused.append(elapsed)
            continue
        commands.append(command)
        caused.append((*elapsed, *events))
    return commands, caused


# -- junk: what a careless or hostile caller sends --------------------------------------------
# For the fuzz tests (tests/test_fuzz.py, tests/test_cli_fuzz.py): every public entry point gets
# these where a value belongs, and must answer with a coded TuangouError, never a raw exception.

JUNK_TEXT = (
    "",
    " ",
    "abc",
    "1/0",
    "0/0",
    "-1e999999999",
    "1e999999999",
    "NaN",
    "-inf",
    "12.345",
    "0.006",
    "5%",
    "１２.３４",  # full-width digits
    "٣",  # an Arabic-Indic digit
    "12\x00",
    "PT24H",
    "P99999Y",
    "FREQ=MINUTELY",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "22:00+08:00",
    "25:00",
    "2026-03-01T10:00:00+08:00",
    "9999-12-31T23:59:59+14:00",
    "half_up",
    "opener",
    "CNY",
    "Asia/Shanghai",
    "../etc/passwd",
    "x" * 5000,
)
_ZONES = (UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)))


def junk_scalars() -> st.SearchStrategy[object]:
    """Scalars of every kind a JSON body or a sloppy call holds, valid-looking ones included."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([0, -1, 1, 10**15, 10**16, 2**63, -(10**100), 10**4000]),
        st.floats(),
        st.sampled_from(JUNK_TEXT),
        st.text(max_size=12),
        st.decimals(),
        st.sampled_from(
            [Decimal("1e999999999"), Decimal("-1e-999999999"), Decimal("sNaN"), Decimal("-0")]
        ),
        st.fractions(max_denominator=10**6),
        st.sampled_from([Fraction(1, 10**50), Fraction(1, 10**4000)]),
        st.datetimes(),  # naive
        st.datetimes(timezones=st.sampled_from(_ZONES)),  # aware, year 1 to 9999
        st.sampled_from([datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=_ZONES[1])]),
        st.dates(),
        st.times(),
        st.times(timezones=st.sampled_from(_ZONES)),
        st.timedeltas(),
        st.builds(Money, st.integers(-1000, 1000), currencies()),
        st.sampled_from([Rate("1/3"), Rate(0), Rate(2), Rate(-1)]),
        st.sampled_from(list(Rounding)),
        st.just(b"\xff\xfe"),
        st.just(object()),
    )


def junk() -> st.SearchStrategy[object]:
    """Scalars, and lists, tuples and dicts of them, nested a few levels."""
    return st.recursive(
        junk_scalars(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.tuples(inner, inner),
            st.dictionaries(
                st.one_of(st.sampled_from(JUNK_TEXT[:12]), st.text(max_size=6)), inner, max_size=4
            ),
        ),
        max_leaves=8,
    )


def or_junk(valid: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """The valid values, or junk in their place (half and half, roughly)."""
    return st.one_of(valid, junk())


def json_junk() -> st.SearchStrategy[object]:
    """What JSON can hold: null, bools, ints (huge ones too), text, lists and objects."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([10**16, -(10**15), 10**4000]),
        st.sampled_from(JUNK_TEXT),
        st.text(max_size=10),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=6,
    )


def mutated(document: object, data: st.DataObject) -> object:
    """*document* (plain JSON-like data) with one to three changes drawn from *data*: a key
    removed, a value replaced by junk, a value nested deep, a list emptied or repeated."""
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        document = _mutate_once(document, data)
    return document


def _mutate_once(node: object, data: st.DataObject) -> object:
    if isinstance(node, dict) and node and data.draw(st.booleans(), label="descend"):
        key = data.draw(st.sampled_from(sorted(node)), label="key")
        copy = dict(node)
        action = data.draw(st.sampled_from(["drop", "junk", "deep", "descend"]), label="action")
        if action == "drop":
            del copy[key]
        elif action == "junk":
            copy[key] = data.draw(json_junk(), label="junk")
        elif action == "deep":
            depth = data.draw(st.sampled_from([3, 40, 500]), label="depth")
            value: object = copy[key]
            for _ in range(depth):
                value = [value]
            copy[key] = value
        else:
            copy[key] = _mutate_once(copy[key], data)
        return copy
    if isinstance(node, list) and node:
        index = data.draw(st.integers(0, len(node) - 1), label="index")
        copy_list = list(node)
        action = data.draw(st.sampled_from(["junk", "descend", "repeat", "empty"]), label="act")
        if action == "junk":
            copy_list[index] = data.draw(json_junk(), label="junk")
        elif action == "descend":
            copy_list[index] = _mutate_once(copy_list[index], data)
        elif action == "repeat":
            copy_list = copy_list + copy_list[index:]
        else:
            copy_list = []
        return copy_list
    return data.draw(json_junk(), label="replacement")
