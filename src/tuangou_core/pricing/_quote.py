"""The values of a quote: cart lines, priced lines, steps, and the quote that explains itself.

The invariants, for every quote: ``total == Σ line totals``; each step's shares sum to its
amount; no line is negative; ``list_total − discount_total == total``.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from tuangou_core._records import Record, Records, amount_columns, amount_names
from tuangou_core._text import display_width, html_table
from tuangou_core.campaign import Funder, check_id, check_quantity
from tuangou_core.errors import InvalidInput
from tuangou_core.money import Money


def _optional_price(value: object, field: str) -> Money | None:
    if value is None:
        return None
    if not isinstance(value, Money) or value.minor < 0:
        raise InvalidInput(
            "invalid_price",
            f"{field} must be an amount of zero or more, got {type(value).__name__}",
            field=field,
            value=str(value) if isinstance(value, Money) else type(value).__name__,
        )
    return value


def _unit_price(value: Money | None) -> Money | None:
    return _optional_price(value, "unit_price")


def _list_price(value: Money | None) -> Money | None:
    return _optional_price(value, "list_price")


def _qty(value: int) -> int:
    return check_quantity(value)


def _sku(value: str) -> str:
    return check_id(value, "sku", "invalid_line")


QUOTE_COLUMNS: Final = (
    "line",
    "sku",
    "qty",
    "step",
    "kind",
    "name",
    "rule",
    "funder",
    "phase",
    "currency",
    *amount_names("amount"),
)
"""The columns of a quote record (:meth:`Quote.to_records`): one per line × step."""


@attrs.frozen
class Line:
    """A cart line to price.

    Args:
        sku: the product's id.
        qty: units, at least 1.
        unit_price: the price paid before discounts; the campaign's group price for the
            context's role and group size when unset.
        list_price: the single-buy unit price shown first; the campaign's list price when
            ``unit_price`` is unset, else ``unit_price``.
    """

    sku: str = attrs.field(converter=_sku)
    qty: int = attrs.field(default=1, converter=_qty)
    unit_price: Money | None = attrs.field(default=None, converter=_unit_price)
    list_price: Money | None = attrs.field(default=None, converter=_list_price)


@attrs.frozen(weakref_slot=False)  # see pricing._quoting: built as a twin
class QuoteLine:
    """A priced line: list and base amounts, and the amount due after every step."""

    sku: str
    qty: int
    list_price: Money
    unit_price: Money
    list_total: Money
    base: Money
    total: Money
    shipping: bool = False


@attrs.frozen(weakref_slot=False)  # see pricing._quoting: built as a twin
class Step:
    """One discount as applied: its rule, its funder, its amount and its share on each line.

    ``shares`` lines up with :attr:`Quote.lines` and sums to ``amount`` (``minor_shares`` is
    the same in minor units). ``note`` records a cap or floor that trimmed it; ``points`` the
    points it redeemed.
    """

    kind: str
    name: str
    rule: str
    funder: Funder
    amount: Money
    minor_shares: tuple[int, ...]
    phase: str
    note: str = ""
    points: int = 0

    @property
    def shares(self) -> tuple[Money, ...]:
        """This step's share of each line of the quote, in line order."""
        currency = self.amount.currency
        return tuple(Money._trusted(minor, currency) for minor in self.minor_shares)


@attrs.frozen
class Skipped:
    """A discount that was in play but took nothing, and why."""

    name: str
    reason: str


