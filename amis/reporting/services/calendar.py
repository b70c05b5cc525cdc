"""Writes of the reporting stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from amis.core import audit
from amis.projects.models import AgreementVersion
from amis.reporting.models import Report


def reports_for_signed_version(*, version: AgreementVersion, actor: Any, **_: Any) -> list[Report]:
    """Receiver of `amis.projects.signals.agreement_version_signed`, inside its transaction: the
    reports of the version's calendar. Reports already submitted keep their dates; open ones take the
    calendar's new dates; new calendar entries become new reports."""
    project_id = version.agreement.project_id
    existing = {r.number: r for r in Report.objects.filter(project_id=project_id)}
    made: list[Report] = []
    for entry in version.terms.get("calendar", []):
        values = {
            "kind": entry["kind"],
            "period_start": dt.date.fromisoformat(entry["period_start"]),
            "period_end": dt.date.fromisoformat(entry["period_end"]),
            "due_date": dt.date.fromisoformat(entry["due_date"]),
        }
        report = existing.get(int(entry["number"]))
        if report is None:
            report = Report.objects.create(project_id=project_id, number=int(entry["number"]), **values)
            audit.record(
                actor=actor, action="create", obj=report, after={k: str(v) for k, v in values.items()}
            )
            made.append(report)
        elif report.status == Report.Status.OPEN and any(getattr(report, k) != v for k, v in values.items()):
            before = {k: str(getattr(report, k)) for k in values}
            for k, v in values.items():
                setattr(report, k, v)
            report.lock_version += 1
            report.save()
            audit.record(
                actor=actor,
                action="update",
                obj=report,
                before=before,
                after={k: str(v) for k, v in values.items()},
            )
    return made
