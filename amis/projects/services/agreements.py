"""Grant agreements: prepared from the selected application's submitted snapshot, issued by a second
person of the authority (four eyes), signed by both sides with the signed scan uploaded.

Locking order (docs/architecture.md, "Locking"): the agreement version, then the project when its
figures change, the audit chain head last.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.services import duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.applications.models import Application
from amis.core import audit, uploads
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.money import ZERO, cents
from amis.core.transactions import atomic, lock_for_update
from amis.integrity.recheck import recheck_application
from amis.projects import rules, signals
from amis.projects.models import AgreementBudgetLine, AgreementVersion, GrantAgreement, GrantTerms, Project
from amis.projects.pdf import agreement_pdf
from amis.projects.scope import require_project

RATE = Decimal("0.0001")


def grant_terms_for(call: Any) -> GrantTerms:
    """The call's grant terms, or the defaults (not saved) when it has none."""
    found = GrantTerms.objects.filter(call=call).first()
    return found if found is not None else GrantTerms(call=call)


def _language(application: Application) -> str:
    """The beneficiary's language: the submitter's preferred language, else the call's first."""
    user = application.submitted_by
    preferred = getattr(user, "preferred_language", "") if user else ""
    if preferred:
        return str(preferred)
    languages = application.call.languages or ["nl"]
    return str(languages[0])


def agreement_terms(project: Project) -> dict[str, Any]:
    """Everything the agreement says, from the application as submitted (its snapshot), the call,
    its grant terms and the organisation's confirmed bank account."""
    application = project.application
    call = application.call
    programme = call.programme
    snapshot = application.snapshot or {}
    organisation = project.organisation
    terms = grant_terms_for(call)
    share = Decimal(str(terms.prefinancing_share))
    tolerance = Decimal(str(terms.transfer_tolerance))
    budget: dict[tuple[str, int], Decimal] = {}
    for line in snapshot.get("budget", []):
        key = (str(line["category"]), int(line["year"]))
        budget[key] = budget.get(key, ZERO) + Decimal(str(line["amount"]))
    indirect_rate = Decimal(str(snapshot.get("indirect_rate", application.indirect_rate)))
    total = Decimal(str(snapshot.get("total_cost", project.total_cost)))
    funding = {k: str(v) for k, v in (snapshot.get("funding") or {}).items()}
    max_grant = Decimal(funding.get("eu", str(project.eu_contribution)))
    start = (
        dt.date.fromisoformat(snapshot["start_date"])
        if snapshot.get("start_date") not in (None, "None")
        else project.start_date
    )
    end = (
        dt.date.fromisoformat(snapshot["end_date"])
        if snapshot.get("end_date") not in (None, "None")
        else project.end_date
    )
    calendar = rules.reporting_calendar(start, end, terms.interim_report_months, terms.report_due_days)
    simplified: list[dict[str, Any]] = []
    if indirect_rate > 0:
        simplified.append(
            {
                "code": "FR-INDIRECT",
                "kind": rules.SimplifiedCostKind.FLAT_RATE,
                "category": "indirect",
                "label": "indirect costs",
                "rate": str(indirect_rate),
                "base": sorted({c for c, _y in budget}),
            }
        )
    return {
        "project": project.reference,
        "application": application.reference,
        "title": snapshot.get("title", application.title),
        "summary": snapshot.get("summary", ""),
        "programme": programme.cci,
        "fund": str(programme.fund),
        "period": str(programme.period),
        "call": call.code,
        "specific_objective": call.specific_objective,
        "national_objectives": list(call.national_objectives or []),
        "type_of_action": call.type_of_action,
        "beneficiary": {
            "name": organisation.name,
            "enterprise_number": organisation.enterprise_number,
            "vat_number": organisation.vat_number,
            "address": ", ".join(
                x for x in (organisation.street, f"{organisation.postcode} {organisation.city}".strip()) if x
            ),
            "country": organisation.country,
        },
        "partners": snapshot.get("partners", []),
        "activities": snapshot.get("activities", []),
        "max_grant": str(max_grant),
        "total_cost": str(total),
        "eu_rate": str((max_grant / total).quantize(RATE) if total else ZERO),
        "indirect_rate": str(indirect_rate),
        "budget": [{"category": c, "year": y, "amount": str(a)} for (c, y), a in sorted(budget.items())],
        "funding": funding,
        "funders": snapshot.get("funders", {}),
        "eligible_start": start.isoformat(),
        "eligible_end": end.isoformat(),
        "calendar": [
            {
                "number": e.number,
                "kind": e.kind,
                "period_start": e.period_start.isoformat(),
                "period_end": e.period_end.isoformat(),
                "due_date": e.due_date.isoformat(),
            }
            for e in calendar
        ],
        "indicators": [
            {"code": code, "target": str(value)}
            for code, value in sorted((snapshot.get("planned_indicators") or {}).items())
        ],
        "bank_account": {"iban": organisation.iban, "bic": organisation.bic},
        "special_conditions": terms.special_conditions,
        "simplified_costs": simplified,
        "prefinancing_share": str(share),
        "prefinancing_amount": str(cents(max_grant * share)),
        "transfer_tolerance": str(tolerance),
    }


def version_from_terms(version: AgreementVersion, terms: dict[str, Any]) -> None:
    """Fill the version's columns (what queries read) from its terms (what the PDF shows)."""
    version.terms = terms
    version.max_grant = Decimal(terms["max_grant"])
    version.total_cost = Decimal(terms["total_cost"])
    version.eu_rate = Decimal(terms["eu_rate"])
    version.eligible_start = dt.date.fromisoformat(terms["eligible_start"])
    version.eligible_end = dt.date.fromisoformat(terms["eligible_end"])
    version.transfer_tolerance = Decimal(terms["transfer_tolerance"])
    version.prefinancing_share = Decimal(terms["prefinancing_share"])


def _budget_lines(version: AgreementVersion) -> None:
    version.budget_lines.all().delete()
    AgreementBudgetLine.objects.bulk_create(
        AgreementBudgetLine(
            version=version, category=b["category"], year=int(b["year"]), amount=Decimal(b["amount"])
        )
        for b in version.terms["budget"]
    )


def terms_problems(terms: dict[str, Any]) -> list[str]:
    """What stops a version from being issued (each message cites its rule)."""
    problems = []
    start, end = dt.date.fromisoformat(terms["eligible_start"]), dt.date.fromisoformat(terms["eligible_end"])
    problem = rules.eligibility_problem(terms["period"], start, end)
    if problem:
        problems.append(problem)
    options = [
        rules.SimplifiedCost(code=o["code"], kind=o["kind"], category=o["category"])
        for o in terms["simplified_costs"]
    ]
    categories = {b["category"] for b in terms["budget"] if Decimal(b["amount"]) > 0}
    problem = rules.sco_problem(terms["period"], Decimal(terms["total_cost"]), categories, options)
    if problem:
        problems.append(problem)
    if not terms["bank_account"].get("iban"):
        problems.append(_("The beneficiary has no confirmed bank account to pay the grant to."))
    return problems


@atomic
def agreement_prepare(*, actor: Any, project: Project, now: dt.datetime | None = None) -> AgreementVersion:
    """Version 1 of the project's agreement, as a draft, from the application's submitted snapshot.
    `now` is when it was prepared (the demo's history; default: now)."""
    require_project(actor, project, "agreement.prepare")
    if GrantAgreement.objects.filter(project=project).exists():
        raise ApplicationError(_("This project already has its grant agreement."))
    agreement = GrantAgreement.objects.create(
        project=project, reference=f"GA-{project.reference}", language=_language(project.application)
    )
    version = AgreementVersion(
        agreement=agreement, number=1, prepared_by=actor, prepared_at=now or timezone.now()
    )
    version_from_terms(version, agreement_terms(project))
    version.save()
    _budget_lines(version)
    duty_record(user=actor, duty=Duty.PREPARE, obj=version)
    audit.record(
        actor=actor, action="create", obj=version, after={"agreement": agreement.reference, "number": 1}
    )
    return version


def _locked(version: AgreementVersion, expected_lock_version: int) -> AgreementVersion:
    current = lock_for_update(
        AgreementVersion.objects.select_related(
            "agreement__project__application__call", "agreement__project__organisation"
        )
    ).get(pk=version.pk)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(f"{current}")
    return current


@atomic
def version_update_terms(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int, changes: dict[str, Any]
) -> AgreementVersion:
    """Change a draft's terms (special conditions, simplified cost options, calendar, dates, budget
    of an amendment...). The keys are those of `agreement_terms`; the whole is checked again."""
    current = _locked(version, expected_lock_version)
    project = current.agreement.project
    require_project(actor, project, "agreement.prepare")
    if current.status != AgreementVersion.Status.DRAFT:
        raise ApplicationError(
            _("Only a draft can be changed; this version is %(status)s.")
            % {"status": current.get_status_display()}
        )
    unknown = set(changes) - set(current.terms)
    if unknown:
        raise ApplicationError(_("Unknown terms: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    before = {k: current.terms.get(k) for k in changes}
    terms = {**current.terms, **changes}
    version_from_terms(current, terms)
    current.lock_version += 1
    current.save()
    _budget_lines(current)
    duty_record(user=actor, duty=Duty.PREPARE, obj=current)
    audit.record(actor=actor, action="update", obj=current, before=before, after=changes)
    return current


@atomic
def version_issue(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int, now: dt.datetime | None = None
) -> AgreementVersion:
    """Issue the draft (approve the amendment): a second person of the authority, never one who
    prepared or changed it. Its terms are frozen from here on. `now` is when it was issued (the
    demo's history; the services of the pages leave it to the clock)."""
    current = _locked(version, expected_lock_version)
    project = current.agreement.project
    require_project(actor, project, "agreement.issue")
    if current.status != AgreementVersion.Status.DRAFT:
        raise ApplicationError(
            _("Only a draft can be issued; this version is %(status)s.")
            % {"status": current.get_status_display()}
        )
    ensure_duty_allowed(user=actor, duty=Duty.ISSUE, obj=current)
    problems = terms_problems(current.terms)
    if problems:
        raise ApplicationError(" ".join(problems), code="terms")
    current.status = AgreementVersion.Status.ISSUED
    current.issued_by = actor
    current.issued_at = now or timezone.now()
    # the SHA-256 of the PDF as issued: the document both sides sign (`amis.projects.pdf` renders
    # the same bytes for the same version, whenever it is downloaded)
    current.pdf_sha256 = hashlib.sha256(agreement_pdf(current)).hexdigest()
    current.lock_version += 1
    current.save()
    duty_record(user=actor, duty=Duty.ISSUE, obj=current)
    audit.record(actor=actor, action="transition", obj=current, after={"status": current.status})
    return current


@atomic
def version_sign(
    *,
    actor: Any,
    version: AgreementVersion,
    expected_lock_version: int,
    side: str,
    signatory: str,
    signed_on: dt.date,
    scan: tuple[str, bytes] | None = None,
) -> AgreementVersion:
    """Record one side's signature ("authority" or "beneficiary": who signed, on which date). The
    beneficiary uploads the scan of the agreement signed by both. Once both have signed and the
    scan is there, the version is in force from the later signature's date."""
    current = _locked(version, expected_lock_version)
    project = current.agreement.project
    if side == "authority":
        require_project(actor, project, "agreement.issue")
    elif side == "beneficiary":
        require_project(actor, project, "agreement.sign")
    else:
        raise ApplicationError(_("Sign for the authority or for the beneficiary."))
    if current.status != AgreementVersion.Status.ISSUED:
        raise ApplicationError(
            _("Only an issued version can be signed; this version is %(status)s.")
            % {"status": current.get_status_display()}
        )
    if not signatory.strip():
        raise ApplicationError(_("Name the person who signed."))
    if signed_on < current.issued_at.date() if current.issued_at else False:
        raise ApplicationError(_("A version cannot be signed before it was issued."))
    if signed_on > timezone.localdate():
        raise ApplicationError(_("The date of signature cannot be in the future."))
    if side == "authority":
        current.authority_signatory, current.authority_signed_on, current.authority_signed_by = (
            signatory.strip(),
            signed_on,
            actor,
        )
    else:
        current.beneficiary_signatory, current.beneficiary_signed_on, current.beneficiary_signed_by = (
            signatory.strip(),
            signed_on,
            actor,
        )
    if scan is not None:
        name, data = scan
        clean, _content_type = uploads.check(name, data)
        digest = hashlib.sha256(data).hexdigest()
        current.signed_scan.save(f"{digest[:16]}-{clean}", ContentFile(data), save=False)
        current.signed_scan_name, current.signed_scan_sha256 = clean, digest
    in_force = bool(
        current.authority_signed_on and current.beneficiary_signed_on and current.signed_scan_sha256
    )
    if in_force:
        current.status = AgreementVersion.Status.SIGNED
        current.in_force_from = max(current.authority_signed_on, current.beneficiary_signed_on)  # type: ignore[type-var]
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="sign",
        obj=current,
        after={
            "side": side,
            "signatory": signatory.strip(),
            "signed_on": signed_on.isoformat(),
            "scan_sha256": current.signed_scan_sha256,
            "status": current.status,
        },
    )
    if in_force:
        _apply_in_force(current, actor)
    return current


def _apply_in_force(version: AgreementVersion, actor: Any) -> None:
    """The project's figures follow the version now in force; later stages hear of it by signal."""
    project = lock_for_update(Project.objects).get(pk=version.agreement.project_id)
    before = {"eu_contribution": str(project.eu_contribution), "total_cost": str(project.total_cost)}
    period = (project.start_date, project.end_date)
    project.eu_contribution = version.max_grant
    project.total_cost = version.total_cost
    project.start_date, project.end_date = version.eligible_start, version.eligible_end
    project.lock_version += 1
    project.save()
    if before != {"eu_contribution": str(project.eu_contribution), "total_cost": str(project.total_cost)}:
        audit.record(
            actor=actor,
            action="update",
            obj=project,
            before=before,
            after={
                "eu_contribution": str(project.eu_contribution),
                "total_cost": str(project.total_cost),
                "version": version.number,
            },
        )
    if period != (project.start_date, project.end_date):
        # a flag cleared for the old period may not hold for the new one (issue 16 §3)
        recheck_application(actor=actor, application_id=project.application_id)
    signals.agreement_version_signed.send(sender=AgreementVersion, version=version, actor=actor)


def agreement_periods(application_ids: list[int]) -> dict[int, tuple[dt.date, dt.date]]:
    """The period of each project's agreement in force, by application: what the double-funding
    check compares once a project exists (`integrity.recheck.register_period_source`)."""
    rows = Project.objects.filter(application_id__in=application_ids).values_list(
        "application_id", "start_date", "end_date"
    )
    return {application: (start, end) for application, start, end in rows}


@atomic
def amendment_prepare(
    *,
    actor: Any,
    project: Project,
    reason: str,
    requested_by_beneficiary: bool = False,
    now: dt.datetime | None = None,
) -> AgreementVersion:
    """A new draft version from the one in force, with its reason (the beneficiary may ask; the
    authority prepares it). At most one draft or issued version at a time."""
    action = "agreement.sign" if requested_by_beneficiary else "agreement.prepare"
    require_project(actor, project, action)
    if not reason.strip():
        raise ApplicationError(_("Say why the agreement is amended."))
    agreement = lock_for_update(GrantAgreement.objects).get(project=project)
    versions = AgreementVersion.objects.filter(agreement=agreement)
    if versions.filter(status__in=[AgreementVersion.Status.DRAFT, AgreementVersion.Status.ISSUED]).exists():
        raise ApplicationError(_("A version of this agreement is already being prepared or signed."))
    base = versions.filter(status=AgreementVersion.Status.SIGNED).order_by("-number").first()
    if base is None:
        raise ApplicationError(_("An agreement is amended once it is signed."))
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        reason=reason.strip(),
        requested_by_beneficiary=requested_by_beneficiary,
        prepared_by=actor,
        prepared_at=now or timezone.now(),
    )
    version_from_terms(version, dict(base.terms))
    version.save()
    _budget_lines(version)
    duty_record(user=actor, duty=Duty.PREPARE, obj=version)
    audit.record(
        actor=actor,
        action="create",
        obj=version,
        after={"number": number, "reason": version.reason, "from": base.number},
    )
    return version


@atomic
def version_withdraw(
    *, actor: Any, version: AgreementVersion, expected_lock_version: int, reason: str
) -> AgreementVersion:
    """A draft or issued (unsigned) version is withdrawn with its reason; it stays readable."""
    current = _locked(version, expected_lock_version)
    require_project(actor, current.agreement.project, "agreement.prepare")
    if current.status not in (AgreementVersion.Status.DRAFT, AgreementVersion.Status.ISSUED):
        raise ApplicationError(_("A signed version cannot be withdrawn; amend it instead."))
    if not reason.strip():
        raise ApplicationError(_("Say why the version is withdrawn."))
    current.status = AgreementVersion.Status.REJECTED
    current.rejection_reason = reason.strip()
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        after={"status": current.status, "reason": current.rejection_reason},
    )
    return current
