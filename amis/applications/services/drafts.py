"""Drafts: starting an application in an open call and saving it part by part (incomplete is fine,
malformed is not), and previewing what its budget adds up to; each write in one transaction with its
audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

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
        raise ApplicationError(f"Call {call.code} is not open for applications.")
    problem = rules.deadline_problem(now or timezone.now(), call.opens_at, call.closes_at)
    if problem:
        raise ApplicationError(problem)
    if organisation.status != Organisation.Status.APPROVED:
        raise ApplicationError("Your organisation's registration has not been approved yet.")
    if call.eligible_kinds and organisation.kind not in call.eligible_kinds:
        raise ApplicationError(
            f"This call is not open to organisations of the kind '{organisation.get_kind_display()}'."
        )
    if call.procedure == Call.Procedure.DIRECT_AWARD and call.invited_organisation_id != organisation.pk:
        raise ApplicationError("This direct award is reserved for the invited organisation.")
    if not title.strip():
        raise parsing.fields_error({"title": "Give the project a title."})
    lock_for_update(Call.objects).get(pk=call.pk)  # serialise reference numbering per call
    number = call.applications.count() + 1
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        reference=f"{call.code}-{number:03d}",
        title=title.strip(),
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
            f"Application {current.reference} was {current.get_status_display()}; "
            "it can no longer be changed."
        )
    problems: dict[str, str] = {}
    values = {k: data[k] for k in APPLICATION_FIELDS if k in data}
    for key in ("start_date", "end_date"):
        if key in values:
            values[key] = parsing.date(values[key], key, problems)
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
        values["indirect_rate"] = parsing.decimal(
            values["indirect_rate"], "indirect_rate", problems
        ) or Decimal("0")
    if "funding" in values:
        funding = {}
        for source, raw in (values["funding"] or {}).items():
            amount = parsing.decimal(raw, f"funding.{source}", problems)
            if amount is not None:
                funding[source] = amount
        values["funding"] = {k: str(v) for k, v in funding.items()}
    lines: list[rules.BudgetLine] | None = None
    if "budget" in data:
        lines = []
        for index, raw in enumerate(data["budget"] or []):
            amount = parsing.decimal(raw.get("amount"), f"budget.{index}.amount", problems)
            try:
                year = int(raw.get("year"))
            except (TypeError, ValueError):
                problems[f"budget.{index}.year"] = "A budget line needs a year."
                year = 0
            lines.append(
                rules.BudgetLine(
                    str(raw.get("category", "")),
                    year,
                    amount or Decimal("0"),
                    str(raw.get("description", ""))[:300],
                )
            )
    budget = rules.Budget(
        lines=lines if lines is not None else application_budget(current).lines,
        indirect_rate=values.get("indirect_rate", current.indirect_rate),
        funding={k: Decimal(v) for k, v in values.get("funding", current.funding).items()},
    )
    return budget, lines


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
