"""Readable, translated names for the codes an application stores (cost categories, funding
sources, partner roles): forms, pages and the receipt show these; the data keeps the stable codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
PARTNER_ROLE_LABELS = {
    "co_beneficiary": _("Co-beneficiary (carries out part of the project and receives part of the grant)"),
    "associate": _("Associated partner (takes part without a share of the grant)"),
    "co_financer": _("Co-financer (contributes to the co-financing plan)"),
}

# What a problem's key (`funding.eu`, `budget.2.amount`, `planned_indicators.C2`) is about, as the
# reader says it: the submission checklist shows "Co-financing: EU contribution", never the key.
FIELD_LABELS = {
    "title": _("Project title"),
    "summary": _("Summary"),
    "description": _("Description"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "budget": _("Budget"),
    "funding": _("Co-financing"),
    "funders": _("Co-funders"),
    "indirect_rate": _("Indirect costs"),
    "activities": _("Work plan"),
    "partners": _("Partners"),
    "planned_indicators": _("Indicators"),
    "actions": _("Actions"),
    "target_groups": _("Target groups"),
    "expected_participants": _("Expected participants"),
    "vulnerable_participants": _("Vulnerable participants"),
    "unaccompanied_minors": _("Unaccompanied minors"),
}
ROW_FIELD_LABELS = {
    "amount": _("amount"),
    "category": _("cost category"),
    "year": _("year"),
    "description": _("description"),
    "name": _("name"),
    "country": _("country"),
    "role": _("role"),
    "enterprise_number": _("enterprise number"),
    "start": _("start"),
    "end": _("end"),
}
ROW_LABELS = {"budget": _("line %(n)s"), "activities": _("activity %(n)s"), "partners": _("partner %(n)s")}


def problem_label(key: str, indicator_names: dict[str, str] | None = None) -> str:
    """`funding.eu` -> "Co-financing: EU contribution"; `budget.2.amount` -> "Budget: line 3, amount";
    `planned_indicators.C2` -> "Indicators: C2 Number of participants"."""
    head, *rest = key.split(".")
    label = str(FIELD_LABELS.get(head, head.replace("_", " ").capitalize()))
    if not rest:
        return label
    first = rest[0]
    if head in ("funding", "funders"):
        part = str(FUNDING_LABELS.get(first, first))
    elif head == "planned_indicators":
        name = (indicator_names or {}).get(first, "")
        part = f"{first} {name}".strip()
    elif first.isdigit() and head in ROW_LABELS:
        part = str(ROW_LABELS[head]) % {"n": int(first) + 1}
        if len(rest) > 1:
            part = f"{part}, {ROW_FIELD_LABELS.get(rest[1], rest[1])}"
    else:
        part = " ".join(str(ROW_FIELD_LABELS.get(p, p)) for p in rest)
    return f"{label}: {part}"
