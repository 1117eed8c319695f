"""The independent auditor: the ledger's balances recomputed another way, then compared.

TigerBeetle's reference-model idea applied to the journal. :func:`audit` folds the same events
with its own plain integer arithmetic and shares no code with the journal or the commission
split: it writes the contract's split formula and its half-up rounding itself, works out from
the events which payment settled which order, which orders formed and what points they stand
at, and only at the end turns the orders into account balances. :func:`reconcile` names every
account on which the two disagree. A mistake in the journal's split, or in the audit's, shows
as a difference (the tests break each on purpose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, Final

import attrs

from tuangou_core.campaign import Campaign, FeeSchedule, Funder, LotteryRule
from tuangou_core.group import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    LeaderChanged,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderReopened,
    OrderRepriced,
    OrderShipped,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    PaymentUnmatched,
    Projection,
    RefundDue,
    StockReleased,
    StockReserved,
    WinnersDrawn,
    amount_in,
    fold_events,
)
from tuangou_core.money import Currency, Money, format_minor
from tuangou_core.settlement._accounts import Account
from tuangou_core.settlement._balances import Balance

_Key = tuple[str, str]


def _half_up(numerator: int, denominator: int) -> int:
    """round(numerator / denominator), ties away from zero, for numerator ≥ 0 < denominator."""
    return (2 * numerator + denominator) // (2 * denominator)


def _of(amount: int, rate: Fraction) -> int:
    return _half_up(amount * rate.numerator, rate.denominator)


def _split(net: int, due: int, discount: int, fees: FeeSchedule) -> tuple[int, ...]:
    """The contract's split of one order: (fee, take, subsidy, leader, merchant).

    Written here from shared/SCENARIO.md, not borrowed from the commission module: subsidy is
    the platform discount standing (all of it while nothing is refunded, none at zero net,
    round(discount × net / due) between), base = net + subsidy, fee on net, take and leader on
    base, the merchant the residual.
    """
    if net <= 0 or discount == 0:
        subsidy = 0
    elif net >= due:
        subsidy = discount
    else:
        subsidy = _half_up(discount * net, due)
    base = net + subsidy
    fee = _of(net, fees.payment_rate.value)
    take = _of(base, fees.platform_rate.value)
    leader = _of(base, fees.leader_rate.value)
    merchant = net - fee - (take - subsidy) - leader
    return fee, take, subsidy, leader, merchant


class _Audit:
    """The audit's own fold, in plain ints: the cash, who it settled, the quotes, the forms."""

    __slots__ = (
        "cash",
        "currency",
        "formed",
        "groups",
        "lottery",
        "platform",
        "quotes",
        "refunded",
        "settled_by",
    )

    def __init__(self, currency: str, lottery: bool) -> None:
        self.currency = currency
        self.lottery = lottery
        self.cash: dict[str, int] = {}  # payment id → cash it brought
        self.refunded: dict[str, int] = {}  # payment id → cash refunded along it
        self.settled_by: dict[_Key, str] = {}  # order → its settling payment id
        self.quotes: dict[_Key, tuple[int, int]] = {}  # order → (due, platform discount)
        self.groups: dict[str, list[_Key]] = {}
        self.formed: set[_Key] = set()
        # Quotes are shared between orders: each one's platform discount summed once (the
        # quote kept alive with it, so its id stays its own).
        self.platform: dict[int, tuple[Any, int]] = {}

    def money(self, amount: Any, index: int) -> int:
        if type(amount) is Money and amount.currency == self.currency:
            return amount.minor  # what amount_in returns, without the call
        return amount_in(amount, self.currency, index, "the audit")

    def received(self, event: PaymentReceived | PaymentCaptured, index: int) -> None:
        minor = self.money(event.amount, index)
        self.cash[event.payment_id] = self.cash.get(event.payment_id, 0) + minor

    def unmatched(self, event: PaymentUnmatched, index: int) -> None:
        if not event.authorised:
            self.cash[event.payment_id] = self.money(event.amount, index)

    def paid(self, event: OrderPaid, _index: int) -> None:
        self.settled_by[(event.group, event.member)] = event.payment_id

    def refund(self, event: RefundDue, index: int) -> None:
        minor = self.money(event.amount, index)
        self.refunded[event.payment_id] = self.refunded.get(event.payment_id, 0) + minor

    def quoted(self, event: MemberJoined | OrderReopened | OrderRepriced, _index: int) -> None:
        key = (event.group, event.member)
        if key not in self.quotes:
            self.groups.setdefault(event.group, []).append(key)
        quote = event.quote
        known = self.platform.get(id(quote))
        if known is None:
            platform = sum(
                step.amount.minor for step in quote.steps if step.funder is Funder.PLATFORM
            )
            known = self.platform[id(quote)] = (quote, platform)
        self.quotes[key] = (quote.total.minor, known[1])

    def group_formed(self, event: GroupFormed, _index: int) -> None:
        if not self.lottery:
            # A paid order forms even with no cash yet (capture_at_close captures it after
            # GroupFormed); its points are counted on the net it ends with.
            settled = self.settled_by
            self.formed.update([k for k in self.groups.get(event.group, ()) if k in settled])

    def drawn(self, event: WinnersDrawn, _index: int) -> None:
        self.formed.update((event.group, member) for member in event.winners)


