"""Reads for applications: who sees which, one application with its budget, what still stands
between a draft and its submission, and what the application page shows (once submitted, exactly
the frozen snapshot; partners with their enterprise numbers formatted, actions with their titles)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from amis.accounts.models import ConflictOfInterestDeclaration
from amis.accounts.permissions import active_roles, check
from amis.accounts.roles import Role
from amis.applications import rules
from amis.applications.labels import PARTNER_ROLE_LABELS, problem_label
from amis.applications.models import APPLICATION_FIELDS, Application
from amis.calls import selectors as calls_selectors
from amis.calls.models import Call
from amis.core import parsing
from amis.core.templatetags.amis import pick_language
from amis.organisations.identifiers import format_enterprise_number
from amis.organisations.models import Organisation
from amis.programme import selectors as programme_selectors
from amis.programme.models import Action

OPEN_FOR_ASSESSMENT = (Application.Status.ELIGIBLE, Application.Status.ASSESSED)


def assessor_may_read(user: Any, app: Application) -> bool:
    """An assessor reads an application open for assessment (on their scoring page, with its
    documents) unless they declared a conflict of interest with the applicant."""
    return (
        app.status in OPEN_FOR_ASSESSMENT
        and check(user, "application.assess").allowed
        and not ConflictOfInterestDeclaration.objects.filter(
            user_id=user.pk, organisation_id=app.organisation_id
        ).exists()
    )


def applications_for(user: Any) -> QuerySet[Application]:
    """All applications for authority readers; for an assessor, those open for assessment (eligible,
    or assessed and waiting for the second assessor or consolidation) except the applicants they
    declared a conflict of interest with; a beneficiary's own organisations' otherwise."""
    qs = Application.objects.select_related("call", "organisation").order_by("-created_at", "-pk")
    if check(user, "application.list").allowed:
        return qs
    if check(user, "application.assess").allowed:
        return qs.filter(status__in=OPEN_FOR_ASSESSMENT).exclude(
            organisation_id__in=ConflictOfInterestDeclaration.objects.filter(user_id=user.pk).values(
                "organisation_id"
            )
        )
    own = {org for org in active_roles(user).get(Role.BENEFICIARY, set()) if org}
    return qs.filter(organisation_id__in=own)


# PostgreSQL's text-search dictionaries for the programme languages: a search matches a word in any of
# them (an application may be written in Dutch, French, German or English, whatever the reader's
# language), each through its own GIN index (migration 0003_application_text_search).
SEARCH_CONFIGS = ("dutch", "french", "german", "english")
SEARCH_FIELDS = ("title", "summary")


def search_vector(config: str) -> Any:
    """The indexed expression: the same here and in the migration's index, or the index is not used."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*SEARCH_FIELDS, config=config)


def search(applications: QuerySet[Application], text: str) -> QuerySet[Application]:
    """Applications whose title or summary holds the words (full-text, stemmed per language on
    PostgreSQL; a plain substring match on SQLite), whose applicant's name contains the text, or whose
    reference is the text. Applied to `applications_for(user)`, so it never widens what the reader
    may see. On PostgreSQL every branch of the condition has its index (the four GIN indexes, the
    reference's unique index, the organisation foreign key's), so the planner ORs index scans."""
    text = " ".join(text.split())[:200]
    if not text:
        return applications
    # the applicants whose name matches: a few hundred at most, read once (5,000 organisations at full scale)
    by_name = list(Organisation.objects.filter(name__icontains=text).values_list("pk", flat=True)[:500])
    if connection.vendor != "postgresql":
        return applications.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(reference__icontains=text)
            | Q(organisation_id__in=by_name)
        )
    from django.contrib.postgres.search import SearchQuery

    condition = Q(reference=text.upper()) | Q(organisation_id__in=by_name)
    aliases = {}
    for config in SEARCH_CONFIGS:
        aliases[f"text_{config}"] = search_vector(config)
        condition |= Q(**{f"text_{config}": SearchQuery(text, config=config, search_type="websearch")})
    return applications.alias(**aliases).filter(condition)


def applicant_organisations(user: Any) -> list[Organisation]:
    """The organisations this person may apply for (their beneficiary roles)."""
    ids = [o for o in active_roles(user).get(Role.BENEFICIARY, set()) if o]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def application_get(reference: str) -> Application | None:
    return (
        Application.objects.select_related("call", "organisation")
        .prefetch_related("budget_lines")
        .filter(reference=reference)
        .first()
    )


def call_terms(call: Call) -> rules.CallTerms:
    return rules.CallTerms(
        max_eu_rate=call.max_eu_rate,
        min_grant=call.min_grant,
        max_grant=call.max_grant,
        eligible_start=call.eligible_start,
        eligible_end=call.eligible_end,
        indirect_rate_max=call.indirect_rate_max,
    )


def application_budget(application: Application) -> rules.Budget:
    return rules.Budget(
        lines=[
            rules.BudgetLine(line.category, line.year, line.amount, line.description)
            for line in application.budget_lines.all()
        ],
        indirect_rate=application.indirect_rate,
        funding={k: Decimal(v) for k, v in application.funding.items()},
    )


def application_problems(application: Application) -> dict[str, str]:
    """What still stands between a draft and its submission (shown on the form before submitting)."""
    call = application.call
    problems = rules.check_for_submission(
        application_budget(application),
        call_terms(call),
        [
            rules.Activity(
                a.get("name", ""), parsing.date(a.get("start"), "x", {}), parsing.date(a.get("end"), "x", {})
            )
            for a in application.activities
        ],
        application.start_date,
        application.end_date,
    ).by_field
    if not application.summary.strip():
        problems["summary"] = "A summary is required."
    for code in call.indicators:
        if code not in application.planned_indicators:
            problems[f"planned_indicators.{code}"] = f"Plan a value for indicator {code}."
    return problems


def problem_rows(app: Application, problems: dict[str, str], language: str) -> list[dict[str, str]]:
    """The submission checklist as the reader says it: what each problem is about, named."""
    names = {
        code: pick_language(name, language)[1]
        for code, name in calls_selectors.indicator_names(app.call).items()
    }
    return [{"label": problem_label(key, names), "message": message} for key, message in problems.items()]


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
        frozen if frozen is not None else {k: getattr(app, k) for k in APPLICATION_FIELDS}
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
        budget = application_budget(app)
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
