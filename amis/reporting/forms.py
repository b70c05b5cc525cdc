"""Forms of the report page: an expenditure line, and the narrative with the indicators. Amounts and
dates are typed as the reader's language writes them (`amis.core.formfields`); the services check
the rest and their problems are put back next to each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.applications.labels import COST_LABELS
from amis.core.errors import ApplicationError
from amis.core.formfields import AmountField, DateField, NumberField
from amis.reporting import rules
from amis.reporting.indicators import breakdowns

COST_TYPES = [
    (rules.REAL, _("real cost")),
    (rules.UNIT, _("unit cost")),
    (rules.LUMP_SUM, _("lump sum")),
]


class ServiceErrors:
    def add_service_errors(self: Any, error: ApplicationError) -> None:
        """Each of the service's problems next to its field; the rest above the form."""
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data: dict[str, Any] = {}
        problems = error.extra.get("fields") or {}
        if not problems:
            self.add_error(None, error.message)
            return
        for key, message in problems.items():
            name = self.field_name(key)
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, message)

    def field_name(self, key: str) -> str:
        return key


class LineForm(ServiceErrors, forms.Form):
    category = forms.ChoiceField(label=_("Cost category"))
    cost_type = forms.ChoiceField(label=_("Type of cost"), choices=COST_TYPES, initial=rules.REAL)
    supplier_name = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    supplier_number = forms.CharField(label=_("Enterprise or VAT number"), max_length=20, required=False)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=60, required=False)
    invoice_date = DateField(label=_("Invoice date"), required=False)
    payment_date = DateField(label=_("Payment date"), required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount_excl_vat = AmountField(label=_("Amount excluding VAT (€)"), required=False)
    amount_incl_vat = AmountField(label=_("Amount including VAT (€)"), required=False)
    vat_recoverable = forms.BooleanField(label=_("VAT recoverable"), required=False)
    amount_declared = AmountField(
        label=_("Amount declared (€)"),
        required=False,
        help_text=_("Left empty for a simplified cost: AMIS computes it."),
    )
    units = NumberField(label=_("Units delivered"), required=False)
    simplified_cost = forms.ChoiceField(label=_("Simplified cost option"), required=False)
    credit_note_for = forms.CharField(
        label=_("Credit note for invoice"),
        max_length=60,
        required=False,
        help_text=_("Only for a credit note: a negative amount and the invoice it corrects."),
    )
    document = forms.FileField(label=_("Supporting document"), required=False)

    def __init__(self, *args: Any, context: rules.LineContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category, option = self.fields["category"], self.fields["simplified_cost"]
        assert isinstance(category, forms.ChoiceField) and isinstance(option, forms.ChoiceField)
        category.choices = [(c, COST_LABELS.get(c, c)) for c in sorted(context.categories)]
        option.choices = [("", "—")] + [
            (code, f"{code} ({terms.category})") for code, terms in sorted(context.simplified_costs.items())
        ]

    def data_for_service(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "document"}


class ReportForm(ServiceErrors, forms.Form):
    """The overall progress, the progress per work-plan activity, the indicators with their
    breakdowns (fields made from the agreement's terms)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.CharField(
        label=_("Overall progress in the period"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(
        self, *args: Any, activities: list[str], indicators: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activity_names = activities
        self.indicator_rows = indicators
        self.activity_fields: list[str] = []
        self.indicator_fields: list[dict[str, Any]] = []
        for index, name in enumerate(activities):
            key = f"activity_{index}"
            self.fields[key] = forms.CharField(
                label=name, widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.activity_fields.append(key)
        for row in indicators:
            code = row["code"]
            value = f"indicator_{code}"
            self.fields[value] = NumberField(
                label=_("%(code)s: achieved in the period") % {"code": code}, required=False
            )
            parts = []
            for key, label in breakdowns(code):
                name = f"indicator_{code}__{key}"
                self.fields[name] = NumberField(label=label, required=False)
                parts.append(name)
            comment = f"indicator_{code}__comment"
            self.fields[comment] = forms.CharField(label=_("Comment"), required=False, max_length=2000)
            self.indicator_fields.append(
                {
                    "code": code,
                    "target": row.get("target"),
                    "value": value,
                    "parts": parts,
                    "comment": comment,
                }
            )

    def field_name(self, key: str) -> str:
        if key.startswith("activities."):
            index = key.split(".", 1)[1]
            return f"activity_{index}" if index.isdigit() else key
        if key.startswith("indicators."):
            rest = key.split(".", 1)[1]
            for row in self.indicator_fields:
                code = row["code"]
                if rest == code:
                    return str(row["value"])
                if rest.startswith(code + "."):
                    return f"indicator_{code}__{rest[len(code) + 1 :]}"
        return key

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        activities = [
            {"activity": name, "progress": data.get(f"activity_{i}") or ""}
            for i, name in enumerate(self.activity_names)
        ]
        indicators: dict[str, Any] = {}
        for row in self.indicator_fields:
            value = data.get(row["value"])
            if value is None:
                continue
            parts = {
                name.split("__", 1)[1]: data[name] for name in row["parts"] if data.get(name) is not None
            }
            indicators[row["code"]] = {
                "value": value,
                "breakdown": parts,
                "comment": data.get(row["comment"], ""),
            }
        return {"progress": data.get("progress", ""), "activities": activities, "indicators": indicators}
