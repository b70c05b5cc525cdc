"""Double funding: other funds' project lists (ESF, ESF+, ISF) and the flags raised where an
application overlaps one of their projects (programme section 6.6).

The models moved here from `calls` (tables renamed, rows kept); `audit_former_labels` names the
label their earlier audit entries carry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from amis.core.fields import money_field
from amis.integrity.rules import match


class OtherFundProject(models.Model):
    """A project of another fund (ESF, ISF) imported to check for double funding (programme section 6.6)."""

    audit_former_labels = ("calls.OtherFundProject",)  # audit entries written before the move

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
    audit_former_labels = ("calls.DoubleFundingFlag",)  # audit entries written before the move

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="double_funding_flags"
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
        )
