"""The page form for launching and changing a draft call.

Its choices come from the programme version the call serves (objectives, actions, indicators), so an
officer picks from the programme instead of typing codes. Rates are asked in per cent, as officers
speak of them; the services take fractions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amis.calls.models import Call
from amis.core.errors import ApplicationError
from amis.core.formfields import AmountField, DateField, NumberField, PercentField
from amis.core.templatetags.amis import pick_language
from amis.organisations.models import Organisation
from amis.programme.models import AllocationLine

LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"), ("en", "English")]
BENEFICIARY_KINDS = [
    Organisation.Kind.STATE_AUTHORITY,
    Organisation.Kind.LOCAL_PUBLIC_BODY,
    Organisation.Kind.NGO,
    Organisation.Kind.INTERNATIONAL_ORGANISATION,
    Organisation.Kind.RED_CROSS,
    Organisation.Kind.PARTNER,
]
CRITERIA_ROWS = 6
# Typed in the language's order (31/12/2027 17:00), not type=datetime-local: the browser's picker
# follows the browser's locale (US order in an English browser). ISO 2027-12-31T17:00 is read too.
DATETIME = forms.DateTimeInput(attrs={"autocomplete": "off"})


def _text(value: dict[str, str] | None) -> str:
    return pick_language(value, get_language() or "en")[1]


FORMAT_2 = "amis-programme/2"
OBJECTIVE_FIELDS = {  # the fields that tie a call to the programme, per programme format
    1: ("national_objectives", "specific_action", "actions", "indicators"),
    2: ("type_of_action", "indicators"),
}


def objective_choices(doc: dict[str, Any], so_code: str) -> dict[str, list[tuple[Any, str]]]:
    """The national objectives, specific actions, actions and indicators of one specific objective;
    for a 2021-2027 programme (format 2) its allocation lines (type of action, with the EU
    contribution) instead of national objectives, specific actions and actions."""
    so = next((s for s in doc.get("specific_objectives", []) if s["code"] == so_code), None)
    empty: dict[str, list[tuple[Any, str]]] = {
        "national_objectives": [],
        "specific_action": [],
        "actions": [],
        "type_of_action": [],
        "indicators": [],
    }
    if so is None:
        return empty
    indicators = [(i["code"], f"{i['code']} {_text(i.get('name'))}") for i in so.get("indicators", [])]
    if doc.get("format") == FORMAT_2:
        kinds = dict(AllocationLine.TypeOfAction.choices)
        return empty | {
            "type_of_action": [
                (
                    line["type_of_action"],
                    _("%(type)s (EU contribution %(amount)s)")
                    % {
                        "type": kinds.get(line["type_of_action"], line["type_of_action"]),
                        "amount": formats.number_format(
                            Decimal(line["eu_contribution"]), 2, force_grouping=True
                        ),
                    },
                )
                for line in doc.get("allocations", [])
                if line["specific_objective"] == so_code and line["type_of_action"] != "technical_assistance"
            ],
            "indicators": indicators,
        }
    return empty | {
        "national_objectives": [
            (no["code"], f"{no['code']} {_text(no.get('name'))}") for no in so.get("national_objectives", [])
        ],
        "specific_action": [("", "—")]
        + [(sa["code"], f"{sa['code']} {_text(sa.get('name'))}") for sa in so.get("specific_actions", [])],
        "actions": [
            (str(a["number"]), f"{no['code']} · {a['number']}. {_text(a.get('title'))}")
            for no in so.get("national_objectives", [])
            for a in no.get("actions", [])
        ],
        "indicators": indicators,
    }


class CallForm(forms.Form):
    """Fixed fields plus criteria rows `eligibility_<i>_<part>` and `award_<i>_<part>`."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("Call code"), max_length=40)
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Call.Procedure.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages the call is published in"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    specific_objective = forms.ChoiceField(label=_("Specific objective"))
    national_objectives = forms.MultipleChoiceField(
        label=_("National objectives"), required=False, widget=forms.CheckboxSelectMultiple
    )
    specific_action = forms.ChoiceField(label=_("Specific action"), required=False)
    actions = forms.MultipleChoiceField(
        label=_("Programme actions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    type_of_action = forms.ChoiceField(
        label=_("Type of action (allocation line)"),
        required=False,
        help_text=_(
            "The line of the programme's financing table whose EU contribution the call's budget uses."
        ),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Common indicators applicants must plan"), required=False, widget=forms.CheckboxSelectMultiple
    )
    budget = AmountField(label=_("Budget (€)"))
    max_eu_rate = PercentField(
        label=_("Maximum EU co-financing rate (%)"),
        help_text=_("At most 75 %, or 90 % for a specific action."),
    )
    min_grant = AmountField(label=_("Minimum grant (€)"), required=False)
    max_grant = AmountField(label=_("Maximum grant (€)"), required=False)
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Eligible beneficiaries"),
        choices=[(k.value, k.label) for k in BENEFICIARY_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_start = DateField(label=_("Eligible period: start"))
    eligible_end = DateField(label=_("Eligible period: end"))
    target_groups = forms.CharField(
        label=_("Target groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    pass_mark = NumberField(label=_("Pass mark (out of 100)"))
    opens_at = forms.DateTimeField(label=_("Opens at (Europe/Brussels)"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at (Europe/Brussels)"), widget=DATETIME)
    direct_award_justification = forms.CharField(
        label=_("Justification of the direct award (legal or de facto monopoly)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    invited_organisation = forms.ChoiceField(label=_("Invited beneficiary (direct award)"), required=False)

    def __init__(
        self,
        *args: Any,
        doc: dict[str, Any],
        call: Call | None = None,
        organisations: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.doc = doc
        self.format = 2 if doc.get("format") == FORMAT_2 else 1
        if self.format == 2:
            self.fields["type_of_action"].required = True
            self.fields["max_eu_rate"].help_text = _(
                "At most the co-financing ceiling of the type of action in the fund's regulation "
                "(for AMIF: 75 % regular actions, 90 % Annex IV and specific actions, 100 % operating "
                "support and emergency assistance)."
            )
        example = formats.date_format(dt.datetime(2027, 12, 31, 17, 0), "SHORT_DATETIME_FORMAT")
        for name in ("opens_at", "closes_at"):
            self.fields[name].widget.attrs["placeholder"] = example
        if organisations is not None:
            self.fields["managing_organisation"] = forms.ChoiceField(
                label=_("Managing authority"), choices=[(str(o.pk), str(o)) for o in organisations]
            )
        for code, name in LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, required=False, max_length=300
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for i in range(CRITERIA_ROWS):
            self.fields[f"eligibility_{i}_code"] = forms.CharField(
                label=_("Code"), required=False, max_length=10
            )
            self.fields[f"eligibility_{i}_text"] = forms.CharField(label=_("Criterion"), required=False)
            self.fields[f"award_{i}_code"] = forms.CharField(label=_("Code"), required=False, max_length=10)
            self.fields[f"award_{i}_text"] = forms.CharField(label=_("Criterion"), required=False)
            self.fields[f"award_{i}_weight"] = NumberField(label=_("Weight"), required=False)
            self.fields[f"award_{i}_min_score"] = NumberField(label=_("Minimum score"), required=False)
        sos = [(s["code"], f"{s['code']} {_text(s.get('name'))}") for s in doc.get("specific_objectives", [])]
        self._choice("specific_objective").choices = sos
        invited = Organisation.objects.filter(
            status=Organisation.Status.APPROVED, kind__in=[k.value for k in BENEFICIARY_KINDS]
        ).order_by("name")
        self._choice("invited_organisation").choices = [("", "—")] + [(str(o.pk), str(o)) for o in invited]
        if call is not None and not self.is_bound:
            self.initial.update(self._initial_from(call))
        self.set_objective(self.selected_objective())

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def selected_objective(self) -> str:
        if self.is_bound:
            return str(self.data.get("specific_objective", ""))
        objectives: list[dict[str, Any]] = self.doc.get("specific_objectives", [])
        first = objectives[0]["code"] if objectives else ""
        return str(self.initial.get("specific_objective") or first)

    def set_objective(self, so_code: str) -> None:
        for name, choices in objective_choices(self.doc, so_code).items():
            self._choice(name).choices = choices

    def _initial_from(self, call: Call) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "lock_version": call.lock_version,
            "code": call.code,
            "procedure": call.procedure,
            "languages": call.languages,
            "specific_objective": call.specific_objective,
            "national_objectives": call.national_objectives,
            "specific_action": call.specific_action,
            "actions": [str(a) for a in call.actions],
            "type_of_action": call.type_of_action,
            "indicators": call.indicators,
            "budget": call.budget,
            "max_eu_rate": call.max_eu_rate,
            "min_grant": call.min_grant,
            "max_grant": call.max_grant,
            "eligible_kinds": call.eligible_kinds,
            "eligible_start": call.eligible_start,
            "eligible_end": call.eligible_end,
            "target_groups": "\n".join(call.target_groups),
            "pass_mark": call.pass_mark,
            "opens_at": timezone.localtime(call.opens_at),
            "closes_at": timezone.localtime(call.closes_at),
            "direct_award_justification": call.direct_award_justification,
            "invited_organisation": str(call.invited_organisation_id or ""),
            "managing_organisation": str(call.managing_organisation_id),
        }
        for code, _name in LANGUAGES:
            initial[f"title_{code}"] = call.title.get(code, "")
            initial[f"description_{code}"] = call.description.get(code, "")
        for i, c in enumerate(call.eligibility_criteria[:CRITERIA_ROWS]):
            initial[f"eligibility_{i}_code"], initial[f"eligibility_{i}_text"] = c.get("code"), c.get("text")
        for i, c in enumerate(call.award_criteria[:CRITERIA_ROWS]):
            initial[f"award_{i}_code"], initial[f"award_{i}_text"] = c.get("code"), c.get("text")
            for part in ("weight", "min_score"):
                initial[f"award_{i}_{part}"] = _number(c.get(part))
        return initial

    # -- groups of fields for the template -------------------------------------------------------
    @property
    def objective_fields(self) -> list[Any]:
        """What ties the call to the programme: national objectives and actions (2014-2020), or the
        type of action, i.e. the allocation line (2021-2027)."""
        return [self[name] for name in OBJECTIVE_FIELDS[self.format]]

    @property
    def texts(self) -> list[tuple[str, Any, Any]]:
        return [(name, self[f"title_{code}"], self[f"description_{code}"]) for code, name in LANGUAGES]

    @property
    def eligibility_rows(self) -> list[list[Any]]:
        return [[self[f"eligibility_{i}_{p}"] for p in ("code", "text")] for i in range(CRITERIA_ROWS)]

    @property
    def award_rows(self) -> list[list[Any]]:
        return [
            [self[f"award_{i}_{p}"] for p in ("code", "text", "weight", "min_score")]
            for i in range(CRITERIA_ROWS)
        ]

    # -- to the service ----------------------------------------------------------------------------
    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "code": d["code"].strip(),
            "procedure": d["procedure"],
            "languages": d["languages"],
            "title": {c: d[f"title_{c}"].strip() for c, _n in LANGUAGES if d[f"title_{c}"].strip()},
            "description": {
                c: d[f"description_{c}"].strip() for c, _n in LANGUAGES if d[f"description_{c}"].strip()
            },
            "specific_objective": d["specific_objective"],
            "national_objectives": d["national_objectives"],
            "specific_action": d["specific_action"] or "",
            "actions": [int(a) for a in d["actions"]],
            "type_of_action": d["type_of_action"] or "",
            "indicators": d["indicators"],
            "budget": d["budget"],
            "max_eu_rate": d["max_eu_rate"],
            "min_grant": d["min_grant"],
            "max_grant": d["max_grant"],
            "eligible_kinds": d["eligible_kinds"],
            "eligible_start": d["eligible_start"],
            "eligible_end": d["eligible_end"],
            "target_groups": [t.strip() for t in d["target_groups"].splitlines() if t.strip()],
            "eligibility_criteria": [
                {"code": d[f"eligibility_{i}_code"].strip(), "text": d[f"eligibility_{i}_text"].strip()}
                for i in range(CRITERIA_ROWS)
                if d[f"eligibility_{i}_code"].strip() or d[f"eligibility_{i}_text"].strip()
            ],
            "award_criteria": [
                {
                    "code": d[f"award_{i}_code"].strip(),
                    "text": d[f"award_{i}_text"].strip(),
                    "weight": str(d[f"award_{i}_weight"] if d[f"award_{i}_weight"] is not None else ""),
                    "min_score": str(d[f"award_{i}_min_score"] or "0"),
                }
                for i in range(CRITERIA_ROWS)
                if d[f"award_{i}_code"].strip()
                or d[f"award_{i}_text"].strip()
                or d[f"award_{i}_weight"] is not None
            ],
            "pass_mark": d["pass_mark"],
            "opens_at": d["opens_at"],
            "closes_at": d["closes_at"],
            "direct_award_justification": d["direct_award_justification"],
            "invited_organisation": d["invited_organisation"] or None,
        }

    def add_service_errors(self, error: ApplicationError) -> None:
        problems = error.extra.get("fields") or {}
        if not problems:
            self.add_error(None, getattr(error, "message", str(error)))
            return
        for key, message in problems.items():
            name = {"title": "title_" + ((self.cleaned_data.get("languages") or ["en"])[0])}.get(key, key)
            if "." in name or name not in self.fields:
                self.add_error(None, f"{key}: {message}")
            else:
                self.add_error(name, message)


def _number(value: Any) -> Decimal | None:
    """A weight or score as stored (a number or its text), as a Decimal for the form to show."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
