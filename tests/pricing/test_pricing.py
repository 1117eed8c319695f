"""Pricing: the seeds' examples by name, the stacking rules, and the money laws of a quote."""

from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import cart_lines, discount_stacks, int_weights, stacking_policies
from tuangou_core.campaign import Campaign, Funder
from tuangou_core.errors import InvalidInput, InvalidRule, Rejected, TuangouError
from tuangou_core.money import Money, Rate, allocate, allocate_minor
from tuangou_core.pricing import (
    Audience,
    Base,
    Context,
    Discount,
    DiscountKind,
    Line,
    Quote,
    Role,
    StackingPolicy,
    TimeSlot,
    group_unit_price,
    percent_text,
    quote,
    quote_member,
)
from tuangou_core.pricing._quoting import TWINS

SHANGHAI = ZoneInfo("Asia/Shanghai")


def cny(text: str) -> Money:
    return Money.parse(text, "CNY")


def fixed_campaign(**coupons: dict[str, str]) -> Campaign:
    return Campaign.build(
        {
            "id": "milk-tea-5",
            "list_price": "100.00",
            "rule": "fixed",
            "size": 5,
            "price": "70.00",
            "leader_price": "60.00",
        },
        coupons=[{"id": ident, **fields} for ident, fields in coupons.items()],
    )


TIERED = Campaign.build(
    {
        "id": "fruit-tiers",
        "list_price": "100.00",
        "rule": "tiered",
        "tiers": [{"size": 3, "price": "90.00"}, {"size": 5, "price": "80.00"}],
    }
)
PLAIN = fixed_campaign()


def laws(q: Quote) -> None:
    """The invariants every quote keeps."""
    assert q.total == sum((line.total for line in q.lines), Money.zero(q.currency))
    assert q.list_total - q.discount_total == q.total
    for step in q.steps:
        assert len(step.shares) == len(q.lines)
        assert sum(step.shares, Money.zero(q.currency)) == step.amount
        assert step.amount.minor > 0
        assert all(share.minor >= 0 for share in step.shares)
    for index, line in enumerate(q.lines):
        assert line.total.minor >= 0
        taken = sum(step.shares[index].minor for step in q.steps)
        assert line.list_total.minor - taken == line.total.minor


# -- the seeds' examples ----------------------------------------------------------------------


def test_five_people_at_seventy_percent() -> None:
    """5人团 at 70%: a joiner pays 70.00 of 100.00; the 30.00 is the merchant's group price."""
    q = quote_member(PLAIN, unit_price=cny("70.00"))
    assert q.total == cny("70.00")
    assert q.list_total == cny("100.00")
    assert q.steps[0].kind == "group_price"
    assert q.steps[0].rule == "5人团 70%"
    assert q.funded_by(Funder.MERCHANT) == cny("30.00")
    laws(q)


def test_tiers_three_at_ninety_five_at_eighty() -> None:
    """阶梯团: 3 members → 90%, 5 → 80%; before a tier is reached the first tier is charged."""
    assert group_unit_price(TIERED, Context(group_size=None)) == cny("90.00")
    assert group_unit_price(TIERED, Context(group_size=3)) == cny("90.00")
    assert group_unit_price(TIERED, Context(group_size=4)) == cny("90.00")
    assert group_unit_price(TIERED, Context(group_size=5)) == cny("80.00")
    q = quote([Line("fruit", 2)], TIERED, Context(group_size=5))
    assert q.total == cny("160.00")
    assert q.steps[0].rule == "阶梯团 5人 80%"
    difference = quote_member(TIERED, unit_price=cny("90.00")).total - q.lines[0].total * 1
    assert difference == cny("-70.00")  # two units at 80 against one prepaid unit at 90


def test_group_price_between_sixty_and_seventy_percent_of_retail() -> None:
    """Group price at 60–70% of retail; the opener's leader price at 60%."""
    joiner = quote_member(PLAIN, unit_price=cny("70.00"), qty=3)
    leader = quote_member(PLAIN, unit_price=cny("60.00"), qty=3, role="opener")
    for q in (joiner, leader):
        share = q.total.minor / q.list_total.minor
        assert 0.6 <= share <= 0.7
    assert leader.steps[0].name == "leader price"
    assert leader.steps[0].rule == "团长价 60%"
    assert group_unit_price(PLAIN, Context(role="leader")) == cny("60.00")


