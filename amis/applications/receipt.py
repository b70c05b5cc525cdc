"""The submission receipt: a PDF of what was submitted, e-mailed to the applicant and downloadable.

WeasyPrint renders a Django template; the PDF shows the frozen snapshot, so it always matches
what the authority assesses. Rendering and sending happen in the background worker
(`amis.applications.tasks.send_application_receipt`), never inside the submitting request.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amis.applications.models import Application


def receipt_pdf(application: Application) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is slow and only receipts need it

    html = render_to_string(
        "applications/receipt.html", {"app": application, "snapshot": application.snapshot or {}}
    )
    return bytes(HTML(string=html).write_pdf())


def receipt_message(application: Application) -> EmailMessage | None:
    """The receipt e-mail with its PDF, in the submitter's language (None: nobody to send it to)."""
    user = application.submitted_by
    if user is None or not user.email:
        return None
    with translation.override(getattr(user, "preferred_language", "en") or "en"):
        subject = _("Receipt of your application %(reference)s") % {"reference": application.reference}
        intro = _(
            "AMIS received your application on %(when)s. The attached PDF shows exactly what was submitted."
        )
        body = intro % {
            "when": formats.date_format(timezone.localtime(application.submitted_at), "DATETIME_FORMAT")
            if application.submitted_at
            else ""
        }
        message = EmailMessage(f"[AMIS] {subject}", body, to=[user.email])
        message.attach(f"{application.reference}-receipt.pdf", receipt_pdf(application), "application/pdf")
    return message
