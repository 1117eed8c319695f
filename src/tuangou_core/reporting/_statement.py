"""The statement of a replayed scenario: who paid and got back what, and where the money went.

Its JSON form (:meth:`Statement.to_data`) is the contract of ``shared/SCENARIO.md`` key for key;
its text form (:meth:`Statement.text`) prints the same figures as tables, with every refund and
its reason, for a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from tuangou_core._text import html_table, text_table
from tuangou_core.campaign import Funder
from tuangou_core.group import (
    CampaignState,
    GroupState,
    GroupStatus,
    Order,
    RefundDue,
    ReplayStep,
)
from tuangou_core.money import Money
from tuangou_core.settlement import Split, balances, journal, split_order, trial_balance

SCHEMA: Final = 1
"""The version of the statement's JSON form (``shared/SCENARIO.md``)."""


@attrs.frozen
class GroupLine:
    """A group as the statement shows it."""

    id: str
    status: GroupStatus
    members: int
    virtual: int
    unit_price: Money
    winners: tuple[str, ...]


@attrs.frozen
class OrderLine:
    """A member's order as the statement shows it, with every refund and the order's split."""

    group: str
    member: str
    status: str
    due: Money
    paid: Money
    refunded: Money
    refunds: tuple[RefundDue, ...]
    split: Split

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
class Statement:
    """The settled outcome of a scenario."""

    campaign: str
    currency: str
    groups: tuple[GroupLine, ...]
    orders: tuple[OrderLine, ...]
    rejected: tuple[Rejection, ...]
    split: Split
    ledger_balanced: bool
    ledger_entries: int
    balances: Mapping[str, Money]

    @property
    def paid(self) -> Money:
        """Cash received over every order."""
        return sum((o.paid for o in self.orders), Money.zero(self.currency))

    @property
    def refunded(self) -> Money:
        """Cash owed back over every order."""
        return sum((o.refunded for o in self.orders), Money.zero(self.currency))

    @property
    def net(self) -> Money:
        """Cash kept: paid − refunded."""
        return self.paid - self.refunded

    def to_data(self) -> dict[str, Any]:
        """The JSON form of ``shared/SCENARIO.md``, key for key."""
        return {
            "schema": SCHEMA,
            "campaign": self.campaign,
            "currency": self.currency,
            "groups": [
                {
                    "id": g.id,
                    "status": g.status.value,
                    "members": g.members,
                    "virtual": g.virtual,
                    "unit_price": str(g.unit_price),
                    "winners": list(g.winners),
                }
                for g in self.groups
            ],
            "orders": [
                {
                    "group": o.group,
                    "member": o.member,
                    "status": o.status,
                    "paid": str(o.paid),
                    "refunded": str(o.refunded),
                }
                for o in self.orders
            ],
            "rejected": [{"event": r.event, "code": r.code} for r in self.rejected],
            "totals": {
                "paid": str(self.paid),
                "refunded": str(self.refunded),
                "net": str(self.net),
            },
            "split": {
                "payment_fee": str(self.split.payment_fee),
                "platform": str(self.split.platform),
                "leader": str(self.split.leader),
                "merchant": str(self.split.merchant),
            },
            "ledger": {"balanced": self.ledger_balanced, "entries": self.ledger_entries},
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per order, for a DataFrame."""
        return [
            {
                "campaign": self.campaign,
                "group": o.group,
                "member": o.member,
                "status": o.status,
                "due": str(o.due),
                "paid": str(o.paid),
                "refunded": str(o.refunded),
                "net": str(o.net),
                **{name: str(value) for name, value in o.split.parts().items()},
            }
            for o in self.orders
        ]

    def text(self) -> str:
        """The statement as tables for a person."""
        lines = [f"Statement for campaign {self.campaign} ({self.currency})", ""]
        lines += ["Groups"]
        lines += text_table(
            ("group", "status", "members", "virtual", "unit price", "winners"),
            [
                (g.id, g.status.value, g.members, g.virtual, g.unit_price, " ".join(g.winners))
                for g in self.groups
            ],
            right={2, 3, 4},
        )
        lines += ["", "Orders"]
        rows: list[Sequence[object]] = []
        for o in self.orders:
            rows.append((o.group, o.member, o.status, o.due, o.paid, o.refunded, o.net))
            for refund in o.refunds:
                rows.append(
                    (
                        "",
                        f"  refund {refund.refund_id}",
                        refund.reason.value,
                        "",
                        "",
                        refund.amount,
                        "",
                    )
                )
        lines += text_table(
            ("group", "member", "status", "due", "paid", "refunded", "net"),
            rows,
            right={3, 4, 5, 6},
        )
        lines += ["", "Rejected events"]
        if self.rejected:
            lines += text_table(
                ("event", "code", "why"),
                [(r.event, r.code, r.message) for r in self.rejected],
                right={0},
            )
        else:
            lines += ["  none"]
        lines += ["", "Totals"]
        lines += text_table(
            ("paid", "refunded", "net"), [(self.paid, self.refunded, self.net)], right={0, 1, 2}
        )
        lines += ["", "Split of the net (分账)"]
        lines += text_table(
            ("payment fee", "platform (net of subsidy)", "leader", "merchant", "subsidy paid"),
            [
                (
                    self.split.payment_fee,
                    self.split.platform,
                    self.split.leader,
                    self.split.merchant,
                    self.split.subsidy,
                )
            ],
            right={0, 1, 2, 3, 4},
        )
        split = self.split
        lines += [
            f"  {split.payment_fee} + {split.platform} + {split.leader} + {split.merchant} = "
            f"{split.payment_fee + split.platform + split.leader + split.merchant} (the net)"
        ]
        verdict = "balanced" if self.ledger_balanced else "NOT BALANCED"
        lines += ["", f"Ledger: {verdict}, {self.ledger_entries} entries"]
        lines += text_table(
            ("account", "balance"),
            [(name, amount) for name, amount in sorted(self.balances.items())],
            right={1},
        )
        return "\n".join(lines) + "\n"

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


def _order_line(order: Order, state: CampaignState, refunds: tuple[RefundDue, ...]) -> OrderLine:
    fees = state.campaign.fees
    split = split_order(order.net, order.due, order.quote.funded_by(Funder.PLATFORM), fees)
    return OrderLine(
        order.group,
        order.member,
        order.status.value,
        order.due,
        order.paid,
        order.refunded,
        refunds,
        split,
    )


def statement_of(steps: Sequence[ReplayStep], state: CampaignState) -> Statement:
    """Build the statement of a scenario from its replayed *steps* and final *state*."""
    campaign = state.campaign
    events = [event for step in steps for event in step.events]
    refunds: dict[tuple[str, str], list[RefundDue]] = {}
    for event in events:
        if isinstance(event, RefundDue):
            refunds.setdefault((event.group, event.member), []).append(event)
    orders = tuple(
        _order_line(o, state, tuple(refunds.get((o.group, o.member), ()))) for o in state.orders()
    )
    groups = tuple(
        GroupLine(g.id, g.status, g.members, g.virtual, g.unit_price, g.winners)
        for g in sorted(state.groups.values(), key=lambda g: (g.opened_at, _first_seq(g)))
    )
    entries = journal(events, campaign)
    totals = balances(entries)
    balanced = trial_balance(entries, campaign.currency).balanced
    rejected = tuple(
        Rejection(step.index, step.rejected.code, step.rejected.message)
        for step in steps
        if step.rejected is not None
    )
    split = sum((o.split for o in orders), Split.zero(campaign.currency))
    return Statement(
        campaign.id,
        campaign.currency,
        groups,
        orders,
        rejected,
        split,
        balanced,
        len(entries),
        {account.value: amount for account, amount in totals.items()},
    )


def _first_seq(group: GroupState) -> int:
    return min((o.seq for o in group.orders.values()), default=0)