def test_new_customer_one_yuan() -> None:
    """新人专享1元购: a new customer gets one unit at 1.00, paid by the platform; others don't."""
    offer = Discount(
        "new-1",
        DiscountKind.UNIT_PRICE,
        funder=Funder.PLATFORM,
        price=cny("1.00"),
        max_units=1,
        audience=Audience.NEW_CUSTOMER,
        label="新人专享1元购",
    )
    cart = [Line("eggs", 2, cny("29.90"))]
    new = quote(cart, PLAIN, Context(new_customer=True), offers=[offer])
    assert new.total == cny("30.90")
    assert new.funded_by("platform") == cny("28.90")
    assert "新人专享1元购" in new.explain()
    old = quote(cart, PLAIN, Context(), offers=[offer])
    assert old.total == cny("59.80")
    assert old.skipped[0].reason == "new customers only"
    laws(new)


def test_invite_three_get_ten_yuan_coupon() -> None:
    """邀请3人得10元无门槛券: a 10.00 no-threshold coupon, platform-funded, off the group price."""
    campaign = fixed_campaign(
        invite10={"kind": "amount_off", "amount": "10", "funded_by": "platform"}
    )
    q = quote_member(campaign, unit_price=cny("70.00"), coupon_ids=["invite10"])
    assert q.total == cny("60.00")
    assert q.funded_by(Funder.PLATFORM) == cny("10.00")
    assert q.step("invite10") is not None
    laws(q)


def test_threshold_full_reduction() -> None:
    """满减: 满100减20 once, 每满100减20 per full 100, and nothing below the threshold."""
    once = Discount("m100", "threshold", threshold=cny("100"), amount=cny("20"))
    every = Discount("e100", "threshold", threshold=cny("100"), amount=cny("20"), repeat=True)
    cart = [Line("a", 1, cny("150.00")), Line("b", 1, cny("100.00"))]
    assert quote(cart, PLAIN, offers=[once]).total == cny("230.00")
    repeated = quote(cart, PLAIN, offers=[every])
    assert repeated.total == cny("210.00")
    assert repeated.steps[0].rule == "每满100减20"
    assert [str(m) for m in repeated.steps[0].shares] == ["24.00", "16.00"]
    small = quote([Line("a", 1, cny("99.99"))], PLAIN, offers=[once])
    assert small.total == cny("99.99")
    assert "below the threshold" in small.skipped[0].reason


def test_points_hundred_per_yuan_capped_at_half() -> None:
    """积分抵扣: 100 points per yuan, at most 50% of the order."""
    points = Discount("points", "points", points_per_unit=100, percent="50%")
    cart = [Line("a", 1, cny("80.00"))]
    rich = quote(cart, PLAIN, Context(points_balance=10_000), offers=[points])
    assert rich.total == cny("40.00")
    assert rich.points_used == 4_000
    poor = quote(cart, PLAIN, Context(points_balance=1_050), offers=[points])
    assert poor.total == cny("69.50")
    assert poor.points_used == 1_050
    chosen = quote(cart, PLAIN, Context(points_balance=5_000, points_to_use=300), offers=[points])
    assert chosen.total == cny("77.00")
    with pytest.raises(Rejected) as caught:
        quote(cart, PLAIN, Context(points_balance=5, points_to_use=300), offers=[points])
    assert caught.value.code == "insufficient_points"


# -- quote_member, the interface the group decider uses ---------------------------------------


def test_member_coupons_apply_in_the_order_listed() -> None:
    """Coupons apply in the listed order on the running amount; percent rounds half up."""
    campaign = fixed_campaign(
        p15={"kind": "percent_off", "percent": "15"},
        m60={"kind": "threshold", "threshold": "60", "amount": "5"},
    )
    first = quote_member(campaign, unit_price=cny("70.00"), coupon_ids=["p15", "m60"])
    # 70 − 10.50 = 59.50 < 60: the threshold no longer qualifies.
    assert first.total == cny("59.50")
    assert first.skipped[0].name == "m60"
    second = quote_member(campaign, unit_price=cny("70.00"), coupon_ids=["m60", "p15"])
    # 70 − 5 = 65, then 15% of 65 = 9.75.
    assert second.total == cny("55.25")