_AUDIT: Final = Projection[Callable[[_Audit, Any, int], None]](
    "the audit",
    {
        PaymentReceived: _Audit.received,
        PaymentCaptured: _Audit.received,
        PaymentUnmatched: _Audit.unmatched,
        OrderPaid: _Audit.paid,
        RefundDue: _Audit.refund,
        MemberJoined: _Audit.quoted,
        OrderReopened: _Audit.quoted,
        OrderRepriced: _Audit.quoted,
        GroupFormed: _Audit.group_formed,
        WinnersDrawn: _Audit.drawn,
    },
    ignore=(
        GroupOpened,
        LeaderChanged,
        StockReserved,
        StockReleased,
        PaymentAuthorised,
        AuthorisationReleased,
        OrderCancelled,
        GroupFailed,
        OrderShipped,
        OrderCompleted,
    ),
)


def audit(events: Iterable[Event], campaign: Campaign) -> dict[Account, int]:
    """Every account's balance, on its normal side, recomputed from the events independently.

    Returns:
        Minor units per account: what the journal's balances must come to.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not a known event,
            ``currency_mismatch`` for an amount in another currency.
    """
    work = fold_events(
        _AUDIT, _Audit(campaign.currency, isinstance(campaign.rule, LotteryRule)), events
    )
    totals = dict.fromkeys(Account, 0)
    cash = sum(work.cash.values()) - sum(work.refunded.values())
    totals[Account.PAYMENT_CLEARING] = cash
    split_cash = 0
    points = 0
    rule = campaign.points
    scale = Currency.of(campaign.currency).scale
    nothing = (0, 0, 0, 0, 0)
    # Orders mostly share their figures: each distinct (net, due, discount) split once.
    known: dict[tuple[int, int, int], tuple[int, ...]] = {}
    fees = takes = subsidies = leaders = merchants = 0
    formed, quotes, paid, refunded = work.formed, work.quotes, work.cash, work.refunded
    for key, payment in work.settled_by.items():
        # The order's net: what its settling payment brought, less what went back along it.
        net = paid.get(payment, 0) - refunded.get(payment, 0)
        if net > 0:
            due, discount = quotes.get(key, (0, 0))
            figures = (net, due, discount)
            parts = known.get(figures)
            if parts is None:
                parts = known[figures] = _split(net, due, discount, campaign.fees)
            if rule is not None and key in formed:
                points += net // scale * rule.earn_per_unit
        else:
            parts = nothing
        fee, take, subsidy, leader, merchant = parts
        split_cash += net
        fees += fee
        takes += take
        subsidies += subsidy
        leaders += leader
        merchants += merchant
    totals[Account.PROCESSOR_FEES] = fees
    totals[Account.PLATFORM_REVENUE] = takes
    totals[Account.PLATFORM_SUBSIDY] = subsidies
    totals[Account.LEADER_PAYABLE] = leaders
    totals[Account.MERCHANT_PAYABLE] = merchants
    totals[Account.REFUNDS_PAYABLE] = cash - split_cash
    if rule is not None:
        value = points * rule.value.minor
        totals[Account.POINTS_LIABILITY] = value
        funder = (
            Account.PLATFORM_REVENUE
            if rule.funded_by is Funder.PLATFORM
            else Account.MERCHANT_PAYABLE
        )
        totals[funder] -= value
    return totals


@attrs.frozen
class Difference:
    """An account on which the journal and the audit disagree (normal-side minor units)."""

    account: Account
    journal: int
    audit: int
    currency: str

    @property
    def gap(self) -> int:
        """``journal − audit``, in minor units."""
        return self.journal - self.audit

    def __str__(self) -> str:
        def money(minor: int) -> str:
            return format_minor(minor, self.currency)

        return (
            f"{self.account.value}: the journal says {money(self.journal)}, the audit "
            f"{money(self.audit)} (gap {money(self.gap)})"
        )


def reconcile(
    journal_balances: Mapping[Account, Balance], audit_balances: Mapping[Account, int]
) -> tuple[Difference, ...]:
    """The accounts on which the journal's *journal_balances* and *audit_balances* differ.

    An account missing on one side counts as zero there. Empty when they agree.
    """
    currency = next((b.currency for b in journal_balances.values()), "CNY")
    differences = []
    for account in Account:
        found = journal_balances.get(account)
        mine = found.amount if found is not None else 0
        theirs = audit_balances.get(account, 0)
        if mine != theirs:
            differences.append(Difference(account, mine, theirs, currency))
    return tuple(differences)
