"""The group decider's refusals, each whole: code, message and fields, and each bound met.

A malformed command is refused when it is built (its fields are the command's to check); what
reaches the decider is refused only by the state: a group taken, closed or full, a member
already in, a limit, the stock, a slot, the seckill's start, a draw or a fulfilment step out of
turn. Every refusal here is decided through ``Run.refused``, which also checks that the state
is exactly as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from drivers import Run, at, campaign, formed_pair
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.group import (
    Cancel,
    Command,
    Complete,
    Draw,
    Fold,
    Join,
    MemberJoined,
    Open,
    Ship,
    decide,
    initial_state,
    run,
)


def code_of(run: Run, make: Callable[[], object]) -> tuple[str, object]:
    with pytest.raises(TuangouError) as caught:
        run.do(make())  # type: ignore[arg-type]
    return caught.value.code, caught.value.fields.get("field")


def opened(**keys: Any) -> Run:
    """A group g1 of 3 (unless *keys* say otherwise) that u1 opened and paid at 10:00."""
    run = Run(campaign(**{"size": 3, **keys}))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    return run


def refusal(run: Run, command: Command) -> str:
    return repr(run.refused(command))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Open(at(0), "", "u1"), ("invalid_group", "group")),
        (lambda: Open(at(0), "g1", ""), ("invalid_member", "member")),
        (lambda: Open(at(0), "g1", None), ("invalid_member", "member")),
    ],
)
def test_an_open_needs_a_group_and_a_member(
    make: Callable[[], object], expected: tuple[str, str]
) -> None:
    """An empty or missing id is refused naming it."""
    assert code_of(Run(campaign(size=3)), make) == expected


def test_a_join_needs_a_member() -> None:
    """Joining with an empty member id: invalid_member."""
    assert code_of(opened(), lambda: Join(at(1), "g1", "")) == ("invalid_member", "member")


def test_an_inviter_is_another_member() -> None:
    """Inviting oneself, or an empty inviter, is invalid_inviter; another member is kept."""
    run = opened()
    assert code_of(run, lambda: Join(at(1), "g1", "u2", inviter="u2")) == (
        "invalid_inviter",
        "inviter",
    )
    assert code_of(run, lambda: Join(at(1), "g1", "u2", inviter="")) == (
        "invalid_inviter",
        "inviter",
    )
    (joined, *_rest) = run.do(Join(at(1), "g1", "u2", inviter="u1"))
    assert isinstance(joined, MemberJoined)
    assert joined.inviter == "u1"


def test_an_object_that_is_not_a_command_is_refused() -> None:
    """decide, a Fold and run all refuse a string as unknown_command (it has no .at to read);
    run stops there, as such an entry has no time to pass to."""
    c = campaign()
    calls: list[Callable[[], object]] = [
        lambda: decide(initial_state(c), "open"),  # type: ignore[arg-type]
        lambda: Fold(c).execute("open"),  # type: ignore[arg-type]
        lambda: run(c, ["open"]),  # type: ignore[list-item]
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert repr(caught.value) == (
            "InvalidInput('unknown_command', 'str is not a command', field='command', value='str')"
        )


def test_a_naive_instant_given_to_a_fold_is_refused_naming_at() -> None:
    """Fold.advance reads a raw instant: one without an offset is naive_datetime for at."""
    with pytest.raises(InvalidInput) as caught:
        Fold(campaign()).advance(at(0).replace(tzinfo=None))
    assert (caught.value.code, caught.value.field) == ("naive_datetime", "at")


# -- opening -----------------------------------------------------------------------------------


def test_an_open_group_id_is_taken() -> None:
    """A second open of g1, by anyone, is group_exists naming g1."""
    run = opened()
    assert refusal(run, Open(at(1), "g1", "u2")) == (
        "Rejected('group_exists', \"group 'g1' is already open\", group='g1')"
    )


def test_a_group_opens_only_inside_a_slot() -> None:
    """With an afternoon-tea slot (14:00–17:00), an open at 10:00 is outside_slot; at 14:00
    the group opens and its deadline is the slot's end (17:00), before the 24-hour window."""
    slots = {"slots": [{"start": "14:00", "end": "17:00", "rule": "FREQ=DAILY"}]}
    run = Run(campaign(calendar=slots))
    assert refusal(run, Open(at(0), "g1", "u1")) == (
        "Rejected('outside_slot', \"groups open only inside the merchant's time slots; "
        "2026-03-01T10:00:00+08:00 is outside them\", group='g1', member='u1')"
    )
    run.open("g1", "u1", 4 * 60)
    assert run.group("g1").deadline == at(7 * 60)


