"""Records as a pandas DataFrame: the only module that imports pandas (the ``[pandas]`` extra).

pandas is imported when :func:`to_frame` is called, never when the library is: the core runs
without it. The frame keeps the records' convention (``tuangou_core._records``) as dtypes:
every column of whole numbers is ``int64`` (``Int64``, nullable, where some record has
``None``), ``*_at`` columns are ``datetime64[…, UTC]``, durations ``timedelta64`` and the
exact ``Decimal`` amounts stay exact (``object`` columns that sum as ``Decimal``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from tuangou_core.errors import InvalidInput

__all__ = ["to_frame"]


def to_frame(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> Any:
    """A ``pandas.DataFrame`` of *records*, with exactly *columns*, in that order.

    Args:
        records: flat records, as the library's ``to_records`` give them.
        columns: the record type's columns (an empty list of records still has them).

    Returns:
        A ``pandas.DataFrame``.

    Raises:
        InvalidInput: ``missing_extra`` when pandas is not installed.
    """
    try:
        import pandas  # noqa: PLC0415 - the optional extra, loaded only when used
    except ImportError:
        raise InvalidInput(
            "missing_extra",
            "to_frame needs pandas: pip install 'tuangou_core[pandas]'",
            field="pandas",
        ) from None
    rows = list(records)
    frame = pandas.DataFrame.from_records(rows, columns=list(columns))
    for column in columns:
        kind = _kind(column, [row[column] for row in rows if row.get(column) is not None])
        if kind == "int":
            nullable = len(rows) > 0 and any(row.get(column) is None for row in rows)
            frame[column] = frame[column].astype("Int64" if nullable else "int64")
        elif kind == "datetime":
            frame[column] = pandas.to_datetime(frame[column], utc=True)
        elif kind == "timedelta":
            frame[column] = pandas.to_timedelta(frame[column])
    return frame


def _kind(column: str, values: list[Any]) -> str:
    """What a column holds: by its values, or by its name when it has none."""
    if not values:
        if column.endswith("_minor"):
            return "int"
        return "datetime" if column.endswith("_at") else "other"
    if all(type(v) is int for v in values):
        return "int"
    if all(isinstance(v, datetime) for v in values):
        return "datetime"
    if all(isinstance(v, timedelta) for v in values):
        return "timedelta"
    return "other"
