"""Discounts as data: what each offer takes, in which phase, who funds it, and when it applies.

A :class:`Discount` is one offer: percent off, amount off, 满X减Y, a special unit price, points,
free shipping; its phase, funder, stacking class and audience (members, new customers, the
opener, a stock range, a time slot, a coupon presented). Every value validates itself when built
and refuses a rule that cannot be run with :class:`~tuangou_core.errors.InvalidRule` naming the
field.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from datetime import datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Final
from zoneinfo import ZoneInfo

import attrs

from tuangou_core._validators import listed
from tuangou_core.campaign import Coupon, CouponKind, Funder, choice, rule_error
from tuangou_core.campaign import check_id as _check_id
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, Rate, Rounding
from tuangou_core.timing import require_aware, zone


def rule_id(value: object, field: str) -> str:
    """*value* as an id of a discount rule (``invalid_rule`` naming *field*)."""
    try:
        return _check_id(value, field, "invalid_rule")
    except InvalidInput as error:
        raise InvalidRule(error.code, error.message, **error.fields) from None


class Phase(enum.Enum):
    """Where a discount applies: on each line, on the order, as points, or on shipping."""

    ITEM = "item"
    ORDER = "order"
    POINTS = "points"
    SHIPPING = "shipping"

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class DiscountKind(enum.Enum):
    """What a discount takes."""

    PERCENT_OFF = "percent_off"  # a share of the base, rounded with the policy's mode
    AMOUNT_OFF = "amount_off"  # item phase: per unit; order phase: once (无门槛券)
    THRESHOLD = "threshold"  # 满 threshold 减 amount, once or per full threshold (每满)
    UNIT_PRICE = "unit_price"  # a special unit price: 会员价, 新人专享, 团长价, stock, slot
    POINTS = "points"  # 积分抵扣: points per major unit, capped at a share of the order
    FREE_SHIPPING = "free_shipping"  # 满X包邮: the fee (or `amount` of it) off

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class Base(enum.Enum):
    """What a discount is computed on: the amount before any discount, or the running one."""

    RUNNING = "running"
    ORIGINAL = "original"

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class Audience(enum.Enum):
    """Who a discount is for."""

    ANYONE = "anyone"
    MEMBER = "member"  # 会员
    NEW_CUSTOMER = "new_customer"  # 新人
    LEADER = "leader"  # the group's opener (团长)

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


class Role(enum.Enum):
    """The buyer's place in the group: the opener (leader) or a joiner."""

    JOINER = "joiner"
    LEADER = "leader"

    __hash__ = object.__hash__  # identity, at C speed: see settlement.Side


_DEFAULT_PHASE: Final = {
    DiscountKind.PERCENT_OFF: Phase.ORDER,
    DiscountKind.AMOUNT_OFF: Phase.ORDER,
    DiscountKind.THRESHOLD: Phase.ORDER,
    DiscountKind.UNIT_PRICE: Phase.ITEM,
    DiscountKind.POINTS: Phase.POINTS,
    DiscountKind.FREE_SHIPPING: Phase.SHIPPING,
}
_ALLOWED_PHASES: Final = {
    DiscountKind.PERCENT_OFF: {Phase.ITEM, Phase.ORDER},
    DiscountKind.AMOUNT_OFF: {Phase.ITEM, Phase.ORDER},
    DiscountKind.THRESHOLD: {Phase.ITEM, Phase.ORDER},
    DiscountKind.UNIT_PRICE: {Phase.ITEM},
    DiscountKind.POINTS: {Phase.POINTS},
    DiscountKind.FREE_SHIPPING: {Phase.SHIPPING},
}
# The fields each kind reads; any other rule field must be left unset.
_USES: Final = {
    DiscountKind.PERCENT_OFF: {"percent"},
    DiscountKind.AMOUNT_OFF: {"amount"},
    DiscountKind.THRESHOLD: {"amount", "threshold", "max_times"},
    DiscountKind.UNIT_PRICE: {"price", "max_units"},
    DiscountKind.POINTS: {"points_per_unit", "percent"},
    DiscountKind.FREE_SHIPPING: {"amount", "threshold"},
}
_RULE_FIELDS: Final = ("amount", "percent", "threshold", "max_times", "price", "max_units")


def _money_or_none(value: object, field: str) -> Money | None:
    if value is None or isinstance(value, Money):
        return value
    if isinstance(value, str | Decimal):
        try:
            return Money.parse(value)
        except InvalidInput as error:
            raise InvalidRule(error.code, f"{field}: {error.message}", field=field) from None
    raise rule_error(
        field,
        f"must be an amount (Money or decimal text), got {type(value).__name__}",
        type(value).__name__,
    )


def _rate_or_none(value: object, field: str) -> Rate | None:
    if value is None:
        return None
    try:
        return Rate.parse(value)  # type: ignore[arg-type]
    except InvalidInput as error:
        raise InvalidRule(error.code, f"{field}: {error.message}", field=field) from None


def _to_kind(value: object) -> DiscountKind:
    return choice(DiscountKind, value, "discount.kind")


def _to_funder(value: object) -> Funder:
    return choice(Funder, value, "discount.funder")


def _to_phase(value: object) -> Phase:
    return choice(Phase, value, "discount.phase")


def _to_base(value: object) -> Base:
    return choice(Base, value, "discount.base")


def _to_audience(value: object) -> Audience:
    return choice(Audience, value, "discount.audience")


def _to_amount(value: object) -> Money | None:
    return _money_or_none(value, "discount.amount")


def _to_threshold(value: object) -> Money | None:
    return _money_or_none(value, "discount.threshold")


def _to_price(value: object) -> Money | None:
    return _money_or_none(value, "discount.price")


def _to_cap(value: object) -> Money | None:
    return _money_or_none(value, "discount.cap")


def _to_percent(value: object) -> Rate | None:
    return _rate_or_none(value, "discount.percent")


def to_rounding(value: Rounding | str) -> Rounding:
    try:
        return Rounding.parse(value)
    except InvalidInput as error:
        raise InvalidRule(
            error.code, f"policy.rounding: {error.message}", field="policy.rounding"
        ) from None


def to_share(value: object) -> Rate | None:
    return _rate_or_none(value, "policy.max_discount_share")


def _optional_int(value: object, field: str, minimum: int) -> None:
    if value is not None and (type(value) is not int or not minimum <= value <= 10**15):
        shown = value if type(value) is int and value.bit_length() < 64 else type(value).__name__
        raise rule_error(
            field, f"must be a whole number from {minimum} to 10**15, got {shown!r}", shown
        )


