"""Money: an int of minor units and a currency, bounded, with arithmetic in one currency."""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from typing import Final

import attrs

from tuangou_core.errors import InvalidInput
from tuangou_core.money._checks import MAX_TEXT, refuse_non_int
from tuangou_core.money._currency import SCALES, Currency
from tuangou_core.money._rounding import Rounding

MAX_MINOR: Final = 10**15 - 1


# ASCII digits only: "１２.３４" (full-width) is not an amount a payment system should accept.
_AMOUNT_TEXT: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _check_minor(minor: object) -> int:
    if type(minor) is not int:
        refuse_non_int(minor, "Money.minor")
    assert isinstance(minor, int)
    if -MAX_MINOR <= minor <= MAX_MINOR:
        return minor
    shown = minor if minor.bit_length() <= 256 else f"<int of {minor.bit_length()} bits>"
    raise InvalidInput(
        "amount_out_of_range",
        f"amount of {shown} minor units is beyond the bound of ±{MAX_MINOR}",
        field="Money.minor",
        value=shown,
    )


def _check_currency(code: object) -> str:
    return Currency.of(code).code  # type: ignore[arg-type]


def format_minor(minor: int, currency: str) -> str:
    """*minor* units of *currency* as decimal text with exactly its minor digits (``"12.34"``,
    ``"-0.50"``, ``"1200"`` for JPY), exact for any int: a sum of amounts may pass the bound of
    one amount.

    Raises:
        InvalidInput: ``unknown_currency``.
    """
    digits = Currency.of(currency).minor_digits
    sign = "-" if minor < 0 else ""
    if digits == 0:
        return f"{sign}{abs(minor)}"
    whole, part = divmod(abs(minor), SCALES[digits])
    return f"{sign}{whole}.{part:0{digits}d}"


@attrs.frozen(eq=False, order=False, repr=False, weakref_slot=False)
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

    @staticmethod
    def _trusted(minor: int, currency: str) -> Money:
        # Results of arithmetic on valid amounts: skip the converters, keep the bound. Always
        # a Money, whoever asks (the library asks only as Money._trusted).
        if not -MAX_MINOR <= minor <= MAX_MINOR:
            _check_minor(minor)
        unfrozen = _Unfrozen()
        unfrozen.minor = minor
        unfrozen.currency = currency
        unfrozen.__class__ = Money  # type: ignore[assignment]  # the same slots: now a Money
        return unfrozen  # type: ignore[return-value]

    @classmethod
    def zero(cls, currency: str = "CNY") -> Money:
        """Zero in *currency*.

        Raises:
            InvalidInput: ``unknown_currency``.
        """
        # Amounts are immutable, so every zero of a currency can be the one value: the group
        # decider asks for one per order and per refund.
        found = _ZEROS.get(currency) if type(currency) is str and cls is Money else None
        if found is None:
            found = cls(0, currency)
            if cls is Money:
                _ZEROS[found.currency] = found
        return found

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
            refuse_non_int(value, "amount")
        if isinstance(value, int):
            _check_minor(value)  # bound the major units first: no huge multiplication
            return cls(value * info.scale, info.code)
        if isinstance(value, str):
            text = value.strip()
            if len(text) > MAX_TEXT or not _AMOUNT_TEXT.fullmatch(text):
                shown = value if len(value) <= 80 else value[:80] + "…"
                raise InvalidInput(
                    "invalid_amount",
                    f"amount must be a decimal string like '12.34', got {shown!r}",
                    field="amount",
                    value=shown,
                )
            number = Decimal(text)
        elif isinstance(value, Decimal):
            number = value
        else:
            raise InvalidInput(
                "invalid_amount",
                f"amount must be a decimal string, Decimal or int, got {type(value).__name__}",
                field="amount",
                value=type(value).__name__,
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
        return format_minor(self.minor, self.currency)

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
                    field="currency",
                    value=other.currency,
                )
            return other
        if isinstance(other, float):
            refuse_non_int(other, "amount")
        raise InvalidInput(
            "not_money",
            f"cannot {op} Money and {type(other).__name__}; wrap amounts in Money",
            field="other",
            value=type(other).__name__,
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
                refuse_non_int(factor, "a factor")
            raise InvalidInput(
                "invalid_factor",
                f"Money multiplies only by int, got {type(factor).__name__}; "
                "use Rate.apply(amount, rounding=...) for rates",
                field="factor",
                value=type(factor).__name__,
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

    # Amounts are compared in every decision: equality written out costs one call and no
    # tuples, where attrs' generated pair takes two calls for "!=" and builds two tuples.
    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.minor == other.minor and self.currency == other.currency

    def __ne__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.minor != other.minor or self.currency != other.currency

    def __hash__(self) -> int:
        return hash((self.minor, self.currency))


_ZEROS: dict[str, Money] = {}  # by currency code, filled as asked (known codes only)


class _Unfrozen:
    """A ``Money`` being built: exactly its slots, mutable. Two plain stores and a change of
    class make a ``Money`` at about two thirds of the setters' cost (and the results of
    arithmetic are made often enough for it to matter). Money has no ``__weakref__`` slot, or
    the two layouts would differ and the class could not change."""

    __slots__ = ("currency", "minor")  # Money's (tests/money holds them equal)

    minor: int
    currency: str


def _decimal_to_minor(number: Decimal, info: Currency, rounding: Rounding | str | None) -> int:
    if not number.is_finite():
        raise InvalidInput(
            "invalid_amount",
            f"amount must be finite, got {number}",
            field="amount",
            value=str(number),
        )
    # Refuse huge magnitudes before scaling, so an exponent of a billion costs nothing.
    if number and number.adjusted() > 15:
        raise InvalidInput(
            "amount_out_of_range",
            f"amount {number:.6e} is beyond the bound of ±{MAX_MINOR} minor units",
            field="amount",
            value=f"{number:.6e}",
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
                    field="amount",
                    value=str(number),
                )
            mode = Rounding.parse(rounding).decimal_mode
            integral = scaled.to_integral_value(rounding=mode)
    return _check_minor(int(integral))
