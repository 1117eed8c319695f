"""ISO 4217 currencies: the codes the library knows and their minor digits."""

from __future__ import annotations

from typing import ClassVar, Final

import attrs

from tuangou_core.errors import InvalidInput


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
        return SCALES[self.minor_digits]

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


SCALES: Final = {0: 1, 1: 10, 2: 100, 3: 1000}
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
