"""Allocation: dividing an amount by weights so that the parts always sum to the whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from math import lcm
from typing import Any, Final

from tuangou_core.errors import InvalidInput
from tuangou_core.money._amount import MAX_MINOR, Money
from tuangou_core.money._rate import to_fraction

MAX_WEIGHTS: Final = 100_000
"""The most weights one allocation (or parts one split) may have: more than any order has lines,
tenders or members (a group holds at most 100 000), few enough to stay fast."""


def _integer_weights(weights: object) -> list[int]:
    if type(weights) is list or type(weights) is tuple:
        pass  # the everyday case, checked without the abstract classes below
    elif isinstance(weights, str | bytes | Mapping) or not isinstance(weights, Iterable):
        raise InvalidInput(
            "invalid_weights",
            f"weights must be a sequence of numbers, got {type(weights).__name__}",
            field="weights",
            value=type(weights).__name__,
        )
    items: list[Any]
    if isinstance(weights, list | tuple) and len(weights) <= MAX_WEIGHTS:
        items = list(weights)
    else:
        items = list(islice(weights, MAX_WEIGHTS + 1))
    if len(items) > MAX_WEIGHTS:
        raise InvalidInput(
            "invalid_weights",
            f"cannot allocate over more than {MAX_WEIGHTS} weights",
            field="weights",
            value=MAX_WEIGHTS + 1,
        )
    if not items:
        raise InvalidInput(
            "invalid_weights", "cannot allocate over no weights", field="weights", value=0
        )
    if all(type(w) is int for w in items):
        integers: list[int] = items
    else:
        fractions = [to_fraction(w, f"weights[{i}]") for i, w in enumerate(items)]
        scale = lcm(*(f.denominator for f in fractions))
        integers = [int(f * scale) for f in fractions]
    for index, weight in enumerate(integers):
        if weight < 0:
            raise InvalidInput(
                "invalid_weights",
                f"weights[{index}] is negative ({items[index]})",
                field=f"weights[{index}]",
                value=str(items[index]),
            )
    if not any(integers):
        raise InvalidInput(
            "invalid_weights",
            "cannot allocate over weights that are all zero",
            field="weights",
            value=len(integers),
        )
    return integers


def allocate(total: Money, weights: Sequence[int | Decimal | Fraction]) -> tuple[Money, ...]:
    """Divide *total* in proportion to *weights*, losing no minor unit.

    Largest remainder: each part first gets the floor of its exact share (of the absolute
    amount), then the leftover units go one each to the parts with the largest remainders,
    ties to the earlier position. A negative total is allocated as its absolute value and
    negated, so ``allocate(-x, w) == -allocate(x, w)`` part by part.

    Args:
        total: the amount to divide.
        weights: non-negative ``int``, ``Decimal`` or ``Fraction`` weights, not all zero.

    Returns:
        One part per weight, summing exactly to *total*; each within one minor unit of its
        exact share; a zero weight gets zero.

    Raises:
        InvalidInput: ``not_money``; ``invalid_weights`` (empty, negative, all zero, more
            than :data:`MAX_WEIGHTS`), ``float_refused``, ``invalid_rate`` (a weight that is
            not a number).
    """
    if not isinstance(total, Money):
        raise InvalidInput(
            "not_money",
            f"allocate needs a Money total, got {type(total).__name__}",
            field="total",
            value=type(total).__name__,
        )
    integers = _integer_weights(weights)
    currency = total.currency
    return tuple(
        Money._trusted(part, currency) for part in _checked_remainder(total.minor, integers)
    )


def allocate_minor(amount: int, weights: Sequence[int]) -> list[int]:
    """Divide *amount* minor units in proportion to int *weights*: the rule behind
    :func:`allocate`, on plain integers.

    Largest remainder: each part first gets the floor of its exact share of ``abs(amount)``,
    then the leftover units go one each to the parts with the largest remainders, ties to the
    earlier position; a negative amount is divided as its absolute value and each part negated.

    Args:
        amount: the minor units to divide, an ``int`` within ±``MAX_MINOR``.
        weights: non-negative ints, not all zero, at most :data:`MAX_WEIGHTS` of them.

    Returns:
        One part per weight, summing exactly to *amount*.

    Raises:
        InvalidInput: ``invalid_weights`` (not ints, empty, negative, all zero, too many),
            ``invalid_amount`` or ``amount_out_of_range`` for the amount.
    """
    if type(amount) is not int or not -MAX_MINOR <= amount <= MAX_MINOR:
        Money(amount)  # raises the amount's own error
    if type(weights) is list and len(weights) <= MAX_WEIGHTS:
        # The everyday case (a list of non-negative ints, not all zero) is checked weight by
        # weight inside the rule's own loop: one pass, no generator.
        parts = _largest_remainder(amount, weights)
        if parts is not None:
            return parts
    return _checked_remainder(amount, _checked_ints(weights))  # refused, or ints after all


def _checked_remainder(amount: int, weights: list[int]) -> list[int]:
    parts = _largest_remainder(amount, weights)
    assert parts is not None, "checked weights"
    return parts


def _largest_remainder(amount: int, weights: list[int]) -> list[int] | None:
    # The rule itself: allocate and allocate_minor both end here. None, before anything is
    # divided, when a weight is not a non-negative int or they sum to nothing: the caller
    # then checks them one by one and refuses them by name.
    try:
        whole = sum(weights)
    except Exception:  # a weight that cannot be summed (text, a signalling NaN, anything)
        return None
    if type(whole) is not int or whole <= 0:
        return None
    size = abs(amount)
    parts: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        if type(weight) is not int or weight < 0:
            return None
        share, remainder = divmod(size * weight, whole)
        parts.append(share)
        remainders.append(remainder)
    leftover = size - sum(parts)
    if leftover:
        # A stable sort keeps equal remainders in position order, also when reversed.
        by_remainder = sorted(range(len(parts)), key=remainders.__getitem__, reverse=True)
        for index in by_remainder[:leftover]:
            parts[index] += 1
    return parts if amount >= 0 else [-part for part in parts]


def _checked_ints(weights: object) -> list[int]:
    integers = _integer_weights(weights)
    if integers != list(weights):  # type: ignore[call-overload]
        raise InvalidInput(
            "invalid_weights",
            "allocate_minor weights must be ints; use allocate for Decimal or Fraction weights",
            field="weights",
            value=type(weights).__name__,
        )
    return integers


def split(total: Money, n: int) -> tuple[Money, ...]:
    """Divide *total* into *n* parts as equal as can be, the larger ones first.

    Raises:
        InvalidInput: ``invalid_weights`` when *n* is not an int from 1 to
            :data:`MAX_WEIGHTS`.
    """
    if type(n) is not int or not 1 <= n <= MAX_WEIGHTS:
        raise InvalidInput(
            "invalid_weights",
            f"split needs a whole number of parts from 1 to {MAX_WEIGHTS}, got {n!r}",
            field="n",
            value=n if type(n) is int else type(n).__name__,
        )
    return allocate(total, [1] * n)
