"""The receipt of a report's submission: a PDF of one round (the summary, the indicators and the
totals per cost category, not the lines: a report may have 100,000), e-mailed by the worker and
downloadable; its SHA-256 kept on the round. The PDF written by the worker is stored, so the one
downloaded is the one e-mailed."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amis.reporting.models import ReportSubmission


def receipt_path(submission: ReportSubmission) -> str:
    return f"report-receipts/report-{submission.report_id}-round-{submission.round}.pdf"


def receipt_pdf(submission: ReportSubmission) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is slow and only receipts need it

    snapshot = submission.snapshot or {}
    html = render_to_string(
        "reporting/receipt.html",
        {
            "submission": submission,
            "report": submission.report,
            "snapshot": snapshot,
            "line_count": len(snapshot.get("lines", [])),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def stored_receipt(submission: ReportSubmission) -> bytes:
    """The round's receipt: the stored PDF when its checksum still matches, else written (and kept)."""
    path = receipt_path(submission)
    if submission.receipt_sha256 and default_storage.exists(path):
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() == submission.receipt_sha256:
            return bytes(data)
    data = receipt_pdf(submission)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(data))
    ReportSubmission.objects.filter(pk=submission.pk).update(receipt_sha256=hashlib.sha256(data).hexdigest())
    submission.receipt_sha256 = hashlib.sha256(data).hexdigest()
    return data


def receipt_message(submission: ReportSubmission) -> EmailMessage | None:
    user = submission.submitted_by
    if user is None or not user.email:
        return None
    report = submission.report
    with translation.override(getattr(user, "preferred_language", "en") or "en"):
        subject = _("Receipt of report %(number)s of project %(reference)s (round %(round)s)") % {
            "number": report.number,
            "reference": report.project.reference,
            "round": submission.round,
        }
        body = _("AMIS received the report on %(when)s. The attached PDF summarises what was submitted.") % {
            "when": formats.date_format(timezone.localtime(submission.submitted_at), "DATETIME_FORMAT")
        }
        message = EmailMessage(f"[AMIS] {subject}", body, to=[user.email])
        message.attach(
            f"{report.project.reference}-report-{report.number}-round-{submission.round}.pdf",
            stored_receipt(submission),
            "application/pdf",
        )
    return message
