"""The money half at scale (issue 17's dashboard target: 20,000 projects, 2,000,000 expenditure
lines): for every project an interim report submitted with its expenditure lines (the scale's
`lines_per_project`), a completed verification for three in five, the pre-financing paid for every
project and the interim payment for the verified ones, and a recovery for one in a hundred.

The figures hang together as the services would leave them: a submission's `declared` is the sum
of its lines, the verified amount is what the lines keep, its EU share is at the project's rate,
paid never exceeds the grant. Written with COPY through `insert`, lines streamed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from amis.payments.models import Payment, Recovery
from amis.projects.models import Project
from amis.reporting.models import ExpenditureLine, Report, ReportSubmission
from amis.verification.models import Verification
from bench.gen.context import Context
from bench.gen.insert import STAMP, Row, insert

CENT = Decimal("0.01")
CATEGORIES = ("staff", "travel", "equipment", "subcontracting", "other")
IBAN = "BE71096123456769"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(ctx: Context) -> dict[str, int]:
    per_project = ctx.scale.lines_per_project
    projects = list(
        Project.objects.order_by("pk").values_list(
            "pk", "eu_contribution", "total_cost", "start_date", "organisation_id", "organisation__name"
        )
    )
    if not projects or not per_project:
        return {}
    officer = ctx.users["ra.officer@amis.example"]
    verifier = ctx.users.get("verifier@amis.example", officer)
    submitter = ctx.beneficiary_users[0] if ctx.beneficiary_users else officer
    first_report = ctx.ids.take(Report, len(projects))
    first_submission = ctx.ids.take(ReportSubmission, len(projects))
    first_line = ctx.ids.take(ExpenditureLine, len(projects) * per_project)
    reports: list[Row] = []
    submissions: list[Row] = []
    verifications: list[Row] = []
    payments: list[Row] = []
    recoveries: list[Row] = []
    targets: list[Decimal] = []
    seed = ctx.rnd.randrange(1 << 30)
    for n, (pk, eu, total, start, organisation, name) in enumerate(projects):
        rate = (eu / total) if total else Decimal("0.75")
        targets.append(total / 3)  # the report declares about a third of the project's cost
        declared = sum(_amounts(seed, n, targets[-1], per_project), Decimal("0.00"))
        verified = n % 5 < 3
        report_id = first_report + n
        end = start + dt.timedelta(days=364)
        reports.append({
            "id": report_id, "project_id": pk, "number": 1, "kind": "interim", "period_start": start,
            "period_end": end, "due_date": end + dt.timedelta(days=60),
            "status": "accepted" if verified else "submitted", "round": 1, "submitted_at": STAMP,
            "submitted_by_id": submitter,
        })  # fmt: skip
        submissions.append({
            "id": first_submission + n, "report_id": report_id, "round": 1, "submitted_at": STAMP,
            "submitted_by_id": submitter, "snapshot": {"lines": per_project}, "declared": declared,
        })  # fmt: skip
        prefinancing = _cents(eu * Decimal("0.4"))
        payments.append(_payment(pk, "prefinancing", prefinancing, name, officer, start))
        if verified:
            kept = _cents(declared * Decimal("0.97"))
            share = min(_cents(kept * rate), eu)
            verifications.append({
                "report_id": report_id, "round": 1, "status": "completed", "verifier_id": verifier,
                "completed_at": STAMP, "declared": declared, "eligible_by_decision": kept,
                "ineligible": declared - kept, "reduced": Decimal("0.00"), "verified": kept,
                "eu_share": share,
            })  # fmt: skip
            interim = max(Decimal("0.00"), min(share, eu - prefinancing))
            payments.append(_payment(pk, "interim", interim, name, officer, end + dt.timedelta(days=90)))
        if n % 100 == 7:
            due = _cents(prefinancing / 10)
            received = _cents(due / 2)
            recoveries.append({
                "project_id": pk, "debtor_id": organisation, "amount_due": due, "received": received,
                "due_date": end + dt.timedelta(days=120), "reason": "Ineligible costs found after payment.",
                "created_by_id": officer,
            })  # fmt: skip
    for model, rows in ((Verification, verifications), (Payment, payments), (Recovery, recoveries)):
        first = ctx.ids.take(model, len(rows))  # COPY writes explicit ids, as every generator step
        for n, row in enumerate(rows):
            row["id"] = first + n
    counts = {
        "reports": insert(Report, reports),
        "report submissions": insert(ReportSubmission, submissions),
        "expenditure lines": insert(
            ExpenditureLine, _lines(first_line, first_report, seed, targets, per_project)
        ),
        "verifications": insert(Verification, verifications),
        "payments": insert(Payment, payments),
        "recoveries": insert(Recovery, recoveries),
    }
    return counts


def _payment(project: int, kind: str, amount: Decimal, name: str, officer: int, paid_on: dt.date) -> Row:
    return {
        "project_id": project, "kind": kind, "amount": amount, "status": "paid", "creditor_name": name[:140],
        "iban": IBAN, "remittance": f"AMIS {kind} {project}", "proposed_by_id": officer,
        "approved_by_id": officer, "approved_at": STAMP, "paid_on": paid_on, "recorded_by_id": officer,
    }  # fmt: skip


def _amounts(seed: int, n: int, target: Decimal, count: int) -> list[Decimal]:
    """The amounts of project n's lines: made again from the same seed when the lines are written, so
    2,000,000 amounts are never held at once."""
    rnd = random.Random(seed + n)
    return [_cents(target / count * Decimal(rnd.randrange(50, 150)) / 100) for _ in range(count)]


def _lines(first: int, first_report: int, seed: int, targets: list[Decimal], count: int) -> Iterator[Row]:
    line_id = first
    for n, target in enumerate(targets):
        for position, amount in enumerate(_amounts(seed, n, target, count), start=1):
            yield {
                "id": line_id, "report_id": first_report + n, "position": position,
                "category": CATEGORIES[position % len(CATEGORIES)], "cost_type": "real",
                "supplier_name": "Leverancier bv", "invoice_number": f"F{line_id}",
                "invoice_date": dt.date(2025, 1 + position % 12, 1 + position % 28),
                "description": "Kosten van de activiteit", "amount_declared": amount,
                "amount_excl_vat": amount, "amount_incl_vat": amount, "created_at": STAMP,
            }  # fmt: skip
            line_id += 1
