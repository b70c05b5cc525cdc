"""Forms of the annual report pages: dates typed as the reader's language writes them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import DateField


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReportCreateForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    year = forms.TypedChoiceField(label=_("Year reported on"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = choices  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]


class NarrativeForm(LockForm):
    section = forms.CharField(widget=forms.HiddenInput, max_length=30)
    specific_objective = forms.CharField(widget=forms.HiddenInput, max_length=20, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class SubmitForm(LockForm):
    on = DateField(label=_("Date of the submission to the Monitoring Committee"), required=False)


class DecisionForm(LockForm):
    decision = forms.ChoiceField(
        label=_("Decision of the Monitoring Committee"),
        choices=[("approve", _("approve the report")), ("return", _("return it for changes"))],
    )
    meeting_date = DateField(label=_("Date of the meeting"))
    reference = forms.CharField(label=_("Reference of the decision or of the minutes"), max_length=200)
    note = forms.CharField(
        label=_("Note (what to change, when returned)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the PDF"))

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {"nl": _("Dutch"), "fr": _("French"), "de": _("German"), "en": _("English")}
        self.fields["language"].choices = [(lang, names[lang]) for lang in languages]  # type: ignore[attr-defined]
