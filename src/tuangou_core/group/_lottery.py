"""The verifiable lottery draw of 抽奖团.

Winners are the members whose ``sha256(f"{seed}|{group}|{member}")`` hex digest sorts first.
Anyone holding the seed, the group id and the member ids can redo the draw by hand; the odds
K/N are fixed by the campaign and must be disclosed before anyone joins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from tuangou_core.errors import InvalidInput


def ticket(seed: str, group: str, member: str) -> str:
    """The member's ticket: the hex sha256 digest of ``seed|group|member``."""
    return hashlib.sha256(f"{seed}|{group}|{member}".encode()).hexdigest()


def draw_order(seed: str, group: str, members: Iterable[str]) -> tuple[str, ...]:
    """The members sorted by ticket, ascending (ties, never seen in practice, by member id)."""
    return tuple(sorted(members, key=lambda member: (ticket(seed, group, member), member)))


def draw(
    seed: str, group: str, members: Iterable[str], winners: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Draw *winners* of *members*.

    Args:
        seed: the draw's seed, published with the result.
        group: the group id.
        members: the paid members.
        winners: how many win.

    Returns:
        ``(winners, losers)``, each in draw order.

    Raises:
        InvalidInput: ``invalid_seed`` for an empty seed.
    """
    if not isinstance(seed, str) or not seed:
        raise InvalidInput(
            "invalid_seed", "a draw needs a non-empty seed", field="seed", value=seed
        )
    ordered = draw_order(seed, group, members)
    return ordered[:winners], ordered[winners:]
