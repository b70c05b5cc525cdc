"""Expenditure lines typed on the report's page or sent to the API: every line checked by
`reporting.rules.check_line` against `selectors.line_context(report)` (the same check as the
import), the same invoice declared twice flagged (`flag_duplicates`, also called by the import on
all the lines of a report at once) and justified by the beneficiary, supporting documents stored
with their SHA-256."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from amis.core import audit, parsing, uploads
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.projects.scope import require_project
from amis.reporting import rules, selectors
from amis.reporting.models import ExpenditureLine, Report, SupportingDocument

# what a line says, in the order of the snapshot's columns and of the API
LINE_FIELDS = (
    "category",
    "cost_type",
    "supplier_name",
    "supplier_number",
    "invoice_number",
    "invoice_date",
    "payment_date",
    "description",
    "amount_excl_vat",
    "amount_incl_vat",
    "vat_recoverable",
    "amount_declared",
    "units",
    "simplified_cost",
    "credit_note_for",
)
TEXT_LIMITS = {
    "category": 20,
    "cost_type": 10,
    "supplier_name": 200,
    "supplier_number": 20,
    "invoice_number": 60,
    "description": 300,
    "simplified_cost": 40,
    "credit_note_for": 60,
}
DECIMALS = ("amount_excl_vat", "amount_incl_vat", "amount_declared", "units")
DATES = ("invoice_date", "payment_date")


def line_input(data: Mapping[str, Any]) -> tuple[rules.LineInput, dict[str, str]]:
    """A line from API values (ISO dates, numbers as JSON numbers or strings) or from a page's
    cleaned form (dates and Decimals already), with the problems of reading them, per field."""
    problems: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        values[name] = parsing.text(data.get(name, ""), name, problems, limit).strip()
    values["cost_type"] = values["cost_type"] or rules.REAL
    for name in DECIMALS:
        values[name] = parsing.decimal(data.get(name), name, problems)
    for name in DATES:
        raw = data.get(name)
        values[name] = raw if hasattr(raw, "isoformat") else parsing.date(raw, name, problems)
    flag = data.get("vat_recoverable", False)
    if isinstance(flag, str):
        flag = flag.strip().lower() in ("1", "true", "on", "yes")
    elif flag is not None and not isinstance(flag, bool):
        problems["vat_recoverable"] = _("Say yes or no (true or false).")
    values["vat_recoverable"] = flag is True
    return rules.LineInput(**values), problems


def _editable(actor: Any, report: Report) -> Report:
    current = lock_for_update(Report.objects.select_related("project__application__call")).get(pk=report.pk)
    require_project(actor, current.project, "report.edit")
    if current.status not in (Report.Status.OPEN, Report.Status.RETURNED):
        raise ApplicationError(
            _("Report %(number)s is %(status)s: it can no longer be changed.")
            % {"number": current.number, "status": current.get_status_display()},
            code="status",
        )
    return current


def _checked(report: Report, line: rules.LineInput, exclude: ExpenditureLine | None) -> rules.LineCheck:
    context = selectors.line_context(report)
    if exclude is not None and exclude.category in context.remaining:
        # the line being changed no longer counts in what is left of its category
        remaining = dict(context.remaining)
        remaining[exclude.category] += exclude.amount_declared
        context = rules.LineContext(
            eligible_start=context.eligible_start,
            eligible_end=context.eligible_end,
            categories=context.categories,
            simplified_costs=context.simplified_costs,
            remaining=remaining,
        )
    return rules.check_line(line, context)


def _fill(target: ExpenditureLine, line: rules.LineInput, declared: Any) -> None:
    for name in LINE_FIELDS:
        setattr(target, name, getattr(line, name))
    target.amount_declared = declared
    target.supplier_key = rules.supplier_key(line.supplier_number, line.supplier_name)
    if line.cost_type == rules.UNIT:
        option = selectors.line_context(target.report).simplified_costs.get(line.simplified_cost)
        target.unit_cost = option.amount if option else None
    else:
        target.unit_cost = None


def _values(line: ExpenditureLine) -> dict[str, Any]:
    return {name: str(getattr(line, name)) for name in LINE_FIELDS if getattr(line, name) not in (None, "")}


def _document(report: Report, document: SupportingDocument | None) -> SupportingDocument | None:
    if document is not None and document.project_id != report.project_id:
        raise ApplicationError(
            _("That document belongs to another project."), extra={"fields": {"document": ""}}
        )
    return document


@atomic
def line_add(
    *,
    actor: Any,
    report: Report,
    data: Mapping[str, Any],
    document: SupportingDocument | None = None,
) -> tuple[ExpenditureLine, dict[str, str]]:
    """A new line at the end of the report; (the line, its warnings). Refused (nothing saved) with
    the problems per field."""
    current = _editable(actor, report)
    line, problems = line_input(data)
    if problems:
        raise parsing.fields_error(problems)
    check = _checked(current, line, None)
    if check.problems:
        raise parsing.fields_error(check.problems)
    last = ExpenditureLine.objects.filter(report=current).aggregate(last=Max("position"))["last"] or 0
    saved = ExpenditureLine(report=current, position=last + 1, document=_document(current, document))
    _fill(saved, line, check.amount_declared)
    saved.save()
    _flag_one(saved)
    audit.record(actor=actor, action="create", obj=saved, after=_values(saved))
    return saved, check.warnings


@atomic
def line_update(
    *,
    actor: Any,
    line: ExpenditureLine,
    data: Mapping[str, Any],
    document: SupportingDocument | None = None,
    keep_document: bool = True,
) -> tuple[ExpenditureLine, dict[str, str]]:
    current = _editable(actor, line.report)
    saved = lock_for_update(ExpenditureLine.objects.filter(report=current)).get(pk=line.pk)
    typed, problems = line_input(data)
    if problems:
        raise parsing.fields_error(problems)
    check = _checked(current, typed, saved)
    if check.problems:
        raise parsing.fields_error(check.problems)
    before = _values(saved)
    saved.report = current
    _fill(saved, typed, check.amount_declared)
    if document is not None:
        saved.document = _document(current, document)
    elif not keep_document:
        saved.document = None
    saved.save()
    _flag_one(saved)
    audit.record(actor=actor, action="update", obj=saved, before=before, after=_values(saved))
    return saved, check.warnings


@atomic
def line_delete(*, actor: Any, line: ExpenditureLine) -> None:
    current = _editable(actor, line.report)
    saved = ExpenditureLine.objects.select_for_update(of=("self",)).get(pk=line.pk, report=current)
    before = _values(saved)
    # a line that named this one as its original is no longer a duplicate of it
    ExpenditureLine.objects.filter(duplicate_of=saved).update(duplicate_of=None, duplicate_justification="")
    audit.record(actor=actor, action="delete", obj=saved, before=before)
    saved.delete()


def _matches(line: ExpenditureLine, other: ExpenditureLine) -> bool:
    """The same invoice: same supplier and invoice number (already matched by the query), and the same
    invoice date or the same amount."""
    if other.pk == line.pk:
        return False
    same_date = line.invoice_date is not None and line.invoice_date == other.invoice_date
    return same_date or line.amount_declared == other.amount_declared


def _original(line: ExpenditureLine, candidates: list[ExpenditureLine]) -> ExpenditureLine | None:
    """The line declared first with the same invoice (the lowest id before this one), or None."""
    earlier = [c for c in candidates if c.pk < line.pk and _matches(line, c)]
    return min(earlier, key=lambda c: c.pk) if earlier else None


def _flag_one(line: ExpenditureLine) -> None:
    found = selectors.same_invoices(line.report.project, [(line.supplier_key, line.invoice_number)])
    original = _original(line, found)
    if (original.pk if original else None) != line.duplicate_of_id:
        line.duplicate_of = original
        if original is None:
            line.duplicate_justification = ""
        line.save(update_fields=["duplicate_of", "duplicate_justification"])


def flag_duplicates(report: Report) -> int:
    """Flag every line of the report that declares an invoice declared before (this project or
    another project of the same beneficiary): same supplier and invoice number, and the same invoice
    date or amount; the original is the matching line entered first. Set-based and in constant
    memory, whatever the number of lines: one query streams the beneficiary's lines that share an
    invoice with this report (`selectors.invoice_candidates`, a semi-join) ordered by invoice, one
    invoice group at a time; only the lines whose flag changes are written, in batches. Called by the
    expenditure import (inside its transaction) after it wrote a report's lines; returns the number
    of the report's lines flagged."""
    rows = selectors.invoice_candidates(report).order_by("supplier_key", "invoice_number", "pk")
    flagged = 0
    flags: list[ExpenditureLine] = []
    clears: list[int] = []

    def flush() -> None:
        ExpenditureLine.objects.bulk_update(flags, ["duplicate_of"], batch_size=1000)
        ExpenditureLine.objects.filter(pk__in=clears).update(duplicate_of=None, duplicate_justification="")
        flags.clear()
        clears.clear()

    group: tuple[str, str] | None = None
    first_by_date: dict[Any, int] = {}
    first_by_amount: dict[Any, int] = {}
    for pk, report_id, key, number, day, amount, current in rows.iterator(chunk_size=5000):
        if (key, number) != group:  # a new invoice: what was declared before starts again
            group, first_by_date, first_by_amount = (key, number), {}, {}
        if report_id == report.pk:
            found = [x for x in (first_by_date.get(day) if day else None, first_by_amount.get(amount)) if x]
            original = min(found) if found else None
            flagged += original is not None
            if original != current:
                if original is None:
                    clears.append(pk)
                else:
                    flags.append(ExpenditureLine(pk=pk, duplicate_of_id=original))
        if day is not None:
            first_by_date.setdefault(day, pk)
        first_by_amount.setdefault(amount, pk)
        if len(flags) + len(clears) >= 5000:
            flush()
    flush()
    # a line flagged before whose invoice no longer matches anything (its partner deleted or changed)
    stale = ExpenditureLine.objects.filter(report=report, duplicate_of__isnull=False).exclude(
        pk__in=selectors.invoice_candidates(report).values("pk")
    )
    stale.update(duplicate_of=None, duplicate_justification="")
    return flagged


