"""Reads of what is declared to the Commission: payment applications and their items in the
reader's scope, the per-SO totals (always derived from the items), the receipts from the Commission,
the accounts of a year with their reconciliation, the decommitment risk, and the EU amount declared
per call for the dashboard.

Scope: the responsible authority, the accounting unit, the audit authority and the Monitoring
Committee read whole programmes; a delegated authority officer reads only the items of the projects
of the calls delegated to them (`projects.scope.projects_for`), and the totals built from them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from amis.accounts.permissions import active_roles, check
from amis.accounts.roles import Role
from amis.calls.selectors import managed_calls_filter
from amis.core.money import ZERO, cents
from amis.declarations import rules
from amis.declarations.models import (
    AnnualAccounts,
    CommissionReceipt,
    PaymentApplication,
    PaymentApplicationItem,
)
from amis.payments.models import Payment, RecoveryReceipt
from amis.programme.models import Programme
from amis.programme.selectors import programme_commitments
from amis.projects.scope import projects_for
from amis.reporting.models import Report
from amis.verification.models import FinancialCorrection, Verification

WHOLE_READERS = frozenset(
    {Role.RA_MANAGER, Role.RA_OFFICER, Role.ACCOUNTING_OFFICER, Role.AUDITOR, Role.MC_MEMBER}
)


def whole_programme(user: Any) -> bool:
    """Whether this person reads whole programmes (None for a system caller: the CLI)."""
    if user is None:
        return True
    return bool(set(active_roles(user)) & WHOLE_READERS)


def programmes_for(user: Any) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("period", "fund").order_by("cci")
    if user is not None and not check(user, "declaration.view").allowed:
        return qs.none()
    if whole_programme(user):
        return qs
    calls = managed_calls_filter(user)
    if calls is None:
        return qs
    return qs.filter(pk__in=_calls_programmes(calls))


def _calls_programmes(calls: Q) -> QuerySet[Any]:
    from amis.calls.models import Call

    return Call.objects.filter(calls).values("programme_id")


def items_for(user: Any) -> QuerySet[PaymentApplicationItem]:
    qs = PaymentApplicationItem.objects.select_related(
        "project__organisation", "call", "application__programme", "held_by", "reintroduces__application"
    )
    if whole_programme(user):
        return qs
    return qs.filter(project__in=projects_for(user).values("pk"))


def applications_for(user: Any) -> QuerySet[PaymentApplication]:
    return (
        PaymentApplication.objects.filter(programme__in=programmes_for(user))
        .select_related("programme__period", "prepared_by", "submitted_by")
        .order_by("-year", "-sequence", "-pk")
    )


def application_items(user: Any, application: PaymentApplication) -> list[PaymentApplicationItem]:
    return list(
        items_for(user)
        .filter(application=application)
        .order_by("specific_objective", "project__reference", "pk")
    )


@dataclass
class SoRow:
    specific_objective: str
    amounts: rules.Amounts
    items: int = 0


def so_totals(items: list[PaymentApplicationItem]) -> tuple[list[SoRow], rules.Amounts]:
    """Per specific objective, the items that count (not held back), and their total, to the cent."""
    rows: dict[str, SoRow] = {}
    for item in items:
        if item.held_back and item.held_stage == PaymentApplicationItem.Stage.APPLICATION:
            continue
        row = rows.setdefault(item.specific_objective, SoRow(item.specific_objective, rules.Amounts()))
        row.amounts = row.amounts + rules.Amounts(item.eligible, item.public, item.eu)
        row.items += 1
    ordered = [rows[k] for k in sorted(rows)]
    return ordered, rules.total(r.amounts for r in ordered)


def declarable(programme: Programme, until: dt.date) -> QuerySet[Verification]:
    """Completed verifications of the programme's projects, completed by `until`, never declared
    and not held back awaiting their reintroduction."""
    return (
        Verification.objects.filter(
            status=Verification.Status.COMPLETED,
            report__project__application__call__programme=programme,
            completed_at__date__lte=until,
        )
        .exclude(declared_items__isnull=False)
        .select_related("report__project__organisation", "report__project__application__call")
        .order_by("pk")
    )


def paid_parts(verifications: list[Verification], until: dt.date) -> dict[int, Decimal]:
    """2014-2020: the EU amount the responsible authority has paid the beneficiary for each of these
    verifications (not declared yet) by `until` — "expenditure incurred and paid by the responsible
    authority" (Reg. (EU) No 514/2014 Art. 44; the accounts of Implementing Reg. (EU) 2015/378) is
    what the authority paid, not what was verified. Per project: its payments recorded as paid by
    the bank's date up to `until` (pre-financing, interim and balance with their offsets, less the
    returns recorded), less what its items already declare, taken by the project's verifications in
    the order they were completed (`rules.paid_parts`). A verification the payments do not cover
    yet is absent (it waits), unless its final balance is paid: then what was paid is declared."""
    if not verifications:
        return {}
    project_ids = sorted({v.report.project_id for v in verifications})
    paid = _paid_by_project(project_ids, until)
    declared = {pk: a.eu for pk, a in _standing_by_project(project_ids).items()}
    balanced = set(
        Payment.objects.filter(
            report__in=[v.report_id for v in verifications],
            kind=Payment.Kind.BALANCE,
            status=Payment.Status.PAID,
            paid_on__lte=until,
        ).values_list("report_id", flat=True)
    )
    out: dict[int, Decimal] = {}
    for project_id in project_ids:
        mine = sorted(
            (v for v in verifications if v.report.project_id == project_id),
            key=lambda v: (v.completed_at or timezone.now(), v.pk),
        )
        parts = rules.paid_parts(
            [
                (Decimal(v.eu_share or 0), v.report.kind == Report.Kind.FINAL and v.report_id in balanced)
                for v in mine
            ],
            paid.get(project_id, ZERO),
            declared.get(project_id, ZERO),
        )
        out.update({v.pk: part for v, part in zip(mine, parts, strict=True) if part is not None})
    return out


def _paid_by_project(project_ids: list[int], until: dt.date) -> dict[int, Decimal]:
    """Per project, what the beneficiary received by `until`: payments recorded as paid by that
    bank's date, with their offsets, less the returns recorded by then."""
    rows = (
        Payment.objects.filter(project_id__in=project_ids, status=Payment.Status.PAID, paid_on__lte=until)
        .exclude(Q(kind=Payment.Kind.CANCELLATION) & ~Q(cancels__status=Payment.Status.PAID))
        .values("project_id")
        .annotate(a=Sum("amount"), o=Sum("offset"))
    )
    return {row["project_id"]: _money(row["a"]) + _money(row["o"]) for row in rows}


