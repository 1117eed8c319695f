"""A generated day of group buying, for the analyst's notebook and its test.

:func:`arrivals` draws, from a seed, who opens a group when and who comes to join it through
whose share; :func:`commands` turns those arrivals into the commands one campaign would get
(each payment of the amount that campaign asks), so two rule variants replay the very same
customers. Nothing here reads a clock or the network: the same seed gives the same day.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from tuangou_core.campaign import Campaign
from tuangou_core.group import Command, Fold, Join, Open, Pay, ReplayStep, Tick, run
from tuangou_core.money import Money

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 3, 6, 10, 0, tzinfo=SHANGHAI)


@attrs.frozen
class Arrival:
    """Someone arriving at a group: the opener (``inviter`` None, ``role`` "opener") or a
    joiner brought by *inviter*'s share; *pays* says whether they pay within the hold."""

    at: datetime
    group: str
    member: str
    role: str
    inviter: str | None
    pays: bool


def arrivals(seed: int = 16, groups: int = 300) -> tuple[Arrival, ...]:
    """A day of *groups* openings from 10:00 to 22:00 and the joiners their shares bring.

    Each opening brings 0–6 would-be joiners, arriving on average 4 h apart (some after any
    deadline); each is invited by the opener or by an earlier joiner; 85% of them pay.
    """
    rng = random.Random(seed)
    found: list[Arrival] = []
    for g in range(groups):
        group = f"g{g:04d}"
        opened = DAY + timedelta(minutes=rng.randrange(0, 12 * 60))
        opener = f"u{g:04d}-0"
        found.append(Arrival(opened, group, opener, "opener", None, True))
        members = [opener]
        at = opened
        for j in range(1, 1 + rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 6))):
            at += timedelta(minutes=1 + int(rng.expovariate(1 / 240)))
            member = f"u{g:04d}-{j}"
            found.append(
                Arrival(at, group, member, "joiner", rng.choice(members), rng.random() < 0.85)
            )
            members.append(member)
    return tuple(sorted(found, key=lambda a: (a.at, a.group, a.member)))


def commands(campaign: Campaign, day: tuple[Arrival, ...], due: Money) -> tuple[Command, ...]:
    """The commands *campaign* gets from *day*: each opening or join, then its payment of
    *due* a minute later when the arrival pays; a last tick two days on closes every group."""
    out: list[tuple[datetime, int, Command]] = []
    for n, arrival in enumerate(day):
        if arrival.role == "opener":
            out.append((arrival.at, n, Open(arrival.at, arrival.group, arrival.member)))
        else:
            join = Join(arrival.at, arrival.group, arrival.member, inviter=arrival.inviter)
            out.append((arrival.at, n, join))
        if arrival.pays:
            paid = arrival.at + timedelta(minutes=1)
            pay = Pay(paid, arrival.group, arrival.member, f"wx-{arrival.member}", due)
            out.append((paid, n, pay))
    out.sort(key=lambda item: (item[0], item[1]))
    end = DAY + timedelta(days=2)
    return (*(command for _at, _n, command in out), Tick(end))


def replay(
    campaign: Campaign, day: tuple[Arrival, ...], due: Money
) -> tuple[tuple[ReplayStep, ...], Fold]:
    """Run *day* against *campaign* as its customers would: someone whose join is refused
    (the group already formed or closed) does not pay. The refusal of a join depends on
    nothing a refused member does later, so dropping their payments and running again is
    exact."""
    first = commands(campaign, day, due)
    steps, _fold = run(campaign, first)
    refused = {
        (s.command.group, s.command.member)
        for s in steps
        if s.rejected is not None and isinstance(s.command, Join | Open)
    }
    kept = [c for c in first if not (isinstance(c, Pay) and (c.group, c.member) in refused)]
    return run(campaign, kept)
