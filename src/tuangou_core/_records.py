"""Flat records for a DataFrame: one convention for every record the library gives.

Shared by every stage that gives records (orders, quotes, statements, refunds, events, the
journal, the metrics), so that each column means the same everywhere:

- an amount named ``paid`` is two columns: ``paid_minor``, the ``int`` of minor units (fen),
  and ``paid``, the same amount as an exact ``Decimal`` in major units; beside them a
  ``currency`` column names the currency;
- an instant is a ``datetime`` in UTC (``*_at``), so a column of them is one pandas
  ``datetime64[…, UTC]`` dtype even when the log mixes offsets; ``None`` where it is unknown;
- names are stable snake_case; a record list never changes its columns with its content, and
  each record type lists its columns (``*_COLUMNS``) so that an empty list still has them.

Nothing here imports pandas: records are plain dicts that pandas, polars or ``csv`` read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from tuangou_core._frames import to_frame

__all__ = ["Amount", "Record", "Records", "amount_columns", "amount_names", "instant"]

Record = dict[str, Any]
"""One flat record: column name to a plain value (str, int, Decimal, datetime, bool, None)."""


class Amount(Protocol):
    """What an amount column is made of: ``Money`` or a statement ``Total``."""

    @property
    def minor(self) -> int: ...

    @property
    def amount(self) -> Decimal: ...


def amount_columns(name: str, value: Amount | None) -> Record:
    """``{name_minor: int, name: Decimal}`` for *value*; both ``None`` when *value* is."""
    if value is None:
        return {f"{name}_minor": None, name: None}
    return {f"{name}_minor": value.minor, name: value.amount}


def amount_names(*names: str) -> tuple[str, ...]:
    """The two columns of each amount *name*: ``name_minor`` then ``name``."""
    return tuple(column for name in names for column in (f"{name}_minor", name))


def instant(value: datetime | None) -> datetime | None:
    """*value* in UTC (the same instant), or None."""
    return None if value is None else value.astimezone(UTC)


class Records(list[Record]):
    """A list of flat records that knows its columns, so that even an empty one has them.

    It is a plain ``list`` of dicts: ``pandas.DataFrame(records)``, ``polars.DataFrame(records)``
    and ``csv.DictWriter(file, records.columns)`` read it as it is. :meth:`to_frame` gives the
    pandas frame with the convention's dtypes (the ``[pandas]`` extra).
    """

    columns: tuple[str, ...]

    def __init__(self, columns: Iterable[str], rows: Iterable[Record] = ()) -> None:
        super().__init__(rows)
        self.columns = tuple(columns)

    def to_frame(self) -> Any:
        """These records as a ``pandas.DataFrame`` with exactly :attr:`columns`.

        Raises:
            InvalidInput: ``missing_extra`` when pandas is not installed.
        """
        return to_frame(self, self.columns)
