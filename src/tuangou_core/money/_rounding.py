"""Rounding modes: the named ways an exact quotient becomes whole minor units."""

from __future__ import annotations

import decimal
import enum
from decimal import Decimal
from fractions import Fraction
from typing import Final, NoReturn

from tuangou_core.errors import InvalidInput
from tuangou_core.money._checks import refuse_non_int


class Rounding(enum.Enum):
    """A named way to turn an exact quotient into whole minor units.

    ``HALF_UP`` (ties away from zero, 四舍五入) is the default for CNY amounts.
    """

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    HALF_DOWN = "half_down"
    UP = "up"
    DOWN = "down"
    CEILING = "ceiling"
    FLOOR = "floor"

    def divide(self, numerator: int, denominator: int) -> int:
        """Round ``numerator / denominator`` to an integer with this mode.

        Args:
            numerator: any integer.
            denominator: a non-zero integer.

        Returns:
            The rounded quotient.

        Raises:
            InvalidInput: ``division_by_zero`` when the denominator is 0, ``float_refused``
                for a float operand, ``invalid_amount`` for any other operand that is not an
                ``int`` (a ``bool`` included).
        """
        if type(numerator) is int and type(denominator) is int and numerator >= 0 < denominator:
            # The everyday case (a fee or a percentage of a positive amount), kept short.
            quotient, remainder = divmod(numerator, denominator)
            if remainder == 0 or self is Rounding.DOWN or self is Rounding.FLOOR:
                return quotient
            if self is Rounding.HALF_UP:
                return quotient + 1 if 2 * remainder >= denominator else quotient
        for name, operand in (("numerator", numerator), ("denominator", denominator)):
            if type(operand) is not int:
                refuse_non_int(operand, name)
        if denominator == 0:
            raise InvalidInput(
                "division_by_zero", "cannot divide an amount by zero", field="denominator", value=0
            )
        if denominator < 0:
            numerator, denominator = -numerator, -denominator
        quotient, remainder = divmod(numerator, denominator)
        if remainder == 0:
            return quotient
        # The exact value lies strictly between quotient and quotient + 1.
        positive = numerator > 0
        if self is Rounding.FLOOR:
            return quotient
        if self is Rounding.CEILING:
            return quotient + 1
        if self is Rounding.DOWN:
            return quotient if positive else quotient + 1
        if self is Rounding.UP:
            return quotient + 1 if positive else quotient
        twice = 2 * remainder
        if twice < denominator:
            return quotient
        if twice > denominator:
            return quotient + 1
        if self is Rounding.HALF_UP:
            return quotient + 1 if positive else quotient
        if self is Rounding.HALF_DOWN:
            return quotient if positive else quotient + 1
        return quotient if quotient % 2 == 0 else quotient + 1

    def round(self, value: Fraction | Decimal | int) -> int:
        """Round an exact number to an integer with this mode.

        Args:
            value: a ``Fraction``, an ``int`` or a finite ``Decimal``, each of at most
                :data:`MAX_DIGITS` digits (numerator and denominator) and a ``Decimal``
                exponent within ±:data:`MAX_DIGITS`; checked before any arithmetic, so
                ``Decimal("1e999999999")`` is refused at once.

        Returns:
            The rounded integer.

        Raises:
            InvalidInput: ``float_refused`` for a float; ``invalid_amount`` for text, ``None``,
                a ``bool``, NaN, infinity or anything else, and for a number past the bounds.
        """
        if type(value) is int:
            return _bounded(value, value)
        if isinstance(value, Fraction):
            _bounded(value.numerator, value)
            _bounded(value.denominator, value)
            return self.divide(value.numerator, value.denominator)
        if isinstance(value, Decimal):
            if not value.is_finite() or (
                value and not -MAX_DIGITS <= value.adjusted() <= MAX_DIGITS
            ):
                raise InvalidInput(
                    "invalid_amount",
                    f"value to round must be finite and within 10**±{MAX_DIGITS}, got {value}",
                    field="value",
                    value=str(value)[:80],
                )
            if len(value.as_tuple().digits) > 2 * MAX_DIGITS:
                _too_long(value)
            exact = Fraction(value)
            return self.divide(exact.numerator, exact.denominator)
        if isinstance(value, float):
            refuse_non_int(value, "value")
        raise InvalidInput(
            "invalid_amount",
            f"value to round must be a Fraction, Decimal or int, got {type(value).__name__}",
            field="value",
            value=value if isinstance(value, str) and len(value) <= 80 else type(value).__name__,
        )

    @property
    def decimal_mode(self) -> str:
        """The matching :mod:`decimal` rounding constant."""
        return _DECIMAL_MODES[self]

    @classmethod
    def parse(cls, value: Rounding | str) -> Rounding:
        """Read a rounding mode from its name (``"half_up"``) or return it unchanged.

        Raises:
            InvalidInput: ``unknown_rounding`` for any other name.
        """
        if isinstance(value, Rounding):
            return value
        if not isinstance(value, str):
            raise InvalidInput(
                "unknown_rounding",
                f"rounding must be a Rounding or its name, got {type(value).__name__}",
                field="rounding",
                value=type(value).__name__,
            )
        try:
            return cls(str(value).lower())
        except ValueError:
            names = ", ".join(mode.value for mode in cls)
            raise InvalidInput(
                "unknown_rounding",
                f"rounding must be one of {names}, got {value[:40]!r}",
                field="rounding",
                value=value[:40],
            ) from None


MAX_DIGITS: Final = 64
"""The most digits of an int, or of a fraction's numerator or denominator, that is rounded; a
``Decimal``'s exponent stays within ±MAX_DIGITS too. Far more than any amount or rate needs."""

_MAX_INT: Final = 10**MAX_DIGITS


def _bounded(number: int, value: object) -> int:
    if -_MAX_INT < number < _MAX_INT:
        return number
    _too_long(value)


def _too_long(value: object) -> NoReturn:
    raise InvalidInput(
        "invalid_amount",
        f"value to round must have at most {MAX_DIGITS} digits",
        field="value",
        value=type(value).__name__,
    )


_DECIMAL_MODES: Final = {
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    Rounding.UP: decimal.ROUND_UP,
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.CEILING: decimal.ROUND_CEILING,
    Rounding.FLOOR: decimal.ROUND_FLOOR,
}
