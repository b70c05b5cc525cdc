"""The audit authority's audits of operations (issue 19): the population of a year's declared
expenditure, the statistical sample drawn from it, the audited results and the projection.

An `AuditPopulation` is built once from the payment applications submitted to the Commission for an
accounting year (`amis.declarations`), by operation or by payment claim; its `PopulationUnit`s are
frozen with it. A `Sample` records its method, parameters, confidence level and seed, and its
`SampledItem`s are the frozen selection (re-running the rules with the same seed and population gives
the same list). Each item receives the auditor's result; the sample's projection is stored with its
working. Only the audit authority writes these records (`sampling.manage`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amis.core.fields import money_field


class AuditPopulation(models.Model):
    class UnitKind(models.TextChoices):
        OPERATION = "operation", _("by operation")
        CLAIM = "claim", _("by payment claim")

    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="the accounting year, by its last year")
    unit_kind = models.CharField(max_length=10, choices=UnitKind.choices)
    book_value = money_field()
    units = models.PositiveIntegerField()
    lines = models.PositiveIntegerField()
    excluded = models.JSONField(default=list, help_text="units at zero or below, left out (key, value)")
    working = models.JSONField(default=list)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(auto_now_add=True)
    applications = models.JSONField(
        default=list, help_text="the payment applications (ids) whose items it was built from"
    )
    plan = models.ForeignKey(
        "SamplingPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="populations",
        help_text="two-period sampling: the plan this period belongs to",
    )
    period = models.PositiveSmallIntegerField(null=True, blank=True, help_text="two-period sampling: 1 or 2")
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme", "-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="population_plan_period_once"),
            models.CheckConstraint(
                condition=Q(plan__isnull=True, period__isnull=True)
                | Q(plan__isnull=False, period__in=[1, 2]),
                name="population_period_of_a_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.cci} {self.year} ({self.unit_kind})"


class PopulationUnit(models.Model):
    population = models.ForeignKey(AuditPopulation, on_delete=models.PROTECT, related_name="population_units")
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=200, blank=True)
    stratum = models.CharField(max_length=20, blank=True, help_text="the specific objective")
    value = money_field()

    class Meta:
        ordering = ["population", "key"]
        constraints = [
            models.UniqueConstraint(fields=["population", "key"], name="population_unit_once"),
            models.CheckConstraint(condition=Q(value__gt=0), name="population_unit_positive"),
        ]

    def __str__(self) -> str:
        return self.key


class Sample(models.Model):
    class Method(models.TextChoices):
        MUS_STANDARD = "mus_standard", _("Monetary unit sampling, standard approach")
        MUS_STRATIFIED = "mus_stratified", _("Monetary unit sampling, stratified by specific objective")
        MUS_CONSERVATIVE = "mus_conservative", _("Monetary unit sampling, conservative approach")
        SRS_MEAN = "srs_mean", _("Simple random sampling, mean-per-unit estimation")
        SRS_RATIO = "srs_ratio", _("Simple random sampling, ratio estimation")
        DIFFERENCE = "difference", _("Difference estimation")
        NON_STATISTICAL = "non_statistical", _("Non-statistical sampling (small population)")
        MUS_TWO_PERIOD = "mus_two_period", _("Monetary unit sampling in two periods of the year")

    population = models.ForeignKey(AuditPopulation, on_delete=models.PROTECT, related_name="samples")
    method = models.CharField(max_length=20, choices=Method.choices)
    category = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="the system audits' category (1-4) the confidence level comes from"
    )
    confidence = models.PositiveSmallIntegerField()
    sigma = models.DecimalField(
        max_digits=18, decimal_places=6, help_text="anticipated standard deviation (σr or σe)"
    )
    anticipated_error = money_field()
    tolerable_error = money_field()
    seed = models.BigIntegerField()
    size = models.PositiveIntegerField(help_text="units to audit, the 100 % stratum included")
    sampled_size = models.PositiveIntegerField(help_text="selection points of the sampled part")
    sampled_value = money_field(help_text="book value of the sampled part (BV_s)")
    strata_values = models.JSONField(default=dict, help_text="stratified MUS: BV_s per stratum")
    strata_sigmas = models.JSONField(default=dict, help_text="stratified MUS: σr per stratum")
    cutoff = money_field(default=0)
    interval = models.DecimalField(max_digits=24, decimal_places=6, default=0)
    start = models.DecimalField(max_digits=24, decimal_places=6, default=0)
    working = models.JSONField(default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    systemic_extent = money_field(null=True, blank=True)
    corrections = money_field(default=0, help_text="financial corrections applied for the year")
    projection = models.JSONField(default=dict, help_text="the figures and working of the last projection")
    projected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    projected_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["population", "-pk"]

    def __str__(self) -> str:
        return f"{self.population} · {self.get_method_display()} · {self.pk}"


class SamplingPlan(models.Model):
    """MUS in two periods of one accounting year (guidance section 6.3.3): period 1 is sampled from
    the payment applications submitted on or before the cut-off date, with period 2's book value and
    σr entered as forecasts; n is split between the periods in proportion to book value. Period 2 is
    sampled later from the applications submitted after period 1's (n2 recomputed with the actual
    BV2), and the projection combines both periods as strata. Each period is an `AuditPopulation`
    (`plan`, `period`) with its `Sample` (method `mus_two_period`)."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="the accounting year, by its last year")
    unit_kind = models.CharField(max_length=10, choices=AuditPopulation.UnitKind.choices)
    cutoff_date = models.DateField(help_text="period 1: payment applications submitted on or before it")
    category = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence = models.PositiveSmallIntegerField()
    sigma_r1 = models.DecimalField(max_digits=18, decimal_places=6, help_text="σr of period 1")
    sigma_r2 = models.DecimalField(max_digits=18, decimal_places=6, help_text="σr of period 2 (forecast)")
    bv2_forecast = money_field(help_text="the forecast book value of period 2")
    anticipated_error = money_field()
    tolerable_error = money_field(help_text="planned: 2 % × (BV1 + forecast BV2)")
    size = models.PositiveIntegerField(help_text="n planned for the year")
    size1 = models.PositiveIntegerField(help_text="n1: selection points of period 1")
    size2 = models.PositiveIntegerField(help_text="n2 planned (recomputed when period 2 is drawn)")
    working = models.JSONField(default=list, help_text="the plan's working: σw, n and its split")
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField(auto_now_add=True)
    systemic_extent = money_field(null=True, blank=True)
    corrections = money_field(default=0, help_text="financial corrections applied for the year")
    projection = models.JSONField(default=dict, help_text="the combined projection of both periods")
    projected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    projected_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme", "-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme.cci} {self.year} · {self.pk}"