def test_member_percent_rounds_half_up() -> None:
    """A percent coupon takes round_half_up(running × percent)."""
    campaign = fixed_campaign(p5={"kind": "percent_off", "percent": "5"})
    q = quote_member(campaign, unit_price=cny("0.50"), coupon_ids=["p5"])
    assert q.step("p5") is not None
    assert q.total == cny("0.47")  # 5% of 0.50 is 0.025 → 0.03


def test_member_coupon_never_takes_the_last_cent() -> None:
    """No coupon takes the amount due below one minor unit; the cap is written in the step."""
    campaign = fixed_campaign(big={"kind": "amount_off", "amount": "500"})
    q = quote_member(campaign, unit_price=cny("70.00"), qty=2, coupon_ids=["big"])
    assert q.total == cny("0.01")
    step = q.step("big")
    assert step is not None
    assert step.amount == cny("139.99")
    assert "500.00 trimmed to 139.99" in step.note


def test_member_refuses_unknown_and_duplicate_coupons() -> None:
    """An unknown coupon and a coupon presented twice are refused with the coupon named."""
    campaign = fixed_campaign(c10={"kind": "amount_off", "amount": "10"})
    with pytest.raises(Rejected) as unknown:
        quote_member(campaign, unit_price=cny("70.00"), coupon_ids=["nope"])
    assert (unknown.value.code, unknown.value.coupon) == ("unknown_coupon", "nope")
    with pytest.raises(Rejected) as twice:
        quote_member(campaign, unit_price=cny("70.00"), coupon_ids=["c10", "c10"])
    assert (twice.value.code, twice.value.coupon) == ("duplicate_coupon", "c10")


