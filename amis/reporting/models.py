"""The beneficiaries' reports: progress, indicators and the expenditure they declare.

A signed agreement's reporting calendar makes one `Report` per interim or final report, with its
period and due date. The beneficiary fills it (narrative per work-plan activity, achieved indicator
values with their breakdowns, expenditure lines typed or imported) and submits it: the submission
freezes a snapshot (`ReportSubmission`, one per round, with the PDF receipt's checksum) and binds the
report to the agreement version in force on its period's end. The authority can return it with
comments; the next submission is a new round, each round kept.

Every expenditure line keeps what a verifier needs to trace a euro down to its document: supplier,
invoice, dates, amounts with and without VAT, the supporting document and its SHA-256, or the units
and rate of a simplified cost option. The same invoice declared twice (same supplier and invoice
number, and same date or amount) is flagged and must be justified.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field


class Report(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("interim report")
        FINAL = "final", _("final report")

    class Status(models.TextChoices):
        OPEN = "open", _("to be submitted")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned to the beneficiary")
        ACCEPTED = "accepted", _("accepted")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="reports")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # the agreement version whose figures this report uses: the one in force on its period's end,
    # fixed at submission (until then the one in force today)
    agreement_version = models.ForeignKey(
        "projects.AgreementVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    progress = models.TextField(blank=True, help_text="overall progress in the period")
    activities = models.JSONField(default=list, help_text="[{activity, progress}] per work-plan activity")
    round = models.PositiveSmallIntegerField(default=0, help_text="submissions so far")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_report_number"),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="report_period_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="report_status_due")]

    def __str__(self) -> str:
        return f"{self.project.reference} report {self.number}"


class IndicatorAchievement(models.Model):
    """The value of an indicator achieved in a report's period, with the breakdowns the indicator asks
    (e.g. of which vulnerable persons, unaccompanied minors)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=15, decimal_places=2)
    breakdown = models.JSONField(default=dict, help_text="breakdown code -> value as a decimal string")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="unique_report_indicator"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.code}"


class ReportSubmission(models.Model):
    """One round of a report: what was submitted (frozen), and whether it was returned and why."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="submissions")
    round = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(help_text="exactly what was submitted, lines included")
    declared = money_field()
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comments = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "round"]
        constraints = [models.UniqueConstraint(fields=["report", "round"], name="unique_report_round")]

    def __str__(self) -> str:
        return f"{self.report} round {self.round}"


class SupportingDocument(models.Model):
    """An invoice, proof of payment, timesheet... uploaded for a project's expenditure, with its SHA-256."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="expenditure/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ExpenditureImport(models.Model):
    """An Excel/CSV file of expenditure lines, imported by the worker with its progress.

    Nothing is saved until the whole file is valid: every error (row, column, message) is kept in
    `errors`, all of them. The beneficiary can cancel while it runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        FAILED = "failed", _("refused")
        CANCELLED = "cancelled", _("cancelled")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="imports")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="expenditure-imports/%Y/%m/")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    lines_created = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="[{row, column, message}], all of them")
    warnings = models.JSONField(default=list, help_text="[{row, column, message}]")
    cancel_requested = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "-created_at"]

    def __str__(self) -> str:
        return f"{self.report}: {self.name}"


class ExpenditureLine(models.Model):
    """One line of expenditure declared in a report: a real cost with its invoice, or a simplified
    cost (units delivered × unit cost, a lump sum reached, a flat rate computed by AMIS).

    A credit note is a negative line with the reference of the invoice it corrects."""

    class CostType(models.TextChoices):
        REAL = "real", _("real cost")
        UNIT = "unit", _("unit cost")
        LUMP_SUM = "lump_sum", _("lump sum")
        FLAT_RATE = "flat_rate", _("flat rate")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    category = models.CharField(max_length=20)
    cost_type = models.CharField(max_length=10, choices=CostType.choices, default=CostType.REAL)
    supplier_name = models.CharField(max_length=200, blank=True)
    supplier_number = models.CharField(
        max_length=20, blank=True, help_text="enterprise or VAT number, normalised (no dots or spaces)"
    )
    # who the invoice is from, for finding the same invoice twice: the number if given, else the
    # name in lower case without punctuation (reporting.rules.supplier_key)
    supplier_key = models.CharField(max_length=200, blank=True)
    invoice_number = models.CharField(max_length=60, blank=True)
    invoice_date = models.DateField(null=True, blank=True)
    payment_date = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    amount_excl_vat = money_field(null=True, blank=True)
    amount_incl_vat = money_field(null=True, blank=True)
    vat_recoverable = models.BooleanField(default=False)
    amount_declared = money_field()
    units = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit_cost = money_field(null=True, blank=True)
    simplified_cost = models.CharField(max_length=40, blank=True, help_text="code of the agreement's SCO")
    credit_note_for = models.CharField(max_length=60, blank=True, help_text="invoice a credit note corrects")
    document = models.ForeignKey(
        SupportingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    document_name = models.CharField(max_length=255, blank=True, help_text="as named in an imported file")
    source_import = models.ForeignKey(
        ExpenditureImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    # the same invoice declared on another line (this project or another of the beneficiary's)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_justification = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="unique_expenditure_position"),
            models.CheckConstraint(
                condition=Q(amount_declared__gte=0) | ~Q(credit_note_for=""),
                name="expenditure_negative_only_credit_note",
            ),
        ]
        indexes = [
            models.Index(fields=["report", "category"], name="expenditure_report_category"),
            models.Index(fields=["supplier_key", "invoice_number"], name="expenditure_invoice"),
        ]

    def __str__(self) -> str:
        return f"{self.report} line {self.position}"
