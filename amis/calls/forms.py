"""Page forms for applications and the selection path. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.calls import rules
from amis.calls.models import Application, Call, CommitteeDecision
from amis.core.errors import ApplicationError

EMPTY_ROWS = 3
COST_LABELS = {
    "staff": _("Staff"),
    "travel": _("Travel and subsistence"),
    "equipment": _("Equipment"),
    "consumables": _("Consumables"),
    "subcontracting": _("Subcontracting"),
    "other": _("Other direct costs"),
}
FUNDING_LABELS = {
    "eu": _("EU contribution"),
    "national_public": _("National public co-funding"),
    "own": _("Own contribution"),
    "other": _("Other co-funding"),
}


class ApplyForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Applying organisation"))
    title = forms.CharField(label=_("Project title"), max_length=300)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.pk), str(o)) for o in organisations]


class ApplicationForm(forms.Form):
    """The draft: fixed fields, budget rows `budget_<i>_<part>`, `funding_<source>`, `indicator_<code>`."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Project title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    start_date = forms.CharField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.CharField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expected_participants = forms.IntegerField(label=_("Expected participants"), min_value=0, required=False)
    vulnerable_participants = forms.IntegerField(
        label=_("Of whom vulnerable persons"), min_value=0, required=False
    )
    indirect_rate = forms.CharField(
        label=_("Indirect cost rate"),
        required=False,
        help_text=_("A fraction of the direct costs, e.g. 0.07 for 7 %."),
    )
    national_public_funder = forms.CharField(
        label=_("Name of the national public co-funder"), required=False, max_length=300
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        lines = list(application.budget_lines.all())
        self.rows = len(lines) + EMPTY_ROWS
        categories = [("", "—")] + [(c, COST_LABELS[c]) for c in rules.COST_CATEGORIES]
        for i in range(self.rows):
            self.fields[f"budget_{i}_category"] = forms.ChoiceField(
                label=_("Cost category"), choices=categories, required=False
            )
            self.fields[f"budget_{i}_year"] = forms.IntegerField(label=_("Year"), required=False)
            self.fields[f"budget_{i}_description"] = forms.CharField(
                label=_("Description"), required=False, max_length=300
            )
            self.fields[f"budget_{i}_amount"] = forms.CharField(label=_("Amount (EUR)"), required=False)
        for source in rules.FUNDING_SOURCES:
            self.fields[f"funding_{source}"] = forms.CharField(
                label=FUNDING_LABELS.get(source, source), required=False
            )
        for code in application.call.indicators:
            self.fields[f"indicator_{code}"] = forms.CharField(label=code, required=False)
        if not self.is_bound:
            self.initial.update(
                {
                    "lock_version": application.lock_version,
                    "title": application.title,
                    "summary": application.summary,
                    "description": application.description,
                    "start_date": application.start_date.isoformat() if application.start_date else "",
                    "end_date": application.end_date.isoformat() if application.end_date else "",
                    "expected_participants": application.expected_participants,
                    "vulnerable_participants": application.vulnerable_participants,
                    "indirect_rate": application.indirect_rate,
                    "national_public_funder": application.funders.get("national_public", ""),
                }
            )
            for i, line in enumerate(lines):
                self.initial.update(
                    {
                        f"budget_{i}_category": line.category,
                        f"budget_{i}_year": line.year,
                        f"budget_{i}_description": line.description,
                        f"budget_{i}_amount": line.amount,
                    }
                )
            for source, amount in application.funding.items():
                self.initial[f"funding_{source}"] = amount
            for code, value in application.planned_indicators.items():
                self.initial[f"indicator_{code}"] = value
        self.budget_rows = [
            [self[f"budget_{i}_{part}"] for part in ("category", "year", "description", "amount")]
            for i in range(self.rows)
        ]
        self.funding_fields = [self[f"funding_{s}"] for s in rules.FUNDING_SOURCES]
        self.indicator_fields = [self[f"indicator_{c}"] for c in application.call.indicators]
        self._row_of_line: list[int] = []

    @property
    def main_fields(self) -> list[Any]:
        names = (
            "title",
            "summary",
            "description",
            "start_date",
            "end_date",
            "expected_participants",
            "vulnerable_participants",
            "indirect_rate",
        )
        return [self[n] for n in names]

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        budget = []
        self._row_of_line = []
        for i in range(self.rows):
            parts = {p: d.get(f"budget_{i}_{p}") for p in ("category", "year", "description", "amount")}
            if not any(v not in (None, "") for v in parts.values()):
                continue
            self._row_of_line.append(i)
            budget.append({k: ("" if v is None else v) for k, v in parts.items()})
        funding = {s: d[f"funding_{s}"] for s in rules.FUNDING_SOURCES if d.get(f"funding_{s}")}
        funders = {"national_public": d["national_public_funder"]} if d.get("national_public_funder") else {}
        return {
            "title": d["title"],
            "summary": d["summary"],
            "description": d["description"],
            "start_date": d["start_date"] or None,
            "end_date": d["end_date"] or None,
            "expected_participants": d["expected_participants"],
            "vulnerable_participants": d["vulnerable_participants"],
            "indirect_rate": d["indirect_rate"] or "0",
            "budget": budget,
            "funding": funding,
            "funders": funders,
            "planned_indicators": {
                c: d[f"indicator_{c}"] for c in self.application.call.indicators if d.get(f"indicator_{c}")
            },
        }

    def add_service_errors(self, error: ApplicationError) -> None:
        """Put each of the service's problems next to its field; the rest above the form."""
        problems = error.extra.get("fields") or {}
        if not problems:
            self.add_error(None, error.message)
            return
        for key, message in problems.items():
            name = self._field_for(key)
            if name and name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, f"{key}: {message}")

    def _field_for(self, key: str) -> str | None:
        parts = key.split(".")
        if parts[0] == "budget" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            row = self._row_of_line[index] if index < len(self._row_of_line) else index
            return f"budget_{row}_{parts[2]}"
        if parts[0] == "funding" and len(parts) == 2:
            return f"funding_{parts[1]}"
        if parts[0] == "planned_indicators" and len(parts) == 2:
            return f"indicator_{parts[1]}"
        return key if len(parts) == 1 else None


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
            self.fields[f"score_{c['code']}"] = forms.CharField(label=_("Score"))
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
        return {c["code"]: self.cleaned_data[f"score_{c['code']}"] for c, _s, _j in self.criteria}

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
    date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    application = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=CommitteeDecision.Decision.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
