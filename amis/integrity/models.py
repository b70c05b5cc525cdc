"""Double funding: other funds' project lists (ESF, ESF+, ISF) and the flags raised where an
application overlaps one of their projects (programme section 6.6).

The models moved here from `calls` (tables renamed, rows kept); `audit_former_labels` names the
label their earlier audit entries carry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field
from amis.integrity.rules import match


class OtherFundList(models.Model):
    """One upload of another fund's project list, and its life.

    The worker reads the file (`queued` → `reading`), keeps every error and warning, and stops at
    `refused` (nothing of it is used) or `read`: the officer sees every warning — rows that cannot be
    matched and why — before confirming. Confirmed, the list is `active`: the double-funding check
    reads the projects of active lists only. A newer list of the same fund replaces it (`replaced`)
    and its flags move to the same projects of the new list, or close; a list can also be deleted
    with a reason (`deleted`), its flags closed. Every step is audited."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        READING = "reading", _("being read")
        REFUSED = "refused", _("refused")
        READ = "read", _("read: to confirm")
        ACTIVE = "active", _("in use")
        REPLACED = "replaced", _("replaced by a newer list")
        DELETED = "deleted", _("deleted")
        DISCARDED = "discarded", _("not confirmed")

    fund = models.CharField(max_length=10)
    name = models.CharField(max_length=255, help_text="the file's name")
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="other-fund-lists/%Y/%m/", blank=True)
    number_format = models.CharField(max_length=5, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    projects_count = models.PositiveIntegerField(default=0)
    matchable_count = models.PositiveIntegerField(
        default=0, help_text="projects with an enterprise number or a beneficiary name"
    )
    errors = models.JSONField(default=list, help_text="[{row, column, message}], all of them")
    warnings = models.JSONField(default=list, help_text="[{column, message, rows, count}], grouped")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund"], condition=Q(status="active"), name="one_active_list_per_fund"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.name}"


class OtherFundProject(models.Model):
    """A project of another fund (ESF, ISF) imported to check for double funding (programme section 6.6)."""

    audit_former_labels = ("calls.OtherFundProject",)  # audit entries written before the move

    source_list = models.ForeignKey(OtherFundList, on_delete=models.CASCADE, related_name="projects")
    source_row = models.PositiveIntegerField(default=0)
    fund = models.CharField(max_length=10)
    beneficiary_name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, blank=True, db_index=True, help_text="rules.names.name_key")
    # KBO/BCE (10 digits) or, for another member state's organisation, its compact EU VAT number
    enterprise_number = models.CharField(max_length=20, blank=True, db_index=True)
    identifier = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    start = models.DateField()
    end = models.DateField()
    total_cost = money_field(null=True, blank=True)
    eu_amount = money_field(null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_list", "identifier"], name="unique_project_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.identifier}"


class DoubleFundingFlag(models.Model):
    audit_former_labels = ("calls.DoubleFundingFlag",)  # audit entries written before the move

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="double_funding_flags"
    )
    other = models.ForeignKey(OtherFundProject, on_delete=models.CASCADE, related_name="+")
    overlap_days = models.PositiveIntegerField()
    similarity = models.DecimalField(max_digits=3, decimal_places=2)
    basis = models.CharField(max_length=20, default=match.NUMBER, help_text="enterprise_number or name")
    confidence = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    reason = models.TextField()
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    clearance = models.TextField(blank=True)
    # closed by AMIS when its project's list was replaced without it, or deleted (audited)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)

    OPEN = Q(cleared_at__isnull=True, closed_at__isnull=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "other"], name="one_flag_per_pair")]

    def __str__(self) -> str:
        return f"{self.application.reference} x {self.other}"

    @property
    def explanation(self) -> str:
        """Why the flag was raised, in the reader's language (`reason` keeps the English of its day)."""
        other = self.other
        return match.explain(
            enterprise_number=other.enterprise_number,
            fund=other.fund,
            identifier=other.identifier,
            title=other.title,
            start=other.start,
            end=other.end,
            days=self.overlap_days,
            score=self.similarity,
            basis=self.basis,
            beneficiary=other.beneficiary_name,
            confidence=self.confidence,
        )


class NameMatchDecision(models.Model):
    """An officer's answer to "is this the same organisation?" for a name match: the organisation
    applying to AMIF and a beneficiary name key of another fund's list. Remembered: the next
    import and the next check raise no flag for a rejected pair and mark a confirmed one."""

    class Decision(models.TextChoices):
        SAME = "same", _("the same organisation")
        OTHER = "other", _("another organisation")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    name_key = models.CharField(max_length=300)
    decision = models.CharField(max_length=5, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name_key"], name="one_name_decision_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ~ {self.name_key}: {self.decision}"
