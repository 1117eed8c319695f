"""The chart of accounts, postings and journal entries, exactly: sides, refusals, text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money
from tuangou_core.settlement import Account, AccountType, JournalEntry, Posting, Side
from tuangou_core.settlement._accounts import HOLDERS

T = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
A = Account


def test_assets_and_expenses_are_debit_normal_the_rest_credit_normal() -> None:
    """Asset and expense sit on the debit side; liability and revenue on the credit side."""
    assert {t: t.normal for t in AccountType} == {
        AccountType.ASSET: Side.DEBIT,
        AccountType.EXPENSE: Side.DEBIT,
        AccountType.LIABILITY: Side.CREDIT,
        AccountType.REVENUE: Side.CREDIT,
    }


def test_each_account_has_its_type_and_normal_side() -> None:
    """The chart: clearing an asset, the subsidy an expense, revenue, and five liabilities."""
    assert {a: (a.type, a.normal) for a in Account} == {
        A.PAYMENT_CLEARING: (AccountType.ASSET, Side.DEBIT),
        A.PLATFORM_SUBSIDY: (AccountType.EXPENSE, Side.DEBIT),
        A.MERCHANT_PAYABLE: (AccountType.LIABILITY, Side.CREDIT),
        A.LEADER_PAYABLE: (AccountType.LIABILITY, Side.CREDIT),
        A.PROCESSOR_FEES: (AccountType.LIABILITY, Side.CREDIT),
        A.REFUNDS_PAYABLE: (AccountType.LIABILITY, Side.CREDIT),
        A.POINTS_LIABILITY: (AccountType.LIABILITY, Side.CREDIT),
        A.PLATFORM_REVENUE: (AccountType.REVENUE, Side.CREDIT),
    }


def test_the_holders_are_every_credit_normal_account() -> None:
    """The accounts that hold customers' cash are exactly the credit-normal ones."""
    assert set(HOLDERS) == {a for a in Account if a.normal is Side.CREDIT}
    assert len(HOLDERS) == 6


def test_accounts_and_sides_hash_as_dictionary_keys() -> None:
    """Accounts and sides work as keys: each finds its own value."""
    table = {a: i for i, a in enumerate(Account)}
    assert [table[a] for a in Account] == list(range(8))
    assert {Side.DEBIT: 1, Side.CREDIT: 2}[Side.CREDIT] == 2


def test_a_debit_posting_reads_as_a_debit_only() -> None:
    """A debit of 1.25 has debit 125 and credit 0; a credit the reverse."""
    debit = Posting(A.PAYMENT_CLEARING, Side.DEBIT, Money(125), "u1")
    credit = Posting(A.MERCHANT_PAYABLE, Side.CREDIT, Money(125))
    assert (debit.debit, debit.credit, debit.party) == (125, 0, "u1")
    assert (credit.debit, credit.credit, credit.party) == (0, 125, "")


def test_the_smallest_posting_is_one_minor_unit() -> None:
    """0.01 is a posting; 0.00 and -0.01 are not."""
    assert Posting(A.PAYMENT_CLEARING, Side.DEBIT, Money(1)).debit == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("payment_clearing", Side.DEBIT, Money(1)),
            "InvalidInput('invalid_posting', 'a posting names an Account and a Side', "
            "value='payment_clearing')",
        ),
        (
            (A.PAYMENT_CLEARING, "debit", Money(1)),
            "InvalidInput('invalid_posting', 'a posting names an Account and a Side', "
            "value=<Account.PAYMENT_CLEARING: 'payment_clearing'>)",
        ),
        (
            (A.PAYMENT_CLEARING, Side.DEBIT, Money(0)),
            "InvalidInput('invalid_posting', \"a posting's amount is positive Money, got "
            "Money('0.00', 'CNY')\", value=\"Money('0.00', 'CNY')\")",
        ),
        (
            (A.PAYMENT_CLEARING, Side.DEBIT, Money(-1)),
            "InvalidInput('invalid_posting', \"a posting's amount is positive Money, got "
            "Money('-0.01', 'CNY')\", value=\"Money('-0.01', 'CNY')\")",
        ),
        (
            (A.PAYMENT_CLEARING, Side.DEBIT, 5),
            "InvalidInput('invalid_posting', \"a posting's amount is positive Money, got 5\", "
            "value='5')",
        ),
    ],
)
def test_a_bad_posting_is_refused_exactly(args: tuple[Any, ...], expected: str) -> None:
    """A posting of a wrong account, side or amount is refused with its code and value."""
    with pytest.raises(InvalidInput) as caught:
        Posting(*args)
    assert repr(caught.value) == expected


