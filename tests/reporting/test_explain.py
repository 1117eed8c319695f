"""The audit trail (`tuangou explain`): every example explains, and its cash lines add up to
the statement's totals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tuangou_core.group import run
from tuangou_core.interchange import load, settle
from tuangou_core.money import Money
from tuangou_core.reporting import explain

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIOS = sorted(
    p for p in EXAMPLES.iterdir() if p.suffix in (".toml", ".json") and ".expected" not in p.name
)
CASH = re.compile(r"\[cash (in|out) +[+-]([0-9.]+)\]$")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_the_cash_the_trail_shows_is_the_cash_the_statement_totals(path: Path) -> None:
    """Cash in sums to `paid` and cash out to `refunded`, unmatched payments included."""
    scenario = load(path)
    steps, _fold = run(scenario.campaign, scenario.commands)
    text = explain(steps)
    currency = scenario.campaign.currency
    moved = {"in": Money.zero(currency), "out": Money.zero(currency)}
    for line in text.splitlines():
        found = CASH.search(line)
        if found:
            moved[found[1]] += Money.parse(found[2], currency)
    statement = settle(scenario)
    assert str(moved["in"]) == str(statement.paid)
    assert str(moved["out"]) == str(statement.refunded)


def test_each_event_carries_the_log_index_the_journal_names() -> None:
    """The n-th event line is numbered n, the number of the journal's entries for it."""
    scenario = load(EXAMPLES / "after_sales_partial_refund.toml")
    steps, _fold = run(scenario.campaign, scenario.commands)
    numbers = [int(line.split()[1]) for line in explain(steps).splitlines() if "->" in line]
    assert numbers == list(range(sum(len(step.events) for step in steps)))


def test_a_refund_names_the_discounts_it_reverses() -> None:
    """A RefundDue line lists each discount share reversed, with its funder."""
    scenario = load(EXAMPLES / "after_sales_partial_refund.toml")
    steps, _fold = run(scenario.campaign, scenario.commands)
    assert "discounts=group price:2.88(merchant)" in explain(steps)
