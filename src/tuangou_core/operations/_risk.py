"""Risk rules: coupon farming (薅羊毛), order bursts and self-filled groups, over an event log.

Events do not carry devices, IPs or addresses, so they come in beside the log as a mapping
from an order ``(group, member)`` or a member id to that order's attributes, e.g.
``{"u1": {"device": "d-9", "ip": "10.0.0.7", "address": "3-2-501"}}``. An order's own entry
wins over its member's.

Each rule is a frozen, configurable value with a ``check(log)`` method; :func:`assess` runs a
tuple of rules and returns their findings, each with the rule's code, a reason a person can
act on, the members involved and the indexes of the events behind it. An order is counted
at the moment it was placed (its ``MemberJoined``), since that is when its device and address
were seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, ClassVar, Final, Protocol

import attrs

from tuangou_core.errors import InvalidInput, InvalidRule
from tuangou_core.group import Event, GroupOpened, MemberJoined

Attributes = Mapping[Any, Mapping[str, str]]
"""``(group, member)`` or member id → attribute name → value (``device``, ``ip``, ``address``)."""


@attrs.frozen
class RiskFinding:
    """One suspicion: the *rule* code, its *reason*, who, and the event indexes behind it."""

    rule: str
    reason: str
    members: tuple[str, ...]
    events: tuple[int, ...]

    def to_data(self) -> dict[str, Any]:
        """JSON-safe values."""
        return {
            "rule": self.rule,
            "reason": self.reason,
            "members": list(self.members),
            "events": list(self.events),
        }


@attrs.frozen
class _Join:
    index: int
    event: MemberJoined


@attrs.frozen
class RiskLog:
    """The log as the rules read it: its joins, its openings and the order attributes."""

    events: tuple[Event, ...]
    attributes: Attributes
    joins: tuple[_Join, ...]
    openings: tuple[tuple[int, GroupOpened], ...]

    @classmethod
    def of(cls, events: Iterable[Event], attributes: Attributes) -> RiskLog:
        """Index *events* once.

        Raises:
            InvalidInput: ``invalid_attributes`` when *attributes* is not a mapping.
        """
        if not isinstance(attributes, Mapping):
            raise InvalidInput(
                "invalid_attributes",
                f"attributes must map an order or member to its attributes, got "
                f"{type(attributes).__name__}",
                field="attributes",
                value=type(attributes).__name__,
            )
        log = tuple(events)
        joins = tuple(_Join(i, e) for i, e in enumerate(log) if isinstance(e, MemberJoined))
        openings = tuple((i, e) for i, e in enumerate(log) if isinstance(e, GroupOpened))
        return cls(log, attributes, joins, openings)

    def attribute(self, group: str, member: str, name: str) -> str | None:
        """The order's *name* attribute (its own entry first, then its member's), or None."""
        for key in ((group, member), member):
            found = self.attributes.get(key)
            if isinstance(found, Mapping):
                value = found.get(name)
                if isinstance(value, str) and value:
                    return value
        return None


class RiskRule(Protocol):
    """A configured rule: ``check(log)`` returns its findings."""

    def check(self, log: RiskLog) -> tuple[RiskFinding, ...]:
        """The findings of this rule over *log*."""
        ...


def _at_least(minimum: int, field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if type(value) is not int or value < minimum:
            raise InvalidRule(
                "invalid_rule",
                f"{field} must be a whole number of at least {minimum}, got {value!r}",
                field=field,
                value=value,
            )

    return check


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    names = tuple(value) if isinstance(value, Iterable) else ()
    if not names or not all(isinstance(n, str) and n for n in names):
        raise InvalidRule(
            "invalid_rule",
            f"link_by must name at least one attribute, got {value!r}",
            field="link_by",
            value=repr(value),
        )
    return names


def _positive_window(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidRule(
            "invalid_rule",
            f"window must be a positive timedelta, got {value!r}",
            field="window",
            value=repr(value),
        )


@attrs.frozen
class OrderBurst:
    """More than *max_orders* orders sharing one *attribute* value within *window*.

    The window is half-open: orders at ``t`` and ``t + window`` are not in the same window.
    For each value the densest window is reported once (the earliest of equally dense ones).
    """

    attribute: str = "device"
    max_orders: int = attrs.field(default=3, validator=_at_least(1, "max_orders"))
    window: timedelta = attrs.field(default=timedelta(hours=24), validator=_positive_window)

    @property
    def code(self) -> str:
        """``orders_per_device``, ``orders_per_ip``, ``orders_per_address`` …"""
        return f"orders_per_{self.attribute}"

    def check(self, log: RiskLog) -> tuple[RiskFinding, ...]:
        """One finding per attribute value whose densest window passes *max_orders*."""
        by_value: dict[str, list[_Join]] = {}
        for join in log.joins:
            value = log.attribute(join.event.group, join.event.member, self.attribute)
            if value is not None:
                by_value.setdefault(value, []).append(join)
        findings = []
        for value, joins in sorted(by_value.items()):
            if len(joins) <= self.max_orders:
                continue
            ordered = sorted(joins, key=lambda j: (j.event.at, j.index))
            best_start, best_end, start = 0, 0, 0
            for end, join in enumerate(ordered):
                while join.event.at - ordered[start].event.at >= self.window:
                    start += 1
                if end - start > best_end - best_start:
                    best_start, best_end = start, end
            burst = ordered[best_start : best_end + 1]
            if len(burst) <= self.max_orders:
                continue
            members = tuple(sorted({j.event.member for j in burst}))
            findings.append(
                RiskFinding(
                    self.code,
                    f"{len(burst)} orders from {self.attribute} {value} "
                    f"within {_span(self.window)} "
                    f"(more than {self.max_orders}), by {', '.join(members)}",
                    members,
                    tuple(sorted(j.index for j in burst)),
                )
            )
        return tuple(findings)


@attrs.frozen
class LinkedAccountsFill:
    """A leader filling their own group: at least *min_linked* joiners share a *link_by*
    attribute (device, address …) with the group's opener."""

    link_by: tuple[str, ...] = attrs.field(default=("device", "address"), converter=_names)
    min_linked: int = attrs.field(default=2, validator=_at_least(1, "min_linked"))

    code: ClassVar[str] = "self_filled_group"

    def check(self, log: RiskLog) -> tuple[RiskFinding, ...]:
        """One finding per group whose opener's linked accounts fill *min_linked* slots."""
        joins_of: dict[str, list[_Join]] = {}
        for join in log.joins:
            if join.event.role != "opener":
                joins_of.setdefault(join.event.group, []).append(join)
        findings = []
        for index, opened in log.openings:
            group, leader = opened.group, opened.opener
            own = {n: log.attribute(group, leader, n) for n in self.link_by}
            linked: list[tuple[_Join, str]] = []
            for join in joins_of.get(group, []):
                if join.event.member == leader:
                    continue
                shared = [
                    n
                    for n in self.link_by
                    if own[n] is not None and log.attribute(group, join.event.member, n) == own[n]
                ]
                if shared:
                    linked.append((join, "+".join(shared)))
            if len(linked) < self.min_linked:
                continue
            who = ", ".join(f"{j.event.member} ({how})" for j, how in linked)
            findings.append(
                RiskFinding(
                    self.code,
                    f"leader {leader} filled group {group} with {len(linked)} accounts linked "
                    f"to them: {who}",
                    tuple(sorted({leader, *(j.event.member for j, _ in linked)})),
                    tuple(sorted([index, *(j.index for j, _ in linked)])),
                )
            )
        return tuple(findings)


