"""Page forms of the selection path: eligibility, scores, the committee's meeting and decisions.
They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amis.calls.models import Call
from amis.core.errors import ApplicationError
from amis.core.formfields import DateField, NumberField
from amis.selection.models import CommitteeDecision

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EligibilityForm(forms.Form):
    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = []
        for c in call.eligibility_criteria:
            self.fields[f"met_{c['code']}"] = forms.ChoiceField(
                label=_("Met?"), choices=YES_NO, widget=forms.RadioSelect
            )
            self.fields[f"reason_{c['code']}"] = forms.CharField(
                label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.criteria.append((c, self[f"met_{c['code']}"], self[f"reason_{c['code']}"]))

    def answers(self) -> dict[str, dict[str, Any]]:
        return {
            c["code"]: {
                "met": self.cleaned_data[f"met_{c['code']}"] == "yes",
                "reason": self.cleaned_data[f"reason_{c['code']}"],
            }
            for c, _met, _reason in self.criteria
        }


class ScoresForm(forms.Form):
    """Scores per award criterion; with a justification each (assessment) or one note (consolidation)."""

    def __init__(self, *args: Any, call: Call, consolidation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consolidation = consolidation
        if not consolidation:
            self.fields["no_conflict"] = forms.BooleanField(
                label=_("I declare I have no conflict of interest with this applicant"), required=False
            )
        self.criteria = []
        for c in call.award_criteria:
            self.fields[f"score_{c['code']}"] = NumberField(
                # the consolidation form names each criterion (the assessor's page labels its own)
                label=format_lazy("{}: {} {}", _("Score"), c["code"], c.get("text", "")).strip()
                if consolidation
                else _("Score")
            )
            if not consolidation:
                self.fields[f"justification_{c['code']}"] = forms.CharField(
                    label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}), required=False
                )
            self.criteria.append(
                (
                    c,
                    self[f"score_{c['code']}"],
                    None if consolidation else self[f"justification_{c['code']}"],
                )
            )
        if consolidation:
            self.fields["note"] = forms.CharField(
                label=_("Why these scores"), widget=forms.Textarea(attrs={"rows": 3})
            )

    def scores(self) -> dict[str, str]:
        return {c["code"]: str(self.cleaned_data[f"score_{c['code']}"]) for c, _s, _j in self.criteria}

    def justifications(self) -> dict[str, str]:
        return {
            c["code"]: self.cleaned_data.get(f"justification_{c['code']}", "") for c, _s, _j in self.criteria
        }

    def add_service_errors(self, error: ApplicationError) -> None:
        problems = error.extra.get("fields") or {}
        placed = False
        for code, message in problems.items():
            if f"score_{code}" in self.fields:
                self.add_error(f"score_{code}", message)
                placed = True
        self.add_error(None, error.message if not placed else _("Nothing was saved."))


class MeetingForm(forms.Form):
    date = DateField(label=_("Meeting date"))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    """One decision per application, prefixed by its reference; nothing is preselected."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=CommitteeDecision.Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required for a rejection, a postponement or a decision that departs from the proposal; "
            "the applicant reads it."
        ),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
