"""The commission split (分账) of one order's net cash, exactly as the scenario contract says.

For an order whose net cash is ``net`` (paid − refunded), whose amount due is ``amount_due`` and
whose platform-funded discounts come to ``platform_discount``::

    subsidy     = the platform-funded discount still standing
                  (all of it while nothing is refunded, none once net is zero,
                   round(platform_discount × net / amount_due) in between)
    base        = net + subsidy                   (the merchant price of what is still sold)
    payment_fee = round(net × payment_rate)        (the processor takes its fee on cash)
    platform    = round(base × platform_rate) − subsidy
    leader      = round(base × leader_rate)        (one level only)
    merchant    = net − payment_fee − platform − leader   (the residual)

``round`` is half-up to the minor unit unless another mode is named. The four parts always sum
to ``net``: the merchant takes the residual, so no rounding ever loses or makes a cent.

Edges this module decides (the decider never produces them, but a backend might):

- ``net > amount_due`` (an overpayment not yet returned): the subsidy is capped at the whole
  discount; the rate parts grow with ``net`` as usual.
- ``amount_due == 0``: nothing was due, so no share of it can be refunded; the subsidy is the
  whole discount while any cash stands and zero once ``net`` is zero.
- A negative ``net``, a negative discount, or amounts in different currencies are refused.
- ``platform`` is negative when the subsidy exceeds the platform's take. The merchant residual
  is non-negative whenever the three rates sum to at most one half; under an extreme schedule
  the rounding of a one- or two-cent order can leave it at −1 minor unit, which the split
  reports as it is rather than hiding it in another party's share.

After a refund, what each party gives back is ``clawback(before, after) = before − after``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from tuangou_core.campaign import FeeSchedule
from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.money import Money, Rate, Rounding

PARTS: Final = ("payment_fee", "platform", "leader", "merchant")
"""The names of the four parts of a split, which sum to its net, in statement order."""

_FIELDS: Final = ("net", "base", "subsidy", *PARTS)


def _require_single_level(fees: FeeSchedule) -> None:
    # FeeSchedule refuses levels != 1 when built; this guards values forced past attrs.
    if fees.levels != 1:
        raise InvalidRule(
            "multi_level_commission",
            f"fees.levels must be 1: commission over {fees.levels} levels (多级分销) is not "
            "allowed",
            field="fees.levels",
            value=fees.levels,
        )


@attrs.frozen
class Split:
    """One order's net cash divided among processor, platform, leader and merchant.

    Args:
        net: the cash standing on the order (paid − refunded); the four parts sum to it.
        base: ``net + subsidy``, the base of the platform and leader rates.
        subsidy: the platform-funded discount still standing, paid to the merchant by the
            platform.
        payment_fee: the processor's fee on ``net``.
        platform: the platform's take on ``base``, less the subsidy it pays (may be negative).
        leader: the single-level leader commission on ``base``.
        merchant: the residual.
        fees: the schedule that produced the split, for :meth:`explain`; ``None`` on a sum of
            splits made under different schedules.

    Splits add (``a + b``, ``sum(splits)``) for statement totals and subtract for clawbacks.
    """

    net: Money
    base: Money
    subsidy: Money
    payment_fee: Money
    platform: Money
    leader: Money
    merchant: Money
    fees: FeeSchedule | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        for name in _FIELDS:
            if not isinstance(getattr(self, name), Money):
                raise InvalidInput(
                    "not_money",
                    f"split.{name} must be Money, got {type(getattr(self, name)).__name__}",
                    field=f"split.{name}",
                    value=type(getattr(self, name)).__name__,
                )
        if self.fees is not None and not isinstance(self.fees, FeeSchedule):
            raise InvalidInput(
                "invalid_value",
                f"split.fees must be a FeeSchedule or None, got {type(self.fees).__name__}",
                field="split.fees",
                value=type(self.fees).__name__,
            )
        currency = self.net.currency
        for name in _FIELDS:
            if getattr(self, name).currency != currency:
                raise InvalidInput(
                    "currency_mismatch",
                    f"split.{name} is in {getattr(self, name).currency}, the net in {currency}",
                    field=f"split.{name}",
                    value=getattr(self, name).currency,
                )
        parts = sum(getattr(self, name).minor for name in PARTS)
        if parts != self.net.minor:
            raise InvalidInput(
                "split_unbalanced",
                f"split parts sum to {parts} minor units, the net is {self.net.minor}",
                field="split",
                value=parts,
            )

    @classmethod
    def zero(cls, currency: str = "CNY") -> Split:
        """The split of nothing: every part zero (the start of a statement total)."""
        nothing = Money.zero(currency)
        return cls(nothing, nothing, nothing, nothing, nothing, nothing, nothing)

    @property
    def currency(self) -> str:
        """The split's ISO 4217 currency."""
        return self.net.currency

    def parts(self) -> dict[str, Money]:
        """The four parts by name, in statement order; they sum to :attr:`net`."""
        return {name: getattr(self, name) for name in PARTS}

    def _combine(self, other: Split, sign: int) -> Split:
        if not isinstance(other, Split):
            raise InvalidInput(
                "not_a_split",
                f"cannot combine a Split with {type(other).__name__}",
                field="other",
                value=type(other).__name__,
            )
        values = {}
        for name in _FIELDS:
            mine: Money = getattr(self, name)
            theirs: Money = getattr(other, name)
            values[name] = mine + theirs if sign > 0 else mine - theirs
        fees = self.fees
        if other.fees != fees:
            if self._all_zero():
                fees = other.fees
            elif not other._all_zero():
                fees = None
        return Split(**values, fees=fees)

    def _all_zero(self) -> bool:
        return all(getattr(self, name).minor == 0 for name in _FIELDS)

    def __add__(self, other: Split) -> Split:
        return self._combine(other, 1)

    def __radd__(self, other: object) -> Split:
        # sum(splits) starts from the int 0.
        if type(other) is int and other == 0:
            return self
        return self._combine(other, 1)  # type: ignore[arg-type]

    def __sub__(self, other: Split) -> Split:
        return self._combine(other, -1)

    def __neg__(self) -> Split:
        return Split.zero(self.currency)._combine(self, -1)

    def explain(self) -> str:
        """The split line by line, each amount with the rule that made it.

        The four part lines sum to the net line.
        """
        fees = self.fees

        def rate(name: str, base: str) -> str:
            if fees is None:
                return f"its rate of {base}"
            value: Rate = getattr(fees, f"{name}_rate")
            return f"{value.percent()} of {base}"

        rows = [
            ("net cash (paid − refunded)", self.net, ""),
            ("platform subsidy standing", self.subsidy, "platform-funded discounts"),
            ("base (net + subsidy)", self.base, ""),
            ("payment fee", self.payment_fee, f"{rate('payment', 'net')}, half-up"),
            ("platform", self.platform, f"{rate('platform', 'base')}, half-up, − subsidy"),
            ("leader", self.leader, f"{rate('leader', 'base')}, half-up, one level"),
            ("merchant", self.merchant, "the residual: net − fee − platform − leader"),
        ]
        width = max(len(str(amount)) for _, amount, _ in rows)
        lines = [f"{label:<28}{amount!s:>{width}}  {rule}".rstrip() for label, amount, rule in rows]
        return "\n".join(lines)


