"""The audit trail (留痕可查): each command with the events it caused and the money each moved.

Each event carries its index in the event log, the number the journal's entries name
(``tuangou journal``: entry ``5.1`` is the first entry booked for event 5).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from tuangou_core.group import (
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
    ReplayStep,
)
from tuangou_core.money import Money
from tuangou_core.refunds import DiscountShare


def _money_moved(event: object) -> str:
    if isinstance(event, PaymentReceived | PaymentCaptured):
        return f"cash in  +{event.amount}"
    if isinstance(event, PaymentUnmatched) and not event.authorised:
        return f"cash in  +{event.amount}"
    if isinstance(event, RefundDue):
        return f"cash out -{event.amount}"
    return ""


def _item(value: object) -> str:
    if isinstance(value, DiscountShare):
        return f"{value.name}:{value.amount}({value.funder.value})"
    return str(value)


def _describe(event: Any) -> str:
    name = type(event).__name__
    fields = []
    for field in attrs.fields(type(event)):
        if field.name in ("at", "group", "quote"):
            continue
        value = getattr(event, field.name)
        if value is None or value in ((), ""):
            continue
        if hasattr(value, "value") and not isinstance(value, Money):
            value = value.value
        if isinstance(value, tuple):
            value = ",".join(_item(item) for item in value)
        if hasattr(value, "isoformat"):
            value = value.isoformat(timespec="minutes")
        fields.append(f"{field.name}={value}")
    quote = getattr(event, "quote", None)
    if quote is not None:
        fields.append(f"due={quote.total}")
    return f"{name} {event.group if hasattr(event, 'group') else ''} {' '.join(fields)}".replace(
        "  ", " "
    )


def explain(steps: Sequence[ReplayStep]) -> str:
    """Each scenario event with the events it caused and the money each moved."""
    out: list[str] = []
    index = 0  # the event's place in the log, as the journal numbers it
    for step in steps:
        command = step.command
        what = type(command).__name__.lower()
        who = " ".join(str(getattr(command, k)) for k in ("group", "member") if hasattr(command, k))
        out.append(
            f"#{step.index} {command.at.isoformat(timespec='minutes')} {what} {who}".rstrip()
        )
        for event in step.events:
            moved = _money_moved(event)
            line = f"    -> {index:>3} {_describe(event)}" + (f"   [{moved}]" if moved else "")
            out.append(line)
            index += 1
            quote = getattr(event, "quote", None)
            if quote is not None:
                out.extend("       " + line for line in quote.explain().splitlines())
        if step.rejected is not None:
            out.append(f"    refused: {step.rejected.code}: {step.rejected.message}")
    return "\n".join(out) + "\n"
