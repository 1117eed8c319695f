"""Text for people: one display width, so tables align with Chinese names too; and the
indented JSON the command line prints, exactly the standard encoder's."""

from __future__ import annotations

import enum
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core._text import (
    _ragged_table,
    display_width,
    json_chunks,
    json_text,
    pad,
    text_table,
)


def test_wide_characters_take_two_columns() -> None:
    """张三丰 takes six columns; ASCII one each; a combining mark none."""
    assert display_width("张三丰") == 6
    assert display_width("u1") == 2
    assert display_width("￥5") == 3
    assert display_width("e\u0301") == 1


def test_a_table_aligns_a_chinese_name_with_ascii_ones() -> None:
    """Every row of a table ends its columns at the same display column."""
    lines = text_table(("member", "paid"), [("张三丰", "70.00"), ("u2", "70.00")], right={1})
    assert [display_width(line) for line in lines] == [15, 15, 15]
    assert lines[1] == "  张三丰  70.00"
    assert lines[2] == "  u2      70.00"


_CELLS = st.text(max_size=6) | st.integers(-999, 999) | st.none() | st.sampled_from(["张三", "￥5"])


@given(
    table=st.integers(0, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.text(max_size=4), min_size=n, max_size=n),
            st.lists(st.lists(_CELLS, min_size=n, max_size=n), max_size=4),
        )
    ),
    right=st.sets(st.integers(0, 4)),
)
def test_a_table_by_columns_is_the_table_cell_by_cell(
    table: tuple[list[str], list[list[object]]], right: set[int]
) -> None:
    """Padding column by column writes each line exactly as padding each cell would."""
    header, rows = table
    assert text_table(header, rows, right) == _ragged_table(header, rows, right)


def test_a_ragged_row_fails_as_it_always_has() -> None:
    """A row longer than the header refuses to zip; a shorter one has no cell to measure."""
    with pytest.raises(ValueError, match="zip"):
        text_table(("a",), [("x", "y")])
    with pytest.raises(IndexError):
        text_table(("a", "b"), [("x",)])
    assert text_table((), [(), ()]) == ["", "", ""]


@given(text=st.text(max_size=12), width=st.integers(0, 30), right=st.booleans())
def test_pad_reaches_the_width_and_keeps_the_text(text: str, width: int, right: bool) -> None:
    """pad() adds spaces only, to reach the width (never cutting a longer text)."""
    padded = pad(text, width, right=right)
    assert padded.strip(" ") == text.strip(" ") or text.strip(" ") == ""
    assert display_width(padded) == max(width, display_width(text))


def _slow_width(text: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


@given(text=st.text(max_size=20) | st.text(st.characters(max_codepoint=127), max_size=20))
def test_the_ascii_short_cut_counts_as_the_full_rule(text: str) -> None:
    """ASCII text takes one column a character, by the full rule too."""
    assert display_width(text) == _slow_width(text)


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=True, allow_infinity=True)
)
_JSONISH = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(data=_JSONISH)
def test_json_text_writes_the_standard_encoders_bytes(data: object) -> None:
    """json_text is json.dumps(ensure_ascii=False, indent=2), character for character: empty
    and nested containers, unicode and control characters, floats (left to json.dumps)."""
    assert json_text(data) == json.dumps(data, ensure_ascii=False, indent=2)


@given(data=_JSONISH | st.dictionaries(st.text(max_size=6), _JSONISH, max_size=4))
def test_json_chunks_join_to_the_standard_encoders_bytes(data: object) -> None:
    """The pieces of json_chunks join to json.dumps(ensure_ascii=False, indent=2) exactly."""
    assert "".join(json_chunks(data)) == json.dumps(data, ensure_ascii=False, indent=2)


def test_json_chunks_write_each_item_of_a_top_list_apart() -> None:
    """A top-level list's items come one a piece; an odd value nested in one is written by
    json.dumps at its own indent; a table with a key that is not a string goes whole."""
    data = {"orders": [{"a": 1}, {"b": 1.5}], "n": 2, "empty": []}
    pieces = list(json_chunks(data))
    assert pieces == [
        "{",
        '\n  "orders": [',
        '\n    {\n      "a": 1\n    }',
        ',\n    {\n      "b": 1.5\n    }',
        "\n  ]",
        ',\n  "n": 2',
        ',\n  "empty": []',
        "\n}",
    ]
    assert "".join(pieces) == json.dumps(data, ensure_ascii=False, indent=2)
    odd = {1: "one"}
    assert list(json_chunks(odd)) == [json.dumps(odd, ensure_ascii=False, indent=2)]


def test_json_text_past_its_tables_bounds_writes_the_same_bytes() -> None:
    """Thousands of distinct keys and a nesting 80 deep pass the bounds of the remembered key
    texts and encoders: what is not remembered is written alike."""
    wide = {f"key {i}": [i] for i in range(5000)}
    assert json_text(wide) == json.dumps(wide, ensure_ascii=False, indent=2)
    deep: object = ["bottom", 1]
    for _ in range(80):
        deep = [deep, ["x", 1]]
    assert json_text(deep) == json.dumps(deep, ensure_ascii=False, indent=2)


def test_json_text_leaves_what_it_does_not_know_to_the_standard_encoder() -> None:
    """Non-string keys and subclasses of str and int are written by json.dumps itself, and a
    value json.dumps refuses is refused alike."""
    odd = {1: "one", "flag": Word.MERCHANT, "n": Number.ONE, "x": [None, True]}
    assert json_text(odd) == json.dumps(odd, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        json_text({"when": object()})


class Word(enum.StrEnum):
    """A str subclass."""

    MERCHANT = "merchant"


class Number(enum.IntEnum):
    """An int subclass."""

    ONE = 1
