"""The published JSON Schemas (draft 2020-12): scenario, statement, event record and journal.

They ship inside the package, so a Go or Java backend validates what it sends and receives with
the schema of the library version it talks to. The library does not use them itself: its own
readers check more than a shape can say, and name the key at fault.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

from tuangou_core.interchange._data import SerializationError

SCHEMA_NAMES: Final = ("event", "journal", "scenario", "statement")
"""The names :func:`json_schema` knows."""


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of *name*, freshly decoded (the caller may change its copy).

    Args:
        name: ``"scenario"`` (a scenario file as JSON, or TOML with its datetimes as ISO 8601
            text), ``"statement"`` (what ``tuangou settle --json`` prints), ``"event"`` (one
            event as ``to_data`` writes it and the store records it) or ``"journal"`` (what
            ``tuangou journal --json`` prints: the journal entries as ``to_data`` writes them).

    Returns:
        The schema as plain data, read from the package's
        ``tuangou_core/interchange/schemas/<name>.schema.json``.

    Raises:
        SerializationError: ``unknown_schema`` for any other name.
    """
    if name not in SCHEMA_NAMES:
        raise SerializationError(
            "unknown_schema",
            f"there is no schema {name!r}; the schemas are {', '.join(SCHEMA_NAMES)}",
            field="name",
            value=repr(name)[:80],
        )
    folder = resources.files("tuangou_core.interchange").joinpath("schemas")
    text = folder.joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    return found
