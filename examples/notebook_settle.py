"""Settle a scenario file and get flat records for a DataFrame (load, settle, to_records).

Run it with ``.venv/bin/python examples/notebook_settle.py``. In a notebook,
``pandas.DataFrame(statement.to_records())`` gives one row per order, and the statement
itself renders as an HTML table.
"""

from __future__ import annotations

from pathlib import Path

from tuangou_core.interchange import load, settle

HERE = Path(__file__).resolve().parent

scenario = load(HERE / "milk_tea_shanghai.toml")
statement = settle(scenario)

print(
    f"{statement.campaign}: paid {statement.paid}, refunded {statement.refunded}, "
    f"net {statement.net}"
)
print("ledger balanced:", statement.ledger_balanced)
print()

# One flat dict per order: strings for amounts, so nothing is lost to floats.
records = statement.to_records()
columns = ["group", "member", "status", "paid", "refunded", "net", "merchant"]
print("  ".join(f"{c:<17}" if c == "status" else f"{c:<9}" for c in columns).rstrip())
for record in records:
    cells = [f"{record[c]:<17}" if c == "status" else f"{record[c]:<9}" for c in columns]
    print("  ".join(cells).rstrip())
print()
print("record keys:", ", ".join(records[0]))

# Who holds what: the statement's split is the sum of the per-order splits.
parts = statement.split.parts()
print("split:", ", ".join(f"{name} {amount}" for name, amount in parts.items()))

# The paid-but-not-formed orders (已付款未成团) are not the formed ones (已成团未发货).
waiting = [r["member"] for r in records if r["status"] == "awaiting_group"]
formed = [r["member"] for r in records if r["status"] == "awaiting_shipment"]
print("paid, group not formed:", ", ".join(waiting))
print("formed, not shipped:   ", ", ".join(formed))
