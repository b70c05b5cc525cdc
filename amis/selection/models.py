"""Selection: the eligibility check, the assessors' scores, consolidation, the ranking and
proposal of a call, and the Monitoring Committee's meetings and decisions (programme section 6.2).

The models moved here from `calls` (tables renamed, rows kept); `audit_former_labels` names the
label their earlier audit entries carry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field


class EligibilityCheck(models.Model):
    """Admissibility and eligibility, by an officer, against the call's criteria (yes/no with reasons)."""

    audit_former_labels = ("calls.EligibilityCheck",)  # audit entries written before the move

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="eligibility"
    )
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, help_text="criterion code -> {met: bool, reason: str}")
    eligible = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application.reference} eligibility"


class Assessment(models.Model):
    audit_former_labels = ("calls.Assessment",)  # audit entries written before the move

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="assessments"
    )
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
    audit_former_labels = ("calls.Consolidation",)  # audit entries written before the move

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="consolidation"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)
    note = models.TextField()
    total = models.DecimalField(max_digits=6, decimal_places=2)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application.reference} consolidation"


class Ranking(models.Model):
    """The computed ranking and proposal of a call, frozen when the call becomes 'assessed'."""

    audit_former_labels = ("calls.Ranking",)  # audit entries written before the move

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="ranking")
    rows = models.JSONField(default=list, help_text="[{reference, score, eu_requested, passed, outcome}]")
    budget_used = money_field()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.call.code} ranking"


class CommitteeMeeting(models.Model):
    """A Monitoring Committee meeting that validates a call's proposed selection (programme section 6.2)."""

    audit_former_labels = ("calls.CommitteeMeeting",)  # audit entries written before the move

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    lock_version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"MC {self.date} {self.call.code}"


class CommitteeDecision(models.Model):
    audit_former_labels = ("calls.CommitteeDecision",)  # audit entries written before the move

    class Decision(models.TextChoices):
        APPROVE = "approve", _("approve")
        REJECT = "reject", _("reject")
        POSTPONE = "postpone", _("postpone")

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="committee_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="one_decision_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.decision}"
