"""Pricing: quote a cart under a campaign, stacking discounts as data, explaining every cent.

:func:`quote` prices cart lines under a campaign, a :class:`~tuangou_core.discounts.Context`
and a :class:`~tuangou_core.discounts.StackingPolicy`. It starts from the list price, takes the
group price (as a merchant-funded step), then runs the phases in the policy's order (item →
order → points → shipping by default). Each discount becomes a :class:`Step` that names its
funder and carries its integer share on every line; order-level discounts are spread over the
lines with :func:`~tuangou_core.money.allocate` by the lines' running amounts, so a refund of a
line can reverse exactly that line's share.

The engine that runs the phases (private ``_pricing_engine``, fed by ``_pricing_offers``)
works in integer minor units; this module checks the input and builds the frozen quote once,
at the end.

:func:`quote_member` is the one-line case the group decider uses: a member's order at the unit
price the decider chose, with the campaign's coupons applied in the order presented.

The invariants, for every quote: ``total == Σ line totals``; each step's shares sum to its
amount; no line is negative; ``list_total − discount_total == total``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, Final

import attrs

from tuangou_core._pricing_engine import SHIPPING_SKU, Priced, Resolved, run
from tuangou_core._pricing_offers import discounts_in_play
from tuangou_core._tables import html_table
from tuangou_core.campaign import Campaign, Funder, TieredRule
from tuangou_core.discounts import Context, Discount, Role, StackingPolicy
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money

__all__ = [
    "Line",
    "Quote",
    "QuoteLine",
    "Skipped",
    "Step",
    "group_unit_price",
    "quote",
    "quote_member",
]

_MEMBER_POLICY: Final = StackingPolicy()


def _quantity(value: object) -> int:
    if type(value) is not int or value < 1:
        raise InvalidInput(
            "invalid_quantity",
            f"qty must be a whole number of at least 1, got {value!r}",
            field="qty",
            value=value,
        )
    return value


def _optional_price(value: object, field: str) -> Money | None:
    if value is None:
        return None
    if not isinstance(value, Money) or value.minor < 0:
        raise InvalidInput(
            "invalid_price",
            f"{field} must be an amount of zero or more, got {value!r}",
            field=field,
            value=value,
        )
    return value


def _unit_price(value: object) -> Money | None:
    return _optional_price(value, "unit_price")


def _list_price(value: object) -> Money | None:
    return _optional_price(value, "list_price")


def _sku(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(
            "invalid_line", f"sku must be a non-empty string, got {value!r}", field="sku"
        )
    return value


@attrs.frozen
class Line:
    """A cart line to price.

    Args:
        sku: the product's id.
        qty: units, at least 1.
        unit_price: the price paid before discounts; the campaign's group price for the
            context's role and group size when unset.
        list_price: the single-buy unit price shown first; the campaign's list price when
            ``unit_price`` is unset, else ``unit_price``.
    """

    sku: str = attrs.field(converter=_sku)
    qty: int = attrs.field(default=1, converter=_quantity)
    unit_price: Money | None = attrs.field(default=None, converter=_unit_price)
    list_price: Money | None = attrs.field(default=None, converter=_list_price)


@attrs.frozen
class QuoteLine:
    """A priced line: list and base amounts, and the amount due after every step."""

    sku: str
    qty: int
    list_price: Money
    unit_price: Money
    list_total: Money
    base: Money
    total: Money
    shipping: bool = False


@attrs.frozen
class Step:
    """One discount as applied: its rule, its funder, its amount and its share on each line.

    ``shares`` lines up with :attr:`Quote.lines` and sums to ``amount`` (``minor_shares`` is
    the same in minor units). ``note`` records a cap or floor that trimmed it; ``points`` the
    points it redeemed.
    """

    kind: str
    name: str
    rule: str
    funder: Funder
    amount: Money
    minor_shares: tuple[int, ...]
    phase: str
    note: str = ""
    points: int = 0

    @property
    def shares(self) -> tuple[Money, ...]:
        """This step's share of each line of the quote, in line order."""
        currency = self.amount.currency
        return tuple(Money._trusted(minor, currency) for minor in self.minor_shares)


@attrs.frozen
class Skipped:
    """A discount that was in play but took nothing, and why."""

    name: str
    reason: str


