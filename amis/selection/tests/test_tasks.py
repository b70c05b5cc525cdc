"""The Monitoring Committee's decisions reach the applicants through the task queue, in their language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amis.accounts.models import User
from amis.applications.models import Application
from amis.applications.tests.test_tasks import RECEIPT, draft  # noqa: F401  (fixture)
from amis.calls.models import Call
from amis.core.models import AuditEntry
from amis.demo.calls import PAST_CODE, load_decided_call
from amis.selection.models import CommitteeDecision

DECISION = "amis.selection.tasks.send_decision_notification"


@pytest.mark.django_db
def test_committee_decisions_are_sent_by_the_worker_in_the_applicants_language(
    draft: Application,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    run_worker: Callable[[], None],
) -> None:
    User.objects.filter(email="beneficiary@caritas.example").update(preferred_language="fr")
    User.objects.filter(email="beneficiary@redcross.example").update(preferred_language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        load_decided_call(log=lambda m: None)  # two submissions, then the meeting that decides them
    call = Call.objects.get(code=PAST_CODE)
    decisions = CommitteeDecision.objects.filter(meeting__call=call)
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == [RECEIPT, RECEIPT, DECISION, DECISION]
    assert sorted(
        r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(task_path=DECISION)
    ) == sorted(d.pk for d in decisions)
    assert mail.outbox == []

    run_worker()

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    by_recipient = {m.to[0]: m for m in mail.outbox if not m.attachments}  # receipts carry the PDF
    caritas = call.applications.get(organisation__short_name="Caritas")
    redcross = call.applications.get(organisation__short_name="Rode Kruis")
    to_caritas = by_recipient["beneficiary@caritas.example"]
    assert to_caritas.subject == f"[AMIS] {caritas.reference}: retenue"
    assert "Décision du Comité de suivi: retenue" in to_caritas.body
    to_redcross = by_recipient["beneficiary@redcross.example"]
    assert to_redcross.subject == f"[AMIS] {redcross.reference}: afgewezen"
    assert "Beslissing van het Toezichtcomité: afgewezen" in to_redcross.body
    assert "Below the pass mark of 60." in to_redcross.body
    assert AuditEntry.objects.filter(action="notify", after__email="decision").count() == 2
