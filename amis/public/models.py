"""What the public website and the list of operations need beyond the projects themselves (issue 18).

The list of operations is a legal obligation: for 2014-2020, Reg. (EU) No 514/2014 Art. 53 and
Del. Reg. (EU) No 1048/2014 (beneficiary, project name, EU amount, updated at least once a year);
for 2021-2027, Reg. (EU) 2021/1060 (CPR) Art. 49(3) and Annex XVII (one unique code per operation,
beneficiary, name, purpose, dates, total cost, EU contribution and rate, fund, specific objective,
type of intervention, location; updated at least every four months). Natural persons are never named
(CPR Art. 49(3)). An operation may be withheld from publication (CPR Art. 49(3), last subparagraph:
security, public order, criminal investigation, personal data); `PublicationExclusion` records that
decision with four eyes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublicationDetails(models.Model):
    """What the public list says about one operation that the project itself does not record: where
    it takes place and whether its beneficiary is a natural person.

    Why a model here, keyed by the project, and not fields on `projects.Project`: the location and
    the natural-person flag serve publication only (CPR Annex XVII), they are kept by the
    responsible authority after the agreement is signed, and no grant, report or payment reads them.
    Keeping them in `amis.public` leaves the projects app, its forms and its migrations as they are,
    and puts everything the public sees in one app above the stages it reads (docs/architecture.md).
    A project without a row has no location yet; the list shows it without one.

    Natural persons: no `Organisation.Kind` is a natural person today (every kind is an authority or
    a body: local, state, NGO, international, Red Cross, other partner), so the kind alone never
    marks one (`rules.NATURAL_PERSON_KINDS` is empty and is where such a kind would be added). A
    beneficiary that is nevertheless a person (a sole trader registered as "partner (other)") is
    marked here with `beneficiary_is_natural_person`, and is then never named in any public output
    nor found by a search on beneficiary."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="publication_details"
    )
    postcode = models.CharField(max_length=10, blank=True)
    municipality = models.CharField(max_length=100, blank=True)
    nuts_code = models.CharField(
        max_length=5, blank=True, help_text="NUTS 2021 code, e.g. BE211 (up to level 3)"
    )
    country_wide = models.BooleanField(
        default=False, help_text="a mobile operation or one covering the whole country"
    )
    location_note = models.CharField(max_length=300, blank=True)
    beneficiary_is_natural_person = models.BooleanField(default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "publication details"
        indexes = [models.Index(fields=["municipality"], name="public_details_municipality")]

    def __str__(self) -> str:
        return f"{self.project_id}"


class PublicationExclusion(models.Model):
    """An operation withheld from publication, with the reason, decided with four eyes.

    Life: proposed (by an officer of the responsible authority, with the reason and an explanation)
    → approved (by another person: never the proposer) ; or withdrawn at either stage (with the
    reason: the approver's refusal of a proposal, or the lifting of an approved exclusion).
    A proposed exclusion already withholds the operation: publishing it while the second person
    decides could cause the very harm the exclusion prevents, and a withdrawal publishes it again
    at the next read. One exclusion in force (proposed or approved) per project."""

    class Reason(models.TextChoices):
        SECURITY = "security", _("security")
        PUBLIC_ORDER = "public_order", _("public order")
        CRIMINAL_INVESTIGATION = "criminal_investigation", _("criminal investigation")
        PERSONAL_DATA = "personal_data", _("protection of personal data")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed, awaiting a second person")
        APPROVED = "approved", _("approved")
        WITHDRAWN = "withdrawn", _("withdrawn")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="publication_exclusions"
    )
    reason = models.CharField(max_length=25, choices=Reason.choices)
    text = models.TextField(help_text="why, for the record (never published)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=["proposed", "approved"]),
                name="one_exclusion_in_force_per_project",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="exclusion_approved_by_another_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.reason} ({self.status})"

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


IN_FORCE = (PublicationExclusion.Status.PROPOSED, PublicationExclusion.Status.APPROVED)


class Publication(models.Model):
    """One publication of the list of operations (CPR Art. 49(3): updated at least every four months;
    Del. Reg. (EU) No 1048/2014: once a year for 2014-2020), frozen as it was published.

    Made by `services.publish`, on the schedule (`triggered_by` empty: the task queue) or on demand by
    an officer of the responsible authority. The list is built, validated (the Kohesio rules, the
    JSON against its schema and the XML against its XSD, no withheld operation and no natural person
    named) and then either frozen — its files (`PublicationFile`), row count and checksum — or
    recorded as refused with the reasons, which the officers see on the publications page. Never
    changed afterwards. `digests` keeps one SHA-256 per operation code so the next publication says
    what was added, removed or changed (`changes`)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        REFUSED = "refused", _("refused")

    programme = models.ForeignKey(
        "programme.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: every programme with an adopted version
    published_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    row_count = models.PositiveIntegerField(default=0)
    checksum = models.CharField(max_length=64, blank=True)  # SHA-256 of the JSON file
    refusal_reasons = models.JSONField(default=list, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the schedule
    digests = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # added, removed, changed: lists of codes
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="public_publication_status")]

    def __str__(self) -> str:
        return f"publication {self.pk} ({self.status})"


class PublicationRequest(models.Model):
    """An officer's request to publish the list now (`publication.publish`), built by the task queue
    (`tasks.publish_requested_list`): queued, then building (with its progress, rows done of rows
    total, written outside the build's transaction so the publications page sees it), then done —
    its `publication` is the frozen or refused `Publication` — or failed (the build raised: a
    refused `Publication` records the error; or it did not move for
    `settings.AMIS_PUBLICATION_BUILD_TIMEOUT_MINUTES` and was given up, so it may be requested again).

    A separate model, not more statuses on `Publication`: a `Publication` stays what it always was,
    a list frozen or refused and never changed afterwards, and every public query of publications is
    left as it was (docs/public-face.md). One request at most is queued or building per scope (a
    programme's CCI, or `all`)."""

    ALL = "all"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("being built")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scope = models.CharField(max_length=40)  # the programme's CCI, or "all"
    programme = models.ForeignKey(
        "programme.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    touched_at = models.DateTimeField()  # the last sign of life: requested, started, progress written
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")  # for the messages of the build
    error = models.TextField(blank=True)
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope"],
                condition=Q(status__in=["queued", "building"]),
                name="one_publication_request_running_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"publication request {self.pk} {self.scope} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class PublicationFile(models.Model):
    """One format of a frozen publication, its bytes kept in the database (docs/public-face.md: in the
    same transaction as the publication, so a rolled-back publication leaves no file behind, and in
    every database backup)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"
        XML = "xml", "XML"
        KOHESIO = "kohesio.csv", _("Kohesio CSV")

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=12, choices=Format.choices)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["publication", "format"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="one_file_per_format"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id}.{self.format}"


class OperationStamp(models.Model):
    """When anything the public sees of one operation last changed (`published_changed_at`), for the
    open-data API's `updated_since` (harvesters) and the HTTP validators of the list (ETag,
    Last-Modified).

    Maintained by `amis.public.stamps` from the saves of everything a published row reads: the
    project, its application (name, purpose), its agreement and agreement versions (signed or not),
    its call (specific objective, type of intervention), its programme's versions (once adopted),
    its beneficiary (name), its `PublicationDetails`, an exclusion proposed, approved or withdrawn,
    its closure and accepted reports (achievements). The time is taken after the change commits, so a
    harvester that asks `updated_since` the time of its previous harvest cannot miss a change that
    was still uncommitted when it harvested (docs/public-face.md). Every project has a row (created
    with the project; the migration gave one to every project that existed). A withheld operation's
    stamp moves too, but the row is never shown: it only changes the list's validator."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="publication_stamp"
    )
    published_changed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.project_id} {self.published_changed_at:%Y-%m-%d %H:%M:%S}"