def test_a_seckill_admits_from_its_start_and_not_a_minute_before() -> None:
    """A seckill starting at 10:30 refuses an open at 10:29 (before_start, naming the start)
    and takes one at 10:30 exactly."""
    run = Run(campaign(rule="seckill", size=2, starts_at=at(30)))
    assert refusal(run, Open(at(29), "g1", "u1")) == (
        "Rejected('before_start', 'the seckill starts at 2026-03-01T10:30:00+08:00', "
        "group='g1', member='u1')"
    )
    run.open("g1", "u1", 30)
    assert run.group("g1").opened_at == at(30)


def test_the_per_member_limit_counts_what_the_member_holds_in_every_group() -> None:
    """Limit 3: u1 opens g1 with 2 units, so 2 more in g2 (by open or by join) pass it, naming
    the 2 held; 1 more reaches 3 exactly and is taken. A member holding nothing asking 4 is
    told it holds 0."""
    run = Run(campaign(size=3, per_member_limit=3))
    run.open("g1", "u1", qty=2)
    run.pay("g1", "u1")
    run.open("g2", "u2")
    run.pay("g2", "u2")
    held = "\"'u1' holds 2 units; 2 more passes the limit of 3\""
    assert refusal(run, Open(at(1), "g3", "u1", qty=2)) == (
        f"Rejected('limit_exceeded', {held}, group='g3', member='u1')"
    )
    assert refusal(run, Join(at(1), "g2", "u1", qty=2)) == (
        f"Rejected('limit_exceeded', {held}, group='g2', member='u1')"
    )
    assert refusal(run, Join(at(1), "g2", "u3", qty=4)) == (
        "Rejected('limit_exceeded', \"'u3' holds 0 units; 4 more passes the limit of 3\", "
        "group='g2', member='u3')"
    )
    run.join("g2", "u1", 1)
    assert run.state.units["u1"] == 3


def test_the_stock_says_how_many_units_are_left() -> None:
    """Stock 3, 2 taken by g1's opener: 2 more is out_of_stock (1 left, 2 asked), by open or
    by join; the last unit is taken."""
    run = opened(stock=3)
    run.join("g1", "u2", 1)
    left = "'1 units left, 2 asked'"
    assert refusal(run, Open(at(2), "g2", "u3", qty=2)) == (
        f"Rejected('out_of_stock', {left}, group='g2', member='u3')"
    )
    assert refusal(run, Join(at(2), "g1", "u3", qty=2)) == (
        f"Rejected('out_of_stock', {left}, group='g1', member='u3')"
    )
    run.join("g1", "u3", 2)
    assert run.state.stock_taken == 3


# -- joining -----------------------------------------------------------------------------------


def test_a_formed_group_takes_no_join_and_no_leaving() -> None:
    """Once g1 formed, a join is group_closed naming the group only; leaving is group_closed
    naming the member too."""
    run = formed_pair()
    assert refusal(run, Join(at(2), "g1", "u3")) == (
        "Rejected('group_closed', \"group 'g1' is formed\", group='g1')"
    )
    assert refusal(run, Cancel(at(2), "g1", "u1")) == (
        "Rejected('group_closed', \"group 'g1' is formed; leaving is no longer possible\", "
        "group='g1', member='u1')"
    )


def test_a_full_group_refuses_the_next_join() -> None:
    """Size 2, u1 paid and u2 holding: u3 is group_full (2 of 2 slots)."""
    run = opened(size=2)
    run.join("g1", "u2", 1)
    assert refusal(run, Join(at(2), "g1", "u3")) == (
        "Rejected('group_full', \"group 'g1' holds 2 of 2 slots\", group='g1')"
    )


def test_a_group_takes_joins_once_its_opener_paid() -> None:
    """Before u1 pays, u2's join is opener_unpaid, naming the opener."""
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    assert refusal(run, Join(at(1), "g1", "u2")) == (
        "Rejected('opener_unpaid', \"group 'g1' takes joins once its opener 'u1' has paid\", "
        "group='g1', member='u2')"
    )


