"""Records for pandas and polars: numbers as numbers, instants as datetimes, stable columns.

pandas and polars are dev extras (pyproject.toml): these tests import them at the top, so a
CI without them fails here instead of skipping.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

from tuangou_core._records import Records
from tuangou_core.campaign import Campaign
from tuangou_core.errors import TuangouError
from tuangou_core.group import ORDER_COLUMNS, Event, run
from tuangou_core.interchange import load, settle
from tuangou_core.money import Money, Rate
from tuangou_core.pricing import QUOTE_COLUMNS, Context, Line
from tuangou_core.pricing import quote as price
from tuangou_core.reporting import (
    EVENT_COLUMNS,
    JOURNAL_RECORD_COLUMNS,
    REFUND_COLUMNS,
    STATEMENT_COLUMNS,
    event_records,
    journal_records,
    refund_records,
)
from tuangou_core.settlement import journal

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MILK_TEA = EXAMPLES / "milk_tea_shanghai.toml"
DUPLICATES = EXAMPLES / "duplicate_and_late_payments.toml"


def _events(path: Path) -> list[Event]:
    scenario = load(path)
    steps, _fold = run(scenario.campaign, scenario.commands)
    return [event for step in steps for event in step.events]


def _all_records(path: Path) -> dict[str, Records]:
    scenario = load(path)
    steps, fold = run(scenario.campaign, scenario.commands)
    events = [event for step in steps for event in step.events]
    order = fold.state.orders()[0]
    return {
        "statement": settle(scenario).to_records(),
        "orders": fold.state.to_records(),
        "quote": order.quote.to_records(),
        "events": event_records(events),
        "refunds": refund_records(events),
        "journal": journal_records(journal(events, scenario.campaign)),
    }


COLUMNS = {
    "statement": STATEMENT_COLUMNS,
    "orders": ORDER_COLUMNS,
    "quote": QUOTE_COLUMNS,
    "events": EVENT_COLUMNS,
    "refunds": REFUND_COLUMNS,
    "journal": JOURNAL_RECORD_COLUMNS,
}


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_every_record_has_exactly_its_columns(kind: str) -> None:
    """Each record type's records carry its *_COLUMNS, in order, whatever they hold."""
    for path in (MILK_TEA, DUPLICATES):
        records = _all_records(path)[kind]
        assert records.columns == COLUMNS[kind]
        assert records, kind
        assert all(tuple(r) == COLUMNS[kind] for r in records)


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_every_amount_sums_as_a_number_in_a_plain_dataframe(kind: str) -> None:
    """pandas.DataFrame(records) with no help: *_minor columns are integers that sum as
    numbers, the Decimal column beside sums to the same amount, currency is a column."""
    records = _all_records(DUPLICATES)[kind]
    frame = pd.DataFrame(records)
    minors = [c for c in frame.columns if c.endswith("_minor")]
    assert minors
    for column in minors:
        name = column.removesuffix("_minor")
        values = [r[column] for r in records if r[column] is not None]
        assert frame[column].sum() == sum(values)
        assert frame[name].dropna().sum() == sum(
            (Money(v, "CNY").amount for v in values), Decimal(0)
        )
    assert set(frame["currency"].dropna()) == {"CNY"}


def test_the_statement_frame_has_numeric_and_datetime_dtypes() -> None:
    """to_frame: amounts int64 and exact Decimal, instants datetime64 in UTC."""
    statement = settle(load(MILK_TEA))
    frame = statement.to_frame()
    assert str(frame["paid_minor"].dtype) == "int64"
    assert frame["paid_minor"].sum() == sum(o.paid.minor for o in statement.orders)
    assert frame["paid"].sum() == sum((o.paid.amount for o in statement.orders), Decimal(0))
    assert isinstance(frame["paid"].sum(), Decimal)
    parts = frame[["payment_fee_minor", "platform_minor", "leader_minor", "merchant_minor"]]
    assert (parts.sum(axis=1) == frame["net_minor"]).all()
    scenario = load(MILK_TEA)
    _steps, fold = run(scenario.campaign, scenario.commands)
    orders = fold.state.to_records().to_frame()
    assert str(orders["joined_at"].dtype).startswith("datetime64") and "UTC" in str(
        orders["joined_at"].dtype
    )
    assert orders["joined_at"].iloc[0].to_pydatetime() == fold.state.orders()[0].joined_at


