"""The documentation: its code runs, and the API reference matches the docstrings."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from tools.apidoc import reference
from tools.errorcodes import CLASSES, codes, page

from tuangou_core.errors import ErrorCode

DOCS = Path(__file__).resolve().parent.parent / "docs"
WITH_EXAMPLES = sorted(p for p in DOCS.glob("*.md") if ">>>" in p.read_text(encoding="utf-8"))


def _examples(page: Path) -> doctest.DocTest:
    # Markdown fences are not output: blank them so an example's expected text ends there.
    text = "\n".join(
        "" if line.lstrip().startswith("```") else line
        for line in page.read_text(encoding="utf-8").splitlines()
    )
    return doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)


@pytest.mark.parametrize("page", WITH_EXAMPLES, ids=lambda p: p.name)
def test_code_in_the_docs_runs(page: Path) -> None:
    """Every >>> example in the page gives the output the page shows."""
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(_examples(page))
    assert result.attempted > 0
    assert result.failed == 0


def test_api_reference_is_current() -> None:
    """docs/api.md is exactly what `python -m tools.apidoc` writes from today's docstrings."""
    assert (DOCS / "api.md").read_text(encoding="utf-8") == reference()


def test_the_error_page_is_generated_from_the_error_codes() -> None:
    """docs/errors.md is exactly what `python -m tools.errorcodes --write` writes."""
    assert (DOCS / "errors.md").read_text(encoding="utf-8") == page()


def test_every_code_the_source_raises_is_an_error_code_of_its_family() -> None:
    """Each literal code raised is an ErrorCode member, raised by its family's class or a
    subclass of it."""
    members = {code.value: code for code in ErrorCode}
    raised = codes()
    assert sorted(set(raised) - set(members)) == []
    wrong = [
        f"{code} raised by {kind}, family {members[code].family}"
        for code, kinds in raised.items()
        for kind in kinds
        if not issubclass(CLASSES[kind], CLASSES[members[code].family])
    ]
    assert wrong == []


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    """The README's test line is, character for character, the line .ci/run runs."""
    root = DOCS.parent
    readme = (root / "README.md").read_text(encoding="utf-8").splitlines()
    (command,) = [line for line in readme if line.startswith("python3 -m venv") and "[dev]" in line]
    ci = (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci
