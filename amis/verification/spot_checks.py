"""Writes of on-the-spot checks: the year's documented, reproducible selection; planning a visit,
recording it (team, checklist, findings, photos and documents with their SHA-256), the beneficiary's
reply, recommendations followed up to closure; corrections and irregularities from findings.

Selection (verification.sampling): the data each project is scored on is stored with the selection,
so `selection_rerun` can recompute it from the same data and seed and show it gives the same sample.
Risk factors, each scored 0..1: size (EU contribution against the largest), beneficiary type
(NGOs and other private bodies 1, public bodies 0.3, international organisations 0.5), history
(a first project 1, else 0), earlier findings (open findings 1), share of ineligible expenditure in
completed verifications, procurement (share of subcontracting and equipment in the budget).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.core import audit, parsing, uploads
from amis.core.errors import ApplicationError
from amis.core.money import ZERO, cents
from amis.core.refusals import check_version
from amis.core.transactions import atomic, lock_for_update
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.projects.models import AgreementBudgetLine, Project
from amis.projects.scope import require_project
from amis.projects.selectors import version_in_force
from amis.verification import sampling
from amis.verification.models import (
    CheckDocument,
    CheckSelection,
    FinancialCorrection,
    Finding,
    Irregularity,
    IrregularityEvent,
    OnTheSpotCheck,
    Verification,
)

MAX_AMOUNT = Decimal("9999999999999.99")  # the largest a money_field (NUMERIC(15, 2)) stores
TYPE_RISK = {
    Organisation.Kind.NGO: Decimal("1"),
    Organisation.Kind.PARTNER: Decimal("1"),
    Organisation.Kind.RED_CROSS: Decimal("0.5"),
    Organisation.Kind.INTERNATIONAL_ORGANISATION: Decimal("0.5"),
}
PUBLIC_RISK = Decimal("0.3")
RATIO = Decimal("0.0001")


def candidates_for(programme: Programme) -> list[dict[str, Any]]:
    """The programme's projects with a signed agreement, scored on their data (a fixed number of
    grouped queries)."""
    projects = list(
        Project.objects.filter(application__call__programme=programme, agreement__versions__status="signed")
        .select_related("organisation")
        .distinct()
        .order_by("reference")
    )
    if not projects:
        return []
    ids = [p.pk for p in projects]
    largest = max(p.eu_contribution for p in projects) or Decimal("1")
    per_org = dict(
        Project.objects.filter(organisation_id__in={p.organisation_id for p in projects})
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    open_findings = set(
        Finding.objects.filter(project_id__in=ids, status=Finding.Status.OPEN).values_list(
            "project_id", flat=True
        )
    )
    verified: dict[int, dict[str, Any]] = {
        row["report__project_id"]: dict(row)
        for row in Verification.objects.filter(
            report__project_id__in=ids, status=Verification.Status.COMPLETED
        )
        .values("report__project_id")
        .annotate(declared=Sum("declared"), ineligible=Sum("ineligible"), reduced=Sum("reduced"))
        .order_by()
    }
    # the budget of the version in force only (the signed version with the highest number)
    latest: dict[int, int] = {}
    rows = list(
        AgreementBudgetLine.objects.filter(
            version__agreement__project_id__in=ids, version__status="signed"
        ).values_list("version__agreement__project_id", "version__number", "category", "amount")
    )
    for project_id, number, _category, _amount in rows:
        latest[project_id] = max(latest.get(project_id, 0), number)
    budget: dict[int, dict[str, Decimal]] = {}
    for project_id, number, category, amount in rows:
        if number == latest[project_id]:
            budget.setdefault(project_id, {}).setdefault(category, ZERO)
            budget[project_id][category] += amount
    out = []
    for p in projects:
        row = verified.get(p.pk, {})
        declared = row.get("declared") or ZERO
        lost = (row.get("ineligible") or ZERO) + (row.get("reduced") or ZERO)
        lines = budget.get(p.pk, {})
        total = sum(lines.values(), ZERO)
        procured = lines.get("subcontracting", ZERO) + lines.get("equipment", ZERO)
        out.append(
            {
                "reference": p.reference,
                "eu_contribution": str(p.eu_contribution),
                "closed": p.end_date < timezone.localdate(),
                "under_implementation": p.end_date >= timezone.localdate(),
                "factors": {
                    "size": str((p.eu_contribution / largest).quantize(RATIO)),
                    "beneficiary_type": str(
                        TYPE_RISK.get(Organisation.Kind(p.organisation.kind), PUBLIC_RISK)
                    ),
                    "history": "1" if per_org.get(p.organisation_id, 0) <= 1 else "0",
                    "earlier_findings": "1" if p.pk in open_findings else "0",
                    "ineligible_share": str((lost / declared).quantize(RATIO) if declared else ZERO),
                    "procurement": str((procured / total).quantize(RATIO) if total else ZERO),
                },
            }
        )
    return out


def _as_candidates(data: list[dict[str, Any]]) -> list[sampling.Candidate]:
    return [
        sampling.Candidate(
            reference=c["reference"],
            eu_contribution=Decimal(c["eu_contribution"]),
            factors={k: Decimal(v) for k, v in c["factors"].items()},
            closed=bool(c["closed"]),
            under_implementation=bool(c["under_implementation"]),
        )
        for c in data
    ]


def _weights(raw: dict[str, Any]) -> dict[str, Decimal]:
    problems = {}
    weights = {}
    for factor, value in raw.items():
        if factor not in sampling.FACTORS:
            problems[f"weights.{factor}"] = _("Unknown risk factor.")
            continue
        try:
            weights[factor] = Decimal(str(value))
        except ArithmeticError:
            problems[f"weights.{factor}"] = _("A weight is a number.")
            continue
        if weights[factor] < 0:
            problems[f"weights.{factor}"] = _("A weight is zero or more.")
    if not problems and not any(weights.values()):
        problems["weights"] = _("Give at least one factor a weight.")
    if problems:
        raise parsing.fields_error(problems)
    return weights


@atomic
def selection_run(
    *,
    actor: Any,
    programme: Programme,
    year: int,
    weights: dict[str, Any],
    risk_count: int,
    random_count: int,
    seed: int | None = None,
) -> CheckSelection:
    """Score the programme's projects, take the riskiest and a random part (seed recorded), compute
    the coverage against the period's minimums, and keep it all."""
    require(actor, "check.manage")
    parsed = _weights(weights)
    if risk_count < 0 or random_count < 0 or risk_count + random_count == 0:
        raise ApplicationError(_("Select at least one project."))
    chosen_seed = (
        seed
        if seed is not None
        else int.from_bytes(hashlib.sha256(f"{timezone.now().isoformat()}".encode()).digest()[:6], "big")
    )
    data = candidates_for(programme)
    found = _as_candidates(data)
    selected = sampling.select(found, parsed, risk_count, random_count, chosen_seed)
    cover = sampling.coverage(found, selected.selected, str(programme.period))
    selection = CheckSelection.objects.create(
        programme=programme,
        year=year,
        weights={k: str(v) for k, v in parsed.items()},
        risk_count=risk_count,
        random_count=random_count,
        seed=chosen_seed,
        candidates=data,
        risk_based=selected.risk_based,
        random_part=selected.random_part,
        scores={k: str(v) for k, v in selected.scores.items()},
        coverage={
            "financial_share": str(cover.financial_share) if cover.financial_share is not None else None,
            "operational_share": str(cover.operational_share)
            if cover.operational_share is not None
            else None,
            "financial_met": cover.financial_met,
            "operational_met": cover.operational_met,
        },
        method=(
            f"{risk_count} highest risk scores (weights {', '.join(f'{k} {v}' for k, v in parsed.items())}), "
            f"then {random_count} drawn at random from the others with seed {chosen_seed}."
        ),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=selection,
        after={"seed": chosen_seed, "selected": selected.selected, "coverage": selection.coverage},
    )
    return selection


