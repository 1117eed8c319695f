"""The layout: stages as subpackages, imports running one way, privacy by folder.

The stages, from the ground floor up (DESIGN.md): a module may import only from its own stage
or a stage below it; nothing imports the command line; no module reaches into another stage's
private modules; values live in the module that defines them (no ``__module__`` rewriting), and
no public name shadows a subpackage.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import types
from importlib.metadata import version
from pathlib import Path

import pytest

import tuangou_core

PACKAGE = Path(tuangou_core.__file__).resolve().parent

# Each stage's rank; a module may import a rank at most its own.
STAGES: dict[str, int] = {
    "_codes": 0,
    "errors": 0,
    "_text": 0,
    "_frames": 0,
    "_records": 0,
    "_validators": 0,
    "_version": 0,
    "money": 1,
    "timing": 2,
    "campaign": 3,
    "pricing": 4,
    "refunds": 5,
    "group": 6,
    "settlement": 7,
    "reporting": 8,
    "operations": 9,
    "interchange": 10,
    "store": 11,
    "cli": 12,
    "__main__": 13,
    "__init__": 13,
}
SUBPACKAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _stage(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "tuangou_core":
            found.extend(f"tuangou_core.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name for name in found if name == "tuangou_core" or name.startswith("tuangou_core.")]


def test_every_stage_is_ranked() -> None:
    """Every top-level module and subpackage has a place in the stage order."""
    assert sorted({_stage(path) for path in _modules()} - set(STAGES)) == []


def test_imports_flow_one_way_down_the_stages() -> None:
    """No module imports a stage above its own, and nothing imports the command line."""
    wrong = []
    for path in _modules():
        mine = _stage(path)
        for name in _imports(path):
            parts = name.split(".")
            if len(parts) == 1:
                if mine not in ("__init__", "__main__"):
                    wrong.append(f"{path.name} imports the package root")
                continue
            theirs = parts[1]
            if theirs == "cli" and mine != "__main__":
                wrong.append(f"{path.relative_to(PACKAGE)} imports cli")
            elif STAGES[theirs] > STAGES[mine]:
                wrong.append(f"{path.relative_to(PACKAGE)} ({mine}) imports {name}")
    assert wrong == []


def test_no_module_reaches_into_another_stages_private_modules() -> None:
    """A private module is imported only from inside its own subpackage."""
    wrong = []
    for path in _modules():
        mine = _stage(path)
        for name in _imports(path):
            parts = name.split(".")
            if len(parts) > 2 and parts[2].startswith("_") and parts[1] != mine:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_no_file_is_past_about_five_hundred_lines() -> None:
    """Each file holds one concept; a file past ~500 lines asks to be split."""
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 520
    }
    assert long == {}


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_a_subpackage_is_a_module_with_a_sorted_public_face(name: str) -> None:
    """tuangou_core.<stage> is the module (never a function that shadows it), and its
    ``__all__`` lists names it has, each once, sorted as ruff keeps it."""
    module = importlib.import_module(f"tuangou_core.{name}")
    assert isinstance(getattr(tuangou_core, name), types.ModuleType)
    names = module.__all__
    assert [n for n in names if not hasattr(module, n)] == []
    assert len(set(names)) == len(names)
    kind = lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)  # noqa: E731
    assert names == sorted(names, key=kind)


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_values_live_in_the_module_that_says_it_owns_them(name: str) -> None:
    """A public class or function's ``__module__`` is where it is defined: no rewriting."""
    module = importlib.import_module(f"tuangou_core.{name}")
    wrong = []
    for public in module.__all__:
        value = getattr(module, public)
        if inspect.isclass(value) or inspect.isfunction(value):
            owner = importlib.import_module(value.__module__)
            if getattr(owner, value.__name__, None) is not value:
                wrong.append(f"{public}: {value.__module__}")
            source = inspect.getsourcefile(value)
            if source is None or Path(source).resolve() != Path(owner.__file__ or "").resolve():
                wrong.append(f"{public}: defined in {source}, claims {value.__module__}")
    assert wrong == []


def test_the_root_exports_nothing_that_shadows_a_subpackage() -> None:
    """No name in tuangou_core.__all__ is also the name of a subpackage or module."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} | set(SUBPACKAGES)
    assert sorted(set(tuangou_core.__all__) & modules) == []


def test_the_version_is_written_once() -> None:
    """__version__ is the installed distribution's version, read from its metadata."""
    assert tuangou_core.__version__ == version("tuangou_core")
