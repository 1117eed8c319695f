"""The event and journal schemas, written from the library's types so they cannot drift.

``python -m tools.schemas --write`` writes ``event.schema.json`` (from
:data:`tuangou_core.group.EVENT_TYPES`) and ``journal.schema.json`` (from
:class:`tuangou_core.settlement.JournalEntry`) into ``src/tuangou_core/interchange/schemas/``,
following the type hints exactly as ``interchange.to_data`` writes a value; without ``--write``
it checks that the committed files are current and exits 1 when one is not. The scenario and
statement schemas beside them are written by hand: they are the contract of
``shared/SCENARIO.md``, and the test suite checks them against the library.
"""

from __future__ import annotations

import enum
import json
import sys
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Union

import attrs

from tuangou_core.group import EVENT_TYPES
from tuangou_core.interchange._data import _UNION_MEMBERS
from tuangou_core.money import Money, Rate
from tuangou_core.settlement import JournalEntry
from tuangou_core.timing import Duration

FOLDER = Path(__file__).resolve().parent.parent / "src" / "tuangou_core" / "interchange" / "schemas"

_PLAIN: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    Money: {"$ref": "#/$defs/amount"},
    Rate: {"$ref": "#/$defs/rate"},
    Fraction: {"$ref": "#/$defs/rate"},
    Duration: {"$ref": "#/$defs/duration"},
    datetime: {"$ref": "#/$defs/datetime"},
}

_COMMON: dict[str, Any] = {
    "amount": {
        "description": "A decimal string in the envelope's currency, e.g. '70.00'.",
        "type": "string",
        "pattern": "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$",
    },
    "rate": {
        "description": "An exact rate: a decimal ('0.006') or a fraction ('1/3').",
        "type": "string",
        "pattern": "^-?[0-9]+(\\.[0-9]+)?$|^-?[0-9]+/[1-9][0-9]*$",
    },
    "duration": {
        "description": "An ISO 8601 duration such as 'PT15M'.",
        "type": "string",
        "pattern": "^P",
    },
    "datetime": {
        "description": "An ISO 8601 datetime with its UTC offset, as Python's isoformat writes it.",
        "type": "string",
        "pattern": (
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?[+-][0-9]{2}:[0-9]{2}$"
        ),
    },
}


class _Writer:
    """Walks the type hints of the event types, collecting one definition per attrs class."""

    def __init__(self, union_members: frozenset[type]) -> None:
        self.defs: dict[str, Any] = {}
        self.union_members = union_members

    def hint(self, hint: Any) -> dict[str, Any]:
        origin = typing.get_origin(hint)
        if origin in (Union, types.UnionType):
            return {"anyOf": [self.hint(option) for option in typing.get_args(hint)]}
        if origin is tuple or origin is list:
            return {"type": "array", "items": self.hint(typing.get_args(hint)[0])}
        if origin in (Mapping, dict):
            _key, item = typing.get_args(hint)
            return {"type": "object", "additionalProperties": self.hint(item)}
        if hint in _PLAIN:
            return dict(_PLAIN[hint])
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return {"enum": [member.value for member in hint]}
        if isinstance(hint, type) and attrs.has(hint):
            self.value(hint)
            return {"$ref": f"#/$defs/{hint.__name__}"}
        raise SystemExit(f"tools.schemas: no JSON form for {hint!r}")

    def value(self, cls: type) -> None:
        if cls.__name__ in self.defs:
            return
        self.defs[cls.__name__] = {}  # reserve: a recursive hint refers to it by name
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if cls in self.union_members:
            properties["type"] = {"const": cls.__name__}
            required.append("type")
        for field in attrs.fields(cls):
            if field.eq is False:
                continue  # to_data leaves derived context out
            properties[field.name] = self.hint(hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(field.name)
        definition: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        doc = (cls.__doc__ or "").strip().split("\n\n")[0]
        if doc:
            definition = {"description": " ".join(doc.split()), **definition}
        self.defs[cls.__name__] = definition

    def document(self, cls: type) -> dict[str, Any]:
        """The definition of *cls* as a top-level ``to_data`` document, in its envelope."""
        self.value(cls)
        body = self.defs[cls.__name__]
        return {
            "description": body.get("description", ""),
            "type": "object",
            "properties": {
                "schema": {"const": 1},
                "type": {"const": cls.__name__},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                **{k: v for k, v in body["properties"].items() if k != "type"},
            },
            "required": ["schema", "type", *(k for k in body["required"] if k != "type")],
            "additionalProperties": False,
        }


def event_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event document, as ``to_data(event)`` writes it."""
    writer = _Writer(frozenset(_UNION_MEMBERS))
    documents = {cls.__name__: writer.document(cls) for cls in EVENT_TYPES}
    for name in documents:
        writer.defs.pop(name, None)  # an event appears once, as its document
    defs = {**_COMMON, **dict(sorted(writer.defs.items())), **documents}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://tuangou-core.example/schemas/event.schema.json",
        "title": "tuangou_core event record, schema 1",
        "description": (
            "One event as interchange.to_data writes it and the store records it: the envelope "
            "keys schema and type, currency when the event holds money, then the event's fields. "
            "Written by tools/schemas.py from the event types."
        ),
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in documents],
        "$defs": defs,
    }


def journal_schema() -> dict[str, Any]:
    """The JSON Schema of ``tuangou journal --json``: the journal entries in order."""
    writer = _Writer(frozenset(_UNION_MEMBERS))
    entry = writer.document(JournalEntry)
    writer.defs.pop(JournalEntry.__name__)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://tuangou-core.example/schemas/journal.schema.json",
        "title": "tuangou_core journal, schema 1",
        "description": (
            "What `tuangou journal FILE --json` prints: every journal entry in order, each as "
            "interchange.to_data writes it. Every posting's amount is positive; its side says "
            "debit or credit, and each entry's debits equal its credits. Written by "
            "tools/schemas.py from JournalEntry."
        ),
        "type": "array",
        "items": {"$ref": "#/$defs/JournalEntry"},
        "$defs": {**_COMMON, **dict(sorted(writer.defs.items())), "JournalEntry": entry},
    }


SCHEMAS = {"event": event_schema, "journal": journal_schema}


def text(name: str) -> str:
    """The schema *name* as the committed file holds it."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for name in SCHEMAS:
        target = FOLDER / f"{name}.schema.json"
        if "--write" in argv:
            target.write_text(text(name), encoding="utf-8")
        elif not target.exists() or target.read_text(encoding="utf-8") != text(name):
            stale.append(target.name)
    for name in stale:
        sys.stderr.write(f"{name} is stale: run python -m tools.schemas --write\n")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
