"""Balances, party balances, the trial balance and holdings of a small journal, worked by hand.

The journal: a member pays 100.00 (90.00 to the merchant, 10.00 platform revenue), the
platform subsidises 5.00 to the merchant, and 20.00 of the merchant's is owed back to the
member. Clearing holds 100.00; the merchant 75.00; refunds payable 20.00; revenue 10.00.
"""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money
from tuangou_core.settlement import (
    Account,
    Balance,
    JournalEntry,
    Posting,
    Side,
    balances,
    holdings,
    party_balances,
    trial_balance,
)

T = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
A = Account
DR, CR = Side.DEBIT, Side.CREDIT


def entry(
    entry_id: str, *postings: tuple[Account, Side, int, str], currency: str = "CNY"
) -> JournalEntry:
    lines = tuple(Posting(a, s, Money(m, currency), p) for a, s, m, p in postings)
    return JournalEntry(entry_id, int(entry_id.split(".", maxsplit=1)[0]), T, "memo", lines)


PAID = entry(
    "0.1",
    (A.PAYMENT_CLEARING, DR, 10000, "u1"),
    (A.MERCHANT_PAYABLE, CR, 9000, ""),
    (A.PLATFORM_REVENUE, CR, 1000, ""),
)
SUBSIDY = entry("1.1", (A.PLATFORM_SUBSIDY, DR, 500, ""), (A.MERCHANT_PAYABLE, CR, 500, ""))
OWED = entry("2.1", (A.MERCHANT_PAYABLE, DR, 2000, ""), (A.REFUNDS_PAYABLE, CR, 2000, "u1"))
JOURNAL = (PAID, SUBSIDY, OWED)
USD = entry(
    "9.1", (A.PAYMENT_CLEARING, DR, 5, "u9"), (A.MERCHANT_PAYABLE, CR, 5, ""), currency="USD"
)


def test_each_account_balances_on_its_normal_side() -> None:
    """Debits, credits and balance per account; accounts never posted to are zero."""
    sums = balances(JOURNAL)
    assert {a: (b.debits, b.credits, b.amount, b.side) for a, b in sums.items()} == {
        A.PAYMENT_CLEARING: (10000, 0, 10000, DR),
        A.PLATFORM_SUBSIDY: (500, 0, 500, DR),
        A.MERCHANT_PAYABLE: (2000, 9500, 7500, CR),
        A.LEADER_PAYABLE: (0, 0, 0, CR),
        A.PROCESSOR_FEES: (0, 0, 0, CR),
        A.REFUNDS_PAYABLE: (0, 2000, 2000, CR),
        A.POINTS_LIABILITY: (0, 0, 0, CR),
        A.PLATFORM_REVENUE: (0, 1000, 1000, CR),
    }
    assert {b.currency for b in sums.values()} == {"CNY"}


def test_balances_print_with_their_side() -> None:
    """100.00 Dr in clearing, 75.00 Cr for the merchant, 0.00 on the normal side of an empty
    account."""
    sums = balances(JOURNAL)
    assert sums[A.PAYMENT_CLEARING].text() == "100.00 Dr"
    assert sums[A.MERCHANT_PAYABLE].text() == "75.00 Cr"
    assert sums[A.LEADER_PAYABLE].text() == "0.00 Cr"
    assert Balance(A.PAYMENT_CLEARING, 0, 0, "CNY").text() == "0.00 Dr"


def test_a_balance_against_its_normal_side_is_negative() -> None:
    """Clearing credited 3.00 and debited 1.00 is -200 on its normal side, sitting Cr; a
    liability debited beyond its credits is negative too, sitting Dr."""
    clearing = Balance(A.PAYMENT_CLEARING, 100, 300, "CNY")
    assert (clearing.amount, clearing.side, clearing.text()) == (-200, CR, "2.00 Cr")
    merchant = Balance(A.MERCHANT_PAYABLE, 300, 100, "CNY")
    assert (merchant.amount, merchant.side, merchant.text()) == (-200, DR, "2.00 Dr")


def test_balances_read_any_iterable_of_entries() -> None:
    """A generator of entries gives the same balances as a tuple."""
    assert balances(e for e in JOURNAL) == balances(JOURNAL)
    assert trial_balance(e for e in JOURNAL) == trial_balance(JOURNAL)


def test_no_entries_balance_to_zero_in_the_named_currency() -> None:
    """No entries: every account zero, in CNY unless a currency is named."""
    assert {b.currency for b in balances([]).values()} == {"CNY"}
    assert {b.currency for b in balances([], "USD").values()} == {"USD"}
    assert {b.amount for b in balances([], "USD").values()} == {0}
    tb = trial_balance([], "JPY")
    assert (tb.currency, tb.entries, tb.debits, tb.credits, tb.balanced) == ("JPY", 0, 0, 0, True)
    assert party_balances([]) == {}


def test_a_named_currency_is_read_from_the_entries_too() -> None:
    """Naming USD for a USD journal gives USD balances; naming it for CNY entries is refused."""
    assert balances([USD], "USD")[A.PAYMENT_CLEARING].amount == 5
    assert {b.currency for b in party_balances([USD]).values()} == {"USD"}
    with pytest.raises(InvalidInput) as caught:
        balances(JOURNAL, "USD")
    assert repr(caught.value) == (
        "InvalidInput('currency_mismatch', 'entry 0.1 is in CNY, the journal in USD: one "
        "currency a journal', entry='0.1', value='CNY')"
    )


