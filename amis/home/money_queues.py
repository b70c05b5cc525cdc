"""The home page's queues of issue 15 beside the payment queues of `selectors`: verified reports and
signed agreements waiting for a payment proposal, cancellations waiting for the bank's return, and
on-the-spot checks to plan and to record. One query a list, in the reader's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amis.accounts.permissions import check
from amis.core.templatetags.amis import money
from amis.home.task import Task, task
from amis.payments.models import Payment, ProjectClosure
from amis.projects.models import AgreementVersion, Project
from amis.projects.scope import projects_for
from amis.reporting.models import Report
from amis.verification.models import CheckSelection, OnTheSpotCheck

COUNTED = (Payment.Status.PROPOSED, Payment.Status.APPROVED, Payment.Status.PAID)


def to_propose(user: Any) -> list[Task]:
    """For the payment officer: verified reports nobody has proposed a payment for, and signed
    agreements whose pre-financing is not proposed yet (closed projects excluded)."""
    if not check(user, "payment.propose").allowed:
        return []
    visible = projects_for(user).values("pk")
    open_projects = ~Exists(ProjectClosure.objects.filter(project=OuterRef("project")))
    reports = (
        Report.objects.filter(project__in=visible, status=Report.Status.ACCEPTED)
        .filter(open_projects)
        .exclude(Exists(Payment.objects.filter(report=OuterRef("pk"), status__in=COUNTED)))
        .select_related("project")
        .order_by("submitted_at", "pk")
    )
    prefinancing = (
        Project.objects.filter(pk__in=visible)
        .filter(Exists(AgreementVersion.objects.filter(agreement__project=OuterRef("pk"), status="signed")))
        .exclude(Exists(ProjectClosure.objects.filter(project=OuterRef("pk"))))
        .exclude(
            Exists(
                Payment.objects.filter(
                    Q(kind=Payment.Kind.PREFINANCING, status__in=COUNTED)
                    | Q(kind__in=[Payment.Kind.INTERIM, Payment.Kind.BALANCE], status__in=COUNTED),
                    project=OuterRef("pk"),
                )
            )
        )
        .order_by("reference")
    )
    return [
        task(
            _("Verified reports to pay"),
            reports,
            reverse("payments:list"),
            lambda r: (
                f"{r.project.reference} · {r.number} ({r.get_kind_display()})",
                reverse("projects:detail", args=[r.project.reference]),
            ),
        ),
        task(
            _("Signed agreements whose pre-financing is not proposed"),
            prefinancing,
            reverse("payments:list"),
            lambda p: (p.reference, reverse("projects:detail", args=[p.reference])),
        ),
    ]


def cancellations(user: Any) -> list[Task]:
    """For the accounting unit: approved cancellations whose return the bank has to confirm."""
    if not check(user, "payment.execute").allowed:
        return []
    found = (
        Payment.objects.filter(kind=Payment.Kind.CANCELLATION, status=Payment.Status.APPROVED)
        .select_related("project")
        .order_by("approved_at", "pk")
    )
    return [
        task(
            _("Cancelled payments: record the return"),
            found,
            reverse("payments:batches"),
            lambda p: (
                f"{p.project.reference} · {money(p.amount)}",
                reverse("payments:detail", args=[p.pk]),
            ),
        )
    ]


def checks(user: Any) -> list[Task]:
    """For the officers who manage on-the-spot checks: projects of this year's selections without a
    check planned yet, and planned checks to record (the soonest first)."""
    if not check(user, "check.manage").allowed:
        return []
    visible = projects_for(user)
    year = timezone.localdate().year
    selected: list[str] = []
    for selection in CheckSelection.objects.filter(year=year).order_by("pk"):
        selected.extend([*selection.risk_based, *selection.random_part])
    planned = set(
        OnTheSpotCheck.objects.filter(project__reference__in=selected, planned_on__year=year).values_list(
            "project__reference", flat=True
        )
    )
    to_plan = visible.filter(reference__in=[r for r in selected if r not in planned]).order_by("reference")
    to_record = (
        OnTheSpotCheck.objects.filter(project__in=visible.values("pk"), status=OnTheSpotCheck.Status.PLANNED)
        .select_related("project")
        .order_by("planned_on", "pk")
    )
    return [
        task(
            _("Selected projects to plan a check for"),
            to_plan,
            reverse("spot_checks:selections"),
            lambda p: (p.reference, reverse("projects:detail", args=[p.reference])),
        ),
        task(
            _("On-the-spot checks to record"),
            to_record,
            reverse("spot_checks:selections"),
            lambda c: (
                f"{c.project.reference} · {c.get_kind_display()} · {c.planned_on:%d/%m/%Y}",
                reverse("spot_checks:check", args=[c.pk]),
            ),
        ),
    ]
