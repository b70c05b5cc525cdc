"""The dashboard's summary of each programme (issue 17 §1: under 300 ms at 20,000 projects and
2,000,000 expenditure lines, which no live aggregate over the source tables reaches).

The money of every call, per beneficiary type, is computed from the source tables (projects,
report submissions, verifications, corrections, payments, recoveries) by `services.refresh` and
stored here; the programme page adds up these few hundred rows instead of the source tables. The
figures are a cache of audited data, not data of their own: nobody types them, they are replaced
whole at each refresh and never audited themselves. `FiguresState.computed_at` is what the page
shows as the figures' time. Every change to a source is audited, so an audit entry of a source app
written after `audit_seen` tells that the figures may be behind: the page then queues a refresh, or
computes them itself when they are a minute old (`freshness.current`; docs/decisions/0009).
"""

from __future__ import annotations

from django.db import models

from amis.core.fields import money_field


class FiguresState(models.Model):
    """When a programme's summary was computed, how long that took, and whether a refresh is queued."""

    programme = models.OneToOneField("programme.Programme", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    took_ms = models.PositiveIntegerField(default=0)
    audit_seen = models.PositiveBigIntegerField(
        default=0, help_text="the last audit entry written before the computation read the sources"
    )
    requested_at = models.DateTimeField(
        null=True, blank=True, help_text="a change was seen and a refresh queued (cleared by the refresh)"
    )

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.computed_at}"


class CallFigures(models.Model):
    """The money of one call's projects of one beneficiary type (`dashboard.rules.Figures`)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    beneficiary_kind = models.CharField(max_length=30)
    projects = models.PositiveIntegerField(default=0)
    grants = money_field(default=0)
    declared = money_field(default=0)
    verified = money_field(default=0)
    eu_verified = money_field(default=0)
    corrected = money_field(default=0)
    paid = money_field(default=0)
    recovered = money_field(default=0)
    to_commission = money_field(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "beneficiary_kind"], name="dashboard_one_row_per_call_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.beneficiary_kind}"


class CallPaidInYear(models.Model):
    """What was paid to one call's beneficiaries of one type in a calendar year (bank dates)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    beneficiary_kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    paid = money_field(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "beneficiary_kind", "year"], name="dashboard_one_row_per_call_kind_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.beneficiary_kind} {self.year}"


class CallIndicator(models.Model):
    """What one call's projects of one beneficiary type achieved on one indicator in their accepted
    reports (value, breakdowns, how many projects), and how many of them planned the indicator but
    left it out of every report they submitted."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    beneficiary_kind = models.CharField(max_length=30)
    code = models.CharField(max_length=20)
    achieved = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    projects = models.PositiveIntegerField(default=0, help_text="projects with an accepted value")
    breakdown = models.JSONField(default=dict, help_text="breakdown code -> sum as a decimal string")
    not_reporting = models.PositiveIntegerField(
        default=0, help_text="projects that planned it and submitted reports without it"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "beneficiary_kind", "code"], name="dashboard_one_row_per_call_kind_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.beneficiary_kind} {self.code}"
