"""People, their scoped roles, conflict-of-interest declarations, duties performed, and API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amis.accounts.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person; they log in with their e-mail address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(max_length=2, default="en", choices=settings.LANGUAGES)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]
    objects = UserManager()  # type: ignore[misc, assignment]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class RoleAssignment(models.Model):
    """A role held by a person, for an organisation and optionally a part of a programme.

    The scope fields narrow what a delegated authority officer or assessor acts on: e.g. the ESF
    agency of Flanders on programme 2014BE65AMNP001, SO2, NO2, actions scoped 'FL'.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    programme = models.ForeignKey("programme.Programme", null=True, blank=True, on_delete=models.PROTECT)
    specific_objective = models.CharField(max_length=10, blank=True)
    national_objective = models.CharField(max_length=10, blank=True)
    action_scope = models.CharField(max_length=40, blank=True, help_text="e.g. FL, FR, GSC, federal")
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        scope = "/".join(
            p for p in (self.specific_objective, self.national_objective, self.action_scope) if p
        )
        where = f" @ {self.organisation}" if self.organisation_id else ""
        return f"{self.get_role_display()}{where}{' [' + scope + ']' if scope else ''}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ConflictOfInterestDeclaration(models.Model):
    """A person declares a conflict with an organisation: they may not assess or verify its files."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="conflicts_of_interest")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_coi_per_org")]

    def __str__(self) -> str:
        return f"{self.user} x {self.organisation}"


class DutyRecord(models.Model):
    """Who performed which duty on which object: the memory segregation of duties is checked against."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="duties")
    duty = models.CharField(max_length=30)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} {self.duty} {self.object_type}#{self.object_id}"


class ApiToken(models.Model):
    """A personal token for system-to-system use: scoped, revocable, expiring; only its hash is stored."""

    class Scope(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SecondFactorReset(models.Model):
    """Someone else's second factor removed: asked by one manager, confirmed by another.

    Neither the Django admin nor one person alone can strip a second factor: that and the person's
    password would be all an attacker needs to enrol their own authenticator. Once confirmed, the
    person re-enrols through a password reset by e-mail (`services.second_factor_reset_decide`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_resets")
    reason = models.TextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_second_factor_reset"
            )
        ]

    def __str__(self) -> str:
        return f"Second factor reset of {self.user.email}"
