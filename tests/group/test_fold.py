"""The lean Fold: mutable working records inside, the same events and states as the pure path.

A ``Fold`` edits mutable twins of ``Order`` and ``GroupState`` in place and builds the
immutable state only when it is read. These laws pin it to the pure ``decide``/``evolve``
path on random streams, however often (or seldom) its state is read, and whatever state it
starts from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import group_campaigns, intents, run_stream
from tuangou_core.campaign import Campaign
from tuangou_core.group import (
    CampaignState,
    Command,
    Event,
    Fold,
    GroupState,
    Order,
    _state,
    decide,
    evolve,
    initial_state,
    replay,
    run,
    run_steps,
)
from tuangou_core.group._working import WorkingGroup, WorkingOrder, freeze, thaw_group, thaw_order


def _pure(campaign: Campaign, events: list[Event]) -> list[CampaignState]:
    """The state after each event, by evolve alone (index 0: before any)."""
    states = [initial_state(campaign)]
    for event in events:
        states.append(evolve(states[-1], event))
    return states


@given(group_campaigns(), intents())
def test_a_fold_decides_and_applies_random_streams_as_the_pure_path_does(
    campaign: Campaign, steps: Any
) -> None:
    """Every command of a random stream: the Fold's events are decide's, and its state,
    read once at the end, is evolve's."""
    commands, caused = run_stream(campaign, steps)
    state = initial_state(campaign)
    fold = Fold(campaign)
    for command, events in zip(commands, caused, strict=True):
        assert decide(state, command) == events
        assert fold.execute(command) == events
        for event in events:
            state = evolve(state, event)
    assert fold.state == state


@given(group_campaigns(), intents(), st.data())
def test_reading_a_fold_anywhere_gives_the_pure_state_and_never_changes_it(
    campaign: Campaign, steps: Any, data: st.DataObject
) -> None:
    """A Fold read after any events holds evolve's state then; every state it handed out
    still equals evolve's for its prefix once the Fold has absorbed the rest."""
    log = [event for events in run_stream(campaign, steps)[1] for event in events]
    pure = _pure(campaign, log)
    reads = data.draw(st.sets(st.integers(0, len(log))), label="read after n events")
    fold = Fold(campaign)
    handed: list[tuple[int, CampaignState]] = []
    for n, event in enumerate([None, *log]):
        if event is not None:
            fold.apply([event])
        if n in reads:
            handed.append((n, fold.state))
            assert handed[-1][1] == pure[n]
    assert fold.state == pure[-1]
    assert all(state == pure[n] for n, state in handed)


@given(group_campaigns(), intents(), st.data())
def test_a_fold_continues_from_any_state_as_replay_does(
    campaign: Campaign, steps: Any, data: st.DataObject
) -> None:
    """A Fold started from the state after a prefix, given the rest, reaches replay's state;
    the state it started from is left as it was."""
    log = [event for events in run_stream(campaign, steps)[1] for event in events]
    cut = data.draw(st.integers(0, len(log)), label="events before")
    start = replay(campaign, log[:cut])
    again = replay(campaign, log[:cut])
    fold = Fold(start)
    fold.apply(log[cut:])
    assert fold.state == replay(campaign, log)
    assert start == again


@given(group_campaigns(), intents())
def test_a_thawed_record_freezes_back_to_an_equal_value(campaign: Campaign, steps: Any) -> None:
    """Every group (and order) of a random stream's state, made working and frozen again, is
    equal to itself, order for order in the same order, and refuses writes from then on."""
    log = [event for events in run_stream(campaign, steps)[1] for event in events]
    for group in replay(campaign, log).groups.values():
        work = thaw_group(group)
        records: list[WorkingGroup | WorkingOrder] = [work]
        for member, order in list(work.orders.items()):
            work.orders[member] = thaw_order(order)  # type: ignore[arg-type]
            records.append(work.orders[member])  # type: ignore[arg-type]
        freeze(records)
        frozen: object = work
        assert type(frozen) is GroupState
        assert frozen == group
        assert list(work.orders) == list(group.orders)
        assert all(type(o) is Order for o in work.orders.values())
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            work.status = group.status


def test_the_working_records_have_exactly_the_frozen_records_slots() -> None:
    """The twins carry exactly the slots of Order and GroupState and no others (no weak
    reference slot either): what CPython needs to let a twin become its frozen record."""
    order_slots, group_slots = vars(Order)["__slots__"], vars(GroupState)["__slots__"]
    assert WorkingOrder.__slots__ == order_slots == tuple(f.name for f in attrs.fields(Order))
    assert WorkingGroup.__slots__ == group_slots == tuple(f.name for f in attrs.fields(GroupState))


@given(group_campaigns(), intents())
def test_run_steps_yields_runs_steps_one_command_at_a_time(campaign: Campaign, steps: Any) -> None:
    """run_steps gives run's steps and final state, deciding each command only when its step
    is asked for (a statement can read a million steps keeping none)."""
    commands, _caused = run_stream(campaign, steps)
    expected, expected_fold = run(campaign, commands)
    fold = Fold(campaign)
    taken: list[int] = []

    def feed() -> Iterator[Command]:
        for index, command in enumerate(commands):
            taken.append(index)
            yield command

    lazy = run_steps(fold, feed())
    assert taken == []
    got = []
    for step in lazy:
        assert taken[-1] == step.index  # the command of this step is the last one read
        got.append(step)
    assert got == list(expected)
    assert fold.state == expected_fold.state


@given(group_campaigns(), intents())
def test_a_paid_order_for_refunds_is_made_from_its_own_quote(
    campaign: Campaign, steps: Any
) -> None:
    """Each order's paid order is the one made afresh from its quote, whichever orders' were
    made before it (their paid lines are remembered by quote)."""
    log = [event for events in run_stream(campaign, steps)[1] for event in events]
    orders = [o for g in replay(campaign, log).groups.values() for o in g.orders.values()]
    remembered = [order.paid_order() for order in orders + orders[::-1]]
    afresh = []
    for order in orders + orders[::-1]:
        _state._QUOTED_LINES.clear()
        afresh.append(order.paid_order())
    assert remembered == afresh
    for order, paid in zip(orders, afresh, strict=False):
        (line,) = paid.lines
        assert (line.paid, line.due) == (order.settled, order.quote.total)