@pytest.mark.parametrize("qty", [0, -1, 1.0, "2", True, None])
def test_member_refuses_a_bad_quantity(qty: object) -> None:
    """A quantity that is not an int of at least 1 is invalid_quantity."""
    with pytest.raises(InvalidInput) as caught:
        quote_member(PLAIN, unit_price=cny("70.00"), qty=qty)  # type: ignore[arg-type]
    assert caught.value.code == "invalid_quantity"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"unit_price": cny("0")}, "invalid_price"),
        ({"unit_price": cny("100.01")}, "invalid_price"),
        ({"unit_price": Money(7000, "USD")}, "currency_mismatch"),
        ({"unit_price": cny("70"), "role": "boss"}, "invalid_role"),
        ({"unit_price": cny("70"), "coupon_ids": "c10"}, "invalid_coupons"),
    ],
)
def test_member_refuses_bad_input(kwargs: dict[str, object], code: str) -> None:
    """Bad prices, roles and coupon lists are coded TuangouErrors."""
    with pytest.raises(TuangouError) as caught:
        quote_member(PLAIN, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_member_explain_sums_to_the_amount_due() -> None:
    """Every line of the explanation is a rule and an amount; the last is the sum above it."""
    campaign = fixed_campaign(new10={"kind": "amount_off", "amount": "10", "funded_by": "platform"})
    q = quote_member(campaign, unit_price=cny("70.00"), coupon_ids=["new10"])
    text = q.explain()
    amounts = [Money.parse(line.split()[-1].replace("−", "-")) for line in _money_lines(text)]
    assert sum(amounts[:-1], Money.zero()) == amounts[-1] == q.total
    assert "funded by platform" in text


def _money_lines(text: str) -> list[str]:
    # Drop the notes after the amount column, keep label + amount.
    lines = []
    for line in text.splitlines():
        head = line.split("   funded by")[0].rstrip()
        if not head.startswith("(skipped"):
            lines.append(head)
    return lines


def test_quote_to_data_is_json_safe() -> None:
    """to_data is plain JSON with amounts as decimal strings."""
    campaign = fixed_campaign(new10={"kind": "amount_off", "amount": "10", "funded_by": "platform"})
    data = quote_member(campaign, unit_price=cny("70.00"), coupon_ids=["new10"]).to_data()
    again = json.loads(json.dumps(data))
    assert again == data
    assert data["total"] == "60.00"
    assert data["steps"][1]["shares"] == ["10.00"]
    assert data["funded_by"]["merchant"] == "30.00"


# -- the full engine --------------------------------------------------------------------------


def test_member_price_and_member_rate() -> None:
    """会员价 and a member rate apply only to members and say who pays."""
    price = Discount("vip-price", "unit_price", price=cny("55.00"), audience="member")
    rate = Discount("vip-rate", "percent_off", percent="5%", audience="member", phase="item")
    cart = [Line("a", 2, cny("70.00"))]
    member = quote(cart, PLAIN, Context(member=True), offers=[price, rate])
    assert member.total == cny("104.50")  # 2 × 55 = 110, then 5% off = 5.50
    guest = quote(cart, PLAIN, Context(), offers=[price, rate])
    assert guest.total == cny("140.00")
    assert {s.name for s in guest.skipped} == {"vip-price", "vip-rate"}


def test_leader_discount_is_for_the_opener_and_funded_by_the_leader() -> None:
    """A leader discount applies to the opener only and is recorded as leader-funded."""
    perk = Discount("leader5", "amount_off", amount=cny("5"), audience="leader", funder="leader")
    cart = [Line("a", 1)]
    opener = quote(cart, PLAIN, Context(role="opener"), offers=[perk])
    assert opener.total == cny("55.00")
    assert opener.funded_by("leader") == cny("5.00")
    assert quote(cart, PLAIN, Context(role=Role.JOINER), offers=[perk]).total == cny("70.00")


def test_price_by_remaining_stock_and_by_time_slot() -> None:
    """动态定价: a price while stock is plentiful; a price inside the afternoon slot."""
    early = Discount("early", "unit_price", price=cny("65.00"), min_stock=50)
    tea = Discount(
        "tea", "percent_off", phase="item", percent="10%", slot=TimeSlot(time(14), time(17))
    )
    cart = [Line("a", 1)]
    assert quote(cart, PLAIN, Context(remaining_stock=80), offers=[early]).total == cny("65.00")
    assert quote(cart, PLAIN, Context(remaining_stock=10), offers=[early]).total == cny("70.00")
    assert quote(cart, PLAIN, Context(), offers=[early]).skipped[0].reason == (
        "remaining stock unknown"
    )
    inside = Context(at=datetime(2026, 3, 1, 15, 0, tzinfo=SHANGHAI))
    outside = Context(at=datetime(2026, 3, 1, 17, 0, tzinfo=SHANGHAI))
    assert quote(cart, PLAIN, inside, offers=[tea]).total == cny("63.00")
    assert quote(cart, PLAIN, outside, offers=[tea]).total == cny("70.00")


def test_shipping_fee_and_free_shipping_threshold() -> None:
    """The shipping fee is its own line; 满49包邮 takes it off when the goods reach 49."""
    free = Discount("ship49", "free_shipping", threshold=cny("49"), funder="platform")
    fee = Context(shipping_fee=cny("8.00"))
    big = quote([Line("a", 1, cny("50.00"))], PLAIN, fee, offers=[free])
    assert big.total == cny("50.00")
    assert big.lines[-1].shipping
    assert big.lines[-1].total == cny("0.00")
    small = quote([Line("a", 1, cny("40.00"))], PLAIN, fee, offers=[free])
    assert small.total == cny("48.00")
    laws(big)
    laws(small)


def test_order_discount_is_spread_over_lines_by_amount() -> None:
    """An order-level discount lands on each line in proportion to its running amount."""
    coupon = Discount("c10", "amount_off", amount=cny("10.00"))
    cart = [Line("a", 1, cny("30.00")), Line("b", 1, cny("60.00")), Line("c", 1, cny("10.00"))]
    q = quote(cart, PLAIN, offers=[coupon])
    assert [str(m) for m in q.steps[0].shares] == ["3.00", "6.00", "1.00"]
    assert q.line_shares(1) == (("c10", cny("6.00")),)


def test_coupon_that_does_not_combine_with_the_group_price() -> None:
    """With coupon ⟂ group_price, a coupon on a group order is skipped, and says why."""
    campaign = fixed_campaign(c10={"kind": "amount_off", "amount": "10"})
    policy = StackingPolicy(exclusive=[("coupon", "group_price")])
    q = quote([Line("a", 1)], campaign, Context(coupons=["c10"]), policy)
    assert q.total == cny("70.00")
    assert q.skipped[0].reason == "does not combine with group_price"
    solo = quote([Line("a", 1, cny("100.00"))], campaign, Context(coupons=["c10"]), policy)
    assert solo.total == cny("90.00")


def test_best_of_takes_the_single_best_coupon() -> None:
    """In a best-of class only the largest discount applies."""
    campaign = fixed_campaign(
        c5={"kind": "amount_off", "amount": "5"},
        p10={"kind": "percent_off", "percent": "10"},
    )
    policy = StackingPolicy(best_of=["coupon"])
    q = quote([Line("a", 1)], campaign, Context(coupons=["c5", "p10"]), policy)
    assert [s.name for s in q.steps] == ["group price", "p10"]
    assert q.total == cny("63.00")


def test_original_base_ignores_earlier_discounts() -> None:
    """A discount on the original base is computed before the discounts ahead of it."""
    first = Discount("c20", "amount_off", amount=cny("20"), priority=0)
    running = Discount("p10", "percent_off", percent="10%", priority=1)
    original = Discount("p10", "percent_off", percent="10%", priority=1, base=Base.ORIGINAL)
    cart = [Line("a", 1, cny("100.00"))]
    assert quote(cart, PLAIN, offers=[first, running]).total == cny("72.00")
    assert quote(cart, PLAIN, offers=[first, original]).total == cny("70.00")


def test_caps_per_discount_and_on_the_total_share() -> None:
    """A discount's own cap and the policy's total share cap both hold, and are noted."""
    capped = Discount("p50", "percent_off", percent="50%", cap=cny("20"))
    cart = [Line("a", 1, cny("100.00"))]
    q = quote(cart, PLAIN, offers=[capped])
    assert q.total == cny("80.00")
    assert "capped at 20.00" in q.steps[0].note
    share = StackingPolicy(max_discount_share="30%")
    big = Discount("c50", "amount_off", amount=cny("50"))
    shared = quote(cart, PLAIN, policy=share, offers=[big])
    assert shared.total == cny("70.00")
    assert "total discount share cap" in shared.steps[0].note


def test_free_only_when_explicit() -> None:
    """An order reaches zero only when the policy allows free orders."""
    big = Discount("c500", "amount_off", amount=cny("500"))
    cart = [Line("a", 1, cny("100.00"))]
    assert quote(cart, PLAIN, offers=[big]).total == cny("0.01")
    free = quote(cart, PLAIN, None, StackingPolicy(allow_free=True), offers=[big])
    assert free.total == cny("0.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "percent_off", "percent": "0%"}, "discounts[x].percent"),
        ({"kind": "percent_off", "percent": "120%"}, "discounts[x].percent"),
        ({"kind": "amount_off"}, "discounts[x].amount"),
        ({"kind": "amount_off", "amount": cny("-1")}, "discounts[x].amount"),
        ({"kind": "threshold", "amount": cny("1")}, "discounts[x].threshold"),
        ({"kind": "unit_price", "price": cny("1"), "phase": "order"}, "discounts[x].phase"),
        ({"kind": "amount_off", "amount": cny("1"), "price": cny("1")}, "discounts[x].price"),
        ({"kind": "points", "percent": "50%"}, "discounts[x].points_per_unit"),
        ({"kind": "bogus"}, "discount.kind"),
        ({"kind": "amount_off", "amount": cny("1"), "funder": "bank"}, "discount.funder"),
        ({"kind": "amount_off", "amount": cny("1"), "min_stock": 5, "max_stock": 1}, None),
        ({"kind": "amount_off", "amount": "1.001"}, "discount.amount"),
    ],
)
def test_a_bad_discount_is_refused_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    """A discount that cannot be run is an InvalidRule naming its field."""
    with pytest.raises(InvalidRule) as caught:
        Discount("x", **kwargs)  # type: ignore[arg-type]
    if field is not None:
        assert caught.value.field == field


