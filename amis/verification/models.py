"""Management verifications: the desk check of every claim (a submitted report), line by line.

A `Verification` is the check of one submission round of a report by a verifier: the answers of the
programme's checklist and a `LineDecision` per expenditure line (eligible, ineligible with a reason,
reduced with the amount kept and a reason). Completing it computes, with its working, the verified
eligible amount and the EU share (`verification.rules.verify_claim`); payments pay from there.
On-the-spot checks and corrections build on the same records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field


class ChecklistItem(models.Model):
    """One question of the desk-verification checklist: the programme's own, or the defaults when the
    programme has none (`programme` empty)."""

    programme = models.ForeignKey(
        "programme.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=30)
    position = models.PositiveSmallIntegerField()
    text = models.JSONField(help_text="language -> question")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_checklist_item"),
        ]

    def __str__(self) -> str:
        return self.code


class Verification(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        COMPLETED = "completed", _("completed")

    report = models.ForeignKey("reporting.Report", on_delete=models.PROTECT, related_name="verifications")
    round = models.PositiveSmallIntegerField(help_text="the submission round verified")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    checklist = models.JSONField(default=dict, help_text="item code -> {answer: yes/no/na, comment}")
    declared = money_field(null=True, blank=True)
    eligible_by_decision = money_field(null=True, blank=True)
    ineligible = money_field(null=True, blank=True)
    reduced = money_field(null=True, blank=True)
    verified = money_field(null=True, blank=True)
    eu_share = money_field(null=True, blank=True)
    verified_by_category = models.JSONField(default=dict, help_text="category -> amount as a decimal string")
    working = models.JSONField(default=list, help_text="the steps AMIS applied, in order")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["report", "round"]
        constraints = [models.UniqueConstraint(fields=["report", "round"], name="unique_verification_round")]

    def __str__(self) -> str:
        return f"{self.report} verification {self.round}"


class LineDecision(models.Model):
    class Decision(models.TextChoices):
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("ineligible")
        REDUCED = "reduced", _("reduced")

    class Reason(models.TextChoices):
        OUTSIDE_PERIOD = "outside_period", _("outside the eligibility period")
        NOT_IN_BUDGET = "not_in_budget", _("not in the agreement's budget")
        NO_DOCUMENT = "no_document", _("supporting document missing or insufficient")
        PROCUREMENT = "procurement", _("public procurement rules not respected")
        NOT_PAID = "not_paid", _("not paid by the beneficiary")
        RECOVERABLE_VAT = "recoverable_vat", _("recoverable VAT")
        DOUBLE_FUNDING = "double_funding", _("funded twice")
        NOT_RELATED = "not_related", _("not related to the project")
        ABOVE_CEILING = "above_ceiling", _("above a ceiling or unit rate")
        OTHER = "other", _("other")

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="decisions")
    line = models.ForeignKey("reporting.ExpenditureLine", on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    eligible = money_field(help_text="the amount kept: declared, zero or the reduced amount")
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    reason_text = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["verification", "line"]
        constraints = [
            models.UniqueConstraint(fields=["verification", "line"], name="unique_line_decision"),
            models.CheckConstraint(
                condition=Q(decision="eligible") | ~Q(reason=""), name="line_decision_reason_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verification}: line {self.line_id} {self.decision}"
