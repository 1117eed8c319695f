"""The int floor: the benchmark cart's rules as plain int arithmetic on lists, nothing else.

No values are built, no offers are checked and no text is written: the lines' amounts in fen,
each discount's shares, the total. It is what the arithmetic of a quote costs in CPython, the
floor under any implementation that still explains itself; the library's quote is measured
against it (``benchmarks/bench_pricing.py``). Its figures are the library's, checked by
``tests/pricing/test_baselines.py``.
"""

from __future__ import annotations

from benchmarks.carts import Cart

# A step as the floor records it: the discount's id, its shares (one per line), points used.
IntStep = tuple[str, list[int], int]


# The quote as the floor returns it: list totals, bases, totals per line, steps, total.
IntQuote = tuple[list[int], list[int], list[int], list[IntStep], int]


def _allocate(amount: int, weights: list[int]) -> list[int]:
    # Largest remainder, ties to the earlier line: money.allocate's rule.
    whole = sum(weights)
    parts = []
    remainders = []
    for weight in weights:
        share, remainder = divmod(amount * weight, whole)
        parts.append(share)
        remainders.append(remainder)
    leftover = amount - sum(parts)
    if leftover:
        for index in sorted(range(len(parts)), key=remainders.__getitem__, reverse=True)[:leftover]:
            parts[index] += 1
    return parts


def _trim(shares: list[int], raw: int, state: list[int], goods: int, running: list[int]) -> int:
    # The share cap (state[0] is the room left) and the 0.01 floor; the amount it may take.
    limit = raw
    room = state[0]
    if room < limit:
        limit = max(room, 0)
    above_floor = sum(running[:goods]) - 1
    if above_floor < limit:
        limit = max(above_floor, 0)
    return limit


def _take(
    name: str,
    shares: list[int],
    state: list[int],
    goods: int,
    running: list[int],
    steps: list[IntStep],
    points_per_unit: int = 0,
) -> None:
    raw = sum(shares)
    if not raw:
        return
    limit = _trim(shares, raw, state, goods, running)
    if limit <= 0:
        return
    if limit != raw:
        shares = _allocate(limit, shares)
    for i, share in enumerate(shares):
        running[i] -= share
    state[0] -= limit
    points = -(-limit * points_per_unit // 100) if points_per_unit else 0
    steps.append((name, shares, points))


def quote_int(cart: Cart) -> IntQuote:
    """The cart's figures in fen."""
    lines = cart.lines
    goods = len(lines)
    list_totals = [listed * qty for _, qty, _, listed in lines]
    base = [unit * qty for _, qty, unit, _ in lines]
    running = list(base)
    steps: list[IntStep] = []
    state = [sum(base) * 3 // 5]  # the room under the 60% cap
    group = [a - b for a, b in zip(list_totals, base, strict=True)]
    if any(group):
        steps.append(("group price", group, 0))
    if cart.member:  # vip: 5% of each line, half up, no more than what is left on it
        shares = [min((amount * 5 + 50) // 100, amount) for amount in running]
        _take("vip", shares, state, goods, running, steps)
    left = sum(running)  # m100: 每满100减10 on the order, spread by what is left on each line
    take = 1000 * (left // 10000)
    if take and left:
        _take("m100", _allocate(min(take, left), list(running)), state, goods, running, steps)
    if cart.coupon:  # c10: 10 off the order
        left = sum(running)
        if left:
            _take("c10", _allocate(min(1000, left), list(running)), state, goods, running, steps)
    left = sum(running)  # points: 100 a yuan, at most half the order
    take = min(cart.points_balance, left // 2)
    if take and left:
        _take("points", _allocate(take, list(running)), state, goods, running, steps, 100)
    fee = cart.shipping_fee
    if fee:
        list_totals.append(fee)
        base.append(fee)
        running.append(fee)
        if sum(running[:goods]) >= 9900:  # ship: 满99包邮
            steps.append(("ship", [0] * goods + [fee], 0))
            running[goods] = 0
    return list_totals, base, running, steps, sum(running)
