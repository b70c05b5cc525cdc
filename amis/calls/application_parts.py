"""What the application page shows of an application: once submitted, exactly the frozen snapshot;
partners with their enterprise numbers formatted, actions with their titles from the programme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from amis.calls import rules, services
from amis.calls.forms import PARTNER_ROLE_LABELS
from amis.calls.models import Application, Call
from amis.organisations.identifiers import format_enterprise_number
from amis.programme import selectors as programme_selectors
from amis.programme.models import Action


def action_titles(call: Call) -> dict[int, dict[str, str]]:
    """The titles (by language) of the programme actions a call is open to: one query on the
    programme's latest version (the one the call's choices were checked against)."""
    version = programme_selectors.version_get(call.programme.cci)
    if version is None or not call.actions:
        return {}
    rows = Action.objects.filter(
        national_objective__specific_objective__version=version,
        national_objective__specific_objective__code=call.specific_objective,
        number__in=call.actions,
    ).values_list("number", "title")
    return {number: title or {} for number, title in rows}


def _iso(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def application_parts(app: Application) -> dict[str, Any]:
    """What the application page shows: once submitted, the frozen snapshot (exactly what was
    submitted); before that, the draft as it stands."""
    frozen = app.snapshot or None
    source: dict[str, Any] = (
        frozen if frozen is not None else {k: getattr(app, k) for k in services.APPLICATION_FIELDS}
    )
    if frozen is not None:
        budget = rules.Budget(
            lines=[
                rules.BudgetLine(
                    str(b.get("category", "")),
                    int(b.get("year") or 0),
                    Decimal(str(b.get("amount") or "0")),
                    str(b.get("description", "")),
                )
                for b in frozen.get("budget", [])
            ],
            indirect_rate=Decimal(str(frozen.get("indirect_rate") or "0")),
            funding={k: Decimal(str(v)) for k, v in (frozen.get("funding") or {}).items()},
        )
        documents = list(frozen.get("attachments", []))
    else:
        budget = services.application_budget(app)
        documents = [{"name": a.name, "size": a.size, "sha256": a.sha256} for a in app.attachments.all()]
    titles = action_titles(app.call)
    partners = []
    for partner in source.get("partners") or []:
        country = partner.get("country") or "BE"
        number = partner.get("enterprise_number", "")
        partners.append(
            {
                "name": partner.get("name", ""),
                "country": country,
                "enterprise_number": format_enterprise_number(number) if country == "BE" else number,
                "role": PARTNER_ROLE_LABELS.get(partner.get("role", ""), partner.get("role", "")),
            }
        )
    return {
        "frozen": frozen is not None,
        "title": source.get("title") or app.title,
        "summary": source.get("summary", ""),
        "description": source.get("description", ""),
        "start_date": _iso(source.get("start_date")),
        "end_date": _iso(source.get("end_date")),
        "actions": [(n, titles.get(n, {})) for n in source.get("actions") or []],
        "target_groups": list(source.get("target_groups") or []),
        "expected_participants": source.get("expected_participants"),
        "vulnerable_participants": source.get("vulnerable_participants"),
        "unaccompanied_minors": source.get("unaccompanied_minors"),
        "activities": [
            {
                "name": a.get("name", ""),
                "start": _iso(a.get("start")),
                "end": _iso(a.get("end")),
                "description": a.get("description", ""),
            }
            for a in source.get("activities") or []
        ],
        "partners": partners,
        "planned_indicators": list((source.get("planned_indicators") or {}).items()),
        "funders": dict(source.get("funders") or {}),
        "budget": budget,
        "documents": documents,
    }