def test_a_bad_policy_is_refused_naming_the_field() -> None:
    """Policies refuse missing phases, odd exclusions, share caps above 1 and unknown modes."""
    cases = [
        ({"phases": ["item", "order"]}, "policy.phases"),
        ({"exclusive": [("coupon",)]}, "policy.exclusive[0]"),
        ({"exclusive": [1]}, "policy.exclusive[0]"),
        ({"exclusive": "coupon"}, "policy.exclusive"),
        ({"best_of": [["a"]]}, "policy.best_of"),
        ({"max_discount_share": "150%"}, "policy.max_discount_share"),
        ({"rounding": "sideways"}, "policy.rounding"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidRule) as caught:
            StackingPolicy(**kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field


def test_offers_in_another_currency_or_twice_are_refused() -> None:
    """Offers must be in the campaign's currency and carry distinct ids."""
    usd = Discount("u", "amount_off", amount=Money(100, "USD"))
    with pytest.raises(InvalidRule):
        quote([Line("a")], PLAIN, offers=[usd])
    same = Discount("c", "amount_off", amount=cny("1"))
    with pytest.raises(InvalidRule):
        quote([Line("a")], PLAIN, offers=[same, same])
    with pytest.raises(InvalidInput):
        quote([], PLAIN)


# -- properties -------------------------------------------------------------------------------


def _context(stack: list[Discount], points: int, fee: int) -> Context:
    return Context(
        coupons=[d.id for d in stack if d.coupon],
        member=True,
        points_balance=points,
        shipping_fee=Money(fee, "CNY"),
    )


@given(
    cart=cart_lines(),
    stack=discount_stacks(),
    policy=stacking_policies(),
    points=st.integers(0, 100_000),
    fee=st.integers(0, 2_000),
)
def test_quote_laws_hold_for_any_stack(
    cart: list[Line], stack: list[Discount], policy: StackingPolicy, points: int, fee: int
) -> None:
    """total = Σ lines; shares sum to each discount; no line negative; floor and caps hold."""
    q = quote(cart, PLAIN, _context(stack, points, fee), policy, offers=stack)
    laws(q)
    goods = [i for i, line in enumerate(q.lines) if not line.shipping]
    goods_total = sum(q.lines[i].total.minor for i in goods)
    if not policy.allow_free:
        assert goods_total >= 1
    by_id = {d.id: d for d in stack}
    for step in q.steps:
        rule = by_id.get(step.name)
        if rule is not None and rule.cap is not None:
            assert step.amount <= rule.cap
    if policy.max_discount_share is not None:
        share = policy.max_discount_share.value
        taken = sum(s.amount.minor for s in q.steps if s.phase in ("item", "order", "points"))
        assert taken <= q.base.minor * share


@given(cart=cart_lines(), stack=discount_stacks(), data=st.data())
def test_best_of_does_not_depend_on_coupon_order(
    cart: list[Line], stack: list[Discount], data: st.DataObject
) -> None:
    """In a best-of class, presenting the coupons in another order gives the same quote."""
    coupons = [attrs.evolve(d, coupon=True, stack_class="coupon") for d in stack]
    policy = StackingPolicy(best_of=["coupon"])
    ids = [d.id for d in coupons]
    shuffled = data.draw(st.permutations(ids))
    first = quote(cart, PLAIN, Context(coupons=ids), policy, offers=coupons)
    second = quote(cart, PLAIN, Context(coupons=shuffled), policy, offers=coupons)
    assert first == second


@given(cart=cart_lines(), stack=discount_stacks(), policy=stacking_policies())
def test_quoting_twice_gives_the_same_quote(
    cart: list[Line], stack: list[Discount], policy: StackingPolicy
) -> None:
    """A quote is a pure function of its inputs: equal and equally hashed."""
    context = _context(stack, 5_000, 500)
    first = quote(cart, PLAIN, context, policy, offers=stack)
    second = quote(cart, PLAIN, context, policy, offers=stack)
    assert first == second
    assert hash(first) == hash(second)
    assert first.explain() == second.explain()


@given(
    unit=st.integers(1, 10_000),
    qty=st.integers(1, 20),
    coupons=st.lists(st.sampled_from(["a5", "p15", "m60", "big"]), unique=True, max_size=4),
)
def test_member_quote_never_drops_below_one_cent(unit: int, qty: int, coupons: list[str]) -> None:
    """quote_member keeps every law, and no coupon takes the amount due below 0.01."""
    campaign = fixed_campaign(
        a5={"kind": "amount_off", "amount": "5"},
        p15={"kind": "percent_off", "percent": "15"},
        m60={"kind": "threshold", "threshold": "60", "amount": "10"},
        big={"kind": "amount_off", "amount": "1000"},
    )
    q = quote_member(campaign, unit_price=Money(unit), qty=qty, coupon_ids=coupons)
    laws(q)
    assert q.total.minor >= 1
    assert q.base == Money(unit * qty)


def test_percent_text_is_exact_where_it_terminates() -> None:
    """Rule texts show shares exactly (70%, 12.5%) and mark the ones that do not end."""
    assert percent_text(Rate("70%").value) == "70%"
    assert percent_text(Rate("1/8").value) == "12.5%"
    assert percent_text(Rate("1/3").value) == "≈33.3%"


@given(total=st.integers(-(10**12), 10**12), weights=int_weights())
def test_minor_allocation_is_money_allocate(total: int, weights: list[int]) -> None:
    """money.allocate_minor, which the engine spreads with, is money.allocate in minor units."""
    expected = [m.minor for m in allocate(Money(total), weights)]
    assert allocate_minor(total, weights) == expected


@given(cart=cart_lines(), amount=st.integers(1, 400_000))
def test_order_discount_lands_on_lines_as_money_allocate_divides_it(
    cart: list[Line], amount: int
) -> None:
    """An order-level discount's shares are money.allocate of its amount by the lines' bases."""
    coupon = Discount("c", "amount_off", amount=Money(amount))
    q = quote(cart, PLAIN, policy=StackingPolicy(allow_free=True), offers=[coupon])
    step = q.step("c")
    assert step is not None
    assert step.shares == allocate(step.amount, [line.base.minor for line in q.lines])


def test_each_twin_the_quote_is_built_from_has_exactly_its_values_slots() -> None:
    """A quote's Money, lines, steps and itself are built as mutable twins and change class:
    each twin has exactly its frozen value's slots, and no value has a __weakref__ slot."""
    for twin, frozen in TWINS:
        slots = frozen.__dict__["__slots__"]
        assert sorted(twin.__slots__) == sorted(slots), frozen.__name__
        assert "__weakref__" not in slots


def test_a_quote_is_made_of_exactly_the_public_classes_and_equals_a_rebuilt_one() -> None:
    """Every value of a quote is an instance of the public class itself (no twin is left
    behind), and the quote equals and hashes as one rebuilt field by field from its parts."""
    quote = quote_member(PLAIN, unit_price=cny("70.00"), qty=3)
    values = [quote, quote.total, quote.base, quote.list_total, *quote.lines, *quote.steps]
    values += [line.total for line in quote.lines] + [step.amount for step in quote.steps]
    assert {type(v).__name__ for v in values} == {"Quote", "Money", "QuoteLine", "Step"}
    assert all(type(v).__module__.startswith("tuangou_core.") for v in values)
    assert all(not type(v).__name__.startswith("_") for v in values)
    rebuilt = attrs.evolve(
        quote,
        lines=tuple(attrs.evolve(line) for line in quote.lines),
        steps=tuple(attrs.evolve(step) for step in quote.steps),
        total=Money(quote.total.minor, quote.total.currency),
    )
    assert rebuilt == quote
    assert hash(rebuilt) == hash(quote)
