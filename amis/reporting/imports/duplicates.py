"""The same invoice declared twice, flagged set-based (one UPDATE, whatever the number of lines).

A line of the report is a duplicate when an earlier line (a smaller id) in any project of the same
beneficiary has the same supplier key and invoice number, and the same invoice date or the same
amount declared: its `duplicate_of` points at the earliest such line, and the beneficiary must
justify it. Lines already flagged or justified keep what they have.

The reports engineer's `amis.reporting.services.flag_duplicates` supersedes this one when it lands
(the import calls whichever exists); the rule is the same."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery

from amis.reporting.models import ExpenditureLine, Report


def flag_duplicates(report: Report) -> int:
    """Flag this report's lines that repeat an earlier invoice of the beneficiary; returns how many
    lines were flagged now."""
    earlier = (
        ExpenditureLine.objects.filter(
            report__project__organisation_id=report.project.organisation_id,
            supplier_key=OuterRef("supplier_key"),
            invoice_number=OuterRef("invoice_number"),
            pk__lt=OuterRef("pk"),
        )
        .filter(Q(invoice_date=OuterRef("invoice_date")) | Q(amount_declared=OuterRef("amount_declared")))
        .order_by("pk")
    )
    candidates = (
        ExpenditureLine.objects.filter(report=report, duplicate_of__isnull=True, duplicate_justification="")
        .exclude(invoice_number="")
        .exclude(supplier_key="")
        .filter(Exists(earlier))
    )
    return candidates.update(duplicate_of=Subquery(earlier.values("pk")[:1]))
