"""Drafts: starting an application in an open call and saving it part by part (incomplete is fine,
malformed is not), and previewing what its budget adds up to; each write in one transaction with its
audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.applications import rules
from amis.applications.models import APPLICATION_FIELDS, Application, BudgetLine
from amis.applications.selectors import application_budget, call_terms
from amis.calls.models import Call
from amis.core import audit, parsing
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.transactions import atomic, lock_for_update
from amis.organisations import identifiers
from amis.organisations.models import Organisation


@atomic
def application_create(
    *, actor: Any, call: Call, organisation: Organisation, title: str, now: dt.datetime | None = None
) -> Application:
    require(actor, "application.edit", organisation)
    if call.status != Call.Status.PUBLISHED:
        raise ApplicationError(_("Call %(code)s is not open for applications.") % {"code": call.code})
    problem = rules.deadline_problem(now or timezone.now(), call.opens_at, call.closes_at)
    if problem:
        raise ApplicationError(problem)
    if organisation.status != Organisation.Status.APPROVED:
        raise ApplicationError(_("Your organisation's registration has not been approved yet."))
    if call.eligible_kinds and organisation.kind not in call.eligible_kinds:
        raise ApplicationError(
            _("This call is not open to organisations of the kind '%(kind)s'.")
            % {"kind": organisation.get_kind_display()}
        )
    if call.procedure == Call.Procedure.DIRECT_AWARD and call.invited_organisation_id != organisation.pk:
        raise ApplicationError(_("This direct award is reserved for the invited organisation."))
    problems: dict[str, str] = {}
    title = parsing.text(title, "title", problems, rules.NAME_MAX)
    if not title and not problems:
        problems["title"] = _("Give the project a title.")
    if problems:
        raise parsing.fields_error(problems)
    lock_for_update(Call.objects).get(pk=call.pk)  # serialise reference numbering per call
    number = call.applications.count() + 1
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        reference=f"{call.code}-{number:03d}",
        title=title,
        created_by=actor,
        indirect_rate=Decimal("0.0000"),
    )
    audit.record(actor=actor, action="create", obj=application, after={"title": application.title})
    return application


@atomic
def application_update(
    *, actor: Any, application: Application, data: dict[str, Any], expected_lock_version: int
) -> Application:
    """Save a draft: incomplete is fine, malformed is not (negative amounts, too many decimals...)."""
    current = lock_for_update(Application.objects.select_related("call")).get(pk=application.pk)
    require(actor, "application.edit", current.organisation)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(f"Application {current.reference}")
    if current.status != Application.Status.DRAFT:
        raise ApplicationError(
            _("Application %(reference)s was %(status)s; it can no longer be changed.")
            % {"reference": current.reference, "status": current.get_status_display()}
        )
    problems: dict[str, str] = {}
    values = {k: data[k] for k in APPLICATION_FIELDS if k in data}
    for key in ("start_date", "end_date"):
        if key in values:
            values[key] = parsing.date(values[key], key, problems)
    _check_texts(values, problems)
    _check_content(values, current, problems)
    budget, lines = _budget_from(values, data, current, problems)
    checked = rules.Problems()
    rules.check_budget(budget, call_terms(current.call), checked)
    problems.update(checked.by_field)
    if problems:
        raise parsing.fields_error(problems)
    before = {k: str(getattr(current, k)) for k in values}
    for key, value in values.items():
        setattr(current, key, value)
    if lines is not None:
        current.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=current,
                position=i,
                category=line.category,
                year=line.year,
                description=line.description,
                amount=line.amount,
            )
            for i, line in enumerate(lines)
        )
        before["budget"] = "replaced"
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before=before,
        after={k: str(v) for k, v in values.items()}
        | ({"budget": str(len(lines))} if lines is not None else {}),
    )
    return current


def _budget_from(
    values: dict[str, Any], data: dict[str, Any], current: Application, problems: dict[str, str]
) -> tuple[rules.Budget, list[rules.BudgetLine] | None]:
    """The budget as `data` would leave it (unchanged parts from `current`); normalises `values`'
    indirect rate and funding in place. Lines are None when `data` does not replace them."""
    if "indirect_rate" in values:
        values["indirect_rate"] = _rate(values["indirect_rate"], problems)
    if "funding" in values:
        values["funding"] = {k: str(v) for k, v in _funding(values["funding"], problems).items()}
    lines = _lines(data["budget"], problems) if "budget" in data else None
    budget = rules.Budget(
        lines=lines if lines is not None else application_budget(current).lines,
        indirect_rate=values.get("indirect_rate", current.indirect_rate),
        funding={k: Decimal(v) for k, v in values.get("funding", current.funding).items()},
    )
    return budget, lines


def _rate(raw: Any, problems: dict[str, str]) -> Decimal:
    """The flat rate as a share (0.07 is 7 %), stored with four decimals: more would be rounded away."""
    rate = parsing.decimal(raw, "indirect_rate", problems) or Decimal("0")
    if rate != rate.quantize(Decimal("0.0001")):
        problems["indirect_rate"] = _("The flat rate has at most two decimals in per cent (7.25 %).")
    return rate


def _funding(raw: Any, problems: dict[str, str]) -> dict[str, Decimal]:
    """The co-financing plan: funding source -> amount."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        problems["funding"] = "Give the co-financing plan as funding source -> amount."
        return {}
    funding = {}
    for source, value in raw.items():
        amount = parsing.decimal(value, f"funding.{parsing.shown(source)}", problems)
        if amount is not None:
            funding[str(source)] = amount
    return funding