def test_event_frame_keeps_missing_amounts_missing_and_instants_in_utc() -> None:
    """An event that moves no money has <NA>, not 0; every instant is one UTC dtype."""
    events = _events(DUPLICATES)
    frame = event_records(events).to_frame()
    assert str(frame["amount_minor"].dtype) == "Int64"
    opened = frame[frame["event"] == "group_opened"]
    assert opened["amount_minor"].isna().all()
    received = frame[frame["event"] == "payment_received"]
    assert received["amount_minor"].notna().all()
    assert str(frame["occurred_at"].dtype) == "datetime64[us, UTC]"
    assert frame["occurred_at"].iloc[0].to_pydatetime() == events[0].at


def test_records_round_trip_through_pandas_and_polars() -> None:
    """records → DataFrame → records gives back the same values (amounts exact)."""
    records = settle(load(DUPLICATES)).to_records()
    back = pd.DataFrame(records).to_dict("records")
    for original, returned in zip(records, back, strict=True):
        for column in ("group", "member", "status", "paid_minor", "paid", "net", "merchant"):
            assert returned[column] == original[column]
    assert pl.DataFrame(records).to_dicts() == list(records)
    events = event_records(_events(DUPLICATES))
    assert pl.DataFrame(events, infer_schema_length=None).to_dicts() == list(events)


def test_records_in_polars_are_typed() -> None:
    """polars reads the minor units as Int64, the amounts as Decimal, instants as Datetime."""
    frame = pl.DataFrame(settle(load(MILK_TEA)).to_records())
    assert frame.schema["paid_minor"] == pl.Int64
    assert isinstance(frame.schema["paid"], pl.Decimal)
    events = pl.DataFrame(event_records(_events(MILK_TEA)), infer_schema_length=None)
    assert events.schema["occurred_at"] == pl.Datetime("us", "UTC")
    assert events["amount_minor"].sum() == sum(
        e.amount.minor for e in _events(MILK_TEA) if hasattr(e, "amount")
    )


def test_quote_records_are_one_row_per_line_and_step() -> None:
    """A quote's records: each line's list total then each step's share, negative; a line's
    amounts sum to its total and a pivot by step has no holes."""
    campaign = Campaign.build(
        {"id": "q", "list_price": "100.00", "rule": "fixed", "size": 2, "price": "70.00"},
        coupons=[{"id": "c10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"}],
    )
    lines = [Line("tea", 2), Line("cake", 1, Money.parse("33.33"))]
    quote = price(lines, campaign, Context(coupons=["c10"]))
    assert len(quote.lines) == 2 and len(quote.steps) >= 2
    frame = quote.to_frame()
    assert len(frame) == len(quote.lines) * (1 + len(quote.steps))
    totals = frame.groupby("line")["amount_minor"].sum()
    assert list(totals) == [line.total.minor for line in quote.lines]
    assert frame["amount_minor"].sum() == quote.total.minor
    pivot = frame.pivot(index="line", columns="name", values="amount_minor")
    assert not pivot.isna().any().any()
    assert list(frame["step"]) == list(range(len(quote.steps) + 1)) * len(quote.lines)


