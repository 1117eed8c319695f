"""Money and allocate: exact amounts in fen, and divisions that never lose a cent.

Run it with ``.venv/bin/python examples/notebook_money.py``; paste the cells into a notebook.
"""

from __future__ import annotations

from decimal import Decimal

from tuangou_core.errors import TuangouError
from tuangou_core.money import Money, Rate, Rounding, allocate, split

# Amounts are decimal strings (or Decimal, or whole yuan as int); they hold an int of fen.
price = Money.parse("70.00", "CNY")
print("unit price:", price, repr(price))
print("five of them:", price * 5)

# A float is refused: binary floats cannot hold 0.1 exactly.
try:
    Money.parse(0.1, "CNY")  # type: ignore[arg-type]
except TuangouError as error:
    print("refused:", error.code)

# A rate applies with a named rounding: 0.6% of 22.00 is 0.132, half-up 0.13.
fee = Rate.parse("0.006").apply(Money.parse("22.00"), rounding=Rounding.HALF_UP)
print("payment fee on 22.00:", fee)

# 10.00 off an order of three lines (30.00, 20.00, 49.90), in proportion to the lines.
lines = [Money.parse("30.00"), Money.parse("20.00"), Money.parse("49.90")]
shares = allocate(Money.parse("10.00"), [line.minor for line in lines])
print("coupon shares:", ", ".join(str(s) for s in shares))
print("shares add up:", sum(shares, Money.zero("CNY")))

# 100.00 among three members: 33.34 + 33.33 + 33.33, the extra fen to the first.
print("split three ways:", ", ".join(str(s) for s in split(Money.parse("100.00"), 3)))

# Weights may be Decimal too: 60/40 of 0.05.
print(
    "60/40 of 0.05:",
    ", ".join(str(s) for s in allocate(Money.parse("0.05"), [Decimal("0.6"), Decimal("0.4")])),
)

# Yen have no minor unit.
print("JPY:", Money.parse("1500", "JPY"))
