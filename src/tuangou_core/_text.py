"""Text for people: the display width of a string, aligned text tables, HTML tables; and the
indented JSON the command line prints.

One place for all of them, so a quote, a group state, a split and a statement align alike. A
terminal shows East Asian wide and full-width characters (张三丰, ￥) two columns wide, so
padding counts columns, not characters: ``len()`` would misalign every row that names a
member in Chinese.
"""

from __future__ import annotations

import _json
import html
import json
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import repeat
from json.encoder import encode_basestring
from typing import Any, Final

__all__ = ["display_width", "html_table", "json_chunks", "json_text", "pad", "text_table"]


def display_width(text: str) -> int:
    """The columns *text* takes in a terminal: wide (W) and full-width (F) characters take
    two, combining marks none, every other character one."""
    if text.isascii():
        return len(text)  # no ASCII character is wide or combining: one column each
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """*text* padded with spaces to *width* display columns, on the left when *right*."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def text_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    right: Collection[int] = (),
) -> list[str]:
    """Rows as aligned text lines, two spaces in; columns in *right* aligned right."""
    if not header or not {len(header)}.issuperset(map(len, rows)):
        return _ragged_table(header, rows, right)
    # Column by column, so that each cell is measured and padded inside C (map), not by a
    # Python call per cell: a day's statement has hundreds of thousands of cells.
    padded = []
    for index, column in enumerate(zip(header, *rows, strict=True)):
        cells = list(map(str, column))
        flush = index in right
        if "".join(cells).isascii():  # one column a character: the str methods pad exactly
            size = max(map(len, cells))
            cells = list(map(str.rjust if flush else str.ljust, cells, repeat(size)))
        else:
            size = max(map(display_width, cells))
            cells = [pad(cell, size, right=flush) for cell in cells]
        padded.append(cells)
    padded[0] = list(map("  ".__add__, padded[0]))
    return list(map(str.rstrip, map("  ".join, zip(*padded, strict=True))))


def _ragged_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], right: Collection[int]
) -> list[str]:
    # No columns, or rows whose lengths differ from the header's: the cell loop, which fails
    # on a ragged row exactly as it always has.
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    rights = [i in right for i in range(len(header))]
    out = []
    for row in cells:
        parts = [
            pad(cell, width, right=flush)
            for cell, width, flush in zip(row, widths, rights, strict=True)
        ]
        out.append(("  " + "  ".join(parts)).rstrip())
    return out


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> str:
    """Rows as an HTML table (every cell escaped), for a notebook's ``_repr_html_``."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class _Unusual(Exception):
    """A value :func:`json_text` leaves to the standard encoder."""


def json_text(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, byte for byte, faster.

    With an indent the standard library encodes in pure Python, one generator per level; the
    statement of a busy day has millions of values. This writes the same text with one join
    per container and the C string encoder for every string. Anything but dicts with string
    keys, lists, tuples, strings, ints, booleans and None (floats, subclasses) is written by
    ``json.dumps`` itself, so the result is always exactly its result.
    """
    return _encoded(data, "\n")


def json_chunks(data: Any) -> Iterator[str]:
    """:func:`json_text` of *data* in pieces that join to it: each member of the top table,
    and each item of a list there, on its own; so a statement of a million orders is written
    without its whole text in memory at once."""
    if type(data) is not dict or not data or any(type(key) is not str for key in data):
        yield _encoded(data, "\n")
        return
    yield "{"
    first = True
    for key, value in data.items():
        head = ("\n  " if first else ",\n  ") + encode_basestring(key) + ": "
        first = False
        if (type(value) is list or type(value) is tuple) and value:
            yield head + "["
            separator = "\n    "
            for item in value:
                try:
                    yield separator + _encode(item, "\n    ")
                except _Unusual:
                    yield separator + _dumped(item, "\n    ")
                separator = ",\n    "
            yield "\n  ]"
        else:
            yield head + _encoded(value, "\n  ")
    yield "\n}"


def _encoded(value: Any, newline: str) -> str:
    try:
        return _encode(value, newline)
    except _Unusual:
        return _dumped(value, newline)


def _dumped(value: Any, newline: str) -> str:
    # The standard encoder writes a nested value as it writes it alone, each line break
    # followed by the nesting's indent; a JSON text's strings hold no raw line break.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


def _unusual(value: Any) -> Any:
    raise _Unusual


_SCALARS: Final = frozenset({str, int, bool, type(None)})
_KEYS: Final = frozenset({str})
_FLAT: dict[str, Callable[[object, int], Any]] = {}
"""The C encoder of flat containers, by the line break and indent of their items."""


def _flat(inner: str) -> Callable[[object, int], Any]:
    """The C encoder writing a flat container's items *inner* apart: what the indenting
    encoder writes of a container holding no container, but for the breaks after its opening
    bracket and before its closing one."""
    found = _FLAT.get(inner)
    if found is None:
        found = _json.make_encoder(
            None, _unusual, encode_basestring, None, ": ", "," + inner, False, False, True
        )
        if len(_FLAT) < 64:  # one per depth: a bound that real data never reaches
            _FLAT[inner] = found
    return found


_HEADS: dict[str, str] = {}
"""A key's encoded text and its separator: a statement's rows repeat a dozen keys."""


def _head(key: str) -> str:
    head = encode_basestring(key) + ": "
    if len(_HEADS) < 4096:  # the keys of real data are few; odd data must not grow it
        _HEADS[key] = head
    return head


def _encode(value: Any, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        if not _KEYS.issuperset(map(type, value)):
            raise _Unusual
        if _SCALARS.issuperset(map(type, value.values())):
            text = "".join(_flat(inner)(value, 0))
            return f"{{{inner}{text[1:-1]}{newline}}}"
        items = []
        for key, item in value.items():
            head = _HEADS.get(key) or _head(key)
            kind = type(item)
            if kind is str:
                items.append(head + encode_basestring(item))
            elif (kind is list or kind is tuple) and not item:
                items.append(head + "[]")
            else:
                items.append(head + _encode(item, inner))
        return f"{{{inner}{(',' + inner).join(items)}{newline}}}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        if _SCALARS.issuperset(map(type, value)):
            text = "".join(_flat(inner)(value, 0))
            return f"[{inner}{text[1:-1]}{newline}]"
        return f"[{inner}{(',' + inner).join([_encode(item, inner) for item in value])}{newline}]"
    if kind is int:
        return int.__repr__(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    raise _Unusual
