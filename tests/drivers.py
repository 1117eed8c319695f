"""Plain drivers of the group decider, shared by the test modules: a campaign like the seed's
milk-tea shop, instants on its clock, and a run that decides and evolves like a backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tuangou_core.campaign import Campaign
from tuangou_core.errors import TuangouError
from tuangou_core.group import (
    Command,
    Event,
    GroupState,
    Join,
    Open,
    Order,
    OrderStatus,
    Pay,
    check_invariants,
    decide,
    evolve,
    initial_state,
    replay,
)
from tuangou_core.money import Money

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI)


def at(minutes: float) -> datetime:
    """The instant *minutes* after 10:00 on 1 March 2026, Shanghai time."""
    return T0 + timedelta(minutes=minutes)


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def campaign(
    coupons: Sequence[Mapping[str, Any]] = (), fees: Mapping[str, Any] | None = None, **keys: Any
) -> Campaign:
    """The seed's milk-tea campaign (5 people at 70.00, list 100.00), with *keys* changed."""
    data: dict[str, Any] = {
        "id": "milk-tea-5",
        "list_price": "100.00",
        "rule": "fixed",
        "size": 5,
        "price": "70.00",
    }
    data.update(keys)
    for key, value in keys.items():
        if value is None:
            del data[key]
    return Campaign.build(data, fees=fees, coupons=coupons)


class Run:
    """A campaign driven through decide/evolve, keeping the log; checks invariants each step."""

    def __init__(self, c: Campaign) -> None:
        self.campaign = c
        self.state = initial_state(c)
        self.log: list[Event] = []

    def do(self, command: Command) -> tuple[Event, ...]:
        events = decide(self.state, command)
        for event in events:
            self.state = evolve(self.state, event)
        self.log.extend(events)
        check_invariants(self.state)
        return events

    def refused(self, command: Command) -> TuangouError:
        """Decide *command*, which must be refused; the state must be exactly as before."""
        before = self.state
        with pytest.raises(TuangouError) as caught:
            decide(self.state, command)
        assert self.state is before
        assert replay(self.campaign, self.log) == before
        return caught.value

    def open(self, group: str, member: str, minutes: float = 0, **keys: Any) -> None:
        self.do(Open(at(minutes), group, member, **keys))

    def join(self, group: str, member: str, minutes: float = 0, **keys: Any) -> None:
        self.do(Join(at(minutes), group, member, **keys))

    def pay(
        self, group: str, member: str, minutes: float = 0, amount: str | None = None, pid: str = ""
    ) -> tuple[Event, ...]:
        due = self.order(group, member).due if amount is None else cny(amount)
        return self.do(Pay(at(minutes), group, member, pid or f"p-{group}-{member}", due))

    def join_and_pay(self, group: str, member: str, minutes: float = 0) -> tuple[Event, ...]:
        self.join(group, member, minutes)
        return self.pay(group, member, minutes)

    def group(self, group: str) -> GroupState:
        return self.state.groups[group]

    def order(self, group: str, member: str) -> Order:
        return self.state.groups[group].orders[member]

    def status(self, group: str, member: str) -> OrderStatus:
        return self.order(group, member).status


def formed_pair(**keys: Any) -> Run:
    """A formed group of two at 70.00: u1 opened and paid, then u2 joined and paid."""
    run = Run(campaign(size=2, **keys))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    run.join_and_pay("g1", "u2", 1)
    return run


MINIMAL_SCENARIO: dict[str, Any] = {
    "schema": 1,
    "campaign": {
        "id": "cli-check",
        "list_price": "32.00",
        "rule": "fixed",
        "size": 2,
        "price": "22.00",
    },
    "events": [
        {"at": "2026-03-06T14:00:00+08:00", "type": "open", "group": "g1", "member": "u1"},
        {
            "at": "2026-03-06T14:01:00+08:00",
            "type": "pay",
            "group": "g1",
            "member": "u1",
            "payment_id": "wx1",
            "amount": "22.00",
        },
    ],
}
"""The smallest valid scenario as JSON: a group of two at 22.00 opened and paid by u1. Copy it
(``json.loads(json.dumps(...))``) before changing it."""
