"""Plain tables for people: aligned text for terminals, HTML for notebooks.

One place for both, so a quote, a group state and a statement print alike.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

__all__ = ["html_table", "text_table"]


def text_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    right: Collection[int] = (),
) -> list[str]:
    """Rows as aligned text lines, two spaces in; columns in *right* aligned right."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    out = []
    for row in cells:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
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
