"""The values of a refund: the paid order and the plan (the requests and policy are in
``_requests``).

:class:`PaidOrder` and :class:`RefundPlan` refer to each other (a plan carries the order after
it; an order applies a plan), so they live together. The arithmetic that turns a request into
a plan is the planner beside this module; :mod:`tuangou_core.refunds` is their public face.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs

from tuangou_core.campaign import Funder
from tuangou_core.errors import Conflict, InvalidInput
from tuangou_core.money import Money, Rounding, allocate_minor
from tuangou_core.pricing import Quote
from tuangou_core.refunds import _checks as check
from tuangou_core.refunds._reasons import RefundReason
from tuangou_core.refunds._standing import standing

# -- the paid order ----------------------------------------------------------------------------


@attrs.frozen
class DiscountShare:
    """A discount's share on one line (funded by *funder*); *points* marks 积分抵扣.

    Raises:
        InvalidInput: ``invalid_order``, ``invalid_funder`` or ``invalid_amount`` naming the
            field.
    """

    name: str = attrs.field(converter=check.share_name)
    funder: Funder = attrs.field(converter=check.funder)
    amount: Money = attrs.field(converter=check.share_amount)
    points: bool = attrs.field(default=False, converter=check.points_flag)


def _discounts(value: object) -> tuple[DiscountShare, ...]:
    shares: tuple[DiscountShare, ...] = _DISCOUNTS(value)
    return shares


_DISCOUNTS: Final = check.entries(DiscountShare, "discounts", 1000)


def _nothing_back(value: Any) -> Money:
    # A default computed for each value built: a factory made at import would be out of reach
    # of the mutation tests (docs/testing.md).
    return Money.zero(value.paid.currency)


_NOTHING_BACK: Final = attrs.Factory(_nothing_back, takes_self=True)


@attrs.frozen
class PaidLine:
    """One paid line: what it cost, what it is due now, and what went back.

    Args:
        sku: the product.
        qty: units bought.
        unit_price: the unit price before discounts.
        paid: the line's cash as paid.
        discounts: each discount's share on the line at its current price, as quoted.
        refunded: the line's cash returned so far.
        units_returned: units given back so far.
        unit_refunded: the cash that unit returns gave back so far (the cumulative unit rule
            subtracts it).
        due: the line's amount due at its current price: ``paid`` until a tier difference
            reprices it.

    Raises:
        InvalidInput: naming the field: ``invalid_amount`` for an amount that is not Money or
            is negative, ``invalid_quantity``, ``currency_mismatch``, ``invalid_order`` for
            more refunded than paid or more units returned than bought.
    """

    sku: str = attrs.field(converter=check.sku)
    qty: int = attrs.field(converter=check.quantity)
    unit_price: Money = attrs.field(converter=check.unit_price)
    paid: Money = attrs.field(converter=check.paid)
    discounts: tuple[DiscountShare, ...] = attrs.field(default=(), converter=_discounts)
    refunded: Money = attrs.field(default=_NOTHING_BACK, converter=check.refunded)
    units_returned: int = attrs.field(default=0, converter=check.units_returned)
    unit_refunded: Money = attrs.field(default=_NOTHING_BACK, converter=check.unit_refunded)
    due: Money = attrs.field(
        default=attrs.Factory(lambda self: self.paid, takes_self=True), converter=check.due
    )

    def __attrs_post_init__(self) -> None:
        currency = self.paid.currency
        check.same_currency(
            "amount",
            [self.unit_price, self.refunded, self.unit_refunded, self.due]
            + [share.amount for share in self.discounts],
            currency,
        )
        check.not_above("refunded", self.refunded, self.paid, "paid on the line")
        check.not_above("unit_refunded", self.unit_refunded, self.refunded, "refunded")
        if self.units_returned > self.qty:
            raise InvalidInput(
                "invalid_order",
                f"units_returned {self.units_returned} exceeds the {self.qty} bought",
                field="units_returned",
                value=self.units_returned,
            )

    @property
    def units(self) -> int:
        """Units still held."""
        return self.qty - self.units_returned

    @property
    def cash(self) -> Money:
        """Cash still held: paid − refunded."""
        return self.paid - self.refunded


def _lines(value: object) -> tuple[PaidLine, ...]:
    lines: tuple[PaidLine, ...] = _LINES(value)
    return lines


_LINES: Final = check.entries(PaidLine, "lines", check.MAX_LINES)


@attrs.frozen
class TenderPaid:
    """A tender the order was paid with (``"wechat"``, ``"balance"`` …) and what it got back.

    Raises:
        InvalidInput: naming the field: ``invalid_tender``, ``invalid_payment_id`` (an empty
            one only for a tender that carried nothing), ``invalid_amount`` (not Money, or
            negative), ``currency_mismatch``, ``invalid_order`` for more refunded than paid.
    """

    kind: str = attrs.field(converter=check.tender_kind)
    payment_id: str = attrs.field(converter=check.payment_id)
    paid: Money = attrs.field(converter=check.paid)
    refunded: Money = attrs.field(default=_NOTHING_BACK, converter=check.refunded)

    def __attrs_post_init__(self) -> None:
        check.same_currency("refunded", [self.refunded], self.paid.currency)
        check.not_above("refunded", self.refunded, self.paid, "paid with the tender")
        if not self.payment_id and self.paid.minor:
            raise InvalidInput(
                "invalid_payment_id",
                f"payment_id must name the payment of {self.paid}",
                field="payment_id",
                value="",
            )

    @property
    def held(self) -> Money:
        """What this tender can still receive back."""
        return self.paid - self.refunded


def _tenders(value: object) -> tuple[TenderPaid, ...]:
    tenders: tuple[TenderPaid, ...] = _TENDERS(value)
    return tenders


_TENDERS: Final = check.entries(TenderPaid, "tenders", check.MAX_TENDERS)


@attrs.frozen
class PaidOrder:
    """A paid order and everything already refunded from it.

    Args:
        order_id: the order's id; refund ids derive from it.
        lines: the paid lines.
        tenders: how it was paid; what they still hold sums to the lines' cash.
        points_used: points redeemed (积分抵扣) on the order.
        points_earned: points the order earned.
        coupons: coupons spent on the order, still neither restored nor forfeited.
        refunds: how many refunds were applied (the next refund's sequence is this + 1).
        points_returned: redeemed points already given back.
        points_clawed_back: earned points already taken back.

    Raises:
        InvalidInput: ``tenders_mismatch`` when the tenders do not hold the lines' cash,
            ``currency_mismatch``, ``invalid_order`` (naming the field: no lines, entries that
            are not lines or tenders, one payment id on two tenders, a count that is not a
            whole number from 0, more points given back than used or earned),
            ``invalid_coupons``.
    """

    order_id: str = attrs.field(converter=check.order_id)
    lines: tuple[PaidLine, ...] = attrs.field(converter=_lines)
    tenders: tuple[TenderPaid, ...] = attrs.field(converter=_tenders)
    points_used: int = attrs.field(default=0, converter=check.points_used)
    points_earned: int = attrs.field(default=0, converter=check.points_earned)
    coupons: tuple[str, ...] = attrs.field(default=(), converter=check.coupons)
    refunds: int = attrs.field(default=0, converter=check.refunds)
    points_returned: int = attrs.field(default=0, converter=check.points_returned)
    points_clawed_back: int = attrs.field(default=0, converter=check.points_clawed_back)

    def __attrs_post_init__(self) -> None:
        if not self.lines:
            raise InvalidInput("invalid_order", "an order needs at least one line", field="lines")
        currency = self.lines[0].paid.currency
        amounts = [line.paid for line in self.lines] + [t.paid for t in self.tenders]
        if any(m.currency != currency for m in amounts):
            raise InvalidInput(
                "currency_mismatch", "an order's lines and tenders share one currency"
            )
        cash = sum(line.cash.minor for line in self.lines)
        held = sum(t.held.minor for t in self.tenders)
        if cash != held:
            raise InvalidInput(
                "tenders_mismatch",
                f"the tenders hold {held} minor units, the lines {cash}",
                field="tenders",
                value=held,
            )
        seen: set[str] = set()
        for tender in self.tenders:
            if tender.payment_id in seen:
                raise InvalidInput(
                    "invalid_order",
                    f"tenders name payment {tender.payment_id!r} twice",
                    field="tenders",
                    value=tender.payment_id,
                )
            if tender.payment_id:
                seen.add(tender.payment_id)
        for given, source in (
            ("points_returned", "points_used"),
            ("points_clawed_back", "points_earned"),
        ):
            if getattr(self, given) > getattr(self, source):
                raise InvalidInput(
                    "invalid_order",
                    f"{given} {getattr(self, given)} exceeds {source} {getattr(self, source)}",
                    field=given,
                    value=getattr(self, given),
                )

    @classmethod
    def from_quote(
        cls,
        order_id: str,
        quote: Quote,
        tenders: Sequence[TenderPaid | tuple[str, str, Money]],
        *,
        coupons: Sequence[str] = (),
        points_earned: int = 0,
    ) -> PaidOrder:
        """The paid order of *quote*, paid with *tenders* (``(kind, payment_id, amount)``).

        Each line keeps its share of every step (the group price step included, as a
        merchant-funded discount); the points step's shares are marked as points.

        Raises:
            InvalidInput: ``invalid_input`` for a *quote* that is not a Quote,
                ``invalid_order`` for *tenders* that are not tenders or triples, and what the
                order's own checks raise.
        """
        if not isinstance(quote, Quote):
            raise InvalidInput(
                "invalid_input",
                f"quote must be a Quote, got {type(quote).__name__}",
                field="quote",
                value=type(quote).__name__,
            )
        paid = tuple(
            _tender(t) for t in check.entries(object, "tenders", check.MAX_TENDERS)(tenders)
        )
        return cls(
            order_id,
            lines_of(quote),
            paid,
            points_used=quote.points_used,
            points_earned=points_earned,
            coupons=tuple(coupons),
        )

    @property
    def currency(self) -> str:
        """The order's currency."""
        return self.lines[0].paid.currency

    @property
    def paid(self) -> Money:
        """Cash paid on the order."""
        return Money._trusted(sum(line.paid.minor for line in self.lines), self.currency)

    @property
    def refunded(self) -> Money:
        """Cash refunded so far."""
        return Money._trusted(sum(line.refunded.minor for line in self.lines), self.currency)

    @property
    def net(self) -> Money:
        """Cash the order still holds."""
        return self.paid - self.refunded

    @property
    def due(self) -> Money:
        """The amount due at the order's current prices."""
        return Money._trusted(sum(line.due.minor for line in self.lines), self.currency)

    def standing_discounts(
        self, rounding: Rounding = Rounding.HALF_UP
    ) -> tuple[tuple[DiscountShare, ...], ...]:
        """Each line's discount shares that still stand, by the one standing rule.

        Per funder, the quoted discounts stand in proportion to the cash that stands
        (``round(discount × net / due)``, all of it while nothing is refunded, none at zero);
        each funder's standing amount is allocated back over its shares by their size.
        """
        return standing_shares(self.lines, self.net.minor, self.due.minor, rounding)

    def platform_discount(self) -> Money:
        """The platform-funded discount still standing on the order (the split's subsidy)."""
        return Money._trusted(
            sum(
                share.amount.minor
                for line in self.standing_discounts()
                for share in line
                if share.funder is Funder.PLATFORM
            ),
            self.currency,
        )

    def next_refund_id(self) -> str:
        """The id the next refund of this order takes."""
        return f"{self.order_id}:r{self.refunds + 1}"

    def apply(self, plan: RefundPlan) -> PaidOrder:
        """The order after *plan*, which must be this order's next refund.

        Raises:
            Conflict: ``refund_out_of_order`` for a plan made from another state.
            InvalidInput: ``invalid_input`` for a *plan* that is not a :class:`RefundPlan`.
        """
        if not isinstance(plan, RefundPlan):
            raise InvalidInput(
                "invalid_input",
                f"plan must be a RefundPlan, got {type(plan).__name__}",
                field="plan",
                value=type(plan).__name__,
            )
        if plan.after is None or plan.seq != self.refunds + 1 or plan.order_id != self.order_id:
            raise Conflict(
                "refund_out_of_order",
                f"refund {plan.refund_id} was not planned from this state of order "
                f"{self.order_id} (next is {self.next_refund_id()})",
                refund_id=plan.refund_id,
            )
        return plan.after


def _tender(value: object) -> TenderPaid:
    if isinstance(value, TenderPaid):
        return value
    if isinstance(value, tuple) and len(value) == 3:
        return TenderPaid(*value)
    raise InvalidInput(
        "invalid_order",
        f"tenders must be TenderPaid or (kind, payment_id, amount), got {type(value).__name__}",
        field="tenders",
        value=type(value).__name__,
    )


def lines_of(quote: Quote) -> tuple[PaidLine, ...]:
    """The paid lines of *quote*: each line's total as paid, with its share of every step."""
    lines = []
    for index, line in enumerate(quote.lines):
        shares = tuple(
            DiscountShare(step.name, step.funder, step.shares[index], step.points > 0)
            for step in quote.steps
            if step.shares[index].minor
        )
        lines.append(PaidLine(line.sku, line.qty, line.unit_price, line.total, shares))
    return tuple(lines)


def standing_shares(
    lines: Sequence[PaidLine], net: int, due: int, rounding: Rounding
) -> tuple[tuple[DiscountShare, ...], ...]:
    """The standing shares of *lines* on an order with *net* cash and *due* (minor units).

    Per funder, the order-level amount that stands is the contract's
    ``standing(Σ discounts, net, due)``; it is spread over that funder's shares by what each
    line alone would keep (its share × its cash / its due), so a refund of one line reverses
    that line's shares, while the total reversed is exactly the split's.
    """
    by_funder: dict[Funder, list[tuple[int, int]]] = {}
    for i, line in enumerate(lines):
        for j, share in enumerate(line.discounts):
            by_funder.setdefault(share.funder, []).append((i, j))
    amounts = [[share.amount.minor for share in line.discounts] for line in lines]
    for places in by_funder.values():
        quoted = [amounts[i][j] for i, j in places]
        total = sum(quoted)
        kept = standing(total, net, due, rounding)
        if kept == total:
            continue
        alone = [_alone(amounts[i][j], lines[i], rounding) for i, j in places]
        # Some share is not zero (their total differs from what stands), so neither are all
        # the weights.
        parts = allocate_minor(kept, alone if any(alone) else quoted)
        for place, (i, j) in enumerate(places):
            amounts[i][j] = parts[place]
    return tuple(
        tuple(
            share
            if share.amount.minor == amounts[i][j]
            else check.rebuilt(share, amount=Money._trusted(amounts[i][j], share.amount.currency))
            for j, share in enumerate(line.discounts)
        )
        for i, line in enumerate(lines)
    )


def _alone(share: int, line: PaidLine, rounding: Rounding) -> int:
    # A free line (nothing due) keeps its discount while it keeps its units.
    if line.due.minor <= 0:
        return share if line.units > 0 else 0
    return standing(share, line.cash.minor, line.due.minor, rounding)


# -- the plan ----------------------------------------------------------------------------------


@attrs.frozen
class LineRefund:
    """What one line gives back: units, cash and each discount share reversed."""

    index: int
    sku: str
    units: int
    cash: Money
    discounts: tuple[DiscountShare, ...]


@attrs.frozen
class TenderRefund:
    """Cash going back along one tender (原路退回)."""

    kind: str
    payment_id: str
    amount: Money


@attrs.frozen
class RefundPlan:
    """A refund, fully specified: per line, per discount, per tender, points and coupons.

    ``amount == Σ tender amounts`` (and ``== Σ line cash`` for an order's refund). ``after`` is
    the order once it is applied; ``None`` for money returned that was never an order's (a
    stray payment sent back whole, :func:`~tuangou_core.refunds.plan_return`).
    """

    refund_id: str
    order_id: str
    seq: int
    reason: RefundReason
    amount: Money
    lines: tuple[LineRefund, ...]
    tenders: tuple[TenderRefund, ...]
    points_returned: int
    points_clawed_back: int
    coupons_restored: tuple[str, ...]
    coupons_forfeited: tuple[str, ...]
    ends_order: bool
    after: PaidOrder | None = attrs.field(repr=False)

    @property
    def units(self) -> int:
        """Units given back, over every line."""
        return sum(line.units for line in self.lines)

    def discounts_reversed(self) -> dict[str, Money]:
        """Each discount's reversed amount over all lines, by discount name."""
        found: dict[str, Money] = {}
        for line in self.lines:
            for share in line.discounts:
                found[share.name] = found.get(share.name, Money.zero(self.amount.currency)) + (
                    share.amount
                )
        return found

    def explain(self) -> str:
        """The plan line by line; the tender lines sum to the amount."""
        out = [f"refund {self.refund_id} of {self.order_id} ({self.reason.value}): {self.amount}"]
        for line in self.lines:
            out.append(f"  line {line.sku}: {line.units} unit(s), cash {line.cash}")
            out.extend(
                f"    reverses {s.name} ({s.funder.value}) {s.amount}" for s in line.discounts
            )
        out.extend(f"  to {t.kind} {t.payment_id}: {t.amount}" for t in self.tenders)
        if self.points_returned:
            out.append(f"  points returned: {self.points_returned}")
        if self.points_clawed_back:
            out.append(f"  points earned clawed back: {self.points_clawed_back}")
        if self.coupons_restored:
            out.append(f"  coupons restored: {', '.join(self.coupons_restored)}")
        if self.coupons_forfeited:
            out.append(f"  coupons forfeited: {', '.join(self.coupons_forfeited)}")
        return "\n".join(out)