@atomic
def duplicate_justify(*, actor: Any, line: ExpenditureLine, justification: str) -> ExpenditureLine:
    """The beneficiary explains why an invoice flagged as declared before is declared again (e.g. two
    instalments of one invoice, each its share)."""
    current = _editable(actor, line.report)
    saved = lock_for_update(ExpenditureLine.objects.filter(report=current)).get(pk=line.pk)
    problems: dict[str, str] = {}
    text = parsing.text(justification, "duplicate_justification", problems, 2000).strip()
    if not problems and not text:
        problems["duplicate_justification"] = _("Explain why this invoice is declared again.")
    if saved.duplicate_of_id is None:
        problems["duplicate_justification"] = _("This line is not flagged as a duplicate.")
    if problems:
        raise parsing.fields_error(problems)
    before = {"duplicate_justification": saved.duplicate_justification}
    saved.duplicate_justification = text
    saved.save(update_fields=["duplicate_justification"])
    audit.record(
        actor=actor, action="update", obj=saved, before=before, after={"duplicate_justification": text}
    )
    return saved


@atomic
def document_upload(*, actor: Any, report: Report, name: str, data: bytes) -> SupportingDocument:
    """An invoice, proof of payment... for the report's project: type checked by content, at most
    10 MB, stored with its SHA-256."""
    current = _editable(actor, report)
    document = SupportingDocument(project=current.project, uploaded_by=actor)
    uploads.store(document, name, data)
    document.save()
    audit.record(
        actor=actor, action="create", obj=document, after={"name": document.name, "sha256": document.sha256}
    )
    return document
