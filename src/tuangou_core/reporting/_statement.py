"""The statement of a replayed scenario: who paid and got back what, and where the money went.

Its JSON form (:meth:`Statement.to_data`) is the contract of ``shared/SCENARIO.md`` key for key;
its text form (:meth:`Statement.text`) prints the same figures as tables, with every refund and
its reason, for a person. Every figure is computed from the events and the final state alone.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from tuangou_core._records import Records, amount_columns, amount_names
from tuangou_core._text import html_table
from tuangou_core.campaign import FeeSchedule, Funder
from tuangou_core.group import (
    CampaignState,
    Event,
    GroupState,
    GroupStatus,
    Order,
    OrderStatus,
    PaymentUnmatched,
    RefundDue,
    ReplayStep,
)
from tuangou_core.money import Money
from tuangou_core.pricing import Quote
from tuangou_core.refunds import RefundReason
from tuangou_core.reporting._statement_data import OrderData
from tuangou_core.reporting._statement_text import statement_text
from tuangou_core.reporting._totals import SplitTotal, Total
from tuangou_core.settlement import (
    Balance,
    Difference,
    Split,
    audit,
    journal_trial_balance,
    reconcile,
    split_order,
)

SCHEMA: Final = 1
"""The version of the statement's JSON form (``shared/SCENARIO.md``)."""

STATEMENT_COLUMNS: Final = (
    "campaign",
    "currency",
    "group",
    "member",
    "status",
    *amount_names(
        "due", "paid", "refunded", "net", "payment_fee", "platform", "leader", "merchant", "subsidy"
    ),
    "refunds",
    "points",
)
"""The columns of a statement record (:meth:`Statement.to_records`): one per order."""

_PAID: Final = operator.attrgetter("paid.minor")
_REFUNDED: Final = operator.attrgetter("refunded.minor")

_FORMED: Final = frozenset(
    {OrderStatus.AWAITING_SHIPMENT, OrderStatus.SHIPPED, OrderStatus.COMPLETED}
)


@attrs.frozen
class GroupLine:
    """A group as the statement shows it; *leader* is its leader at the end."""

    id: str
    status: GroupStatus
    members: int
    virtual: int
    unit_price: Money
    winners: tuple[str, ...]
    leader: str


@attrs.frozen
class OrderLine:
    """A member's order as the statement shows it, with every refund and the order's split.

    *points* is the points the order stands at, or None when the campaign earns none.
    """

    group: str
    member: str
    status: str
    due: Money
    paid: Money
    refunded: Money
    refunds: tuple[RefundDue, ...]
    split: Split
    points: int | None = None

    @property
    def net(self) -> Money:
        """Cash the order keeps."""
        return self.paid - self.refunded


@attrs.frozen
class Rejection:
    """A scenario event the rules refused; it changed nothing."""

    event: int
    code: str
    message: str


@attrs.frozen
class UnmatchedLine:
    """A payment that named no order: recorded, and sent back whole at once."""

    event: int
    group: str
    member: str
    payment_id: str
    amount: Money
    authorised: bool = False


@attrs.frozen
class LeaderLine:
    """What one leader earns: the leader shares of the orders they lead."""

    leader: str
    commission: Total