def selection_rerun(selection: CheckSelection) -> list[str]:
    """The sample recomputed from the stored data, weights and seed (equal to the stored one)."""
    again = sampling.select(
        _as_candidates(selection.candidates),
        {k: Decimal(v) for k, v in selection.weights.items()},
        selection.risk_count,
        selection.random_count,
        selection.seed,
    )
    return again.selected


@atomic
def check_plan(
    *,
    actor: Any,
    project: Project,
    kind: str,
    planned_on: dt.date,
    selection: CheckSelection | None = None,
    announced: bool = True,
) -> OnTheSpotCheck:
    require_project(actor, project, "check.manage")
    if kind not in OnTheSpotCheck.Kind.values:
        raise ApplicationError(_("A check is financial or operational."))
    check = OnTheSpotCheck.objects.create(
        project=project,
        kind=kind,
        planned_on=planned_on,
        selection=selection,
        announced=announced,
        created_by=actor,
    )
    audit.record(
        actor=actor, action="create", obj=check, after={"kind": kind, "planned_on": planned_on.isoformat()}
    )
    return check


def _locked_check(actor: Any, check: OnTheSpotCheck, expected_lock_version: int) -> OnTheSpotCheck:
    current = lock_for_update(OnTheSpotCheck.objects.select_related("project__application__call")).get(
        pk=check.pk
    )
    check_version(actor, current, expected_lock_version)
    return current


