"""Quotes: what one member pays and why, step by step (quote_member, quote, explain).

Run it with ``.venv/bin/python examples/notebook_quote.py``.
"""

from __future__ import annotations

from tuangou_core.campaign import Campaign, Funder
from tuangou_core.money import Money
from tuangou_core.pricing import Context, Line, quote, quote_member

# The hotpot set of examples/new_customer_platform_coupon.toml: 3人团 at 48.00, list 68.00,
# a platform-funded new-customer coupon and the shop's own 5% coupon.
campaign = Campaign.build(
    {
        "id": "huoguo-0325",
        "list_price": "68.00",
        "rule": "fixed",
        "size": 3,
        "price": "48.00",
    },
    fees={"payment_rate": "0.006", "platform_rate": "0.05", "leader_rate": "0.03"},
    coupons=[
        {"id": "xinren10", "kind": "amount_off", "amount": "10.00", "funded_by": "platform"},
        {"id": "dian95", "kind": "percent_off", "percent": "5", "funded_by": "merchant"},
    ],
)

# One member's order in a group: the unit price the group charges, then the coupons in the
# order presented. The last line of explain() is the sum of the lines above it.
member = quote_member(campaign, unit_price=Money.parse("48.00"), coupon_ids=["xinren10", "dian95"])
print(member.explain())
print("due:", member.total)
print("platform funds:", member.funded_by(Funder.PLATFORM))
print("merchant funds:", member.funded_by(Funder.MERCHANT))
print()

# The general quote: a cart of lines under the campaign, for a context (who, which coupons).
cart = quote(
    (Line("huoguo-0325", qty=2),),
    campaign,
    Context(coupons=("xinren10",)),
)
print(cart.explain())
print("steps:", [(step.name, str(step.amount)) for step in cart.steps])
