"""The worked examples finance audits: every scenario in ``examples/`` settles to the statement
committed next to it, byte for byte, and every notebook example prints what is committed.

The committed ``*.expected.txt`` / ``*.expected.json`` files were checked by hand against the
split formula of ``shared/SCENARIO.md`` (see ``docs/scenario.md``). After a deliberate change
of the rules, regenerate them with ``TUANGOU_REGENERATE_EXAMPLES=1`` and check every changed
figure by hand again before committing: a test that rewrites its own expectation proves nothing.
"""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path

import pytest

from tuangou_core.cli import main
from tuangou_core.interchange import load, settle
from tuangou_core.money import Money
from tuangou_core.settlement import Account, holdings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCENARIOS = sorted(
    p for p in EXAMPLES.iterdir() if p.suffix in (".toml", ".json") and ".expected" not in p.name
)
NOTEBOOKS = sorted(EXAMPLES.glob("notebook_*.py"))
REGENERATE = os.environ.get("TUANGOU_REGENERATE_EXAMPLES") == "1"


def _expected(path: Path, suffix: str) -> Path:
    return path.with_name(f"{path.stem}.expected.{suffix}")


def _compare(actual: str, committed: Path) -> None:
    if REGENERATE:
        committed.write_text(actual, encoding="utf-8")
    assert committed.exists(), f"{committed.name} is missing; see this module's docstring"
    assert actual == committed.read_text(encoding="utf-8")


def _settle(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status = main(["settle", *argv])
    captured = capsys.readouterr()
    assert (status, captured.err) == (0, "")
    return captured.out


def test_there_is_a_worked_example_per_story() -> None:
    """At least ten scenarios, one of them the JSON a backend sends, each with a notebook API."""
    assert len(SCENARIOS) >= 10
    assert any(p.suffix == ".json" for p in SCENARIOS)
    assert {p.stem for p in NOTEBOOKS} >= {
        "notebook_money",
        "notebook_quote",
        "notebook_group",
        "notebook_settle",
        "notebook_operations",
    }


@pytest.mark.parametrize("path", [p for p in SCENARIOS if p.suffix == ".toml"], ids=str)
def test_every_toml_scenario_tells_its_story_in_a_header(path: Path) -> None:
    """A finance reader learns what happened before reading the events."""
    header = path.read_text(encoding="utf-8").splitlines()[:2]
    assert all(line.startswith("# ") for line in header)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_text_statement_matches_the_committed_one(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tuangou settle FILE`` prints exactly the committed statement."""
    _compare(_settle(capsys, str(path)), _expected(path, "txt"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_json_statement_matches_the_committed_one(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tuangou settle FILE --json`` prints exactly the committed JSON statement."""
    _compare(_settle(capsys, str(path), "--json"), _expected(path, "json"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_ledger_balances_and_every_cent_is_held(path: Path) -> None:
    """The ledger balances and the independent audit agrees; the cash in clearing is exactly
    what the parties hold; the split's parts add up to the net; nothing is left owed back."""
    statement = settle(load(path))
    assert statement.ledger_balanced
    assert statement.ledger_audited, statement.audit_differences
    assert statement.ledger_entries > 0
    sums = {Account(name): balance for name, balance in statement.balances.items()}
    debits = sum(b.debits for b in sums.values())
    assert debits == sum(b.credits for b in sums.values())
    cash, held = holdings(sums)
    assert cash == held == statement.net.minor
    assert sums[Account.REFUNDS_PAYABLE].amount == 0
    parts = statement.split
    assert parts.payment_fee + parts.platform + parts.leader + parts.merchant == statement.net


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_json_statement_agrees_with_the_library(path: Path) -> None:
    """The committed JSON says balanced; its totals are the sums of its orders and unmatched
    payments; each order's split sums to its net and the statement's split to the orders';
    the leaders' commissions sum to the leader share."""
    data = json.loads(_expected(path, "json").read_text(encoding="utf-8"))
    assert data["schema"] == 1
    assert data["ledger"]["balanced"] is True
    currency = data["currency"]

    def minor(text: str) -> int:
        return Money.parse(text, currency).minor

    stray = sum(minor(u["amount"]) for u in data["unmatched"])
    paid = sum(minor(o["paid"]) for o in data["orders"]) + stray
    refunded = sum(minor(o["refunded"]) for o in data["orders"]) + stray
    assert (paid, refunded) == (minor(data["totals"]["paid"]), minor(data["totals"]["refunded"]))
    parts = ("payment_fee", "platform", "leader", "merchant")
    for order in data["orders"]:
        assert sum(minor(order["split"][p]) for p in parts) == minor(order["net"])
        assert minor(order["net"]) == minor(order["paid"]) - minor(order["refunded"])
        assert sum(minor(r["amount"]) for r in order["refunds"]) == minor(order["refunded"])
    for part in (*parts, "subsidy"):
        assert sum(minor(o["split"][part]) for o in data["orders"]) == minor(data["split"][part])
    assert sum(minor(data["split"][p]) for p in parts) == minor(data["totals"]["net"])
    assert sum(minor(line["commission"]) for line in data["leaders"]) == minor(
        data["split"]["leader"]
    )
    assert data["points"]["standing"] == sum(o.get("points", 0) for o in data["orders"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_example_prints_the_committed_output(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each notebook example runs as a script and prints exactly its committed output."""
    runpy.run_path(str(path), run_name="__main__")
    captured = capsys.readouterr()
    assert captured.err == ""
    _compare(captured.out, _expected(path, "txt"))
