"""The report's narrative and indicators, its submission (the frozen snapshot of one round, the
receipt queued) and its return to the beneficiary with comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.core import audit, parsing
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.money import ZERO, cents
from amis.core.transactions import atomic, lock_for_update
from amis.projects.scope import require_project
from amis.projects.selectors import version_in_force
from amis.reporting import rules, selectors
from amis.reporting.indicators import breakdowns
from amis.reporting.models import ExpenditureLine, IndicatorAchievement, Report, ReportSubmission
from amis.reporting.services.lines import LINE_FIELDS

EDITABLE = (Report.Status.OPEN, Report.Status.RETURNED)
SHOWN_DUPLICATES = 20  # lines named in the refusal; the count says how many there are


def report_editable(report: Report) -> bool:
    return report.status in EDITABLE


def _locked(report: Report, expected_lock_version: int | None) -> Report:
    current = lock_for_update(Report.objects.select_related("project__application__call")).get(pk=report.pk)
    if expected_lock_version is not None and current.lock_version != expected_lock_version:
        raise StaleObjectError(_("Report %(number)s") % {"number": current.number})
    return current


def _terms(report: Report) -> dict[str, Any]:
    version = report.agreement_version or version_in_force(report.project)
    return version.terms if version is not None else {}


@atomic
def report_update(
    *, actor: Any, report: Report, expected_lock_version: int, data: Mapping[str, Any]
) -> Report:
    """The overall progress, the progress per work-plan activity (the agreement's activities) and
    the achieved value of each of the agreement's indicators with its breakdowns. Keys left out of
    `data` are left as they are; problems per field refuse everything."""
    current = _locked(report, expected_lock_version)
    require_project(actor, current.project, "report.edit")
    if current.status not in EDITABLE:
        raise ApplicationError(
            _("Report %(number)s is %(status)s: it can no longer be changed.")
            % {"number": current.number, "status": current.get_status_display()},
            code="status",
        )
    terms = _terms(current)
    problems: dict[str, str] = {}
    before = {"progress": current.progress, "activities": current.activities}
    if "progress" in data:
        current.progress = parsing.text(data.get("progress") or "", "progress", problems, 20000).strip()
    if "activities" in data:
        current.activities = _activities(data.get("activities"), terms, problems)
    indicators = _indicators(data.get("indicators"), terms, problems) if "indicators" in data else None
    if problems:
        raise parsing.fields_error(problems)
    current.lock_version += 1
    current.save(update_fields=["progress", "activities", "lock_version"])
    if indicators is not None:
        for code, (value, breakdown, comment) in indicators.items():
            IndicatorAchievement.objects.update_or_create(
                report=current,
                code=code,
                defaults={"value": value, "breakdown": breakdown, "comment": comment},
            )
        IndicatorAchievement.objects.filter(report=current).exclude(code__in=list(indicators)).delete()
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before=before,
        after={
            "progress": current.progress,
            "activities": current.activities,
            **(
                {"indicators": {c: str(v[0]) for c, v in indicators.items()}}
                if indicators is not None
                else {}
            ),
        },
    )
    return current


def _activities(value: Any, terms: dict[str, Any], problems: dict[str, str]) -> list[dict[str, str]]:
    names = [str(a.get("name", "")) for a in terms.get("activities", []) if isinstance(a, dict)]
    if not isinstance(value, list):
        problems["activities"] = _("Give the progress per activity as a list.")
        return []
    found: dict[str, str] = {}
    for index, item in enumerate(value):
        where = f"activities.{index}"
        if not isinstance(item, dict):
            problems[where] = _("Give an activity and its progress.")
            continue
        name = str(item.get("activity", ""))
        if name not in names:
            problems[where] = _("The agreement has no activity '%(name)s'.") % {"name": parsing.shown(name)}
            continue
        found[name] = parsing.text(item.get("progress") or "", where, problems, 10000).strip()
    return [{"activity": name, "progress": found[name]} for name in names if found.get(name)]


def _indicators(
    value: Any, terms: dict[str, Any], problems: dict[str, str]
) -> dict[str, tuple[Decimal, dict[str, str], str]]:
    codes = [str(i.get("code")) for i in terms.get("indicators", []) if isinstance(i, dict)]
    if not isinstance(value, dict):
        problems["indicators"] = _("Give the indicators as code: value.")
        return {}
    result: dict[str, tuple[Decimal, dict[str, str], str]] = {}
    for code, item in value.items():
        where = f"indicators.{code}"
        if code not in codes:
            problems[where] = _("The agreement has no indicator '%(code)s'.") % {"code": parsing.shown(code)}
            continue
        item = item if isinstance(item, dict) else {"value": item}
        number = parsing.decimal(item.get("value"), where, problems)
        if number is None:
            continue  # left empty: not reported in this period
        if number < 0:
            problems[where] = _("An achieved value is not negative.")
            continue
        parts: dict[str, str] = {}
        raw = item.get("breakdown") or {}
        allowed = {key for key, _label in breakdowns(code)}
        for key, part in raw.items() if isinstance(raw, dict) else []:
            place = f"{where}.{key}"
            if key not in allowed:
                problems[place] = _("Indicator %(code)s has no breakdown '%(key)s'.") % {
                    "code": code,
                    "key": parsing.shown(key),
                }
                continue
            amount = parsing.decimal(part, place, problems)
            if amount is None:
                continue
            if amount < 0 or amount > number:
                problems[place] = _("A breakdown is between zero and the indicator's value.")
                continue
            parts[key] = str(amount)
        comment = parsing.text(item.get("comment") or "", where, problems, 2000).strip()
        result[code] = (number, parts, comment)
    return result


def submission_problems(report: Report) -> dict[str, str]:
    """What keeps the report from being submitted: lines the agreement refuses (checked again: the
    version in force may have changed), invoices declared twice without a justification."""
    problems: dict[str, str] = {}
    context = selectors.line_context(report)
    refused: list[int] = []
    for values in (
        ExpenditureLine.objects.filter(report=report)
        .order_by("position")
        .values("position", *LINE_FIELDS)
        .iterator(2000)
    ):
        position = values.pop("position")
        values["cost_type"] = values["cost_type"] or rules.REAL
        check = rules.check_line(rules.LineInput(**values), context)
        if check.problems:
            refused.append(position)
    if refused:
        problems["lines"] = _("Lines the agreement does not allow: %(lines)s.") % {
            "lines": _numbered(refused, len(refused))
        }
    pending = ExpenditureLine.objects.filter(
        report=report, duplicate_of__isnull=False, duplicate_justification=""
    )
    count = pending.count()
    if count:
        positions = list(pending.order_by("position").values_list("position", flat=True)[:SHOWN_DUPLICATES])
        problems["duplicates"] = _("Invoices declared before need a justification on line(s) %(lines)s.") % {
            "lines": _numbered(positions, count)
        }
    return problems


def _numbered(positions: list[int], total: int) -> str:
    shown = ", ".join(str(p) for p in positions[:SHOWN_DUPLICATES])
    more = total - min(total, SHOWN_DUPLICATES)
    return shown + (_(" and %(more)s more") % {"more": more} if more else "")


def snapshot(report: Report) -> dict[str, Any]:
    """What was submitted, compact for a report of 100,000 lines: the lines as lists in the fixed
    column order of `columns`, and the totals per category."""
    columns = ["position", *LINE_FIELDS, "document_sha256", "duplicate_of", "duplicate_justification"]
    lines = []
    for row in (
        ExpenditureLine.objects.filter(report=report)
        .order_by("position")
        .values_list(
            "position", *LINE_FIELDS, "document__sha256", "duplicate_of_id", "duplicate_justification"
        )
        .iterator(5000)
    ):
        lines.append([v if v is None or isinstance(v, bool | int | str) else str(v) for v in row])
    totals = {
        row["category"]: str(cents(row["total"] or ZERO))
        for row in ExpenditureLine.objects.filter(report=report)
        .values("category")
        .annotate(total=Sum("amount_declared"))
        .order_by("category")
    }
    return {
        "report": {
            "project": report.project.reference,
            "number": report.number,
            "kind": report.kind,
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
            "due_date": report.due_date.isoformat(),
            "progress": report.progress,
            "activities": report.activities,
            "agreement_version": report.agreement_version.number if report.agreement_version else None,
        },
        "indicators": [
            {"code": i.code, "value": str(i.value), "breakdown": i.breakdown, "comment": i.comment}
            for i in report.indicators.order_by("code")
        ],
        "columns": columns,
        "lines": lines,
        "totals": totals,
        "declared": str(sum((Decimal(v) for v in totals.values()), ZERO)),
    }


@atomic
def report_submit(
    *, actor: Any, report: Report, expected_lock_version: int, now: dt.datetime | None = None
) -> ReportSubmission:
    """Submit the report: checked again, bound to the agreement version in force on its period's end,
    frozen as the snapshot of a new round; the receipt is e-mailed by the worker."""
    current = _locked(report, expected_lock_version)
    require_project(actor, current.project, "report.edit")
    if current.status not in EDITABLE:
        raise ApplicationError(
            _("Report %(number)s is already %(status)s.")
            % {"number": current.number, "status": current.get_status_display()},
            code="status",
        )
    version = version_in_force(current.project, on=current.period_end) or version_in_force(current.project)
    if version is None:
        raise ApplicationError(_("The project has no signed agreement."))
    current.agreement_version = version
    problems = submission_problems(current)
    if problems:
        raise parsing.fields_error(problems)
    moment = now or timezone.now()
    before = current.status
    current.status = Report.Status.SUBMITTED
    current.round += 1
    current.submitted_at = moment
    current.submitted_by = actor
    current.lock_version += 1
    current.save()
    frozen = snapshot(current)
    submission = ReportSubmission.objects.create(
        report=current,
        round=current.round,
        submitted_at=moment,
        submitted_by=actor,
        snapshot=frozen,
        declared=Decimal(frozen["declared"]),
    )
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": before},
        after={
            "status": "submitted",
            "round": current.round,
            "agreement_version": version.number,
            "declared": frozen["declared"],
            "lines": len(frozen["lines"]),
        },
    )
    from amis.reporting import tasks

    transaction.on_commit(lambda: tasks.send_report_receipt.enqueue(submission.pk))
    return submission


@atomic
def report_return(
    *, actor: Any, report: Report, expected_lock_version: int, comments: str, now: dt.datetime | None = None
) -> ReportSubmission:
    """The authority returns a submitted report to the beneficiary with comments; the round stays as
    submitted, marked returned; the beneficiary changes the report and submits a new round."""
    current = _locked(report, expected_lock_version)
    require_project(actor, current.project, "report.review")
    if current.status != Report.Status.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted report can be returned; report %(number)s is %(status)s.")
            % {"number": current.number, "status": current.get_status_display()},
            code="status",
        )
    problems: dict[str, str] = {}
    text = parsing.text(comments or "", "comments", problems, 20000).strip()
    if not problems and not text:
        problems["comments"] = _("Say what the beneficiary should change.")
    if problems:
        raise parsing.fields_error(problems)
    submission = lock_for_update(ReportSubmission.objects.filter(report=current)).get(round=current.round)
    submission.returned_at = now or timezone.now()
    submission.returned_by = actor
    submission.return_comments = text
    submission.save(update_fields=["returned_at", "returned_by", "return_comments"])
    current.status = Report.Status.RETURNED
    current.lock_version += 1
    current.save(update_fields=["status", "lock_version"])
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": "submitted"},
        after={"status": "returned", "round": current.round, "comments": text},
    )
    from amis.reporting import tasks

    transaction.on_commit(lambda: tasks.send_report_returned.enqueue(submission.pk))
    return submission
