"""What a run of the engine works through, worked out once per campaign, policy and offers.

A plan is the discounts in play (the offers checked, the coupons presented found) arranged in
the order they run: per phase of the policy, each unit a single discount or the members of a
best-of class. It depends only on the campaign, the policy, the offers and the coupon ids
presented, all immutable values, so it is memoised: a backend that prices many carts under one
campaign, policy and offer list checks the offers and sorts the units once, not per cart.

The memo is keyed by the identity of the campaign, the policy and each offer, and each entry
holds those objects, so an id in a key cannot be reused by another object while the entry
lives. Identity, not equality, because hashing a policy and a list of offers field by field
costs more than checking them. A caller that builds new offer objects for every cart gets the
checks every time, as before; the memo is bounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Final, NamedTuple

from tuangou_core.campaign import Campaign
from tuangou_core.pricing._discounts import Discount, Phase
from tuangou_core.pricing._offers import discounts_in_play
from tuangou_core.pricing._policy import StackingPolicy

# What runs as one: a single discount, or the members of a best-of class.
Unit = tuple[Discount, ...]

_BY_KEY: Final = itemgetter(0)
_MAX_PLANS: Final = 1024


class Plan(NamedTuple):
    """The units of each phase of *policy*, in the order they run.

    ``campaign``, ``policy`` and ``offers`` are the objects the plan was made for: held so that
    the identities keying the memo stay theirs.
    """

    campaign: Campaign
    policy: StackingPolicy
    offers: tuple[Discount, ...]
    phases: tuple[tuple[Phase, tuple[Unit, ...]], ...]


_PLANS: dict[tuple[object, ...], Plan] = {}


def plan(
    campaign: Campaign,
    coupons: tuple[str, ...],
    policy: StackingPolicy,
    offers: Sequence[Discount],
) -> Plan:
    """The plan for *offers* and the *coupons* presented under *campaign* and *policy*.

    Raises:
        InvalidRule, Rejected: as :func:`discounts_in_play`, every time (a refusal is not
            memoised).
    """
    held = offers if type(offers) is tuple else tuple(offers)
    key = (id(campaign), id(policy), coupons, *map(id, held))
    found = _PLANS.get(key)
    if found is None:
        discounts = discounts_in_play(campaign, coupons, held)
        found = Plan(campaign, policy, held, _schedule(discounts, policy))
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()  # a cold start now and then beats bookkeeping on every hit
        _PLANS[key] = found
    return found


def _schedule(
    discounts: Sequence[Discount], policy: StackingPolicy
) -> tuple[tuple[Phase, tuple[Unit, ...]], ...]:
    """Each phase's units in the order they run, the phases in the policy's order.

    A unit is one discount, or a best-of class whose members are sorted by id (best-of ignores
    the listed order). Units run by priority, a best-of class (at its members' lowest priority)
    ahead of single discounts of the same priority, then in the listed order.
    """
    best_of = policy.best_of
    by_phase: dict[Phase, list[tuple[int, Discount]]] = {}
    plain = True  # one priority and no best-of class: each discount alone, in listed order
    for index, discount in enumerate(discounts):
        by_phase.setdefault(discount.phase, []).append((index, discount))
        if discount.priority != discounts[0].priority or discount.stack_class in best_of:
            plain = False
    units = {
        phase: [(d,) for _, d in members] if plain else _units(members, best_of)
        for phase, members in by_phase.items()
    }
    return tuple((phase, tuple(units.get(phase, ()))) for phase in policy.phases)


def _units(members: list[tuple[int, Discount]], best_of: frozenset[str]) -> list[Unit]:
    keyed: list[tuple[tuple[int, int, str, int], Unit]] = []
    classes: dict[str, list[Discount]] = {}
    for index, discount in members:
        if discount.stack_class in best_of:
            classes.setdefault(discount.stack_class, []).append(discount)
        else:
            keyed.append(((discount.priority, 1, "", index), (discount,)))
    for name, group in classes.items():
        ordered = tuple(sorted(group, key=lambda d: d.id))
        keyed.append(((min(d.priority for d in group), 0, name, 0), ordered))
    keyed.sort(key=_BY_KEY)
    return [unit for _, unit in keyed]