def test_a_member_holds_one_order_a_group() -> None:
    """u2 holding an unpaid order joins again: already_member, naming its status."""
    run = opened()
    run.join("g1", "u2", 1)
    assert refusal(run, Join(at(2), "g1", "u2")) == (
        "Rejected('already_member', \"'u2' already has an order in group 'g1' "
        "(pending_payment)\", group='g1', member='u2')"
    )


def test_a_member_of_the_spill_group_is_not_sent_into_it_again() -> None:
    """Size 2, g1 full, c in its spill group g1-2: c joining g1 again is spilled to g1-2 and
    refused there as already_member (not a second order)."""
    run = Run(campaign(size=2, overflow="spill"))
    run.open("g1", "a")
    run.pay("g1", "a")
    run.join("g1", "b", 1)
    run.join("g1", "c", 2)
    run.pay("g1-2", "c", 2)
    assert refusal(run, Join(at(3), "g1", "c")) == (
        "Rejected('already_member', \"'c' already has an order in group 'g1-2' "
        "(awaiting_group)\", group='g1-2', member='c')"
    )


# -- leaving, drawing, fulfilling --------------------------------------------------------------


def test_an_order_leaves_once() -> None:
    """u2 left; leaving again is order_closed, naming the cancelled order."""
    run = opened()
    run.join("g1", "u2", 1)
    run.do(Cancel(at(2), "g1", "u2"))
    assert refusal(run, Cancel(at(3), "g1", "u2")) == (
        "Rejected('order_closed', \"the order of 'u2' is already cancelled\", group='g1', "
        "member='u2')"
    )


def lottery(**keys: Any) -> Run:
    """A formed lottery group g1 of 3 with one winner: u1, u2, u3 paid at 10:00, 10:01, 10:02."""
    run = Run(campaign(rule="lottery", size=3, winners=1, **keys))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for minute, member in ((1, "u2"), (2, "u3")):
        run.join("g1", member, minute)
        run.pay("g1", member, minute)
    return run


def test_each_refusal_of_a_draw() -> None:
    """A draw of a fixed group is not_a_lottery; of an open lottery group group_not_formed; of
    a drawn one already_drawn; with a seed that does not hash to the commitment
    seed_mismatch, naming the committed digest."""
    assert refusal(formed_pair(), Draw(at(2), "g1", "s")) == (
        "Rejected('not_a_lottery', \"group 'g1' is not a lottery group\", group='g1')"
    )
    open_lottery = Run(campaign(rule="lottery", size=3, winners=1))
    open_lottery.open("g1", "u1")
    assert refusal(open_lottery, Draw(at(1), "g1", "s")) == (
        "Rejected('group_not_formed', \"group 'g1' is open; only a formed group is drawn\", "
        "group='g1')"
    )
    drawn = lottery()
    drawn.do(Draw(at(3), "g1", "s"))
    assert refusal(drawn, Draw(at(4), "g1", "s")) == (
        "Rejected('already_drawn', \"group 'g1' was drawn already\", group='g1')"
    )
    digest = hashlib.sha256(b"the-real-seed").hexdigest()
    committed = lottery(seed_sha256=digest)
    assert refusal(committed, Draw(at(3), "g1", "s")) == (
        "Rejected('seed_mismatch', \"the seed of group 'g1' does not hash to the campaign's "
        f"committed seed_sha256 {digest}\", group='g1')"
    )


def test_each_refusal_of_a_fulfilment_step() -> None:
    """An unformed order does not ship (not_shippable); a formed, unshipped one does not
    complete (not_completable); each names the order's status."""
    run = opened()
    assert refusal(run, Ship(at(1), "g1", "u1")) == (
        "Rejected('not_shippable', \"the order of 'u1' is awaiting_group; only an order "
        "awaiting shipment ships\", group='g1', member='u1')"
    )
    assert refusal(formed_pair(), Complete(at(2), "g1", "u1")) == (
        "Rejected('not_completable', \"the order of 'u1' is awaiting_shipment; only a shipped "
        "order completes\", group='g1', member='u1')"
    )