@attrs.frozen(weakref_slot=False)  # see pricing._quoting: built as a twin
class Quote:
    """What an order costs and how: every step from the list price to the amount due.

    ``list_total − discount_total == total == Σ line totals``.
    """

    currency: str
    list_total: Money
    base: Money
    steps: tuple[Step, ...]
    lines: tuple[QuoteLine, ...]
    total: Money
    skipped: tuple[Skipped, ...] = ()

    @property
    def discount_total(self) -> Money:
        """Every step together: the group price below list included."""
        return Money._trusted(sum(s.amount.minor for s in self.steps), self.currency)

    @property
    def points_used(self) -> int:
        """Points redeemed by this order."""
        return sum(s.points for s in self.steps)

    def funded_by(self, funder: Funder | str) -> Money:
        """The discounts paid for by *funder* (merchant, platform or leader)."""
        who = funder if isinstance(funder, Funder) else _funder(funder)
        return Money._trusted(
            sum(s.amount.minor for s in self.steps if s.funder is who), self.currency
        )

    def step(self, name: str) -> Step | None:
        """The step named *name* (a discount or coupon id, or ``"group price"``), or None."""
        for step in self.steps:
            if step.name == name:
                return step
        return None

    def line_shares(self, index: int) -> tuple[tuple[str, Money], ...]:
        """Line *index*'s share of each step, by step name (zero shares left out)."""
        return tuple(
            (s.name, Money._trusted(s.minor_shares[index], self.currency))
            for s in self.steps
            if s.minor_shares[index]
        )

    def explain(self) -> str:
        """The steps as a finance reader follows them; the last line sums the lines above."""
        rows: list[tuple[str, Money, str]] = []
        for line in self.lines:
            if line.shipping:
                rows.append(("shipping fee", line.list_total, ""))
            else:
                rows.append(
                    (f"list price {line.sku} {line.qty} × {line.list_price}", line.list_total, "")
                )
        for step in self.steps:
            note = f"funded by {step.funder.value}"
            if step.points:
                note += f", {step.points} points"
            if step.note:
                note += f"; {step.note}"
            rows.append((f"{step.name} ({step.rule})", -step.amount, note))
        rows.append(("due", self.total, ""))
        width = max(display_width(label) for label, _, _ in rows) + 2
        out = []
        for label, amount, note in rows:
            text = str(amount).replace("-", "−")
            pad = " " * (width - display_width(label))
            out.append(f"{label}{pad}{text:>12}{'   ' + note if note else ''}")
        out.extend(f"(skipped {s.name}: {s.reason})" for s in self.skipped)
        return "\n".join(out)

    def to_records(self) -> Records:
        """One record per line × step (:data:`QUOTE_COLUMNS`), for a DataFrame.

        Each line starts with its list total (``step`` 0, ``kind`` ``"list_price"``, or
        ``"shipping"`` for a shipping line), then one record per step with the line's share
        as a negative amount: a line's ``amount_minor`` sum to its total, and all of them to
        the quote's. Steps are numbered from 1 in stacking order; every line has every step
        (a zero share too), so a pivot has no holes.
        """
        records = Records(QUOTE_COLUMNS)
        for index, line in enumerate(self.lines):
            first = "shipping" if line.shipping else "list_price"
            records.append(
                self._record(
                    index, line, 0, first, first.replace("_", " "), "", None, "", line.list_total
                )
            )
            for number, step in enumerate(self.steps, start=1):
                share = Money._trusted(-step.minor_shares[index], self.currency)
                records.append(
                    self._record(
                        index,
                        line,
                        number,
                        step.kind,
                        step.name,
                        step.rule,
                        step.funder.value,
                        step.phase,
                        share,
                    )
                )
        return records

    def _record(
        self,
        index: int,
        line: QuoteLine,
        number: int,
        kind: str,
        name: str,
        rule: str,
        funder: str | None,
        phase: str,
        amount: Money,
    ) -> Record:
        return {
            "line": index,
            "sku": line.sku,
            "qty": line.qty,
            "step": number,
            "kind": kind,
            "name": name,
            "rule": rule,
            "funder": funder,
            "phase": phase,
            "currency": self.currency,
            **amount_columns("amount", amount),
        }

    def to_frame(self) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame`` (the ``[pandas]`` extra).

        Raises:
            InvalidInput: ``missing_extra`` when pandas is not installed.
        """
        return self.to_records().to_frame()

    def __repr__(self) -> str:
        return (
            f"<Quote {self.total} due: list {self.list_total}, {len(self.steps)} steps, "
            f"{len(self.lines)} lines>"
        )

    def _repr_html_(self) -> str:
        rows: list[tuple[str, str, str]] = [
            (f"{line.sku} {line.qty} × {line.list_price}", str(line.list_total), "")
            for line in self.lines
        ]
        rows += [
            (f"{step.name} ({step.rule})", f"−{step.amount}", step.funder.value)
            for step in self.steps
        ]
        rows.append(("due", str(self.total), ""))
        return html_table(("step", "amount", "funded by"), rows)

    def to_data(self) -> dict[str, Any]:
        """A JSON-safe dict: amounts as decimal strings, enums as their values."""
        return {
            "currency": self.currency,
            "list_total": str(self.list_total),
            "base": str(self.base),
            "discount_total": str(self.discount_total),
            "total": str(self.total),
            "points_used": self.points_used,
            "funded_by": {f.value: str(self.funded_by(f)) for f in Funder},
            "lines": [
                {
                    "sku": line.sku,
                    "qty": line.qty,
                    "list_price": str(line.list_price),
                    "unit_price": str(line.unit_price),
                    "list_total": str(line.list_total),
                    "base": str(line.base),
                    "total": str(line.total),
                    "shipping": line.shipping,
                }
                for line in self.lines
            ],
            "steps": [
                {
                    "kind": s.kind,
                    "name": s.name,
                    "rule": s.rule,
                    "funder": s.funder.value,
                    "phase": s.phase,
                    "amount": str(s.amount),
                    "shares": [str(m) for m in s.shares],
                    "note": s.note,
                    "points": s.points,
                }
                for s in self.steps
            ],
            "skipped": [{"name": s.name, "reason": s.reason} for s in self.skipped],
        }


def _funder(value: object) -> Funder:
    try:
        return Funder(value)
    except ValueError:
        raise InvalidInput(
            "invalid_funder",
            f"funder must be 'merchant', 'platform' or 'leader', got {value!r}",
            field="funder",
            value=value,
        ) from None
