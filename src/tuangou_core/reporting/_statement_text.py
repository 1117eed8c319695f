"""The statement as text for a person: the same figures as its JSON, as aligned tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuangou_core._text import text_table
from tuangou_core.money import Money, format_minor
from tuangou_core.settlement import Split

if TYPE_CHECKING:
    from tuangou_core.reporting._statement import Statement
    from tuangou_core.reporting._totals import Total


def statement_text(statement: Statement) -> str:
    """*statement* as tables: groups, orders and refunds, unmatched money, rejections,
    totals, the split, the leaders, the points and the ledger."""
    s = statement
    lines = [f"Statement for campaign {s.campaign} ({s.currency})", ""]
    lines += ["Groups"]
    lines += text_table(
        ("group", "status", "members", "virtual", "unit price", "leader", "winners"),
        [
            (
                g.id,
                g.status._value_,
                g.members,
                g.virtual,
                g.unit_price,
                g.leader,
                " ".join(g.winners),
            )
            for g in s.groups
        ],
        right={2, 3, 4},
    )
    lines += ["", "Orders"]
    amounts = _Amounts(s.currency)
    rows, split_rows, left_out = _order_rows(s, amounts)
    lines += text_table(
        ("group", "member", "status", "due", "paid", "refunded", "net"),
        rows,
        right={3, 4, 5, 6},
    )
    if s.unmatched:
        lines += ["", "Payments naming no order (recorded, refunded at once)"]
        lines += text_table(
            ("event", "group", "member", "payment", "amount", "refunded"),
            [(u.event, u.group, u.member, u.payment_id, u.amount, u.amount) for u in s.unmatched],
            right={0, 4, 5},
        )
    lines += ["", "Rejected events"]
    if s.rejected:
        lines += text_table(
            ("event", "code", "why"),
            [(r.event, r.code, r.message) for r in s.rejected],
            right={0},
        )
    else:
        lines += ["  none"]
    lines += ["", "Totals"]
    lines += text_table(("paid", "refunded", "net"), [(s.paid, s.refunded, s.net)], right={0, 1, 2})
    lines += ["", "Split by order (分账, per order on its net; the totals are their sums)"]
    split = s.split
    split_rows.append(
        (
            "total",
            "",
            split.net,
            split.payment_fee,
            split.platform,
            split.leader,
            split.merchant,
            split.subsidy,
        )
    )
    lines += text_table(
        ("group", "member", "net", "payment fee", "platform", "leader", "merchant", "subsidy"),
        split_rows,
        right={2, 3, 4, 5, 6, 7},
    )
    lines += [
        "  platform is its take less the subsidy it pays; "
        + signed_sum([split.payment_fee, split.platform, split.leader, split.merchant], split.net)
        + " (the net)"
    ]
    if left_out:
        orders = "order keeps" if left_out == 1 else "orders keep"
        lines += [f"  {left_out} {orders} no cash and split nothing: not listed"]
    if s.leaders:
        lines += ["", "Leaders (团长 commission)"]
        lines += text_table(
            ("leader", "commission"),
            [(line.leader, line.commission) for line in s.leaders],
            right={1},
        )
    if s.earns_points:
        lines += [
            "",
            f"Points: {s.points_standing} standing, liability {s.points_liability} "
            f"(funded by {s.points_funded_by})",
        ]
    verdict = "balanced" if s.ledger_balanced else "NOT BALANCED"
    audited = (
        "the independent audit agrees"
        if s.ledger_audited
        else "THE AUDIT DISAGREES: " + "; ".join(str(d) for d in s.audit_differences)
    )
    lines += ["", f"Ledger: {verdict}, {s.ledger_entries} entries; {audited}"]
    rows = []
    debits = credits = 0
    for name, balance in s.balances.items():
        net = balance.debits - balance.credits
        debits += max(net, 0)
        credits += max(-net, 0)
        rows.append(
            (
                name,
                balance.account.type.value,
                format_minor(net, s.currency) if net > 0 else "",
                format_minor(-net, s.currency) if net < 0 else "",
            )
        )
    rows.append(("total", "", format_minor(debits, s.currency), format_minor(credits, s.currency)))
    lines += text_table(("account", "type", "debit", "credit"), rows, right={2, 3})
    return "\n".join(lines) + "\n"


def _order_rows(
    s: Statement, amounts: _Amounts
) -> tuple[list[Sequence[object]], list[Sequence[object]], int]:
    """The orders table's rows (each order, then its refunds), the split table's (the orders
    that keep cash or a subsidy), and how many orders the split table leaves out."""
    rows: list[Sequence[object]] = []
    split_rows: list[Sequence[object]] = []
    left_out = 0
    texts, text, currency = amounts.texts, amounts.minor, s.currency
    for o in s.orders:
        due, paid, refunded = o.due, o.paid, o.refunded
        if due.currency == paid.currency == refunded.currency == currency:
            net = paid.minor - refunded.minor
            kept = texts.get(net) or text(net)
            rows.append(
                (
                    o.group,
                    o.member,
                    o.status,
                    texts.get(due.minor) or text(due.minor),
                    texts.get(paid.minor) or text(paid.minor),
                    texts.get(refunded.minor) or text(refunded.minor),
                    kept,
                )
            )
        else:  # a statement built by hand may mix currencies: each amount says its own
            net = o.net.minor
            kept = amounts.text(paid, refunded)
            row = (amounts.text(due), amounts.text(paid), amounts.text(refunded), kept)
            rows.append((o.group, o.member, o.status, *row))
        for refund in o.refunds:
            back = amounts.text(refund.amount)
            rows.append(
                ("", f"  refund {refund.refund_id}", refund.reason._value_, "", "", back, "")
            )
        split = o.split
        if net or split.subsidy.minor:
            split_rows.append((o.group, o.member, kept, *amounts.split(split)))
        else:
            left_out += 1
    return rows, split_rows, left_out


class _Amounts:
    """Amounts as text, each distinct figure written once: a day's orders share a handful."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.texts: dict[int, str] = {}
        self.splits: dict[int, tuple[Split, tuple[str, ...]]] = {}

    def text(self, amount: Money, less: Money | None = None) -> str:
        """*amount* (less *less*, the net of an order) as text."""
        if amount.currency != self.currency or (
            less is not None and less.currency != self.currency
        ):
            return str(amount if less is None else amount - less)
        minor = amount.minor if less is None else amount.minor - less.minor
        return self.texts.get(minor) or self.minor(minor)

    def minor(self, minor: int) -> str:
        found = self.texts[minor] = format_minor(minor, self.currency)
        return found

    def split(self, split: Split) -> tuple[str, ...]:
        """The split's payment fee, platform, leader, merchant and subsidy as text (each
        shared split's once)."""
        known = self.splits.get(id(split))
        if known is None or known[0] is not split:
            text = self.text
            parts = (split.payment_fee, split.platform, split.leader, split.merchant)
            figures = (*map(text, parts), text(split.subsidy))
            known = self.splits[id(split)] = (split, figures)
        return known[1]


def signed_sum(parts: Sequence[Total | Money], total: Total | Money) -> str:
    """``a + b − c = total`` with each amount printed as an amount: a negative part is
    subtracted (``− 2.76``), never added as ``+ -2.76``."""
    text = str(parts[0])
    for part in parts[1:]:
        value = str(part)
        text += f" − {value[1:]}" if value.startswith("-") else f" + {value}"
    return f"{text} = {total}"
