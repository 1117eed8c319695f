"""The statement as text for a person: the same figures as its JSON, as aligned tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuangou_core._text import text_table

if TYPE_CHECKING:
    from tuangou_core.reporting._statement import Statement


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
                g.status.value,
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
    rows: list[Sequence[object]] = []
    for o in s.orders:
        rows.append((o.group, o.member, o.status, o.due, o.paid, o.refunded, o.net))
        for refund in o.refunds:
            rows.append(
                ("", f"  refund {refund.refund_id}", refund.reason.value, "", "", refund.amount, "")
            )
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
    split = s.split
    lines += ["", "Split of the net (分账)"]
    lines += text_table(
        ("payment fee", "platform (net of subsidy)", "leader", "merchant", "subsidy paid"),
        [(split.payment_fee, split.platform, split.leader, split.merchant, split.subsidy)],
        right={0, 1, 2, 3, 4},
    )
    lines += [
        f"  {split.payment_fee} + {split.platform} + {split.leader} + {split.merchant} = "
        f"{split.payment_fee + split.platform + split.leader + split.merchant} (the net)"
    ]
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
    lines += ["", f"Ledger: {verdict}, {s.ledger_entries} entries"]
    lines += text_table(
        ("account", "balance"),
        [(name, amount) for name, amount in sorted(s.balances.items())],
        right={1},
    )
    return "\n".join(lines) + "\n"
