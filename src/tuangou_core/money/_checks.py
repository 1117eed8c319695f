"""The checks every money value shares: floats refused, text bounded."""

from __future__ import annotations

from typing import Final, NoReturn

from tuangou_core.errors import InvalidInput

MAX_TEXT: Final = 64  # longer text cannot be a bounded amount or a sensible rate


def refuse_non_int(value: object, what: str) -> NoReturn:
    """Raise the error for a number that is not an int: a float gets its own code."""
    if isinstance(value, float):
        raise InvalidInput(
            "float_refused",
            f"{what} must not be a float (got {value!r}); pass a decimal string or Decimal",
            field=what,
            value=value,
        )
    raise InvalidInput(
        "invalid_amount",
        f"{what} must be an int, got {type(value).__name__}",
        field=what,
        value=value if isinstance(value, bool) else type(value).__name__,
    )
