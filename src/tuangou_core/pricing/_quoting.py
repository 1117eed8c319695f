"""Quoting: a cart priced under a campaign, a context and a stacking policy.

The engine (``_engine``, fed by ``_offers``) works in integer minor units; this module checks
the input, chooses the group price, and builds the frozen :class:`Quote` once, at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from tuangou_core.campaign import Campaign, TieredRule, check_quantity
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money
from tuangou_core.pricing._discounts import Discount, Role
from tuangou_core.pricing._engine import SHIPPING_SKU, Priced, Resolved, run
from tuangou_core.pricing._offers import discounts_in_play
from tuangou_core.pricing._policy import Context, StackingPolicy
from tuangou_core.pricing._quote import Line, Quote, QuoteLine, Skipped, Step

_MEMBER_POLICY: Final = StackingPolicy()


# -- choosing the group price -----------------------------------------------------------------


def group_unit_price(campaign: Campaign, context: Context | None = None) -> Money:
    """The unit price the campaign charges in *context*.

    The opener pays the leader price when the campaign has one. A tiered campaign charges the
    tier reached by ``context.group_size``, or the first (highest) tier when the size is
    unknown or below the first tier (what ``prepay_highest`` charges up front).
    """
    context = context or Context()
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
        InvalidInput: ``invalid_line`` for an empty cart, ``currency_mismatch``.
        InvalidRule: for offers that cannot be run (a duplicate id, another currency).
        Rejected: ``unknown_coupon`` or ``duplicate_coupon`` for the coupons presented;
            ``insufficient_points`` for more points than the balance.
    """
    context = context or Context()
    policy = policy or _MEMBER_POLICY
    if isinstance(lines, str) or not isinstance(lines, Sequence) or not lines:
        raise InvalidInput("invalid_line", "a quote needs at least one line", field="lines")
    discounts = discounts_in_play(campaign, context, offers)
    resolved = [_resolve(index, line, campaign, context) for index, line in enumerate(lines)]
    return _quote_of(resolved, run(resolved, campaign, context, policy, discounts))


def _resolve(index: int, line: Line, campaign: Campaign, context: Context) -> Resolved:
    if not isinstance(line, Line):
        raise InvalidInput(
            "invalid_line", f"lines[{index}] must be a Line", field=f"lines[{index}]"
        )
    currency = campaign.currency
    if line.unit_price is None:
        unit = group_unit_price(campaign, context)
        listed = line.list_price or campaign.list_price
    else:
        unit = line.unit_price
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
    return line.sku, line.qty, listed, unit


def _mismatch(value: Money, currency: str, field: str) -> None:
    raise InvalidInput(
        "currency_mismatch",
        f"{field} is in {value.currency}, the campaign is in {currency}",
        field=field,
        value=value.currency,
    )


def _quote_of(resolved: list[Resolved], priced: Priced) -> Quote:
    """The frozen quote of a finished run: every Money, line and step built here, once."""
    currency = priced.currency
    trusted = Money._trusted
    lines = []
    base, running = priced.base, priced.running
    # The goods lines come first; zip stops before the shipping line, added below.
    for (sku, qty, listed, unit), line_list, line_base, line_left in zip(
        resolved, priced.list_totals, base, running, strict=False
    ):
        # A single unit's totals are its prices: reuse those amounts rather than build anew.
        list_total = listed if qty == 1 else trusted(line_list, currency)
        line_total = unit if qty == 1 else trusted(line_base, currency)
        left = line_total if line_left == line_base else trusted(line_left, currency)
        lines.append(QuoteLine(sku, qty, listed, unit, list_total, line_total, left))
    index = priced.shipping_index
    if index is not None:
        fee = trusted(base[index], currency)
        left = fee if running[index] == base[index] else trusted(running[index], currency)
        lines.append(QuoteLine(SHIPPING_SKU, 1, fee, fee, fee, fee, left, shipping=True))
    n = len(lines)
    steps = [
        Step(
            kind,
            name,
            rule,
            funder,
            trusted(sum(shares), currency),
            tuple(shares) if len(shares) == n else (*shares, *(0,) * (n - len(shares))),
            phase,
            note,
            points,
        )
        for phase, kind, name, rule, funder, shares, note, points in priced.steps
    ]
    return Quote(
        currency,
        trusted(sum(priced.list_totals), currency),
        trusted(sum(base), currency),
        tuple(steps),
        tuple(lines),
        trusted(sum(running), currency),
        tuple([Skipped(name, reason) for name, reason in priced.skipped]),
    )


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
    qty = check_quantity(qty)
    if not isinstance(unit_price, Money) or unit_price.minor <= 0:
        raise InvalidInput(
            "invalid_price",
            f"unit_price must be a positive amount, got {unit_price!r}",
            field="unit_price",
            value=unit_price,
        )
    context = Context(role=role, coupons=coupon_ids)
    line = Line(campaign.id, qty, unit_price, campaign.list_price)
    return quote((line,), campaign, context, _MEMBER_POLICY)