@attrs.frozen
class Quote:
    """What an order costs and how: every step from the list price to the amount due.

    ``list_total − discount_total == total == Σ line totals``.
    """

    currency: str
    list_total: Money
    base: Money
    steps: tuple[Step, ...]
    lines: tuple[QuoteLine, ...]
    total: Money
    skipped: tuple[Skipped, ...] = ()

    @property
    def discount_total(self) -> Money:
        """Every step together: the group price below list included."""
        return Money._trusted(sum(s.amount.minor for s in self.steps), self.currency)

    @property
    def points_used(self) -> int:
        """Points redeemed by this order."""
        return sum(s.points for s in self.steps)

    def funded_by(self, funder: Funder | str) -> Money:
        """The discounts paid for by *funder* (merchant, platform or leader)."""
        who = funder if isinstance(funder, Funder) else _funder(funder)
        return Money._trusted(
            sum(s.amount.minor for s in self.steps if s.funder is who), self.currency
        )

    def step(self, name: str) -> Step | None:
        """The step named *name* (a discount or coupon id, or ``"group price"``), or None."""
        for step in self.steps:
            if step.name == name:
                return step
        return None

    def line_shares(self, index: int) -> tuple[tuple[str, Money], ...]:
        """Line *index*'s share of each step, by step name (zero shares left out)."""
        return tuple(
            (s.name, Money._trusted(s.minor_shares[index], self.currency))
            for s in self.steps
            if s.minor_shares[index]
        )

    def explain(self) -> str:
        """The steps as a finance reader follows them; the last line sums the lines above."""
        rows: list[tuple[str, Money, str]] = []
        for line in self.lines:
            if line.shipping:
                rows.append(("shipping fee", line.list_total, ""))
            else:
                rows.append(
                    (f"list price {line.sku} {line.qty} × {line.list_price}", line.list_total, "")
                )
        for step in self.steps:
            note = f"funded by {step.funder.value}"
            if step.points:
                note += f", {step.points} points"
            if step.note:
                note += f"; {step.note}"
            rows.append((f"{step.name} ({step.rule})", -step.amount, note))
        rows.append(("due", self.total, ""))
        width = max(_width(label) for label, _, _ in rows) + 2
        out = []
        for label, amount, note in rows:
            text = str(amount).replace("-", "−")
            pad = " " * (width - _width(label))
            out.append(f"{label}{pad}{text:>12}{'   ' + note if note else ''}")
        out.extend(f"(skipped {s.name}: {s.reason})" for s in self.skipped)
        return "\n".join(out)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per line, with that line's share of every step, for a DataFrame."""
        records = []
        for index, line in enumerate(self.lines):
            record: dict[str, Any] = {
                "sku": line.sku,
                "qty": line.qty,
                "list_total": str(line.list_total),
                "base": str(line.base),
                "total": str(line.total),
            }
            for step in self.steps:
                record[step.name] = str(Money._trusted(step.minor_shares[index], self.currency))
            records.append(record)
        return records

    def __repr__(self) -> str:
        return (
            f"<Quote {self.total} due: list {self.list_total}, {len(self.steps)} steps, "
            f"{len(self.lines)} lines>"
        )

    def _repr_html_(self) -> str:
        rows: list[tuple[str, str, str]] = [
            (f"{line.sku} {line.qty} × {line.list_price}", str(line.list_total), "")
            for line in self.lines
        ]
        rows += [
            (f"{step.name} ({step.rule})", f"−{step.amount}", step.funder.value)
            for step in self.steps
        ]
        rows.append(("due", str(self.total), ""))
        return html_table(("step", "amount", "funded by"), rows)

    def to_data(self) -> dict[str, Any]:
        """A JSON-safe dict: amounts as decimal strings, enums as their values."""
        return {
            "currency": self.currency,
            "list_total": str(self.list_total),
            "base": str(self.base),
            "discount_total": str(self.discount_total),
            "total": str(self.total),
            "points_used": self.points_used,
            "funded_by": {f.value: str(self.funded_by(f)) for f in Funder},
            "lines": [
                {
                    "sku": line.sku,
                    "qty": line.qty,
                    "list_price": str(line.list_price),
                    "unit_price": str(line.unit_price),
                    "list_total": str(line.list_total),
                    "base": str(line.base),
                    "total": str(line.total),
                    "shipping": line.shipping,
                }
                for line in self.lines
            ],
            "steps": [
                {
                    "kind": s.kind,
                    "name": s.name,
                    "rule": s.rule,
                    "funder": s.funder.value,
                    "phase": s.phase,
                    "amount": str(s.amount),
                    "shares": [str(m) for m in s.shares],
                    "note": s.note,
                    "points": s.points,
                }
                for s in self.steps
            ],
            "skipped": [{"name": s.name, "reason": s.reason} for s in self.skipped],
        }


def _funder(value: object) -> Funder:
    try:
        return Funder(value)
    except ValueError:
        raise InvalidInput(
            "invalid_funder",
            f"funder must be 'merchant', 'platform' or 'leader', got {value!r}",
            field="funder",
            value=value,
        ) from None


def _width(text: str) -> int:
    """Columns *text* takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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
    qty = _quantity(qty)
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
