"""Named cases the random runs reach only now and then, so that breaking them fails every run.

With the default profile the stateful machine found a stock check that ignores ``qty``, and
lottery losers keeping their stock, in about one run in five. Each rule here has a named test
and a property whose ``@example`` is the case itself: the example runs first on every run, so
a broken rule fails every time (docs/testing.md, "Sharp runs", shows each one broken and
caught five runs in five).
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from drivers import Run, at, campaign, cny
from tuangou_core.group import Draw, GroupStatus, Open, OrderStatus, StockReleased, Tick

DEADLINE = 24 * 60  # the milk-tea window is 24 hours


# -- stock counts units, not orders ------------------------------------------------------------


def test_a_two_unit_order_cannot_take_the_last_unit() -> None:
    """Stock 3: an order of 2 takes two units; a second order of 2 is out_of_stock, though one
    unit is left; an order of 1 takes it."""
    run = Run(campaign(size=2, stock=3))
    run.open("g1", "u1", qty=2)
    assert run.state.stock_taken == 2
    assert run.refused(Open(at(1), "g2", "u2", 2)).code == "out_of_stock"
    run.open("g3", "u3", 2, qty=1)
    assert run.state.stock_taken == 3


@example(stock=3, qtys=[2, 2])
@example(stock=4, qtys=[3, 2, 1])
@given(stock=st.integers(1, 8), qtys=st.lists(st.integers(1, 4), min_size=1, max_size=6))
def test_stock_is_never_oversold_by_orders_of_several_units(stock: int, qtys: list[int]) -> None:
    """Orders of any quantity: each is taken exactly when its units fit what is left, and the
    units taken never pass the stock."""
    run = Run(campaign(size=2, stock=stock))
    taken = 0
    for i, qty in enumerate(qtys):
        command = Open(at(i), f"g{i}", f"u{i}", qty)
        if taken + qty <= stock:
            run.do(command)
            taken += qty
        else:
            assert run.refused(command).code == "out_of_stock"
        assert run.state.stock_taken == taken <= stock


# -- lottery losers give their units back ------------------------------------------------------


def _drawn_lottery(qtys: list[int], seed: str) -> tuple[Run, int]:
    """A lottery of three (one winner) whose members bought *qtys*, formed and drawn with
    *seed*; the stock is exactly what they bought. Returns the run and the winner's units."""
    run = Run(campaign(rule="lottery", size=3, winners=1, stock=sum(qtys)))
    run.open("g1", "u0", qty=qtys[0])
    run.pay("g1", "u0")
    for i, qty in enumerate(qtys[1:], start=1):
        run.join("g1", f"u{i}", i, qty=qty)
        run.pay("g1", f"u{i}", i)
    assert run.group("g1").status is GroupStatus.FORMED
    run.do(Draw(at(10), "g1", seed))
    (winner,) = run.group("g1").winners
    return run, run.order("g1", winner).qty


def test_lottery_losers_units_return_to_stock_at_the_draw() -> None:
    """Three members of 2 units each, stock 6: after the draw only the winner's 2 stay taken,
    each loser's release is recorded, and a newcomer can buy the 4 the losers gave back."""
    run, kept = _drawn_lottery([2, 2, 2], "seed-42")
    assert kept == 2 and run.state.stock_taken == 2
    released = [e for e in run.log if isinstance(e, StockReleased)]
    assert sorted((e.member, e.units) for e in released) == sorted(
        (m, 2) for m in ("u0", "u1", "u2") if m not in run.group("g1").winners
    )
    run.open("g2", "late", 11, qty=4)
    assert run.state.stock_taken == 6


@example(qtys=[2, 2, 2], seed="seed-42")
@example(qtys=[1, 3, 2], seed="s")
@given(qtys=st.lists(st.integers(1, 3), min_size=3, max_size=3), seed=st.text(min_size=1))
def test_after_a_draw_only_the_winners_units_are_taken(qtys: list[int], seed: str) -> None:
    """Whatever the quantities and the seed, the stock taken after the draw is the winner's
    units, and every loser is refunded in full."""
    run, kept = _drawn_lottery(qtys, seed)
    assert run.state.stock_taken == kept
    losers = [o for o in run.group("g1").orders.values() if o.member not in run.group("g1").winners]
    assert all(o.status is OrderStatus.REFUNDED and o.net.is_zero for o in losers)


# -- virtual completion (模拟成团) -------------------------------------------------------------


def _at_deadline(size: int, paid: int, virtual_min: int) -> Run:
    """A fixed group of *size* with virtual completion, *paid* members paid, at its deadline."""
    run = Run(campaign(size=size, on_expiry="virtual_complete", virtual_min=virtual_min))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    for i in range(2, paid + 1):
        run.join_and_pay("g1", f"u{i}", i)
    run.do(Tick(at(DEADLINE)))
    return run


def test_virtual_completion_fills_every_missing_slot_with_a_filler_that_pays_nothing() -> None:
    """Size 5, virtual_min 2, two paid at the deadline: the group forms with three fillers,
    both real orders await shipment at the group price, and the money held is theirs alone."""
    run = _at_deadline(5, 2, 2)
    group = run.group("g1")
    assert (group.status, group.formed_size, group.virtual) == (GroupStatus.FORMED, 5, 3)
    assert {o.status for o in group.orders.values()} == {OrderStatus.AWAITING_SHIPMENT}
    assert sum(o.net.minor for o in group.orders.values()) == 2 * cny("70").minor


@example(size=5, paid=2, virtual_min=2)
@example(size=5, paid=4, virtual_min=4)
@example(size=3, paid=1, virtual_min=1)
@example(size=5, paid=3, virtual_min=4)
@given(size=st.integers(2, 6), paid=st.integers(1, 5), virtual_min=st.integers(1, 6))
def test_virtual_completion_forms_exactly_from_virtual_min(
    size: int, paid: int, virtual_min: int
) -> None:
    """At the deadline a group with at least virtual_min paid forms with one filler per
    missing member and no money for them; below it, it fails and refunds everyone."""
    if paid >= size or virtual_min > size:
        return  # formed before the deadline, or a campaign that cannot be built
    run = _at_deadline(size, paid, virtual_min)
    group = run.group("g1")
    if paid >= virtual_min:
        assert (group.status, group.formed_size, group.virtual) == (
            GroupStatus.FORMED,
            size,
            size - paid,
        )
        assert sum(o.net.minor for o in group.orders.values()) == paid * cny("70").minor
    else:
        assert group.status is GroupStatus.FAILED
        assert all(o.net.is_zero for o in group.orders.values())
