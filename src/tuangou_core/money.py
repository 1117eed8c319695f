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

import decimal
import enum
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any, ClassVar, Final

import attrs

from tuangou_core.errors import InvalidInput

__all__ = [
    "MAX_MINOR",
    "Currency",
    "Money",
    "Rate",
    "Rounding",
    "allocate",
    "allocate_minor",
    "split",
]

MAX_MINOR: Final = 10**15 - 1
_MAX_TEXT: Final = 64  # longer text cannot be a bounded amount or a sensible rate


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
                for a float operand.
        """
        if type(numerator) is int and type(denominator) is int and numerator >= 0 < denominator:
            # The everyday case (a fee or a percentage of a positive amount), kept short.
            quotient, remainder = divmod(numerator, denominator)
            if remainder == 0 or self is Rounding.DOWN or self is Rounding.FLOOR:
                return quotient
            if self is Rounding.HALF_UP:
                return quotient + 1 if 2 * remainder >= denominator else quotient
        for operand in (numerator, denominator):
            if isinstance(operand, float):
                _refuse_non_int(operand, "a quotient's operand")
        if denominator == 0:
            raise InvalidInput("division_by_zero", "cannot divide an amount by zero")
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

    def round(self, value: Fraction | int) -> int:
        """Round an exact fraction to an integer with this mode; a float is refused."""
        if isinstance(value, float):
            _refuse_non_int(value, "a value to round")
        value = Fraction(value)
        return self.divide(value.numerator, value.denominator)

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
        try:
            return cls(str(value).lower())
        except ValueError:
            names = ", ".join(mode.value for mode in cls)
            raise InvalidInput(
                "unknown_rounding",
                f"rounding must be one of {names}, got {value!r}",
                value=value,
            ) from None


_DECIMAL_MODES: Final = {
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    Rounding.UP: decimal.ROUND_UP,
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.CEILING: decimal.ROUND_CEILING,
    Rounding.FLOOR: decimal.ROUND_FLOOR,
}


@attrs.frozen
class Currency:
    """An ISO 4217 currency: its code, how many minor digits it has, and its symbol."""

    code: str
    minor_digits: int
    symbol: str
    name: str

    _registry: ClassVar[dict[str, Currency]] = {}

    @property
    def scale(self) -> int:
        """Minor units in one major unit (100 for CNY, 1 for JPY)."""
        return _SCALES[self.minor_digits]

    @classmethod
    def of(cls, code: str) -> Currency:
        """Look up a currency by its ISO 4217 code.

        Raises:
            InvalidInput: ``unknown_currency`` for a code not in the table.
        """
        found = _CURRENCIES.get(code) if isinstance(code, str) else None
        if found is None:
            known = ", ".join(sorted(_CURRENCIES))
            raise InvalidInput(
                "unknown_currency",
                f"currency must be an ISO 4217 code ({known}), got {code!r}",
                field="currency",
                value=code,
            )
        return found

    @classmethod
    def known(cls) -> tuple[str, ...]:
        """The codes this library knows, sorted."""
        return tuple(sorted(_CURRENCIES))


_SCALES: Final = {0: 1, 1: 10, 2: 100, 3: 1000}
_CURRENCIES: Final = {
    c.code: c
    for c in (
        Currency("CNY", 2, "¥", "Chinese yuan"),
        Currency("HKD", 2, "HK$", "Hong Kong dollar"),
        Currency("TWD", 2, "NT$", "New Taiwan dollar"),
        Currency("MOP", 2, "MOP$", "Macanese pataca"),
        Currency("USD", 2, "$", "US dollar"),
        Currency("EUR", 2, "€", "Euro"),
        Currency("GBP", 2, "£", "Pound sterling"),
        Currency("JPY", 0, "JP¥", "Japanese yen"),
        Currency("KRW", 0, "₩", "South Korean won"),
        Currency("SGD", 2, "S$", "Singapore dollar"),
        Currency("MYR", 2, "RM", "Malaysian ringgit"),
        Currency("THB", 2, "฿", "Thai baht"),
        Currency("KWD", 3, "KD", "Kuwaiti dinar"),
    )
}

# ASCII digits only: "１２.３４" (full-width) is not an amount a payment system should accept.
_AMOUNT_TEXT: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _refuse_non_int(value: object, what: str) -> None:
    if isinstance(value, float):
        raise InvalidInput(
            "float_refused",
            f"{what} must not be a float (got {value!r}); pass a decimal string or Decimal",
            value=value,
        )
    raise InvalidInput(
        "invalid_amount", f"{what} must be an int, got {type(value).__name__}", value=value
    )


def _check_minor(minor: object) -> int:
    if type(minor) is not int:
        _refuse_non_int(minor, "Money.minor")
    assert isinstance(minor, int)
    if -MAX_MINOR <= minor <= MAX_MINOR:
        return minor
    raise InvalidInput(
        "amount_out_of_range",
        f"amount of {minor} minor units is beyond the bound of ±{MAX_MINOR}",
        value=minor,
    )


def _check_currency(code: object) -> str:
    return Currency.of(code).code  # type: ignore[arg-type]


@attrs.frozen(order=False, repr=False)
class Money:
    """An exact amount: an ``int`` of minor units and an ISO 4217 currency code.

    ``Money(1234)`` is ¥12.34. Use :meth:`parse` for decimal text. Arithmetic mixes only
    amounts of one currency; multiplying takes an ``int`` (use :meth:`Rate.apply` for rates).

    Args:
        minor: the amount in minor units; an ``int`` within ``±MAX_MINOR``.
        currency: an ISO 4217 code the library knows; ``"CNY"`` by default.

    Raises:
        InvalidInput: ``float_refused``, ``invalid_amount``, ``amount_out_of_range`` or
            ``unknown_currency``.
    """

    minor: int = attrs.field(converter=_check_minor)
    currency: str = attrs.field(default="CNY", converter=_check_currency)

    @classmethod
    def _trusted(cls, minor: int, currency: str) -> Money:
        # Results of arithmetic on valid amounts: skip the converters, keep the bound.
        if not -MAX_MINOR <= minor <= MAX_MINOR:
            _check_minor(minor)
        money = object.__new__(cls)
        _SET_MINOR(money, minor)
        _SET_CURRENCY(money, currency)
        return money

    @classmethod
    def zero(cls, currency: str = "CNY") -> Money:
        """Zero in *currency*."""
        return cls(0, currency)

    @classmethod
    def parse(
        cls,
        value: str | Decimal | int,
        currency: str = "CNY",
        rounding: Rounding | str | None = None,
    ) -> Money:
        """Read an amount in major units (``"12.34"``, ``Decimal("12.34")``, ``12``).

        Args:
            value: a decimal string, a ``Decimal`` or an ``int`` of major units.
            currency: the ISO 4217 code.
            rounding: how to treat more fraction digits than the currency has; without it,
                such a value is an error.

        Returns:
            The exact amount.

        Raises:
            InvalidInput: ``float_refused``, ``invalid_amount`` (junk, NaN, infinity),
                ``too_precise``, ``amount_out_of_range`` or ``unknown_currency``.
        """
        info = Currency.of(currency)
        if isinstance(value, bool | float):
            _refuse_non_int(value, "amount")
        if isinstance(value, int):
            _check_minor(value)  # bound the major units first: no huge multiplication
            return cls(value * info.scale, info.code)
        if isinstance(value, str):
            text = value.strip()
            if len(text) > _MAX_TEXT or not _AMOUNT_TEXT.fullmatch(text):
                raise InvalidInput(
                    "invalid_amount",
                    f"amount must be a decimal string like '12.34', got {value!r}",
                    value=value,
                )
            number = Decimal(text)
        elif isinstance(value, Decimal):
            number = value
        else:
            raise InvalidInput(
                "invalid_amount",
                f"amount must be a decimal string, Decimal or int, got {type(value).__name__}",
                value=value,
            )
        return cls(_decimal_to_minor(number, info, rounding), info.code)

    @property
    def amount(self) -> Decimal:
        """The exact amount in major units, as a ``Decimal``."""
        return Decimal(self.minor).scaleb(-Currency.of(self.currency).minor_digits)

    @property
    def is_zero(self) -> bool:
        """True for an amount of zero."""
        return self.minor == 0

    def __str__(self) -> str:
        digits = Currency.of(self.currency).minor_digits
        sign = "-" if self.minor < 0 else ""
        if digits == 0:
            return f"{sign}{abs(self.minor)}"
        whole, part = divmod(abs(self.minor), _SCALES[digits])
        return f"{sign}{whole}.{part:0{digits}d}"

    def __repr__(self) -> str:
        return f"Money({str(self)!r}, {self.currency!r})"

    def display(self) -> str:
        """The amount with its symbol, for people: ``"¥12.34"``, ``"-¥0.50"``."""
        text = str(self)
        symbol = Currency.of(self.currency).symbol
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"

    # -- arithmetic -------------------------------------------------------------------------

    def _same(self, other: object, op: str) -> Money:
        if isinstance(other, Money):
            if other.currency != self.currency:
                raise InvalidInput(
                    "currency_mismatch",
                    f"cannot {op} {other.currency} and {self.currency} amounts",
                    value=other.currency,
                )
            return other
        if isinstance(other, float):
            _refuse_non_int(other, "amount")
        raise InvalidInput(
            "not_money",
            f"cannot {op} Money and {type(other).__name__}; wrap amounts in Money",
            value=other,
        )

    def __add__(self, other: Money) -> Money:
        return Money._trusted(self.minor + self._same(other, "add").minor, self.currency)

    def __radd__(self, other: object) -> Money:
        # sum(amounts) starts from the int 0; any other left operand is refused.
        if type(other) is int and other == 0:
            return self
        return self._same(other, "add") + self

    def __sub__(self, other: Money) -> Money:
        return Money._trusted(self.minor - self._same(other, "subtract").minor, self.currency)

    def __neg__(self) -> Money:
        return Money._trusted(-self.minor, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._trusted(abs(self.minor), self.currency)

    def __mul__(self, factor: int) -> Money:
        if type(factor) is not int:
            if isinstance(factor, float):
                _refuse_non_int(factor, "a factor")
            raise InvalidInput(
                "invalid_factor",
                f"Money multiplies only by int, got {type(factor).__name__}; "
                "use Rate.apply(amount, rounding=...) for rates",
                value=factor,
            )
        return Money._trusted(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.minor < self._same(other, "compare").minor

    def __le__(self, other: Money) -> bool:
        return self.minor <= self._same(other, "compare").minor

    def __gt__(self, other: Money) -> bool:
        return self.minor > self._same(other, "compare").minor

    def __ge__(self, other: Money) -> bool:
        return self.minor >= self._same(other, "compare").minor


# The slots' own setters: a frozen class refuses setattr, and object.__setattr__ looks the
# attribute up on every call; results of arithmetic are made often enough for it to matter.
_SET_MINOR: Final = Money.__dict__["minor"].__set__
_SET_CURRENCY: Final = Money.__dict__["currency"].__set__


def _decimal_to_minor(number: Decimal, info: Currency, rounding: Rounding | str | None) -> int:
    if not number.is_finite():
        raise InvalidInput("invalid_amount", f"amount must be finite, got {number}", value=number)
    # Refuse huge magnitudes before scaling, so an exponent of a billion costs nothing.
    if number and number.adjusted() > 15:
        raise InvalidInput(
            "amount_out_of_range",
            f"amount {number:.6e} is beyond the bound of ±{MAX_MINOR} minor units",
            value=str(number),
        )
    exact = number
    if number and number.adjusted() < -30:
        # Far below one minor unit every value rounds alike in every mode; a stand-in keeps
        # the exponent ordinary, so scaling cannot underflow to an exact-looking zero.
        exact = Decimal(1).scaleb(-30).copy_sign(number)
    with decimal.localcontext() as context:
        # Room for every digit: scaling must not round, so that a mode rounds once, from the
        # true value, and a far fraction digit is still seen as too precise.
        context.prec = max(60, len(exact.as_tuple().digits) + 1)
        context.traps[decimal.Inexact] = False
        scaled = exact.scaleb(info.minor_digits)
        integral = scaled.to_integral_value(rounding=decimal.ROUND_DOWN)
        if scaled != integral:
            if rounding is None:
                raise InvalidInput(
                    "too_precise",
                    f"amount {number} has more than {info.minor_digits} fraction digits for "
                    f"{info.code}; pass a rounding mode to round it",
                    value=str(number),
                )
            mode = Rounding.parse(rounding).decimal_mode
            integral = scaled.to_integral_value(rounding=mode)
    return _check_minor(int(integral))


_RATE_TEXT: Final = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)(%?)|([+-]?[0-9]+)/([0-9]+)")


def _to_fraction(value: object, what: str) -> Fraction:
    if isinstance(value, Rate):
        return value.value
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise InvalidInput("invalid_rate", f"{what} must be a number, got a bool", value=value)
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        raise InvalidInput(
            "float_refused",
            f"{what} must not be a float (got {value!r}); pass a string like '0.006' or '5%'",
            value=value,
        )
    if isinstance(value, Decimal):
        if not value.is_finite() or (value and not -30 <= value.adjusted() <= 30):
            raise InvalidInput(
                "invalid_rate", f"{what} must be a finite, sensible number", value=str(value)
            )
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        match = _RATE_TEXT.fullmatch(text) if len(text) <= _MAX_TEXT else None
        if match is None:
            raise InvalidInput(
                "invalid_rate",
                f"{what} must be like '0.006', '5%' or '1/3', got {value!r}",
                value=value,
            )
        if match.group(3) is not None:
            denominator = int(match.group(4))
            if denominator == 0:
                raise InvalidInput("invalid_rate", f"{what} divides by zero", value=value)
            return Fraction(int(match.group(3)), denominator)
        number = Fraction(Decimal(match.group(1)))
        return number / 100 if match.group(2) else number
    raise InvalidInput(
        "invalid_rate",
        f"{what} must be a string, Decimal, Fraction or int, got {type(value).__name__}",
        value=value,
    )


def _rate_value(value: object) -> Fraction:
    return _to_fraction(value, "rate")


@attrs.frozen(order=False, repr=False)
class Rate:
    """An exact ratio: a fee rate, a discount percentage, a share.

    ``Rate("0.006")``, ``Rate("5%")``, ``Rate(Decimal("0.05"))``, ``Rate(Fraction(1, 3))``.
    Floats are refused. A rate becomes money only through :meth:`apply`, which names its
    rounding.

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
            raise InvalidInput("not_money", "a rate applies only to Money", value=amount)
        mode = Rounding.parse(rounding)
        minor = mode.divide(amount.minor * self.value.numerator, self.value.denominator)
        return Money._trusted(minor, amount.currency)

    def as_decimal(self, places: int = 10) -> Decimal:
        """The rate as a ``Decimal`` (exact when it terminates within *places*)."""
        scaled = Rounding.HALF_EVEN.divide(
            self.value.numerator * 10**places, self.value.denominator
        )
        if not scaled:
            return Decimal(0)
        with decimal.localcontext() as context:
            # Exact: a large rate must not overflow the default 28 digits.
            context.prec = decimal.MAX_PREC
            return Decimal(scaled).scaleb(-places).normalize()

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
        return Rate(self.value + _to_fraction(other, "rate"))

    def __sub__(self, other: Rate) -> Rate:
        return Rate(self.value - _to_fraction(other, "rate"))

    def __rsub__(self, other: int) -> Rate:
        return Rate(_to_fraction(other, "rate") - self.value)

    def __mul__(self, other: Rate | int) -> Rate:
        return Rate(self.value * _to_fraction(other, "rate"))

    __rmul__ = __mul__

    def __radd__(self, other: int) -> Rate:
        return Rate(_to_fraction(other, "rate") + self.value)

    def __lt__(self, other: Rate | int) -> bool:
        return self.value < _to_fraction(other, "rate")

    def __le__(self, other: Rate | int) -> bool:
        return self.value <= _to_fraction(other, "rate")

    def __gt__(self, other: Rate | int) -> bool:
        return self.value > _to_fraction(other, "rate")

    def __ge__(self, other: Rate | int) -> bool:
        return self.value >= _to_fraction(other, "rate")


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
        fractions = [_to_fraction(w, "weight") for w in items]
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


def money_field_value(value: Any, currency: str, field: str) -> Money:
    """Read *value* (Money, decimal text or Decimal) as an amount of *currency* for *field*.

    Used by the rule builders so that every amount error names the field it came from.

    Raises:
        InvalidInput: with ``field`` set, for anything :meth:`Money.parse` refuses, or an
            amount in another currency.
    """
    try:
        if isinstance(value, Money):
            if value.currency != currency:
                raise InvalidInput(
                    "currency_mismatch",
                    f"is in {value.currency}, the campaign is in {currency}",
                    value=value.currency,
                )
            return value
        return Money.parse(value, currency)
    except InvalidInput as error:
        raise type(error)(
            error.code, f"{field}: {error.message}", **{**error.fields, "field": field}
        ) from None