@attrs.frozen
class Statement:
    """The settled outcome of a scenario.

    ``paid``, ``refunded`` and ``net`` count every cash movement: the orders' and the
    unmatched payments' (all of which went straight back). ``split`` sums the orders' splits.
    """

    campaign: str
    currency: str
    groups: tuple[GroupLine, ...]
    orders: tuple[OrderLine, ...]
    rejected: tuple[Rejection, ...]
    unmatched: tuple[UnmatchedLine, ...]
    split: SplitTotal
    leaders: tuple[LeaderLine, ...]
    points_standing: int
    points_liability: Total
    points_funded_by: str
    ledger_balanced: bool
    ledger_entries: int
    balances: Mapping[str, Balance]
    earns_points: bool = False
    audit_differences: tuple[Difference, ...] = ()

    @property
    def ledger_audited(self) -> bool:
        """True when the independent audit reaches every balance the journal reaches."""
        return not self.audit_differences

    @property
    def paid(self) -> Total:
        """Cash received: every order's, and every unmatched payment's."""
        stray = sum(u.amount.minor for u in self.unmatched if not u.authorised)
        return Total(sum(map(_PAID, self.orders)) + stray, self.currency)

    @property
    def refunded(self) -> Total:
        """Cash owed back: every order's refunds, and every unmatched payment returned."""
        stray = sum(u.amount.minor for u in self.unmatched if not u.authorised)
        return Total(sum(map(_REFUNDED, self.orders)) + stray, self.currency)

    @property
    def net(self) -> Total:
        """Cash kept: paid − refunded (what the split divides)."""
        return self.paid - self.refunded

    def to_data(self) -> dict[str, Any]:
        """The JSON form of ``shared/SCENARIO.md``, key for key."""
        paid, refunded = self.paid, self.refunded
        return {
            "schema": SCHEMA,
            "campaign": self.campaign,
            "currency": self.currency,
            "groups": [
                {
                    "id": g.id,
                    "status": g.status._value_,
                    "members": g.members,
                    "virtual": g.virtual,
                    "unit_price": str(g.unit_price),
                    "winners": list(g.winners),
                    "leader": g.leader,
                }
                for g in self.groups
            ],
            "orders": OrderData(self.currency).rows(self.orders),
            "rejected": [{"event": r.event, "code": str(r.code)} for r in self.rejected],
            "unmatched": [
                {
                    "event": u.event,
                    "group": u.group,
                    "member": u.member,
                    "payment_id": u.payment_id,
                    "amount": str(u.amount),
                }
                for u in self.unmatched
            ],
            "totals": {
                "paid": str(paid),
                "refunded": str(refunded),
                "net": str(paid - refunded),
            },
            "split": {
                **{name: str(value) for name, value in self.split.parts().items()},
                "subsidy": str(self.split.subsidy),
            },
            "leaders": [
                {"leader": line.leader, "commission": str(line.commission)} for line in self.leaders
            ],
            "points": {
                "standing": self.points_standing,
                "liability": str(self.points_liability),
                "funded_by": self.points_funded_by,
            },
            "ledger": {
                "balanced": self.ledger_balanced,
                "entries": self.ledger_entries,
                "audited": self.ledger_audited,
            },
        }

    def to_records(self) -> Records:
        """One record per order (:data:`STATEMENT_COLUMNS`), for a DataFrame: the order's
        amounts and its split (``payment_fee``, ``platform``, ``leader``, ``merchant`` and
        ``subsidy``), each as ``*_minor`` int and exact Decimal; ``refunds`` counts the
        order's refunds; ``points`` is None when the campaign earns none."""
        return Records(
            STATEMENT_COLUMNS,
            (
                {
                    "campaign": self.campaign,
                    "currency": self.currency,
                    "group": o.group,
                    "member": o.member,
                    "status": o.status,
                    **amount_columns("due", o.due),
                    **amount_columns("paid", o.paid),
                    **amount_columns("refunded", o.refunded),
                    **amount_columns("net", o.net),
                    **{
                        column: value
                        for name, part in o.split.parts().items()
                        for column, value in amount_columns(name, part).items()
                    },
                    **amount_columns("subsidy", o.split.subsidy),
                    "refunds": len(o.refunds),
                    "points": o.points,
                }
                for o in self.orders
            ),
        )

    def to_frame(self) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame`` (the ``[pandas]`` extra).

        Raises:
            InvalidInput: ``missing_extra`` when pandas is not installed.
        """
        return self.to_records().to_frame()

    def text(self) -> str:
        """The statement as tables for a person."""
        return statement_text(self)

    def _repr_html_(self) -> str:
        rows = [
            (o.group, o.member, o.status, o.due, o.paid, o.refunded, o.net) for o in self.orders
        ]
        caption = (
            f"Statement for {self.campaign}: paid {self.paid}, refunded {self.refunded}, "
            f"net {self.net}"
        )
        return html_table(
            ("group", "member", "status", "due", "paid", "refunded", "net"), rows, caption
        )


class _Splits:
    """Each order's contract split, worked out once per distinct (net, due, discount): the
    orders of a campaign mostly share their figures, and their quotes are shared objects."""

    def __init__(self, fees: FeeSchedule) -> None:
        self.fees = fees
        self.splits: dict[tuple[int, int, int], Split] = {}
        self.discounts: dict[int, tuple[Quote, int]] = {}

    def of(self, order: Order) -> Split:
        quote = order.quote
        known = self.discounts.get(id(quote))
        if known is None or known[0] is not quote:
            known = self.discounts[id(quote)] = (quote, quote.funded_by(Funder.PLATFORM).minor)
        # Keyed by the minor units: one campaign, one currency; an int hashes in C.
        key = (order.paid.minor - order.refunded.minor, quote.total.minor, known[1])
        split = self.splits.get(key)
        if split is None:
            discount = quote.funded_by(Funder.PLATFORM)
            split = self.splits[key] = split_order(order.net, order.due, discount, self.fees)
        return split


class _Lines:
    """The orders' lines, their split totals, points and leaders, gathered in one pass over
    the orders (each distinct split counted, then summed once per distinct split)."""

    def __init__(self, state: CampaignState, groups: Sequence[GroupState]) -> None:
        campaign = state.campaign
        self.currency = campaign.currency
        self.splits = _Splits(campaign.fees)
        self.rule = campaign.points
        named = campaign.fees.leader
        self.leader_of = {g.id: (g.leader if named == "opener" else named) for g in groups}
        self.counts: dict[int, list[Any]] = {}  # id of a split → [split, orders with it]
        self.earned: dict[str, int] = {}
        self.standing = 0

    def lines(
        self, orders: Iterable[Order], refunds: Mapping[tuple[str, str], list[RefundDue]]
    ) -> tuple[OrderLine, ...]:
        """Each order's line (with its refunds), counting its split, leader share and
        points as it goes."""
        split_of, counts, earned = self.splits.of, self.counts, self.earned
        standings: dict[int, int] = {}  # net → points a formed order stands at
        leader_of, rule, standing = self.leader_of, self.rule, 0
        out = []
        for order in orders:
            split = split_of(order)
            counted = counts.get(id(split))
            if counted is None:
                counts[id(split)] = [split, 1]
            else:
                counted[1] += 1
            leader = split.leader.minor
            if leader:
                who = leader_of[order.group]
                earned[who] = earned.get(who, 0) + leader
            status = order.status
            points = None
            if rule is not None:
                points = 0
                if status in _FORMED:
                    net = order.paid.minor - order.refunded.minor
                    points = standings.get(net)
                    if points is None:
                        points = standings[net] = rule.standing(order.net)
                    standing += points
            found = refunds.get((order.group, order.member))
            out.append(
                OrderLine(
                    order.group,
                    order.member,
                    status._value_,  # .value is a Python property; the member's own slot
                    order.quote.total,
                    order.paid,
                    order.refunded,
                    () if found is None else tuple(found),
                    split,
                    points,
                )
            )
        self.standing = standing
        return tuple(out)

    def split_total(self) -> SplitTotal:
        sums = dict.fromkeys(_SPLIT_FIELDS, 0)
        for split, count in self.counts.values():
            for name in _SPLIT_FIELDS:
                sums[name] += getattr(split, name).minor * count
        currency = self.currency
        return SplitTotal(*(Total(sums[name], currency) for name in _SPLIT_FIELDS))

    def leaders(self) -> tuple[LeaderLine, ...]:
        currency = self.currency
        return tuple(LeaderLine(who, Total(minor, currency)) for who, minor in self.earned.items())


_SPLIT_FIELDS: Final = tuple(f.name for f in attrs.fields(SplitTotal))


def statement_of(
    steps: Iterable[ReplayStep], state: CampaignState | Callable[[], CampaignState]
) -> Statement:
    """Build the statement of a scenario from its replayed *steps* and final *state*.

    *steps* are read once, in order, and only their events, refusals and indexes are kept:
    they may be a generator that runs the commands as it is read, with *state* a function
    giving the final state once it is exhausted.
    """
    events: list[Event] = []
    rejected: list[Rejection] = []
    unmatched: list[UnmatchedLine] = []
    refunds: dict[tuple[str, str], list[RefundDue]] = {}
    stray = RefundReason.UNMATCHED_PAYMENT
    for step in steps:
        found = step.events
        events += found
        if step.rejected is not None:
            rejected.append(Rejection(step.index, step.rejected.code, step.rejected.message))
        # By exact type, as the books read events: an event of any other type is refused by
        # them (unknown_event), so the statement never stands on one.
        for e in found:
            if type(e) is RefundDue:
                if e.reason is not stray:
                    refunds.setdefault((e.group, e.member), []).append(e)
            elif type(e) is PaymentUnmatched:
                unmatched.append(
                    UnmatchedLine(
                        step.index, e.group, e.member, e.payment_id, e.amount, e.authorised
                    )
                )
    if callable(state):
        state = state()
    campaign = state.campaign
    currency = campaign.currency
    ordered_groups = sorted(state.groups.values(), key=lambda g: (g.opened_at, _first_seq(g)))
    lines = _Lines(state, ordered_groups)
    orders = lines.lines(state.orders(), refunds)
    del refunds
    groups = tuple(
        GroupLine(g.id, g.status, g.members, g.virtual, g.unit_price, g.winners, g.leader)
        for g in ordered_groups
    )
    # The books are tallied as they are made: the statement shows their balances, not them.
    books = journal_trial_balance(events, campaign)
    sums = {row.account: row for row in books.rows}
    rule = campaign.points
    standing = lines.standing
    liability = Total(rule.value.minor * standing if rule else 0, currency)
    return Statement(
        campaign.id,
        currency,
        groups,
        orders,
        tuple(rejected),
        tuple(unmatched),
        lines.split_total(),
        lines.leaders(),
        standing,
        liability,
        rule.funded_by.value if rule else Funder.MERCHANT.value,
        books.balanced,
        books.entries,
        {account.value: balance for account, balance in sums.items()},
        rule is not None,
        reconcile(sums, audit(events, campaign)),
    )


def _first_seq(group: GroupState) -> int:
    return min((o.seq for o in group.orders.values()), default=0)
