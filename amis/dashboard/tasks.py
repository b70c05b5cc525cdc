"""The dashboard's background work, run by `amis worker`: refreshing a programme's summary when a
reader saw that its sources changed (`freshness.request_refresh`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from amis.dashboard import services


@task()
def refresh_dashboard(programme_id: int) -> dict[str, Any]:
    state = services.refresh(programme_id)
    computed = state.computed_at.isoformat() if state.computed_at else None
    return {"programme": programme_id, "computed_at": computed, "took_ms": state.took_ms}