def held_back_items(programme: Programme) -> QuerySet[PaymentApplicationItem]:
    """Items held back and not reintroduced yet: what may go into the next application."""
    return (
        PaymentApplicationItem.objects.filter(
            application__programme=programme, held_back=True, reintroduced_by__isnull=True
        )
        .select_related("project", "application")
        .order_by("application__year", "application__sequence", "pk")
    )


def receipts(programme: Programme) -> list[CommissionReceipt]:
    return list(CommissionReceipt.objects.filter(programme=programme).order_by("received_on", "pk"))


# -- the accounts -----------------------------------------------------------------------------------


@dataclass
class AccountsView:
    programme: Programme
    year: int
    period: str
    start: dt.date
    end: dt.date
    objectives: list[rules.ObjectiveAccounts]
    total: rules.ObjectiveAccounts
    differences: list[rules.Movement]
    # None for a reader of a part of the programme (a delegated authority): the Commission pays the
    # programme, not a part of it, so its pre-financing and payments are not theirs to read
    prefinancing: Decimal | None
    received: Decimal | None
    applications: list[PaymentApplication]
    record: AnnualAccounts | None
    frozen: bool = False
    lines: list[rules.Movement] = field(default_factory=list)


def _first_declared(project_ids: Any, until: dt.date) -> dict[int, dt.date]:
    """Per project, the date its expenditure first reached the Commission in an application that
    stays in (submitted by `until`, not held back from the application)."""
    first: dict[int, dt.date] = {}
    rows = (
        PaymentApplicationItem.objects.filter(
            application__status=PaymentApplication.Status.SUBMITTED,
            application__submitted_on__lte=until,
        )
        .filter(held_back=False)
        .values_list("project_id", "application__submitted_on")
    )
    if project_ids is not None:
        rows = rows.filter(project_id__in=project_ids)
    for project_id, day in rows:
        if day is None:
            continue
        if project_id not in first or day < first[project_id]:
            first[project_id] = day
    return first


