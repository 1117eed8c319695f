"""Quoting: a cart priced under a campaign, a context and a stacking policy.

The engine (``_engine``, fed by ``_offers``) works in integer minor units; this module checks
the input, chooses the group price, and builds the frozen :class:`Quote` once, at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeVar

from tuangou_core._validators import listed as as_list
from tuangou_core.campaign import Campaign, Funder, TieredRule, check_quantity
from tuangou_core.errors import InvalidInput, InvalidRule, Rejected
from tuangou_core.money import MAX_MINOR, Money
from tuangou_core.pricing._discounts import Discount, Role
from tuangou_core.pricing._engine import SHIPPING_SKU, Priced, run
from tuangou_core.pricing._plan import plan
from tuangou_core.pricing._policy import Context, StackingPolicy
from tuangou_core.pricing._quote import Line, Quote, QuoteLine, Skipped, Step

_MEMBER_POLICY: Final = StackingPolicy()
_PLAIN: Final = Context()
_T = TypeVar("_T")

MAX_LINES: Final = 1000
"""The most lines one quote prices: more than any cart holds."""


# -- choosing the group price -----------------------------------------------------------------


def group_unit_price(campaign: Campaign, context: Context | None = None) -> Money:
    """The unit price the campaign charges in *context*.

    The opener pays the leader price when the campaign has one. A tiered campaign charges the
    tier reached by ``context.group_size``, or the first (highest) tier when the size is
    unknown or below the first tier (what ``prepay_highest`` charges up front).
    """
    _require(campaign, Campaign, "campaign")
    context = _require(context, Context, "context") if context is not None else Context()
    if context.role is Role.LEADER and campaign.leader_price is not None:
        return campaign.leader_price
    rule = campaign.rule
    if isinstance(rule, TieredRule) and context.group_size is not None:
        tier = rule.tier_for(context.group_size)
        if tier is not None:
            return tier.price
    return rule.price


# -- quoting ----------------------------------------------------------------------------------


def quote(
    lines: Sequence[Line],
    campaign: Campaign,
    context: Context | None = None,
    policy: StackingPolicy | None = None,
    *,
    offers: Sequence[Discount] = (),
) -> Quote:
    """Price *lines* under *campaign*: group price, then each phase of *policy*.

    Args:
        lines: the cart, at least one line.
        campaign: its currency, list price, group rule, zone and coupons.
        context: who buys, when, with which coupons and points; a plain joiner by default.
        policy: how discounts stack; :class:`StackingPolicy()` by default.
        offers: the discounts in force besides the campaign's coupons. Those marked
            ``coupon=True`` apply only when presented by id in ``context.coupons``.

    Returns:
        The quote, with one step per discount that took something.

    Raises:
        InvalidInput: ``invalid_line`` for an empty cart (or more than :data:`MAX_LINES`
            lines), ``currency_mismatch``; ``invalid_input`` for a campaign, context or policy
            of the wrong type.
        InvalidRule: for offers that cannot be run (a duplicate id, another currency).
        Rejected: ``unknown_coupon`` or ``duplicate_coupon`` for the coupons presented;
            ``insufficient_points`` for more points than the balance.
    """
    if type(campaign) is not Campaign:
        _require(campaign, Campaign, "campaign")
    context = _PLAIN if context is None else _require(context, Context, "context")
    policy = _MEMBER_POLICY if policy is None else _require(policy, StackingPolicy, "policy")
    if not lines or (
        type(lines) is not list
        and type(lines) is not tuple
        and (isinstance(lines, str) or not isinstance(lines, Sequence))
    ):
        raise InvalidInput("invalid_line", "a quote needs at least one line", field="lines")
    if len(lines) > MAX_LINES:
        raise InvalidInput(
            "invalid_line", f"a quote holds at most {MAX_LINES} lines", field="lines"
        )
    if type(offers) is not tuple and type(offers) is not list:
        offers = as_list(offers, "offers", code="invalid_rule", error=InvalidRule, max_items=1000)
    phases = plan(campaign, context.coupons, policy, offers).phases
    wanted = context.points_to_use
    if wanted is not None and wanted > context.points_balance:
        raise Rejected(
            "insufficient_points",
            f"cannot redeem {wanted} points from a balance of {context.points_balance}",
            field="points_to_use",
            value=wanted,
        )
    cart = _Cart(lines, campaign, context)
    single = None  # a one-line cart at the campaign's list price names the group rule
    if len(lines) == 1 and cart.listed[0] == campaign.list_price:
        single = cart.units[0]
    priced = run(
        cart.skus, cart.qtys, cart.list_totals, cart.base, campaign, context, policy, phases, single
    )
    return _quote_of(cart, priced)


def _require(value: _T, kind: type[_T], field: str) -> _T:
    if type(value) is not kind and not isinstance(value, kind):
        raise InvalidInput(
            "invalid_input",
            f"{field} must be a {kind.__name__}, got {type(value).__name__}",
            field=field,
            value=type(value).__name__,
        )
    return value


class _Cart:
    """The lines checked and resolved: each line's list and unit price, and its amounts."""

    __slots__ = ("base", "list_totals", "listed", "qtys", "skus", "units")

    def __init__(self, lines: Sequence[Line], campaign: Campaign, context: Context) -> None:
        currency = campaign.currency
        self.skus: list[str] = []
        self.qtys: list[int] = []
        self.listed: list[Money] = []
        self.units: list[Money] = []
        self.list_totals: list[int] = []
        self.base: list[int] = []
        add_sku, add_qty, add_listed = self.skus.append, self.qtys.append, self.listed.append
        add_unit, add_list, add_base = self.units.append, self.list_totals.append, self.base.append
        group_unit: Money | None = None
        for index, line in enumerate(lines):
            if type(line) is not Line and not isinstance(line, Line):
                raise InvalidInput(
                    "invalid_line", f"lines[{index}] must be a Line", field=f"lines[{index}]"
                )
            unit = line.unit_price
            if unit is None:
                unit = group_unit = group_unit or group_unit_price(campaign, context)
                listed = line.list_price or campaign.list_price
            else:
                if unit.currency != currency:
                    _mismatch(unit, currency, f"lines[{index}].unit_price")
                listed = line.list_price or unit
            if listed.currency != currency:
                _mismatch(listed, currency, f"lines[{index}].list_price")
            if unit.minor > listed.minor:
                raise InvalidInput(
                    "invalid_price",
                    f"lines[{index}].unit_price {unit} is above its list price {listed}",
                    field=f"lines[{index}].unit_price",
                    value=str(unit),
                )
            qty = line.qty
            add_sku(line.sku)
            add_qty(qty)
            add_listed(listed)
            add_unit(unit)
            add_list(listed.minor * qty)
            add_base(unit.minor * qty)


