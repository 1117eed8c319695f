"""The statement after valid events: totals past one amount's bound are carried exactly."""

from __future__ import annotations

import json
from typing import Any

from tuangou_core.interchange import parse, settle

HUGE = "6000000000000.00"
LIST = "9000000000000.00"


def _two_huge_payments() -> dict[str, Any]:
    def pay(member: str, minute: int) -> dict[str, Any]:
        return {
            "at": f"2026-03-06T14:0{minute}:00+08:00",
            "type": "pay",
            "group": "g1",
            "member": member,
            "payment_id": f"wx-{member}",
            "amount": HUGE,
        }

    events: list[dict[str, Any]] = [
        {"at": "2026-03-06T14:00:00+08:00", "type": "open", "group": "g1", "member": "u1"},
        pay("u1", 1),
        {"at": "2026-03-06T14:02:00+08:00", "type": "join", "group": "g1", "member": "u2"},
        pay("u2", 3),
    ]
    campaign = {"id": "huge", "list_price": LIST, "rule": "fixed", "size": 2, "price": HUGE}
    return {"schema": 1, "campaign": campaign, "events": events}


def test_totals_past_one_amounts_bound_are_carried_exactly() -> None:
    """Two payments of 6 000 000 000 000.00 settle; the totals read 12 000 000 000 000.00."""
    statement = settle(parse(_two_huge_payments()))
    data = json.loads(json.dumps(statement.to_data()))
    assert data["totals"]["paid"] == "12000000000000.00"
    assert data["ledger"]["balanced"] is True and data["ledger"]["audited"] is True
    assert data["totals"]["net"] == "12000000000000.00"
    assert [group["status"] for group in data["groups"]] == ["formed"]
    assert "12000000000000.00" in statement.text()
