"""What a person's home page shows: the things waiting for them, deadlines coming, and for the
authorities the programme's headline figures. Reads many stages, so `home` sits above them in the
import order (after `projects`). Every list is one query (or one grouped query), whatever its size.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amis.accounts.models import RoleAssignment
from amis.accounts.permissions import active_roles, check
from amis.accounts.roles import Role
from amis.applications.models import Application
from amis.calls.models import Call
from amis.core.templatetags.amis import money
from amis.evaluation import selectors as evaluation_selectors
from amis.home import money_queues
from amis.home.task import SHOWN, Task, task
from amis.organisations import selectors as organisation_selectors
from amis.payments.models import Payment, PaymentBatch, Recovery
from amis.programme import selectors as programme_selectors
from amis.programme.models import Programme, ProgrammeVersion
from amis.projects.models import AgreementVersion, Project
from amis.projects.scope import FULL_READERS, projects_for
from amis.reporting import selectors as reporting_selectors
from amis.reporting.models import Report
from amis.selection.models import Assessment, CommitteeMeeting
from amis.verification import selectors as verification_selectors

ZERO = Decimal("0.00")
DEADLINE_DAYS = 45


def _calls_in_scope(user: Any, calls: list[Call]) -> list[Call]:
    """The calls this person manages: all for the responsible authority; for a delegated authority
    officer those of the part of the programme delegated to them (the rule of
    `amis.calls.services.call._in_scope`, with the assignments read once instead of once a call)."""
    roles = active_roles(user)
    if set(roles) & {Role.RA_MANAGER, Role.RA_OFFICER}:
        return calls
    assignments = list(
        RoleAssignment.objects.filter(user=user, role=Role.DA_OFFICER, revoked_at__isnull=True).values_list(
            "organisation_id", "programme_id", "specific_objective", "national_objective"
        )
    )

    def inside(call: Call) -> bool:
        for organisation_id, programme_id, so, no in assignments:
            if organisation_id != call.managing_organisation_id:
                continue
            if programme_id is not None and programme_id != call.programme_id:
                continue
            if so and so != call.specific_objective:
                continue
            if no and (call.type_of_action or any(n != no for n in call.national_objectives)):
                continue
            return True
        return False

    return [c for c in calls if inside(c)]


def _programme_tasks(user: Any) -> list[Task]:
    tasks: list[Task] = []
    versions = list(
        ProgrammeVersion.objects.filter(
            status__in=[ProgrammeVersion.Status.DRAFT, ProgrammeVersion.Status.SUBMITTED]
        )
        .select_related("programme")
        .order_by("programme__cci", "number")
    )
    drafts = [v for v in versions if v.status == ProgrammeVersion.Status.DRAFT]
    submitted = [v for v in versions if v.status == ProgrammeVersion.Status.SUBMITTED]

    def items(found: list[ProgrammeVersion]) -> list[tuple[str, str]]:
        return [
            (
                f"{v.programme.cci} v{v.number}",
                reverse("programme:overview-version", args=[v.programme.cci, v.number]),
            )
            for v in found[:SHOWN]
        ]

    if check(user, "programme.change_status").allowed:
        tasks.append(
            Task(
                _("Programme drafts to review and submit"),
                len(drafts),
                reverse("programme:list"),
                items(drafts),
            )
        )
        tasks.append(
            Task(
                _("Submitted programme versions awaiting the adoption decision"),
                len(submitted),
                reverse("programme:list"),
                items(submitted),
            )
        )
    elif check(user, "programme.edit").allowed:
        tasks.append(
            Task(_("Programme drafts in preparation"), len(drafts), reverse("programme:list"), items(drafts))
        )
    return tasks


def _organisation_tasks(user: Any) -> list[Task]:
    if not check(user, "organisation.decide").allowed:
        return []
    url = reverse("organisations:registrations")
    registrations = list(organisation_selectors.pending_registrations()[:SHOWN])
    return [
        Task(
            _("Registrations of organisations to approve"),
            organisation_selectors.pending_registrations().count(),
            url,
            [(o.name, url) for o in registrations[:SHOWN]],
        ),
        Task(_("New bank accounts to confirm"), organisation_selectors.pending_bank_changes().count(), url),
        Task(
            _("Changes of legal name to confirm"), organisation_selectors.pending_name_changes().count(), url
        ),
    ]


def _call_tasks(user: Any, calls: list[Call], counts: dict[int, dict[str, int]]) -> list[Task]:
    tasks: list[Task] = []
    if not check(user, "call.manage").allowed:
        return tasks
    mine = _calls_in_scope(user, calls)

    def link(call: Call) -> tuple[str, str]:
        return (call.code, reverse("calls:detail", args=[call.code]))

    drafts = [c for c in mine if c.status == Call.Status.DRAFT]
    tasks.append(
        Task(
            _("Draft calls to complete and publish"),
            len(drafts),
            reverse("calls:list"),
            [link(c) for c in drafts[:SHOWN]],
        )
    )
    to_check = [c for c in mine if counts.get(c.pk, {}).get(Application.Status.SUBMITTED)]
    tasks.append(
        Task(
            _("Submitted applications to check for eligibility"),
            sum(counts[c.pk][Application.Status.SUBMITTED] for c in to_check),
            reverse("applications:list") + "?status=submitted",
            [link(c) for c in to_check[:SHOWN]],
        )
    )
    if check(user, "selection.manage").allowed:
        assessing = [c for c in mine if counts.get(c.pk, {}).get(Application.Status.ELIGIBLE)]
        tasks.append(
            Task(
                _("Eligible applications in assessment (scores to consolidate)"),
                sum(counts[c.pk][Application.Status.ELIGIBLE] for c in assessing),
                reverse("applications:list") + "?status=eligible",
                [link(c) for c in assessing[:SHOWN]],
            )
        )
        to_rank = [
            c
            for c in mine
            if c.status == Call.Status.CLOSED and counts.get(c.pk, {}).get(Application.Status.ASSESSED)
        ]
        tasks.append(
            Task(
                _("Closed calls with assessed applications to rank"),
                len(to_rank),
                reverse("calls:list"),
                [link(c) for c in to_rank[:SHOWN]],
            )
        )
        meetings = list(
            CommitteeMeeting.objects.filter(status=CommitteeMeeting.Status.PLANNED, call__in=mine)
            .select_related("call")
            .order_by("date")
        )
        tasks.append(
            Task(
                _("Committee meetings to prepare"),
                len(meetings),
                reverse("calls:list"),
                [
                    (f"{m.date.isoformat()} · {m.call.code}", reverse("calls:detail", args=[m.call.code]))
                    for m in meetings[:SHOWN]
                ],
            )
        )
    return tasks


def _assessor_tasks(user: Any) -> list[Task]:
    if not check(user, "application.assess").allowed:
        return []
    waiting = (
        Application.objects.filter(status=Application.Status.ELIGIBLE)
        .exclude(Exists(Assessment.objects.filter(application=OuterRef("pk"), assessor=user)))
        .select_related("call")
        .only("reference", "title", "call__code")
        .order_by("call__code", "reference")
    )
    shown = list(waiting[:SHOWN])
    return [
        Task(
            _("Eligible applications to score"),
            waiting.count(),
            reverse("applications:list") + "?status=eligible",
            [(f"{a.reference} · {a.title}", reverse("selection:assess", args=[a.reference])) for a in shown],
        )
    ]


def _committee_tasks(user: Any) -> list[Task]:
    if not check(user, "committee.decide").allowed:
        return []
    meetings = list(
        CommitteeMeeting.objects.filter(status=CommitteeMeeting.Status.PLANNED)
        .select_related("call")
        .order_by("date")
    )
    return [
        Task(
            _("Committee meetings to decide"),
            len(meetings),
            reverse("calls:list"),
            [
                (f"{m.date.isoformat()} · {m.call.code}", reverse("selection:meeting", args=[m.pk]))
                for m in meetings[:SHOWN]
            ],
        )
    ]


def _call_counts(calls: list[Call]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in calls}
    rows = (
        Application.objects.filter(call__in=calls)
        .values_list("call_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for call_id, status, n in rows:
        counts.setdefault(call_id, {})[status] = n
    return counts


def deadlines(now: dt.datetime | None = None) -> list[Call]:
    """Published calls that close in the coming weeks, soonest first."""
    now = now or timezone.now()
    return list(
        Call.objects.filter(
            status=Call.Status.PUBLISHED,
            closes_at__gte=now,
            closes_at__lte=now + dt.timedelta(days=DEADLINE_DAYS),
        )
        .select_related("programme")
        .order_by("closes_at", "code")
    )


# What a beneficiary does next with an application, by its status.
NEXT_STEP: dict[str, Any] = {
    Application.Status.DRAFT: _("Complete and submit it before the call closes."),
    Application.Status.SUBMITTED: _("Submitted: the authority checks its eligibility."),
    Application.Status.WITHDRAWN: _("Withdrawn: nothing more to do."),
    Application.Status.INELIGIBLE: _("Not eligible: read the reasons on the application page."),
    Application.Status.ELIGIBLE: _("Eligible: the assessors score it."),
    Application.Status.ASSESSED: _("Assessed: waiting for the ranking."),
    Application.Status.PROPOSED: _("Proposed for funding: the Monitoring Committee decides."),
    Application.Status.RESERVE: _("On the reserve list: the Monitoring Committee decides."),
    Application.Status.SELECTED: _("Selected: the grant agreement follows."),
    Application.Status.REJECTED: _("Not selected: read the decision on the application page."),
}


def beneficiary_applications(user: Any) -> list[dict[str, Any]]:
    own = {org for org in active_roles(user).get(Role.BENEFICIARY, set()) if org}
    if not own:
        return []
    found = (
        Application.objects.filter(organisation_id__in=own)
        .select_related("call", "organisation")
        .only(
            "reference",
            "title",
            "status",
            "call__code",
            "call__closes_at",
            "call__status",
            "organisation__name",
        )
        .order_by("-created_at", "-pk")[:50]
    )
    rows = []
    for app in found:
        editable = app.status == Application.Status.DRAFT and app.call.status == Call.Status.PUBLISHED
        rows.append(
            {
                "application": app,
                "next": NEXT_STEP.get(app.status, ""),
                "url": reverse(
                    "applications:edit" if editable else "applications:detail", args=[app.reference]
                ),
                "closes_at": app.call.closes_at if app.status == Application.Status.DRAFT else None,
            }
        )
    return rows


def adopted_or_latest(programme: Programme) -> ProgrammeVersion | None:
    versions = [v for v in programme.versions.all()]  # prefetched
    adopted = [v for v in versions if v.status == ProgrammeVersion.Status.ADOPTED]
    found = max(adopted or versions, key=lambda v: v.number, default=None)
    return found


def headline_figures() -> list[dict[str, Any]]:
    """Per programme: the financing plan of its adopted version, what is committed in published calls,
    what is selected (projects' EU contribution), in total and per specific objective."""
    programmes = list(Programme.objects.prefetch_related("versions").order_by("cci"))
    committed_rows = (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .values_list("programme_id", "specific_objective")
        .annotate(total=Sum("budget"))
        .order_by()
    )
    committed: dict[tuple[int, str], Decimal] = {(p, so): t or ZERO for p, so, t in committed_rows}
    selected_rows = (
        Project.objects.values_list(
            "application__call__programme_id", "application__call__specific_objective"
        )
        .annotate(total=Sum("eu_contribution"))
        .order_by()
    )
    selected: dict[tuple[int, str], Decimal] = {(p, so): t or ZERO for p, so, t in selected_rows}
    figures = []
    for programme in programmes:
        version = adopted_or_latest(programme)
        if version is None:
            continue
        version.programme = programme
        planned_total, planned = _planned(version)
        objectives = []
        for code, name, amount in planned:
            objectives.append(
                {
                    "code": code,
                    "name": name,
                    "planned": amount,
                    "committed": committed.get((programme.pk, code), ZERO),
                    "selected": selected.get((programme.pk, code), ZERO),
                }
            )
        figures.append(
            {
                "programme": programme,
                "version": version,
                "planned": planned_total,
                "committed": sum((v for (p, _so), v in committed.items() if p == programme.pk), ZERO),
                "selected": sum((v for (p, _so), v in selected.items() if p == programme.pk), ZERO),
                "objectives": objectives,
            }
        )
    return figures


def _planned(version: ProgrammeVersion) -> tuple[Decimal, list[tuple[str, dict[str, str], Decimal]]]:
    """(the programme's total, [(SO code, name, planned)]): 2014-2020 the financing plan's Table 1;
    2021-2027 (format 2) the EU contribution of each specific objective's allocation lines (CPR
    Annex V, financing table 2), where the calls of that period draw their budgets from."""
    if version.file_format == 2:
        data = programme_selectors.annex_v_data(version)
        assert data is not None
        names = {so["code"]: so.get("name") or {} for so in data["document"]["specific_objectives"]}
        return data["allocations_eu"], [
            (share["code"], names[share["code"]], share["eu"])
            for share in data["objective_shares"]
            if share["code"] in names
        ]
    plan = programme_selectors.version_financing_plan(version)
    return plan.total, [(so.code, so.name, so.total) for so in plan.specific_objectives]


def chart_data(figure: dict[str, Any], labels: dict[str, Any]) -> dict[str, Any]:
    """The figures in the shape the chart script reads (amounts as numbers: the table has the exact ones)."""
    return {
        "labels": [o["code"] for o in figure["objectives"]],
        "series": [
            {"key": key, "label": str(labels[key]), "values": [float(o[key]) for o in figure["objectives"]]}
            for key in ("planned", "committed", "selected")
        ],
    }


def _page(path: str, fallback: str = "") -> str:
    """`path` when a page answers it (the projects app's pages: `/projects/`, `/projects/<reference>/`),
    else `fallback`: the home page never links to a page that is not there."""
    try:
        resolve(path)
    except Resolver404:
        return fallback
    return path


def _project_page(reference: str) -> str:
    return _page(f"/projects/{reference}/")


def _report_tasks(user: Any) -> list[Task]:
    """For the officers who review reports: reports received and waiting, reports overdue (their scope)."""
    if not check(user, "report.review").allowed:
        return []
    tasks = []
    for label, found, url in (
        (_("Reports received"), reporting_selectors.received(user), reverse("reporting:received")),
        (_("Reports overdue"), reporting_selectors.overdue(user), reverse("reporting:overdue")),
    ):
        first = list(found[:SHOWN])
        tasks.append(
            Task(
                label,
                found.count() if len(first) == SHOWN else len(first),
                url,
                [
                    (
                        f"{r.project.reference} · {r.number} ({r.due_date:%d/%m/%Y})",
                        reverse("reporting:report", args=[r.pk]),
                    )
                    for r in first
                ],
            )
        )
    return tasks


def _verification_tasks(user: Any) -> list[Task]:
    """For the verifiers and officers who verify claims: submitted reports waiting for their desk
    check (their scope), each with a link to its verification."""
    if not check(user, "claim.verify").allowed:
        return []
    found = verification_selectors.to_verify(user)
    first = list(found[:SHOWN])
    return [
        Task(
            _("Reports to verify"),
            found.count() if len(first) == SHOWN else len(first),
            reverse("verification:list"),
            [
                (
                    f"{r.project.reference} · {r.number} ({r.submitted_at:%d/%m/%Y})"
                    if r.submitted_at
                    else f"{r.project.reference} · {r.number}",
                    reverse("verification:page", args=[r.pk]),
                )
                for r in first
            ],
        )
    ]


def _payment_tasks(user: Any) -> list[Task]:
    """The money's queues: payments to approve (the authorising officer; never one's own proposal),
    approved payments to put in a batch and exported ones to record as paid (the accounting unit),
    recoveries due within a month (the officers who propose payments). One query a list, in the
    reader's scope."""
    tasks: list[Task] = []
    visible = projects_for(user).values("pk")
    today = timezone.localdate()

    def task(title: Any, found: Any, link: str, item: Any) -> Task:
        first = list(found[:SHOWN])
        count = found.count() if len(first) == SHOWN else len(first)
        return Task(title, count, link, [item(x) for x in first])

    def payment_item(p: Payment) -> tuple[str, str]:
        due = f" · {_('due')} {p.due_date:%d/%m/%Y}" if p.due_date else ""
        return (
            f"{p.project.reference} · {p.get_kind_display()} · {money(p.amount)}{due}",
            reverse("payments:detail", args=[p.pk]),
        )

    if check(user, "payment.approve").allowed:
        proposed = (
            Payment.objects.filter(project__in=visible, status=Payment.Status.PROPOSED)
            .exclude(proposed_by=user)
            .select_related("project")
            .order_by("due_date", "proposed_at", "pk")
        )
        tasks.append(
            task(
                _("Payments to approve"),
                proposed,
                reverse("payments:list") + "?status=proposed",
                payment_item,
            )
        )
    if check(user, "payment.execute").allowed:
        approved = (
            Payment.objects.filter(status=Payment.Status.APPROVED, batch__isnull=True, amount__gt=0)
            .select_related("project")
            .order_by("due_date", "pk")
        )
        tasks.append(
            task(
                _("Approved payments to put in a batch"), approved, reverse("payments:batches"), payment_item
            )
        )
        exported = (
            Payment.objects.filter(status=Payment.Status.APPROVED, batch__status=PaymentBatch.Status.EXPORTED)
            .filter(cancelled_by__isnull=True)
            .select_related("project")
            .order_by("pk")
        )
        tasks.append(
            task(
                _("Exported payments to record as paid"), exported, reverse("payments:batches"), payment_item
            )
        )
    if check(user, "payment.propose").allowed:
        due = (
            Recovery.objects.filter(
                project__in=visible, status=Recovery.Status.OPEN, due_date__lte=today + dt.timedelta(days=30)
            )
            .select_related("project")
            .order_by("due_date", "pk")
        )
        tasks.append(
            task(
                _("Recoveries due within a month"),
                due,
                reverse("payments:list"),
                lambda r: (
                    f"{r.project.reference} · {money(r.amount_due)} · {r.due_date:%d/%m/%Y}",
                    reverse("projects:detail", args=[r.project.reference]),
                ),
            )
        )
    return tasks


def _amendment_tasks(user: Any) -> list[Task]:
    """Agreement versions waiting for the authority: drafts to issue (four eyes: not one's own) and
    issued versions to sign for the authority. A read of the projects' models, in the reader's scope."""
    if not check(user, "agreement.issue").allowed:
        return []
    visible = projects_for(user).values("pk")
    found = (
        AgreementVersion.objects.filter(agreement__project__in=visible)
        .filter(
            Q(status=AgreementVersion.Status.DRAFT) & ~Q(prepared_by=user)
            | Q(status=AgreementVersion.Status.ISSUED, authority_signed_on__isnull=True)
        )
        .select_related("agreement__project")
        .order_by("prepared_at", "pk")
    )
    first = list(found[:SHOWN])
    return [
        Task(
            _("Agreements and amendments to decide"),
            found.count() if len(first) == SHOWN else len(first),
            _page("/projects/", "/"),
            [
                (
                    f"{v.agreement.project.reference} · v{v.number} ({v.get_status_display()})",
                    _page(f"/projects/{v.agreement.project.reference}/", "/"),
                )
                for v in first
            ],
        )
    ]


def _evaluation_tasks(user: Any) -> list[Task]:
    """For the responsible authority, who manages the evaluations: evaluations not delivered by their
    due date and recommendations not implemented or closed by their deadline (one query each)."""
    if not check(user, "evaluation.manage").allowed:
        return []
    today = timezone.localdate()
    late = evaluation_selectors.evaluations_for(user).filter(
        status__in=("planned", "in_progress"), due_date__lt=today
    )
    return [
        task(
            _("Evaluations overdue"),
            late,
            reverse("evaluation:overview"),
            lambda e: (
                f"{e.plan.programme.cci} · {e.title} ({e.due_date:%d/%m/%Y})",
                reverse("evaluation:evaluation", args=[e.pk]),
            ),
        ),
        task(
            _("Evaluation recommendations overdue"),
            evaluation_selectors.recommendations_for(user, overdue=True),
            reverse("evaluation:recommendations") + "?status=pending&overdue=on",
            lambda r: (
                f"{r.evaluation.plan.programme.cci} · {r.evaluation.title} · {r.number}"
                f" ({r.deadline:%d/%m/%Y})",
                reverse("evaluation:recommendation", args=[r.pk]),
            ),
        ),
    ]


def beneficiary_reports(user: Any) -> list[dict[str, Any]] | None:
    """A beneficiary's projects with their next report to submit (open or returned, the earliest due
    first) and how many are returned or overdue: one query for the projects, one grouped for the
    reports."""
    own = {org for org in active_roles(user).get(Role.BENEFICIARY, set()) if org}
    if not own:
        return None
    projects = list(Project.objects.filter(organisation_id__in=own).order_by("-pk")[:50])
    pending = Report.objects.filter(
        project__in=projects, status__in=(Report.Status.OPEN, Report.Status.RETURNED)
    ).order_by("project_id", "due_date", "number")
    first: dict[int, Report] = {}
    returned: dict[int, int] = {}
    for report in pending:
        first.setdefault(report.project_id, report)
        if report.status == Report.Status.RETURNED:
            returned[report.project_id] = returned.get(report.project_id, 0) + 1
    today = timezone.localdate()
    return [
        {
            "project": p,
            "url": _project_page(p.reference),
            "next": first.get(p.pk),
            "overdue": bool(first.get(p.pk) and first[p.pk].due_date < today),
            "returned": returned.get(p.pk, 0),
        }
        for p in projects
    ]


def home_for(user: Any) -> dict[str, Any]:
    """Everything the home page shows this person."""
    roles = active_roles(user)
    calls = list(Call.objects.select_related("managing_organisation").order_by("closes_at", "code"))
    counts = _call_counts(calls) if check(user, "call.manage").allowed else {}
    tasks = [
        *_programme_tasks(user),
        *_organisation_tasks(user),
        *_call_tasks(user, calls, counts),
        *_assessor_tasks(user),
        *_committee_tasks(user),
        *_report_tasks(user),
        *_verification_tasks(user),
        *_payment_tasks(user),
        *money_queues.to_propose(user),
        *money_queues.cancellations(user),
        *money_queues.checks(user),
        *_amendment_tasks(user),
        *_evaluation_tasks(user),
    ]
    tasks.sort(key=lambda t: t.count == 0)  # what waits first; the empty ones stay, saying so
    authority = bool(set(roles) - {Role.BENEFICIARY})
    dashboard = check(user, "dashboard.view").allowed
    return {
        "roles": sorted((Role(r).label for r in roles), key=str),
        "tasks": tasks,
        "waiting": sum(t.count for t in tasks),
        "deadlines": deadlines(),
        "applications": beneficiary_applications(user) if Role.BENEFICIARY in roles else None,
        "projects": beneficiary_reports(user) if Role.BENEFICIARY in roles else None,
        # those who read the dashboard have it as their home page (`dashboard.views.glance`); the
        # other authority roles see the plan, what is in calls and what is selected
        "figures": headline_figures() if authority and not dashboard else [],
        "dashboard": dashboard,
        # payment applications, receipts and accounts to the Commission (issue 17 section 3)
        "declarations": check(user, "declaration.view").allowed,
        "annual_reports": check(user, "annual_report.view").allowed,
        # the audit authority's strategy, system audits, findings and control reports (issue 19)
        "audit_authority": check(user, "audit.view_records").allowed,
        # the audit authority's audits of operations (issue 19: amis/sampling)
        "sampling": check(user, "sampling.view").allowed,
        "money_scope_delegated": Role.DA_OFFICER in roles and not set(roles) & FULL_READERS,
        "beneficiary": Role.BENEFICIARY in roles,
    }
