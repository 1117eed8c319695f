"""Records of a log for a DataFrame: every event, every refund, every journal posting.

Each follows the convention of ``tuangou_core._records``: amounts as ``*_minor`` ints and exact
``Decimal`` s with a ``currency`` column, instants as UTC datetimes, stable snake_case columns
listed in ``*_COLUMNS`` (a record type never changes its columns with its content).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Final

from tuangou_core._records import Records, amount_columns, amount_names, instant
from tuangou_core.errors import InvalidInput
from tuangou_core.group import EVENT_TYPES, Event, RefundDue
from tuangou_core.money import Money
from tuangou_core.refunds import RefundReason
from tuangou_core.settlement import JournalEntry

AT_ONCE: Final = frozenset(
    {
        RefundReason.DUPLICATE_PAYMENT,
        RefundReason.LATE_PAYMENT,
        RefundReason.AMOUNT_MISMATCH,
        RefundReason.UNMATCHED_PAYMENT,
    }
)
"""Refund reasons that send a stray payment straight back: money no order kept, never an
order's refund (the metrics report it apart from GMV and the refund rate)."""

EVENT_COLUMNS: Final = (
    "index",
    "event",
    "occurred_at",
    "effective_at",
    "stamped_at",
    "group",
    "member",
    "role",
    "inviter",
    "payment_id",
    "refund_id",
    "reason",
    "qty",
    "size",
    "virtual",
    "currency",
    *amount_names("amount", "due"),
)
"""The columns of an event record (:func:`event_records`)."""

REFUND_COLUMNS: Final = (
    "index",
    "occurred_at",
    "group",
    "member",
    "refund_id",
    "payment_id",
    "reason",
    "at_once",
    "note",
    "tender",
    "units",
    "points_returned",
    "currency",
    *amount_names("amount"),
)
"""The columns of a refund record (:func:`refund_records`)."""

JOURNAL_RECORD_COLUMNS: Final = (
    "entry",
    "event",
    "line",
    "occurred_at",
    "memo",
    "group",
    "member",
    "account",
    "account_type",
    "party",
    "side",
    "currency",
    *amount_names("debit", "credit"),
)
"""The columns of a journal record (:func:`journal_records`): one per posting. The CSV of
``tuangou journal --csv`` (``JOURNAL_COLUMNS``) is the same journal as text for a
spreadsheet; these are its values typed for a DataFrame."""

_CAMEL: Final = re.compile(r"(?<!^)(?=[A-Z])")
_KIND: Final = {t: _CAMEL.sub("_", t.__name__).lower() for t in EVENT_TYPES}


def _checked(events: Iterable[Event]) -> list[Event]:
    found = list(events)
    for index, event in enumerate(found):
        if type(event) not in _KIND:
            raise InvalidInput(
                "unknown_event",
                f"event {index} is not an event of the group decider: {type(event).__name__}",
                index=index,
            )
    return found


def _value(event: Event, name: str) -> Any:
    value = getattr(event, name, None)
    return getattr(value, "value", value)  # an enum's text


def event_records(events: Iterable[Event]) -> Records:
    """One record per event (:data:`EVENT_COLUMNS`), in log order.

    ``event`` is the type in snake_case (``member_joined``); ``occurred_at`` the event's
    ``at``; ``effective_at`` the instant time passing took effect (``due`` of a formed or
    failed group), else None; ``amount`` the money the event moved (cash, an authorisation,
    a refund), ``due`` the amount due of a quote it carries (a join, a repricing); ``qty``
    the units it names (joined, reserved, released, returned). A field the event does not
    have is None.

    Raises:
        InvalidInput: ``unknown_event`` for an item that is not an event.
    """
    records = Records(EVENT_COLUMNS)
    for index, event in enumerate(_checked(events)):
        amount = getattr(event, "amount", None)
        quote = getattr(event, "quote", None)
        due = None if quote is None else quote.total
        money = amount if amount is not None else due
        qty = getattr(event, "qty", None)
        if qty is None:
            qty = getattr(event, "units", None)
        records.append(
            {
                "index": index,
                "event": _KIND[type(event)],
                "occurred_at": instant(event.at),
                "effective_at": instant(getattr(event, "due", None)),
                "stamped_at": instant(event.stamped_at),
                "group": event.group if hasattr(event, "group") else None,
                "member": _value(event, "member"),
                "role": _value(event, "role"),
                "inviter": _value(event, "inviter"),
                "payment_id": _value(event, "payment_id"),
                "refund_id": _value(event, "refund_id"),
                "reason": _value(event, "reason"),
                "qty": qty,
                "size": _value(event, "size"),
                "virtual": _value(event, "virtual"),
                "currency": None if money is None else money.currency,
                **amount_columns("amount", amount),
                **amount_columns("due", due),
            }
        )
    return records


def refund_records(events: Iterable[Event]) -> Records:
    """One record per refund (:data:`REFUND_COLUMNS`), in log order; ``index`` is the
    :class:`~tuangou_core.group.RefundDue` event's place in the log and ``at_once`` is True for
    a stray payment sent straight back (:data:`AT_ONCE`).

    Raises:
        InvalidInput: ``unknown_event`` for an item that is not an event.
    """
    records = Records(REFUND_COLUMNS)
    for index, event in enumerate(_checked(events)):
        if isinstance(event, RefundDue):
            records.append(
                {
                    "index": index,
                    "occurred_at": instant(event.at),
                    "group": event.group,
                    "member": event.member,
                    "refund_id": event.refund_id,
                    "payment_id": event.payment_id,
                    "reason": event.reason.value,
                    "at_once": event.reason in AT_ONCE,
                    "note": event.note,
                    "tender": event.tender,
                    "units": event.units,
                    "points_returned": event.points_returned,
                    "currency": event.amount.currency,
                    **amount_columns("amount", event.amount),
                }
            )
    return records


def journal_records(entries: Sequence[JournalEntry]) -> Records:
    """One record per posting of *entries* (:data:`JOURNAL_RECORD_COLUMNS`), in entry order.

    ``debit`` and ``credit`` are the posting's two sides, one of them zero, so an entry's
    debits equal its credits in the frame too; ``side`` says which (``debit``/``credit``),
    ``account_type`` the account's kind; ``event`` is the index of the event that booked it
    and ``line`` the posting's place in its entry.

    Raises:
        InvalidInput: ``invalid_entry`` for an item that is not a journal entry.
    """
    records = Records(JOURNAL_RECORD_COLUMNS)
    for number, entry in enumerate(entries):
        if not isinstance(entry, JournalEntry):
            raise InvalidInput(
                "invalid_entry",
                f"entries[{number}] is not a JournalEntry: {type(entry).__name__}",
                index=number,
            )
        for line, posting in enumerate(entry.postings):
            currency = posting.amount.currency
            records.append(
                {
                    "entry": entry.id,
                    "event": entry.event,
                    "line": line,
                    "occurred_at": instant(entry.at),
                    "memo": entry.memo,
                    "group": entry.group,
                    "member": entry.member,
                    "account": posting.account.value,
                    "account_type": posting.account.type.value,
                    "party": posting.party,
                    "side": posting.side.value,
                    "currency": currency,
                    **amount_columns("debit", Money(posting.debit, currency)),
                    **amount_columns("credit", Money(posting.credit, currency)),
                }
            )
    return records