def _mismatch(value: Money, currency: str, field: str) -> None:
    raise InvalidInput(
        "currency_mismatch",
        f"{field} is in {value.currency}, the campaign is in {currency}",
        field=field,
        value=value.currency,
    )


# Building the frozen result. The values have no validators (they are checked above), so each
# is built as its mutable twin (exactly its slots, so plain attribute stores) and becomes the
# frozen value by a change of class: about two thirds of the cost of the slots' own setters,
# and a third of the generated __init__'s (which sets each slot through object.__setattr__).
# The frozen classes have no __weakref__ slot, or the layouts would differ; the twins' slots
# are theirs (tests/pricing holds them equal).


class _Money:
    __slots__ = ("currency", "minor")
    minor: int
    currency: str


class _QuoteLine:
    __slots__ = (
        "base",
        "list_price",
        "list_total",
        "qty",
        "shipping",
        "sku",
        "total",
        "unit_price",
    )
    sku: str
    qty: int
    list_price: Money
    unit_price: Money
    list_total: Money
    base: Money
    total: Money
    shipping: bool


class _Step:
    __slots__ = (
        "amount",
        "funder",
        "kind",
        "minor_shares",
        "name",
        "note",
        "phase",
        "points",
        "rule",
    )
    kind: str
    name: str
    rule: str
    funder: Funder
    amount: Money
    minor_shares: tuple[int, ...]
    phase: str
    note: str
    points: int


class _Quote:
    __slots__ = ("base", "currency", "lines", "list_total", "skipped", "steps", "total")
    currency: str
    list_total: Money
    base: Money
    steps: tuple[Step, ...]
    lines: tuple[QuoteLine, ...]
    total: Money
    skipped: tuple[Skipped, ...]


TWINS: Final = ((_Money, Money), (_QuoteLine, QuoteLine), (_Step, Step), (_Quote, Quote))


def _quote_of(cart: _Cart, priced: Priced) -> Quote:
    """The frozen quote of a finished run: every Money, line and step built here, once."""
    currency = priced.currency
    list_sum = sum(priced.list_totals)
    if list_sum > MAX_MINOR:
        _refuse_out_of_range(cart, priced)
    # Every amount below is at most list_sum (a line's base and total at most its list total,
    # a step at most the lines it took from), so none needs the bound checked again.
    lines = _lines_of(cart, priced)
    result = _Quote()
    result.currency = currency
    result.list_total = _money(list_sum, currency)
    result.base = _money(sum(priced.base), currency)
    result.steps = _steps_of(priced, len(lines))
    result.lines = lines
    result.total = _money(sum(priced.running), currency)
    skipped = priced.skipped
    result.skipped = tuple([Skipped(name, why) for name, why in skipped]) if skipped else ()
    result.__class__ = Quote  # type: ignore[assignment]
    return result  # type: ignore[return-value]


def _money(minor: int, currency: str) -> Money:
    # Money._trusted without its bound check: the caller has bounded every amount.
    money = _Money()
    money.minor = minor
    money.currency = currency
    money.__class__ = Money  # type: ignore[assignment]
    return money  # type: ignore[return-value]


