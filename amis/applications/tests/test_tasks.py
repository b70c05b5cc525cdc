"""E-mails go through the database task queue: queued on commit, sent by the worker, audited once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amis.accounts.models import User
from amis.applications import services, tasks
from amis.applications.models import Application
from amis.core.models import AuditEntry
from amis.demo.calls import load_calls
from amis.demo.people import load_people

RECEIPT = "amis.applications.tasks.send_application_receipt"


@pytest.fixture
def draft(belgian: Any) -> Application:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return Application.objects.get(status="draft")


def _submit(app: Application) -> Application:
    return services.application_submit(
        actor=User.objects.get(email="beneficiary@caritas.example"),
        application=app,
        expected_lock_version=app.lock_version,
    )


def _receipt_audits(app: Application) -> Any:
    return AuditEntry.objects.filter(action="notify", object_id=str(app.pk), after__email="receipt")


@pytest.mark.django_db
def test_submission_queues_one_receipt_that_the_worker_sends(
    draft: Application, django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    assert not DBTaskResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _submit(draft)
    # the submission queues the receipt once (amis.public's change stamps queue no task)
    assert len([c for c in callbacks if "application_submit" in c.__qualname__]) == 1
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.status, queued.args_kwargs) == (
        RECEIPT,
        TaskResultStatus.READY,
        {"args": [draft.pk], "kwargs": {}},
    )
    assert mail.outbox == [] and not _receipt_audits(draft).exists()

    run_worker()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == {"sent": True, "audit": _receipt_audits(draft).get().sequence}
    [message] = mail.outbox
    assert draft.reference in message.subject and message.to == ["beneficiary@caritas.example"]
    name, content, mimetype = message.attachments[0]
    assert name == f"{draft.reference}-receipt.pdf" and mimetype == "application/pdf"
    assert content[:5] == b"%PDF-"
    [entry] = _receipt_audits(draft)
    assert entry.actor_label == "amis worker" and entry.after["task"] == str(queued.id)
    assert entry.after["to"] == ["beneficiary@caritas.example"]


@pytest.mark.django_db
def test_a_receipt_task_run_again_sends_nothing_more(
    draft: Application, django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(draft)
    run_worker()
    again = tasks.send_application_receipt.enqueue(draft.pk)  # a retry, or a task queued twice
    run_worker()
    again.refresh()
    assert again.status == TaskResultStatus.SUCCESSFUL
    assert again.return_value == {"sent": False, "reason": "already sent"}
    assert len(mail.outbox) == 1 and _receipt_audits(draft).count() == 1


@pytest.mark.django_db
def test_a_failed_send_is_kept_as_a_failed_task_without_an_audit_entry(
    draft: Application,
    django_capture_on_commit_callbacks: Any,
    run_worker: Callable[[], None],
    settings: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(draft)
    settings.EMAIL_BACKEND = "amis.applications.tests.test_tasks.BrokenEmailBackend"
    run_worker()
    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    assert not _receipt_audits(draft).exists()


class BrokenEmailBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.mark.django_db
def test_a_rolled_back_submission_queues_nothing(
    draft: Application, django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    """The rollback discards the on-commit callback with the transaction's changes, as in production."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _submit(draft)
            raise RuntimeError("something after the submission failed")
    assert callbacks == []
    assert Application.objects.get(pk=draft.pk).status == "draft"
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == [] and not _receipt_audits(draft).exists()


@pytest.mark.django_db
def test_the_receipt_is_written_in_the_submitters_language_with_their_date_and_number_format(
    draft: Application,
) -> None:
    from django.template.loader import render_to_string
    from django.utils import formats, timezone, translation

    from amis.applications.receipt import receipt_message
    from amis.core.numbers import format_amount

    User.objects.filter(email="beneficiary@caritas.example").update(preferred_language="fr")
    app = _submit(draft)
    message = receipt_message(app)
    assert message is not None
    assert message.subject == f"[AMIS] Accusé de réception de votre demande {app.reference}"
    assert app.submitted_at is not None
    with translation.override("fr"):
        when = formats.date_format(timezone.localtime(app.submitted_at), "DATETIME_FORMAT")
        html = render_to_string("applications/receipt.html", {"app": app, "snapshot": app.snapshot})
    assert when in message.body and "T" not in when
    total = format_amount((app.snapshot or {})["total_cost"], "fr")
    assert "\u202f" in total and total in html
