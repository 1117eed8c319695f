"""The shared boundary converters: each accepts its kind, refuses the rest naming the field."""

from __future__ import annotations

import enum
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core._validators import (
    MAX_DEPTH,
    depth_of,
    fail,
    flag,
    instance,
    items,
    listed,
    member,
    optional,
    shallow,
    text,
    whole,
)
from tuangou_core.errors import InvalidInput, InvalidRule


class Colour(enum.Enum):
    """A small enum to convert."""

    RED = "red"


def _refused(call: object, value: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(value)  # type: ignore[operator]
    return caught.value


def test_text_accepts_printable_text_within_its_length() -> None:
    """text() keeps good text and refuses non-text, empty, too long and control characters."""
    convert = text("member", code="invalid_value")
    assert convert("u1") == "u1"
    assert text("note", empty=True)("") == ""
    for junk, says in [
        (5, "must be text"),
        ("  ", "must not be empty"),
        ("x" * 129, "at most 128"),
    ]:
        error = _refused(convert, junk)
        assert (error.code, error.field) == ("invalid_value", "member")
        assert says in error.message
    assert "control" in _refused(convert, "a\x00b").message
    assert isinstance(_refused(text("id", error=InvalidRule), 5), InvalidRule)


def test_whole_numbers_flags_and_members() -> None:
    """whole(), flag() and member() accept exactly their kind."""
    assert whole("n", 0, 5)(5) == 5
    assert "between 0 and 5" in _refused(whole("n", 0, 5), 6).message
    assert "whole number" in _refused(whole("n", 0, 5), True).message
    assert flag("on")(False) is False
    assert _refused(flag("on"), 0).field == "on"
    assert member(Colour, "colour")("red") is Colour.RED
    assert member(Colour, "colour")(Colour.RED) is Colour.RED
    for junk in ("blue", True, None, ["red"]):
        assert _refused(member(Colour, "colour"), junk).field == "colour"


def test_instances_optionals_and_lists() -> None:
    """instance(), optional(), items() and listed() read what they say, bounded."""
    assert instance(int, "n")(3) == 3
    assert "must be int or str" in _refused(instance((int, str), "n"), 1.5).message
    assert optional(whole("n", 0, 1))(None) is None
    assert items("ids", text("ids"))(["a", "b"]) == ("a", "b")
    assert listed(iter([1, 2]), "xs") == [1, 2]
    for junk in ("ab", b"ab", {"a": 1}, 5):
        assert _refused(lambda v: listed(v, "xs"), junk).field == "xs"
    assert "at most 3" in _refused(lambda v: listed(v, "xs", max_items=3), [1, 2, 3, 4]).message
    endless = itertools.count()
    assert "at most 3" in _refused(lambda v: listed(v, "xs", max_items=3), endless).message


def test_depth_is_counted_without_recursion() -> None:
    """depth_of counts nesting iteratively and stops past its limit; shallow refuses it."""
    assert depth_of(1) == 0
    assert depth_of([1, {"a": (2,)}]) == 3
    deep: object = 1
    for _ in range(100_000):
        deep = [deep]
    assert depth_of(deep) == MAX_DEPTH + 1
    assert shallow([[1]], "doc") == [[1]]
    error = _refused(lambda v: shallow(v, "doc"), deep)
    assert (error.code, error.field, error.value) == ("too_deep", "doc", "<list>")


def _nesting(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_nesting(v) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return 1 + max((_nesting(v) for v in value), default=0)
    return 0


_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(_documents, st.integers(0, 6))
def test_depth_is_the_deepest_nesting_capped_past_the_limit(doc: object, limit: int) -> None:
    """depth_of is the deepest nesting of any branch, or limit + 1 once it passes the limit."""
    assert depth_of(doc, limit) == min(_nesting(doc), limit + 1)


def test_depth_reads_mapping_and_sequence_subclasses_and_skips_other_values() -> None:
    """A subclass of dict or list nests like its base; a set or a datetime is a leaf."""

    class Table(dict[str, object]):
        """A dict subclass, as a TOML reader might return."""

    assert depth_of(Table(a=[Table(b=1)])) == 3
    assert depth_of([{1, 2}, frozenset(), b"xy"]) == 1
    looped: list[object] = []
    looped.append(looped)
    assert depth_of(looped, 5) == 6


def test_an_error_keeps_a_short_form_of_the_value() -> None:
    """fail() keeps scalars, cuts long text and giant ints, and names other values by type."""
    assert fail(InvalidInput, "invalid_value", "f", "bad", "x" * 300).value == "x" * 200 + "…"
    assert fail(InvalidInput, "invalid_value", "f", "bad", 10**100).value == "<int of 333 bits>"
    assert fail(InvalidInput, "invalid_value", "f", "bad", [1]).value == "<list>"
    assert fail(InvalidInput, "invalid_value", "f", "bad", None).value is None