def test_journal_records_balance_entry_by_entry() -> None:
    """Every entry's debits equal its credits in the frame; each posting is on one side."""
    scenario = load(DUPLICATES)
    events = _events(DUPLICATES)
    entries = journal(events, scenario.campaign)
    frame = journal_records(entries).to_frame()
    by_entry = frame.groupby("entry")[["debit_minor", "credit_minor"]].sum()
    assert (by_entry["debit_minor"] == by_entry["credit_minor"]).all()
    assert frame["debit_minor"].sum() == sum(e.debits for e in entries) > 0
    assert ((frame["debit_minor"] == 0) != (frame["credit_minor"] == 0)).all()
    assert set(frame["side"]) == {"debit", "credit"}
    assert frame["debit"].sum() == Money(int(frame["debit_minor"].sum()), "CNY").amount


def test_refund_records_mark_money_sent_back_at_once() -> None:
    """Duplicate and late payments are at_once refunds; the statement's refunds are all there."""
    statement = settle(load(DUPLICATES))
    frame = refund_records(_events(DUPLICATES)).to_frame()
    order_refunds = sum(o.refunded.minor for o in statement.orders)
    stray = sum(u.amount.minor for u in statement.unmatched if not u.authorised)
    assert frame["amount_minor"].sum() == order_refunds + stray
    assert set(frame[frame["at_once"]]["reason"]) <= {
        "duplicate_payment",
        "late_payment",
        "amount_mismatch",
        "unmatched_payment",
    }
    assert frame["at_once"].any()


def test_an_empty_record_list_still_has_its_columns() -> None:
    """No events: the frames have every column, the amounts already integers."""
    for records in (event_records([]), refund_records([]), journal_records(())):
        frame = records.to_frame()
        assert list(frame.columns) == list(records.columns)
        assert len(frame) == 0
        minors = [c for c in frame.columns if c.endswith("_minor")]
        assert minors and all(str(frame[c].dtype) == "int64" for c in minors)
        assert str(frame["occurred_at"].dtype).startswith("datetime64")


def test_event_records_name_each_event_type_in_snake_case() -> None:
    """The event column is the type's name in snake_case, for every type in the log."""
    events = _events(DUPLICATES)
    kinds = {r["event"] for r in event_records(events)}
    assert "member_joined" in kinds and "payment_received" in kinds and "refund_due" in kinds
    assert all(k == k.lower() and " " not in k for k in kinds)


def test_junk_is_refused_with_a_code() -> None:
    """A non-event or a non-entry is refused with a coded error naming its index."""
    with pytest.raises(TuangouError) as caught:
        event_records(["not an event"])  # type: ignore[list-item]
    assert caught.value.code == "unknown_event"
    with pytest.raises(TuangouError) as caught:
        journal_records(["not an entry"])  # type: ignore[list-item]
    assert caught.value.code == "invalid_entry"


def test_to_frame_without_pandas_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the [pandas] extra, to_frame says which extra to install."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(TuangouError) as caught:
        event_records([]).to_frame()
    assert caught.value.code == "missing_extra"
    assert "tuangou_core[pandas]" in caught.value.message


def test_the_core_never_imports_pandas_or_matplotlib() -> None:
    """Importing every stage and settling a scenario loads neither optional extra."""
    code = (
        "import sys\n"
        "import tuangou_core, tuangou_core.reporting, tuangou_core.interchange, "
        "tuangou_core.operations, tuangou_core.store, tuangou_core.cli\n"
        f"s = tuangou_core.interchange.settle(tuangou_core.interchange.load({str(MILK_TEA)!r}))\n"
        "s.to_records()\n"
        "print(sorted(m for m in ('pandas', 'polars', 'matplotlib', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_rate_reads_out_as_a_float_for_a_plot() -> None:
    """float(Rate) is the nearest float; floats are still refused going in."""
    assert float(Rate("2/3")) == 2 / 3
    assert float(Rate("45%")) == 0.45
    with pytest.raises(TuangouError):
        Rate(float(Rate("1/2")))


def test_instants_are_utc_whatever_the_offset() -> None:
    """A record's instant is the same moment in UTC."""
    records = event_records(_events(MILK_TEA))
    first: Any = records[0]["occurred_at"]
    assert isinstance(first, datetime) and first.tzinfo is UTC
