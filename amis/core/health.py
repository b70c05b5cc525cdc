"""`/healthz` and `/readyz`, for a load balancer or a supervisor to poll (`docs/deploy.md`).

- `/healthz`: the process answers. Touches no database: a database outage must not make every web
  process look dead and get restarted.
- `/readyz`: this process can serve: the database answers, it has every migration this code expects,
  and the task queue is not stuck (no task ready to run for longer than AMIS_READY_TASK_MINUTES,
  default 10: the workers are down or behind).

Both answer plain JSON, 200 or 503, to anyone, without a session, before host validation and the
https redirect (a balancer polls by address over plain http) and before the request log (polls
every few seconds would drown it). They say what failed, never why in detail.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

PATHS = ("/healthz", "/readyz")
_migrations_complete = False  # once true, stays true for the life of the process (its code is fixed)


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations of this code the database has not applied (app.name), in order."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]


def task_queue_stuck_since(minutes: int) -> timedelta | None:
    """How long the oldest task ready to run has waited, when longer than `minutes`; else None."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    oldest = (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=now - timedelta(minutes=minutes))
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")
        .first()
    )
    if oldest is None:
        return None
    enqueued_at, run_after = oldest
    waiting_since = max(enqueued_at, run_after) if run_after <= now else enqueued_at
    waited = now - waiting_since
    return waited if waited > timedelta(minutes=minutes) else None


def readiness() -> tuple[bool, dict[str, str]]:
    global _migrations_complete
    checks: dict[str, str] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        return False, {"database": "unreachable"}
    if not _migrations_complete:
        missing = unapplied_migrations()
        _migrations_complete = not missing
    checks["migrations"] = "ok" if _migrations_complete else "missing"
    raw = os.environ.get("AMIS_READY_TASK_MINUTES", "10")
    minutes = int(raw) if raw.isdigit() else 10
    try:
        stuck = task_queue_stuck_since(minutes)
    except DatabaseError:
        stuck = timedelta(0)
    checks["tasks"] = "ok" if stuck is None else f"a task has waited {int(stuck.total_seconds() // 60)} min"
    return all(value == "ok" for value in checks.values()), checks


def healthz() -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz() -> JsonResponse:
    ready, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


class HealthCheckMiddleware:
    """Answers /healthz and /readyz (GET or HEAD) before any other middleware; first in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in PATHS and request.method in ("GET", "HEAD"):
            response = healthz() if request.path_info == "/healthz" else readyz()
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
