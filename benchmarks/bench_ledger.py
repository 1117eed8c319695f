"""Journal and audit a campaign log of 100 000 events.

The log is built from the event classes directly (no decider in the timed part): groups of
five that open, join and pay, one payment in seven duplicated and returned, one group in ten
failing and refunding everyone, one order in eleven getting an after-sales refund. Run
``python -m benchmarks.bench_ledger [EVENTS]`` for one timed pass that prints events and
entries per second.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks import Benchmark
from tuangou_core.campaign import Campaign
from tuangou_core.group import (
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    MemberJoined,
    OrderPaid,
    OrderShipped,
    PaymentReceived,
    RefundDue,
)
from tuangou_core.money import Money
from tuangou_core.pricing import quote_member
from tuangou_core.refunds import RefundReason
from tuangou_core.settlement import audit, balances, journal, reconcile

EVENTS = 100_000
_AT = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

CAMPAIGN = Campaign.build(
    {"id": "bench", "list_price": "100.00", "rule": "fixed", "size": 5, "price": "70.00"},
    fees={"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.03"},
    coupons=[{"id": "p10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"}],
)


def event_log(size: int = EVENTS) -> list[Event]:
    """About *size* events of a busy campaign (see the module docstring)."""
    price = CAMPAIGN.rule.price
    plain = quote_member(CAMPAIGN, unit_price=price)
    coupon = quote_member(CAMPAIGN, unit_price=price, coupon_ids=("p10",))
    out: list[Event] = []
    group = 0
    at = _AT
    while len(out) < size:
        group += 1
        g = f"g{group}"
        fails = group % 10 == 0
        out.append(GroupOpened(at, g, f"{g}-u0", at + timedelta(hours=24)))
        members = 3 if fails else 5
        for i in range(members):
            member = f"{g}-u{i}"
            quote = coupon if i == 2 else plain
            role = "opener" if i == 0 else "joiner"
            out.append(MemberJoined(at, g, member, 1, role, quote, at))
            out.append(PaymentReceived(at, g, member, f"{member}-p", quote.total, "wechat"))
            out.append(OrderPaid(at, g, member, f"{member}-p"))
            if (group + i) % 7 == 0:
                out.append(PaymentReceived(at, g, member, f"{member}-d", quote.total, "wechat"))
                out.append(
                    RefundDue(
                        at,
                        g,
                        member,
                        f"{member}:r1",
                        f"{member}-d",
                        quote.total,
                        RefundReason.DUPLICATE_PAYMENT,
                    )
                )
        if fails:
            out.append(GroupFailed(at, g, members, at))
            for i in range(members):
                member = f"{g}-u{i}"
                total = (coupon if i == 2 else plain).total
                out.append(
                    RefundDue(
                        at,
                        g,
                        member,
                        f"{member}:r9",
                        f"{member}-p",
                        total,
                        RefundReason.GROUP_FAILED,
                    )
                )
            continue
        out.append(GroupFormed(at, g, members, 0, price))
        for i in range(members):
            member = f"{g}-u{i}"
            out.append(OrderShipped(at, g, member))
            if (group * 5 + i) % 11 == 0:
                out.append(
                    RefundDue(
                        at,
                        g,
                        member,
                        f"{member}:r2",
                        f"{member}-p",
                        Money(1234),
                        RefundReason.AFTER_SALES,
                    )
                )
    return out[:size] if not isinstance(out[size - 1], GroupOpened) else out[: size - 1]


LOG = event_log()


def _journal() -> object:
    return journal(LOG, CAMPAIGN)


def _audit() -> object:
    return audit(LOG, CAMPAIGN)


def _both() -> object:
    return reconcile(balances(journal(LOG, CAMPAIGN)), audit(LOG, CAMPAIGN))


BENCHMARKS = [
    Benchmark("journal 100k events", _journal, "journal of 100 000 events"),
    Benchmark("audit 100k events", _audit, "audit of 100 000 events"),
    Benchmark("journal+audit+reconcile 100k", _both, "check of 100 000 events"),
]


def main(argv: list[str]) -> int:
    """One timed pass over a log of ``argv[0]`` events (default 100 000)."""
    size = int(argv[0]) if argv else EVENTS
    log = LOG if size == EVENTS else event_log(size)
    start = time.perf_counter()
    entries = journal(log, CAMPAIGN)
    journal_s = time.perf_counter() - start
    start = time.perf_counter()
    checked = audit(log, CAMPAIGN)
    audit_s = time.perf_counter() - start
    gaps = reconcile(balances(entries), checked)
    print(f"events: {len(log)}, entries: {len(entries)}, differences: {len(gaps)}")
    print(
        f"journal: {journal_s:.3f} s, {len(log) / journal_s:,.0f} events/s, "
        f"{len(entries) / journal_s:,.0f} entries/s"
    )
    print(f"audit:   {audit_s:.3f} s, {len(log) / audit_s:,.0f} events/s")
    total = journal_s + audit_s
    print(f"both:    {total:.3f} s, {len(entries) / total:,.0f} entries/s")
    return 0 if not gaps else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
