"""Forms of findings, irregularities and the beneficiary's reply to a visit; amounts and dates typed in
the reader's language (`AmountField`, `DateField`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import AmountField, DateField
from amis.verification.models import Finding, Irregularity

STEP_CHOICES = [
    (Irregularity.Status.ESTABLISHED, _("established: the irregularity is confirmed")),
    (Irregularity.Status.CLOSED, _("closed: followed up, or not confirmed")),
]


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.Severity.choices)
    amount_at_stake = AmountField(label=_("Amount at stake (€, optional)"), required=False)
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class IrregularityForm(forms.Form):
    type = forms.ChoiceField(label=_("Type of irregularity"), choices=Irregularity.Type.choices)
    amount = AmountField(label=_("Amount concerned (€)"))
    detected_on = DateField(label=_("Detected on"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))


class StatusForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("New status"), choices=STEP_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (what confirmed it, how it was followed up, or why it is not confirmed)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IrregularityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any"))] + Irregularity.Status.choices, required=False
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("any"))] + Irregularity.Type.choices, required=False
    )
    project = forms.CharField(label=_("Project reference"), max_length=40, required=False)


class ReplyForm(forms.Form):
    """The reply to the visit, and one optional reply per finding (`finding_<id>`)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reply = forms.CharField(
        label=_("Your reply to the visit"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )

    def __init__(self, *args: Any, findings: list[Finding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, finding in enumerate(findings, start=1):
            self.fields[f"finding_{finding.pk}"] = forms.CharField(
                label=_("Your reply to finding %(n)s (optional)") % {"n": number},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=10000,
                initial=finding.beneficiary_reply,
            )

    def finding_replies(self) -> dict[int, str]:
        return {
            int(name.removeprefix("finding_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("finding_")
        }
