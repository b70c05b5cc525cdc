"""The call's grant terms, the changes an officer makes to a draft version (special conditions,
simplified cost options, eligibility period, calendar, the budget of an amendment), and budget
transfers within the agreement's tolerance. Each one transaction with its audit entry; refusals of
rights and of transfers are recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core import audit, messages
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.money import ZERO, cents
from amis.core.transactions import atomic, lock_for_update
from amis.projects import rules
from amis.projects.models import AgreementVersion, BudgetTransfer, GrantTerms, Project
from amis.projects.scope import require_project
from amis.projects.selectors import transfers_of, version_in_force
from amis.projects.services.agreements import grant_terms_for, version_update_terms

GRANT_TERM_FIELDS = (
    "interim_report_months",
    "report_due_days",
    "transfer_tolerance",
    "prefinancing_share",
    "special_conditions",
)


@atomic
def grant_terms_update(
    *, actor: Any, call: Call, expected_lock_version: int, data: dict[str, Any]
) -> GrantTerms:
    """Set what the call's agreements start from (already prepared agreements keep theirs)."""
    assert_in_scope(actor, call, "agreement.prepare")
    existing = lock_for_update(GrantTerms.objects).filter(call=call).first()
    terms = existing if existing is not None else GrantTerms(call=call)
    if terms.lock_version != expected_lock_version:
        raise StaleObjectError(f"grant terms of {call.code}")
    months, days = int(data["interim_report_months"]), int(data["report_due_days"])
    if not 0 <= months <= 60:
        raise ApplicationError(_("An interim report every 0 (none) to 60 months."))
    if not 1 <= days <= 365:
        raise ApplicationError(_("A report is due 1 to 365 days after its period."))
    tolerance, share = Decimal(data["transfer_tolerance"]), Decimal(data["prefinancing_share"])
    for rate in (tolerance, share):
        if not ZERO <= rate <= 1:
            raise ApplicationError(_("A percentage is between 0 and 100."))
    before = {f: str(getattr(terms, f)) for f in GRANT_TERM_FIELDS} if existing else None
    terms.interim_report_months, terms.report_due_days = months, days
    terms.transfer_tolerance, terms.prefinancing_share = tolerance, share
    terms.special_conditions = str(data.get("special_conditions") or "").strip()
    terms.lock_version += 1  # a new row too: a form read before it was made is stale
    try:
        with transaction.atomic():  # two first saves at once: the second finds the row made
            terms.save()
    except IntegrityError:
        raise StaleObjectError(f"grant terms of {call.code}") from None
    audit.record(
        actor=actor,
        action="update" if existing else "create",
        obj=terms,
        before=before,
        after={f: str(getattr(terms, f)) for f in GRANT_TERM_FIELDS},
    )
    return terms


# ---------------------------------------------------------------------------------------------------
# A draft's terms


def _draft(actor: Any, version: AgreementVersion) -> AgreementVersion:
    require_project(actor, version.agreement.project, "agreement.prepare")
    if version.status != AgreementVersion.Status.DRAFT:
        raise ApplicationError(
            _("Only a draft can be changed; this version is %(status)s.")
            % {"status": version.get_status_display()}
        )
    return version


def draft_set_conditions(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int, text: str
) -> AgreementVersion:
    return version_update_terms(
        actor=actor,
        version=version,
        expected_lock_version=expected_lock_version,
        changes={"special_conditions": text.strip()},
    )


def draft_add_simplified_cost(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int, option: dict[str, Any]
) -> AgreementVersion:
    """Add a unit cost, lump sum or flat rate (checked by `rules.simplified_cost_problem`)."""
    current = _draft(actor, version)
    options = list(current.terms.get("simplified_costs", []))
    problem = rules.simplified_cost_problem(option, [str(o["code"]) for o in options])
    if problem:
        raise ApplicationError(problem)
    entry: dict[str, Any] = {
        "code": str(option["code"]).strip(),
        "kind": option["kind"],
        "category": str(option["category"]).strip(),
        "label": str(option.get("label") or "").strip(),
    }
    if option["kind"] == rules.SimplifiedCostKind.FLAT_RATE:
        entry["rate"] = str(option["rate"])
        entry["base"] = sorted(
            {str(b["category"]) for b in current.terms.get("budget", [])} - {entry["category"]}
        )
    else:
        entry["amount"] = str(option["amount"])
        entry["unit"] = str(option.get("unit") or "").strip()
    return version_update_terms(
        actor=actor,
        version=version,
        expected_lock_version=expected_lock_version,
        changes={"simplified_costs": [*options, entry]},
    )


