"""Forms of the evaluation pages: dates typed as the reader's language writes them (core.formfields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import DateField
from amis.evaluation import rules
from amis.evaluation.models import Evaluation, EvaluationPlan, EvaluationQuestion, Recommendation


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlanForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    title = forms.CharField(label=_("Title of the plan"), max_length=200)
    description = forms.CharField(
        label=_("Description (scope, approach, data)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, programmes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.cci, p.cci) for p in programmes]  # type: ignore[attr-defined]


class PlanStatusForm(LockForm):
    status = forms.ChoiceField(label=_("Next step"), choices=EvaluationPlan.Status.choices)
    on = DateField(label=_("Date (of the submission or of the committee's approval)"), required=False)
    reference = forms.CharField(
        label=_("Meeting or decision of the Monitoring Committee (approval)"), max_length=200, required=False
    )


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evaluation"))
    title = forms.CharField(label=_("Title"), max_length=200)
    subject = forms.CharField(label=_("Subject"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    specific_objectives = forms.MultipleChoiceField(
        label=_("Specific objectives covered"), widget=forms.CheckboxSelectMultiple, required=False
    )
    evaluator_type = forms.ChoiceField(label=_("Evaluator"), choices=Evaluation.EvaluatorType.choices)
    evaluator = forms.CharField(label=_("Name of the evaluator (unit, expert or firm)"), max_length=200)
    planned_start = DateField(label=_("Planned start"))
    planned_end = DateField(label=_("Planned end"))
    due_date = DateField(
        label=_("Due date (the authority's own evaluations; the regulation's are due by its date)"),
        required=False,
    )

    def __init__(self, *args: Any, period: str, objectives: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k, Evaluation.Kind(k).label) for k in rules.kinds_for(period)
        ]
        self.fields["specific_objectives"].choices = objectives  # type: ignore[attr-defined]


class EvaluationEditForm(EvaluationForm):
    """The evaluation's details while it is planned or in progress; the kind stays."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class EvaluationStatusForm(LockForm):
    status = forms.ChoiceField(label=_("Next step"), choices=Evaluation.Status.choices[1:])
    on = DateField(label=_("On (work started, report delivered or published)"))


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Evaluation question"), widget=forms.Textarea(attrs={"rows": 2}))
    criterion = forms.ChoiceField(label=_("Criterion"), choices=EvaluationQuestion.Criterion.choices)


class ReportForm(forms.Form):
    document = forms.FileField(label=_("Evaluation report (PDF, DOCX, ODT; at most 10 MB)"))


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=200)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Recommendation.Priority.choices, initial=Recommendation.Priority.MEDIUM
    )


class ResponseForm(LockForm):
    response = forms.ChoiceField(
        label=_("Response of the authority"), choices=Recommendation.Response.choices
    )
    reason = forms.CharField(
        label=_("Reason (required when partly accepted or rejected)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    planned_action = forms.CharField(
        label=_("Action planned"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    deadline = DateField(label=_("Deadline of the action"), required=False)


class RecommendationStatusForm(LockForm):
    status = forms.ChoiceField(label=_("Next step"), choices=Recommendation.Status.choices[1:])
    note = forms.CharField(
        label=_("Note (the closing note: what was done, or why it is closed)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class RecommendationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("any")), ("pending", _("to follow up (open or in progress)"))]
        + list(Recommendation.Status.choices),
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
