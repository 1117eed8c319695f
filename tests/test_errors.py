"""The error family: one root, stable codes, readable fields, and errors that survive pickling."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core.errors import (
    Conflict,
    ErrorCode,
    InternalError,
    InvalidInput,
    InvalidRule,
    Rejected,
    TuangouError,
)

KINDS = [TuangouError, InvalidInput, InvalidRule, Rejected, Conflict, InternalError]
CALLER_KINDS = [InvalidInput, InvalidRule, Rejected, Conflict]

codes = st.sampled_from(ErrorCode)
field_names = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True).filter(
    lambda name: name not in {"code", "message"}
)
field_values = st.one_of(
    st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3)
)
fields = st.dictionaries(field_names, field_values, max_size=4)


@pytest.mark.parametrize("kind", CALLER_KINDS, ids=lambda kind: kind.__name__)
def test_every_caller_error_is_a_tuangou_error_and_a_value_error(
    kind: type[TuangouError],
) -> None:
    """Catching TuangouError, or ValueError, catches every error a caller's input causes."""
    error = kind("invalid_amount", "a message")
    assert isinstance(error, TuangouError)
    assert isinstance(error, ValueError)


def test_an_internal_error_is_a_tuangou_error_but_not_a_value_error() -> None:
    """A bug is a TuangouError and a RuntimeError, never listed as a refused command."""
    error = InternalError("invariant_violated", "broken")
    assert isinstance(error, TuangouError)
    assert isinstance(error, RuntimeError)
    assert not isinstance(error, ValueError)
    assert not isinstance(error, Rejected)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (InvalidInput, 422),
        (InvalidRule, 422),
        (Rejected, 409),
        (Conflict, 409),
        (InternalError, 500),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_each_class_states_its_http_status(kind: type[TuangouError], status: int) -> None:
    """A backend maps the class to a response without reading the message."""
    assert kind.http_status == status


def test_the_code_is_an_error_code_that_compares_as_its_text() -> None:
    """error.code is an ErrorCode member, equal to (and printed as) its snake_case text."""
    error = Rejected("group_full", "full")
    text: str = error.code
    assert error.code is ErrorCode.GROUP_FULL
    assert text == "group_full"
    assert f"{error.code}" == "group_full"


def test_a_code_that_is_not_an_error_code_is_a_bug() -> None:
    """An unknown code is refused as an InternalError naming it, never a raw ValueError."""
    with pytest.raises(InternalError) as caught:
        Rejected("no_such_code", "x")
    assert caught.value.code == "unknown_error_code"
    assert caught.value.value == "no_such_code"


def test_every_error_code_says_which_class_raises_it_and_when() -> None:
    """Each member carries its family (an error class) and a meaning for the docs."""
    classes = {kind.__name__ for kind in KINDS} | {
        "InvalidScenario",
        "SerializationError",
        "StoreError",
    }
    for code in ErrorCode:
        assert code.family in classes, code
        assert code.meaning.strip(), code
        assert code.value == code.name.lower()


def test_the_hierarchy_maps_to_responses() -> None:
    """A rule error is bad input (422) and a conflict is a rejection (409)."""
    assert issubclass(InvalidRule, InvalidInput)
    assert issubclass(Conflict, Rejected)
    assert not issubclass(Rejected, InvalidInput)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (TuangouError, "internal_error"),
        (InternalError, "internal_error"),
        (InvalidInput, "invalid_input"),
        (InvalidRule, "invalid_rule"),
        (Rejected, "rejected"),
        (Conflict, "conflict"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_each_kind_has_a_default_code(kind: type[TuangouError], code: str) -> None:
    """An error raised without a code carries its kind's default code."""
    assert kind().code == code


def test_the_message_defaults_to_the_code_in_words() -> None:
    """Without a message, str(error) spells the code out."""
    assert str(Rejected("group_full")) == "group full"


@given(code=codes, message=st.text(min_size=1), fields=fields)
def test_str_is_the_message(code: str, message: str, fields: dict[str, Any]) -> None:
    """str(error) is the message, with no code or fields mixed in."""
    assert str(TuangouError(code, message, **fields)) == message


@given(fields=fields)
def test_fields_read_as_attributes(fields: dict[str, Any]) -> None:
    """Each structured field is readable as an attribute: error.field, error.value."""
    error = Rejected("group_full", "full", **fields)
    for name, value in fields.items():
        assert getattr(error, name) == value


def test_an_absent_field_is_an_attribute_error() -> None:
    """Reading a field the error does not carry raises AttributeError, so hasattr works."""
    error = InvalidInput("invalid_amount", "bad", value="x")
    assert error.value == "x"
    assert not hasattr(error, "field")


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@given(code=codes, message=st.text(), fields=fields)
def test_pickling_keeps_kind_code_message_and_fields(
    kind: type[TuangouError], code: str, message: str, fields: dict[str, Any]
) -> None:
    """An error that crosses a process boundary comes back the same kind with the same data."""
    error = kind(code, message, **fields)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is kind
    assert (back.code, back.message, back.fields) == (error.code, error.message, error.fields)


@given(code=codes, fields=fields)
def test_deep_copy_keeps_code_and_fields(code: str, fields: dict[str, Any]) -> None:
    """copy.deepcopy of an error keeps its code and fields (it goes through __reduce__ too)."""
    error = Conflict(code, "again", **fields)
    twin = copy.deepcopy(error)
    assert (twin.code, twin.fields) == (code, fields)


def test_repr_names_the_kind_code_and_fields() -> None:
    """repr() shows everything a log reader needs to find the fault."""
    error = InvalidRule("invalid_rule", "tier.size must be at least 2", field="tier.size", value=1)
    assert repr(error) == (
        "InvalidRule('invalid_rule', 'tier.size must be at least 2', field='tier.size', value=1)"
    )


def test_the_repr_of_an_error_bounds_the_callers_junk() -> None:
    """A field holding a list nested 5 000 deep or a 5 000-digit int still has a short repr."""
    deep: object = 1
    for _ in range(5000):
        deep = [deep]
    error = InvalidInput("invalid_value", "bad", value=deep, big=10**5000, small=7)
    assert repr(error) == (
        "InvalidInput('invalid_value', 'bad', value=[[[[[...]]]]], big=<int of 16610 bits>, "
        "small=7)"
    )
