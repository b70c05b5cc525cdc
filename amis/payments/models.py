"""Payments to beneficiaries, the batches the accounting unit sends its bank, and recoveries.

A `Payment` is proposed by a payment officer with AMIS's working (payments.rules.payable), approved by
an authorising officer (another person, never the verifier of the report it pays), and recorded as
paid by the accounting unit with the bank's date. Approved payments go into a `PaymentBatch`, which
produces the SEPA credit transfer file; a batch is immutable once exported, and a cancelled payment
is a new entry (negative, `cancels` the original), never an edit. A `Recovery` is an amount the
beneficiary owes back: received, offset against a later payment, or written off with a reason
(never by who ordered it); it keeps the finding or irregularity it comes from. A `ProjectClosure`
freezes the project's figures once nothing is left to pay, recover or follow up.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("being prepared")
        EXPORTED = "exported", _("exported to the bank")

    reference = models.CharField(max_length=35, unique=True, help_text="the SEPA message id")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    execution_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(null=True, blank=True)
    control_sum = money_field(null=True, blank=True)
    transactions = models.PositiveIntegerField(default=0)
    xml = models.BinaryField(null=True, blank=True)
    xml_sha256 = models.CharField(max_length=64, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class Payment(models.Model):
    class Kind(models.TextChoices):
        PREFINANCING = "prefinancing", _("pre-financing")
        INTERIM = "interim", _("interim payment")
        BALANCE = "balance", _("balance")
        CANCELLATION = "cancellation", _("cancellation")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")
        REJECTED = "rejected", _("rejected")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    report = models.ForeignKey(
        "reporting.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    verification = models.ForeignKey(
        "verification.Verification", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = money_field()
    offset = money_field(default=0, help_text="recoveries cleared by this payment")
    working = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    claim_date = models.DateField(null=True, blank=True, help_text="when the claim reached the authority")
    due_date = models.DateField(null=True, blank=True)
    creditor_name = models.CharField(max_length=140)
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11, blank=True)
    remittance = models.CharField(max_length=140)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(null=True, blank=True, help_text="the bank's date")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancels = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="cancelled_by"
    )
    cancellation_reason = models.TextField(blank=True, help_text="why the paid payment is cancelled")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "proposed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(kind="cancellation"),
                name="payment_positive_unless_cancellation",
            ),
            models.CheckConstraint(condition=Q(offset__gte=0), name="payment_offset_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="payment_status_due")]

    def __str__(self) -> str:
        return f"{self.project.reference} {self.kind} {self.amount}"


class Recovery(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RECOVERED = "recovered", _("recovered")
        WRITTEN_OFF = "written_off", _("written off")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="recoveries")
    debtor = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    amount_due = money_field()
    due_date = models.DateField()
    reason = models.TextField()
    received = money_field(default=0)
    offset = money_field(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    write_off_reason = models.TextField(blank=True)
    origin = models.CharField(max_length=200, blank=True, help_text="the finding or balance it comes from")
    finding = models.ForeignKey(
        "verification.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="recoveries"
    )
    irregularity = models.ForeignKey(
        "verification.Irregularity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recoveries",
    )
    written_off = money_field(default=0, help_text="the outstanding amount written off")
    written_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_off_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "due_date"]
        constraints = [models.CheckConstraint(condition=Q(amount_due__gt=0), name="recovery_positive")]

    def __str__(self) -> str:
        return f"{self.project.reference} recovery {self.amount_due}"

    @property
    def outstanding(self) -> Decimal:
        """Still owed: due less received, offset and written off."""
        return (
            Decimal(self.amount_due)
            - Decimal(self.received)
            - Decimal(self.offset)
            - Decimal(self.written_off)
        )


class RecoveryReceipt(models.Model):
    """Money received from the beneficiary against a recovery order, with the bank's date: partial
    receipts add up, each one an entry of its own."""

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="receipts")
    amount = money_field()
    received_on = models.DateField(help_text="the bank's date")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recovery", "received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_receipt_positive")]

    def __str__(self) -> str:
        return f"{self.recovery} receipt {self.amount}"


class ProjectClosure(models.Model):
    """The project closed for payments: when, by whom, and its figures frozen at that moment
    (maximum grant, EU share verified, paid net, recovered, written off) as decimal strings."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="closure")
    closed_on = models.DateField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-closed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project.reference} closed {self.closed_on}"
