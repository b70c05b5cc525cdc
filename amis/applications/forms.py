"""Page forms for applications: starting one, and the edit page with its rows. They only shape input;
the services decide."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.applications import rules
from amis.applications.labels import COST_LABELS, FUNDING_LABELS, PARTNER_ROLE_LABELS
from amis.applications.models import Application
from amis.core.errors import ApplicationError
from amis.core.formfields import AmountField, DateField, NumberField, PercentField
from amis.organisations.identifiers import format_enterprise_number

EMPTY_ROWS = 3


class ApplyForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Applying organisation"))
    title = forms.CharField(label=_("Project title"), max_length=300)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.pk), str(o)) for o in organisations]


MAX_ROWS = 100  # per table: a request naming more rows is malformed
ROW_PARTS = {
    "budget": ("category", "year", "description", "amount"),
    "partner": ("name", "country", "enterprise_number", "role"),
    "activity": ("name", "start", "end", "description"),
}
# the service's list for each table, and the parts that make a row count as filled in
ROW_SERVICE_KEY = {"budget": "budget", "partner": "partners", "activity": "activities"}
ROW_FILLED_BY = {
    "budget": ROW_PARTS["budget"],
    "partner": ("name", "enterprise_number", "role"),
    "activity": ROW_PARTS["activity"],
}
ROW_RE = re.compile(r"^(budget|partner|activity)_(\d+)_")


def row_fields(kind: str, index: int) -> dict[str, forms.Field]:
    """The fields of row `index` of a table (budget lines, partners, activities), by input name."""
    fields: dict[str, forms.Field]
    if kind == "budget":
        categories = [("", "—")] + [(c, COST_LABELS[c]) for c in rules.COST_CATEGORIES]
        fields = {
            "category": forms.ChoiceField(label=_("Cost category"), choices=categories, required=False),
            "year": forms.IntegerField(label=_("Year"), required=False),
            "description": forms.CharField(label=_("Description"), required=False, max_length=300),
            "amount": AmountField(label=_("Amount (€)"), required=False),
        }
    elif kind == "partner":
        roles = [("", "—")] + [(r, PARTNER_ROLE_LABELS[r]) for r in rules.PARTNER_ROLES]
        fields = {
            "name": forms.CharField(label=_("Partner name"), required=False),
            "country": forms.CharField(
                label=_("Country"), required=False, widget=forms.TextInput(attrs={"size": 3})
            ),
            "enterprise_number": forms.CharField(label=_("Enterprise number"), required=False),
            "role": forms.ChoiceField(label=_("Role"), choices=roles, required=False),
        }
    elif kind == "activity":
        fields = {
            "name": forms.CharField(label=_("Activity"), required=False),
            "start": DateField(label=_("Start date"), required=False),
            "end": DateField(label=_("End date"), required=False),
            "description": forms.CharField(
                label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            ),
        }
    else:
        raise KeyError(kind)
    return {f"{kind}_{index}_{part}": field for part, field in fields.items()}


class RowForm(forms.Form):
    """One empty row of a table, as the edit page's "Add a row" fetches it."""

    def __init__(self, kind: str, index: int) -> None:
        super().__init__()
        self.fields.update(row_fields(kind, index))
        self.row = [self[f"{kind}_{index}_{part}"] for part in ROW_PARTS[kind]]
        self.row[0].field.widget.attrs["autofocus"] = True


def rows_posted(data: Any, kind: str) -> int:
    """How many rows of a table the posted data names (the highest index + 1); ValueError past MAX_ROWS."""
    highest = -1
    for key in data:
        match = ROW_RE.match(key)
        if match and match.group(1) == kind:
            highest = max(highest, int(match.group(2)))
    if highest >= MAX_ROWS:
        raise ValueError(f"At most {MAX_ROWS} rows per table.")
    return highest + 1


