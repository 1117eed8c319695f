"""The audit trail (留痕可查): each command with the events it caused and the money each moved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from tuangou_core.group import PaymentCaptured, PaymentReceived, RefundDue, ReplayStep
from tuangou_core.money import Money


def _money_moved(event: object) -> str:
    if isinstance(event, PaymentReceived | PaymentCaptured):
        return f"cash in  +{event.amount}"
    if isinstance(event, RefundDue):
        return f"cash out -{event.amount}"
    return ""


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
            value = ",".join(value)
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
    for step in steps:
        command = step.command
        what = type(command).__name__.lower()
        who = " ".join(str(getattr(command, k)) for k in ("group", "member") if hasattr(command, k))
        out.append(
            f"#{step.index} {command.at.isoformat(timespec='minutes')} {what} {who}".rstrip()
        )
        for event in step.events:
            moved = _money_moved(event)
            out.append(f"    -> {_describe(event)}" + (f"   [{moved}]" if moved else ""))
            quote = getattr(event, "quote", None)
            if quote is not None:
                out.extend("       " + line for line in quote.explain().splitlines())
        if step.rejected is not None:
            out.append(f"    refused: {step.rejected.code}: {step.rejected.message}")
    return "\n".join(out) + "\n"
