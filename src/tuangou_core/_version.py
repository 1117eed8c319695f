"""The package's version, read once from its installed metadata (pyproject.toml writes it)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("tuangou_core")
except PackageNotFoundError:  # a source tree that was never installed
    VERSION = "0+unknown"