def _lines_of(cart: _Cart, priced: Priced) -> tuple[QuoteLine, ...]:
    currency = priced.currency
    base, running = priced.base, priced.running
    # Money built inline, here and in _steps_of: a quote makes some 30 of them.
    lines: list[Any] = []
    for sku, qty, listed, unit, line_list, line_base, line_left in zip(
        cart.skus,
        cart.qtys,
        cart.listed,
        cart.units,
        priced.list_totals,
        base,
        running,
        strict=False,
    ):
        # A single unit's totals are its prices: reuse those amounts rather than build anew.
        list_total: Any
        line_total: Any
        left: Any
        if qty == 1:
            list_total = listed
            line_total = unit
        else:
            list_total = _Money()
            list_total.minor = line_list
            list_total.currency = currency
            list_total.__class__ = Money
            line_total = _Money()
            line_total.minor = line_base
            line_total.currency = currency
            line_total.__class__ = Money
        if line_left == line_base:
            left = line_total
        else:
            left = _Money()
            left.minor = line_left
            left.currency = currency
            left.__class__ = Money
        line = _QuoteLine()
        line.sku = sku
        line.qty = qty
        line.list_price = listed
        line.unit_price = unit
        line.list_total = list_total
        line.base = line_total
        line.total = left
        line.shipping = False
        line.__class__ = QuoteLine  # type: ignore[assignment]
        lines.append(line)
    index = priced.shipping_index
    if index is not None:
        fee = _money(base[index], currency)
        line = _QuoteLine()
        line.sku = SHIPPING_SKU
        line.qty = 1
        line.list_price = line.unit_price = line.list_total = line.base = fee
        line.total = fee if running[index] == base[index] else _money(running[index], currency)
        line.shipping = True
        line.__class__ = QuoteLine  # type: ignore[assignment]
        lines.append(line)
    return tuple(lines)


def _steps_of(priced: Priced, n: int) -> tuple[Step, ...]:
    currency = priced.currency
    steps: list[Any] = []
    for phase, kind, name, rule, funder, taken, shares, note, points in priced.steps:
        amount: Any = _Money()
        amount.minor = taken
        amount.currency = currency
        amount.__class__ = Money
        step = _Step()
        step.kind = kind
        step.name = name
        step.rule = rule
        step.funder = funder
        step.amount = amount
        # A step that ran before the shipping line was added takes nothing of it.
        step.minor_shares = (
            tuple(shares) if len(shares) == n else (*shares, *(0,) * (n - len(shares)))
        )
        step.phase = phase
        step.note = note
        step.points = points
        step.__class__ = Step  # type: ignore[assignment]
        steps.append(step)
    return tuple(steps)


def _refuse_out_of_range(cart: _Cart, priced: Priced) -> None:
    """Raise the bound error for the first amount past it, in the order the quote's amounts
    are built (lines, steps, totals): a cart worth more than the bound is refused as before."""
    values: list[int] = []
    for qty, line_list, line_base, line_left in zip(
        cart.qtys, priced.list_totals, priced.base, priced.running, strict=False
    ):
        if qty != 1:
            values += [line_list, line_base]
        values.append(line_left)
    values += [record[5] for record in priced.steps]
    values += [sum(priced.list_totals), sum(priced.base), sum(priced.running)]
    for value in values:
        Money._trusted(value, priced.currency)  # raises amount_out_of_range past the bound


def quote_member(
    campaign: Campaign,
    *,
    unit_price: Money,
    qty: int = 1,
    coupon_ids: Sequence[str] = (),
    role: str = "joiner",
) -> Quote:
    """Price one member's order in a group.

    The base is ``unit_price × qty`` (the group, tier or leader price the caller chose); the
    list price ``campaign.list_price × qty`` is shown first and the difference is a
    merchant-funded ``group price`` step. The campaign's coupons named by *coupon_ids* then
    apply in the order listed, each on the running amount: amount off takes its amount,
    percent off takes the running amount × percent rounded half up, 满X减Y takes its amount
    only when the running amount reaches X. No coupon takes the amount due below one minor
    unit; a coupon so trimmed says so in its step's note.

    Raises:
        InvalidInput: ``invalid_quantity``, ``invalid_price``, ``invalid_role``,
            ``invalid_coupons``, ``currency_mismatch``.
        Rejected: ``unknown_coupon`` or ``duplicate_coupon`` (with ``coupon=`` the id).
    """
    _require(campaign, Campaign, "campaign")
    qty = check_quantity(qty)
    if not isinstance(unit_price, Money) or unit_price.minor <= 0:
        raise InvalidInput(
            "invalid_price",
            f"unit_price must be a positive amount, got {type(unit_price).__name__}",
            field="unit_price",
            value=str(unit_price) if isinstance(unit_price, Money) else type(unit_price).__name__,
        )
    context = Context(role=role, coupons=coupon_ids)
    line = Line(campaign.id, qty, unit_price, campaign.list_price)
    return quote((line,), campaign, context, _MEMBER_POLICY)
