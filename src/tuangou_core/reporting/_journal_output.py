"""The journal for finance's spreadsheet: one row per posting, as text or as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final

from tuangou_core._text import display_width, pad
from tuangou_core.money import format_minor
from tuangou_core.settlement import JournalEntry, Side

JOURNAL_COLUMNS: Final = (
    "entry",
    "event",
    "at",
    "account",
    "party",
    "debit",
    "credit",
    "memo",
)
"""The columns of :func:`journal_rows`, in order."""


def journal_rows(entries: Sequence[JournalEntry]) -> list[tuple[str, ...]]:
    """One row per posting: entry id, event index, time, account, party, debit, credit (decimal
    text, empty on the other side) and the memo naming the rule that booked it."""
    rows: list[tuple[str, ...]] = []
    for entry in entries:
        at = entry.at.isoformat()
        for posting in entry.postings:
            amount = str(posting.amount)
            rows.append(
                (
                    entry.id,
                    str(entry.event),
                    at,
                    posting.account.value,
                    posting.party,
                    amount if posting.side is Side.DEBIT else "",
                    amount if posting.side is Side.CREDIT else "",
                    entry.memo,
                )
            )
    return rows


def journal_csv(entries: Sequence[JournalEntry]) -> str:
    """The journal as CSV with a header row (RFC 4180, ``\\r\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(JOURNAL_COLUMNS)
    writer.writerows(journal_rows(entries))
    return out.getvalue()


def journal_text(entries: Sequence[JournalEntry], currency: str) -> str:
    """The journal for a person: each entry's memo, then its postings with the debits and
    credits in two columns; at the end the totals, whose debits equal their credits."""
    width = max(
        (display_width(_account(p.account.value, p.party)) for e in entries for p in e.postings),
        default=7,
    )
    amounts = [str(p.amount) for e in entries for p in e.postings]
    debits = sum(e.debits for e in entries)
    credits = sum(e.credits for e in entries)
    column = max((len(a) for a in (*amounts, format_minor(debits, currency))), default=5) + 2
    column = max(column, len("credit") + 2)
    lines = [f"  {pad('account', width + 4)}{'debit':>{column}}{'credit':>{column}}"]
    for entry in entries:
        stamp = entry.at.isoformat(timespec="minutes")
        lines.append(f"{entry.id}  event {entry.event}  {stamp}  {entry.memo}")
        for posting in entry.postings:
            amount = str(posting.amount)
            debit = amount if posting.side is Side.DEBIT else ""
            credit = amount if posting.side is Side.CREDIT else ""
            name = pad(_account(posting.account.value, posting.party), width + 4)
            lines.append(f"  {name}{debit:>{column}}{credit:>{column}}".rstrip())
    total = pad("total", width + 4)
    debit_total, credit_total = format_minor(debits, currency), format_minor(credits, currency)
    lines.append(f"  {total}{debit_total:>{column}}{credit_total:>{column}}")
    verdict = "debits equal credits" if debits == credits else "DEBITS AND CREDITS DIFFER"
    lines += ["", f"{len(entries)} entries; {verdict}"]
    return "\n".join(lines) + "\n"


def _account(name: str, party: str) -> str:
    return f"{name} ({party})" if party else name