@atomic
def check_record_visit(
    *,
    actor: Any,
    check: OnTheSpotCheck,
    expected_lock_version: int,
    visited_on: dt.date,
    team: list[str],
    checklist: dict[str, Any],
    summary: str,
    findings: list[dict[str, Any]],
) -> OnTheSpotCheck:
    """The visit: date, team, checklist, summary and its findings (text, severity, amount at stake,
    recommendation)."""
    current = _locked_check(actor, check, expected_lock_version)
    require_project(actor, current.project, "check.manage")
    if current.status == OnTheSpotCheck.Status.CLOSED:
        raise ApplicationError(_("This check is closed."))
    if current.status == OnTheSpotCheck.Status.VISITED:
        raise ApplicationError(
            _("The visit is already recorded; follow its findings up on this page."), code="status"
        )
    if visited_on > timezone.localdate():
        raise ApplicationError(_("A visit is recorded once it took place."))
    names = [n.strip() for n in team if n.strip()]
    if not names:
        raise ApplicationError(_("Name who visited."))
    current.visited_on, current.team, current.checklist, current.summary = (
        visited_on,
        names,
        checklist,
        summary.strip(),
    )
    current.status = OnTheSpotCheck.Status.VISITED
    current.lock_version += 1
    current.save()
    for item in findings:
        if not str(item.get("text", "")).strip():
            raise ApplicationError(_("Describe each finding."))
        finding = Finding.objects.create(
            project=current.project,
            spot_check=current,
            text=str(item["text"]).strip(),
            severity=item.get("severity", Finding.Severity.MINOR),
            amount_at_stake=Decimal(str(item["amount_at_stake"])) if item.get("amount_at_stake") else None,
            recommendation=str(item.get("recommendation", "")).strip(),
            created_by=actor,
        )
        audit.record(
            actor=actor, action="create", obj=finding, after={"text": finding.text, "check": current.pk}
        )
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        after={"visited_on": visited_on.isoformat(), "team": names, "findings": len(findings)},
    )
    return current


@atomic
def check_add_document(*, actor: Any, check: OnTheSpotCheck, name: str, data: bytes) -> CheckDocument:
    require_project(actor, check.project, "check.manage")
    clean, content_type = uploads.check(name, data)
    digest = hashlib.sha256(data).hexdigest()
    document = CheckDocument(
        check_visit=check,
        name=clean,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=actor,
    )
    document.file.save(f"{digest[:16]}-{clean}", ContentFile(data), save=False)
    document.save()
    audit.record(actor=actor, action="create", obj=document, after={"name": clean, "sha256": digest})
    return document


@atomic
def check_reply(
    *,
    actor: Any,
    check: OnTheSpotCheck,
    expected_lock_version: int,
    reply: str,
    finding_replies: dict[int, str] | None = None,
) -> OnTheSpotCheck:
    """The beneficiary's reply to the visit's findings: one for the whole visit and, if they wish,
    one per finding (`finding_replies`: finding id -> text). Their own organisation's project only
    (`report.edit`); a reply may be written again while the check is open."""
    current = _locked_check(actor, check, expected_lock_version)
    require_project(actor, current.project, "report.edit")
    if current.status != OnTheSpotCheck.Status.VISITED:
        raise ApplicationError(_("The beneficiary replies to the findings of a visit."))
    if not reply.strip():
        raise ApplicationError(_("Write the reply."))
    findings = {f.pk: f for f in lock_for_update(Finding.objects.filter(spot_check=current))}
    answered = {}
    for finding_id, text in (finding_replies or {}).items():
        finding = findings.get(int(finding_id))
        if finding is None:
            raise ApplicationError(_("That finding is not one of this visit's."))
        if text.strip() != finding.beneficiary_reply:
            finding.beneficiary_reply = text.strip()
            finding.lock_version += 1
            finding.save(update_fields=["beneficiary_reply", "lock_version"])
            answered[str(finding.pk)] = finding.beneficiary_reply
    current.beneficiary_reply, current.replied_at = reply.strip(), timezone.now()
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="reply",
        obj=current,
        after={"reply": current.beneficiary_reply, "findings": answered},
    )
    return current


