"""Page forms of grants: the call's grant terms, a draft's terms, signatures, amendments, transfers.
Rates are typed in per cent and amounts and dates in the reader's format (amis.core.formfields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import AmountField, DateField, PercentField
from amis.projects.labels import CATEGORY_LABELS, SCO_KIND_LABELS


class GrantTermsForm(forms.Form):
    interim_report_months = forms.IntegerField(
        label=_("An interim report every (months; 0: none)"), min_value=0, max_value=60
    )
    report_due_days = forms.IntegerField(
        label=_("Reports due (days after their period)"), min_value=1, max_value=365
    )
    transfer_tolerance = PercentField(
        label=_("Tolerance for budget transfers (per cent of the receiving category)")
    )
    prefinancing_share = PercentField(label=_("Pre-financing share (per cent of the grant)"))
    special_conditions = forms.CharField(
        label=_("Special conditions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class SimplifiedCostForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind"), choices=list(SCO_KIND_LABELS.items()))
    category = forms.ChoiceField(label=_("Cost category"), choices=list(CATEGORY_LABELS.items()))
    label = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = AmountField(label=_("Amount (unit cost or lump sum)"), required=False)
    rate = PercentField(label=_("Rate (flat rate)"), required=False)
    unit = forms.CharField(label=_("Unit (e.g. participant-day)"), max_length=60, required=False)


class PeriodForm(forms.Form):
    start = DateField(label=_("Eligibility period: start"))
    end = DateField(label=_("Eligibility period: end"))


class SignForm(forms.Form):
    signatory = forms.CharField(label=_("Who signed"), max_length=200)
    signed_on = DateField(label=_("Date of signature"))


class TransferForm(forms.Form):
    from_category = forms.ChoiceField(label=_("From cost category"))
    to_category = forms.ChoiceField(label=_("To cost category"))
    amount = AmountField(label=_("Amount"))
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, categories: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(c, str(CATEGORY_LABELS.get(c, c))) for c in categories or []]
        self.fields["from_category"].choices = choices  # type: ignore[attr-defined]
        self.fields["to_category"].choices = choices  # type: ignore[attr-defined]
