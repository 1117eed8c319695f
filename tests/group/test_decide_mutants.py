"""The decider's refusals of a malformed command: each id checked, the inviter, the command."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drivers import Run, at, campaign
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.group import Fold, Join, MemberJoined, Open, decide, initial_state, run


def code_of(run: Run, make: Callable[[], object]) -> tuple[str, object]:
    with pytest.raises(TuangouError) as caught:
        run.do(make())  # type: ignore[arg-type]
    return caught.value.code, caught.value.fields.get("field")


def opened() -> Run:
    run = Run(campaign(size=3))
    run.open("g1", "u1")
    run.pay("g1", "u1")
    return run


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Open(at(0), "", "u1"), ("invalid_group", "group")),
        (lambda: Open(at(0), "g1", ""), ("invalid_member", "member")),
        (lambda: Open(at(0), "g1", None), ("invalid_member", "member")),
    ],
)
def test_an_open_needs_a_group_and_a_member(
    make: Callable[[], object], expected: tuple[str, str]
) -> None:
    """An empty or missing id is refused naming it."""
    assert code_of(Run(campaign(size=3)), make) == expected


def test_a_join_needs_a_member() -> None:
    """Joining with an empty member id: invalid_member."""
    assert code_of(opened(), lambda: Join(at(1), "g1", "")) == ("invalid_member", "member")


def test_an_inviter_is_another_member() -> None:
    """Inviting oneself, or an empty inviter, is invalid_inviter; another member is kept."""
    run = opened()
    assert code_of(run, lambda: Join(at(1), "g1", "u2", inviter="u2")) == (
        "invalid_inviter",
        "inviter",
    )
    assert code_of(run, lambda: Join(at(1), "g1", "u2", inviter="")) == (
        "invalid_inviter",
        "inviter",
    )
    (joined, *_rest) = run.do(Join(at(1), "g1", "u2", inviter="u1"))
    assert isinstance(joined, MemberJoined)
    assert joined.inviter == "u1"


def test_an_object_that_is_not_a_command_is_refused() -> None:
    """decide, a Fold and run all refuse a string as unknown_command (it has no .at to read);
    run stops there, as such an entry has no time to pass to."""
    c = campaign()
    calls: list[Callable[[], object]] = [
        lambda: decide(initial_state(c), "open"),  # type: ignore[arg-type]
        lambda: Fold(c).execute("open"),  # type: ignore[arg-type]
        lambda: run(c, ["open"]),  # type: ignore[list-item]
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert repr(caught.value) == (
            "InvalidInput('unknown_command', 'str is not a command', field='command', value='str')"
        )
