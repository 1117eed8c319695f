"""Run a campaign the way an operator does: metrics, lint, risk, rewards and pickup.

Run it with ``.venv/bin/python examples/notebook_operations.py``. Every function here is pure:
it reads the events a settle produced and returns values (exact rates, never floats).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tuangou_core.group import run
from tuangou_core.interchange import load
from tuangou_core.money import Money
from tuangou_core.operations import (
    LintContext,
    PickupPoint,
    RewardPolicy,
    assess,
    lint,
    pickup_day,
    points_entries,
    rewards,
)
from tuangou_core.reporting import report
from tuangou_core.settlement import Account, balances, journal, trial_balance

HERE = Path(__file__).resolve().parent

scenario = load(HERE / "milk_tea_shanghai.toml")
steps, _fold = run(scenario.campaign, scenario.commands)
events = [event for step in steps for event in step.events]

# 1. How did the campaign do? (成团率, time to form, funnel, GMV)
print(report(events).text())
print()

# 2. Does the campaign follow the platform's rules? The context says what the campaign cannot:
#    the recent actual prices (虚标原价 check) and the published refund terms.
context = LintContext(
    recent_prices=(Money.parse("28.00"), Money.parse("30.00")),
    refund_deadline="7 days after pickup",
    refund_path="original",
)
findings = lint(scenario.campaign, context)
for finding in findings:
    print(f"lint {finding.severity.value}: {finding.code}: {finding.message}")
print(f"lint: {len(findings)} findings with these refund terms and recent prices")
# Without the context the same campaign is missing its refund terms:
for finding in lint(scenario.campaign):
    print(f"lint without context {finding.severity.value}: {finding.code}")
print()

# 3. Anything suspicious? More than three orders from one device within a day (薅羊毛).
attributes = {member: {"device": "dev-7"} for member in ("u-1004", "u-1005", "u-1006", "u-1007")}
for suspicion in assess(events, attributes):
    print(f"risk {suspicion.rule}: {suspicion.reason}")
    print(f"     members {', '.join(suspicion.members)}; events {suspicion.events}")
print()

# 4. Rewards: points on net paid (1 per yuan, rounded down), care coupons for failed groups.
granted = rewards(events, RewardPolicy(care_coupon="care5"))
print("points:", granted.points_by_member())
print("coupons:", ", ".join(f"{c.member} {c.coupon} ({c.reason})" for c in granted.coupons))
# The points are a promise to members, paid for by the merchant: book them at one fen a point
# (100 points per yuan) into the ledger's points liability, beside the statement's journal.
entries = journal(events, scenario.campaign) + points_entries(granted.points, Money(1))
totals = balances(entries)
print(
    "points liability:",
    totals[Account.POINTS_LIABILITY].text(),
    "merchant payable:",
    totals[Account.MERCHANT_PAYABLE].text(),
    "balanced:",
    trial_balance(entries).balanced,
)
print()

# 5. Tomorrow's pickup manifest at the community leader's point (19:00–21:00 local).
point = PickupPoint("pp-jingan-01", "静安 便利店", host="u-1001")
point_of = {"u-1002": point.id, "u-1003": point.id}
manifest = pickup_day(events, point_of, [point], date(2026, 3, 7), perishable=True)
print(manifest.text())
