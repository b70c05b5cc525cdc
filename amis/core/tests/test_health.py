"""/healthz and /readyz: what a load balancer polls (issue 13, §2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amis.core import health


@pytest.fixture
def client() -> Client:
    return Client()


def _queue_task(enqueued_minutes_ago: int) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="amis.applications.tasks.send_receipt",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - timedelta(minutes=enqueued_minutes_ago),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=enqueued_minutes_ago)
    )
    return task


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    # no `db` fixture: any query would raise "Database access not allowed"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@override_settings(ALLOWED_HOSTS=["amis.example.org"], SECURE_SSL_REDIRECT=True)
def test_health_answers_a_balancer_polling_by_address_over_plain_http(client: Client, db: None) -> None:
    """Balancers poll http://10.0.0.5:8000/healthz: no host check, no redirect to https."""
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/calls/", HTTP_HOST="10.0.0.5:8000").status_code == 400  # other pages: checked


def test_readyz_is_ok_with_the_database_migrated_and_no_stuck_task(client: Client, db: None) -> None:
    _queue_task(enqueued_minutes_ago=2)  # waiting, not stuck
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "tasks": "ok"},
    }


def test_readyz_says_the_queue_is_stuck_when_a_ready_task_waited_too_long(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _queue_task(enqueued_minutes_ago=25)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["tasks"].startswith("a task has waited 2")
    monkeypatch.setenv("AMIS_READY_TASK_MINUTES", "30")  # an operator allowing longer queues
    assert client.get("/readyz").status_code == 200


def test_a_finished_or_later_task_does_not_count_as_stuck(client: Client, db: None) -> None:
    done = _queue_task(enqueued_minutes_ago=60)
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL")
    later = _queue_task(enqueued_minutes_ago=60)
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now() + timedelta(hours=1))
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_when_migrations_are_missing(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "_migrations_complete", False)
    monkeypatch.setattr(health, "unapplied_migrations", lambda: ["core.9999_future"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "missing"


def test_readyz_is_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def cursor(self) -> Any:
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connections", {"default": Broken()})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unreachable"}}


def test_unapplied_migrations_is_empty_on_the_test_database(db: None) -> None:
    assert health.unapplied_migrations() == []


def test_only_get_and_head_are_answered(client: Client, db: None) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code in (403, 404, 405)