class ApplicationForm(forms.Form):
    """The draft: fixed fields, rows `budget_<i>_<part>`, `partner_<i>_<part>`, `activity_<i>_<part>`,
    `funding_<source>`, `indicator_<code>`. Rows added in the browser are read from the posted data."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Project title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    start_date = DateField(label=_("Start date"), required=False)
    end_date = DateField(label=_("End date"), required=False)
    actions = forms.MultipleChoiceField(
        label=_("Programme actions served"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    expected_participants = forms.IntegerField(label=_("Expected participants"), min_value=0, required=False)
    vulnerable_participants = forms.IntegerField(
        label=_("Of whom vulnerable persons"), min_value=0, required=False
    )
    unaccompanied_minors = forms.IntegerField(
        label=_("Of whom unaccompanied minors"), min_value=0, required=False
    )
    indirect_rate = PercentField(
        label=_("Indirect cost rate (%)"),
        required=False,
        help_text=_("In per cent of the direct costs, at most 7 %."),
    )
    national_public_funder = forms.CharField(
        label=_("Name of the national public co-funder"), required=False, max_length=300
    )

    def __init__(
        self,
        *args: Any,
        application: Application,
        action_titles: dict[int, str] | None = None,
        indicator_names: dict[str, str] | None = None,
        add_row: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        call = application.call
        titles = action_titles or {}
        actions = self.fields["actions"]
        assert isinstance(actions, forms.MultipleChoiceField)
        actions.choices = [
            (str(n), f"{_('Action')} {n}" + (f": {titles[n]}" if titles.get(n) else "")) for n in call.actions
        ]
        groups = self.fields["target_groups"]
        assert isinstance(groups, forms.MultipleChoiceField)
        groups.choices = [(g, g) for g in call.target_groups]
        lines = list(application.budget_lines.all())
        stored = {
            "budget": len(lines),
            "partner": len(application.partners),
            "activity": len(application.activities),
        }
        self.row_counts: dict[str, int] = {}
        for kind, count in stored.items():
            rows = count + EMPTY_ROWS
            if self.is_bound:
                rows = max(rows, rows_posted(self.data, kind)) + (1 if add_row == kind else 0)
            self.row_counts[kind] = min(rows, MAX_ROWS)
            for i in range(self.row_counts[kind]):
                self.fields.update(row_fields(kind, i))
        self.rows = self.row_counts["budget"]
        for source in rules.FUNDING_SOURCES:
            self.fields[f"funding_{source}"] = AmountField(
                label=FUNDING_LABELS.get(source, source), required=False
            )
        for code in call.indicators:
            name = (indicator_names or {}).get(code, "")
            self.fields[f"indicator_{code}"] = NumberField(label=f"{code} {name}".strip(), required=False)
        if not self.is_bound:
            self._set_initial(lines)
        self.budget_rows = self._rows("budget")
        self.partner_rows = self._rows("partner")
        self.activity_rows = self._rows("activity")
        self.funding_fields = [self[f"funding_{s}"] for s in rules.FUNDING_SOURCES]
        self.indicator_fields = [self[f"indicator_{c}"] for c in call.indicators]
        self._rows_used: dict[str, list[int]] = {kind: [] for kind in ROW_PARTS}

    def _rows(self, kind: str) -> list[list[Any]]:
        return [
            [self[f"{kind}_{i}_{part}"] for part in ROW_PARTS[kind]] for i in range(self.row_counts[kind])
        ]

    def _set_initial(self, lines: list[Any]) -> None:
        app = self.application
        self.initial.update(
            {
                "lock_version": app.lock_version,
                "title": app.title,
                "summary": app.summary,
                "description": app.description,
                "start_date": app.start_date,
                "end_date": app.end_date,
                "actions": [str(a) for a in app.actions],
                "target_groups": list(app.target_groups),
                "expected_participants": app.expected_participants,
                "vulnerable_participants": app.vulnerable_participants,
                "unaccompanied_minors": app.unaccompanied_minors,
                "indirect_rate": app.indirect_rate,
                "national_public_funder": app.funders.get("national_public", ""),
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
        for i, partner in enumerate(app.partners):
            country = partner.get("country", "") or "BE"
            number = partner.get("enterprise_number", "")
            self.initial.update(
                {
                    f"partner_{i}_name": partner.get("name", ""),
                    f"partner_{i}_country": country,
                    f"partner_{i}_enterprise_number": format_enterprise_number(number)
                    if country == "BE"
                    else number,
                    f"partner_{i}_role": partner.get("role", ""),
                }
            )
        for i, activity in enumerate(app.activities):
            for part in ROW_PARTS["activity"]:
                self.initial[f"activity_{i}_{part}"] = activity.get(part, "")
        for source, amount in app.funding.items():
            self.initial[f"funding_{source}"] = Decimal(amount)
        for code, value in app.planned_indicators.items():
            self.initial[f"indicator_{code}"] = value

    @property
    def main_fields(self) -> list[Any]:
        return [self[n] for n in ("title", "summary", "description", "start_date", "end_date")]

    @property
    def participant_fields(self) -> list[Any]:
        return [self[n] for n in ("expected_participants", "vulnerable_participants", "unaccompanied_minors")]

    def _filled_rows(self, kind: str) -> list[dict[str, Any]]:
        d = self.cleaned_data
        out = []
        self._rows_used[kind] = []
        for i in range(self.row_counts[kind]):
            parts = {p: d.get(f"{kind}_{i}_{p}") for p in ROW_PARTS[kind]}
            if not any(parts[p] not in (None, "") for p in ROW_FILLED_BY[kind]):
                continue
            self._rows_used[kind].append(i)
            out.append({k: ("" if v is None else v) for k, v in parts.items()})
        return out

    def budget_data(self) -> dict[str, Any]:
        """The budget rows, indirect rate and co-financing plan (what the live summary needs)."""
        d = self.cleaned_data
        return {
            "indirect_rate": d.get("indirect_rate") or Decimal("0"),
            "budget": self._filled_rows("budget"),
            "funding": {
                s: d[f"funding_{s}"] for s in rules.FUNDING_SOURCES if d.get(f"funding_{s}") is not None
            },
        }

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        funders = {"national_public": d["national_public_funder"]} if d.get("national_public_funder") else {}
        return self.budget_data() | {
            "title": d["title"],
            "summary": d["summary"],
            "description": d["description"],
            "start_date": d["start_date"] or None,
            "end_date": d["end_date"] or None,
            "actions": list(d["actions"]),
            "target_groups": list(d["target_groups"]),
            "expected_participants": d["expected_participants"],
            "vulnerable_participants": d["vulnerable_participants"],
            "unaccompanied_minors": d["unaccompanied_minors"],
            "partners": self._filled_rows("partner"),
            "activities": self._filled_rows("activity"),
            "funders": funders,
            "planned_indicators": {
                c: str(d[f"indicator_{c}"])
                for c in self.application.call.indicators
                if d.get(f"indicator_{c}") is not None
            },
        }

    def add_service_errors(self, error: ApplicationError) -> None:
        """Put each of the service's problems next to its field; the rest above the form."""
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}  # an unbound form (the fresh page after a refused submission)
        problems = error.extra.get("fields") or {}
        if not problems:
            self.add_error(None, error.message)
            return
        for key, message in problems.items():
            name = self.field_for(key)
            if name and name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, f"{key}: {message}")

    def field_for(self, key: str) -> str | None:
        """The input that a service problem key (`partners.0.role`, `funding.eu`...) is about."""
        parts = key.split(".")
        kinds = {v: k for k, v in ROW_SERVICE_KEY.items()}
        if parts[0] in kinds and len(parts) == 3 and parts[1].isdigit():
            kind, index = kinds[parts[0]], int(parts[1])
            used = self._rows_used.get(kind, [])
            row = used[index] if index < len(used) else index
            return f"{kind}_{row}_{parts[2]}"
        if parts[0] in kinds and len(parts) == 2 and parts[1].isdigit():
            kind, index = kinds[parts[0]], int(parts[1])
            used = self._rows_used.get(kind, [])
            row = used[index] if index < len(used) else index
            return f"{kind}_{row}_{ROW_PARTS[kind][0]}"
        if parts[0] == "funding" and len(parts) == 2:
            return f"funding_{parts[1]}"
        if parts[0] == "planned_indicators" and len(parts) == 2:
            return f"indicator_{parts[1]}"
        return key if len(parts) == 1 else None
