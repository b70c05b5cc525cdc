"""Projects and their grant agreements.

A selected application becomes a `Project` when the Monitoring Committee's decision to approve is
applied (the `application_selected` signal of `amis.selection`, received in `amis.projects.services`).
Its `GrantAgreement` is generated from the application's submitted snapshot and lives as versions:
version 1 is the agreement as signed, every amendment is a new `AgreementVersion` with a reason.
A version's terms never change once issued, so every report reads the figures of the version in
force on its dates, and every version stays readable.

What each call's agreements take by default (reporting calendar, tolerance for budget transfers,
pre-financing share) is its `GrantTerms`. Reports, expenditure and their documents are in
`amis.reporting`; verification and payments build on both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field, rate_field


class GrantTerms(models.Model):
    """Per call: the terms its grant agreements start from (the agreement's draft may change them).

    Defaults when a call has none: an interim report every 12 months of the eligibility period and a
    final one, each due 60 days after its period; budget transfers between cost categories of up to
    10 % of the receiving category without an amendment; 40 % pre-financing."""

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="grant_terms")
    interim_report_months = models.PositiveSmallIntegerField(default=12)
    report_due_days = models.PositiveSmallIntegerField(default=60)
    transfer_tolerance = rate_field(default="0.1000")
    prefinancing_share = rate_field(default="0.4000")
    special_conditions = models.TextField(blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "grant terms"
        constraints = [
            models.CheckConstraint(
                condition=Q(transfer_tolerance__gte=0) & Q(transfer_tolerance__lte=1),
                name="grant_terms_tolerance_range",
            ),
            models.CheckConstraint(
                condition=Q(prefinancing_share__gte=0) & Q(prefinancing_share__lte=1),
                name="grant_terms_prefinancing_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}"


class Project(models.Model):
    """A selected application: its grant agreement, reports and (later) verifications and payments."""

    audit_former_labels = ("calls.Project",)  # audit entries written before the move

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="project"
    )
    reference = models.CharField(max_length=60, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="projects"
    )
    eu_contribution = money_field()
    total_cost = money_field()
    start_date = models.DateField()
    end_date = models.DateField()
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference


class GrantAgreement(models.Model):
    """The grant agreement of a project: one per project, its content in its versions."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="agreement")
    reference = models.CharField(max_length=70, unique=True)
    # the beneficiary's language: the PDF and the e-mails about it are in it
    language = models.CharField(max_length=2, choices=settings.LANGUAGES, default="nl")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.reference


class AgreementVersion(models.Model):
    """One version of an agreement: number 1 is the original, each amendment the next number.

    Life: draft (prepared by an officer, editable) → issued (approved by a second person of the
    authority: four eyes; the terms and the PDF are frozen) → signed (both sides' signatures recorded
    and the signed scan uploaded with its SHA-256; in force from `in_force_from`). A draft can be
    withdrawn instead (`rejected`, with the reason). The version in force on a date is the signed
    version with the highest number whose `in_force_from` is on or before it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued, awaiting signatures")
        SIGNED = "signed", _("signed")
        REJECTED = "rejected", _("rejected")

    agreement = models.ForeignKey(GrantAgreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(blank=True, help_text="why this amendment (empty for the original)")
    requested_by_beneficiary = models.BooleanField(default=False)
    # Everything the agreement says, as the PDF shows it (see projects.rules.agreement_terms):
    # beneficiary, partners, maximum grant, rate, co-financing plan, eligibility period, calendar,
    # indicators and targets, bank account, special conditions, simplified cost options, pre-financing.
    terms = models.JSONField(default=dict)
    max_grant = money_field()
    eu_rate = rate_field()
    total_cost = money_field()
    eligible_start = models.DateField()
    eligible_end = models.DateField()
    transfer_tolerance = rate_field(default="0.1000")
    prefinancing_share = rate_field(default="0.4000")
    in_force_from = models.DateField(null=True, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    authority_signatory = models.CharField(max_length=200, blank=True)
    authority_signed_on = models.DateField(null=True, blank=True)
    authority_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    beneficiary_signatory = models.CharField(max_length=200, blank=True)
    beneficiary_signed_on = models.DateField(null=True, blank=True)
    beneficiary_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_scan = models.FileField(upload_to="agreements/%Y/%m/", blank=True)
    signed_scan_name = models.CharField(max_length=255, blank=True)
    signed_scan_sha256 = models.CharField(max_length=64, blank=True)
    rejection_reason = models.TextField(blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_agreement_version"),
            models.CheckConstraint(condition=Q(max_grant__gte=0), name="agreement_grant_not_negative"),
            models.CheckConstraint(
                condition=Q(eu_rate__gt=0) & Q(eu_rate__lte=1), name="agreement_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(eligible_start__lte=models.F("eligible_end")), name="agreement_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} v{self.number}"


class AgreementBudgetLine(models.Model):
    """The eligible budget of a version by cost category and year (direct costs; indirect costs are
    the version's flat rate of them, computed, never stored)."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    amount = money_field()

    class Meta:
        ordering = ["version", "category", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "category", "year"], name="unique_agreement_budget_line"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="agreement_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.category} {self.year}"


class BudgetTransfer(models.Model):
    """A move of budget between two cost categories of the version in force, made without an
    amendment because it stays within the agreement's tolerance (projects.rules.transfer_problem)."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="transfers")
    from_category = models.CharField(max_length=20)
    to_category = models.CharField(max_length=20)
    amount = money_field()
    reason = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "made_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_transfer_positive"),
            models.CheckConstraint(
                condition=~Q(from_category=models.F("to_category")), name="budget_transfer_two_categories"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.amount} {self.from_category} → {self.to_category}"
