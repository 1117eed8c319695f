"""The independent auditor: the ledger's balances recomputed another way, then compared.

TigerBeetle's reference-model idea applied to the journal: :func:`audit` folds the same events
with its own plain integer arithmetic (cash per order, the last quote's terms, the contract's
split at the end) and shares nothing with :func:`~tuangou_core.ledger.journal` but
:func:`~tuangou_core.commission.split_order`. :func:`reconcile` lists the accounts on which
the two disagree; the tests ask for none, after every prefix of every log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from tuangou_core.campaign import Campaign, Funder
from tuangou_core.commission import split_order
from tuangou_core.errors import InvalidInput
from tuangou_core.events import (
    AuthorisationReleased,
    Event,
    GroupFailed,
    GroupFormed,
    GroupOpened,
    MemberJoined,
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderRepriced,
    OrderShipped,
    PaymentAuthorised,
    PaymentCaptured,
    PaymentReceived,
    RefundDue,
    StockReleased,
    StockReserved,
    WinnersDrawn,
)
from tuangou_core.ledger import Account
from tuangou_core.money import Money

__all__ = ["Difference", "audit", "reconcile"]

_CASH_IN: Final = (PaymentReceived, PaymentCaptured)
_QUOTED: Final = (MemberJoined, OrderRepriced)
_SILENT: Final = (
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
)


def audit(events: Iterable[Event], campaign: Campaign) -> dict[Account, Money]:
    """The balances the journal must reach, recomputed from the events independently.

    A plain fold: per order, the cash paid and refunded and the last quote's amount due and
    platform-funded discounts; at the end, each order's split by the contract formula. It
    shares nothing with :func:`~tuangou_core.ledger.journal` but
    :func:`~tuangou_core.commission.split_order`.

    Raises:
        InvalidInput: ``unknown_event`` for an object that is not a known event.
    """
    currency = campaign.currency
    cash: dict[tuple[str, str], int] = {}
    terms: dict[tuple[str, str], tuple[int, int]] = {}
    for index, event in enumerate(events):
        if isinstance(event, _CASH_IN):
            key = (event.group, event.member)
            cash[key] = cash.get(key, 0) + event.amount.minor
        elif isinstance(event, RefundDue):
            key = (event.group, event.member)
            cash[key] = cash.get(key, 0) - event.amount.minor
        elif isinstance(event, _QUOTED):
            platform = sum(
                step.amount.minor for step in event.quote.steps if step.funder is Funder.PLATFORM
            )
            terms[(event.group, event.member)] = (event.quote.total.minor, platform)
        elif not isinstance(event, (GroupOpened, *_SILENT)):
            raise InvalidInput(
                "unknown_event",
                f"events[{index}] is a {type(event).__name__}, not an event the audit knows",
                field=f"events[{index}]",
                value=type(event).__name__,
            )
    # Sum the orders per distinct (net, due, discount), then split each distinct one once.
    alike: dict[tuple[int, int, int], int] = {}
    for key, net in cash.items():
        due, discount = terms.get(key, (0, 0))
        figures = (net, due, discount)
        alike[figures] = alike.get(figures, 0) + 1
    totals = dict.fromkeys(Account, 0)
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
