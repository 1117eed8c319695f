"""Text for people: one display width, so tables align with Chinese names too."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tuangou_core._text import display_width, pad, text_table


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


@given(text=st.text(max_size=12), width=st.integers(0, 30), right=st.booleans())
def test_pad_reaches_the_width_and_keeps_the_text(text: str, width: int, right: bool) -> None:
    """pad() adds spaces only, to reach the width (never cutting a longer text)."""
    padded = pad(text, width, right=right)
    assert padded.strip(" ") == text.strip(" ") or text.strip(" ") == ""
    assert display_width(padded) == max(width, display_width(text))
