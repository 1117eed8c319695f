"""tools/mutate.py's table names files and tests that exist, and every module of the stages
docs/testing.md scores."""

from __future__ import annotations

from pathlib import Path

from tools.mutate import MODULES, ROOT, main


def test_every_module_mutates_existing_files_against_existing_tests() -> None:
    """Each entry's globs match at least one source file and its test paths exist."""
    for name, (files, tests) in MODULES.items():
        for pattern in files:
            assert list(ROOT.glob(pattern)), (name, pattern)
        for path in tests:
            assert list(ROOT.glob(path + "*")), (name, path)


def test_each_module_is_tested_by_its_own_stage_only() -> None:
    """A module in src/tuangou_core/<stage>/ is run against tests/<stage> alone."""
    for name, (files, tests) in MODULES.items():
        stages = {Path(f).parts[2] for f in files}
        assert {Path(t).parts[1] for t in tests} == stages, name


def test_an_unknown_module_prints_the_usage() -> None:
    """No module, or one it does not know: exit status 2, nothing run."""
    assert main([]) == 2
    assert main(["nonsense"]) == 2