def _skus(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    entries = listed(value, "discount.skus", code="invalid_rule", error=InvalidRule)
    found = frozenset(rule_id(sku, "discount.skus") for sku in entries)
    if not found:
        raise rule_error("discount.skus", "must name at least one sku", [])
    return found


@attrs.frozen
class TimeSlot:
    """A daily time-of-day slot ``[start, end)`` on the campaign's wall clock."""

    start: time
    end: time

    def __attrs_post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise rule_error(
                    f"slot.{name}", "must be a wall-clock time without zone", type(value).__name__
                )
        if self.start >= self.end:
            raise rule_error("slot", f"must start before it ends ({self.start}–{self.end})", None)

    def contains(self, at: datetime, tz: ZoneInfo) -> bool:
        """True when *at*, read on *tz*'s wall clock, falls inside the slot."""
        if not isinstance(tz, ZoneInfo):
            tz = zone(tz, "tz")
        local = require_aware(at, "at").astimezone(tz).time()
        return self.start <= local < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@attrs.frozen
class Discount:
    """One offer as data.

    Args:
        id: a unique name; coupons are presented by it.
        kind: what it takes (:class:`DiscountKind`).
        funder: who pays for it: merchant, platform or leader.
        phase: item, order, points or shipping; defaults by kind.
        stack_class: the combination class it stacks as (``"coupon"``, ``"member"`` …).
        priority: order inside a phase, lower first; ties keep the listed order.
        base: compute on the running amount (default) or on the original one.
        coupon: True if it applies only when presented by id in the context.
        amount: amount off (per unit in the item phase), 满减's 减, or a shipping reduction.
        percent: the share off (percent off), or the cap share of the order (points).
        threshold: 满减's 满, or the free-shipping threshold.
        repeat: 满减 applies once per full threshold (每满X减Y).
        max_times: with repeat, the most times it applies.
        price: the special unit price (unit price kind).
        max_units: with a unit price, how many units of a line get it (新人专享 one unit).
        points_per_unit: points per major currency unit (100 = 100 points per yuan).
        cap: the most this discount may take.
        skus: the lines it targets; all lines when unset.
        audience: who it is for.
        min_stock, max_stock: applies only while the remaining stock lies in this range.
        slot: applies only inside this daily time slot.
        label: the rule text for people; derived from the rule when empty.

    Raises:
        InvalidRule: naming the field, for a rule that cannot be run.
    """

    id: str
    kind: DiscountKind = attrs.field(converter=_to_kind)
    funder: Funder = attrs.field(default=Funder.MERCHANT, converter=_to_funder)
    phase: Phase = attrs.field(
        default=attrs.Factory(lambda self: _DEFAULT_PHASE[self.kind], takes_self=True),
        converter=_to_phase,
    )
    stack_class: str = "promotion"
    priority: int = 0
    base: Base = attrs.field(default=Base.RUNNING, converter=_to_base)
    coupon: bool = False
    amount: Money | None = attrs.field(default=None, converter=_to_amount)
    percent: Rate | None = attrs.field(default=None, converter=_to_percent)
    threshold: Money | None = attrs.field(default=None, converter=_to_threshold)
    repeat: bool = False
    max_times: int | None = None
    price: Money | None = attrs.field(default=None, converter=_to_price)
    max_units: int | None = None
    points_per_unit: int | None = None
    cap: Money | None = attrs.field(default=None, converter=_to_cap)
    skus: frozenset[str] | None = attrs.field(default=None, converter=_skus)
    audience: Audience = attrs.field(default=Audience.ANYONE, converter=_to_audience)
    min_stock: int | None = None
    max_stock: int | None = None
    slot: TimeSlot | None = None
    label: str = ""
    _text: str = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        rule_id(self.id, "discount.id")
        where = f"discounts[{self.id}]"
        for name in ("coupon", "repeat"):
            if type(getattr(self, name)) is not bool:
                raise rule_error(f"{where}.{name}", "must be true or false", getattr(self, name))
        if self.phase not in _ALLOWED_PHASES[self.kind]:
            raise rule_error(
                f"{where}.phase",
                f"cannot be {self.phase.value!r} for a {self.kind.value} discount",
                self.phase.value,
            )
        uses = _USES[self.kind]
        for name in _RULE_FIELDS:
            if name not in uses and getattr(self, name) is not None:
                raise rule_error(f"{where}.{name}", f"does not apply to {self.kind.value}", name)
        if self.points_per_unit is not None and self.kind is not DiscountKind.POINTS:
            raise rule_error(f"{where}.points_per_unit", "applies only to points", None)
        if self.repeat and self.kind is not DiscountKind.THRESHOLD:
            raise rule_error(f"{where}.repeat", "applies only to a threshold (每满) discount", True)
        rule_id(self.stack_class, f"{where}.stack_class")
        _optional_int(self.priority, f"{where}.priority", -(10**15))
        if not isinstance(self.label, str) or len(self.label) > 200:
            raise rule_error(f"{where}.label", "must be text of at most 200 characters", None)
        self._check_kind(where)
        self._check_limits(where)
        object.__setattr__(self, "_text", self._describe())

    def _check_kind(self, where: str) -> None:
        kind = self.kind
        needs_amount = kind in (DiscountKind.AMOUNT_OFF, DiscountKind.THRESHOLD)
        if needs_amount and self.amount is None:
            raise rule_error(f"{where}.amount", "is required", None)
        if self.amount is not None and self.amount.minor <= 0:
            raise rule_error(f"{where}.amount", "must be a positive amount", str(self.amount))
        percent = self.percent
        if kind in (DiscountKind.PERCENT_OFF, DiscountKind.POINTS) and (
            percent is None or not 0 < percent.value <= 1
        ):
            raise rule_error(f"{where}.percent", "must be above 0 and at most 100%", self.percent)
        if kind is DiscountKind.THRESHOLD:
            if self.threshold is None or self.threshold.minor < 0:
                raise rule_error(f"{where}.threshold", "must be an amount of zero or more", None)
            if self.repeat and self.threshold.minor == 0:
                raise rule_error(f"{where}.threshold", "must be positive to repeat (每满)", "0")
            if self.max_times is not None and not self.repeat:
                raise rule_error(f"{where}.max_times", "applies only with repeat", self.max_times)
            _optional_int(self.max_times, f"{where}.max_times", 1)
        if kind is DiscountKind.FREE_SHIPPING and self.threshold and self.threshold.minor < 0:
            raise rule_error(f"{where}.threshold", "must be an amount of zero or more", None)
        if kind is DiscountKind.UNIT_PRICE:
            if self.price is None or self.price.minor < 0:
                raise rule_error(f"{where}.price", "must be an amount of zero or more", self.price)
            _optional_int(self.max_units, f"{where}.max_units", 1)
        if kind is DiscountKind.POINTS:
            _optional_int(self.points_per_unit, f"{where}.points_per_unit", 1)
            if self.points_per_unit is None:
                raise rule_error(f"{where}.points_per_unit", "is required", None)

    def _check_limits(self, where: str) -> None:
        if self.cap is not None and self.cap.minor <= 0:
            raise rule_error(f"{where}.cap", "must be a positive amount", str(self.cap))
        _optional_int(self.min_stock, f"{where}.min_stock", 0)
        _optional_int(self.max_stock, f"{where}.max_stock", 0)
        if (
            self.min_stock is not None
            and self.max_stock is not None
            and self.min_stock > self.max_stock
        ):
            raise rule_error(f"{where}.min_stock", "must not exceed max_stock", self.min_stock)
        if self.slot is not None and not isinstance(self.slot, TimeSlot):
            raise rule_error(f"{where}.slot", "must be a TimeSlot", self.slot)
        currencies = {
            m.currency for m in (self.amount, self.threshold, self.price, self.cap) if m is not None
        }
        if len(currencies) > 1:
            raise rule_error(where, f"mixes currencies {sorted(currencies)}", sorted(currencies))

    @property
    def currency(self) -> str | None:
        """The currency of the rule's amounts, or None for a pure rate."""
        for money in (self.amount, self.threshold, self.price, self.cap):
            if money is not None:
                return money.currency
        return None

    def describe(self) -> str:
        """The rule in a finance reader's words: 满50减10, 每满100减10, 10% off, 会员价 59."""
        return self._text

    def _describe(self) -> str:
        if self.label:
            return self.label
        kind = self.kind
        if kind is DiscountKind.THRESHOLD:
            prefix = "每满" if self.repeat else "满"
            return f"{prefix}{_short(self.threshold)}减{_short(self.amount)}"
        if kind is DiscountKind.PERCENT_OFF:
            assert self.percent is not None
            return f"{percent_text(self.percent.value)} off"
        if kind is DiscountKind.AMOUNT_OFF:
            each = "/件" if self.phase is Phase.ITEM else ""
            return f"无门槛{_short(self.amount)}{each}"
        if kind is DiscountKind.UNIT_PRICE:
            units = f" ×{self.max_units}" if self.max_units else ""
            return f"unit price {_short(self.price)}{units}"
        if kind is DiscountKind.POINTS:
            assert self.percent is not None
            return f"{self.points_per_unit}积分抵1, ≤{percent_text(self.percent.value)}"
        if self.threshold is None:
            return "包邮"
        return f"满{_short(self.threshold)}包邮"


def _short(money: Money | None) -> str:
    """An amount without trailing zero decimals: 50, 9.9."""
    if money is None:
        return ""
    text = str(money)
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(value: Fraction) -> str:
    """A share as a percentage for people: ``70%``, ``12.5%``, ``≈66.7%``.

    Raises:
        InvalidInput: ``invalid_rate`` for anything but a ``Fraction`` or ``int`` of at most
            40 digits each side of the fraction bar.
    """
    if not isinstance(value, Fraction | int) or isinstance(value, bool):
        raise InvalidInput(
            "invalid_rate",
            f"percent_text needs a Fraction, got {type(value).__name__}",
            field="value",
            value=type(value).__name__,
        )
    hundred = Rate(value).value * 100
    for places in range(3):
        scaled = hundred * 10**places
        if scaled.denominator == 1:
            return f"{Decimal(int(scaled)).scaleb(-places)}%"
    approx = Rounding.HALF_UP.round(hundred * 10) / Decimal(10)
    return f"≈{approx}%"


def coupon_discount(coupon: Coupon) -> Discount:
    """The campaign coupon as an order-phase discount of class ``"coupon"`` on the running
    amount, presented by id.

    Raises:
        InvalidRule: ``invalid_rule`` for anything but a :class:`Coupon`.
    """
    if not isinstance(coupon, Coupon):
        raise rule_error("coupon", f"must be a Coupon, got {type(coupon).__name__}", None)
    return _coupon_discount(coupon)


@functools.lru_cache(maxsize=4096)
def _coupon_discount(coupon: Coupon) -> Discount:
    kind = {
        CouponKind.AMOUNT_OFF: DiscountKind.AMOUNT_OFF,
        CouponKind.PERCENT_OFF: DiscountKind.PERCENT_OFF,
        CouponKind.THRESHOLD: DiscountKind.THRESHOLD,
    }[coupon.kind]
    is_threshold = kind is DiscountKind.THRESHOLD
    return Discount(
        id=coupon.id,
        kind=kind,
        funder=coupon.funded_by,
        stack_class="coupon",
        coupon=True,
        amount=coupon.amount,
        percent=coupon.percent if kind is DiscountKind.PERCENT_OFF else None,
        threshold=coupon.threshold if is_threshold else None,
    )
