"""Calls for proposals (and direct awards) and the call's own documents.

A call is launched by an authority within its delegated scope and tied to the programme's
objectives: for a 2014-2020 programme to a specific objective's national objectives (or specific
action) and actions; for a 2021-2027 programme (format 2, CPR Annex V) to a specific objective and a
type of action, i.e. one allocation line of the financing table. Its budget is checked against what
the financing plan still has free.
Applications answering a call are in `amis.applications`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field, rate_field
from amis.programme.models import AllocationLine


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
    # 2021-2027 (format 2): the allocation line of the specific objective the call draws on
    # (Regulation (EU) 2021/1060, Annex V, financing table 2); blank for a 2014-2020 call.
    type_of_action = models.CharField(
        max_length=40, blank=True, default="", choices=AllocationLine.TypeOfAction.choices
    )
    budget = money_field()
    max_eu_rate = rate_field(default="0.7500")
    min_grant = money_field(null=True, blank=True)
    max_grant = money_field(null=True, blank=True)
    indirect_rate_max = rate_field(default="0.0700")
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
