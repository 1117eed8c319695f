"""The orders' rows of the statement's JSON form (:meth:`Statement.to_data`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tuangou_core.money import Money, format_minor
from tuangou_core.settlement import Split

if TYPE_CHECKING:
    from tuangou_core.reporting._statement import OrderLine


class OrderData:
    """The orders' JSON rows. A busy day's orders share a handful of amounts and splits, so
    each amount's text and each split's row is written once (the rows themselves are each
    their own dicts: a caller may edit one without touching another)."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.texts: dict[int, str] = {}
        self.splits: dict[int, tuple[Split, dict[str, str]]] = {}

    def text(self, amount: Money) -> str:
        found = self.texts.get(amount.minor)
        if found is None or amount.currency != self.currency:
            found = str(amount)
            if amount.currency == self.currency:
                self.texts[amount.minor] = found
        return found

    def minor_text(self, minor: int) -> str:
        found = self.texts.get(minor)
        if found is None:
            found = self.texts[minor] = format_minor(minor, self.currency)
        return found

    def split(self, split: Split) -> dict[str, str]:
        text = self.text
        row = {name: text(value) for name, value in split.parts().items()}
        row["subsidy"] = text(split.subsidy)
        self.splits[id(split)] = (split, row)
        return row

    def rows(self, orders: Sequence[OrderLine]) -> list[dict[str, Any]]:
        text, minor_text, texts, splits = self.text, self.minor_text, self.texts, self.splits
        currency = self.currency
        out = []
        for order in orders:
            due, paid, refunded = order.due, order.paid, order.refunded
            if due.currency == paid.currency == refunded.currency == currency:
                net = paid.minor - refunded.minor
                figures = [
                    texts.get(due.minor) or minor_text(due.minor),
                    texts.get(paid.minor) or minor_text(paid.minor),
                    texts.get(refunded.minor) or minor_text(refunded.minor),
                    texts.get(net) or minor_text(net),
                ]
            else:  # a statement built by hand may mix currencies: each amount says its own
                figures = [text(due), text(paid), text(refunded), text(order.net)]
            split = order.split
            known = splits.get(id(split))
            row = known[1] if known is not None and known[0] is split else self.split(split)
            data: dict[str, Any] = {
                "group": order.group,
                "member": order.member,
                "status": order.status,
                "due": figures[0],
                "paid": figures[1],
                "refunded": figures[2],
                "net": figures[3],
                "refunds": [
                    {"id": r.refund_id, "amount": text(r.amount), "reason": r.reason._value_}
                    for r in order.refunds
                ]
                if order.refunds
                else [],
                "split": dict(row),
            }
            if order.points is not None:
                data["points"] = order.points
            out.append(data)
        return out
