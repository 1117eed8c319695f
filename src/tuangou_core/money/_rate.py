"""Rates: exact fractions (fee rates, percentages, shares) that become money only when applied."""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from tuangou_core.errors import InvalidInput
from tuangou_core.money._amount import Money
from tuangou_core.money._checks import MAX_TEXT
from tuangou_core.money._rounding import Rounding

_RATE_TEXT: Final = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)(%?)|([+-]?[0-9]+)/([0-9]+)")


MAX_RATE_DIGITS: Final = 40
"""The most digits a rate's numerator or denominator may have (``Rate(Fraction(1, 10**40))`` is
refused): any fee, share or percentage fits in far fewer, and products of rates stay printable."""

_RATE_BOUND: Final = 10**MAX_RATE_DIGITS
MAX_PLACES: Final = 100
"""The most decimal places :meth:`Rate.as_decimal` writes."""


def _bounded(number: Fraction, what: str) -> Fraction:
    if -_RATE_BOUND < number.numerator < _RATE_BOUND and number.denominator < _RATE_BOUND:
        return number
    raise InvalidInput(
        "invalid_rate",
        f"{what} must have at most {MAX_RATE_DIGITS} digits above and below its fraction bar",
        field=what,
        value="<Fraction>",
    )


def to_fraction(value: object, what: str) -> Fraction:
    if isinstance(value, Rate):
        return value.value
    if isinstance(value, Fraction):
        return _bounded(value, what)
    if isinstance(value, bool):
        raise InvalidInput(
            "invalid_rate", f"{what} must be a number, got a bool", field=what, value=value
        )
    if isinstance(value, int):
        return _bounded(Fraction(value), what)
    if isinstance(value, float):
        raise InvalidInput(
            "float_refused",
            f"{what} must not be a float (got {value!r}); pass a string like '0.006' or '5%'",
            field=what,
            value=value,
        )
    if isinstance(value, Decimal):
        if not value.is_finite() or (value and not -30 <= value.adjusted() <= 30):
            raise InvalidInput(
                "invalid_rate",
                f"{what} must be a finite, sensible number",
                field=what,
                value=str(value)[:80],
            )
        return _bounded(Fraction(value), what)
    if isinstance(value, str):
        text = value.strip()
        match = _RATE_TEXT.fullmatch(text) if len(text) <= MAX_TEXT else None
        if match is None:
            raise InvalidInput(
                "invalid_rate",
                f"{what} must be like '0.006', '5%' or '1/3', got {value[:80]!r}",
                field=what,
                value=value[:80],
            )
        if match.group(3) is not None:
            denominator = int(match.group(4))
            if denominator == 0:
                raise InvalidInput(
                    "invalid_rate", f"{what} divides by zero", field=what, value=value
                )
            return _bounded(Fraction(int(match.group(3)), denominator), what)
        number = Fraction(Decimal(match.group(1)))
        return _bounded(number / 100 if match.group(2) else number, what)
    raise InvalidInput(
        "invalid_rate",
        f"{what} must be a string, Decimal, Fraction or int, got {type(value).__name__}",
        field=what,
        value=type(value).__name__,
    )


def _rate_value(value: object) -> Fraction:
    return to_fraction(value, "rate")


@attrs.frozen(order=False, repr=False)
class Rate:
    """An exact ratio: a fee rate, a discount percentage, a share.

    ``Rate("0.006")``, ``Rate("5%")``, ``Rate(Decimal("0.05"))``, ``Rate(Fraction(1, 3))``.
    Floats are refused. A rate becomes money only through :meth:`apply`, which names its
    rounding.

    The numerator and denominator have at most :data:`MAX_RATE_DIGITS` digits each.

    Raises:
        InvalidInput: ``float_refused`` or ``invalid_rate``.
    """

    value: Fraction = attrs.field(converter=_rate_value)

    @classmethod
    def parse(cls, value: str | Decimal | Fraction | int | Rate) -> Rate:
        """Read a rate; the same as the constructor, named for symmetry with ``Money``."""
        return value if isinstance(value, Rate) else cls(value)

    def apply(self, amount: Money, *, rounding: Rounding | str) -> Money:
        """This rate of *amount*, rounded to whole minor units with *rounding*.

        Args:
            amount: the base.
            rounding: the named mode, e.g. ``Rounding.HALF_UP``.

        Returns:
            ``round(amount × rate)`` in the amount's currency.
        """
        if not isinstance(amount, Money):
            raise InvalidInput(
                "not_money",
                f"a rate applies only to Money, got {type(amount).__name__}",
                field="amount",
                value=type(amount).__name__,
            )
        mode = Rounding.parse(rounding)
        minor = mode.divide(amount.minor * self.value.numerator, self.value.denominator)
        return Money._trusted(minor, amount.currency)

    def as_decimal(self, places: int = 10) -> Decimal:
        """The rate as a ``Decimal`` (exact when it terminates within *places*).

        Args:
            places: decimal places, a whole number from 0 to :data:`MAX_PLACES`; the last is
                rounded half-even.

        Raises:
            InvalidInput: ``invalid_places``.
        """
        if type(places) is not int or not 0 <= places <= MAX_PLACES:
            raise InvalidInput(
                "invalid_places",
                f"places must be a whole number from 0 to {MAX_PLACES}, got {places!r}"[:120],
                field="places",
                value=places if type(places) is int else type(places).__name__,
            )
        scaled = Rounding.HALF_EVEN.divide(
            self.value.numerator * 10**places, self.value.denominator
        )
        if not scaled:
            return Decimal(0)
        with decimal.localcontext() as context:
            # Exact: a large rate must not overflow the default 28 digits.
            context.prec = decimal.MAX_PREC
            return Decimal(scaled).scaleb(-places).normalize()

    def __float__(self) -> float:
        """The nearest float, for a plot or a DataFrame column; computing stays exact in Rate.

        Floats are refused as inputs (a float cannot hold 0.1); reading a rate out as one is
        what a chart needs, and ``Rate(float(rate))`` is still refused.
        """
        return self.value.numerator / self.value.denominator

    def __str__(self) -> str:
        decimal_form = self.as_decimal(12)
        if Fraction(decimal_form) == self.value:
            text = format(decimal_form, "f")
            return text
        return f"{self.value.numerator}/{self.value.denominator}"

    def __repr__(self) -> str:
        return f"Rate({str(self)!r})"

    def percent(self) -> str:
        """The rate as a percentage for people: ``"0.6%"``."""
        return f"{Rate(self.value * 100)}%"

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.value + to_fraction(other, "rate"))

    def __sub__(self, other: Rate) -> Rate:
        return Rate(self.value - to_fraction(other, "rate"))

    def __rsub__(self, other: int) -> Rate:
        return Rate(to_fraction(other, "rate") - self.value)

    def __mul__(self, other: Rate | int) -> Rate:
        return Rate(self.value * to_fraction(other, "rate"))

    __rmul__ = __mul__

    def __radd__(self, other: int) -> Rate:
        return Rate(to_fraction(other, "rate") + self.value)

    def __lt__(self, other: Rate | int) -> bool:
        return self.value < to_fraction(other, "rate")

    def __le__(self, other: Rate | int) -> bool:
        return self.value <= to_fraction(other, "rate")

    def __gt__(self, other: Rate | int) -> bool:
        return self.value > to_fraction(other, "rate")

    def __ge__(self, other: Rate | int) -> bool:
        return self.value >= to_fraction(other, "rate")