class SampledItem(models.Model):
    class Stratum(models.TextChoices):
        HIGH = "high", _("high-value stratum, audited in full")
        SAMPLE = "sample", _("sampled")

    class ErrorKind(models.TextChoices):
        NONE = "", _("no error")
        RANDOM = "random", _("random")
        SYSTEMIC = "systemic", _("systemic")
        ANOMALOUS = "anomalous", _("anomalous")

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="items")
    unit = models.ForeignKey(PopulationUnit, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    stratum = models.CharField(max_length=10, choices=Stratum.choices)
    hits = models.PositiveIntegerField(default=1)
    book_value = money_field()
    audited = models.BooleanField(default=False)
    audited_value = money_field(null=True, blank=True)
    irregular = money_field(default=0)
    error_kind = models.CharField(max_length=10, choices=ErrorKind.choices, blank=True)
    justification = models.TextField(blank=True, help_text="why an anomalous error is unique")
    auditee_reply = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "unit"], name="sampled_item_once"),
            models.CheckConstraint(condition=Q(irregular__gte=0), name="sampled_item_irregular_not_negative"),
            models.CheckConstraint(
                condition=~Q(error_kind="anomalous") | ~Q(justification=""),
                name="sampled_item_anomalous_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sample_id} · {self.unit.key}"


class ItemDocument(models.Model):
    item = models.ForeignKey(SampledItem, on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="audit-documents/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.name


class Subsample(models.Model):
    """A sub-sample of the expenditure lines behind a sampled item (an operation or a payment claim
    made of many lines; guidance section 7): m = min(M, 30) lines drawn at random from the recorded
    seed, frozen; each audited, and the item's error projected from them (ratio estimator,
    `rules.projection.subsample`)."""

    item = models.OneToOneField(SampledItem, on_delete=models.PROTECT, related_name="subsample")
    seed = models.BigIntegerField()
    lines = models.PositiveIntegerField(help_text="M: the expenditure lines behind the item")
    size = models.PositiveIntegerField(help_text="m: the lines drawn")
    lines_value = money_field(help_text="Σ of the eligible amounts of the M lines")
    working = models.JSONField(default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    error = money_field(null=True, blank=True, help_text="the item's error projected from the sub-sample")
    projection = models.JSONField(default=list, help_text="the working of the projected error")
    projected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    projected_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["item"]

    def __str__(self) -> str:
        return f"{self.item} · {self.size}/{self.lines}"


class SubsampledLine(models.Model):
    subsample = models.ForeignKey(Subsample, on_delete=models.PROTECT, related_name="picked")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=60, help_text="verification and line position, the order drawn from")
    line = models.ForeignKey(
        "reporting.ExpenditureLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=300, blank=True)
    book_value = money_field(help_text="the line's eligible amount after the management verification")
    audited = models.BooleanField(default=False)
    audited_value = money_field(null=True, blank=True)
    error = money_field(default=0)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["subsample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["subsample", "key"], name="subsampled_line_once"),
            models.CheckConstraint(condition=Q(error__gte=0), name="subsampled_line_error_not_negative"),
        ]

    def __str__(self) -> str:
        return self.key