@atomic
def finding_close(*, actor: Any, finding: Finding, expected_lock_version: int, follow_up: str) -> Finding:
    """A recommendation followed up: what was done, and the finding is closed."""
    current = lock_for_update(Finding.objects.select_related("project__application__call")).get(pk=finding.pk)
    check_version(actor, current, expected_lock_version)
    require_project(actor, current.project, "check.manage")
    if current.status == Finding.Status.CLOSED:
        raise ApplicationError(_("This finding is closed."))
    if not follow_up.strip():
        raise ApplicationError(_("Say how the recommendation was followed up."))
    current.follow_up, current.status = follow_up.strip(), Finding.Status.CLOSED
    current.closed_at, current.closed_by = timezone.now(), actor
    current.lock_version += 1
    current.save()
    audit.record(actor=actor, action="close", obj=current, after={"follow_up": current.follow_up})
    return current


@atomic
def correction_record(
    *,
    actor: Any,
    finding: Finding,
    amount: Decimal,
    reason: str,
    category: str = "",
    line_id: int | None = None,
    now: dt.datetime | None = None,
) -> FinancialCorrection:
    """Take back verified expenditure after a finding: on one line (its category) or on a category.
    Its EU share at the agreement's rate lowers what can be paid (payments) and shows as corrected.
    `now`: the moment it was decided, when it is recorded afterwards (the demo's history; the
    accounts count a correction in the year of its date), never in the future."""
    require_project(actor, finding.project, "check.manage")
    if amount <= 0 or amount != cents(amount) or amount > MAX_AMOUNT:
        raise ApplicationError(_("A correction is a positive amount in euro and cents."))
    if not reason.strip():
        raise ApplicationError(_("Say why."))
    line = None
    if line_id is not None:
        from amis.reporting.models import ExpenditureLine

        line = ExpenditureLine.objects.filter(pk=line_id, report__project=finding.project).first()
        if line is None:
            raise ApplicationError(_("That line is not one of this project's."))
        category = line.category
    if not category:
        raise ApplicationError(_("Name the line or the cost category corrected."))
    version = version_in_force(finding.project)
    rate = version.eu_rate if version is not None else Decimal("0")
    correction = FinancialCorrection.objects.create(
        project=finding.project,
        finding=finding,
        line=line,
        category=category,
        amount=amount,
        eu_amount=cents(amount * rate),
        reason=reason.strip(),
        created_by=actor,
    )
    if now is not None:
        if now > timezone.now():
            raise ApplicationError(_("A correction cannot be dated in the future."))
        FinancialCorrection.objects.filter(pk=correction.pk).update(created_at=now)
        correction.created_at = now
    audit.record(
        actor=actor,
        action="create",
        obj=correction,
        after={"amount": str(amount), "category": category, "finding": finding.pk},
    )
    return correction


@atomic
def irregularity_record(
    *, actor: Any, finding: Finding, type: str, amount: Decimal, detected_on: dt.date, description: str
) -> Irregularity:
    require_project(actor, finding.project, "check.manage")
    if type not in Irregularity.Type.values:
        raise ApplicationError(_("Choose the type of irregularity."))
    if amount <= 0 or amount != cents(amount) or amount > MAX_AMOUNT:
        raise ApplicationError(_("The amount is positive, in euro and cents."))
    if not description.strip():
        raise ApplicationError(_("Describe the irregularity."))
    if detected_on > timezone.localdate():
        raise ApplicationError(_("An irregularity is recorded once it was detected, not in the future."))
    irregularity = Irregularity.objects.create(
        project=finding.project,
        finding=finding,
        type=type,
        amount=amount,
        detected_on=detected_on,
        description=description.strip(),
        created_by=actor,
    )
    IrregularityEvent.objects.create(
        irregularity=irregularity,
        to_status=Irregularity.Status.SUSPECTED,
        reason=description.strip(),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=irregularity,
        after={"type": type, "amount": str(amount), "finding": finding.pk},
    )
    return irregularity
