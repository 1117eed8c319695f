"""The group commands check their fields when built, and the entry points refuse junk.

Every refusal is a coded InvalidInput naming the field; the tables below pin the class, the
code and the field, so a check that goes missing or changes its code fails here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from drivers import Run, at, campaign, cny
from tuangou_core.errors import InvalidInput
from tuangou_core.group import (
    Cancel,
    Complete,
    Draw,
    Fold,
    GroupOpened,
    Join,
    Open,
    Pay,
    RequestRefund,
    Ship,
    Tick,
    check_invariants,
    decide,
    evolve,
    initial_state,
    replay,
    run,
)
from tuangou_core.interchange import from_snapshot
from tuangou_core.money import Money

T = at(0)
LONG = "x" * 129

REFUSED: list[tuple[str, Callable[[], object], str, str]] = [
    ("member=5", lambda: Open(T, "g1", 5), "invalid_member", "member"),
    ("empty member", lambda: Open(T, "g1", ""), "invalid_member", "member"),
    ("blank member", lambda: Join(T, "g1", "   "), "invalid_member", "member"),
    ("long member", lambda: Cancel(T, "g1", LONG), "invalid_member", "member"),
    ("control in member", lambda: Ship(T, "g1", "u\n1"), "invalid_member", "member"),
    ("group=None", lambda: Complete(T, None, "u1"), "invalid_group", "group"),
    ("long group", lambda: Draw(T, LONG, "seed"), "invalid_group", "group"),
    ("empty seed", lambda: Draw(T, "g1", ""), "invalid_seed", "seed"),
    ("seed=7", lambda: Draw(T, "g1", 7), "invalid_seed", "seed"),
    ("seed not UTF-8", lambda: Draw(T, "g1", "\ud800"), "invalid_seed", "seed"),
    ("seed too long", lambda: Draw(T, "g1", "s" * 1001), "invalid_seed", "seed"),
    ("naive at", lambda: Tick(datetime(2026, 3, 1)), "naive_datetime", "at"),
    ("at text", lambda: Tick("2026-03-01T10:00+08:00"), "invalid_datetime", "at"),
    (
        "at in 9999",
        lambda: Open(datetime(9999, 12, 31, tzinfo=UTC), "g", "u"),
        "datetime_out_of_range",
        "at",
    ),
    ("qty=0", lambda: Open(T, "g1", "u1", 0), "invalid_quantity", "qty"),
    ("qty=True", lambda: Join(T, "g1", "u1", True), "invalid_quantity", "qty"),
    ("qty=2.0", lambda: Join(T, "g1", "u1", 2.0), "invalid_quantity", "qty"),
    ("qty past the bound", lambda: Open(T, "g1", "u1", 10**6 + 1), "invalid_quantity", "qty"),
    ("coupons text", lambda: Open(T, "g1", "u1", coupons="c10"), "invalid_coupons", "coupons"),
    ("coupon=1", lambda: Join(T, "g1", "u1", coupons=[1]), "invalid_coupons", "coupons"),
    ("coupon empty", lambda: Join(T, "g1", "u1", coupons=[""]), "invalid_coupons", "coupons"),
    (
        "101 coupons",
        lambda: Join(T, "g1", "u1", coupons=[f"c{i}" for i in range(101)]),
        "invalid_coupons",
        "coupons",
    ),
    ("self-invite", lambda: Join(T, "g1", "u1", inviter="u1"), "invalid_inviter", "inviter"),
    ("inviter=3", lambda: Join(T, "g1", "u1", inviter=3), "invalid_inviter", "inviter"),
    ("amount text", lambda: Pay(T, "g1", "u1", "p1", "70.00"), "invalid_amount", "amount"),
    ("amount zero", lambda: Pay(T, "g1", "u1", "p1", cny("0")), "invalid_amount", "amount"),
    ("amount negative", lambda: Pay(T, "g1", "u1", "p1", cny("-1")), "invalid_amount", "amount"),
    ("payment_id=1", lambda: Pay(T, "g1", "u1", 1, cny("7")), "invalid_payment_id", "payment_id"),
    ("empty tender", lambda: Pay(T, "g1", "u1", "p", cny("7"), ""), "invalid_tender", "tender"),
    (
        "refund of neither",
        lambda: RequestRefund(T, "g1", "u1"),
        "invalid_request",
        "amount",
    ),
    (
        "refund of both",
        lambda: RequestRefund(T, "g1", "u1", cny("1"), 1),
        "invalid_request",
        "amount",
    ),
    (
        "refund negative",
        lambda: RequestRefund(T, "g1", "u1", cny("-1")),
        "invalid_amount",
        "amount",
    ),
    (
        "refund units=-1",
        lambda: RequestRefund(T, "g1", "u1", units=-1),
        "invalid_quantity",
        "units",
    ),
    (
        "refund units=True",
        lambda: RequestRefund(T, "g1", "u1", units=True),
        "invalid_quantity",
        "units",
    ),
    (
        "refund_id empty",
        lambda: RequestRefund(T, "g1", "u1", units=1, refund_id=""),
        "invalid_refund_id",
        "refund_id",
    ),
    (
        "reason=None",
        lambda: RequestRefund(T, "g1", "u1", units=1, reason=None),
        "invalid_request",
        "reason",
    ),
]


@pytest.mark.parametrize(("name", "build", "code", "field"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_malformed_command_is_refused_when_built(
    name: str, build: Callable[[], object], code: str, field: str
) -> None:
    """Each malformed field is a coded InvalidInput naming it, raised by the constructor."""
    with pytest.raises(InvalidInput) as caught:
        build()
    assert (caught.value.code, caught.value.field) == (code, field)
    assert str(caught.value).startswith(field)


def test_coupons_from_a_json_list_are_stored_as_a_tuple() -> None:
    """Join(coupons=[...]) straight from JSON stores a tuple: the command stays hashable."""
    coupons: Any = json.loads('["new10", "tea5"]')
    join = Join(T, "g1", "u2", coupons=coupons)
    assert join.coupons == ("new10", "tea5")
    assert hash(join) == hash(Join(T, "g1", "u2", coupons=("new10", "tea5")))
    assert Open(T, "g1", "u1", coupons=iter(["a"])).coupons == ("a",)


def test_a_well_formed_edge_is_accepted() -> None:
    """A zero refund (refused later, refund_exceeds_paid), 128-character ids and the widest
    quantity are well formed."""
    assert RequestRefund(T, "g1", "u1", cny("0")).amount == Money(0)
    assert RequestRefund(T, "g1", "u1", units=0).units == 0
    assert Open(T, "g" * 128, "u" * 128, 10**6).qty == 10**6
    assert Draw(T, "g1", "s" * 1000).seed == "s" * 1000
    assert Draw(T, "g1", " \t").seed == " \t"  # hashed, never shown: any UTF-8 text


def test_a_zero_refund_is_still_refused_by_the_decider() -> None:
    """The constructor lets a zero refund through; the decider refuses it as before."""
    run = Run(campaign(size=2))
    run.do(Open(at(0), "g1", "u1"))
    run.do(Pay(at(0), "g1", "u1", "p1", cny("70")))
    run.do(Join(at(1), "g1", "u2"))
    run.do(Pay(at(1), "g1", "u2", "p2", cny("70")))
    assert run.refused(RequestRefund(at(2), "g1", "u2", cny("0"))).code == "refund_exceeds_paid"
    assert run.refused(RequestRefund(at(2), "g1", "u2", units=0)).code == "refund_exceeds_paid"


STATE = initial_state(campaign())
OPENED = GroupOpened(T, "g1", "u1", at(60 * 24))

ENTRY_POINTS: list[tuple[str, Callable[[], object], str, str]] = [
    ("decide(None, cmd)", lambda: decide(None, Tick(T)), "invalid_input", "state"),  # type: ignore[arg-type]
    ("decide(state, junk)", lambda: decide(STATE, "junk"), "unknown_command", "command"),  # type: ignore[arg-type]
    ("decide(campaign, cmd)", lambda: decide(campaign(), Tick(T)), "invalid_input", "state"),  # type: ignore[arg-type]
    ("evolve(None, ev)", lambda: evolve(None, OPENED), "invalid_input", "state"),  # type: ignore[arg-type]
    ("replay(junk, [])", lambda: replay("junk", []), "invalid_input", "campaign"),  # type: ignore[arg-type]
    ("replay(c, 5)", lambda: replay(campaign(), 5), "invalid_input", "events"),  # type: ignore[arg-type]
    ("check_invariants(None)", lambda: check_invariants(None), "invalid_input", "state"),  # type: ignore[arg-type]
    ("initial_state(None)", lambda: initial_state(None), "invalid_input", "campaign"),  # type: ignore[arg-type]
    ("Fold(None)", lambda: Fold(None), "invalid_input", "campaign"),  # type: ignore[arg-type]
    ("run(c, [junk])", lambda: run(campaign(), [Tick(T), "x"]), "unknown_command", "command"),  # type: ignore[list-item]
    ("run(c, 5)", lambda: run(campaign(), 5), "invalid_input", "commands"),  # type: ignore[arg-type]
    ("from_snapshot(None, s)", lambda: from_snapshot(None, {}), "invalid_input", "campaign"),  # type: ignore[arg-type]
    (
        "Fold.execute(junk)",
        lambda: Fold(campaign()).execute(None),  # type: ignore[arg-type]
        "unknown_command",
        "command",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "code", "field"), ENTRY_POINTS, ids=[e[0] for e in ENTRY_POINTS]
)
def test_entry_points_refuse_junk_with_a_code(
    name: str, call: Callable[[], object], code: str, field: str
) -> None:
    """decide, evolve, replay, check_invariants, initial_state and Fold refuse junk arguments
    with a coded InvalidInput, never an AttributeError."""
    with pytest.raises(InvalidInput) as caught:
        call()
    assert (caught.value.code, caught.value.field) == (code, field)


def test_an_event_out_of_its_order_is_refused_and_changes_nothing() -> None:
    """A payment for an order never placed, applied to a fresh state, is event_misfit (not a
    KeyError), by evolve and by replay; evolve leaves the state as it was."""
    run_ = Run(campaign(size=2))
    run_.do(Open(at(0), "g1", "u1"))
    paid = run_.do(Pay(at(0), "g1", "u1", "p1", cny("70")))
    calls: list[Callable[[], object]] = [
        lambda: evolve(STATE, paid[-1]),
        lambda: replay(campaign(size=2), list(paid)),
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert (caught.value.code, caught.value.field) == ("event_misfit", "event")
    assert STATE.clock is None and not STATE.groups


def test_evolve_of_junk_leaves_the_state_unchanged() -> None:
    """evolve(state, "junk") is unknown_event, and the state is untouched."""
    with pytest.raises(InvalidInput) as caught:
        evolve(STATE, "junk")  # type: ignore[arg-type]
    assert caught.value.code == "unknown_event"
    assert STATE.clock is None and not STATE.groups
