"""Projections: the folds that read the event log into something else.

The decider's evolve, the ledger, the auditor, the metric facts and the rewards each fold the
same union of events. Each declares its :class:`Projection` once, at import: a handler for
every event type, the types it has nothing to do with named as ignored. A table that leaves a
type undecided is refused there and then, so a new event type can never slip silently past a
fold; an object that is not an event is refused with one coded error, the same from every
fold; and an amount in another currency is refused by :func:`amount_in`, the same way.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Generic, TypeVar

from tuangou_core.errors import InternalError, InvalidInput
from tuangou_core.group._events import Event
from tuangou_core.money import Money

EVENT_TYPES: Final[tuple[type, ...]] = typing.get_args(Event)
"""Every event type, in the order of the :data:`Event` union."""

_H = TypeVar("_H", bound=Callable[..., None])
_S = TypeVar("_S")


def _ignore(*_args: object) -> None:
    return None


class Projection(Generic[_H]):
    """How one fold reads the log: one handler per event type, every type decided.

    Args:
        name: what the fold is, for messages (``"the ledger"``).
        handlers: the handler of each event type the fold reads.
        ignore: the event types the fold has nothing to do with.

    Raises:
        InternalError: ``projection_incomplete`` when a type is neither handled nor ignored,
            or a key is not an event type (a bug, found at import).
    """

    __slots__ = ("name", "table")

    def __init__(
        self, name: str, handlers: Mapping[type, _H], *, ignore: Iterable[type] = ()
    ) -> None:
        table: dict[type, Any] = dict(handlers)
        for kind in ignore:
            table.setdefault(kind, _ignore)
        missing = [kind.__name__ for kind in EVENT_TYPES if kind not in table]
        foreign = [getattr(k, "__name__", repr(k)) for k in table if k not in EVENT_TYPES]
        if missing or foreign:
            raise InternalError(
                "projection_incomplete",
                f"{name} decides nothing for {', '.join(missing) or '-'} and handles non-events "
                f"{', '.join(foreign) or '-'}",
            )
        self.name = name
        self.table: Mapping[type, _H] = table

    def refuse(self, event: object, index: int | None = None) -> InvalidInput:
        """The error for *event*, which is not an event this projection knows."""
        kind = type(event).__name__
        where = "the event" if index is None else f"events[{index}]"
        return InvalidInput(
            "unknown_event",
            f"{where} is a {kind}, not an event {self.name} knows",
            field="event" if index is None else f"events[{index}]",
            value=kind,
        )

    def handler(self, event: object, index: int | None = None) -> _H:
        """The handler of *event*'s type.

        Raises:
            InvalidInput: ``unknown_event`` for an object that is not an event.
        """
        found = self.table.get(type(event))
        if found is None:
            raise self.refuse(event, index)
        return found


def fold_events(
    projection: Projection[Callable[[_S, Any, int], None]], state: _S, events: Iterable[object]
) -> _S:
    """Feed *events* to *projection*'s handlers as ``handler(state, event, index)``.

    Returns:
        *state*, which the handlers edited.

    Raises:
        InvalidInput: ``unknown_event`` naming the index of an object that is not an event.
    """
    table = projection.table
    for index, event in enumerate(events):
        handler = table.get(type(event))
        if handler is None:
            raise projection.refuse(event, index)
        handler(state, event, index)
    return state


def amount_in(amount: object, currency: str, index: int, reader: str) -> int:
    """The minor units of an event's *amount*, which must be in *currency*.

    Args:
        amount: the event's amount.
        currency: the currency of the fold.
        index: the event's index in the log.
        reader: what reads it, for the message (``"the ledger"``).

    Raises:
        InvalidInput: ``currency_mismatch`` naming ``events[index].amount``.
    """
    if isinstance(amount, Money) and amount.currency == currency:
        return amount.minor
    raise InvalidInput(
        "currency_mismatch",
        f"events[{index}] moves {amount!r}; {reader} is in {currency}",
        field=f"events[{index}].amount",
        value=repr(amount),
    )
