"""Rules for expenditure lines — plain Python, no Django. Typed lines, the API and the import all
check every line with `check_line`, so a line refused on the page is refused in a file too.

- Dates: invoice and payment inside the agreement's eligibility period, itself inside the period's
  window (2014-2020: Regulation (EU) No 514/2014 Art. 17(3); 2021-2027: Regulation (EU) 2021/1060
  Art. 63(2)).
- The cost category exists in the budget of the agreement version in force.
- Amounts in euro and cents; positive, except a credit note, which is negative and names the invoice
  it corrects.
- VAT: recoverable VAT is not eligible (Regulation (EU) 2021/1060 Art. 64(1)(c); Regulation (EU)
  No 514/2014 Art. 18 and the national eligibility rules), so the declared amount of such a line is
  at most its amount excluding VAT; never more than the invoice's amount including VAT.
- Simplified costs (2021/1060 Art. 53; 514/2014 Art. 18): units delivered × the agreement's unit
  cost, or a lump sum's amount, computed by AMIS; flat rates are computed by AMIS on their base,
  never typed.
- Above the category's remaining budget: a warning, not a refusal (a transfer or an amendment may
  still cover it; the verifier decides).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from amis.core import messages
from amis.core.messages import gettext as _
from amis.core.money import CENT, cents

REAL, UNIT, LUMP_SUM, FLAT_RATE = "real", "unit", "lump_sum", "flat_rate"
COST_TYPES = (REAL, UNIT, LUMP_SUM, FLAT_RATE)


@dataclass(frozen=True)
class LineInput:
    """An expenditure line as typed or read from a file, already parsed into Python values."""

    category: str
    cost_type: str = REAL
    supplier_name: str = ""
    supplier_number: str = ""
    invoice_number: str = ""
    invoice_date: dt.date | None = None
    payment_date: dt.date | None = None
    description: str = ""
    amount_excl_vat: Decimal | None = None
    amount_incl_vat: Decimal | None = None
    vat_recoverable: bool = False
    amount_declared: Decimal | None = None
    units: Decimal | None = None
    simplified_cost: str = ""
    credit_note_for: str = ""
    document_name: str = ""


@dataclass(frozen=True)
class SimplifiedCostTerms:
    kind: str  # unit or lump_sum (flat rates are computed, not declared on lines)
    category: str
    amount: Decimal


@dataclass(frozen=True)
class LineContext:
    """What a line is checked against: the agreement version in force and the budget left."""

    eligible_start: dt.date
    eligible_end: dt.date
    categories: frozenset[str]
    simplified_costs: Mapping[str, SimplifiedCostTerms] = field(default_factory=dict)
    remaining: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass
class LineCheck:
    """Problems refuse the line (field -> message); warnings are shown and kept."""

    problems: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    amount_declared: Decimal | None = None  # as computed for simplified costs

    def refuse(self, where: str, message: str) -> None:
        self.problems.setdefault(where, message)


def supplier_key(number: str, name: str) -> str:
    """Who an invoice is from, to find the same invoice twice: the enterprise/VAT number without
    dots, spaces or a BE prefix; else the name in lower case, without accents or punctuation."""
    digits = re.sub(r"[\s.\-/]", "", number or "").upper()
    if digits.startswith("BE") and digits[2:].isdigit():
        digits = digits[2:]
    if digits:
        return digits
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _money(value: Decimal | None, where: str, check: LineCheck) -> None:
    if value is not None and value != value.quantize(CENT):
        check.refuse(where, _("Amounts have at most two decimals (cents)."))


def _date_inside(value: dt.date | None, where: str, context: LineContext, check: LineCheck) -> None:
    if value is None:
        return
    if not context.eligible_start <= value <= context.eligible_end:
        check.refuse(
            where,
            _("%(date)s is outside the eligibility period of the agreement (%(start)s – %(end)s).")
            % {
                "date": messages.date(value),
                "start": messages.date(context.eligible_start),
                "end": messages.date(context.eligible_end),
            },
        )


def check_line(line: LineInput, context: LineContext) -> LineCheck:
    check = LineCheck()
    if line.category not in context.categories:
        check.refuse(
            "category",
            _("The agreement's budget has no cost category '%(category)s'.") % {"category": line.category},
        )
    if line.cost_type not in COST_TYPES:
        check.refuse("cost_type", _("Unknown type of cost '%(type)s'.") % {"type": line.cost_type})
        return check
    for where in ("amount_excl_vat", "amount_incl_vat", "amount_declared", "units"):
        _money(getattr(line, where), where, check)
    _date_inside(line.invoice_date, "invoice_date", context, check)
    _date_inside(line.payment_date, "payment_date", context, check)
    if line.cost_type == FLAT_RATE:
        check.refuse("cost_type", _("Flat rates are computed by AMIS on their base; they are not declared."))
        return check
    if line.cost_type == REAL:
        _check_real(line, check)
    else:
        _check_simplified(line, context, check)
    declared = check.amount_declared
    if declared is not None and not check.problems:
        left = context.remaining.get(line.category)
        if left is not None and declared > left:
            check.warnings["amount_declared"] = _(
                "This line is above what is left of the category's budget (%(left)s)."
            ) % {"left": messages.amount(left)}
    return check


def _check_real(line: LineInput, check: LineCheck) -> None:
    # the messages are translated only when a line needs them (an import checks 100,000 lines)
    if not line.supplier_name:
        check.refuse("supplier_name", _("Name the supplier."))
    if not line.invoice_number:
        check.refuse("invoice_number", _("Give the invoice number."))
    if line.invoice_date is None:
        check.refuse("invoice_date", _("Give the invoice date."))
    if line.amount_declared is None:
        check.refuse("amount_declared", _("Give the amount declared."))
    declared = line.amount_declared
    if declared is None:
        return
    credit = bool(line.credit_note_for.strip())
    if credit and declared >= 0:
        check.refuse("amount_declared", _("A credit note is declared as a negative amount."))
    if not credit and declared <= 0:
        check.refuse(
            "amount_declared",
            _(
                "The amount declared is positive; a credit note is negative and names the invoice it "
                "corrects."
            ),
        )
    excl, incl = line.amount_excl_vat, line.amount_incl_vat
    if excl is not None and incl is not None and abs(excl) > abs(incl):
        check.refuse("amount_excl_vat", _("The amount excluding VAT is more than the amount including VAT."))
    if incl is not None and abs(declared) > abs(incl):
        check.refuse("amount_declared", _("The amount declared is more than the invoice including VAT."))
    if line.vat_recoverable and excl is not None and abs(declared) > abs(excl):
        check.refuse(
            "amount_declared",
            _(
                "Recoverable VAT is not eligible (Regulation (EU) 2021/1060 Art. 64(1)(c)): declare at most "
                "the amount excluding VAT, %(excl)s."
            )
            % {"excl": messages.amount(excl)},
        )
    check.amount_declared = declared


def _check_simplified(line: LineInput, context: LineContext, check: LineCheck) -> None:
    option = context.simplified_costs.get(line.simplified_cost)
    if option is None or option.kind != line.cost_type:
        check.refuse(
            "simplified_cost",
            _("The agreement has no such simplified cost option '%(code)s'.")
            % {"code": line.simplified_cost},
        )
        return
    if option.category != line.category:
        check.refuse(
            "category",
            _("Simplified cost '%(code)s' belongs to the category %(category)s.")
            % {"code": line.simplified_cost, "category": option.category},
        )
    if line.cost_type == UNIT:
        if line.units is None or line.units <= 0:
            check.refuse("units", _("Give the number of units delivered (more than zero)."))
            return
        computed = cents(line.units * option.amount)
    else:
        computed = option.amount
    if line.amount_declared is not None and line.amount_declared != computed:
        check.refuse(
            "amount_declared",
            _("AMIS computes this line: %(computed)s. Leave the amount empty or give that amount.")
            % {"computed": messages.amount(computed)},
        )
    check.amount_declared = computed