def _lines(raw: Any, problems: dict[str, str]) -> list[rules.BudgetLine]:
    """The budget lines, each an object with a category, a year, a description and an amount."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        problems["budget"] = "Give the budget as a list of lines."
        return []
    if len(raw) > rules.BUDGET_LINES_MAX:
        problems["budget"] = f"At most {rules.BUDGET_LINES_MAX} budget lines (this has {len(raw)})."
        return []
    lines = []
    for index, line in enumerate(raw):
        where = f"budget.{index}"
        if not isinstance(line, dict):
            problems[where] = "A budget line is a category, a year, a description and an amount."
            continue
        amount = parsing.decimal(line.get("amount"), f"{where}.amount", problems)
        checked = rules.Problems()
        year = rules.budget_year(line.get("year"), f"{where}.year", checked)
        problems.update(checked.by_field)
        description = parsing.text(line.get("description"), f"{where}.description", problems, 300)
        category = parsing.text(line.get("category"), f"{where}.category", problems, 20)
        lines.append(rules.BudgetLine(category, year, amount or Decimal("0"), description))
    return lines


def _check_texts(values: dict[str, Any], problems: dict[str, str]) -> None:
    """Title, summary, description and co-funders' names: texts, within their lengths, normalised in
    place (the title fits the model's 300 characters; the other two are TextFields, limited here)."""
    limits = {"title": rules.NAME_MAX, "summary": rules.TEXT_MAX, "description": rules.DESCRIPTION_MAX}
    for key, limit in limits.items():
        if key in values:
            values[key] = parsing.text(values[key], key, problems, limit)
    if "title" in values and not values["title"] and "title" not in problems:
        problems["title"] = _("Give the project a title.")
    checked = rules.Problems()
    if "funders" in values:
        values["funders"] = rules.check_funders(values["funders"] or {}, checked)
    if "planned_indicators" in values:
        values["planned_indicators"] = rules.check_planned_indicators(
            values["planned_indicators"] or {}, checked
        )
    for key, message in checked.by_field.items():
        problems.setdefault(key, message)


def _check_content(values: dict[str, Any], current: Application, problems: dict[str, str]) -> None:
    """Actions, target groups, participants, partners and work plan, normalised in place."""
    checked = rules.Problems()
    call = current.call
    if "actions" in values:
        values["actions"] = rules.check_actions(values["actions"], list(call.actions), checked)
    if "target_groups" in values:
        values["target_groups"] = rules.check_target_groups(
            values["target_groups"], list(call.target_groups), checked
        )
    counts = ("expected_participants", "vulnerable_participants", "unaccompanied_minors")
    if any(k in values for k in counts):
        expected, vulnerable, minors = (values[k] if k in values else getattr(current, k) for k in counts)
        cleaned = rules.check_participants(expected, vulnerable, minors, checked)
        for key, value in zip(counts, cleaned, strict=True):
            if key in values:
                values[key] = value
    if "partners" in values:
        values["partners"] = rules.check_partners(values["partners"], identifiers.enterprise_number, checked)
    if "activities" in values:
        values["activities"] = rules.check_activities(values["activities"], checked)
    for key, message in checked.by_field.items():
        problems.setdefault(key, message)


def application_preview(
    application: Application, data: dict[str, Any]
) -> tuple[rules.BudgetSummary, dict[str, str]]:
    """What the budget and co-financing plan in `data` add up to, and their problems; saves nothing."""
    problems: dict[str, str] = {}
    values: dict[str, Any] = {k: data[k] for k in ("indirect_rate", "funding") if k in data}
    budget, _lines = _budget_from(values, data, application, problems)
    checked = rules.Problems()
    terms = call_terms(application.call)
    rules.check_budget(budget, terms, checked)
    for key, message in checked.by_field.items():
        problems.setdefault(key, message)
    return rules.summarise(budget, terms), problems
