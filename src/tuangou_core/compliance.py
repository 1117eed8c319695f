"""Compliance lint: the campaign rules WeChat and price law punish, found before launch.

``lint(campaign, context)`` reads a campaign (a built :class:`~tuangou_core.campaign.Campaign`
or the raw ``[campaign]`` table of a scenario) and what the campaign alone cannot say (recent
actual prices, whether lottery odds are shown, the refund terms, share requirements), and
returns findings sorted by severity, then code, then field. It never raises on a bad campaign:
what construction would refuse is reported as a finding, so a merchant sees every problem at
once.

The thresholds are the seeds' (../shared/seeds/004): 虚标原价 above 30% of the recent actual
price is price fraud; lottery odds must be disclosed; 三级分销 (more than one commission level)
is forbidden; a group's rules must state how refunds work and when; 200 shares per user per day
is where WeChat's induced-sharing detection fires; a group price is suggested at 60–70% of the
list price.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Final

import attrs

from tuangou_core.campaign import Campaign, LotteryRule, TieredRule
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.money import Money, Rate

__all__ = [
    "INFLATED_LIST_PRICE_MARGIN",
    "SHARE_DETECTION_THRESHOLD",
    "SUGGESTED_GROUP_PRICE_SHARE",
    "Finding",
    "LintContext",
    "Severity",
    "lint",
    "lint_context",
    "lint_output",
]

INFLATED_LIST_PRICE_MARGIN: Final = Rate("30%")
"""A list price more than this above the recent actual price is 虚标原价 (price fraud)."""

SHARE_DETECTION_THRESHOLD: Final = 200
"""Shares by one user in one day at which WeChat's 诱导分享 detection fires (seed 004)."""

SUGGESTED_GROUP_PRICE_SHARE: Final = (Rate("60%"), Rate("70%"))
"""The group price the seeds suggest, as a share of the list price (拼团价为零售价60-70%)."""


class Severity(enum.Enum):
    """How bad a finding is: errors get a mini-program punished, infos are advice."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos: the order findings are listed in."""
        return _RANKS[self]


