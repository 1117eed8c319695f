"""Test-wide settings: the hypothesis profiles, and the store fixtures (``store_support``).

``ci`` (the default) is quick enough for every push; ``deep`` searches far harder and is meant
for a release or a change to the money core. Pick one with ``TUANGOU_HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

import os

from hypothesis import settings

# The fixtures of the event-store tests: each store test runs on SQLite and on PostgreSQL.
pytest_plugins = ("store_support",)

# No deadline in either profile: a slow shared CI machine must not turn into a flaky failure,
# and speed is the benchmarks' business, not the tests'.
settings.register_profile("ci", max_examples=50, deadline=None, print_blob=True)
settings.register_profile("deep", max_examples=2000, deadline=None, print_blob=True)
# Between the two, for the fuzzers when minutes count: 600 cases a test, 11 400 for the API.
settings.register_profile("fuzz", max_examples=600, deadline=None, print_blob=True)
# For mutation testing (tools/mutate.py), which reruns a stage's tests for every mutant: 10 cases
# a property, so a run takes minutes on the shared machine. A score measured so is a floor.
settings.register_profile("mutate", max_examples=10, deadline=None, print_blob=True)

settings.load_profile(os.environ.get("TUANGOU_HYPOTHESIS_PROFILE", "ci"))
