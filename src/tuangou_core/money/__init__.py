"""Exact money: integer minor units, named rounding, and an allocator that never loses a cent.

``Money`` holds an ``int`` of minor units (fen for CNY) and an ISO 4217 currency code. Floats
are refused everywhere. ``Rate`` holds an exact fraction (percentages, fee rates) and turns into
money only through :meth:`Rate.apply`, which names its rounding. ``allocate`` divides an amount
by weights so that the parts always sum to the whole.

The magnitude of any amount is bounded: ``abs(minor) <= MAX_MINOR`` (10**15 - 1 minor units,
ten trillion yuan). The bound is checked before any arithmetic on untrusted input, so text like
``"1e999999999"`` is refused at once instead of being computed.
"""

from __future__ import annotations

from tuangou_core.money._allocation import allocate, allocate_minor, split
from tuangou_core.money._amount import MAX_MINOR, Money, format_minor
from tuangou_core.money._currency import Currency
from tuangou_core.money._rate import Rate
from tuangou_core.money._rounding import Rounding

__all__ = [
    "MAX_MINOR",
    "Currency",
    "Money",
    "Rate",
    "Rounding",
    "allocate",
    "allocate_minor",
    "format_minor",
    "split",
]