def movements(programme: Programme, year: int, project_ids: Any = None) -> list[rules.Movement]:
    """Every figure behind the accounts of `year`: the items of the year's submitted applications
    (declared; held back from the accounts), the corrections and the recoveries received on
    projects already declared, each counted in the year of the later of its own date and the
    project's first declaration (a correction before the declaration is withdrawn once declared)."""
    period = programme.period.code
    start, end = rules.year_bounds(period, year)
    out: list[rules.Movement] = []
    items = PaymentApplicationItem.objects.filter(
        application__programme=programme,
        application__year=year,
        application__status=PaymentApplication.Status.SUBMITTED,
    ).exclude(held_stage=PaymentApplicationItem.Stage.APPLICATION)
    if project_ids is not None:
        items = items.filter(project_id__in=project_ids)
    for item in items.select_related("project", "application").order_by("specific_objective", "pk"):
        amounts = rules.Amounts(item.eligible, item.public, item.eu)
        ref = f"{item.application.year}/{item.application.sequence} · {item.project.reference}"
        out.append(rules.Movement("declared", item.specific_objective, amounts, ref, f"item:{item.pk}"))
        if item.held_back:
            out.append(rules.Movement("held_back", item.specific_objective, amounts, ref, item.held_reason))
    first = _first_declared(project_ids, end)
    corrections = FinancialCorrection.objects.filter(
        project__application__call__programme=programme, project_id__in=list(first)
    ).select_related("project__application__call", "project__organisation", "project__application")
    for c in corrections.order_by("created_at", "pk"):
        when = max(timezone.localtime(c.created_at).date(), first[c.project_id])
        if start <= when <= end:
            kind = c.project.organisation.kind
            public = rules.public_contribution(c.amount, c.eu_amount, kind, c.project.application.funding)
            amounts = rules.Amounts(c.amount, public, c.eu_amount)
            so = c.project.application.call.specific_objective
            out.append(
                rules.Movement("corrected", so, amounts, f"{c.project.reference} · {c.category}", c.reason)
            )
    out.extend(_recovered(programme, first, start, end))
    return out


def _standing_by_project(project_ids: list[int], submitted: bool = False) -> dict[int, rules.Amounts]:
    """Per project, the amounts of its items that stand: not held back, or held back and not
    reintroduced yet (the verification stays declared); `submitted`: only the items that stay in
    submitted applications."""
    out: dict[int, rules.Amounts] = {}
    items = PaymentApplicationItem.objects.filter(project_id__in=project_ids)
    if submitted:
        items = items.filter(application__status=PaymentApplication.Status.SUBMITTED, held_back=False)
    else:
        items = items.exclude(held_back=True, reintroduced_by__isnull=False)
    rows = items.values("project_id").annotate(eligible=Sum("eligible"), public=Sum("public"), eu=Sum("eu"))
    for row in rows:
        out[row["project_id"]] = rules.Amounts(
            _money(row["eligible"]), _money(row["public"]), _money(row["eu"])
        )
    return out


def _recovered(
    programme: Programme, first: dict[int, dt.date], start: dt.date, end: dt.date
) -> list[rules.Movement]:
    """The recoveries received on declared projects, counted in the year of the later of the
    receipt and the project's first declaration. Each withdraws its EU amount and the eligible
    expenditure behind it (at the rate of what the project declared, `rules.expenditure_for`)
    with its public contribution. A recovery ordered from a finding whose financial correction
    already withdrew the expenditure makes good that correction first: only what it brings beyond
    the correction's EU amount (by the receipt's date) is subtracted again
    (`rules.recovered_beyond_corrections`)."""
    receipts = list(
        RecoveryReceipt.objects.filter(
            recovery__project__application__call__programme=programme,
            recovery__project_id__in=list(first),
        )
        .select_related(
            "recovery__project__application__call",
            "recovery__project__organisation",
            "recovery__irregularity",
        )
        .order_by("received_on", "pk")
    )
    if not receipts:
        return []
    findings = {
        r.pk: r.recovery.finding_id
        or (r.recovery.irregularity.finding_id if r.recovery.irregularity else None)
        for r in receipts
    }
    corrections: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for finding_id, created, eu in FinancialCorrection.objects.filter(
        finding_id__in={f for f in findings.values() if f is not None}
    ).values_list("finding_id", "created_at", "eu_amount"):
        corrections[finding_id].append((timezone.localtime(created).date(), eu))
    counted: dict[int, Decimal] = {}
    by_finding: dict[int, list[RecoveryReceipt]] = defaultdict(list)
    for r in receipts:
        source = findings[r.pk]
        if source is None:
            counted[r.pk] = r.amount
        else:
            by_finding[source].append(r)
    for finding_id, mine in by_finding.items():
        parts = rules.recovered_beyond_corrections(
            (r.amount, sum((eu for day, eu in corrections[finding_id] if day <= r.received_on), ZERO))
            for r in mine
        )
        counted.update(zip((r.pk for r in mine), parts, strict=True))
    declared = _standing_by_project(list({r.recovery.project_id for r in receipts}), submitted=True)
    out: list[rules.Movement] = []
    for r in receipts:
        project = r.recovery.project
        when = max(r.received_on, first[project.pk])
        eu = counted[r.pk]
        if not start <= when <= end or eu <= 0:
            continue
        eligible = rules.expenditure_for(eu, declared.get(project.pk, rules.Amounts()))
        public = rules.public_contribution(
            eligible, eu, project.organisation.kind, project.application.funding
        )
        out.append(
            rules.Movement(
                "recovered",
                project.application.call.specific_objective,
                rules.Amounts(eligible, max(public, eu), eu),
                project.reference,
                r.recovery.reason,
            )
        )
    return out


