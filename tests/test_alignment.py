"""Every table a person reads aligns when members are named in Chinese: columns are padded by
display width (张 takes two columns), not by len()."""

from __future__ import annotations

import re
from datetime import date

from strategies import EventLog
from tuangou_core.campaign import Campaign
from tuangou_core.group import Fold, Join, Open, Pay, Tick
from tuangou_core.money import Money
from tuangou_core.operations import PickupPoint, pickup_day
from tuangou_core.reporting import display_width, report, statement_of
from tuangou_core.reporting import text_table as table

NAMES = ("张三丰", "李四", "欧阳娜娜的妈妈", "u9")


def _columns(line: str, cells: tuple[str, ...]) -> list[int]:
    """The display column at which each of *cells* starts in *line*."""
    found, start = [], 0
    for cell in cells:
        at = line.index(cell, start)
        found.append(display_width(line[:at]))
        start = at + len(cell)
    return found


def test_text_table_pads_by_display_width() -> None:
    """Rows of Chinese and ASCII names start every column at the same display column."""
    lines = table(("member", "paid"), [(n, "70.00") for n in NAMES], right={1})
    ends = {display_width(line) for line in lines}
    assert len(ends) == 1
    assert len({_columns(line, ("70.00",))[0] for line in lines[1:]}) == 1


def _fold_with_chinese_members() -> Fold:
    campaign = Campaign.build(
        {"id": "cn", "list_price": "100.00", "rule": "fixed", "size": 4, "price": "70.00"}
    )
    fold = Fold(campaign)
    at = EventLog.at
    fold.execute(Open(at(0), "团1", NAMES[0]))
    fold.execute(Pay(at(1), "团1", NAMES[0], "wx-0", Money.parse("70.00")))
    for n, name in enumerate(NAMES[1:], start=1):
        fold.execute(Join(at(2 * n), "团1", name))
        fold.execute(Pay(at(2 * n + 1), "团1", name, f"wx-{n}", Money.parse("70.00")))
    fold.execute(Tick(at(3000)))
    return fold


def test_the_statement_aligns_chinese_names() -> None:
    """The statement's orders table: every amount column starts at one display column."""
    fold = _fold_with_chinese_members()
    statement = statement_of((), fold.state)
    text = statement.text()
    orders = text.split("\nOrders\n")[1].split("\n\n")[0].splitlines()
    rows = [line for line in orders[1:] if not line.strip().startswith("refund")]
    assert len(rows) == 4
    assert len({display_width(line) for line in rows}) == 1


def test_the_metrics_leaders_table_aligns_chinese_names() -> None:
    """The metrics' leader table pads the leader column to the widest name."""
    fold = _fold_with_chinese_members()
    campaign = fold.state.campaign
    log = EventLog()
    log.campaign = campaign
    log.open("团1", NAMES[2]).pay("团1", NAMES[2], 1)
    log.open("团2", NAMES[0], 2).pay("团2", NAMES[0], 3)
    text = report(log.events).text()
    leaders = text.split("\nleaders\n")[1].splitlines()
    assert len(leaders) == 3
    assert len({display_width(line) for line in leaders}) == 1


def test_the_pickup_manifest_aligns_long_chinese_names() -> None:
    """A member name wider than eight columns widens its column for every line."""
    log = EventLog().paid_group("g1", (NAMES[2], NAMES[0], "u9"), 0).form("g1", 60)
    point = PickupPoint("P1", "东门便利店")
    day = pickup_day(
        log.events, dict.fromkeys((NAMES[2], NAMES[0], "u9"), "P1"), [point], date(2026, 3, 2)
    )
    lines = [line for line in day.text().splitlines() if line.startswith("  ")]
    assert len(lines) == 3
    starts = {display_width(line[: line.index("×")]) for line in lines}
    assert len(starts) == 1
    assert re.search(r"欧阳娜娜的妈妈 ×1", "".join(lines))
