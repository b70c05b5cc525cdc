"""The desk verification in the REST API: read a report's verification, start it, decide lines in
bulk (by ids or filters), answer the checklist, complete it. The same services and checks as the
pages: problems in a 400 (per field in `extra.fields`), nothing saved; a parallel change 409; a
refusal of rights or of segregation of duties 403; a report outside the caller's scope 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import roles_text
from amis.core.api_input import body, json_body_doc
from amis.core.errors import ApplicationError
from amis.projects.scope import require_project
from amis.reporting.models import Report
from amis.reporting.selectors import reports_for
from amis.verification import selectors, services
from amis.verification.models import Verification

router = Router(tags=["verification"])


class VerificationOut(Schema):
    report: int
    report_status: str
    verification: dict[str, Any] | None
    checklist: list[dict[str, Any]]
    totals: dict[str, Any] | None


class DecisionsIn(Schema):
    """Which lines (`ids`, or the filters) and the decision; `eligible`: the amount kept of one
    reduced line."""

    ids: list[int] | None = None
    category: str | None = None
    supplier: str | None = None
    amount_from: str | None = None
    amount_to: str | None = None
    undecided: bool = False
    decision: str
    reason: str = ""
    reason_text: str = ""
    eligible: str | None = None


class DecidedOut(Schema):
    decided: int
    totals: dict[str, Any]


class ChecklistIn(Schema):
    lock_version: int
    answers: dict[str, dict[str, str]]


class LockIn(Schema):
    lock_version: int


def _report(request: HttpRequest, report_id: int, action: str = "claim.verify") -> Report:
    report = (
        reports_for(request.user)
        .select_related("project__organisation", "project__application__call", "agreement_version")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404(f"No report {report_id}.")
    require_project(request.user, report.project, action)
    return report


def _current(report: Report) -> Verification:
    verification = selectors.current_verification(report)
    if verification is None or verification.round != report.round:
        raise ApplicationError("Start the verification of this report first.", code="not_started")
    return verification


def _totals(verification: Verification) -> dict[str, Any]:
    totals = selectors.decision_totals(verification)
    return {
        "lines": totals["lines"],
        "undecided": totals["undecided"],
        "declared": str(totals["declared"]),
        "by_decision": {
            key: {"lines": row["lines"], "declared": str(row["declared"]), "eligible": str(row["eligible"])}
            for key, row in totals["by_decision"].items()
        },
    }


def _out(report: Report) -> dict[str, Any]:
    verification = selectors.current_verification(report)
    answers = verification.checklist if verification is not None else {}
    found: dict[str, Any] | None = None
    if verification is not None:
        found = {
            "id": verification.pk,
            "round": verification.round,
            "status": verification.status,
            "verifier": verification.verifier.email,
            "started_at": verification.started_at.isoformat(),
            "completed_at": verification.completed_at.isoformat() if verification.completed_at else None,
            "declared": _text(verification.declared),
            "eligible_by_decision": _text(verification.eligible_by_decision),
            "ineligible": _text(verification.ineligible),
            "reduced": _text(verification.reduced),
            "verified": _text(verification.verified),
            "eu_share": _text(verification.eu_share),
            "verified_by_category": verification.verified_by_category,
            "working": verification.working,
            "lock_version": verification.lock_version,
        }
    return {
        "report": report.pk,
        "report_status": report.status,
        "verification": found,
        "checklist": [
            {"code": item.code, "text": item.text, **answers.get(item.code, {})}
            for item in selectors.checklist_for(report)
        ],
        "totals": _totals(verification) if verification is not None else None,
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@router.get(
    "/reports/{report_id}/verification",
    response=VerificationOut,
    auth=AUTHENTICATED,
    summary="A report's desk verification: status, checklist, totals; once completed the result and "
    "AMIS's working",
    description=roles_text("verification.view"),
)
def get_verification(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _out(_report(request, report_id, "verification.view"))


@router.post(
    "/reports/{report_id}/verification",
    response=VerificationOut,
    auth=AUTHENTICATED,
    summary="Start the desk verification of a submitted report (its current round)",
    description=roles_text("claim.verify")
    + " Never the person who prepared the project's agreement (403, segregation of duties).",
)
def start_verification(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = _report(request, report_id)
    services.verification_start(actor=request.user, report=report)
    return _out(_report(request, report_id))


@router.post(
    "/reports/{report_id}/verification/decisions",
    response=DecidedOut,
    auth=AUTHENTICATED,
    summary="Decide expenditure lines in bulk: by ids or by filters (category, supplier, amount "
    "from/to, undecided)",
    description=roles_text("claim.verify")
    + " `decision`: eligible, ineligible or reduced; `reason` from the list for ineligible and reduced "
    "(`reason_text` for 'other'); `eligible` the amount kept of one reduced line.",
    openapi_extra=json_body_doc(DecisionsIn),
)
def decide_lines(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = _report(request, report_id)
    data: DecisionsIn = body(request, DecisionsIn)
    verification = _current(report)
    filters: dict[str, Any] = {
        "ids": data.ids,
        "category": data.category,
        "supplier": data.supplier,
        "undecided": data.undecided,
    }
    problems = {}
    for name in ("amount_from", "amount_to"):
        try:
            filters[name] = services.parse_amount(getattr(data, name))
        except ApplicationError as error:
            problems[name] = error.message
    try:
        eligible = services.parse_amount(data.eligible)
    except ApplicationError as error:
        problems["eligible"] = error.message
        eligible = None
    if problems:
        from amis.core.parsing import fields_error

        raise fields_error(problems)
    decided = services.lines_decide(
        actor=request.user,
        verification=verification,
        filters={k: v for k, v in filters.items() if v not in (None, "", False, [])},
        decision=data.decision,
        eligible=eligible,
        reason=data.reason,
        reason_text=data.reason_text,
    )
    verification.refresh_from_db()
    return {"decided": decided, "totals": _totals(verification)}


@router.post(
    "/reports/{report_id}/verification/checklist",
    response=VerificationOut,
    auth=AUTHENTICATED,
    summary="Answer items of the checklist: {code: {answer: yes/no/na, comment}} ('no' needs a comment)",
    description=roles_text("claim.verify"),
    openapi_extra=json_body_doc(ChecklistIn),
)
def answer_checklist(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = _report(request, report_id)
    data: ChecklistIn = body(request, ChecklistIn)
    services.checklist_answer(
        actor=request.user,
        verification=_current(report),
        expected_lock_version=data.lock_version,
        answers=data.answers,
    )
    return _out(report)


@router.post(
    "/reports/{report_id}/verification/complete",
    response=VerificationOut,
    auth=AUTHENTICATED,
    summary="Complete the verification: the verified amount and the EU share with AMIS's working; "
    "the report is accepted",
    description=roles_text("claim.verify"),
    openapi_extra=json_body_doc(LockIn),
)
def complete_verification(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = _report(request, report_id)
    data: LockIn = body(request, LockIn)
    services.verification_complete(
        actor=request.user, verification=_current(report), expected_lock_version=data.lock_version
    )
    return _out(_report(request, report_id))
