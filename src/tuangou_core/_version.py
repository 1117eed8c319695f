"""The package's version: the one place it is written (pyproject.toml reads it from here).

A literal, not a lookup in the installed metadata: importing ``importlib.metadata`` and
scanning the installed distributions cost 7% of every ``tuangou`` command's start (63 million
instructions, about 25 ms).
"""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.1.0"
