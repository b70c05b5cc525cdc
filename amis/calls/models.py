"""Calls for proposals (and direct awards) and the applications answering them.

A call is launched by an authority within its delegated scope and tied to the programme's
objectives and actions; applications carry a budget by cost category and year and a co-financing
plan. Submission freezes a snapshot: later views show exactly what was submitted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def money_field(**kwargs: Any) -> models.DecimalField:
    return models.DecimalField(max_digits=15, decimal_places=2, **kwargs)


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")
        ASSESSED = "assessed", _("assessed")
        DECIDED = "decided", _("decided")

    class Procedure(models.TextChoices):
        OPEN = "open", _("call for proposals")
        DIRECT_AWARD = "direct_award", _("direct award")

    code = models.CharField(max_length=40, unique=True)
    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="calls")
    managing_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.CharField(max_length=20, choices=Procedure.choices, default=Procedure.OPEN)
    title = models.JSONField(default=dict)
    description = models.JSONField(default=dict)
    languages = models.JSONField(default=list)
    specific_objective = models.CharField(max_length=10)
    national_objectives = models.JSONField(default=list)
    specific_action = models.CharField(max_length=10, blank=True)
    actions = models.JSONField(default=list, help_text="programme action numbers")
    budget = money_field()
    max_eu_rate = models.DecimalField(max_digits=5, decimal_places=4, default="0.7500")
    min_grant = money_field(null=True, blank=True)
    max_grant = money_field(null=True, blank=True)
    indirect_rate_max = models.DecimalField(max_digits=5, decimal_places=4, default="0.0700")
    eligible_kinds = models.JSONField(default=list)
    eligible_start = models.DateField()
    eligible_end = models.DateField()
    target_groups = models.JSONField(default=list)
    indicators = models.JSONField(default=list, help_text="common indicator codes applicants must plan")
    eligibility_criteria = models.JSONField(default=list)
    award_criteria = models.JSONField(default=list)
    pass_mark = models.DecimalField(max_digits=6, decimal_places=2, default="50.00")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    direct_award_justification = models.TextField(blank=True)
    invited_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="call_budget_positive"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="call_opens_before_closing"
            ),
            models.CheckConstraint(
                condition=Q(eligible_start__lte=models.F("eligible_end")), name="call_period_order"
            ),
            models.CheckConstraint(
                condition=Q(max_eu_rate__gt=0) & Q(max_eu_rate__lte=1), name="call_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        INELIGIBLE = "ineligible", _("not eligible")
        ELIGIBLE = "eligible", _("eligible")
        ASSESSED = "assessed", _("assessed")
        PROPOSED = "proposed", _("proposed for funding")
        RESERVE = "reserve", _("reserve list")
        SELECTED = "selected", _("selected")
        REJECTED = "rejected", _("rejected")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
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
    indirect_rate = models.DecimalField(max_digits=5, decimal_places=4, default="0.0000")
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


class BudgetLine(models.Model):
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


class EligibilityCheck(models.Model):
    """Admissibility and eligibility, by an officer, against the call's criteria (yes/no with reasons)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="eligibility")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, help_text="criterion code -> {met: bool, reason: str}")
    eligible = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application.reference} eligibility"


class Assessment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    no_conflict_declared_at = models.DateTimeField()
    scores = models.JSONField(default=dict, help_text="criterion code -> score as a decimal string")
    justifications = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=6, decimal_places=2)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="one_assessment_per_assessor")
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} by {self.assessor}"


class Consolidation(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="consolidation")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)
    note = models.TextField()
    total = models.DecimalField(max_digits=6, decimal_places=2)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application.reference} consolidation"


class Ranking(models.Model):
    """The computed ranking and proposal of a call, frozen when the call becomes 'assessed'."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="ranking")
    rows = models.JSONField(default=list, help_text="[{reference, score, eu_requested, passed, outcome}]")
    budget_used = money_field()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.call.code} ranking"


class CommitteeMeeting(models.Model):
    """A Monitoring Committee meeting that validates a call's proposed selection (programme section 6.2)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    lock_version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"MC {self.date} {self.call.code}"


class CommitteeDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("approve")
        REJECT = "reject", _("reject")
        POSTPONE = "postpone", _("postpone")

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="committee_decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="one_decision_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.decision}"


class Project(models.Model):
    """A selected application, ready for its grant agreement."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="project")
    reference = models.CharField(max_length=60, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="projects"
    )
    eu_contribution = money_field()
    total_cost = money_field()
    start_date = models.DateField()
    end_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.reference


class OtherFundProject(models.Model):
    """A project of another fund (ESF, ISF) imported to check for double funding (programme section 6.6)."""

    fund = models.CharField(max_length=10)
    beneficiary_name = models.CharField(max_length=300)
    enterprise_number = models.CharField(max_length=10, blank=True, db_index=True)
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
            models.UniqueConstraint(fields=["fund", "identifier"], name="unique_other_fund_project")
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.identifier}"


class DoubleFundingFlag(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="double_funding_flags"
    )
    other = models.ForeignKey(OtherFundProject, on_delete=models.CASCADE, related_name="+")
    overlap_days = models.PositiveIntegerField()
    similarity = models.DecimalField(max_digits=3, decimal_places=2)
    reason = models.TextField()
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    clearance = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "other"], name="one_flag_per_pair")]

    def __str__(self) -> str:
        return f"{self.application.reference} x {self.other}"


class Attachment(models.Model):
    """A document attached to an application, checked for type and size, stored with its SHA-256."""

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


class CallDocument(models.Model):
    """A document of the call itself (guide for applicants, application template, FAQ, corrigendum):
    published with the call, checked for type and size like attachments, kept with its SHA-256."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=2, blank=True, help_text="empty: for every language")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="call-documents/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call.code}: {self.title}"
