"""The stacking policy (how discounts combine) and the context (who buys, when, with what)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from tuangou_core._validators import listed
from tuangou_core.campaign import check_id, choice, rule_error
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, Rate, Rounding
from tuangou_core.pricing._discounts import Phase, Role, rule_id, to_rounding, to_share
from tuangou_core.timing import require_aware


def _names(value: object, field: str) -> list[str]:
    entries = listed(value, field, code="invalid_rule", error=InvalidRule)
    return [rule_id(name, field) for name in entries]


def _class_pairs(value: Iterable[Iterable[str]]) -> frozenset[frozenset[str]]:
    pairs = []
    pairs_in = listed(value, "policy.exclusive", code="invalid_rule", error=InvalidRule)
    for index, pair in enumerate(pairs_in):
        items = frozenset(_names(pair, f"policy.exclusive[{index}]"))
        if len(items) != 2:
            raise rule_error(
                f"policy.exclusive[{index}]", "must be two different class names", len(items)
            )
        pairs.append(items)
    return frozenset(pairs)


def _class_names(value: Iterable[str]) -> frozenset[str]:
    return frozenset(_names(value, "policy.best_of"))


def _phases(value: Iterable[Phase | str]) -> tuple[Phase, ...]:
    entries = listed(value, "policy.phases", code="invalid_rule", error=InvalidRule)
    phases = tuple(choice(Phase, p, "policy.phases") for p in entries)
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


def _role(value: Role | str) -> Role:
    if value == "opener":
        return Role.LEADER
    if isinstance(value, Role):
        return value
    try:
        return Role(value)
    except ValueError:
        shown = value if isinstance(value, str) and len(value) <= 40 else type(value).__name__
        raise InvalidInput(
            "invalid_role",
            f"role must be 'joiner' or 'leader' (or 'opener'), got {shown!r}",
            field="role",
            value=shown,
        ) from None


def _coupon_ids(value: Iterable[str]) -> tuple[str, ...]:
    entries = listed(value, "coupons", code="invalid_coupons", max_items=100)
    return tuple(check_id(ident, "coupons", "invalid_coupons") for ident in entries)


def _check_count(value: object, field: str) -> None:
    if value is not None and (type(value) is not int or not 0 <= value <= 10**15):
        shown = value if type(value) is int and value.bit_length() < 64 else type(value).__name__
        raise InvalidInput(
            "invalid_input",
            f"{field} must be a whole number from 0 to 10**15, got {shown!r}",
            field=field,
            value=shown,
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
        for name in ("member", "new_customer"):
            if type(getattr(self, name)) is not bool:
                raise InvalidInput(
                    "invalid_input",
                    f"{name} must be true or false, got {type(getattr(self, name)).__name__}",
                    field=name,
                    value=type(getattr(self, name)).__name__,
                )
        if self.points_balance is None:
            _check_count(-1, "points_balance")
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
                f"shipping_fee must be an amount of zero or more, got {type(fee).__name__}",
                field="shipping_fee",
                value=str(fee) if isinstance(fee, Money) else type(fee).__name__,
            )
