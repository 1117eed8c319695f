"""The verifiable lottery draw: sha256(seed|group|member) order, redone by hand."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.group import draw, draw_order, ticket

member_ids = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=12, unique=True)
seeds = st.text(min_size=1, max_size=20)


def test_ticket_is_the_hex_sha256_of_seed_group_member() -> None:
    """A ticket is sha256 of the UTF-8 text ``seed|group|member``, as lowercase hex."""
    expected = hashlib.sha256(b"2026-03-01|g1|u1").hexdigest()
    assert ticket("2026-03-01", "g1", "u1") == expected
    assert len(expected) == 64


def test_ticket_of_chinese_ids_hashes_their_utf8_bytes() -> None:
    """Member ids in Chinese are hashed as UTF-8, so anyone can redo the draw."""
    assert ticket("种子", "团1", "张三") == hashlib.sha256("种子|团1|张三".encode()).hexdigest()


def test_draw_by_hand() -> None:
    """A worked draw: the members sorted by their hex digests, the first K win."""
    members = ["u1", "u2", "u3", "u4", "u5"]
    by_hand = sorted(members, key=lambda m: hashlib.sha256(f"s|g1|{m}".encode()).hexdigest())
    winners, losers = draw("s", "g1", members, 2)
    assert winners == tuple(by_hand[:2])
    assert losers == tuple(by_hand[2:])


@given(seed=seeds, members=member_ids, k=st.integers(0, 12))
def test_draw_splits_the_members_into_winners_and_losers(
    seed: str, members: list[str], k: int
) -> None:
    """Winners and losers together are the members, each once; min(K, N) win."""
    winners, losers = draw(seed, "g1", members, k)
    assert len(winners) == min(k, len(members))
    assert sorted((*winners, *losers)) == sorted(members)


@given(seed=seeds, members=member_ids)
def test_draw_order_ignores_the_order_members_are_given_in(seed: str, members: list[str]) -> None:
    """The draw depends on the seed, the group and the ids, never on the order of the list."""
    assert draw_order(seed, "g1", members) == draw_order(seed, "g1", list(reversed(members)))


@given(seed=seeds, members=member_ids)
def test_draw_order_is_ascending_by_ticket(seed: str, members: list[str]) -> None:
    """Each member's ticket is at most the next one's."""
    tickets = [ticket(seed, "g1", m) for m in draw_order(seed, "g1", members)]
    assert tickets == sorted(tickets)


def test_draw_depends_on_the_group() -> None:
    """The same seed and members in two groups give different orders (the group is hashed)."""
    members = [f"u{i}" for i in range(10)]
    assert draw_order("s", "g1", members) != draw_order("s", "g2", members)


def test_empty_seed_is_refused() -> None:
    """A draw without a seed is not verifiable: invalid_seed."""
    with pytest.raises(InvalidInput) as caught:
        draw("", "g1", ["u1"], 1)
    assert caught.value.code == "invalid_seed"
    assert isinstance(caught.value, TuangouError)


@pytest.mark.parametrize(("seed", "shown"), [("", "''"), (None, "None"), (7, "7")])
def test_seed_refusal_names_the_field_and_the_value(seed: object, shown: str) -> None:
    """An empty or non-text seed is refused with its code, message, field and value."""
    with pytest.raises(InvalidInput) as caught:
        draw(seed, "g1", ["u1"], 1)  # type: ignore[arg-type]
    assert repr(caught.value) == (
        "InvalidInput('invalid_seed', 'a draw needs a non-empty seed', field='seed', "
        f"value={shown})"
    )


def test_draw_takes_exactly_k_winners_in_draw_order() -> None:
    """With K of N, the first K of the draw order win and the other N-K lose, in order."""
    members = ["u1", "u2", "u3", "u4"]
    ordered = draw_order("s", "g1", members)
    assert draw("s", "g1", members, 1) == (ordered[:1], ordered[1:])
    assert draw("s", "g1", members, 0) == ((), ordered)
    assert draw("s", "g1", members, 4) == (ordered, ())
