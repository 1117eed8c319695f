"""The seeds' reference values, printed beside each figure they judge (seed 004)."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from tuangou_core.money import Rate

HEALTHY_SUCCESS_RATE: Final = (Rate("45%"), Rate("60%"))
"""成团率: the industry's healthy range of group success rate (seed 004)."""

FORMED_WITHIN_24H_TARGET: Final = Rate("70%")
"""24小时成团占比: more than this share of formed groups should form within 24 h (seed 004)."""

FORMATION_TARGET_WINDOW: Final = timedelta(hours=24)
"""The window of the within-24 h share."""

REFERENCE_SUCCESS_RATES: Final = {
    "fixed_2": Rate("68%"),
    "tiered_3_5": Rate("52%"),
    "lottery": Rate("89%"),
}
"""Success rates seed 004 reports by group kind: 2-person fixed, 3–5 tiered, lottery."""
