"""Background tasks of applications: the e-mails the system sends on its own, run by `amis worker`.

Each task takes primary keys, reads the data again when it runs and leaves an audit entry
(action `notify`, with the task id) in the transaction that sends the e-mail; a task that finds
that entry already written sends nothing, so running it twice does not e-mail the applicant twice.
A failure raises: the worker logs it and keeps the task as FAILED, with its traceback, in the
task results (Django admin, "Tasks Database Backend").
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import TaskContext, task

from amis.applications.models import Application
from amis.applications.receipt import receipt_message
from amis.core.notifications import already_sent as _already_sent
from amis.core.notifications import send_once as _send_once

logger = logging.getLogger(__name__)


@task(takes_context=True)
def send_application_receipt(context: TaskContext, application_id: int) -> dict[str, Any]:
    """E-mail the submitter the receipt PDF of what they submitted."""
    app = (
        Application.objects.select_related("submitted_by", "call", "organisation")
        .filter(pk=application_id)
        .first()
    )
    if app is None or app.submitted_at is None:
        logger.warning("Receipt for application %s: not found or not submitted; nothing sent", application_id)
        return {"sent": False, "reason": "not submitted"}
    key = {"email": "receipt", "submitted_at": app.submitted_at.isoformat()}
    if _already_sent(app, **key):  # before rendering the PDF; checked again under the lock
        return {"sent": False, "reason": "already sent"}
    message = receipt_message(app)
    if message is None:
        logger.warning("Receipt for %s: the submitter has no e-mail address; nothing sent", app.reference)
        return {"sent": False, "reason": "no recipient"}
    return _send_once(context, app, message, key)