def _pair(debit: int, credit: int, currency: str = "CNY") -> tuple[Posting, Posting]:
    return (
        Posting(A.PAYMENT_CLEARING, Side.DEBIT, Money(debit, "CNY"), "u1"),
        Posting(A.MERCHANT_PAYABLE, Side.CREDIT, Money(credit, currency)),
    )


def test_an_entry_of_one_posting_is_refused() -> None:
    """One posting is not an entry: unbalanced_entry naming the entry."""
    with pytest.raises(InvalidInput) as caught:
        JournalEntry("3.1", 3, T, "one", _pair(5, 5)[:1])
    assert repr(caught.value) == (
        "InvalidInput('unbalanced_entry', 'entry 3.1 needs at least two postings', entry='3.1')"
    )


def test_an_entry_in_two_currencies_is_refused() -> None:
    """Debits in CNY and credits in USD: currency_mismatch naming both."""
    with pytest.raises(InvalidInput) as caught:
        JournalEntry("3.1", 3, T, "mixed", _pair(5, 5, "USD"))
    assert repr(caught.value) == (
        "InvalidInput('currency_mismatch', 'entry 3.1 mixes CNY and USD', entry='3.1')"
    )


def test_an_unbalanced_entry_names_its_debits_credits_and_gap() -> None:
    """Debits 5 against credits 4 minor units: the gap of 1 is the value."""
    with pytest.raises(InvalidInput) as caught:
        JournalEntry("3.1", 3, T, "bad", _pair(5, 4))
    assert repr(caught.value) == (
        "InvalidInput('unbalanced_entry', 'entry 3.1 debits 5 and credits 4 minor units', "
        "entry='3.1', value=1)"
    )


def test_credits_beyond_debits_give_a_negative_gap() -> None:
    """Debits 4 against credits 5: the gap is -1."""
    with pytest.raises(InvalidInput) as caught:
        JournalEntry("3.1", 3, T, "bad", _pair(4, 5))
    assert caught.value.fields == {"entry": "3.1", "value": -1}


def test_an_entry_sums_its_sides_and_reads_its_currency() -> None:
    """Debits 3.00 = 1.00 + 2.00 against one credit of 3.00, in USD."""
    postings = (
        Posting(A.PAYMENT_CLEARING, Side.DEBIT, Money(100, "USD")),
        Posting(A.PLATFORM_SUBSIDY, Side.DEBIT, Money(200, "USD")),
        Posting(A.MERCHANT_PAYABLE, Side.CREDIT, Money(300, "USD")),
    )
    entry = JournalEntry("0.1", 0, T, "three", postings)
    assert (entry.debits, entry.credits, entry.currency) == (300, 300, "USD")
    assert (entry.group, entry.member) == ("", "")


def test_an_entry_explains_itself_line_by_line() -> None:
    """The header, then each account (with its party) and its amount in its side's column."""
    entry = JournalEntry("7.2", 7, T, "paid", _pair(7000, 7000), "g1", "u1")
    assert entry.explain() == (
        "7.2  2026-03-01T02:00:00+00:00  paid\n"
        "    payment_clearing (u1)                      70.00              \n"
        "    merchant_payable                                         70.00"
    )