def _scope_projects(user: Any) -> Any:
    return None if whole_programme(user) else list(projects_for(user).values_list("pk", flat=True))


def accounts_view(user: Any, programme: Programme, year: int) -> AccountsView:
    """The accounts of `year` as the reader may see them: a submitted record's frozen snapshot for
    whole-programme readers, else computed now from the items, corrections and recoveries. A reader
    of a part of the programme (a delegated authority) sees the movements of its projects only and
    no pre-financing nor payment from the Commission (`prefinancing` and `received` None): those
    are the programme's, and no share of them belongs to a part."""
    period = programme.period.code
    start, end = rules.year_bounds(period, year)
    record = AnnualAccounts.objects.filter(programme=programme, year=year).first()
    scope = _scope_projects(user)
    if record is not None and record.status == AnnualAccounts.Status.SUBMITTED and scope is None:
        lines = [
            rules.Movement(
                m["kind"], m["so"], rules.Amounts.from_dict(m["amounts"]), m["ref"], m["explanation"]
            )
            for m in record.snapshot.get("movements", [])
        ]
        frozen = True
    else:
        lines = movements(programme, year, scope)
        frozen = False
    by_so = rules.accounts(lines)
    total = rules.ObjectiveAccounts("total")
    for row in by_so.values():
        for kind in rules.KINDS:
            setattr(total, kind, getattr(total, kind) + getattr(row, kind))
    prefinancing: Decimal | None = None
    received: Decimal | None = None
    if scope is None:
        cash = CommissionReceipt.objects.filter(programme=programme, received_on__range=(start, end))
        # to the cent: SQLite sums decimals as floats (PostgreSQL's NUMERIC is exact)
        prefinancing = _money(
            cash.filter(kind=CommissionReceipt.Kind.PREFINANCING).aggregate(s=Sum("amount"))["s"]
        )
        received = _money(cash.aggregate(s=Sum("amount"))["s"])
    if frozen and record is not None:
        prefinancing = Decimal(record.snapshot.get("prefinancing", "0"))
        received = Decimal(record.snapshot.get("received", "0"))
    applications = list(
        PaymentApplication.objects.filter(
            programme=programme, year=year, status=PaymentApplication.Status.SUBMITTED
        ).order_by("sequence")
    )
    return AccountsView(
        programme=programme,
        year=year,
        period=period,
        start=start,
        end=end,
        objectives=list(by_so.values()),
        total=total,
        differences=[m for m in lines if m.kind in rules.DIFFERENCE_KINDS],
        prefinancing=prefinancing,
        received=received,
        applications=applications,
        record=record,
        frozen=frozen,
        lines=lines,
    )


def amounts_out(a: rules.Amounts) -> dict[str, str]:
    return a.as_dict()


