"""tuangou_core: the money and group rules of group buying (拼团 / 团购).

The names below are the public API; every module's own ``__all__`` lists more for those who
need them (e.g. every event class in :mod:`tuangou_core.events`).
"""

from __future__ import annotations

from tuangou_core.audit import audit, reconcile
from tuangou_core.campaign import (
    Campaign,
    ChargeMode,
    Expiry,
    FeeSchedule,
    FixedRule,
    LotteryRule,
    Overflow,
    SeckillRule,
    Tier,
    TieredRule,
)
from tuangou_core.commission import (
    Split,
    clawback,
    split_order,
)
from tuangou_core.compliance import (
    Finding,
    LintContext,
    Severity,
    lint,
)
from tuangou_core.coupons import Coupon, CouponKind, Funder
from tuangou_core.discounts import (
    Context,
    Discount,
    DiscountKind,
    Phase,
    StackingPolicy,
)
from tuangou_core.errors import (
    Conflict,
    InvalidInput,
    InvalidRule,
    Rejected,
    TuangouError,
)
from tuangou_core.events import (
    Cancel,
    Command,
    Complete,
    Draw,
    Event,
    GroupStatus,
    Join,
    Open,
    OrderStatus,
    Pay,
    RefundReason,
    RequestRefund,
    Ship,
    Tick,
)
from tuangou_core.group import (
    CampaignState,
    Fold,
    GroupState,
    InvariantViolation,
    Order,
    check_invariants,
    decide,
    evolve,
    initial_state,
    replay,
)
from tuangou_core.ledger import (
    Account,
    JournalEntry,
    balances,
    journal,
    trial_balance,
)
from tuangou_core.lottery import (
    draw_order,
)
from tuangou_core.metrics import (
    Metrics,
    report,
)
from tuangou_core.money import (
    MAX_MINOR,
    Currency,
    Money,
    Rate,
    Rounding,
    allocate,
    split,
)
from tuangou_core.pickup import (
    PickupPoint,
    PickupSchedule,
    pickup_day,
)
from tuangou_core.pricing import (
    Line,
    Quote,
    quote,
    quote_member,
)
from tuangou_core.refunds import (
    PaidOrder,
    RefundPlan,
    RefundPolicy,
    plan_refund,
)
from tuangou_core.rewards import (
    rewards,
)
from tuangou_core.risk import (
    assess,
)
from tuangou_core.scenario import (
    InvalidScenario,
    Scenario,
    load,
    parse,
    run,
)
from tuangou_core.serialization import (
    SerializationError,
    from_data,
    to_data,
)
from tuangou_core.statement import (
    Statement,
    settle,
)
from tuangou_core.windows import (
    Calendar,
    Duration,
    deadline,
    may_open,
)

__all__ = [
    "MAX_MINOR",
    "Account",
    "Calendar",
    "Campaign",
    "CampaignState",
    "Cancel",
    "ChargeMode",
    "Command",
    "Complete",
    "Conflict",
    "Context",
    "Coupon",
    "CouponKind",
    "Currency",
    "Discount",
    "DiscountKind",
    "Draw",
    "Duration",
    "Event",
    "Expiry",
    "FeeSchedule",
    "Finding",
    "FixedRule",
    "Fold",
    "Funder",
    "GroupState",
    "GroupStatus",
    "InvalidInput",
    "InvalidRule",
    "InvalidScenario",
    "InvariantViolation",
    "Join",
    "JournalEntry",
    "Line",
    "LintContext",
    "LotteryRule",
    "Metrics",
    "Money",
    "Open",
    "Order",
    "OrderStatus",
    "Overflow",
    "PaidOrder",
    "Pay",
    "Phase",
    "PickupPoint",
    "PickupSchedule",
    "Quote",
    "Rate",
    "RefundPlan",
    "RefundPolicy",
    "RefundReason",
    "Rejected",
    "RequestRefund",
    "Rounding",
    "Scenario",
    "SeckillRule",
    "SerializationError",
    "Severity",
    "Ship",
    "Split",
    "StackingPolicy",
    "Statement",
    "Tick",
    "Tier",
    "TieredRule",
    "TuangouError",
    "allocate",
    "assess",
    "audit",
    "balances",
    "check_invariants",
    "clawback",
    "deadline",
    "decide",
    "draw_order",
    "evolve",
    "from_data",
    "initial_state",
    "journal",
    "lint",
    "load",
    "may_open",
    "parse",
    "pickup_day",
    "plan_refund",
    "quote",
    "quote_member",
    "reconcile",
    "replay",
    "report",
    "rewards",
    "run",
    "settle",
    "split",
    "split_order",
    "to_data",
    "trial_balance",
]

__version__ = "0.1.0"
