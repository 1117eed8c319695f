"""The life of a campaign's groups and of every member's order, as a decider.

``decide(state, command) -> events`` says what a command causes, or raises a coded
:class:`~tuangou_core.errors.Rejected` and changes nothing. ``evolve(state, event) -> state``
applies a fact and never fails on an event that ``decide`` produced. ``replay(campaign,
events)`` folds a log. Nothing here reads a clock or draws a random number: every command
carries its ``at``, every draw its ``seed``.

Time passes before every command: first unpaid joins whose payment timeout has come are
cancelled, then open groups whose deadline has come form or fail; only then is the command
itself decided. A backend that never sends a :class:`Tick` still gets
the right answer.

The state is campaign-wide (stock and per-member limits span groups). It is an immutable
value; :class:`Fold` applies long streams in linear time by letting one private working copy
absorb every event (a transient, in the sense of persistent data structures), which is how
:func:`replay` and the scenario runner stay fast on logs of 100 000 events.
"""

from __future__ import annotations

from tuangou_core.group._commands import (
    Cancel,
    Command,
    Complete,
    Draw,
    Join,
    Open,
    Pay,
    RequestRefund,
    Ship,
    Tick,
)
from tuangou_core.group._decider import Fold, decide, evolve, replay
from tuangou_core.group._events import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    GroupStatus,
    LeaderChanged,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderReopened,
    OrderRepriced,
    OrderShipped,
    OrderStatus,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    RefundDue,
    StockReleased,
    StockReserved,
    WinnersDrawn,
)
from tuangou_core.group._invariants import InvariantViolation, check_invariants
from tuangou_core.group._lottery import draw, draw_order, ticket
from tuangou_core.group._projection import (
    EVENT_TYPES,
    Projection,
    amount_in,
    fold_events,
)
from tuangou_core.group._run import ReplayStep, run, run_steps
from tuangou_core.group._state import (
    ORDER_COLUMNS,
    CampaignState,
    GroupState,
    Order,
    Unmatched,
    initial_state,
)
from tuangou_core.refunds import RefundReason

__all__ = [
    "EVENT_TYPES",
    "ORDER_COLUMNS",
    "AuthorisationReleased",
    "CampaignState",
    "Cancel",
    "Command",
    "Complete",
    "Draw",
    "Event",
    "Fold",
    "GroupFailed",
    "GroupFormed",
    "GroupOpened",
    "GroupState",
    "GroupStatus",
    "InvariantViolation",
    "Join",
    "LeaderChanged",
    "MemberJoined",
    "Open",
    "Order",
    "OrderCancelled",
    "OrderCompleted",
    "OrderPaid",
    "OrderReopened",
    "OrderRepriced",
    "OrderShipped",
    "OrderStatus",
    "Pay",
    "PaymentAuthorised",
    "PaymentCaptured",
    "PaymentReceived",
    "PaymentUnmatched",
    "Projection",
    "RefundDue",
    "RefundReason",
    "ReplayStep",
    "RequestRefund",
    "Ship",
    "StockReleased",
    "StockReserved",
    "Tick",
    "Unmatched",
    "WinnersDrawn",
    "amount_in",
    "check_invariants",
    "decide",
    "draw",
    "draw_order",
    "evolve",
    "fold_events",
    "initial_state",
    "replay",
    "run",
    "run_steps",
    "ticket",
]