_RANKS: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@attrs.frozen
class Finding:
    """One problem: a stable *code*, its *severity*, a *message* and the *field* at fault."""

    code: str
    severity: Severity
    message: str
    field: str

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        """Severity first, then code, field and message: the same order every run."""
        return (self.severity.rank, self.code, self.field, self.message)

    def to_data(self) -> dict[str, str]:
        """The finding as JSON-safe values."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
        }


def _optional_count(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if value is None:
            return
        if type(value) is not int or value < 0:
            raise InvalidInput(
                "invalid_input",
                f"{field} must be a whole number of zero or more, got {value!r}",
                field=field,
                value=value,
            )

    return check


def _prices(value: object) -> tuple[Money, ...]:
    if isinstance(value, Money):
        return (value,)
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list):
        raise InvalidInput(
            "invalid_input",
            "context.recent_prices must be a sequence of Money",
            field="context.recent_prices",
            value=repr(value),
        )
    for index, price in enumerate(value):
        if not isinstance(price, Money):
            raise InvalidInput(
                "invalid_input",
                f"context.recent_prices[{index}] must be Money, got {type(price).__name__}",
                field=f"context.recent_prices[{index}]",
                value=repr(price),
            )
    return tuple(value)


@attrs.frozen
class LintContext:
    """What the campaign alone cannot say, for :func:`lint`.

    Args:
        recent_prices: actual selling prices of the product before the campaign (e.g. the
            last 7 days). The list price is compared with the highest of them. Empty: the
            虚标原价 check cannot run and says so (an info).
        lottery_odds_disclosed: whether the page shows a lottery group's odds K/N.
        refund_deadline: the stated refund deadline (e.g. ``"7 days after pickup"``);
            None or blank means not stated.
        refund_path: the stated refund path (e.g. ``"original"``, 原路退回); None or blank
            means not stated.
        required_shares: shares or invites a user must make to unlock a reward beyond the
            group itself (分享N个群领券). 0 when none.
        max_required_shares: the most such shares allowed before it counts as 诱导分享.
            0 by default: WeChat forbids making a reward depend on sharing at all.
        share_cap_per_day: the most shares per user per day the campaign counts or rewards;
            None when it counts none.
    """

    recent_prices: tuple[Money, ...] = attrs.field(default=(), converter=_prices)
    lottery_odds_disclosed: bool = False
    refund_deadline: str | None = None
    refund_path: str | None = None
    required_shares: int = attrs.field(default=0, validator=_optional_count("required_shares"))
    max_required_shares: int = attrs.field(
        default=0, validator=_optional_count("max_required_shares")
    )
    share_cap_per_day: int | None = attrs.field(
        default=None, validator=_optional_count("share_cap_per_day")
    )


_CONTEXT_KEYS: Final = (
    "recent_prices",
    "lottery_odds_disclosed",
    "refund_deadline",
    "refund_path",
    "required_shares",
    "max_required_shares",
    "share_cap_per_day",
)


def lint_context(table: Mapping[str, Any], currency: str = "CNY") -> LintContext:
    """Read a :class:`LintContext` from plain values, as a scenario's ``[lint]`` table.

    Prices are decimal strings in *currency*; the other keys are as :class:`LintContext`.

    Raises:
        InvalidInput: naming ``lint.<key>`` for an unknown key or a value of the wrong kind.
    """
    unknown = sorted(set(table) - set(_CONTEXT_KEYS))
    if unknown:
        raise InvalidInput(
            "unknown_key",
            f"lint.{unknown[0]} is not a key of [lint] ({', '.join(_CONTEXT_KEYS)})",
            field=f"lint.{unknown[0]}",
        )
    values = dict(table)
    prices = values.get("recent_prices", [])
    if not isinstance(prices, list):
        raise InvalidInput(
            "invalid_value",
            "lint.recent_prices must be a list of amounts",
            field="lint.recent_prices",
        )
    try:
        values["recent_prices"] = tuple(Money.parse(p, currency) for p in prices)
    except InvalidInput as error:
        raise InvalidInput(
            error.code, f"lint.recent_prices: {error.message}", field="lint.recent_prices"
        ) from None
    for key in ("lottery_odds_disclosed",):
        if key in values and not isinstance(values[key], bool):
            raise InvalidInput(
                "invalid_value", f"lint.{key} must be true or false", field=f"lint.{key}"
            )
    for key in ("refund_deadline", "refund_path"):
        if key in values and not isinstance(values[key], str):
            raise InvalidInput("invalid_value", f"lint.{key} must be a string", field=f"lint.{key}")
    for key in ("required_shares", "max_required_shares", "share_cap_per_day"):
        if key in values and type(values[key]) is not int:
            raise InvalidInput(
                "invalid_value", f"lint.{key} must be a whole number", field=f"lint.{key}"
            )
    return LintContext(**values)


@attrs.frozen
class _Facts:
    """What the checks read, taken from a Campaign or a raw table."""

    currency: str
    list_price: Money | None
    group_prices: tuple[tuple[str, Money], ...]
    lottery: tuple[int, int] | None  # (winners, size)
    levels: int


def lint(
    campaign: Campaign | Mapping[str, Any], context: LintContext | None = None
) -> tuple[Finding, ...]:
    """Every compliance problem of *campaign*, sorted by severity, code and field.

    Args:
        campaign: a built :class:`Campaign`, or a raw campaign table (the scenario's
            ``[campaign]`` keys, optionally with a ``fees`` table inside), or a whole scenario
            document with ``campaign`` and ``fees`` keys. Raw tables may hold what
            :class:`Campaign` refuses to build (a group price at or above the list price, two
            commission levels): lint reports it instead of raising.
        context: the facts the campaign does not carry; an empty context by default.

    Returns:
        The findings; empty when the campaign is clean.

    Raises:
        InvalidInput: ``invalid_input`` when *campaign* is neither a Campaign nor a mapping.
    """
    context = context or LintContext()
    findings: list[Finding] = []
    if isinstance(campaign, Campaign):
        facts = _campaign_facts(campaign)
    elif isinstance(campaign, Mapping):
        facts = _raw_facts(campaign, findings)
    else:
        raise InvalidInput(
            "invalid_input",
            f"lint needs a Campaign or a campaign table, got {type(campaign).__name__}",
            field="campaign",
            value=type(campaign).__name__,
        )
    for check in _CHECKS:
        findings.extend(check(facts, context))
    if isinstance(campaign, Mapping) and not any(f.severity is Severity.ERROR for f in findings):
        findings.extend(_construction(campaign))
    return tuple(sorted(set(findings), key=lambda f: f.sort_key))


def lint_output(
    campaign: Campaign | Mapping[str, Any], context: LintContext | None = None
) -> tuple[str, dict[str, Any]]:
    """What ``tuangou lint`` prints: readable text and JSON-safe data for the same findings."""
    findings = lint(campaign, context)
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    if findings:
        lines = [f"{f.severity.value:<8} {f.code:<32} {f.field:<26} {f.message}" for f in findings]
    else:
        lines = ["no findings"]
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    text = "\n".join([*lines, summary])
    data: dict[str, Any] = {
        "findings": [f.to_data() for f in findings],
        "counts": counts,
        "clean": not any(f.severity is Severity.ERROR for f in findings),
    }
    return text, data


# -- facts -------------------------------------------------------------------------------------


def _campaign_facts(campaign: Campaign) -> _Facts:
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        prices = [(f"campaign.tiers[{i}].price", t.price) for i, t in enumerate(rule.tiers)]
    else:
        prices = [("campaign.price", rule.price)]
    if campaign.leader_price is not None:
        prices.append(("campaign.leader_price", campaign.leader_price))
    lottery = (rule.winners, rule.size) if isinstance(rule, LotteryRule) else None
    return _Facts(
        currency=campaign.currency,
        list_price=campaign.list_price,
        group_prices=tuple(prices),
        lottery=lottery,
        levels=campaign.fees.levels,
    )


def _raw_facts(data: Mapping[str, Any], findings: list[Finding]) -> _Facts:
    table, fees = _tables(data)
    currency = table.get("currency", "CNY")
    if not isinstance(currency, str):
        currency = "CNY"

    def money(value: object, field: str) -> Money | None:
        if value is None:
            return None
        try:
            if isinstance(value, Money):
                return value
            return Money.parse(value, currency)  # type: ignore[arg-type]
        except TuangouError as error:
            findings.append(
                Finding("invalid_value", Severity.ERROR, f"{field}: {error.message}", field)
            )
            return None

    list_price = money(table.get("list_price"), "campaign.list_price")
    prices: list[tuple[str, Money]] = []
    tiers = table.get("tiers")
    if isinstance(tiers, list | tuple):
        for index, tier in enumerate(tiers):
            if isinstance(tier, Mapping):
                found = money(tier.get("price"), f"campaign.tiers[{index}].price")
                if found is not None:
                    prices.append((f"campaign.tiers[{index}].price", found))
    else:
        found = money(table.get("price"), "campaign.price")
        if found is not None:
            prices.append(("campaign.price", found))
    leader = money(table.get("leader_price"), "campaign.leader_price")
    if leader is not None:
        prices.append(("campaign.leader_price", leader))
    lottery = None
    winners, size = table.get("winners"), table.get("size")
    if table.get("rule") == "lottery" and type(winners) is int and type(size) is int:
        lottery = (winners, size)
    levels = fees.get("levels", 1)
    if type(levels) is not int:
        findings.append(
            Finding(
                "invalid_value",
                Severity.ERROR,
                f"fees.levels must be a whole number, got {levels!r}",
                "fees.levels",
            )
        )
        levels = 1
    return _Facts(currency, list_price, tuple(prices), lottery, levels)


def _tables(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    if isinstance(data.get("campaign"), Mapping):
        fees = data.get("fees")
        return data["campaign"], fees if isinstance(fees, Mapping) else {}
    fees = data.get("fees")
    table = {k: v for k, v in data.items() if k != "fees"}
    return table, fees if isinstance(fees, Mapping) else {}


def _construction(data: Mapping[str, Any]) -> list[Finding]:
    table, fees = _tables(data)
    try:
        Campaign.build(table, fees=fees)
    except TuangouError as error:
        field = str(error.fields.get("field", "campaign"))
        return [Finding("invalid_rule", Severity.ERROR, error.message, field)]
    return []


# -- checks ------------------------------------------------------------------------------------


def _inflated_list_price(facts: _Facts, context: LintContext) -> list[Finding]:
    if facts.list_price is None:
        return []
    recent = [p for p in context.recent_prices if p.currency == facts.currency]
    if not recent:
        return [
            Finding(
                "price_history_missing",
                Severity.INFO,
                "no recent actual prices given: the 虚标原价 check (list price at most 30% "
                "above the recent actual price) did not run",
                "context.recent_prices",
            )
        ]
    reference = max(recent)
    ceiling = Fraction(reference.minor) * (1 + INFLATED_LIST_PRICE_MARGIN.value)
    if facts.list_price.minor <= ceiling:
        return []
    excess = Rate(Fraction(facts.list_price.minor - reference.minor, reference.minor))
    return [
        Finding(
            "inflated_list_price",
            Severity.ERROR,
            f"list price {facts.list_price} is {excess.as_decimal(4) * 100:.2f}% above the "
            f"highest recent actual price {reference}; more than "
            f"{INFLATED_LIST_PRICE_MARGIN.percent()} is 虚标原价",
            "campaign.list_price",
        )
    ]


def _lottery_odds(facts: _Facts, context: LintContext) -> list[Finding]:
    if facts.lottery is None or context.lottery_odds_disclosed:
        return []
    winners, size = facts.lottery
    return [
        Finding(
            "lottery_odds_undisclosed",
            Severity.ERROR,
            f"a lottery group must show its odds ({winners} of {size} win) before joining",
            "context.lottery_odds_disclosed",
        )
    ]


def _commission_levels(facts: _Facts, _context: LintContext) -> list[Finding]:
    if facts.levels <= 1:
        return []
    return [
        Finding(
            "multi_level_commission",
            Severity.ERROR,
            f"commission over {facts.levels} levels (多级分销) is forbidden; only one level",
            "fees.levels",
        )
    ]


def _refund_terms(_facts: _Facts, context: LintContext) -> list[Finding]:
    missing = []
    if not (context.refund_deadline or "").strip():
        missing.append(("refund_deadline", "deadline", "by when a refund may be asked"))
    if not (context.refund_path or "").strip():
        missing.append(("refund_path", "path", "where the money goes back (原路退回)"))
    return [
        Finding(
            "refund_terms_missing",
            Severity.ERROR,
            f"the refund {what} is not stated: the rules must say {why}",
            f"context.{name}",
        )
        for name, what, why in missing
    ]


def _group_price(facts: _Facts, _context: LintContext) -> list[Finding]:
    if facts.list_price is None:
        return []
    found = []
    low, high = SUGGESTED_GROUP_PRICE_SHARE
    for field, price in facts.group_prices:
        if price.currency != facts.currency:
            continue
        if price >= facts.list_price:
            found.append(
                Finding(
                    "group_price_not_below_list",
                    Severity.ERROR,
                    f"group price {price} must be below the single price {facts.list_price}",
                    field,
                )
            )
            continue
        if field.endswith("leader_price") or facts.list_price.minor <= 0:
            continue
        share = Rate(Fraction(price.minor, facts.list_price.minor))
        if not low <= share <= high:
            found.append(
                Finding(
                    "group_price_outside_suggested_band",
                    Severity.INFO,
                    f"group price {price} is {share.as_decimal(4) * 100:.2f}% of the list "
                    f"price; the seeds suggest {low.percent()}–{high.percent()}",
                    field,
                )
            )
    return found


def _share_inducement(_facts: _Facts, context: LintContext) -> list[Finding]:
    found = []
    if context.required_shares > context.max_required_shares:
        found.append(
            Finding(
                "induced_sharing",
                Severity.ERROR,
                f"a reward requires {context.required_shares} shares or invites, more than the "
                f"{context.max_required_shares} allowed (诱导分享)",
                "context.required_shares",
            )
        )
    cap = context.share_cap_per_day
    if cap is not None and cap >= SHARE_DETECTION_THRESHOLD:
        found.append(
            Finding(
                "share_cap_at_detection_threshold",
                Severity.WARNING,
                f"the campaign counts up to {cap} shares per user per day; WeChat's "
                f"诱导分享 detection fires at {SHARE_DETECTION_THRESHOLD}",
                "context.share_cap_per_day",
            )
        )
    return found


_CHECKS: Final = (
    _inflated_list_price,
    _lottery_odds,
    _commission_levels,
    _refund_terms,
    _group_price,
    _share_inducement,
)
