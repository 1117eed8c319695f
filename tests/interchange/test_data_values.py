"""from_data's readers and to_data's writers, one hint at a time: each shape read back, each
malformed value refused naming where it sits."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, time
from fractions import Fraction
from typing import Any

import attrs
import pytest

from tuangou_core.interchange import SerializationError, from_data
from tuangou_core.interchange._data import _currency_in, _decode, _decode_attrs, _encode
from tuangou_core.money import Money


class Colour(enum.Enum):
    RED = "red"


@attrs.frozen
class Pair:
    a: int
    b: int = 0


@attrs.frozen
class Picky:
    n: int

    def __attrs_post_init__(self) -> None:
        if self.n > 9:
            raise ValueError("n is at most 9")


def decode(hint: Any, value: Any) -> Any:
    return _decode(hint, value, "CNY", "v")


def refusal(hint: Any, value: Any) -> tuple[str, str]:
    with pytest.raises(SerializationError) as caught:
        decode(hint, value)
    return caught.value.code, caught.value.message


def test_plain_shapes_are_written_as_json_values() -> None:
    """Fractions as text, frozensets sorted, enum keys by value, tuples as lists."""
    assert _encode(Fraction(1, 3)) == "1/3"
    assert _encode(frozenset({"b", "a"})) == ["a", "b"]
    assert _encode({Colour.RED: (1, 2), "k": None}) == {"red": [1, 2], "k": None}
    assert _encode(date(2026, 3, 1)) == "2026-03-01"
    assert _encode(time(9, 30)) == "09:30:00"


def test_a_value_of_no_known_shape_is_not_serializable() -> None:
    """A float is refused naming its type."""
    with pytest.raises(SerializationError) as caught:
        _encode(1.5)
    assert (caught.value.code, caught.value.message) == (
        "not_serializable",
        "float is not serializable",
    )


def test_the_currency_is_found_anywhere_in_a_value() -> None:
    """In a list, a mapping's values or an attrs field; None when there is none."""
    assert _currency_in([1, Money(5, "USD")]) == "USD"
    assert _currency_in({"a": 1, "b": Money(5, "JPY")}) == "JPY"
    assert _currency_in({"a": 1}) is None
    assert _currency_in(Pair(1)) is None


def test_plain_hints_read_back() -> None:
    """Dates, times, unions, sets, mappings and Any, each read from its JSON form."""
    assert decode(date, "2026-03-01") == date(2026, 3, 1)
    assert decode(time, "09:30") == time(9, 30)
    assert decode(str | int, 5) == 5
    assert decode(str | int, "x") == "x"
    assert decode(int | None, None) is None
    assert decode(frozenset[str], ["a", "b"]) == frozenset({"a", "b"})
    assert decode(tuple[int, ...], [1, 2]) == (1, 2)
    assert decode(Mapping[str, int], {"a": 1}) == {"a": 1}
    assert decode(Any, [1, {"x": 2}]) == [1, {"x": 2}]
    assert decode(Colour, "red") is Colour.RED
    assert decode(Pair, {"a": 1}) == Pair(1, 0)


@pytest.mark.parametrize(
    ("hint", "value", "expected"),
    [
        (date, "soon", ("invalid_value", "v must be an ISO 8601 date")),
        (time, "25:00", ("invalid_value", "v must be an ISO 8601 time")),
        (str | int, 1.5, ("invalid_value", "v does not match str | int")),
        (tuple[int, ...], "12", ("invalid_value", "v must be a list")),
        (frozenset[Any], [[1]], ("invalid_value", "v must be a list of values")),
        (Mapping[str, int], [], ("invalid_value", "v must be an object")),
        (Colour, "blue", ("invalid_value", "v: 'blue' is not a Colour")),
        (Colour, 5, ("invalid_value", "v: 'int' is not a Colour")),
        (Colour, "x" * 41, ("invalid_value", "v: 'str' is not a Colour")),
        (int, "5", ("invalid_value", "v must be a int")),
        (bool, 1, ("invalid_value", "v must be a bool")),
        (float, 1.5, ("invalid_value", "v: cannot read <class 'float'>")),
        (Pair, [], ("invalid_value", "v must be an object")),
        (Pair, {"b": 1}, ("missing_key", "v.a is required")),
        (Pair, {"a": 1, "c": 2}, ("unknown_key", "v.c is not a key of Pair")),
        (Picky, {"n": 10}, ("invalid_value", "v: n is at most 9")),
    ],
)
def test_a_malformed_value_is_refused_where_it_sits(
    hint: Any, value: Any, expected: tuple[str, str]
) -> None:
    """Each reader's refusal: its code and the place it names."""
    assert refusal(hint, value) == expected


def test_an_amount_the_money_parser_refuses_keeps_its_code() -> None:
    """Text that is no amount: Money's own code, the message prefixed by the place."""
    assert refusal(Money, "ten") == (
        "invalid_amount",
        "v: amount must be a decimal string like '12.34', got 'ten'",
    )


def test_attrs_reader_refuses_a_non_object_at_the_top() -> None:
    """_decode_attrs of a list names the place it was asked to read."""
    with pytest.raises(SerializationError) as caught:
        _decode_attrs(Pair, [1], "CNY", "top")
    assert caught.value.message == "top must be an object"


def test_a_currency_that_is_not_text_is_refused() -> None:
    """from_data with a numeric currency: invalid_value naming currency."""
    data = {"schema": 1, "type": "Quote", "currency": 156}
    with pytest.raises(SerializationError) as caught:
        from_data(data)
    assert (
        caught.value.fields.get("field") == "currency" or caught.value.code == "unsupported_schema"
    )
