"""Forms of the public pages (the list's filters) and of the officers' exclusion pages; dates typed as
the reader's language writes them (core.formfields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import DateField
from amis.public.models import PublicationExclusion


class OperationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (code, name, purpose, beneficiary)"), max_length=100, required=False)
    period = forms.ChoiceField(label=_("Programming period"), required=False)
    specific_objective = forms.ChoiceField(label=_("Specific objective"), required=False)
    beneficiary = forms.CharField(label=_("Beneficiary"), max_length=100, required=False)
    municipality = forms.CharField(label=_("Municipality or postcode"), max_length=100, required=False)
    starts_from = DateField(label=_("Starting on or after"), required=False)
    ends_by = DateField(label=_("Ending on or before"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("all"))]
        self.fields["period"].choices = every + [(c, c) for c in choices["periods"]]  # type: ignore[attr-defined]
        self.fields["specific_objective"].choices = every + [  # type: ignore[attr-defined]
            (c, c) for c in choices["specific_objectives"]
        ]


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ExclusionForm(forms.Form):
    project = forms.CharField(label=_("Operation (project reference)"), max_length=60)
    reason = forms.ChoiceField(label=_("Reason"), choices=PublicationExclusion.Reason.choices)
    text = forms.CharField(
        label=_("Explanation (for the record, never published)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(LockForm):
    reason = forms.CharField(
        label=_("Why the exclusion is withdrawn"), widget=forms.Textarea(attrs={"rows": 2})
    )


class LocationForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    municipality = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    nuts_code = forms.CharField(label=_("NUTS code (e.g. BE21)"), max_length=5, required=False)
    country_wide = forms.BooleanField(label=_("Mobile or country-wide operation"), required=False)
    location_note = forms.CharField(label=_("Note on the location"), max_length=300, required=False)
    beneficiary_is_natural_person = forms.BooleanField(
        label=_("The beneficiary is a natural person (never named in public)"), required=False
    )

    @staticmethod
    def initial_for(details: Any) -> dict[str, Any]:
        if details is None:
            return {}
        return {
            "lock_version": details.lock_version,
            "postcode": details.postcode,
            "municipality": details.municipality,
            "nuts_code": details.nuts_code,
            "country_wide": details.country_wide,
            "location_note": details.location_note,
            "beneficiary_is_natural_person": details.beneficiary_is_natural_person,
        }
