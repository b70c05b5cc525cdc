"""Evaluations of a programme: the evaluation plan, each evaluation with its questions, evaluator,
dates and report, and the recommendations followed up to closure (issue 17, section 4).

2014-2020: Reg. (EU) No 514/2014 Art. 56-57 (an interim evaluation report by 31 December 2017, an
ex-post one by 31 December 2023). 2021-2027: Reg. (EU) 2021/1060 Art. 44 (evaluations against the
five criteria, an evaluation plan submitted to the Monitoring Committee within a year of the
programme decision, evaluations published) and Reg. (EU) 2021/1147 Art. 34. The dates and articles
are data in `rules.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EvaluationPlan(models.Model):
    """A programme's evaluation plan: drafted by the responsible authority, submitted to the
    Monitoring Committee, approved by it (the date of its approval recorded)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted to the Monitoring Committee")
        APPROVED = "approved", _("approved by the Monitoring Committee")

    programme = models.OneToOneField(
        "programme.Programme", on_delete=models.PROTECT, related_name="evaluation_plan"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True, help_text="the Monitoring Committee's approval")
    approval_reference = models.CharField(max_length=200, blank=True, help_text="the meeting or decision")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme__cci"]

    def __str__(self) -> str:
        return f"{self.programme.cci} evaluation plan"


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("interim evaluation")
        MID_TERM = "mid_term", _("mid-term evaluation")
        EX_POST = "ex_post", _("ex-post evaluation")
        RETROSPECTIVE = "retrospective", _("retrospective evaluation")
        THEMATIC = "thematic", _("thematic evaluation")
        IMPACT = "impact", _("impact evaluation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DELIVERED = "delivered", _("report delivered")
        PUBLISHED = "published", _("published")

    class EvaluatorType(models.TextChoices):
        INTERNAL = "internal", _("internal (inside the administration, outside the authority)")
        EXTERNAL = "external", _("external")

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    title = models.CharField(max_length=200)
    subject = models.TextField(blank=True)
    specific_objectives = models.JSONField(default=list, help_text="codes of the specific objectives covered")
    evaluator_type = models.CharField(max_length=10, choices=EvaluatorType.choices)
    evaluator = models.CharField(max_length=200, help_text="the unit, expert or firm evaluating")
    planned_start = models.DateField()
    planned_end = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    due_basis = models.CharField(max_length=200, blank=True, help_text="the article that sets the due date")
    started_on = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "planned_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_start__lte=models.F("planned_end")), name="evaluation_planned_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.programme.cci} {self.title}"


class EvaluationQuestion(models.Model):
    class Criterion(models.TextChoices):
        EFFECTIVENESS = "effectiveness", _("effectiveness")
        EFFICIENCY = "efficiency", _("efficiency")
        RELEVANCE = "relevance", _("relevance")
        COHERENCE = "coherence", _("coherence")
        EU_ADDED_VALUE = "eu_added_value", _("EU added value")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    criterion = models.CharField(max_length=15, choices=Criterion.choices)

    class Meta:
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="unique_evaluation_question")
        ]

    def __str__(self) -> str:
        return f"Q{self.number}"


class EvaluationReport(models.Model):
    """The evaluation's report, uploaded with its SHA-256 (`core.uploads`); a newer upload replaces
    it while the evaluation is open, the earlier ones are kept."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reports")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="evaluations/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.Model):
    """A recommendation of an evaluation, the authority's response and its follow-up to closure."""

    class Priority(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    class Response(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        REJECTED = "rejected", _("rejected")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        IMPLEMENTED = "implemented", _("implemented")
        CLOSED = "closed", _("closed")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    addressed_to = models.CharField(max_length=200)
    priority = models.CharField(max_length=6, choices=Priority.choices, default=Priority.MEDIUM)
    response = models.CharField(max_length=10, choices=Response.choices, blank=True)
    response_reason = models.TextField(blank=True)
    planned_action = models.TextField(blank=True)
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closing_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="unique_recommendation_number")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} recommendation {self.number}"


class RecommendationEvent(models.Model):
    """One step of a recommendation's follow-up: recorded, the authority's response, in progress,
    implemented or closed, with who, when and the note."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        RESPONSE = "response", _("response")
        STATUS = "status", _("status")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=Recommendation.Status.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.from_status or '-'} -> {self.to_status}"
