"""The public API: what ``tuangou_core`` exports, and the one family of errors it raises."""

from __future__ import annotations

import inspect
import typing

import attrs

import tuangou_core
from tuangou_core.errors import ErrorCode, InternalError, TuangouError


def _isort_key(name: str) -> tuple[int, str]:
    # Constants, then classes, then functions: the order ruff's RUF022 keeps __all__ in.
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_every_exported_name_exists() -> None:
    """Every name in ``__all__`` is importable from the package."""
    missing = [name for name in tuangou_core.__all__ if not hasattr(tuangou_core, name)]
    assert missing == []


def test_all_is_sorted_and_unique() -> None:
    """``__all__`` lists each name once, constants, classes and functions each sorted."""
    names = tuangou_core.__all__
    assert len(set(names)) == len(names)
    assert names == sorted(names, key=_isort_key)


def test_every_exported_error_is_a_coded_tuangou_error() -> None:
    """Each exported exception is a TuangouError with an ErrorCode default; every one a caller
    causes is a ValueError, and only InternalError (a bug) is not."""
    errors = [
        value
        for name in tuangou_core.__all__
        if inspect.isclass(value := getattr(tuangou_core, name))
        and issubclass(value, BaseException)
    ]
    assert errors
    for error in errors:
        assert issubclass(error, TuangouError)
        assert error.default_code in set(ErrorCode)
        if error is not TuangouError and not issubclass(error, InternalError):
            assert issubclass(error, ValueError), error
    assert not issubclass(InternalError, ValueError)


def test_public_functions_are_documented() -> None:
    """Every exported function and class has a docstring (the API reference is built from them)."""
    undocumented = [
        name
        for name in tuangou_core.__all__
        if (
            inspect.isfunction(getattr(tuangou_core, name))
            or inspect.isclass(getattr(tuangou_core, name))
        )
        and not (getattr(tuangou_core, name).__doc__ or "").strip()
    ]
    assert undocumented == []


def test_type_hints_of_public_values_resolve() -> None:
    """typing.get_type_hints works on every exported attrs class (for cattrs, pydantic...)."""
    failures = []
    for name in tuangou_core.__all__:
        value = getattr(tuangou_core, name)
        if inspect.isclass(value) and attrs.has(value):
            try:
                typing.get_type_hints(value)
            except NameError as error:
                failures.append(f"{name}: {error}")
    assert failures == []