def _coupon_names(value: object) -> frozenset[str]:
    if isinstance(value, str):
        value = (value,)
    names = frozenset(value) if isinstance(value, Iterable) else frozenset()
    if not names or not all(isinstance(n, str) and n for n in names):
        raise InvalidRule(
            "invalid_rule",
            f"coupons must name at least one new-customer coupon, got {value!r}",
            field="coupons",
            value=repr(value),
        )
    return names


@attrs.frozen
class NewCustomerCouponAbuse:
    """New-customer coupons (新人券) taken more than once: by one member in two orders, or by
    more than *max_accounts* members sharing a *link_by* attribute value."""

    coupons: frozenset[str] = attrs.field(converter=_coupon_names)
    link_by: tuple[str, ...] = attrs.field(default=("device", "address", "ip"), converter=_names)
    max_accounts: int = attrs.field(default=1, validator=_at_least(1, "max_accounts"))

    code: ClassVar[str] = "new_customer_coupon_abuse"

    def check(self, log: RiskLog) -> tuple[RiskFinding, ...]:
        """Repeat users first (by member), then shared devices or addresses (by value)."""
        uses = [
            (join, sorted(s.name for s in join.event.quote.steps if s.name in self.coupons))
            for join in log.joins
        ]
        uses = [(join, names) for join, names in uses if names]
        findings = []
        by_member: dict[str, list[_Join]] = {}
        for join, _names_used in uses:
            by_member.setdefault(join.event.member, []).append(join)
        for member, joins in sorted(by_member.items()):
            if len(joins) > 1:
                groups = ", ".join(j.event.group for j in joins)
                findings.append(
                    RiskFinding(
                        self.code,
                        f"{member} used a new-customer coupon in {len(joins)} orders ({groups})",
                        (member,),
                        tuple(j.index for j in joins),
                    )
                )
        for name in self.link_by:
            by_value: dict[str, list[_Join]] = {}
            for join, _names_used in uses:
                value = log.attribute(join.event.group, join.event.member, name)
                if value is not None:
                    by_value.setdefault(value, []).append(join)
            for value, joins in sorted(by_value.items()):
                members = tuple(sorted({j.event.member for j in joins}))
                if len(members) > self.max_accounts:
                    findings.append(
                        RiskFinding(
                            self.code,
                            f"{len(members)} accounts took new-customer coupons from {name} "
                            f"{value} (at most {self.max_accounts}): {', '.join(members)}",
                            members,
                            tuple(j.index for j in joins),
                        )
                    )
        return tuple(findings)


def _span(window: timedelta) -> str:
    # "24 h", "90 min", "45 s": how an operator says a window, not timedelta's "1 day, 0:00:00".
    seconds = int(window.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


DEFAULT_RULES: Final[tuple[RiskRule, ...]] = (
    OrderBurst("device", 3),
    OrderBurst("ip", 5),
    OrderBurst("address", 3),
    LinkedAccountsFill(),
)
"""The rules :func:`assess` runs unless told otherwise; coupon abuse needs the coupon ids."""


def assess(
    events: Iterable[Event],
    attributes: Attributes,
    rules: Iterable[RiskRule] = DEFAULT_RULES,
) -> tuple[RiskFinding, ...]:
    """Run *rules* over *events* and the orders' *attributes*.

    Returns:
        Every finding, sorted by rule code, then first event index, then reason.

    Raises:
        InvalidInput: ``invalid_attributes`` when *attributes* is not a mapping.
    """
    log = RiskLog.of(events, attributes)
    found = [finding for rule in rules for finding in rule.check(log)]
    return tuple(sorted(found, key=lambda f: (f.rule, f.events[:1], f.reason)))
