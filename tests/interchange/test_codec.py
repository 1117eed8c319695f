"""The snapshot codec on small attrs values: every shape written and read back, and every
malformed value refused with the place it sits and what it must be."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from tuangou_core.errors import InvalidInput
from tuangou_core.interchange import SerializationError
from tuangou_core.interchange._codec import Codec, Reader, Writer
from tuangou_core.money import Money, Rate
from tuangou_core.timing import Duration


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen
class Leaf:
    n: int


@attrs.frozen
class Other:
    s: str


@attrs.frozen
class Positive:
    n: int

    def __attrs_post_init__(self) -> None:
        if self.n < 0:
            raise InvalidInput("invalid_quantity", "n must not be negative")


@attrs.frozen
class Shapes:
    pair: tuple[int, str]
    many: tuple[int, ...]
    tags: frozenset[str]
    by_leaf: Mapping[Leaf, int]
    either: Leaf | Other | None
    plain: int | str
    rate: Rate
    wait: Duration
    share: Fraction
    colour: Colour
    amount: Money
    at: datetime
    note: str = ""


@attrs.frozen
class Record:
    """Not hashable: written inline, never shared."""

    at: datetime
    leaf: Leaf


SHAPES = Shapes(
    pair=(1, "a"),
    many=(3, 4),
    tags=frozenset({"b", "a"}),
    by_leaf={Leaf(1): 10},
    either=Other("x"),
    plain="p",
    rate=Rate("0.05"),
    wait=Duration.parse("PT2H", "wait"),
    share=Fraction(1, 3),
    colour=Colour.BLUE,
    amount=Money(100, "USD"),
    at=datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
)


def write(value: Any, hint: Any, currency: str = "CNY") -> tuple[Any, list[Any]]:
    writer = Writer(currency)
    return Codec().encoder(hint)(value, writer), writer.shared


def read(data: Any, hint: Any, shared: list[Any] | None = None, inline: bool = False) -> Any:
    """Decode *data* as *hint*, with *shared* values already read; *inline*: an object."""
    reader = Reader("CNY")
    reader.shared = list(shared or ())
    codec = Codec()
    decode = codec.inline_decoder(hint, "v") if inline else codec.decoder(hint, "v")
    return decode(data, reader)


def test_every_shape_is_written_plainly() -> None:
    """Fixed tuples and sequences as lists, sets sorted, non-string keys as pairs, unions
    tagged by class, text for rates, durations and fractions, enums by value, money in
    another currency with it, datetimes with their zone."""
    body, shared = write(SHAPES, Shapes)
    assert body == {
        "pair": [1, "a"],
        "many": [3, 4],
        "tags": ["a", "b"],
        "by_leaf": [[0, 10]],
        "either": {"type": "Other", "value": 1},
        "plain": "p",
        "rate": "0.05",
        "wait": str(SHAPES.wait),
        "share": "1/3",
        "colour": "blue",
        "amount": [100, "USD"],
        "at": "2026-03-01T10:00:00+08:00[Asia/Shanghai]",
        "note": "",
    }
    assert shared == [["Leaf", {"n": 1}], ["Other", {"s": "x"}]]


def test_a_none_union_and_an_equal_value_are_written_once() -> None:
    """None stays None; the same hashable value twice takes one shared index."""
    assert write(None, Leaf | Other | None)[0] is None
    assert write(None, Leaf | None)[0] is None
    assert write(None, int | str | None)[0] is None
    assert write((Leaf(2), Leaf(2)), tuple[Leaf, ...]) == ([0, 0], [["Leaf", {"n": 2}]])


def test_money_in_the_snapshots_currency_is_minor_units() -> None:
    """100 CNY in a CNY snapshot is 100; read back it is the same amount."""
    assert write(Money(100), Money)[0] == 100
    assert read(100, Money) == Money(100)
    assert read([5, "USD"], Money) == Money(5, "USD")


def test_an_unwritable_hint_is_refused() -> None:
    """A float field cannot be written or read: not_serializable."""
    with pytest.raises(SerializationError) as caught:
        Codec().encoder(float)
    assert (caught.value.code, caught.value.message) == (
        "not_serializable",
        "a snapshot cannot hold <class 'float'>",
    )
    with pytest.raises(SerializationError) as again:
        Codec().decoder(float, "v")
    assert again.value.code == "not_serializable"


def test_a_record_is_read_back_inline() -> None:
    """A value holding a datetime is written inline and read back equal."""
    value = Record(datetime(2026, 3, 1, 2, tzinfo=ZoneInfo("UTC")), Leaf(3))
    body, shared = write(value, Record)
    assert body == {"at": "2026-03-01T02:00:00+00:00[UTC]", "leaf": 0}
    assert shared == [["Leaf", {"n": 3}]]
    assert read(body, Record, [Leaf(3)]) == value


def _refusal(data: Any, hint: Any, inline: bool = False) -> tuple[str, str]:
    with pytest.raises(SerializationError) as caught:
        read(data, hint, inline=inline)
    return caught.value.code, caught.value.message


@pytest.mark.parametrize(
    ("hint", "data", "message"),
    [
        (tuple[int, str], [1], "v: must be a list of 2"),
        (tuple[int, str], "x", "v: must be a list of 2"),
        (tuple[int, ...], {}, "v: must be a list"),
        (frozenset[str], "ab", "v: must be a list"),
        (Mapping[str, int], [], "v: must be an object"),
        (Mapping[Leaf, int], {}, "v: must be a list of pairs"),
        (Mapping[Leaf, int], [[0]], "v: must be a list of [key, value] pairs"),
        (Leaf | Other, {"type": "Nope"}, "v: must name one of ['Leaf', 'Other']"),
        (Leaf | Other, None, "v: must name one of ['Leaf', 'Other']"),
        (int | str, 1.5, "v: does not match (<class 'int'>, <class 'str'>)"),
        (int | str, None, "v: does not match (<class 'int'>, <class 'str'>)"),
        (int, True, "v: must be a int"),
        (str, 5, "v: must be a str"),
        (Leaf, "0", "v: must be the index of a shared value"),
        (Leaf, 7, "v: must be the index of a shared value"),
        (Leaf, -1, "v: must be the index of a shared value"),
        (Rate, 5, "v: must be a string"),
        (Rate, "lots", "v: 'lots' is not a Rate"),
        (Fraction, "1/0", "v: '1/0' is not a Fraction"),
        (Duration, "soon", "v: 'soon' is not a Duration"),
        (Colour, "green", "v: 'green' is not a Colour"),
        (Money, "1.00", "v: must be minor units, or [minor units, currency]"),
        (Money, [1, "XXX", 3], "v: must be minor units, or [minor units, currency]"),
        (datetime, 5, "v: must be ISO 8601 text"),
    ],
)
def test_a_malformed_value_is_refused_where_it_sits(hint: Any, data: Any, message: str) -> None:
    """Each malformed shape: invalid_value, naming the place and what it must be."""
    assert _refusal(data, hint) == ("invalid_value", message)


def test_money_the_amount_refuses_is_refused_with_its_reason() -> None:
    """[1, "XYZ"] names no currency: invalid_value carrying Money's own message."""
    code, message = _refusal([1, "XYZ"], Money)
    assert code == "invalid_value"
    assert message.startswith("v: ")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("yesterday", ("invalid_datetime", "v must be ISO 8601 with an offset")),
        (
            "2026-03-01T10:00:00+08:00[Mars/Base]",
            ("invalid_datetime", "v must be ISO 8601 with an offset"),
        ),
        ("2026-03-01T10:00:00", ("naive_datetime", "v must carry an offset")),
    ],
)
def test_a_bad_instant_is_refused(data: str, expected: tuple[str, str]) -> None:
    """Text that is no instant, an unknown zone, or no offset."""
    assert _refusal(data, datetime) == expected


