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

from collections.abc import Mapping
from typing import Any

from tuangou_core.campaign import Campaign, LotteryRule, TieredRule
from tuangou_core.errors import InvalidInput, TuangouError
from tuangou_core.money import Money
from tuangou_core.operations._findings import (
    Facts,
    Finding,
    LintContext,
    Severity,
)
from tuangou_core.operations._lint_checks import CHECKS


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
        InvalidInput: ``invalid_input`` when *campaign* is neither a Campaign nor a mapping, or
            *context* is not a :class:`LintContext`.
    """
    if context is None:
        context = LintContext()
    elif not isinstance(context, LintContext):
        raise InvalidInput(
            "invalid_input",
            f"lint's context must be a LintContext (see lint_context), got "
            f"{type(context).__name__}",
            field="context",
            value=type(context).__name__,
        )
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
    for check in CHECKS:
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


def _campaign_facts(campaign: Campaign) -> Facts:
    rule = campaign.rule
    if isinstance(rule, TieredRule):
        prices = [(f"campaign.tiers[{i}].price", t.price) for i, t in enumerate(rule.tiers)]
    else:
        prices = [("campaign.price", rule.price)]
    if campaign.leader_price is not None:
        prices.append(("campaign.leader_price", campaign.leader_price))
    lottery = (rule.winners, rule.size) if isinstance(rule, LotteryRule) else None
    return Facts(
        currency=campaign.currency,
        list_price=campaign.list_price,
        group_prices=tuple(prices),
        lottery=lottery,
        levels=campaign.fees.levels,
    )


def _raw_facts(data: Mapping[str, Any], findings: list[Finding]) -> Facts:
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
    return Facts(currency, list_price, tuple(prices), lottery, levels)


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
