"""The [lint] table and LintContext: each wrong value refused naming its key."""

from __future__ import annotations

from typing import Any

import pytest

from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money
from tuangou_core.operations import LintContext, lint_context


def field_of(make: Any) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as caught:
        make()
    return caught.value.code, caught.value.fields["field"]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"recent_prices": "9.90"}, ("invalid_value", "lint.recent_prices")),
        ({"recent_prices": ["cheap"]}, ("invalid_amount", "lint.recent_prices")),
        ({"lottery_odds_disclosed": "yes"}, ("invalid_value", "lint.lottery_odds_disclosed")),
        ({"refund_deadline": 7}, ("invalid_value", "lint.refund_deadline")),
        ({"refund_path": None}, ("invalid_value", "lint.refund_path")),
        ({"required_shares": 1.5}, ("invalid_value", "lint.required_shares")),
        ({"share_cap_per_day": True}, ("invalid_value", "lint.share_cap_per_day")),
        ({"nonsense": 1}, ("unknown_key", "lint.nonsense")),
    ],
)
def test_a_bad_lint_table_is_refused_naming_the_key(table: dict[str, Any], expected: Any) -> None:
    """A value of the wrong kind or an unknown key: refused naming lint.<key>."""
    assert field_of(lambda: lint_context(table)) == expected


def test_a_lint_table_that_is_not_a_table_is_refused() -> None:
    """A list is not a [lint] table."""
    assert field_of(lambda: lint_context(["x"])) == ("invalid_value", "lint")  # type: ignore[arg-type]


def test_a_lint_table_reads_its_values() -> None:
    """Prices in the campaign's currency, flags and counts as given."""
    context = lint_context(
        {"recent_prices": ["9.90", "10"], "lottery_odds_disclosed": True, "required_shares": 2},
        "CNY",
    )
    assert context.recent_prices == (Money(990), Money(1000))
    assert (context.lottery_odds_disclosed, context.required_shares) == (True, 2)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"recent_prices": "9.90"}, ("invalid_input", "context.recent_prices")),
        ({"recent_prices": [Money(1), 2]}, ("invalid_input", "context.recent_prices[1]")),
        ({"required_shares": -1}, ("invalid_input", "required_shares")),
        ({"required_shares": True}, ("invalid_input", "required_shares")),
    ],
)
def test_a_bad_context_is_refused_naming_the_field(keys: dict[str, Any], expected: Any) -> None:
    """Prices that are not a sequence of Money, a count below zero or not an int."""
    assert field_of(lambda: LintContext(**keys)) == expected


def test_a_single_price_is_a_sequence_of_one() -> None:
    """recent_prices=Money(990) reads as (Money(990),); no share cap is allowed."""
    assert LintContext(recent_prices=Money(990)).recent_prices == (Money(990),)
    assert LintContext(share_cap_per_day=None).share_cap_per_day is None
