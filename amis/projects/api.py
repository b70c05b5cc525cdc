"""Projects and grant agreements in the REST API: the projects one may see (a delegated authority
officer only those of the calls of their part, a beneficiary only its own: any other is a 404), one
project with its agreement's versions and its financial picture (amounts as decimal strings), one
version with all its terms; prepare, issue, sign, withdraw, amend and move budget, each with the
`lock_version` the caller read (409 when someone changed it since)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core.api_input import body, json_body_doc
from amis.core.errors import ApplicationError, StaleObjectError
from amis.projects import services
from amis.projects.models import AgreementVersion, Project
from amis.projects.scope import projects_for
from amis.projects.selectors import financial_picture, version_in_force

router = Router(tags=["projects"])


class VersionSummaryOut(Schema):
    number: int
    status: str
    reason: str
    requested_by_beneficiary: bool
    max_grant: str
    total_cost: str
    eu_rate: str
    eligible_start: str
    eligible_end: str
    in_force_from: str | None
    prepared_by: str
    prepared_at: str
    issued_by: str | None
    issued_at: str | None
    pdf_sha256: str
    authority_signatory: str
    authority_signed_on: str | None
    beneficiary_signatory: str
    beneficiary_signed_on: str | None
    signed_scan_sha256: str
    rejection_reason: str
    lock_version: int


class VersionOut(VersionSummaryOut):
    # everything the agreement says (see amis.projects.services.agreements.agreement_terms)
    terms: dict[str, Any]


class PictureRowOut(Schema):
    category: str
    budget: str
    declared: str
    verified: str
    paid: str
    corrected: str
    recovered: str
    remaining: str


class ProjectSummaryOut(Schema):
    reference: str
    application: str
    call: str
    organisation: str
    title: str
    eu_contribution: str
    total_cost: str
    start_date: str
    end_date: str
    version_in_force: int | None
    lock_version: int


class ProjectOut(ProjectSummaryOut):
    agreement: str | None
    language: str | None
    versions: list[VersionSummaryOut]
    financial_picture: list[PictureRowOut]
    totals: dict[str, str]


class ProjectPageOut(Schema):
    count: int
    items: list[ProjectSummaryOut]


class LockIn(Schema):
    lock_version: int


class SignIn(Schema):
    lock_version: int
    signatory: str
    signed_on: str  # ISO date
    # the scan of the agreement signed by both sides (the beneficiary uploads it), base64
    scan_name: str = ""
    scan_base64: str = ""


class ReasonIn(Schema):
    lock_version: int
    reason: str


class TransferIn(Schema):
    lock_version: int
    from_category: str
    to_category: str
    amount: str  # decimal string, euro and cents
    reason: str


class TransferOut(Schema):
    version: int
    from_category: str
    to_category: str
    amount: str
    reason: str


def _s(value: Any) -> str | None:
    return None if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))


def _version_out(v: AgreementVersion, *, terms: bool = False) -> dict[str, Any]:
    out = {
        "number": v.number,
        "status": v.status,
        "reason": v.reason,
        "requested_by_beneficiary": v.requested_by_beneficiary,
        "max_grant": str(v.max_grant),
        "total_cost": str(v.total_cost),
        "eu_rate": str(v.eu_rate),
        "eligible_start": v.eligible_start.isoformat(),
        "eligible_end": v.eligible_end.isoformat(),
        "in_force_from": _s(v.in_force_from),
        "prepared_by": v.prepared_by.email,
        "prepared_at": v.prepared_at.isoformat(),
        "issued_by": v.issued_by.email if v.issued_by else None,
        "issued_at": _s(v.issued_at),
        "pdf_sha256": v.pdf_sha256,
        "authority_signatory": v.authority_signatory,
        "authority_signed_on": _s(v.authority_signed_on),
        "beneficiary_signatory": v.beneficiary_signatory,
        "beneficiary_signed_on": _s(v.beneficiary_signed_on),
        "signed_scan_sha256": v.signed_scan_sha256,
        "rejection_reason": v.rejection_reason,
        "lock_version": v.lock_version,
    }
    if terms:
        out["terms"] = v.terms
    return out


def _summary(p: Project, in_force: int | None) -> dict[str, Any]:
    return {
        "reference": p.reference,
        "application": p.application.reference,
        "call": p.application.call.code,
        "organisation": p.organisation.name,
        "title": p.application.title,
        "eu_contribution": str(p.eu_contribution),
        "total_cost": str(p.total_cost),
        "start_date": p.start_date.isoformat(),
        "end_date": p.end_date.isoformat(),
        "version_in_force": in_force,
        "lock_version": p.lock_version,
    }


def project_visible_or_404(request: HttpRequest, reference: str, action: str = "project.view") -> Project:
    """The project if this caller may see it (else 404, or 403 without any role that reads projects),
    then `action` on it (403 with the reason)."""
    project = projects_for(request.user).filter(reference=reference).first()
    if project is None:
        require(request.user, "project.view")
        raise Http404(f"No project {reference}.")
    require(request.user, action, project)
    return project


def _version(project: Project, number: int) -> AgreementVersion:
    found = (
        AgreementVersion.objects.filter(agreement__project=project, number=number)
        .select_related("prepared_by", "issued_by")
        .first()
    )
    if found is None:
        raise Http404(f"No version {number} of the agreement of {project.reference}.")
    return found


def _project_out(project: Project) -> dict[str, Any]:
    versions = list(
        AgreementVersion.objects.filter(agreement__project=project)
        .select_related("prepared_by", "issued_by", "agreement")
        .order_by("number")
    )
    in_force = version_in_force(project)
    picture = financial_picture(project)
    agreement = versions[0].agreement if versions else None
    return {
        **_summary(project, in_force.number if in_force else None),
        "agreement": agreement.reference if agreement else None,
        "language": agreement.language if agreement else None,
        "versions": [_version_out(v) for v in versions],
        "financial_picture": [
            {
                "category": r.category,
                "budget": str(r.budget),
                "declared": str(r.declared),
                "verified": str(r.verified),
                "paid": str(r.paid),
                "corrected": str(r.corrected),
                "recovered": str(r.recovered),
                "remaining": str(r.remaining),
            }
            for r in picture.rows
        ],
        "totals": {k: str(v) for k, v in picture.totals.items()},
    }


def _check_project_lock(project: Project, lock_version: int) -> None:
    if project.lock_version != lock_version:
        raise StaleObjectError(str(project))


@router.get(
    "/projects",
    response=ProjectPageOut,
    auth=AUTHENTICATED,
    summary="Projects you may see, a page at a time (newest first)",
    description=roles_text("project.view")
    + " A delegated authority officer sees the projects of the calls of their part only. Filters: `call` "
    "(code). Pages: `limit` (at most 200) and `offset`.",
)
def list_projects(request: HttpRequest, call: str = "", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    require(request.user, "project.view")
    if not 1 <= limit <= 200 or offset < 0:
        raise ApplicationError("limit is 1 to 200 and offset 0 or more.", code="bad_request")
    found = projects_for(request.user)
    if call:
        found = found.filter(application__call__code=call)
    rows = list(found[offset : offset + limit])
    in_force: dict[int, int] = {}
    for project_id, number in (
        AgreementVersion.objects.filter(agreement__project__in=[p.pk for p in rows], status="signed")
        .order_by("number")
        .values_list("agreement__project_id", "number")
    ):
        in_force[project_id] = number  # the highest signed number last
    return {"count": found.count(), "items": [_summary(p, in_force.get(p.pk)) for p in rows]}


@router.get(
    "/projects/{reference}",
    response=ProjectOut,
    auth=AUTHENTICATED,
    summary="One project: its agreement's versions and its financial picture",
    description=roles_text("project.view"),
)
def get_project(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _project_out(project_visible_or_404(request, reference))


@router.get(
    "/projects/{reference}/agreement/versions/{number}",
    response=VersionOut,
    auth=AUTHENTICATED,
    summary="One version of the grant agreement, with all its terms",
    description=roles_text("project.view"),
)
def get_version(request: HttpRequest, reference: str, number: int) -> dict[str, Any]:
    project = project_visible_or_404(request, reference)
    return _version_out(_version(project, number), terms=True)


@router.post(
    "/projects/{reference}/agreement",
    response={201: VersionOut},
    auth=AUTHENTICATED,
    summary="Prepare the grant agreement (version 1, a draft) from the submitted application",
    description=roles_text("agreement.prepare") + " `lock_version` is the project's.",
    openapi_extra=json_body_doc(LockIn),
)
def prepare_agreement(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    project = project_visible_or_404(request, reference, "agreement.prepare")
    payload = body(request, LockIn)
    _check_project_lock(project, payload.lock_version)
    version = services.agreement_prepare(actor=request.user, project=project)
    return Status(201, _version_out(_version(project, version.number), terms=True))


@router.post(
    "/projects/{reference}/agreement/versions/{number}/issue",
    response=VersionOut,
    auth=AUTHENTICATED,
    summary="Issue a draft version (approve the amendment): four eyes",
    description=roles_text("agreement.issue")
    + " Refused (403) to whoever prepared or changed the draft; refused (400, code `terms`) with what "
    "stops it (eligibility period, simplified costs, bank account).",
    openapi_extra=json_body_doc(LockIn),
)
def issue_version(request: HttpRequest, reference: str, number: int) -> dict[str, Any]:
    project = project_visible_or_404(request, reference, "agreement.issue")
    version = _version(project, number)
    payload = body(request, LockIn)
    services.version_issue(actor=request.user, version=version, expected_lock_version=payload.lock_version)
    return _version_out(_version(project, number), terms=True)


@router.post(
    "/projects/{reference}/agreement/versions/{number}/sign/{side}",
    response=VersionOut,
    auth=AUTHENTICATED,
    summary="Record one side's signature, `authority` or `beneficiary` (with the signed scan, base64)",
    description=roles_text("agreement.issue")
    + " for the authority; "
    + roles_text("agreement.sign")
    + " for the beneficiary. Once both have signed and the scan is there, the version is in force.",
    openapi_extra=json_body_doc(SignIn),
)
def sign_version(request: HttpRequest, reference: str, number: int, side: str) -> dict[str, Any]:
    if side not in ("authority", "beneficiary"):
        raise Http404("Sign for the authority or for the beneficiary.")
    project = project_visible_or_404(
        request, reference, "agreement.issue" if side == "authority" else "agreement.sign"
    )
    payload = body(request, SignIn)
    try:
        signed_on = dt.date.fromisoformat(payload.signed_on)
    except ValueError:
        raise ApplicationError("signed_on is a date, YYYY-MM-DD.", code="bad_request") from None
    scan = None
    if payload.scan_base64:
        try:
            scan = (payload.scan_name or "signed.pdf", base64.b64decode(payload.scan_base64, validate=True))
        except (binascii.Error, ValueError):
            raise ApplicationError("scan_base64 is not base64.", code="bad_request") from None
    services.version_sign(
        actor=request.user,
        version=_version(project, number),
        expected_lock_version=payload.lock_version,
        side=side,
        signatory=payload.signatory,
        signed_on=signed_on,
        scan=scan,
    )
    return _version_out(_version(project, number), terms=True)


@router.post(
    "/projects/{reference}/agreement/versions/{number}/withdraw",
    response=VersionOut,
    auth=AUTHENTICATED,
    summary="Withdraw a draft or issued (unsigned) version, with the reason",
    description=roles_text("agreement.prepare"),
    openapi_extra=json_body_doc(ReasonIn),
)
def withdraw_version(request: HttpRequest, reference: str, number: int) -> dict[str, Any]:
    project = project_visible_or_404(request, reference, "agreement.prepare")
    version = _version(project, number)
    payload = body(request, ReasonIn)
    services.version_withdraw(
        actor=request.user, version=version, expected_lock_version=payload.lock_version, reason=payload.reason
    )
    return _version_out(_version(project, number), terms=True)


@router.post(
    "/projects/{reference}/amendments",
    response={201: VersionOut},
    auth=AUTHENTICATED,
    summary="Prepare an amendment: a new draft version from the one in force, with its reason",
    description=roles_text("agreement.prepare") + " `lock_version` is the project's.",
    openapi_extra=json_body_doc(ReasonIn),
)
def prepare_amendment(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    project = project_visible_or_404(request, reference, "agreement.prepare")
    payload = body(request, ReasonIn)
    _check_project_lock(project, payload.lock_version)
    version = services.amendment_prepare(actor=request.user, project=project, reason=payload.reason)
    return Status(201, _version_out(_version(project, version.number), terms=True))


@router.post(
    "/projects/{reference}/amendment-requests",
    response={201: VersionOut},
    auth=AUTHENTICATED,
    summary="Ask for an amendment (the beneficiary): a draft the authority completes",
    description=roles_text("agreement.sign") + " `lock_version` is the project's.",
    openapi_extra=json_body_doc(ReasonIn),
)
def request_amendment(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    project = project_visible_or_404(request, reference, "agreement.sign")
    payload = body(request, ReasonIn)
    _check_project_lock(project, payload.lock_version)
    version = services.amendment_prepare(
        actor=request.user, project=project, reason=payload.reason, requested_by_beneficiary=True
    )
    return Status(201, _version_out(_version(project, version.number), terms=True))


@router.post(
    "/projects/{reference}/transfers",
    response={201: TransferOut},
    auth=AUTHENTICATED,
    summary="Move budget between cost categories within the agreement's tolerance",
    description=roles_text("budget.transfer")
    + " Above the tolerance the transfer is refused (400, code `tolerance`): ask for an amendment.",
    openapi_extra=json_body_doc(TransferIn),
)
def transfer_budget(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    project = project_visible_or_404(request, reference, "budget.transfer")
    payload = body(request, TransferIn)
    try:
        amount = Decimal(payload.amount)
    except InvalidOperation:
        raise ApplicationError("amount is a decimal string, e.g. 1500.00.", code="bad_request") from None
    if not amount.is_finite():
        raise ApplicationError("amount is a decimal string, e.g. 1500.00.", code="bad_request")
    transfer = services.budget_transfer(
        actor=request.user,
        project=project,
        expected_lock_version=payload.lock_version,
        from_category=payload.from_category,
        to_category=payload.to_category,
        amount=amount,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "version": transfer.version.number,
            "from_category": transfer.from_category,
            "to_category": transfer.to_category,
            "amount": str(transfer.amount),
            "reason": transfer.reason,
        },
    )
