"""Every notebook in notebooks/ runs headless (nbclient, the python3 kernel) with no error, shows
its plots, and prints the figures the library computes for the same data.

nbclient, ipykernel, pandas and matplotlib are dev extras: a CI without them fails here, it
never skips. The committed notebooks carry no outputs, so a diff shows only what changed in
their code and prose.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from tuangou_core.campaign import Campaign
from tuangou_core.money import Money, Rate
from tuangou_core.reporting import Metrics, report

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _execute(path: Path) -> Any:
    book = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    return book


@pytest.fixture(scope="module")
def executed() -> dict[str, Any]:
    """Each notebook, executed once for every test of this module."""
    return {path.stem: _execute(path) for path in BOOKS}


def _outputs(book: Any) -> list[Any]:
    return [out for cell in book.cells if cell.cell_type == "code" for out in cell.outputs]


def _printed(book: Any) -> str:
    return "".join(
        o.text for o in _outputs(book) if o.output_type == "stream" and o.name == "stdout"
    )


def test_there_are_the_two_notebooks_the_issue_asks_for() -> None:
    """An analyst's (rule variants) and a finance reader's (statement, split, journal, audit)."""
    assert [p.name for p in BOOKS] == ["analyst_rule_variants.ipynb", "finance_statement.ipynb"]


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_carry_no_outputs(path: Path) -> None:
    """Outputs are made by running them, never committed."""
    book = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(book)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", [p.stem for p in BOOKS])
def test_every_notebook_runs_without_error_and_shows_its_plots(
    name: str, executed: dict[str, Any]
) -> None:
    """No cell raised; each notebook shows at least one PNG figure; nothing on stderr but
    the kernel's own notices."""
    outputs = _outputs(executed[name])
    assert [o for o in outputs if o.output_type == "error"] == []
    pictures = [o for o in outputs if "data" in o and "image/png" in o.data]
    assert len(pictures) >= {"analyst_rule_variants": 2, "finance_statement": 1}[name]
    errors = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "Traceback" not in errors


def _variant_metrics() -> dict[str, Metrics]:
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        from day import arrivals, replay  # noqa: PLC0415 - the notebook's own helper
    finally:
        sys.path.remove(str(NOTEBOOKS))
    day = arrivals(seed=16, groups=300)
    fixed = Campaign.build(
        {"id": "fixed-3", "list_price": "100.00", "rule": "fixed", "size": 3, "price": "70.00"}
    )
    tiered = Campaign.build(
        {
            "id": "tiered-3-5",
            "list_price": "100.00",
            "rule": "tiered",
            "tiers": [{"size": 3, "price": "80.00"}, {"size": 5, "price": "70.00"}],
        }
    )
    found = {}
    for name, campaign, due in (("fixed", fixed, "70.00"), ("tiered", tiered, "80.00")):
        steps, _fold = replay(campaign, day, Money.parse(due))
        found[name] = report([event for step in steps for event in step.events])
    return found


def _pct(rate: Rate | None) -> str:
    return "—" if rate is None else f"{float(rate):.2%}"


def test_the_analyst_notebook_prints_the_reports_figures(executed: dict[str, Any]) -> None:
    """The comparison table holds, for each variant, the success rate, GMV, refunds, net and
    time to form that report() gives for the same generated day."""
    printed = _printed(executed["analyst_rule_variants"])
    m = _variant_metrics()
    fixed, tiered = m["fixed"], m["tiered"]
    rows = [line for line in printed.splitlines() if line.startswith("  ")]
    lines = {re.split(r"\s{2,}", line.strip())[0]: line for line in rows}

    def cells(figure: str) -> list[str]:
        return lines[figure].split()[-2:]

    assert cells("success rate") == [_pct(fixed.success_rate), _pct(tiered.success_rate)]
    assert cells("GMV") == [str(fixed.gmv), str(tiered.gmv)]
    assert cells("refunded") == [str(fixed.refunded), str(tiered.refunded)]
    assert cells("net") == [str(fixed.net), str(tiered.net)]
    assert cells("refund rate") == [_pct(fixed.refund_rate), _pct(tiered.refund_rate)]
    median = [fixed.time_to_form_median, tiered.time_to_form_median]
    assert all(t is not None for t in median)
    tokens = lines["median time to form"].split()
    assert [tokens[-4], tokens[-2]] == [f"{t.total_seconds() / 3600:.1f}" for t in median if t]
    assert f"{fixed.counts.orders_formed}" in lines["orders formed"]
    tier = dict(tiered.refunds_by_reason)["tier_difference"]
    assert lines["of which tier difference"].split()[-1] == str(tier)
    both = fixed.counts.groups_formed + tiered.counts.groups_formed
    assert f"both variants together: {both} of {fixed.closed + tiered.closed} groups formed" in (
        printed
    )


def test_the_analyst_table_aligns_its_chinese_header(executed: dict[str, Any]) -> None:
    """The header names 3人团: the columns still line up, by display width."""
    printed = _printed(executed["analyst_rule_variants"])
    table = [line for line in printed.splitlines() if line.startswith("  ")]
    from tuangou_core.reporting import display_width  # noqa: PLC0415

    assert "fixed 3人团" in table[0]
    assert len({display_width(line) for line in table}) == 1


def test_the_finance_notebook_prints_the_committed_statement(executed: dict[str, Any]) -> None:
    """The statement it prints is examples/milk_tea_shanghai.expected.txt, byte for byte; the
    split check, the journal's totals and the audit agree."""
    printed = _printed(executed["finance_statement"])
    expected = (ROOT / "examples" / "milk_tea_shanghai.expected.txt").read_text(encoding="utf-8")
    assert expected in printed
    assert "every order's parts sum to its net: True" in printed
    assert "total net: 110.00 = 0.65 + 5.50 + 3.30 + 100.55" in printed
    assert "18 entries; debits equal credits" in printed
    assert "audit: agrees with the journal on every account" in printed
