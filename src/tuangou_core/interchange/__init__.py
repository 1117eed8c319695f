"""Interchange: the scenario files finance audits and the JSON a backend sends and stores.

:func:`load` reads a scenario (``shared/SCENARIO.md``, ``schema = 1``; TOML for people, JSON of
the same structure for backends) into a :class:`Scenario`, or raises :class:`InvalidScenario`
naming the key; :func:`settle` replays it into the
:class:`~tuangou_core.reporting.Statement`. :func:`to_data` and :func:`from_data` turn
campaigns, commands, events, quotes and splits into JSON-safe data and back, exactly.
:func:`to_snapshot` and :func:`from_snapshot` do the same for a whole
:class:`~tuangou_core.group.CampaignState`, which an event store caches beside the events.
:func:`json_schema` gives the published JSON Schemas of the scenario, the statement and the
event record, shipped inside the package.
"""

from __future__ import annotations

from tuangou_core.interchange._data import SerializationError, from_data, to_data
from tuangou_core.interchange._files import LARGEST_INPUT_BYTES, MAX_INPUT_BYTES
from tuangou_core.interchange._scenario import SCHEMA, Scenario, load, parse, settle
from tuangou_core.interchange._scenario_events import InvalidScenario
from tuangou_core.interchange._schemas import SCHEMA_NAMES, json_schema
from tuangou_core.interchange._snapshot import (
    SNAPSHOT_SCHEMA,
    SNAPSHOT_SHAPE,
    from_snapshot,
    to_snapshot,
)

__all__ = [
    "LARGEST_INPUT_BYTES",
    "MAX_INPUT_BYTES",
    "SCHEMA",
    "SCHEMA_NAMES",
    "SNAPSHOT_SCHEMA",
    "SNAPSHOT_SHAPE",
    "InvalidScenario",
    "Scenario",
    "SerializationError",
    "from_data",
    "from_snapshot",
    "json_schema",
    "load",
    "parse",
    "settle",
    "to_data",
    "to_snapshot",
]