@pytest.mark.parametrize("read", [balances, trial_balance, party_balances])
def test_a_second_currency_is_refused_naming_its_entry(read: object) -> None:
    """A USD entry after CNY ones is refused with the entry's id and its currency."""
    with pytest.raises(InvalidInput) as caught:
        read((*JOURNAL, USD))  # type: ignore[operator]
    assert repr(caught.value) == (
        "InvalidInput('currency_mismatch', 'entry 9.1 is in USD, the journal in CNY: one "
        "currency a journal', entry='9.1', value='USD')"
    )


def test_party_balances_refuse_entries_not_in_the_named_currency() -> None:
    """party_balances of CNY entries in USD is refused like balances."""
    with pytest.raises(InvalidInput) as caught:
        party_balances(JOURNAL, "USD")
    assert caught.value.fields == {"entry": "0.1", "value": "CNY"}


@pytest.mark.parametrize("read", [balances, trial_balance, party_balances])
def test_an_item_that_is_not_an_entry_is_refused_by_index(read: object) -> None:
    """The second item a string: invalid_entry naming entries[1] and its type."""
    with pytest.raises(InvalidInput) as caught:
        read([PAID, "0.2"])  # type: ignore[operator]
    assert repr(caught.value) == (
        "InvalidInput('invalid_entry', 'entries[1] is a str, not a JournalEntry', "
        "field='entries[1]')"
    )


def test_party_balances_split_each_account_by_party() -> None:
    """Only the (account, party) pairs posted to, each with its own debits and credits."""
    parties = party_balances(JOURNAL)
    assert {k: (b.debits, b.credits, b.amount) for k, b in parties.items()} == {
        (A.PAYMENT_CLEARING, "u1"): (10000, 0, 10000),
        (A.MERCHANT_PAYABLE, ""): (2000, 9500, 7500),
        (A.PLATFORM_REVENUE, ""): (0, 1000, 1000),
        (A.PLATFORM_SUBSIDY, ""): (500, 0, 500),
        (A.REFUNDS_PAYABLE, "u1"): (0, 2000, 2000),
    }
    assert parties[(A.REFUNDS_PAYABLE, "u1")].currency == "CNY"


def test_the_trial_balance_sums_each_column_apart() -> None:
    """Debit column 100.00 + 5.00, credit column 75.00 + 20.00 + 10.00: 105.00 each."""
    tb = trial_balance(JOURNAL)
    assert (tb.debits, tb.credits, tb.entries, tb.currency) == (10500, 10500, 3, "CNY")
    assert (tb.unbalanced, tb.balanced) == ((), True)
    assert [r.account for r in tb.rows] == list(Account)


def test_the_trial_balance_explains_itself() -> None:
    """Each account in its column, zero rows blank, the totals and the verdict."""
    assert trial_balance(JOURNAL).explain().splitlines() == [
        "account             type                  debit          credit",
        "payment_clearing    asset                100.00                ",
        "platform_subsidy    expense                5.00                ",
        "merchant_payable    liability                             75.00",
        "leader_payable      liability                                  ",
        "processor_fees      liability                                  ",
        "refunds_payable     liability                             20.00",
        "points_liability    liability                                  ",
        "platform_revenue    revenue                               10.00",
        "total                                    105.00          105.00",
        "3 entries, balanced",
    ]


def _corrupt(entry: JournalEntry, extra: int) -> JournalEntry:
    # As read back from a damaged store: built without the entry's own check.
    broken = object.__new__(JournalEntry)
    for field in attrs.fields(JournalEntry):
        object.__setattr__(broken, field.name, getattr(entry, field.name))
    first = entry.postings[0]
    changed = attrs.evolve(first, amount=first.amount + Money(extra))
    object.__setattr__(broken, "postings", (changed, *entry.postings[1:]))
    return broken


def test_an_entry_whose_sides_differ_is_listed_as_unbalanced() -> None:
    """Clearing debited 0.02 too much in 0.1: the columns differ by 0.02 and 0.1 is named."""
    tb = trial_balance([_corrupt(PAID, 2), SUBSIDY, OWED])
    assert (tb.debits, tb.credits, tb.unbalanced, tb.balanced) == (10502, 10500, ("0.1",), False)
    assert tb.explain().splitlines()[-1] == "3 entries, OUT OF BALANCE by 0.02"


def test_columns_that_agree_still_fail_on_an_unbalanced_entry() -> None:
    """Equal columns do not make a trial balance sound when an entry's own sides differ."""
    tb = attrs.evolve(trial_balance(JOURNAL), unbalanced=("0.1",))
    assert (tb.debits == tb.credits, tb.balanced) == (True, False)
    assert tb.explain().splitlines()[-1] == "3 entries, OUT OF BALANCE by 0.00"


def test_holdings_are_the_cash_and_what_holds_it() -> None:
    """Clearing 100.00; the credit-normal accounts 105.00 less the 5.00 subsidy: 100.00."""
    assert holdings(balances(JOURNAL)) == (10000, 10000)
    assert holdings(balances([_corrupt(PAID, 2)])) == (10002, 10000)


def test_one_minor_unit_shows_in_its_column() -> None:
    """A 0.01 entry: 0.01 in clearing's debit column and the merchant's credit column."""
    cent = entry("0.1", (A.PAYMENT_CLEARING, DR, 1, "u1"), (A.MERCHANT_PAYABLE, CR, 1, ""))
    lines = trial_balance([cent]).explain().splitlines()
    assert lines[1] == "payment_clearing    asset                  0.01                "
    assert lines[3] == "merchant_payable    liability                              0.01"
