"""Statement totals: exact sums of amounts, which may pass the bound of any one amount.

One amount (a payment, a refund, an order's split) is bounded by ``MAX_MINOR``; a statement's
total over many orders is not, so it is carried as a :class:`Total` of plain minor units and
printed exactly, and a statement never fails after valid events.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from tuangou_core.money import Currency, Money, format_minor
from tuangou_core.settlement import PARTS, Split


@attrs.frozen
class Total:
    """An exact sum of amounts of one currency, in minor units (not bound like ``Money``)."""

    minor: int
    currency: str

    @classmethod
    def of(cls, amounts: Iterable[Money], currency: str) -> Total:
        """The sum of *amounts*, all in *currency*."""
        return cls(sum(amount.minor for amount in amounts), currency)

    @property
    def amount(self) -> Decimal:
        """The exact sum in major units."""
        return Decimal(self.minor).scaleb(-Currency.of(self.currency).minor_digits)

    def __str__(self) -> str:
        return format_minor(self.minor, self.currency)

    def __add__(self, other: Total) -> Total:
        return Total(self.minor + other.minor, self.currency)

    def __sub__(self, other: Total) -> Total:
        return Total(self.minor - other.minor, self.currency)


@attrs.frozen
class SplitTotal:
    """The sum of many orders' splits, part by part; the four parts sum to the net."""

    net: Total
    base: Total
    subsidy: Total
    payment_fee: Total
    platform: Total
    leader: Total
    merchant: Total

    @classmethod
    def of(cls, splits: Iterable[Split], currency: str) -> SplitTotal:
        """The part-by-part sum of *splits*."""
        items = tuple(splits)
        fields = [f.name for f in attrs.fields(cls)]
        return cls(
            **{name: Total.of((getattr(s, name) for s in items), currency) for name in fields}
        )

    def parts(self) -> dict[str, Total]:
        """The four parts by name, in statement order; they sum to :attr:`net`."""
        return {name: getattr(self, name) for name in PARTS}
