"""Forms of the desk verification: the lines' filter (GET) and the bulk decision (POST); amounts
typed in the reader's language (`AmountField`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import AmountField
from amis.projects.labels import CATEGORY_LABELS
from amis.verification.models import LineDecision

SCOPES = [
    ("ticked", _("the lines ticked")),
    ("page", _("every line on this page")),
    ("matching", _("every line matching the filter")),
]


class LineFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Cost category"), required=False)
    supplier = forms.CharField(label=_("Supplier (name or number)"), required=False, max_length=100)
    amount_from = AmountField(label=_("Amount from (€)"), required=False)
    amount_to = AmountField(label=_("Amount to (€)"), required=False)
    undecided = forms.BooleanField(label=_("Only lines not decided yet"), required=False)

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("all categories"))] + [
            (c, str(CATEGORY_LABELS.get(c, c))) for c in categories
        ]

    def filters(self) -> dict[str, Any]:
        """The service's filters (only those given)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v not in (None, "", False)}


class DecisionForm(forms.Form):
    scope = forms.ChoiceField(label=_("Decide"), choices=SCOPES, widget=forms.RadioSelect, initial="ticked")
    decision = forms.ChoiceField(
        label=_("Decision"), choices=LineDecision.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(label=_("Reason (ineligible or reduced)"), required=False)
    reason_text = forms.CharField(
        label=_("Explanation"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    eligible = AmountField(
        label=_("Amount kept (€, a reduced line only)"),
        required=False,
        help_text=_("A reduction is decided for one line at a time."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *LineDecision.Reason.choices]
