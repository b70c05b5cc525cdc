"""Forms of the sampling pages: amounts typed as the reader's language writes them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import AmountField, DateField, NumberField
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
    capped = forms.BooleanField(
        label=_(
            "Cap the sample at 50 units (2021-2027, MUS, system in category 1 or 2, programme not under "
            "CPR Art. 83: Delegated Regulation (EU) 2023/67 Art. 5(7))"
        ),
        required=False,
    )

    def __init__(self, *args: object, strata: list[str] | None = None, **kwargs: object) -> None:
        """`strata`: the population's strata (specific objectives), each with its own σr field for
        stratified MUS."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.strata = list(strata or [])
        for index, name in enumerate(self.strata):
            self.fields[f"sigma_{index}"] = NumberField(
                label=_("σr of stratum %(stratum)s (stratified MUS; empty: the σr above)")
                % {"stratum": name},
                places=6,
                required=False,
            )

    def sigmas(self) -> dict[str, object]:
        """Stratum → σr as typed (stratified MUS), the empty ones left out."""
        data = self.cleaned_data
        return {
            name: data[f"sigma_{i}"]
            for i, name in enumerate(self.strata)
            if data.get(f"sigma_{i}") is not None
        }

    def draw_arguments(self) -> dict[str, object]:
        """The cleaned data as `services.sample_draw` takes it."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("sigma_")}
        if data.get("method") == Sample.Method.MUS_STRATIFIED:
            data["sigmas"] = self.sigmas()
        return data


class PlanForm(forms.Form):
    """Two-period sampling: period 1 now, period 2's book value and σr as forecasts."""

    programme = forms.ChoiceField(label=_("Programme"))
    year = forms.IntegerField(
        label=_("Accounting year (the calendar year in which it ends)"), min_value=2014, max_value=2035
    )
    unit_kind = forms.ChoiceField(label=_("Sampling unit"), choices=AuditPopulation.UnitKind.choices)
    cutoff_date = DateField(
        label=_("Period 1's cut-off date (payment applications submitted on or before it)")
    )
    category = SampleForm.base_fields["category"]
    confidence = SampleForm.base_fields["confidence"]
    sigma_r1 = NumberField(label=_("σr of period 1 (standard deviation of the error rates)"), places=6)
    sigma_r2 = NumberField(label=_("σr of period 2 (forecast)"), places=6)
    bv2_forecast = AmountField(label=_("Book value of period 2 (forecast)"))
    anticipated_error = AmountField(label=_("Anticipated error (AE)"))
    seed = forms.IntegerField(
        label=_("Seed of period 1 (leave empty for a new random seed)"),
        min_value=0,
        max_value=2**63 - 1,
        required=False,
    )

    def __init__(self, *args: object, programmes: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["programme"].choices = [(c, c) for c in programmes or []]  # type: ignore[attr-defined]


class SecondPeriodForm(LockForm):
    sigma_r2 = NumberField(
        label=_("σr of period 2 as you expect it now (empty: the forecast)"), places=6, required=False
    )
    seed = forms.IntegerField(
        label=_("Seed of period 2 (leave empty for a new random seed)"),
        min_value=0,
        max_value=2**63 - 1,
        required=False,
    )


class SubsampleForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed of the sub-sample (leave empty for a new random seed)"),
        min_value=0,
        max_value=2**63 - 1,
        required=False,
    )


class LineForm(LockForm):
    audited_value = AmountField(label=_("Audited value (expenditure found eligible)"), required=False)
    error = AmountField(label=_("Error found in the line"), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )


class SubsampleProjectForm(LockForm):
    error_kind = forms.ChoiceField(
        label=_("Type of error"), choices=SampledItem.ErrorKind.choices, required=False
    )
    justification = forms.CharField(
        label=_("Justification of an anomalous error (why it is unique)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
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
