"""Throughput benchmarks for tuangou_core, run with ``python -m benchmarks`` from the repo root.

Each ``bench_*.py`` module in this package exposes ``BENCHMARKS``: a list of
:class:`Benchmark`, each a name, a zero-argument callable doing one operation, and the unit
that operation is counted in. The runner (``__main__``) finds the modules, times every callable
with the standard library only, and prints operations per second and microseconds per operation.

A module that needs set-up builds its inputs at import time, outside the timed callables, so
that only the operation itself is measured. A module may also expose ``RATIOS``: a list of
:class:`Ratio`, each naming a benchmark and a baseline measured in the same run, whose ratio the
runner prints under the table (the machine's load moves both alike, so the ratio holds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

__all__ = ["Benchmark", "Ratio", "Result"]


class Benchmark(NamedTuple):
    """One thing to time: *func* performs one *unit* (e.g. ``"allocation"``) per call."""

    name: str
    func: Callable[[], object]
    unit: str = "op"


class Ratio(NamedTuple):
    """Print how *name* compares with *baseline*, two benchmarks of the same module."""

    name: str
    baseline: str


class Result(NamedTuple):
    """The best observed timing of one benchmark."""

    module: str
    name: str
    unit: str
    seconds_per_op: float

    @property
    def ops_per_second(self) -> float:
        """Operations per second at the best observed speed."""
        return 1.0 / self.seconds_per_op

    @property
    def microseconds_per_op(self) -> float:
        """Microseconds per operation at the best observed speed."""
        return self.seconds_per_op * 1e6
