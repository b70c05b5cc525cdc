"""The annual report to the Commission (issue 17, section 2): per programme and reporting year, the
2014-2020 annual (or final) implementation report or the 2021-2027 annual performance report, with
the parts the responsible authority writes, its way through the Monitoring Committee and the tables
frozen with it.

The figures are generated from AMIS data (`selectors.generated_parts`) while the report is a draft or
with the committee; the committee's approval stores them, with the narrative, as a JSON snapshot, so
an approved or frozen report shows what was approved whatever changes later. Dates and articles are
data in `rules.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualReport(models.Model):
    class Kind(models.TextChoices):
        ANNUAL_IMPLEMENTATION = "annual_implementation", _("annual implementation report")
        FINAL_IMPLEMENTATION = "final_implementation", _("final implementation report")
        ANNUAL_PERFORMANCE = "annual_performance", _("annual performance report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted to the Monitoring Committee")
        APPROVED = "approved", _("approved by the Monitoring Committee")
        FROZEN = "frozen", _("frozen")

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(
        help_text="the financial (2014-2020) or accounting year ending in it"
    )
    kind = models.CharField(max_length=25, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField()
    due_basis = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(null=True, blank=True)
    # the Monitoring Committee's approval: a decision at a meeting
    meeting_date = models.DateField(null=True, blank=True)
    decision_reference = models.CharField(max_length=200, blank=True, help_text="the decision or minutes")
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    snapshot = models.JSONField(null=True, blank=True, help_text="the tables and texts as approved")
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    first_exported_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme__cci", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_annual_report_per_year"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="annual_report_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.cci} {self.year}"


class NarrativePart(models.Model):
    """A part of the report the authority writes: a section, for the whole report or for one specific
    objective (`specific_objective` its code, blank for the whole report)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="parts")
    section = models.CharField(max_length=30)
    specific_objective = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section", "specific_objective"], name="one_narrative_part_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.section} {self.specific_objective}".strip()


class ReportEvent(models.Model):
    """A step of the report: drafted, submitted, returned for changes, approved, frozen; with the
    committee's meeting and decision where it decided."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=AnnualReport.Status.choices)
    meeting_date = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status or '-'} -> {self.to_status}"
