"""Forms of the sampling pages: amounts typed as the reader's language writes them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import AmountField, NumberField
from amis.sampling.models import AuditPopulation, Sample, SampledItem
from amis.sampling.rules import tables

CONFIDENCE_CHOICES = [("", _("from the category"))] + [(str(c), f"{c} %") for c in sorted(tables.Z_VALUES)]
CATEGORY_CHOICES = [("", _("none (give the confidence level)"))] + [
    (str(c), f"{c}") for c in sorted(tables.CONFIDENCE_BY_CATEGORY)
]


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PopulationForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    year = forms.IntegerField(
        label=_("Accounting year (the calendar year in which it ends)"), min_value=2014, max_value=2035
    )
    unit_kind = forms.ChoiceField(label=_("Sampling unit"), choices=AuditPopulation.UnitKind.choices)

    def __init__(self, *args: object, programmes: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["programme"].choices = [(c, c) for c in programmes or []]  # type: ignore[attr-defined]


class SampleForm(forms.Form):
    method = forms.ChoiceField(label=_("Sampling method"), choices=Sample.Method.choices)
    category = forms.TypedChoiceField(
        label=_("System audits' category (1 works well … 4 does not work)"),
        choices=CATEGORY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence level"), choices=CONFIDENCE_CHOICES, coerce=int, empty_value=None, required=False
    )
    sigma = NumberField(
        label=_("Anticipated standard deviation (σr of the error rates for MUS, σe of the errors otherwise)"),
        places=6,
    )
    anticipated_error = AmountField(label=_("Anticipated error (AE)"))
    seed = forms.IntegerField(
        label=_("Seed (leave empty for a new random seed)"), min_value=0, max_value=2**63 - 1, required=False
    )


class ItemForm(LockForm):
    audited_value = AmountField(label=_("Audited value (expenditure found eligible)"), required=False)
    irregular = AmountField(label=_("Irregular amount (error)"), required=False)
    error_kind = forms.ChoiceField(
        label=_("Type of error"), choices=SampledItem.ErrorKind.choices, required=False
    )
    justification = forms.CharField(
        label=_("Justification of an anomalous error (why it is unique)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    auditee_reply = forms.CharField(
        label=_("The auditee's reply"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )


class DocumentForm(forms.Form):
    document = forms.FileField(label=_("Document (PDF, image, office file; 10 MB at most)"))


class ProjectForm(LockForm):
    systemic_extent = AmountField(
        label=_("Delimited extent of the systemic errors in the population (empty: those found)"),
        required=False,
    )
    corrections = AmountField(label=_("Financial corrections applied for the year"), required=False)