def test_an_instant_read_twice_is_built_once() -> None:
    """Equal instant texts give the very same datetime object."""
    reader = Reader("CNY")
    decode = Codec().decoder(datetime, "v")
    text = "2026-03-01T10:00:00+08:00[Asia/Shanghai]"
    first = decode(text, reader)
    assert decode(text, reader) is first
    assert first.tzinfo == ZoneInfo("Asia/Shanghai")


def test_a_shared_index_of_another_class_is_refused() -> None:
    """shared[0] holds a Leaf where an Other is expected."""
    reader = Reader("CNY")
    reader.shared = [Leaf(1)]
    with pytest.raises(SerializationError) as caught:
        Codec().decoder(Other, "v")(0, reader)
    assert caught.value.message == "v: shared[0] is not a Other"


def test_an_object_with_an_unknown_or_missing_key_is_refused() -> None:
    """An extra key is unknown_key, a missing required one missing_key, each naming its place."""
    assert _refusal({"n": 1, "m": 2}, Leaf, True) == ("unknown_key", "v.m is not a key of Leaf")
    assert _refusal({}, Leaf, True) == ("missing_key", "v.n is required")
    assert _refusal([], Leaf, True) == ("invalid_value", "v: must be an object")


def test_a_value_its_class_refuses_is_invalid_where_it_sits() -> None:
    """The class's own refusal and a constructor's TypeError both become invalid_value."""
    assert _refusal({"n": -1}, Positive, True) == ("invalid_value", "v: n must not be negative")
    assert _refusal({"n": "2"}, Leaf, True) == ("invalid_value", "v.n: must be a int")
    assert read({"n": 2}, Positive, inline=True) == Positive(2)


def test_optional_and_tagged_unions_read_back() -> None:
    """None where allowed, a tagged class by name, a plain union by the value's type."""
    assert read(None, Leaf | None) is None
    assert read(None, Leaf | Other | None) is None
    assert read({"type": "Other", "value": 0}, Leaf | Other, [Other("x")]) == Other("x")
    assert read("p", int | str) == "p"
    assert read(None, int | str | None) is None
    assert read(3, int | str) == 3
