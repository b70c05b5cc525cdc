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


class CheckSelection(models.Model):
    """A year's documented selection of projects for on-the-spot checks: the weights the authority
    set, the data each project was scored on (kept, so the selection can be re-run and checked), the
    seed of the random part, the sample and its coverage (verification.sampling)."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    weights = models.JSONField(help_text="factor -> weight as a decimal string")
    risk_count = models.PositiveSmallIntegerField()
    random_count = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    candidates = models.JSONField(
        help_text="the data scored: [{reference, eu_contribution, factors, closed, ...}]"
    )
    risk_based = models.JSONField(default=list)
    random_part = models.JSONField(default=list)
    scores = models.JSONField(default=dict)
    coverage = models.JSONField(default=dict)
    method = models.TextField(help_text="how the selection was made, in words, for the audit trail")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}"


class OnTheSpotCheck(models.Model):
    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("financial")
        OPERATIONAL = "operational", _("operational")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        VISITED = "visited", _("visited, findings recorded")
        CLOSED = "closed", _("closed")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="spot_checks")
    selection = models.ForeignKey(
        CheckSelection, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField()
    announced = models.BooleanField(default=True)
    visited_on = models.DateField(null=True, blank=True)
    team = models.JSONField(default=list, help_text="names of the people who visited")
    checklist = models.JSONField(default=dict)
    summary = models.TextField(blank=True)
    beneficiary_reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project.reference} {self.kind} check {self.planned_on}"


class CheckDocument(models.Model):
    """A photo or document of a visit, with its SHA-256."""

    check_visit = models.ForeignKey(OnTheSpotCheck, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="spot-checks/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["check_visit", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Finding(models.Model):
    """What a verification or an on-the-spot check found, its recommendation and its follow-up to
    closure; corrections and irregularities keep the link to the finding that caused them."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        MAJOR = "major", _("major")
        SYSTEMIC = "systemic", _("systemic")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="findings")
    spot_check = models.ForeignKey(
        OnTheSpotCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    verification = models.ForeignKey(
        Verification, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    text = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MINOR)
    amount_at_stake = money_field(null=True, blank=True)
    recommendation = models.TextField(blank=True)
    beneficiary_reply = models.TextField(blank=True, help_text="the beneficiary's reply to this finding")
    follow_up = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project.reference} finding {self.pk}"


class FinancialCorrection(models.Model):
    """An amount of verified expenditure taken back after a finding, on a line or on a category of
    the project: it lowers what can be paid and shows in the project's financial picture."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="corrections")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="corrections")
    line = models.ForeignKey(
        "reporting.ExpenditureLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    category = models.CharField(max_length=20)
    amount = money_field(help_text="eligible expenditure taken back (positive)")
    eu_amount = money_field(help_text="its EU share at the agreement's rate")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="correction_positive")]

    def __str__(self) -> str:
        return f"{self.project.reference} correction {self.amount}"


class Irregularity(models.Model):
    class Status(models.TextChoices):
        SUSPECTED = "suspected", _("suspected")
        ESTABLISHED = "established", _("established")
        CLOSED = "closed", _("closed")

    class Type(models.TextChoices):
        ELIGIBILITY = "eligibility", _("ineligible expenditure")
        PROCUREMENT = "procurement", _("public procurement")
        DOCUMENTS = "documents", _("missing or false documents")
        DOUBLE_FUNDING = "double_funding", _("double funding")
        FRAUD = "fraud", _("suspected fraud")
        OTHER = "other", _("other")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="irregularities")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="irregularities")
    type = models.CharField(max_length=20, choices=Type.choices)
    amount = money_field()
    detected_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUSPECTED)
    description = models.TextField()
    not_confirmed = models.BooleanField(
        default=False, help_text="closed while only suspected: the suspicion was not confirmed"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "detected_on", "pk"]
        verbose_name_plural = "irregularities"

    def __str__(self) -> str:
        return f"{self.project.reference} irregularity {self.amount}"


class IrregularityEvent(models.Model):
    """One step of an irregularity's life: recorded, established, closed (or closed as not
    confirmed), with who, when and why."""

    irregularity = models.ForeignKey(Irregularity, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=Irregularity.Status.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["irregularity", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.irregularity_id}: {self.from_status or '-'} -> {self.to_status}"
