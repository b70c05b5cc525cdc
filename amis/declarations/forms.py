"""Forms of the declaration pages: amounts and dates typed as the reader's language writes them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import AmountField, DateField
from amis.declarations.models import CommissionReceipt


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ApplicationForm(forms.Form):
    year = forms.IntegerField(
        label=_("Financial or accounting year (the calendar year in which it ends)"),
        min_value=2014,
        max_value=2035,
    )


class HoldForm(LockForm):
    reason = forms.CharField(
        label=_("Why the item is held back (the assessment under way)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReintroduceForm(LockForm):
    item = forms.IntegerField(label=_("Held-back item"), widget=forms.Select)


class SubmitForm(LockForm):
    submitted_on = DateField(label=_("Date sent to the Commission"))


class ReceiptForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of receipt"), choices=CommissionReceipt.Kind.choices)
    received_on = DateField(label=_("Date received (the bank's date)"))
    amount = AmountField(label=_("Amount received"))
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
