"""The audit authority's records (issue 19): the audit strategy of a programme with its yearly plans,
the bodies each plan audits with their risk assessment, the system audit of each body against the key
requirements of the period (`key_requirements.py`), its findings and recommendations followed up to
closure (the auditee's replies kept apart, as their own records), and the annual control report with
the audit opinion, approved by a second auditor and frozen.

Only audit authority users write these records (`audit.*` permissions, AUDITOR only); the auditee
writes only its reply (`audit_reply.submit`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditStrategy(models.Model):
    """The audit strategy of a programme for its period (CPR Art. 78(1), Annex XXII; Reg. (EU) No
    514/2014 Art. 14(9))."""

    programme = models.OneToOneField(
        "programme.Programme", on_delete=models.PROTECT, related_name="audit_strategy"
    )
    text = models.TextField(blank=True, help_text="methodology, audit approach, resources")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme__cci"]
        verbose_name_plural = "audit strategies"

    def __str__(self) -> str:
        return f"{self.programme.cci} audit strategy"


class AuditPlan(models.Model):
    """The plan of one (accounting or financial) year: which bodies are audited, against what."""

    strategy = models.ForeignKey(AuditStrategy, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["strategy", "-year"]
        constraints = [models.UniqueConstraint(fields=["strategy", "year"], name="one_audit_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.strategy.programme.cci} {self.year}"


class AuditedBody(models.Model):
    """A body the year's plan audits, with its documented risk assessment and the key requirements
    it is audited against."""

    class Kind(models.TextChoices):
        RESPONSIBLE = "responsible", _("Responsible authority")
        MANAGING = "managing", _("Managing authority")
        DELEGATED = "delegated", _("Delegated authority")
        INTERMEDIATE = "intermediate", _("Intermediate body")
        ACCOUNTING = "accounting", _("Accounting function")
        BODY_RECEIVING_PAYMENTS = "body_receiving_payments", _("Body which receives payments")

    plan = models.ForeignKey(AuditPlan, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    risk_factors = models.JSONField(default=dict, help_text="factor -> score 1..5 (rules.RISK_FACTORS)")
    risk_score = models.PositiveSmallIntegerField()
    risk_level = models.CharField(max_length=10)
    risk_justification = models.TextField()
    key_requirements = models.JSONField(default=list, help_text="the codes audited this year")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "-risk_score", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="one_audited_body_per_name")]

    def __str__(self) -> str:
        return self.name


class SystemAudit(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")

    body = models.OneToOneField(AuditedBody, on_delete=models.PROTECT, related_name="system_audit")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_on = models.DateField()
    conclusion = models.TextField(blank=True)
    overall_category = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["body"]

    def __str__(self) -> str:
        return f"system audit of {self.body}"


class RequirementAssessment(models.Model):
    audit = models.ForeignKey(SystemAudit, on_delete=models.CASCADE, related_name="assessments")
    code = models.CharField(max_length=10)
    category = models.PositiveSmallIntegerField()
    justification = models.TextField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["audit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "code"], name="one_assessment_per_requirement"),
            models.CheckConstraint(
                condition=models.Q(category__gte=1, category__lte=4), name="assessment_category_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit_id} {self.code}: {self.category}"


class AuditFinding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Priority(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    audit = models.ForeignKey(SystemAudit, on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveSmallIntegerField()
    key_requirement = models.CharField(max_length=10)
    text = models.TextField()
    recommendation = models.TextField()
    priority = models.CharField(max_length=6, choices=Priority.choices)
    deadline = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closure_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="one_finding_number")]

    def __str__(self) -> str:
        return f"{self.audit.body} finding {self.number}"


class AuditeeReply(models.Model):
    """The auditee's reply to a finding: the auditee's own record (the finding itself is unchanged)."""

    finding = models.ForeignKey(AuditFinding, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField()
    replied_on = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["finding", "at", "pk"]

    def __str__(self) -> str:
        return f"reply to {self.finding_id}"


class ControlReport(models.Model):
    """The annual control report and the audit opinion of a programme's year; its content is generated
    from the year's records while a draft and frozen as a JSON snapshot (with its SHA-256) when a
    second auditor approves it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved and frozen")

    class Opinion(models.TextChoices):
        UNQUALIFIED = "unqualified", _("unqualified")
        QUALIFIED = "qualified", _("qualified")
        ADVERSE = "adverse", _("adverse")
        DISCLAIMER = "disclaimer", _("disclaimer of opinion")

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.PROTECT, related_name="control_reports"
    )
    year = models.PositiveSmallIntegerField()
    basis = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opinion = models.CharField(max_length=12, choices=Opinion.choices, blank=True)
    opinion_basis = models.TextField(blank=True, help_text="the basis for the opinion, its limitations")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme__cci", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_control_report_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme.cci} {self.year} annual control report"
