"""Operations: the operator's add-ons around the core: compliance lint, risk, rewards, pickup.

- :func:`lint` finds the campaign rules WeChat and price law punish, before launch.
- :func:`assess` flags risky joins in an event log (bursts from one device or address, groups
  filled with linked accounts, new-customer coupon abuse).
- :func:`rewards` turns an event log into grants: points on net paid, care, consolation and
  invite coupons; :func:`points_entries` books points grants into the ledger.
- :func:`pickup_day` plans a community leader's pickup point (自提点): windows, manifests,
  rollovers and perishables.
"""

from __future__ import annotations

from tuangou_core.operations._findings import (
    INFLATED_LIST_PRICE_MARGIN,
    SHARE_DETECTION_THRESHOLD,
    SUGGESTED_GROUP_PRICE_SHARE,
    Finding,
    LintContext,
    Severity,
    lint_context,
)
from tuangou_core.operations._lint import (
    lint,
    lint_output,
)
from tuangou_core.operations._pickup import (
    Manifest,
    ManifestLine,
    PickupDay,
    PickupPoint,
    PickupSchedule,
    PickupWindow,
    pickup_day,
)
from tuangou_core.operations._rewards import (
    CouponGrant,
    InvitePolicy,
    PointsGrant,
    PointsPolicy,
    RewardPolicy,
    Rewards,
    coupon_grants,
    points_entries,
    points_grants,
    rewards,
)
from tuangou_core.operations._risk import (
    DEFAULT_RULES,
    Attributes,
    LinkedAccountsFill,
    NewCustomerCouponAbuse,
    OrderBurst,
    RiskFinding,
    RiskLog,
    RiskRule,
    assess,
)

__all__ = [
    "DEFAULT_RULES",
    "INFLATED_LIST_PRICE_MARGIN",
    "SHARE_DETECTION_THRESHOLD",
    "SUGGESTED_GROUP_PRICE_SHARE",
    "Attributes",
    "CouponGrant",
    "Finding",
    "InvitePolicy",
    "LinkedAccountsFill",
    "LintContext",
    "Manifest",
    "ManifestLine",
    "NewCustomerCouponAbuse",
    "OrderBurst",
    "PickupDay",
    "PickupPoint",
    "PickupSchedule",
    "PickupWindow",
    "PointsGrant",
    "PointsPolicy",
    "RewardPolicy",
    "Rewards",
    "RiskFinding",
    "RiskLog",
    "RiskRule",
    "Severity",
    "assess",
    "coupon_grants",
    "lint",
    "lint_context",
    "lint_output",
    "pickup_day",
    "points_entries",
    "points_grants",
    "rewards",
]
