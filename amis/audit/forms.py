"""Forms of the audit authority's pages: dates typed as the reader's language writes them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.audit import rules
from amis.audit.models import AuditedBody, AuditFinding, ControlReport
from amis.core.formfields import DateField

RISK_LABELS = {
    "size": _("Amounts managed by the body"),
    "complexity": _("Complexity of its tasks and operations"),
    "changes": _("Changes in staff, procedures or IT since the last audit"),
    "previous_results": _("Results of previous audits"),
    "time_since_audit": _("Time since the body was last audited"),
}
CATEGORY_LABELS = {
    1: _("1 - Works well, no or only minor improvements needed"),
    2: _("2 - Works, some improvements needed"),
    3: _("3 - Works partially, substantial improvements needed"),
    4: _("4 - Essentially does not work"),
}


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StrategyForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    text = forms.CharField(
        label=_("Audit strategy: methodology, approach, resources"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )

    def __init__(self, *args: Any, programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(c, c) for c in programmes]  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    year = forms.IntegerField(label=_("Year audited"), min_value=2014, max_value=2040)

    def __init__(self, *args: Any, programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(c, c) for c in programmes]  # type: ignore[attr-defined]


class ReportCreateForm(PlanForm):
    pass


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of body"), choices=AuditedBody.Kind.choices)
    name = forms.CharField(label=_("Name of the body"), max_length=300)
    risk_justification = forms.CharField(
        label=_("Risk assessment: the reasons for the scores"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    key_requirements = forms.MultipleChoiceField(
        label=_("Key requirements audited this year (none: those of the body's functions)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in rules.RISK_FACTORS:
            self.fields[f"risk_{key}"] = forms.IntegerField(
                label=RISK_LABELS[key], min_value=rules.RISK_MIN, max_value=rules.RISK_MAX
            )
        self.fields["key_requirements"].choices = codes  # type: ignore[attr-defined]

    def factors(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"risk_{key}"] for key in rules.RISK_FACTORS}


class StartForm(forms.Form):
    started_on = DateField(label=_("Start of the audit"), required=False)


class AssessForm(LockForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=10)
    category = forms.TypedChoiceField(
        label=_("Category"), coerce=int, choices=[(k, v) for k, v in CATEGORY_LABELS.items()]
    )
    justification = forms.CharField(
        label=_("What was tested and found"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CompleteForm(LockForm):
    conclusion = forms.CharField(
        label=_("Conclusion of the audit"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    completed_on = DateField(label=_("Date of completion"), required=False)


class FindingForm(forms.Form):
    key_requirement = forms.ChoiceField(label=_("Key requirement"))
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=AuditFinding.Priority.choices)
    deadline = DateField(label=_("Deadline for the auditee"))

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_requirement"].choices = [(c, c) for c in codes]  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply of the audited authority"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    replied_on = DateField(label=_("Date of the reply"), required=False)


class CloseForm(LockForm):
    closure_note = forms.CharField(
        label=_("What was checked to close the finding"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )
    closed_on = DateField(label=_("Closed on"), required=False)


class OpinionForm(LockForm):
    opinion = forms.ChoiceField(
        label=_("Audit opinion"), choices=[("", "—"), *ControlReport.Opinion.choices], required=False
    )
    opinion_basis = forms.CharField(
        label=_("Basis for the opinion and limitations"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
