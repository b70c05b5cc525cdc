"""Applications answering a call: the project, its budget by cost category and year, its
co-financing plan, partners, work plan, planned indicators and attached documents.

Submission freezes a snapshot: later pages show exactly what was submitted. The models moved here
from `calls` (tables renamed, rows kept: see the migrations); audit entries written before the move
keep their old label, listed in `audit_former_labels` so an object's history stays whole.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field, rate_field


class Application(models.Model):
    audit_former_labels = ("calls.Application",)  # audit entries written before the move

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        INELIGIBLE = "ineligible", _("not eligible")
        # eligible and waiting for its assessors or for the consolidation of their scores
        ELIGIBLE = "eligible", _("eligible, being assessed")
        ASSESSED = "assessed", _("assessed")
        PROPOSED = "proposed", _("proposed for funding")
        RESERVE = "reserve", _("reserve list")
        SELECTED = "selected", _("selected")
        REJECTED = "rejected", _("rejected")

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(max_length=60, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)
    actions = models.JSONField(default=list)
    target_groups = models.JSONField(default=list)
    expected_participants = models.PositiveIntegerField(null=True, blank=True)
    vulnerable_participants = models.PositiveIntegerField(null=True, blank=True)
    unaccompanied_minors = models.PositiveIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    indirect_rate = rate_field(default="0.0000")
    activities = models.JSONField(default=list, help_text="[{name, start, end, description}]")
    partners = models.JSONField(default=list, help_text="[{name, enterprise_number, role}]")
    planned_indicators = models.JSONField(default=dict, help_text="indicator code -> planned value")
    funding = models.JSONField(default=dict, help_text="source -> amount as a decimal string")
    funders = models.JSONField(default=dict, help_text="source -> name of the co-funder")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True, help_text="exactly what was submitted")
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "reference"]
        indexes = [  # the application lists: per call and status, newest first (bench/)
            models.Index(fields=["call", "status"], name="application_call_status"),
            models.Index(fields=["-created_at"], name="application_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


# What an applicant fills in (the edit page, the API and the submission snapshot hold these).
APPLICATION_FIELDS = (
    "title",
    "summary",
    "description",
    "actions",
    "target_groups",
    "expected_participants",
    "vulnerable_participants",
    "unaccompanied_minors",
    "start_date",
    "end_date",
    "indirect_rate",
    "activities",
    "partners",
    "planned_indicators",
    "funding",
    "funders",
)


class BudgetLine(models.Model):
    audit_former_labels = ("calls.BudgetLine",)  # audit entries written before the move

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300, blank=True)
    amount = money_field()

    class Meta:
        ordering = ["application", "position"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative")]

    def __str__(self) -> str:
        return f"{self.application.reference} {self.category} {self.year}"


class Attachment(models.Model):
    """A document attached to an application, checked for type and size, stored with its SHA-256."""

    audit_former_labels = ("calls.Attachment",)  # audit entries written before the move

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.name}"