def standing_subsidy(
    net: Money,
    amount_due: Money,
    platform_discount: Money,
    *,
    rounding: Rounding | str = Rounding.HALF_UP,
) -> Money:
    """The platform-funded discount still standing on an order with *net* cash.

    All of *platform_discount* while ``net >= amount_due`` (nothing refunded, or an
    overpayment: capped at the discount), none once *net* is zero, and
    ``round(platform_discount × net / amount_due)`` in between.

    Args:
        net: the cash standing on the order (zero or more).
        amount_due: what the order's quote asked for (zero or more).
        platform_discount: the platform-funded discount of the order (zero or more).
        rounding: the named rounding of the share; half-up by contract.

    Returns:
        The subsidy, in the currency of *net*.

    Raises:
        InvalidInput: ``not_money``, ``currency_mismatch``, ``negative_amount``,
            ``unknown_rounding``.
    """
    _check_inputs(net, amount_due, platform_discount, "standing_subsidy")
    mode = Rounding.parse(rounding)
    if net.minor <= 0 or platform_discount.minor == 0:
        return Money.zero(net.currency)
    if net.minor >= amount_due.minor:
        return platform_discount
    minor = mode.divide(platform_discount.minor * net.minor, amount_due.minor)
    return Money(minor, net.currency)


def _check_inputs(
    net: Money, amount_due: Money, platform_discount: Money, where: str = "split_order"
) -> None:
    if not isinstance(net, Money):
        raise InvalidInput(
            "not_money",
            f"{where}.net must be Money, got {type(net).__name__}",
            field="net",
            value=type(net).__name__,
        )
    for name, value in (
        ("net", net),
        ("amount_due", amount_due),
        ("platform_discount", platform_discount),
    ):
        if not isinstance(value, Money):
            raise InvalidInput(
                "not_money",
                f"{where}.{name} must be Money, got {type(value).__name__}",
                field=name,
                value=type(value).__name__,
            )
        if value.currency != net.currency:
            raise InvalidInput(
                "currency_mismatch",
                f"{where}.{name} is in {value.currency}, the net in {net.currency}",
                field=name,
                value=value.currency,
            )
        if value.minor < 0:
            raise InvalidInput(
                "negative_amount",
                f"{where}.{name} must not be negative, got {value}",
                field=name,
                value=str(value),
            )


