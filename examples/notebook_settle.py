"""Settle a scenario file and get flat records for a DataFrame (load, settle, to_records).

Run it with ``.venv/bin/python examples/notebook_settle.py``. In a notebook,
``statement.to_frame()`` (or ``pandas.DataFrame(statement.to_records())``) gives one row per
order whose amounts sum as numbers, and the statement itself renders as an HTML table.
"""

from __future__ import annotations

from pathlib import Path

from tuangou_core.interchange import load, settle
from tuangou_core.reporting import text_table

HERE = Path(__file__).resolve().parent

scenario = load(HERE / "milk_tea_shanghai.toml")
statement = settle(scenario)

print(
    f"{statement.campaign}: paid {statement.paid}, refunded {statement.refunded}, "
    f"net {statement.net}"
)
print("ledger balanced:", statement.ledger_balanced)
print()

# One flat record per order: each amount twice, as an int of fen (paid_minor) and as an
# exact Decimal (paid), never a float; text_table pads by display width, so Chinese names align.
records = statement.to_records()
columns = ["group", "member", "status", "paid", "refunded", "net", "merchant"]
for line in text_table(columns, [[r[c] for c in columns] for r in records], right={3, 4, 5, 6}):
    print(line)
print()
print("record columns:", ", ".join(records.columns))
print("paid in fen, summed:", sum(r["paid_minor"] for r in records))

# Who holds what: the statement's split is the sum of the per-order splits.
parts = statement.split.parts()
print("split:", ", ".join(f"{name} {amount}" for name, amount in parts.items()))

# The paid-but-not-formed orders (已付款未成团) are not the formed ones (已成团未发货).
waiting = [r["member"] for r in records if r["status"] == "awaiting_group"]
formed = [r["member"] for r in records if r["status"] == "awaiting_shipment"]
print("paid, group not formed:", ", ".join(waiting))
print("formed, not shipped:   ", ", ".join(formed))
