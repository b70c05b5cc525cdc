"""The officer hands a finished draft to the manager: the version says it is ready for review (on
every programme page), the responsible authority's managers are e-mailed once, in their language,
and a version that is not a draft, or already handed over, is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.programme import selectors, services
from amis.programme.tests.test_views import URL, _authority

pytestmark = pytest.mark.django_db


def test_the_officer_hands_the_draft_and_the_managers_are_told(
    belgian: Any, django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    officer = _authority("officer@amis.example", "ra_officer")
    manager = _authority("manager@amis.example", "ra_manager")
    manager.preferred_language = "fr"
    manager.save(update_fields=["preferred_language"])
    draft = selectors.version_get("2014BE65AMNP001", 3)
    assert draft is not None and draft.status == "draft"
    client = Client()
    client.force_login(officer)
    page = client.get(f"{URL}/versions/").content.decode()
    assert "Hand version 3 to the manager for review" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"{URL}/v3/ready-for-review/", {"lock_version": draft.lock_version}, follow=True)
    body = done.content.decode()
    assert "Version 3 is ready for review" in body
    assert "Draft version 3 is ready for the manager's review" in body
    assert "Hand version 3 to the manager" not in body  # not twice
    assert AuditEntry.objects.filter(object_type="programme.ProgrammeVersion", action="update").exists()
    run_worker()
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "3" in mail.outbox[0].subject and "2014BE65AMNP001" in mail.outbox[0].subject
    assert "prête" in mail.outbox[0].subject or "relecture" in mail.outbox[0].subject  # in French
    run_worker()
    assert len(mail.outbox) == 1  # sent once
    # the manager sees it on the programme page
    manager_client = Client()
    manager_client.force_login(manager)
    overview = manager_client.get(f"{URL}/v3/").content.decode()
    assert "Draft version 3 is ready for the manager's review" in overview


def _ready(version: Any, actor: Any, lock: int | None = None) -> Any:
    expected = version.lock_version if lock is None else lock
    return services.version_ready_for_review(version=version, expected_lock_version=expected, actor=actor)


def test_only_a_draft_once_and_only_by_who_may_edit(belgian: Any) -> None:
    officer = _authority("officer@amis.example", "ra_officer")
    auditor = _authority("verifier@amis.example", "verifier")  # reads, may not edit
    adopted = selectors.version_get("2014BE65AMNP001", 2)
    draft = selectors.version_get("2014BE65AMNP001", 3)
    assert adopted is not None and draft is not None
    with pytest.raises(ApplicationError, match="only a draft"):
        services.version_ready_for_review(
            version=adopted, expected_lock_version=adopted.lock_version, actor=officer
        )
    with pytest.raises(PermissionDenied):
        services.version_ready_for_review(
            version=draft, expected_lock_version=draft.lock_version, actor=auditor
        )
    with pytest.raises(StaleObjectError):
        services.version_ready_for_review(
            version=draft, expected_lock_version=draft.lock_version + 5, actor=officer
        )
    done = services.version_ready_for_review(
        version=draft, expected_lock_version=draft.lock_version, actor=officer
    )
    assert done.ready_for_review_by == officer and done.ready_for_review_at is not None
    with pytest.raises(ApplicationError, match="already ready for review"):
        services.version_ready_for_review(
            version=done, expected_lock_version=done.lock_version, actor=officer
        )


def test_a_version_returned_to_draft_is_handed_for_review_again(belgian: Any) -> None:
    officer = _authority("officer@amis.example", "ra_officer")
    manager = _authority("manager@amis.example", "ra_manager")
    draft = selectors.version_get("2014BE65AMNP001", 3)
    assert draft is not None
    draft = _ready(draft, officer)
    submitted = services.version_change_status(
        version=draft, expected_lock_version=draft.lock_version, status="submitted", actor=manager
    )
    returned = services.version_change_status(
        version=submitted, expected_lock_version=submitted.lock_version, status="draft", actor=manager
    )
    assert returned.ready_for_review_at is None and returned.ready_for_review_by is None
