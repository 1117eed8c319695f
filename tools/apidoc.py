"""Write docs/api.md, the API reference, from the docstrings of the public names.

Run ``python -m tools.apidoc > docs/api.md`` from the repository root; the test suite checks
that the committed file is what this prints. One section per stage, in the order imports flow
(each subpackage's ``__all__``); the names the package root re-exports are marked.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
import typing

import tuangou_core

STAGES = (
    "errors",
    "money",
    "timing",
    "campaign",
    "pricing",
    "refunds",
    "group",
    "settlement",
    "reporting",
    "operations",
    "interchange",
    "store",
)


class _Stable:
    """A default whose repr does not depend on hash order (sets print sorted)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        if isinstance(self.value, frozenset | set):
            items = ", ".join(sorted(repr(item) for item in self.value))
            return f"{type(self.value).__name__}({{{items}}})"
        return repr(self.value)


def _signature(value: object, name: str) -> str:
    try:
        signature = inspect.signature(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return name
    parameters = [
        p if p.default is inspect.Parameter.empty else p.replace(default=_Stable(p.default))
        for p in signature.parameters.values()
    ]
    return f"{name}{signature.replace(parameters=parameters)}"


def _heading(name: str, value: object) -> tuple[str, str]:
    if isinstance(value, types.UnionType) or typing.get_origin(value) is typing.Union:
        members = " | ".join(getattr(m, "__name__", repr(m)) for m in typing.get_args(value))
        return f"{name} = {members}", ""
    if inspect.isclass(value) or callable(value):
        return _signature(value, name), inspect.getdoc(value) or ""
    return f"{name} = {_Stable(value)!r}", ""


def _summary(module: types.ModuleType) -> str:
    doc = inspect.getdoc(module) or ""
    return doc.split("\n\n", 1)[0]


def reference() -> str:
    """The API reference as Markdown: one section per stage, one entry per public name."""
    root = set(tuangou_core.__all__)
    lines = [
        "# API reference",
        "",
        "Generated from the docstrings by `python -m tools.apidoc`; do not edit by hand.",
        "One section per stage, in the order imports flow; each lists its subpackage's",
        "`__all__`. Names marked *(root)* are importable from `tuangou_core` too.",
        "",
    ]
    for stage in STAGES:
        module = importlib.import_module(f"tuangou_core.{stage}")
        lines += [f"## `tuangou_core.{stage}`", "", _summary(module), ""]
        for name in module.__all__:
            heading, doc = _heading(name, getattr(module, name))
            mark = " *(root)*" if name in root else ""
            lines += [f"### `{heading}`{mark}", ""]
            if doc:
                lines += [doc, ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(reference())
