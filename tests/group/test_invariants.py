"""check_invariants catches a broken state: each corruption injected, each one caught.

A state that breaks an invariant is the library's bug: the error is an InvariantViolation, an
InternalError and not a ValueError, so no caller lists it as a refused command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from drivers import Run, campaign, formed_pair
from tuangou_core.errors import InternalError
from tuangou_core.group import (
    CampaignState,
    GroupState,
    GroupStatus,
    InvariantViolation,
    OrderStatus,
    check_invariants,
)


def _with_group(state: CampaignState, group: GroupState) -> CampaignState:
    return attrs.evolve(state, groups={**state.groups, group.id: group})


def _with_order(state: CampaignState, group_id: str, member: str, **changes: Any) -> CampaignState:
    group = state.groups[group_id]
    order = attrs.evolve(group.orders[member], **changes)
    return _with_group(state, attrs.evolve(group, orders={**group.orders, member: order}))


def open_with_a_joiner() -> Run:
    r = Run(campaign(size=3))
    r.open("g1", "u1")
    r.pay("g1", "u1")
    r.join_and_pay("g1", "u2", 1)
    return r


CORRUPTIONS: dict[str, Callable[[], CampaignState]] = {
    "a formed fixed group holding an awaiting_group order": lambda: _with_order(
        formed_pair().state, "g1", "u2", status=OrderStatus.AWAITING_GROUP
    ),
    "an open group with size paid members that never formed": lambda: _with_group(
        formed_pair().state, attrs.evolve(formed_pair().state.groups["g1"], status=GroupStatus.OPEN)
    ),
    "a formed group with fewer members than its size": lambda: _with_group(
        formed_pair().state, attrs.evolve(formed_pair().state.groups["g1"], formed_size=1)
    ),
    "a formed group whose real members outnumber its orders": lambda: _with_group(
        formed_pair().state, attrs.evolve(formed_pair().state.groups["g1"], formed_size=3)
    ),
    "an open group led by a member who has not paid": lambda: _with_group(
        open_with_a_joiner().state,
        attrs.evolve(
            open_with_a_joiner().state.groups["g1"],
            orders={
                **open_with_a_joiner().state.groups["g1"].orders,
                "u1": attrs.evolve(
                    open_with_a_joiner().state.groups["g1"].orders["u1"],
                    status=OrderStatus.PENDING_PAYMENT,
                ),
            },
        ),
    ),
    "a leader with no order in the group": lambda: _with_group(
        formed_pair().state, attrs.evolve(formed_pair().state.groups["g1"], leader="nobody")
    ),
    "a formed group led by a cancelled order": lambda: _with_order(
        formed_pair().state, "g1", "u1", status=OrderStatus.CANCELLED
    ),
    "money the order does not hold": lambda: _with_order(
        formed_pair().state, "g1", "u1", refunded=formed_pair().state.groups["g1"].orders["u1"].paid
    ),
}


def test_a_healthy_state_passes() -> None:
    """The states the corruptions start from are sound."""
    check_invariants(formed_pair().state)
    check_invariants(open_with_a_joiner().state)


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_each_injected_corruption_is_caught(name: str) -> None:
    """The corrupted state is refused with invariant_violated, an InternalError."""
    with pytest.raises(InvariantViolation) as caught:
        check_invariants(CORRUPTIONS[name]())
    assert caught.value.code == "invariant_violated"
    assert isinstance(caught.value, InternalError)
    assert not isinstance(caught.value, ValueError)
