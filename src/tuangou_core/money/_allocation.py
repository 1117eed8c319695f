"""Allocation: dividing an amount by weights so that the parts always sum to the whole."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Final

from tuangou_core.errors import InvalidInput
from tuangou_core.money._amount import Money
from tuangou_core.money._rate import to_fraction


def _integer_weights(weights: Sequence[int | Decimal | Fraction]) -> list[int]:
    if isinstance(weights, str | bytes) or not isinstance(weights, Sequence | Iterable):
        raise InvalidInput(
            "invalid_weights", "weights must be a sequence of numbers", value=weights
        )
    items = list(weights)
    if not items:
        raise InvalidInput("invalid_weights", "cannot allocate over no weights", value=items)
    if all(type(w) is int for w in items):
        integers: list[int] = items  # type: ignore[assignment]
    else:
        fractions = [to_fraction(w, "weight") for w in items]
        scale = lcm(*(f.denominator for f in fractions))
        integers = [int(f * scale) for f in fractions]
    for index, weight in enumerate(integers):
        if weight < 0:
            raise InvalidInput(
                "invalid_weights",
                f"weight {index} is negative ({items[index]})",
                field=f"weights[{index}]",
                value=items[index],
            )
    if not any(integers):
        raise InvalidInput(
            "invalid_weights", "cannot allocate over weights that are all zero", value=items
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
        InvalidInput: ``invalid_weights`` (empty, negative, all zero), ``float_refused``.
    """
    if not isinstance(total, Money):
        raise InvalidInput("not_money", "allocate needs a Money total", value=total)
    integers = _integer_weights(weights)
    currency = total.currency
    return tuple(Money._trusted(part, currency) for part in allocate_minor(total.minor, integers))


def allocate_minor(amount: int, weights: Sequence[int]) -> list[int]:
    """Divide *amount* minor units in proportion to int *weights*: the rule behind
    :func:`allocate`, on plain integers.

    Largest remainder: each part first gets the floor of its exact share of ``abs(amount)``,
    then the leftover units go one each to the parts with the largest remainders, ties to the
    earlier position; a negative amount is divided as its absolute value and each part negated.

    Nothing is checked here: the caller vouches for the weights (``int``, non-negative, not all
    zero). :func:`allocate` checks them first; the pricing engine spreads over amounts it holds.

    Args:
        amount: the minor units to divide.
        weights: non-negative ints, not all zero.

    Returns:
        One part per weight, summing exactly to *amount*.
    """
    whole = sum(weights)
    size = abs(amount)
    parts: list[int] = []
    remainders: list[int] = []
    for weight in weights:
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


def split(total: Money, n: int) -> tuple[Money, ...]:
    """Divide *total* into *n* parts as equal as can be, the larger ones first.

    Raises:
        InvalidInput: ``invalid_weights`` when *n* is not a positive int.
    """
    if type(n) is not int or not 1 <= n <= _MAX_PARTS:
        raise InvalidInput(
            "invalid_weights", f"split needs 1 <= n <= {_MAX_PARTS}, got {n!r}", value=n
        )
    return allocate(total, [1] * n)


_MAX_PARTS: Final = 1_000_000  # more parts than any order has lines, tenders or members
