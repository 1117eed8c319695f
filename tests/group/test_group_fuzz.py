"""Fuzzing the group decider and the refund planner: junk gets a coded TuangouError, never a
raw one.

Covers every group command's constructor, ``decide``, ``evolve``, ``replay``, ``Fold``,
``run``, ``check_invariants`` and ``initial_state``; ``from_data`` of commands and events;
snapshots; and the refund values and planner (``PaidOrder`` and its parts, the requests, the
policy, ``plan_refund``, ``plan_return``). As in ``tests/test_fuzz.py``, a call may return or
raise a ``TuangouError`` that is not an ``InternalError``; anything else fails. Each test runs
50 cases in the ``ci`` profile and 2 000 in ``deep``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from drivers import at, campaign, cny
from strategies import junk, mutated, or_junk
from tuangou_core.campaign import Funder
from tuangou_core.errors import InternalError, TuangouError
from tuangou_core.group import (
    Cancel,
    Command,
    Complete,
    Draw,
    Event,
    Fold,
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
from tuangou_core.interchange import from_data, from_snapshot, to_data, to_snapshot
from tuangou_core.money import Money
from tuangou_core.refunds import (
    AmountRefund,
    DiscountShare,
    FullRefund,
    PaidLine,
    PaidOrder,
    RefundPolicy,
    RefundReason,
    TenderPaid,
    TierDifference,
    UnitsRefund,
    plan_refund,
    plan_return,
)


def coded(call: Callable[[], object]) -> object:
    """Run *call*: its result, or None after a coded, non-internal TuangouError; anything else
    fails the test."""
    try:
        return call()
    except InternalError:
        raise
    except TuangouError as error:
        assert error.code.family != "InternalError"
        assert isinstance(error, ValueError)
        str(error), repr(error)  # the message and the repr never fail either
        return None


def kwargs_with_junk(valid: dict[str, object]) -> st.SearchStrategy[dict[str, Any]]:
    """*valid* keyword arguments, some of them replaced by junk."""
    return st.fixed_dictionaries({name: or_junk(st.just(value)) for name, value in valid.items()})


CAMPAIGN = campaign(size=3, stock=20, per_member_limit=4)
START = initial_state(CAMPAIGN)


def _script() -> list[Command]:
    # A group that forms (three paid members, one a duplicate payment), one that stays open
    # with an unpaid hold, a shipment, a completion and an after-sales refund.
    commands: list[Command] = [Open(at(0), "g1", "u1", 2), Pay(at(0), "g1", "u1", "p1", cny("140"))]
    for i in (2, 3):
        commands += [Join(at(i), "g1", f"u{i}"), Pay(at(i), "g1", f"u{i}", f"p{i}", cny("70"))]
    commands += [
        Pay(at(4), "g1", "u3", "p3", cny("70")),
        Open(at(5), "g2", "u4", coupons=()),
        Ship(at(6), "g1", "u2"),
        Complete(at(7), "g1", "u2"),
        RequestRefund(at(8), "g1", "u3", cny("5"), refund_id="r1"),
        Tick(at(9)),
    ]
    return commands


SCRIPT = _script()
FOLD = Fold(CAMPAIGN)
LOG: list[Event] = [event for command in SCRIPT for event in FOLD.execute(command)]
STATE = FOLD.state
STATES = [START, STATE, replay(CAMPAIGN, LOG[: len(LOG) // 2])]

_VALID: dict[type, dict[str, object]] = {
    Open: {"at": at(10), "group": "g9", "member": "u9", "qty": 1, "coupons": ()},
    Join: {"at": at(10), "group": "g2", "member": "u8", "qty": 1, "coupons": (), "inviter": "u4"},
    Pay: {
        "at": at(10),
        "group": "g2",
        "member": "u4",
        "payment_id": "p9",
        "amount": cny("70"),
        "tender": "wechat",
    },
    Cancel: {"at": at(10), "group": "g2", "member": "u4"},
    Tick: {"at": at(10)},
    Draw: {"at": at(10), "group": "g1", "seed": "s"},
    Ship: {"at": at(10), "group": "g1", "member": "u3"},
    Complete: {"at": at(10), "group": "g1", "member": "u2"},
    RequestRefund: {
        "at": at(10),
        "group": "g1",
        "member": "u3",
        "amount": cny("1"),
        "units": None,
        "refund_id": None,
        "reason": "after_sales",
    },
}
KINDS = sorted(_VALID, key=lambda kind: kind.__name__)


@st.composite
def junk_commands(draw: st.DrawFn) -> tuple[type, dict[str, Any]]:
    """A command type and its keyword arguments, some of them junk."""
    kind = draw(st.sampled_from(KINDS))
    return kind, draw(kwargs_with_junk(_VALID[kind]))


# -- commands, decide, the fold -----------------------------------------------------------------


@given(command=junk_commands(), state=st.sampled_from(STATES))
def test_command_constructors_refuse_junk(command: tuple[type, dict[str, Any]], state: Any) -> None:
    """Every command built from junk fields is refused with a code naming the field, or
    builds; a command that builds is decided (refused with a code, or causing events) and its
    events apply."""
    kind, kwargs = command
    built = coded(lambda: kind(**kwargs))
    if built is None:
        return
    events = coded(lambda: decide(state, built))  # type: ignore[arg-type]
    if isinstance(events, tuple):
        after = state
        for event in events:
            after = evolve(after, event)
        check_invariants(after)


@given(
    state=or_junk(st.sampled_from(STATES)),
    command=or_junk(st.sampled_from(SCRIPT)),
    other=junk(),
)
def test_decide_and_the_fold_refuse_junk(state: Any, command: Any, other: Any) -> None:
    """decide(None, cmd), decide(state, "junk"), Fold and run with junk: coded errors."""
    coded(lambda: decide(state, command))
    coded(lambda: Fold(state).execute(command))
    coded(lambda: Fold(CAMPAIGN).advance(other))
    coded(lambda: run(CAMPAIGN, [command, other]))
    coded(lambda: run(other, SCRIPT[:2]))


@given(
    state=or_junk(st.sampled_from(STATES)),
    event=or_junk(st.sampled_from(LOG)),
    prefix=st.integers(0, len(LOG)),
    other=junk(),
)
def test_evolve_replay_and_invariants_refuse_junk(
    state: Any, event: Any, prefix: int, other: Any
) -> None:
    """evolve(None, ev), replay("junk"), check_invariants(None), initial_state(None) and a log
    with junk in it: coded errors."""
    coded(lambda: evolve(state, event))
    coded(lambda: replay(other, LOG))
    coded(lambda: replay(CAMPAIGN, other))
    coded(lambda: replay(CAMPAIGN, [*LOG[:prefix], other, *LOG[prefix:]]))
    coded(lambda: check_invariants(other))
    coded(lambda: initial_state(other))
    coded(lambda: Fold(CAMPAIGN).apply(other))


# -- plain data: commands, events, snapshots ----------------------------------------------------


@given(data=st.data(), value=st.sampled_from([*SCRIPT, *LOG]), state=st.sampled_from(STATES))
def test_from_data_of_commands_and_events_refuses_mutated_documents(
    data: st.DataObject, value: Any, state: Any
) -> None:
    """from_data of a mutated command or event: a value or a coded error; a command read
    back is decided with a code or events."""
    document = mutated(to_data(value), data)
    read = coded(lambda: from_data(document))  # type: ignore[arg-type]
    if type(read) in _VALID:
        coded(lambda: decide(state, read))  # type: ignore[arg-type]


@given(data=st.data(), state=st.sampled_from(STATES), later=st.sampled_from(SCRIPT))
def test_snapshots_refuse_mutated_documents(data: st.DataObject, state: Any, later: Any) -> None:
    """from_snapshot of a mutated snapshot, or of junk: a state or a coded error."""
    document = mutated(to_snapshot(state), data)
    coded(lambda: from_snapshot(CAMPAIGN, document))  # type: ignore[arg-type]
    coded(lambda: from_snapshot(data.draw(junk(), label="campaign"), to_snapshot(state)))  # type: ignore[arg-type]
    coded(lambda: to_snapshot(data.draw(junk(), label="state")))  # type: ignore[arg-type]


# -- refunds ------------------------------------------------------------------------------------

LINE = PaidLine(
    "tea", 2, Money(1000), Money(1800), (DiscountShare("c", Funder.PLATFORM, Money(200)),)
)
TENDERS = (TenderPaid("wechat", "p1", Money(1000)), TenderPaid("balance", "b1", Money(800)))
ORDER = PaidOrder("o1", (LINE,), TENDERS, points_used=10, points_earned=18, coupons=("c",))
PLANNED = ORDER.apply(plan_refund(ORDER, UnitsRefund({"tea": 1})))
REQUESTS = [
    FullRefund(),
    UnitsRefund({0: 1}),
    AmountRefund(Money(300)),
    AmountRefund(Money(1), "tea"),
]


@given(
    share=kwargs_with_junk(
        {"name": "c", "funder": Funder.PLATFORM, "amount": Money(1), "points": False}
    ),
    line=kwargs_with_junk(
        {
            "sku": "tea",
            "qty": 2,
            "unit_price": Money(1000),
            "paid": Money(1800),
            "discounts": (),
            "refunded": Money(0),
            "units_returned": 0,
            "unit_refunded": Money(0),
            "due": Money(1800),
        }
    ),
    tender=kwargs_with_junk(
        {"kind": "wechat", "payment_id": "p1", "paid": Money(1800), "refunded": Money(0)}
    ),
    order=kwargs_with_junk(
        {
            "order_id": "o1",
            "lines": (LINE,),
            "tenders": TENDERS,
            "points_used": 0,
            "points_earned": 0,
            "coupons": (),
            "refunds": 0,
            "points_returned": 0,
            "points_clawed_back": 0,
        }
    ),
)
def test_paid_orders_refuse_junk(
    share: dict[str, Any], line: dict[str, Any], tender: dict[str, Any], order: dict[str, Any]
) -> None:
    """DiscountShare, PaidLine, TenderPaid and PaidOrder with junk fields (negative tenders,
    refunded > paid, duplicate payment ids among them): coded; an order that builds plans a
    full refund."""
    coded(lambda: DiscountShare(**share))
    coded(lambda: PaidLine(**line))
    coded(lambda: TenderPaid(**tender))
    built = coded(lambda: PaidOrder(**order))
    if isinstance(built, PaidOrder):
        coded(lambda: plan_refund(built, FullRefund()))
    duplicate = ("balance", tender["payment_id"], Money(800))
    coded(lambda: PaidOrder("o1", (LINE,), (TENDERS[0], TenderPaid(*duplicate))))


@given(
    order=or_junk(st.sampled_from([ORDER, PLANNED])),
    request=or_junk(st.sampled_from(REQUESTS)),
    policy=or_junk(st.sampled_from([None, RefundPolicy(rounding="half_even")])),
    refund_id=or_junk(st.sampled_from([None, "r-1"])),
    args=st.tuples(junk(), junk(), junk()),
)
def test_the_refund_planner_refuses_junk(
    order: Any, request: Any, policy: Any, refund_id: Any, args: tuple[Any, Any, Any]
) -> None:
    """plan_refund(None, ...) and every other junk argument, requests and policies built from
    junk, plan_return and apply with junk: coded errors."""
    coded(lambda: plan_refund(order, request, policy, refund_id=refund_id))
    first, second, third = args
    coded(lambda: plan_refund(ORDER, UnitsRefund(first, second)))
    coded(lambda: plan_refund(ORDER, AmountRefund(first, second, third)))
    coded(lambda: plan_refund(ORDER, FullRefund(first)))
    coded(lambda: plan_refund(ORDER, TierDifference(first, second)))
    coded(lambda: plan_refund(ORDER, FullRefund(), RefundPolicy(first, second, third)))
    coded(lambda: plan_return(first, "g1:u1", TENDERS[0], RefundReason.LATE_PAYMENT))
    coded(lambda: plan_return("r1", second, third, first))
    coded(lambda: ORDER.apply(first))
    coded(lambda: PaidOrder.from_quote("o1", first, second))


@given(data=st.data(), order=st.sampled_from([ORDER, PLANNED]))
def test_orders_from_mutated_documents_are_coded(data: st.DataObject, order: PaidOrder) -> None:
    """A paid order rebuilt from a mutated plain-data form of its fields: coded or an order
    whose refunds plan."""
    fields = {
        "order_id": order.order_id,
        "lines": [
            {
                "sku": line.sku,
                "qty": line.qty,
                "unit_price": line.unit_price,
                "paid": line.paid,
                "refunded": line.refunded,
                "units_returned": line.units_returned,
                "unit_refunded": line.unit_refunded,
                "due": line.due,
            }
            for line in order.lines
        ],
        "tenders": [
            {"kind": t.kind, "payment_id": t.payment_id, "paid": t.paid, "refunded": t.refunded}
            for t in order.tenders
        ],
        "refunds": order.refunds,
    }
    document: Any = mutated(fields, data)

    def rebuild() -> object:
        lines = [_built(PaidLine, line) for line in _entries(_get(document, "lines"))]
        tenders = [_built(TenderPaid, t) for t in _entries(_get(document, "tenders"))]
        return PaidOrder(
            _get(document, "order_id"), lines, tenders, refunds=_get(document, "refunds")
        )

    built = coded(rebuild)
    for request in REQUESTS:
        if isinstance(built, PaidOrder):
            coded(lambda request=request: plan_refund(built, request))  # type: ignore[misc]


def _get(document: object, key: str) -> object:
    # A key the mutation dropped, or a document it replaced, reads as None (junk to refuse).
    return document.get(key) if isinstance(document, dict) else None


def _entries(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else [value]


def _built(kind: type, value: object) -> object:
    """*value* built into *kind* when it is a table of *kind*'s fields (the constructor then
    checks each value), else *value* itself, for the order to refuse."""
    fields = attrs.fields(kind)
    names = {field.name for field in fields}
    required = {field.name for field in fields if field.default is attrs.NOTHING}
    if isinstance(value, dict) and required <= value.keys() <= names:
        return kind(**value)
    return value


def test_late_commands_are_decided_at_the_clock_without_a_raw_error() -> None:
    """A command stamped before the clock is rebuilt at the clock (its converters run again)
    and decided: the re-stamped command passes its own checks."""
    late = Tick(at(9) - timedelta(minutes=5))
    assert decide(STATE, late) == ()
