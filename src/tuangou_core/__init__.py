"""tuangou_core: the money and group rules of group buying (拼团 / 团购).

The package is built in stages, each a subpackage whose ``__init__`` is its public face;
imports run one way, down this list:

- :mod:`~tuangou_core.errors` and :mod:`~tuangou_core.money`: the ground floor.
- :mod:`~tuangou_core.timing`: durations, merchant calendars, deadlines.
- :mod:`~tuangou_core.campaign`: rules, fees, coupons, building from plain data.
- :mod:`~tuangou_core.pricing`: discounts, stacking policy, the engine, quote and explain.
- :mod:`~tuangou_core.refunds`: paid orders, refund requests and the one planner.
- :mod:`~tuangou_core.group`: commands, events, state, decide/evolve/fold, lottery.
- :mod:`~tuangou_core.settlement`: commission split, ledger, audit.
- :mod:`~tuangou_core.reporting`: statement, metrics, the audit trail.
- :mod:`~tuangou_core.operations`: compliance, risk, rewards, pickup.
- :mod:`~tuangou_core.interchange`: scenario files, JSON data.

The names below are what most users need; every subpackage's ``__all__`` lists the rest.
"""

from __future__ import annotations

from tuangou_core._version import VERSION
from tuangou_core.campaign import Campaign, Coupon, FeeSchedule
from tuangou_core.errors import (
    Conflict,
    ErrorCode,
    InternalError,
    InvalidInput,
    InvalidRule,
    Rejected,
    TuangouError,
)
from tuangou_core.group import (
    CampaignState,
    Cancel,
    Command,
    Complete,
    Draw,
    Event,
    Fold,
    Join,
    Open,
    Pay,
    RequestRefund,
    Ship,
    Tick,
    check_invariants,
    decide,
    evolve,
    initial_state,
    replay,
)
from tuangou_core.interchange import Scenario, load, parse, settle
from tuangou_core.money import Currency, Money, Rate, Rounding, allocate, split
from tuangou_core.pricing import Context, Line, Quote, StackingPolicy, quote
from tuangou_core.reporting import Statement
from tuangou_core.settlement import journal, split_order

__version__ = VERSION

__all__ = [
    "Campaign",
    "CampaignState",
    "Cancel",
    "Command",
    "Complete",
    "Conflict",
    "Context",
    "Coupon",
    "Currency",
    "Draw",
    "ErrorCode",
    "Event",
    "FeeSchedule",
    "Fold",
    "InternalError",
    "InvalidInput",
    "InvalidRule",
    "Join",
    "Line",
    "Money",
    "Open",
    "Pay",
    "Quote",
    "Rate",
    "Rejected",
    "RequestRefund",
    "Rounding",
    "Scenario",
    "Ship",
    "StackingPolicy",
    "Statement",
    "Tick",
    "TuangouError",
    "allocate",
    "check_invariants",
    "decide",
    "evolve",
    "initial_state",
    "journal",
    "load",
    "parse",
    "quote",
    "replay",
    "settle",
    "split",
    "split_order",
]
