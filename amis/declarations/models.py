"""What the responsible authority declares to the Commission and what it receives from it.

A `PaymentApplication` (2014-2020: the request for payment with the annual accounts, Reg. 514/2014
Art. 44; 2021-2027: an interim payment application, CPR Art. 91-92 and Annex XXIII) is made of
`PaymentApplicationItem`s, one per completed verification: the expenditure verified, its public
contribution and EU amount, under the specific objective of the project's call. An item under
assessment is held back (reason, who, when) and reintroduced in a later application by a new item
that points at it. A submitted application is frozen: its figures are kept as a snapshot.

`CommissionReceipt`s are the pre-financing and payments received from the Commission.
`AnnualAccounts` of a programme and year are drafted, then submitted with a frozen snapshot of the
figures and their reconciliation with the year's payment applications.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field


class PaymentApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted to the Commission")

    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="the financial or accounting year, by its last year")
    sequence = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True, help_text="the date it reached the Commission")
    snapshot = models.JSONField(default=dict, help_text="the figures as submitted")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "sequence"], name="payment_application_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.cci} {self.year}/{self.sequence}"


class PaymentApplicationItem(models.Model):
    class Stage(models.TextChoices):
        APPLICATION = "application", _("held back from the payment application")
        ACCOUNTS = "accounts", _("held back from the accounts")

    application = models.ForeignKey(PaymentApplication, on_delete=models.PROTECT, related_name="items")
    verification = models.ForeignKey(
        "verification.Verification", on_delete=models.PROTECT, related_name="declared_items"
    )
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="+")
    specific_objective = models.CharField(max_length=10)
    eligible = money_field(help_text="total eligible expenditure verified")
    public = money_field(help_text="public contribution")
    eu = money_field(help_text="EU amount")
    held_back = models.BooleanField(default=False)
    held_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    held_reason = models.TextField(blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    reintroduces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reintroduced_by"
    )

    class Meta:
        ordering = ["application", "specific_objective", "project", "pk"]
        constraints = [
            # a verification is declared once; a held-back item leaves room for its reintroduction
            models.UniqueConstraint(
                fields=["verification"], condition=Q(held_back=False), name="item_declared_once"
            ),
            models.CheckConstraint(
                condition=Q(eligible__gte=0) & Q(public__gte=0) & Q(eu__gte=0), name="item_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.project.reference}"


class CommissionReceipt(models.Model):
    class Kind(models.TextChoices):
        PREFINANCING = "prefinancing", _("pre-financing")
        INTERIM = "interim", _("interim payment")
        BALANCE = "balance", _("annual or final balance")

    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    received_on = models.DateField()
    amount = money_field()
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="commission_receipt_positive")]

    def __str__(self) -> str:
        return f"{self.programme.cci} {self.kind} {self.amount}"


class AnnualAccounts(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted to the Commission")

    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(default=dict, help_text="the accounts and reconciliation as submitted")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme", "year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="annual_accounts_once")]

    def __str__(self) -> str:
        return f"{self.programme.cci} accounts {self.year}"
