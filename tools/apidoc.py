"""Write docs/api.md, the API reference, from the docstrings of the public names.

Run ``python -m tools.apidoc > docs/api.md`` from the repository root; the test suite checks
that the committed file is what this prints.
"""

from __future__ import annotations

import inspect
import sys

import tuangou_core


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


def reference() -> str:
    """The API reference as Markdown: one section per module, one entry per public name."""
    by_module: dict[str, list[str]] = {}
    for name in tuangou_core.__all__:
        value = getattr(tuangou_core, name)
        module = getattr(value, "__module__", None) or "tuangou_core"
        if not module.startswith("tuangou_core"):
            module = "tuangou_core"
        by_module.setdefault(module, []).append(name)
    lines = [
        "# API reference",
        "",
        "Generated from the docstrings by `python -m tools.apidoc`; do not edit by hand.",
        "Every name here is importable from `tuangou_core`; each module's own `__all__` lists",
        "more (for example every event class in `tuangou_core.events`).",
        "",
    ]
    for module in sorted(by_module):
        lines += [f"## `{module}`", ""]
        for name in by_module[module]:
            value = getattr(tuangou_core, name)
            if inspect.isclass(value) or callable(value):
                heading = _signature(value, name)
                doc = inspect.getdoc(value) or ""
            else:
                heading = f"{name} = {value!r}"
                doc = ""
            lines += [f"### `{heading}`", ""]
            if doc:
                lines += [doc, ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(reference())
