"""The annual report in the REST API (/api/v1/annual-reports...), for the authorities' own systems:
the reports of the programmes the caller reads, one report with its tables (amounts as decimal
strings, exact to the cent) and texts, writing a part, the steps to the committee's approval and the
freeze. The same services and selectors as the pages. 400 for a broken rule or bad input, 403 with
the reason, 404 outside the caller's scope, 409 for a stale lock_version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.annual_reports import selectors, services
from amis.annual_reports.models import AnnualReport
from amis.core.api_input import body, json_body_doc

router = Router(tags=["annual reports"])
VIEW, MANAGE, APPROVE = "annual_report.view", "annual_report.manage", "annual_report.approve"


class ReportIn(Schema):
    programme: str
    year: int


class PartIn(Schema):
    lock_version: int
    section: str
    specific_objective: str = ""
    text: str


class SubmitIn(Schema):
    lock_version: int
    on: dt.date | None = None


class DecisionIn(Schema):
    lock_version: int
    decision: str
    meeting_date: dt.date
    reference: str
    note: str = ""


class LockIn(Schema):
    lock_version: int


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def _out(report: AnnualReport, content: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "programme": report.programme.cci,
        "year": report.year,
        "kind": report.kind,
        "period_start": _iso(report.period_start),
        "period_end": _iso(report.period_end),
        "due_date": _iso(report.due_date),
        "due_basis": report.due_basis,
        "status": report.status,
        "submitted_on": _iso(report.submitted_on),
        "meeting_date": _iso(report.meeting_date),
        "decision_reference": report.decision_reference,
        "snapshot_sha256": report.snapshot_sha256,
        "frozen_at": _iso(report.frozen_at),
        "lock_version": report.lock_version,
    }
    if content is not None:
        out["content"] = content
        out["history"] = [
            {
                "from": e.from_status,
                "to": e.to_status,
                "meeting_date": _iso(e.meeting_date),
                "reference": e.reference,
                "note": e.note,
                "by": e.actor.email,
                "at": e.at.isoformat(),
            }
            for e in report.events.all()
        ]
    return out


def _report(request: HttpRequest, cci: str, year: int) -> AnnualReport:
    found = selectors.report_for(request.user, cci, year)
    if found is None:
        raise Http404(f"No annual report {cci} {year}.")
    return found


def _full(request: HttpRequest, report: AnnualReport) -> dict[str, Any]:
    fresh = _report(request, report.programme.cci, report.year)
    return _out(fresh, selectors.current_content(fresh))


@router.get(
    "/annual-reports",
    response=list[dict[str, Any]],
    auth=AUTHENTICATED,
    summary="The annual reports of the programmes the caller reads",
    description=roles_text(VIEW) + " `programme`: a CCI to narrow to one programme.",
)
def list_reports(request: HttpRequest, programme: str = "") -> list[dict[str, Any]]:
    require(request.user, VIEW)
    qs = selectors.reports_for(request.user)
    if programme:
        qs = qs.filter(programme__cci=programme[:20])
    return [_out(r) for r in qs]


@router.post(
    "/annual-reports",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Draft the annual report of a programme for a year",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(ReportIn),
)
def create_report(request: HttpRequest) -> Status:
    require(request.user, MANAGE)
    data = body(request, ReportIn)
    programme = selectors.programme_for(request.user, data.programme[:20])
    if programme is None:
        raise Http404(f"No programme {data.programme}.")
    report = services.report_create(actor=request.user, programme=programme, year=data.year)
    return Status(201, _full(request, report))


@router.get(
    "/annual-reports/{cci}/{year}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="An annual report: its tables (generated, or frozen at approval), texts and steps",
    description=roles_text(VIEW) + " Amounts in euro as decimal strings; shares as fractions.",
)
def get_report(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, VIEW)
    report = _report(request, cci, year)
    return _out(report, selectors.current_content(report))


@router.patch(
    "/annual-reports/{cci}/{year}/parts",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Write one part of a draft report (a section, for one specific objective or the whole report)",
    description=roles_text(MANAGE) + " `lock_version` is the part's.",
    openapi_extra=json_body_doc(PartIn),
)
def write_part(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, MANAGE)
    report = _report(request, cci, year)
    data = body(request, PartIn)
    part = services.narrative_update(
        actor=request.user,
        report=report,
        section=data.section[:30],
        specific_objective=data.specific_objective[:20],
        text=data.text,
        expected_lock_version=data.lock_version,
    )
    return {
        "section": part.section,
        "specific_objective": part.specific_objective,
        "text": part.text,
        "lock_version": part.lock_version,
    }


@router.post(
    "/annual-reports/{cci}/{year}/submit",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Submit the draft to the Monitoring Committee (every part written)",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(SubmitIn),
)
def submit_report(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, MANAGE)
    report = _report(request, cci, year)
    data = body(request, SubmitIn)
    done = services.report_submit(
        actor=request.user, report=report, expected_lock_version=data.lock_version, on=data.on
    )
    return _out(done)


@router.post(
    "/annual-reports/{cci}/{year}/decision",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Record the Monitoring Committee's decision: approve (the content is frozen) or return",
    description=roles_text(APPROVE) + " `decision`: approve or return (with a `note`).",
    openapi_extra=json_body_doc(DecisionIn),
)
def decide_report(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, APPROVE)
    report = _report(request, cci, year)
    data = body(request, DecisionIn)
    done = services.committee_decision(
        actor=request.user,
        report=report,
        expected_lock_version=data.lock_version,
        decision=data.decision,
        meeting_date=data.meeting_date,
        reference=data.reference,
        note=data.note,
    )
    return _out(done)


@router.post(
    "/annual-reports/{cci}/{year}/freeze",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Freeze the approved report for the Commission",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(LockIn),
)
def freeze_report(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, MANAGE)
    report = _report(request, cci, year)
    data = body(request, LockIn)
    return _out(
        services.report_freeze(actor=request.user, report=report, expected_lock_version=data.lock_version)
    )