def accounts_document(view: AccountsView) -> dict[str, Any]:
    """The accounts as plain data (JSON, the API, the CLI and the frozen snapshot)."""
    period_rules = rules.period_rules(view.period)

    def row(o: rules.ObjectiveAccounts) -> dict[str, Any]:
        return {
            "specific_objective": o.specific_objective,
            "declared": amounts_out(o.declared),
            "held_back": amounts_out(o.held_back),
            "in_accounts": amounts_out(o.in_accounts),
            "corrected": amounts_out(o.corrected),
            "recovered": amounts_out(o.recovered),
            "net": amounts_out(o.net),
            "difference": amounts_out(o.difference),
        }

    return {
        "programme": view.programme.cci,
        "period": view.period,
        "year": view.year,
        "start": view.start.isoformat(),
        "end": view.end.isoformat(),
        "article": period_rules.accounts_article,
        "template": period_rules.accounts_template,
        "status": view.record.status if view.record else "not_prepared",
        "frozen": view.frozen,
        "objectives": [row(o) for o in view.objectives],
        "total": row(view.total),
        # None (null) for a reader of a part of the programme: the Commission's money is programme-wide
        "prefinancing": None if view.prefinancing is None else str(view.prefinancing),
        "received": None if view.received is None else str(view.received),
        "applications": [
            {
                "id": a.pk,
                "sequence": a.sequence,
                "submitted_on": a.submitted_on.isoformat() if a.submitted_on else None,
            }
            for a in view.applications
        ],
        "differences": [
            {
                "kind": m.kind,
                "so": m.specific_objective,
                "amounts": amounts_out(m.amounts),
                "ref": m.ref,
                "explanation": m.explanation,
            }
            for m in view.differences
        ],
    }


def snapshot_movements(lines: list[rules.Movement]) -> list[dict[str, Any]]:
    return [
        {
            "kind": m.kind,
            "so": m.specific_objective,
            "amounts": m.amounts.as_dict(),
            "ref": m.ref,
            "explanation": m.explanation,
        }
        for m in lines
    ]


# -- decommitment and the dashboard -----------------------------------------------------------------


def covered_by_date(programme: Programme) -> dict[dt.date, Decimal]:
    """Pre-financing received and the EU amount of payment applications submitted, by date."""
    out: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for day, amount in CommissionReceipt.objects.filter(
        programme=programme, kind=CommissionReceipt.Kind.PREFINANCING
    ).values_list("received_on", "amount"):
        out[day] += amount
    rows = (
        PaymentApplicationItem.objects.filter(
            application__programme=programme,
            application__status=PaymentApplication.Status.SUBMITTED,
        )
        .filter(held_back=False)
        .values("application__submitted_on")
        .annotate(s=Sum("eu"))
    )
    for row in rows:
        if row["application__submitted_on"] is not None:
            out[row["application__submitted_on"]] += _money(row["s"])
    return dict(out)


def decommitment_risk(programme: Programme, today: dt.date | None = None) -> list[rules.DecommitmentYear]:
    """Per commitment year of the programme: amount to cover, deadline, covered so far, gap and a
    warning level (`rules.decommitment`, warning six months ahead)."""
    today = today or timezone.localdate()
    return rules.decommitment(
        programme.period.code, programme_commitments(programme), covered_by_date(programme), today
    )


def declared_by_call(call_ids: list[int]) -> dict[int, Decimal]:
    """The EU amount declared to the Commission per call: items of submitted payment applications
    (not held back from them nor from the accounts), less the EU amount of the corrections of those
    calls' declared
    projects. Two grouped queries; a call with nothing declared is absent."""
    ids = list(call_ids)
    declared = dict(
        PaymentApplicationItem.objects.filter(
            call_id__in=ids, application__status=PaymentApplication.Status.SUBMITTED
        )
        .filter(held_back=False)
        .values("call_id")
        .annotate(s=Sum("eu"))
        .values_list("call_id", "s")
    )
    corrected = dict(
        FinancialCorrection.objects.filter(
            project__application__call_id__in=list(declared),
            project_id__in=PaymentApplicationItem.objects.filter(
                call_id__in=ids, application__status=PaymentApplication.Status.SUBMITTED
            )
            .filter(held_back=False)
            .values("project_id"),
        )
        .values("project__application__call_id")
        .annotate(s=Sum("eu_amount"))
        .values_list("project__application__call_id", "s")
    )
    return {call: _money(amount) - _money(corrected.get(call)) for call, amount in declared.items()}


def _money(value: object) -> Decimal:
    return cents(Decimal(str(value))) if value is not None else ZERO