def split_order(
    net: Money,
    amount_due: Money,
    platform_discount: Money,
    fees: FeeSchedule,
    *,
    rounding: Rounding | str = Rounding.HALF_UP,
) -> Split:
    """Split one order's *net* cash per the scenario contract.

    Args:
        net: the order's cash standing, paid − refunded (zero or more).
        amount_due: what the order's quote asks the member to pay.
        platform_discount: the part of the order's discounts the platform funds.
        fees: the campaign's fee schedule (single-level commission only).
        rounding: the named rounding of every rate; half-up by contract.

    Returns:
        The split; its four parts sum to *net*.

    Raises:
        InvalidInput: ``not_money``, ``currency_mismatch`` or ``negative_amount``;
            ``invalid_value`` when *fees* is not a :class:`FeeSchedule`; ``unknown_rounding``.
        InvalidRule: ``multi_level_commission`` for a schedule with more than one level.
    """
    _check_inputs(net, amount_due, platform_discount)
    if not isinstance(fees, FeeSchedule):
        raise InvalidInput(
            "invalid_value",
            f"split_order.fees must be a FeeSchedule, got {type(fees).__name__}",
            field="fees",
            value=type(fees).__name__,
        )
    _require_single_level(fees)
    mode = Rounding.parse(rounding)
    subsidy = standing_subsidy(net, amount_due, platform_discount, rounding=mode)
    base = net + subsidy
    payment_fee = fees.payment_rate.apply(net, rounding=mode)
    platform = fees.platform_rate.apply(base, rounding=mode) - subsidy
    leader = fees.leader_rate.apply(base, rounding=mode)
    merchant = net - payment_fee - platform - leader
    return Split(net, base, subsidy, payment_fee, platform, leader, merchant, fees=fees)


def clawback(before: Split, after: Split) -> Split:
    """What each party gives back when an order's split moves from *before* to *after*.

    ``before − after``, part by part; its parts sum to the cash refunded.

    Raises:
        InvalidInput: ``not_a_split`` for anything but two splits, ``currency_mismatch``.
    """
    if not isinstance(before, Split):
        raise InvalidInput(
            "not_a_split",
            f"clawback needs two Splits, got {type(before).__name__}",
            field="before",
            value=type(before).__name__,
        )
    return before - after


def total_split(splits: Iterable[Split], currency: str = "CNY") -> Split:
    """The sum of *splits* (a statement total); the zero split when there are none.

    Raises:
        InvalidInput: ``not_a_split`` for an entry that is not a split (or *splits* not a
            list), ``currency_mismatch``, ``unknown_currency``.
    """
    total = Split.zero(currency)
    if isinstance(splits, str | bytes | Mapping) or not isinstance(splits, Iterable):
        raise InvalidInput(
            "not_a_split",
            f"total_split needs a list of Splits, got {type(splits).__name__}",
            field="splits",
            value=type(splits).__name__,
        )
    for item in splits:
        total = total + item
    return total
