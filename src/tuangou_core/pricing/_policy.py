"""The stacking policy (how discounts combine) and the context (who buys, when, with what)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from tuangou_core.campaign import choice, rule_error
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money, Rate, Rounding
from tuangou_core.pricing._discounts import Phase, Role, to_rounding, to_share
from tuangou_core.timing import require_aware


def _class_pairs(value: object) -> frozenset[frozenset[str]]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise rule_error("policy.exclusive", "must be a collection of class pairs", value)
    pairs = []
    for pair in value:
        items = frozenset(pair) if not isinstance(pair, str) else frozenset()
        if len(items) != 2 or not all(isinstance(c, str) and c for c in items):
            raise rule_error(
                "policy.exclusive", f"each entry must be two class names, got {pair!r}", pair
            )
        pairs.append(items)
    return frozenset(pairs)


def _class_names(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise rule_error("policy.best_of", "must be a collection of class names", value)
    names = frozenset(value)
    if not all(isinstance(c, str) and c for c in names):
        raise rule_error("policy.best_of", "must hold non-empty class names", value)
    return names


def _phases(value: object) -> tuple[Phase, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise rule_error("policy.phases", "must list the phases in order", value)
    phases = tuple(choice(Phase, p, "policy.phases") for p in value)
    if sorted(p.value for p in phases) != sorted(p.value for p in Phase):
        raise rule_error(
            "policy.phases",
            "must list item, order, points and shipping, each once",
            [p.value for p in phases],
        )
    return phases


@attrs.frozen
class StackingPolicy:
    """How discounts combine (优惠叠加), as data.

    Args:
        phases: the phase order; item → order → points → shipping by default.
        best_of: classes in which only the single best discount applies; in every other class
            the discounts apply one after another, by priority then in the listed order.
        exclusive: pairs of classes that do not combine. The class that applies first keeps
            its place; a later discount of the other class is skipped. ``"group_price"`` is the
            class of the group price itself, so ``{"coupon", "group_price"}`` says coupons do
            not combine with a group price.
        max_discount_share: the most the item, order and points discounts together may take,
            as a share of the order's base (unit price × quantity).
        allow_free: True lets an order reach zero; otherwise it never goes below one minor
            unit (0.01 CNY).
        rounding: how percentages become minor units.
    """

    phases: tuple[Phase, ...] = attrs.field(
        default=(Phase.ITEM, Phase.ORDER, Phase.POINTS, Phase.SHIPPING), converter=_phases
    )
    best_of: frozenset[str] = attrs.field(default=frozenset(), converter=_class_names)
    exclusive: frozenset[frozenset[str]] = attrs.field(default=frozenset(), converter=_class_pairs)
    max_discount_share: Rate | None = attrs.field(default=None, converter=to_share)
    allow_free: bool = False
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, converter=to_rounding)

    def __attrs_post_init__(self) -> None:
        share = self.max_discount_share
        if share is not None and not 0 <= share.value <= 1:
            raise rule_error("policy.max_discount_share", "must be between 0 and 100%", str(share))
        if not isinstance(self.allow_free, bool):
            raise rule_error("policy.allow_free", "must be true or false", self.allow_free)

    def excludes(self, first: str, second: str) -> bool:
        """True when classes *first* and *second* do not combine."""
        return frozenset((first, second)) in self.exclusive


def _role(value: object) -> Role:
    if value == "opener":
        return Role.LEADER
    if isinstance(value, Role):
        return value
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            "invalid_role",
            f"role must be 'joiner' or 'leader' (or 'opener'), got {value!r}",
            field="role",
            value=value,
        ) from None


def _coupon_ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput(
            "invalid_coupons",
            f"coupons must be a list of coupon ids, got {value!r}",
            field="coupons",
            value=value,
        )
    ids = tuple(value)
    for ident in ids:
        if not isinstance(ident, str) or not ident:
            raise InvalidInput(
                "invalid_coupons",
                f"each coupon id must be a non-empty string, got {ident!r}",
                field="coupons",
                value=ident,
            )
    return ids


def _check_count(value: object, field: str) -> None:
    if value is not None and (type(value) is not int or value < 0):
        raise InvalidInput(
            "invalid_input",
            f"{field} must be a whole number of at least 0, got {value!r}",
            field=field,
            value=value,
        )


@attrs.frozen
class Context:
    """Who is buying, when, and with what.

    Args:
        role: ``"joiner"`` or ``"leader"`` (``"opener"`` is read as leader).
        member: the buyer is a member (会员).
        new_customer: the buyer has never ordered (新人).
        coupons: ids of the coupons presented, in the order presented.
        points_balance: the buyer's points.
        points_to_use: how many of them to redeem; all that the rules allow when None.
        at: when the order is priced (needed by time-slot discounts).
        remaining_stock: units left (needed by stock-priced discounts).
        shipping_fee: the fee for delivering this order; none when unset.
        group_size: the group's paid size, which picks the tier of a tiered campaign.
    """

    role: Role = attrs.field(default=Role.JOINER, converter=_role)
    member: bool = False
    new_customer: bool = False
    coupons: tuple[str, ...] = attrs.field(default=(), converter=_coupon_ids)
    points_balance: int = 0
    points_to_use: int | None = None
    at: datetime | None = None
    remaining_stock: int | None = None
    shipping_fee: Money | None = None
    group_size: int | None = None

    def __attrs_post_init__(self) -> None:
        _check_count(self.points_balance, "points_balance")
        _check_count(self.points_to_use, "points_to_use")
        _check_count(self.remaining_stock, "remaining_stock")
        _check_count(self.group_size, "group_size")
        if self.at is not None:
            require_aware(self.at, "at")
        fee = self.shipping_fee
        if fee is not None and (not isinstance(fee, Money) or fee.minor < 0):
            raise InvalidInput(
                "invalid_amount",
                f"shipping_fee must be an amount of zero or more, got {fee!r}",
                field="shipping_fee",
                value=fee,
            )
