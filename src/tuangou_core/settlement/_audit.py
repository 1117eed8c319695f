"""The independent auditor: the ledger's balances recomputed another way, then compared.

TigerBeetle's reference-model idea applied to the journal: :func:`audit` folds the same events
with its own plain integer arithmetic (cash per order, the last quote's terms, the contract's
split at the end) and shares nothing with :func:`~tuangou_core.settlement.journal` but
:func:`~tuangou_core.settlement.split_order`. :func:`reconcile` lists the accounts on which
the two disagree; the tests ask for none, after every prefix of every log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from tuangou_core.campaign import Campaign, Funder
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
from tuangou_core.money import Money
from tuangou_core.refunds import RefundReason
from tuangou_core.settlement._accounts import Account
from tuangou_core.settlement._commission import split_order


class _Audit:
    """The audit's own fold: cash per order and the last quote's terms, in plain ints."""

    __slots__ = ("cash", "currency", "owed", "terms")

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.owed = 0  # money that named no order, not yet sent back
        self.cash: dict[tuple[str, str], int] = {}
        self.terms: dict[tuple[str, str], tuple[int, int]] = {}

    def cash_in(self, event: PaymentReceived | PaymentCaptured, index: int) -> None:
        key = (event.group, event.member)
        minor = amount_in(event.amount, self.currency, index, "the audit")
        self.cash[key] = self.cash.get(key, 0) + minor

    def cash_out(self, event: RefundDue, index: int) -> None:
        key = (event.group, event.member)
        minor = amount_in(event.amount, self.currency, index, "the audit")
        if event.reason is RefundReason.UNMATCHED_PAYMENT:
            self.owed -= minor
        else:
            self.cash[key] = self.cash.get(key, 0) - minor

    def unmatched(self, event: PaymentUnmatched, index: int) -> None:
        if not event.authorised:
            self.owed += amount_in(event.amount, self.currency, index, "the audit")

    def quoted(self, event: MemberJoined | OrderRepriced | OrderReopened, _index: int) -> None:
        platform = sum(
            step.amount.minor for step in event.quote.steps if step.funder is Funder.PLATFORM
        )
        self.terms[(event.group, event.member)] = (event.quote.total.minor, platform)


_AUDIT: Final = Projection[Callable[[_Audit, Any, int], None]](
    "the audit",
    {
        PaymentReceived: _Audit.cash_in,
        PaymentCaptured: _Audit.cash_in,
        RefundDue: _Audit.cash_out,
        MemberJoined: _Audit.quoted,
        OrderRepriced: _Audit.quoted,
        OrderReopened: _Audit.quoted,
        PaymentUnmatched: _Audit.unmatched,
    },
    ignore=(
        GroupOpened,
        LeaderChanged,
        StockReserved,
        StockReleased,
        PaymentAuthorised,
        OrderPaid,
        AuthorisationReleased,
        OrderCancelled,
        GroupFormed,
        GroupFailed,
        WinnersDrawn,
        OrderShipped,
        OrderCompleted,
    ),
)


def audit(events: Iterable[Event], campaign: Campaign) -> dict[Account, Money]:
    """The balances the journal must reach, recomputed from the events independently.

    A plain fold: per order, the cash paid and refunded and the last quote's amount due and
    platform-funded discounts; at the end, each order's split by the contract formula. It
    shares nothing with :func:`~tuangou_core.settlement.journal` but
    :func:`~tuangou_core.settlement.split_order`.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not a known event,
            ``currency_mismatch`` for an amount in another currency.
    """
    currency = campaign.currency
    work = fold_events(_AUDIT, _Audit(currency), events)
    cash, terms = work.cash, work.terms
    # Sum the orders per distinct (net, due, discount), then split each distinct one once.
    alike: dict[tuple[int, int, int], int] = {}
    for key, net in cash.items():
        due, discount = terms.get(key, (0, 0))
        figures = (net, due, discount)
        alike[figures] = alike.get(figures, 0) + 1
    totals = dict.fromkeys(Account, 0)
    totals[Account.CUSTOMER] -= work.owed
    totals[Account.REFUNDS_PAYABLE] += work.owed
    for (net, due, discount), orders in alike.items():
        split = split_order(
            Money(net, currency), Money(due, currency), Money(discount, currency), campaign.fees
        )
        totals[Account.CUSTOMER] -= net * orders
        totals[Account.PROCESSOR_FEES] += split.payment_fee.minor * orders
        totals[Account.PLATFORM_REVENUE] += (split.platform.minor + split.subsidy.minor) * orders
        totals[Account.PLATFORM_SUBSIDY] -= split.subsidy.minor * orders
        totals[Account.LEADER_PAYABLE] += split.leader.minor * orders
        totals[Account.MERCHANT_PAYABLE] += split.merchant.minor * orders
    return {account: Money(minor, currency) for account, minor in totals.items()}


@attrs.frozen
class Difference:
    """An account whose journal balance and audit balance disagree."""

    account: Account
    journal: Money
    audit: Money

    @property
    def gap(self) -> Money:
        """``journal − audit``."""
        return self.journal - self.audit


def reconcile(
    journal_balances: Mapping[Account, Money], audit_balances: Mapping[Account, Money]
) -> tuple[Difference, ...]:
    """The accounts on which *journal_balances* and *audit_balances* differ; empty if none.

    An account missing on one side counts as zero there.
    """
    differences = []
    currency = next(iter((*journal_balances.values(), *audit_balances.values())), None)
    code = currency.currency if currency is not None else "CNY"
    zero = Money.zero(code)
    for account in Account:
        mine = journal_balances.get(account, zero)
        theirs = audit_balances.get(account, zero)
        if mine != theirs:
            differences.append(Difference(account, mine, theirs))
    return tuple(differences)
