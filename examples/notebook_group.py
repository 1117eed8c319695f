"""A group's life as a decider: decide(state, command) -> events, evolve(state, event) -> state,
and replay(campaign, events) to fold a stored log.

Run it with ``.venv/bin/python examples/notebook_group.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tuangou_core.campaign import Campaign
from tuangou_core.errors import Rejected
from tuangou_core.group import (
    CampaignState,
    Command,
    Event,
    Join,
    Open,
    Pay,
    Tick,
    decide,
    evolve,
    initial_state,
    replay,
)
from tuangou_core.money import Money

SHANGHAI = ZoneInfo("Asia/Shanghai")
start = datetime(2026, 3, 6, 14, 0, tzinfo=SHANGHAI)


def at(minutes: int) -> datetime:
    """*minutes* after 14:00 on 2026-03-06, Shanghai time."""
    return start + timedelta(minutes=minutes)


campaign = Campaign.build(
    {
        "id": "sh-naicha-2026-03",
        "list_price": "32.00",
        "rule": "fixed",
        "size": 3,
        "price": "22.00",
        "window": "PT2H",
    }
)
tea = Money.parse("22.00")

commands: list[Command] = [
    Open(at(0), "g-a", "u-1001"),
    Pay(at(1), "g-a", "u-1001", "wx-1", tea),
    Join(at(5), "g-a", "u-1002"),
    Pay(at(6), "g-a", "u-1002", "wx-2", tea),
    Pay(at(7), "g-a", "u-1002", "wx-2", tea),  # the same callback twice: no new events
    Join(at(9), "g-a", "u-1002"),  # refused: already_member
    Join(at(20), "g-a", "u-1003"),
    Pay(at(22), "g-a", "u-1003", "wx-3", tea),  # the third payment forms the group
    Open(at(30), "g-b", "u-1004"),
    Pay(at(31), "g-b", "u-1004", "wx-4", tea),
    Tick(at(150)),  # g-b's deadline (16:30) has passed: it fails and refunds
]

state: CampaignState = initial_state(campaign)
log: list[Event] = []
for command in commands:
    try:
        events = decide(state, command)
    except Rejected as refusal:
        print(f"{type(command).__name__:<5} refused: {refusal.code}")
        continue
    names = ", ".join(type(event).__name__ for event in events) or "(nothing new)"
    print(f"{type(command).__name__:<5} -> {names}")
    for event in events:
        state = evolve(state, event)
    log.extend(events)

print()
for group in state.groups.values():
    print(f"{group.id}: {group.status.value}, {group.members} members, unit {group.unit_price}")
for order in state.orders():
    print(f"  {order.group} {order.member}: {order.status.value}, net {order.net}")

# A stored log folds back into the same state.
again = replay(campaign, log)
print()
print("replay gives the same state:", again == state)
