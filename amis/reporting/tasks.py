"""Background tasks of reporting, run by `amis worker`: the receipt of a submission, the notice of a
return, and the daily reminders before and after due dates (`amis reminders`, run by cron once a
day, queues `send_report_reminders`; docs/operations.md).

Every e-mail goes through `amis.core.notifications.send_once`: the `notify` audit entry written with
it is the key (report, kind of reminder, due date), so a task run twice, or a day's run repeated,
never e-mails twice."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from amis.accounts.models import RoleAssignment
from amis.accounts.roles import Role
from amis.core.notifications import already_sent, send_once
from amis.reporting.models import Report, ReportSubmission
from amis.reporting.receipt import receipt_message

logger = logging.getLogger(__name__)

# (kind, days after the due date: negative before it); each sent once per report and due date
REMINDERS = (("before_14", -14), ("due", 0), ("after_7", 7))


@task(takes_context=True)
def send_report_receipt(context: TaskContext, submission_id: int) -> dict[str, Any]:
    submission = (
        ReportSubmission.objects.select_related("report__project", "submitted_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        return {"sent": False, "reason": "not found"}
    key = {"email": "report_receipt", "round": submission.round}
    if already_sent(submission.report, **key):
        return {"sent": False, "reason": "already sent"}
    message = receipt_message(submission)
    if message is None:
        return {"sent": False, "reason": "no recipient"}
    return send_once(context, submission.report, message, key)


def beneficiary_emails(organisation_id: int) -> list[tuple[str, str]]:
    """(e-mail, language) of the people holding the beneficiary role of the organisation today."""
    rows = (
        RoleAssignment.objects.filter(
            organisation_id=organisation_id,
            role=Role.BENEFICIARY,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", "user__preferred_language")
        .distinct()
        .order_by("user__email")
    )
    return [(email, language or "en") for email, language in rows]


@task(takes_context=True)
def send_report_returned(context: TaskContext, submission_id: int) -> dict[str, Any]:
    submission = ReportSubmission.objects.select_related("report__project").filter(pk=submission_id).first()
    if submission is None or submission.returned_at is None:
        return {"sent": False, "reason": "not returned"}
    report = submission.report
    people = beneficiary_emails(report.project.organisation_id)
    if not people:
        return {"sent": False, "reason": "no recipient"}
    with translation.override(people[0][1]):
        subject = _("Report %(number)s of project %(reference)s was returned to you") % {
            "number": report.number,
            "reference": report.project.reference,
        }
        body = "\n\n".join(
            [
                _("The authority returned the report with these comments:"),
                submission.return_comments,
                _("Change the report and submit it again: %(url)s")
                % {"url": reverse("reporting:report", args=[report.pk])},
            ]
        )
    message = EmailMessage(f"[AMIS] {subject}", body, to=[email for email, _lang in people])
    return send_once(context, report, message, {"email": "report_returned", "round": submission.round})


def reminder_kind(due: dt.date, today: dt.date) -> str | None:
    """Which reminder is due today for a report due on `due`: 14 days before (until the day before),
    on the due date (the first week), 7 days after. A day missed by the worker is caught up the next
    day; a reminder whose moment has passed is not sent late (no "14 days before" after the date)."""
    if due - dt.timedelta(days=14) <= today < due:
        return "before_14"
    if due <= today < due + dt.timedelta(days=7):
        return "due"
    if today >= due + dt.timedelta(days=7):
        return "after_7"
    return None


def reminder_message(report: Report, kind: str, people: list[tuple[str, str]]) -> EmailMessage:
    with translation.override(people[0][1]):
        values = {
            "number": report.number,
            "reference": report.project.reference,
            "date": formats.date_format(report.due_date, "SHORT_DATE_FORMAT"),
        }
        if kind == "before_14":
            subject = _("Report %(number)s of project %(reference)s is due on %(date)s") % values
        elif kind == "due":
            subject = _("Report %(number)s of project %(reference)s is due today, %(date)s") % values
        else:
            subject = _("Report %(number)s of project %(reference)s is overdue since %(date)s") % values
        body = _("Fill in and submit the report in AMIS: %(url)s") % {
            "url": reverse("reporting:report", args=[report.pk])
        }
    return EmailMessage(f"[AMIS] {subject}", body, to=[email for email, _lang in people])


@task(takes_context=True)
def send_report_reminders(context: TaskContext, today: str | None = None) -> dict[str, Any]:
    """Once a day: every report not yet submitted whose reminder is due gets it, once."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    reports = (
        Report.objects.filter(status__in=(Report.Status.OPEN, Report.Status.RETURNED))
        .filter(Q(due_date__lte=day + dt.timedelta(days=14)))
        .select_related("project")
        .order_by("due_date", "pk")
    )
    sent = 0
    for report in reports:
        kind = reminder_kind(report.due_date, day)
        if kind is None:
            continue
        key = {"email": "report_reminder", "kind": kind, "due_date": report.due_date.isoformat()}
        if already_sent(report, **key):
            continue
        people = beneficiary_emails(report.project.organisation_id)
        if not people:
            logger.warning("%s: no beneficiary to remind", report)
            continue
        result = send_once(context, report, reminder_message(report, kind, people), key)
        sent += bool(result.get("sent"))
    return {"sent": sent}
