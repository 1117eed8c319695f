"""The life of a campaign's groups and of every member's order, as a decider.

``decide(state, command) -> events`` says what a command causes, or raises a coded
:class:`~tuangou_core.errors.Rejected` and changes nothing. ``evolve(state, event) -> state``
applies a fact and never fails on an event that ``decide`` produced. ``replay(campaign,
events)`` folds a log. Nothing here reads a clock or draws a random number: every command
carries its ``at``, every draw its ``seed``.

Time passes before every command: first unpaid joins whose payment timeout has come are
cancelled, then open groups whose deadline has come form or fail; only then is the command
itself decided. A backend that never sends a :class:`~tuangou_core.events.Tick` still gets
the right answer.

The state is campaign-wide (stock and per-member limits span groups). It is an immutable
value; :class:`Fold` applies long streams in linear time by letting one private working copy
absorb every event (a transient, in the sense of persistent data structures), which is how
:func:`replay` and the scenario runner stay fast on logs of 100 000 events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tuangou_core._group_evolve import Draft
from tuangou_core._group_rules import check_time, decide_now, elapse
from tuangou_core._group_state import ENDED, CampaignState, GroupState, Order, initial_state
from tuangou_core.campaign import Campaign
from tuangou_core.errors import TuangouError
from tuangou_core.events import (
    Command,
    Event,
    GroupStatus,
    OrderStatus,
)
from tuangou_core.money import Money

# The values live in a private module; they are this module's public names, so they say so
# (for the API reference, reprs and pickles alike).
for _public in (CampaignState, GroupState, Order, initial_state):
    _public.__module__ = __name__

__all__ = [
    "CampaignState",
    "Fold",
    "GroupState",
    "InvariantViolation",
    "Order",
    "check_invariants",
    "decide",
    "evolve",
    "initial_state",
    "replay",
]


class InvariantViolation(TuangouError):
    """A state broke one of the library's invariants: a bug, never a user's mistake."""

    default_code = "invariant_violated"


def decide(state: CampaignState, command: Command) -> tuple[Event, ...]:
    """What *command* causes in *state*: time passing to ``command.at``, then the command.

    Args:
        state: the campaign's current state.
        command: an ``Open``, ``Join``, ``Pay``, ``Cancel``, ``Tick``, ``Draw``, ``Ship``,
            ``Complete`` or ``RequestRefund``.

    Returns:
        The events, in the order to apply them (possibly none: a duplicate payment).

    Raises:
        Rejected: a coded refusal (``group_full``, ``already_member``, ...); nothing changed.
        Conflict: ``payment_conflict``.
        InvalidInput: a malformed command (naive time, time going backwards, bad amount).
    """
    check_time(state, command.at)
    elapsed = elapse(state, command.at)
    after = state
    for event in elapsed:
        after = evolve(after, event)
    return (*elapsed, *decide_now(after, command))


def evolve(state: CampaignState, event: Event) -> CampaignState:
    """The state after *event*; *state* itself is unchanged.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not an event.
    """
    draft = Draft(state)
    draft.apply(event)
    return draft.freeze()


class Fold:
    """Decides and applies a long stream of commands or events in linear time.

    The working copy is private: :attr:`state` hands out an immutable value, after which
    further work copies what it touches again.

    Args:
        campaign: the campaign, or a state to continue from.
    """

    def __init__(self, campaign: Campaign | CampaignState) -> None:
        state = campaign if isinstance(campaign, CampaignState) else initial_state(campaign)
        self._draft = Draft(state)

    @property
    def state(self) -> CampaignState:
        """The state so far, as an immutable value."""
        return self._draft.freeze()

    def apply(self, events: Iterable[Event]) -> None:
        """Apply facts (never fails on events that ``decide`` produced)."""
        for event in events:
            self._draft.apply(event)

    def advance(self, at: datetime) -> tuple[Event, ...]:
        """Let time pass to *at*: expired holds, then expired groups. Returns what it caused.

        Raises:
            InvalidInput: ``naive_datetime`` or ``time_went_backwards``.
        """
        draft = self._draft
        check_time(draft, at)
        elapsed = elapse(draft, at)
        self.apply(elapsed)
        # The clock moves only with events, exactly as on the pure path (decide + evolve):
        # a quiet tick leaves no trace, so both paths refuse the same commands.
        return tuple(elapsed)

    def execute(self, command: Command) -> tuple[Event, ...]:
        """Decide *command* as :func:`decide` would, apply its events, and return them.

        Time passing to ``command.at`` is applied even when the command is then refused.

        Raises:
            Rejected, Conflict, InvalidInput: as :func:`decide`; the command changed nothing.
        """
        elapsed = self.advance(command.at)
        events = decide_now(self._draft, command)
        self.apply(events)
        return (*elapsed, *events)


def replay(campaign: Campaign, events: Iterable[Event]) -> CampaignState:
    """Fold an event log into the state it leads to, in time linear in the log."""
    fold = Fold(campaign)
    fold.apply(events)
    return fold.state


# -- invariants --------------------------------------------------------------------------------


def _expected(order: Order, group: GroupState) -> tuple[Money, Money]:
    """The (net cash, authorised) an order must hold under its current outcome."""
    zero = Money.zero(order.paid.currency)
    if (
        order.status in ENDED
        or order.status is OrderStatus.PENDING_PAYMENT
        or group.status is GroupStatus.FAILED
    ):
        return zero, zero
    if order.authorised.minor:
        # capture_at_close before its group closed: held on the card, nothing captured yet.
        return zero, order.due
    return order.due - order.after_sales, zero


def check_invariants(state: CampaignState) -> None:
    """Check every invariant of *state*; the stateful tests call it after every step.

    Per order: paid − refunded equals the amount due under the current outcome (zero when
    failed, cancelled, lost or unpaid; the due less after-sales refunds otherwise); nothing
    refunded beyond what was paid; an authorisation (``capture_at_close``) equal to the amount
    due while the group is open, and nothing authorised otherwise. Per group: at
    most ``max_size`` slots held, counters equal to the orders. Campaign: stock taken within
    stock, per-member units within the limit, no negative counts.

    Raises:
        InvariantViolation: naming the first invariant broken.
    """
    campaign = state.campaign
    for group in state.groups.values():
        pending = sum(1 for o in group.orders.values() if o.status is OrderStatus.PENDING_PAYMENT)
        paid = sum(1 for o in group.orders.values() if o.status is OrderStatus.AWAITING_GROUP)
        if group.status is GroupStatus.OPEN and (pending, paid) != (group.pending, group.paid):
            _violated(
                f"group {group.id}: counters {group.pending}/{group.paid} but orders say "
                f"{pending}/{paid}"
            )
        if group.status is GroupStatus.OPEN and group.holding > campaign.max_size:
            _violated(f"group {group.id} holds {group.holding} > {campaign.max_size} slots")
        for order in group.orders.values():
            if order.refunded > order.paid:
                _violated(
                    f"{order.group}/{order.member}: refunded {order.refunded} > paid {order.paid}"
                )
            net, authorised = _expected(order, group)
            if (order.net, order.authorised) != (net, authorised):
                _violated(
                    f"{order.group}/{order.member} ({order.status.value}): net {order.net} "
                    f"and {order.authorised} authorised, expected {net} and {authorised}"
                )
    if campaign.stock is not None and not 0 <= state.stock_taken <= campaign.stock:
        _violated(f"stock taken {state.stock_taken} outside 0..{campaign.stock}")
    for member, units in state.units.items():
        if units < 0 or (
            campaign.per_member_limit is not None and units > campaign.per_member_limit
        ):
            _violated(f"{member} holds {units} units")


def _violated(message: str) -> None:
    raise InvariantViolation("invariant_violated", message)