def draft_remove_simplified_cost(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int, code: str
) -> AgreementVersion:
    options = list(_draft(actor, version).terms.get("simplified_costs", []))
    kept = [o for o in options if o["code"] != code]
    if len(kept) == len(options):
        raise ApplicationError(_("The agreement has no simplified cost option %(code)s.") % {"code": code})
    return version_update_terms(
        actor=actor,
        version=version,
        expected_lock_version=expected_lock_version,
        changes={"simplified_costs": kept},
    )


def _calendar(call: Call, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    terms = grant_terms_for(call)
    return [
        {
            "number": e.number,
            "kind": e.kind,
            "period_start": e.period_start.isoformat(),
            "period_end": e.period_end.isoformat(),
            "due_date": e.due_date.isoformat(),
        }
        for e in rules.reporting_calendar(start, end, terms.interim_report_months, terms.report_due_days)
    ]


def draft_set_period(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int, start: dt.date, end: dt.date
) -> AgreementVersion:
    """The eligibility period, and the reporting calendar made again for it from the call's terms."""
    current = _draft(actor, version)
    period = str(current.terms.get("period", ""))
    problem = rules.eligibility_problem(period, start, end)
    if problem:
        raise ApplicationError(problem)
    call = current.agreement.project.application.call
    return version_update_terms(
        actor=actor,
        version=version,
        expected_lock_version=expected_lock_version,
        changes={
            "eligible_start": start.isoformat(),
            "eligible_end": end.isoformat(),
            "calendar": _calendar(call, start, end),
        },
    )


def draft_regenerate_calendar(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int
) -> AgreementVersion:
    """The reporting calendar made again from the call's grant terms (after they changed)."""
    current = _draft(actor, version)
    call = current.agreement.project.application.call
    return version_update_terms(
        actor=actor,
        version=version,
        expected_lock_version=expected_lock_version,
        changes={"calendar": _calendar(call, current.eligible_start, current.eligible_end)},
    )


def grant_ceiling(version: AgreementVersion) -> Decimal:
    """The highest grant a draft may give without saying it is an increase: that of the version in
    force (for version 1, the grant the committee approved)."""
    in_force = version_in_force(version.agreement.project)
    if in_force is not None and in_force.pk != version.pk:
        return in_force.max_grant
    return version.agreement.project.eu_contribution


def draft_set_budget(
    *,
    actor: Any,
    version: AgreementVersion,
    expected_lock_version: int,
    budget: dict[tuple[str, int], Decimal],
    increase: bool = False,
) -> AgreementVersion:
    """The budget of a draft per cost category and year. The total cost and the maximum grant follow
    at the agreement's EU rate; a grant above the one in force is refused unless `increase` says the
    amendment raises it (the authority then approves an increase, not a reshuffle)."""
    current = _draft(actor, version)
    if not budget:
        raise ApplicationError(_("The budget needs at least one line."))
    for (category, year), amount in budget.items():
        if amount < 0 or amount != cents(amount):
            raise ApplicationError(
                _("%(category)s %(year)s: an amount of zero or more, in euro and cents.")
                % {"category": category, "year": year}
            )
        if not current.eligible_start.year <= year <= current.eligible_end.year:
            raise ApplicationError(_("%(year)s is outside the eligibility period.") % {"year": year})
    terms = current.terms
    figures = rules.grant_figures(budget.values(), Decimal(terms.get("indirect_rate", "0")), current.eu_rate)
    ceiling = grant_ceiling(current)
    raised = figures.increase_over(ceiling)
    if raised and not increase:
        raise ApplicationError(
            _(
                "With this budget the maximum grant becomes %(grant)s, %(raised)s more than the %(ceiling)s "
                "in force. Say that this amendment increases the grant, or keep the total."
            )
            % {
                "grant": messages.amount(figures.max_grant),
                "raised": messages.amount(raised),
                "ceiling": messages.amount(ceiling),
            },
            code="increase",
        )
    funding = dict(terms.get("funding") or {})
    others = sum((Decimal(v) for k, v in funding.items() if k != "eu"), ZERO)
    funding["eu"] = str(figures.max_grant)
    # the co-financing plan follows: what the EU no longer pays, the national co-funding does
    rest = figures.total_cost - figures.max_grant
    if others != rest:
        key = (
            "national_public"
            if "national_public" in funding
            else next((k for k in funding if k != "eu"), "national_public")
        )
        keep = sum((Decimal(v) for k, v in funding.items() if k not in ("eu", key)), ZERO)
        if rest - keep < 0:
            raise ApplicationError(
                _(
                    "With this budget the co-financing plan no longer adds up: the other co-financers "
                    "already pay %(others)s, more than the %(rest)s the EU grant leaves to pay."
                )
                % {"others": messages.amount(keep), "rest": messages.amount(rest)}
            )
        funding[key] = str(rest - keep)
    share = Decimal(terms.get("prefinancing_share", "0"))
    return version_update_terms(
        actor=actor,
        version=version,
        expected_lock_version=expected_lock_version,
        changes={
            "budget": [{"category": c, "year": y, "amount": str(a)} for (c, y), a in sorted(budget.items())],
            "total_cost": str(figures.total_cost),
            "max_grant": str(figures.max_grant),
            "funding": funding,
            "prefinancing_amount": str(cents(figures.max_grant * share)),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Budget transfers


def direct_budget(version: AgreementVersion) -> dict[str, Decimal]:
    """The version's direct-cost budget per category, before any transfer."""
    out: dict[str, Decimal] = {}
    for category, amount in version.budget_lines.values_list("category", "amount"):
        out[category] = out.get(category, ZERO) + amount
    return out


@atomic
def budget_transfer(
    *,
    actor: Any,
    project: Project,
    expected_lock_version: int,
    from_category: str,
    to_category: str,
    amount: Decimal,
    reason: str,
) -> BudgetTransfer:
    """Move budget between two cost categories of the version in force, within its tolerance
    (`rules.transfer_problem`); above it the transfer is refused (and the refusal recorded): an
    amendment is needed."""
    locked = lock_for_update(Project.objects.select_related("application__call", "organisation")).get(
        pk=project.pk
    )
    require_project(actor, locked, "budget.transfer")
    if locked.lock_version != expected_lock_version:
        raise StaleObjectError(str(locked))
    if not reason.strip():
        raise ApplicationError(_("Say why the budget is moved."))
    version = version_in_force(locked)
    if version is None:
        raise ApplicationError(_("The project has no signed agreement yet."))
    received, given = transfers_of(version)
    problem = rules.transfer_problem(
        direct_budget(version),
        received,
        given,
        from_category,
        to_category,
        amount,
        version.transfer_tolerance,
    )
    if problem:
        audit.record_security_event(
            user=actor,
            event="permission_refused",
            obj=locked,
            detail={
                "action": "budget.transfer",
                "reason": problem,
                "from": from_category,
                "to": to_category,
                "amount": str(amount),
            },
        )
        raise ApplicationError(problem, code="tolerance")
    transfer = BudgetTransfer.objects.create(
        version=version,
        from_category=from_category,
        to_category=to_category,
        amount=amount,
        reason=reason.strip(),
        made_by=actor,
    )
    locked.lock_version += 1
    locked.save(update_fields=["lock_version"])
    audit.record(
        actor=actor,
        action="create",
        obj=transfer,
        after={
            "project": locked.reference,
            "version": version.number,
            "from": from_category,
            "to": to_category,
            "amount": str(amount),
            "reason": transfer.reason,
        },
    )
    return transfer
