"""Writes about people: accounts, roles, conflicts of interest, duties, API tokens, and the four-eyes
removal of someone's second factor. One transaction each."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone

from amis.accounts.models import (
    ApiToken,
    ConflictOfInterestDeclaration,
    DutyRecord,
    RoleAssignment,
    SecondFactorReset,
    User,
)
from amis.accounts.permissions import require
from amis.accounts.roles import AUDIT_SIDE, BENEFICIARY_SIDE, MANAGEMENT_SIDE, ORGANISATION_SCOPED, Role
from amis.accounts.sod import Duty, conflict, conflict_of_interest
from amis.core import audit
from amis.core.errors import ApplicationError, ForbiddenError
from amis.core.transactions import atomic, lock_for_update


class SegregationOfDutiesError(ForbiddenError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="segregation_of_duties")


def _user_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
    }


@atomic
def user_create(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> User:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(f"'{email}' is not a valid e-mail address.") from exc
    if User.objects.filter(email=email).exists():
        raise ApplicationError(f"A person with the e-mail address {email} already exists.")
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ApplicationError("The password is too weak: " + " ".join(exc.messages)) from exc
    user = User.objects.create_user(email, password, first_name=first_name, last_name=last_name)
    _mark_email_verified(user)
    audit.record(actor=actor, actor_label=actor_label, action="create", obj=user, after=_user_data(user))
    return user


def _mark_email_verified(user: User) -> None:
    """Accounts created by an authority officer (not self-registered) start with a verified address."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _assignment_data(a: RoleAssignment) -> dict[str, Any]:
    return {
        "user": a.user.email,
        "role": a.role,
        "organisation": a.organisation_id,
        "programme": a.programme_id,
        "specific_objective": a.specific_objective,
        "national_objective": a.national_objective,
        "action_scope": a.action_scope,
    }


@atomic
def role_assign(
    *,
    user: User,
    role: str,
    organisation: Any = None,
    programme: Any = None,
    specific_objective: str = "",
    national_objective: str = "",
    action_scope: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> RoleAssignment:
    role = Role(role)
    lock_for_update(User.objects).get(pk=user.pk)  # one role change at a time per person
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise SegregationOfDutiesError("Nobody can give a role to themselves; another manager must do it.")
    held = set(user.role_assignments.filter(revoked_at__isnull=True).values_list("role", flat=True))
    for side_a, side_b, why in (
        (
            AUDIT_SIDE,
            MANAGEMENT_SIDE,
            "The audit authority is independent: one person cannot audit and manage.",
        ),
        (
            BENEFICIARY_SIDE,
            MANAGEMENT_SIDE | AUDIT_SIDE,
            "A beneficiary's staff cannot act for an authority.",
        ),
    ):
        if (role in side_a and held & set(side_b)) or (role in side_b and held & set(side_a)):
            raise SegregationOfDutiesError(why)
    if role in ORGANISATION_SCOPED and organisation is None:
        raise ApplicationError(f"The role '{role.label}' must name the organisation the person acts for.")
    if organisation is not None:
        if role == Role.BENEFICIARY and not organisation.is_beneficiary:
            raise ApplicationError(f"{organisation} is an authority, not a beneficiary.")
        if role != Role.BENEFICIARY and not organisation.is_authority:
            raise ApplicationError(
                f"{organisation} is not an authority; the role '{role.label}' acts for one."
            )
        if role == Role.AUDITOR and organisation.kind != "audit_authority":
            raise ApplicationError("An auditor acts for the audit authority.")
    if RoleAssignment.objects.filter(
        user=user,
        role=role,
        organisation=organisation,
        programme=programme,
        specific_objective=specific_objective,
        national_objective=national_objective,
        action_scope=action_scope,
        revoked_at__isnull=True,
    ).exists():
        raise ApplicationError(f"{user} already has this role.")
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        organisation=organisation,
        programme=programme,
        specific_objective=specific_objective,
        national_objective=national_objective,
        action_scope=action_scope,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        actor_label=actor_label,
        action="create",
        obj=assignment,
        after=_assignment_data(assignment),
    )
    return assignment


@atomic
def role_revoke(*, assignment: RoleAssignment, actor: Any = None, actor_label: str = "") -> RoleAssignment:
    current = lock_for_update(RoleAssignment.objects).get(pk=assignment.pk)
    if current.revoked_at is not None:
        raise ApplicationError("This role was already taken away.")
    if actor is not None and getattr(actor, "pk", None) == current.user_id:
        raise SegregationOfDutiesError("Nobody can change their own roles; another manager must do it.")
    current.revoked_at = timezone.now()
    current.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    current.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor, actor_label=actor_label, action="delete", obj=current, before=_assignment_data(current)
    )
    return current


@atomic
def conflict_of_interest_declare(
    *, user: User, organisation: Any, reason: str
) -> ConflictOfInterestDeclaration:
    if not reason.strip():
        raise ApplicationError("Say in a few words why there is a conflict of interest.")
    declaration, created = ConflictOfInterestDeclaration.objects.get_or_create(
        user=user, organisation=organisation, defaults={"reason": reason.strip()}
    )
    if not created:
        raise ApplicationError(f"You already declared a conflict of interest with {organisation}.")
    audit.record(
        actor=user,
        action="create",
        obj=declaration,
        after={"organisation": organisation.pk, "reason": reason},
    )
    return declaration


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label, str(obj.pk)


def ensure_duty_allowed(*, user: Any, duty: Duty, obj: models.Model, organisation: Any = None) -> None:
    """Raise SegregationOfDutiesError (with the reason) if `user` may not perform `duty` on `obj`."""
    if not getattr(user, "is_authenticated", False):
        return  # commands run by the system act for nobody in particular
    object_type, object_id = _key(obj)
    done = [
        Duty(d)
        for d in DutyRecord.objects.filter(
            user=user, object_type=object_type, object_id=object_id
        ).values_list("duty", flat=True)
    ]
    reason = conflict(duty, done)
    if reason is None and organisation is not None:
        declared = ConflictOfInterestDeclaration.objects.filter(user=user, organisation=organisation).exists()
        reason = conflict_of_interest(duty, declared)
    if reason:
        audit.record_security_event(
            user=user, event="permission_refused", obj=obj, detail={"duty": duty.value, "reason": reason}
        )
        raise SegregationOfDutiesError(reason)


def duty_record(*, user: Any, duty: Duty, obj: models.Model) -> None:
    """Remember that `user` performed `duty` on `obj`; call inside the service's transaction."""
    if getattr(user, "is_authenticated", False):
        object_type, object_id = _key(obj)
        DutyRecord.objects.create(user=user, duty=duty.value, object_type=object_type, object_id=object_id)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@atomic
def token_create(*, user: User, name: str, scope: str = "read", days: int = 90) -> tuple[ApiToken, str]:
    """Returns the token and its secret, which is shown once and never stored."""
    if not name.strip():
        raise ApplicationError("Give the token a name that says what uses it.")
    if not 1 <= days <= 365:
        raise ApplicationError("A token lives between 1 and 365 days.")
    if scope not in ApiToken.Scope.values:
        raise ApplicationError(f"Unknown scope '{scope}'.")
    prefix = secrets.token_hex(4)
    secret = f"amis_{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        key_hash=_hash(secret),
        scope=scope,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit.record(
        actor=user,
        action="create",
        obj=token,
        after={"name": token.name, "scope": scope, "expires_at": token.expires_at.isoformat()},
    )
    return token, secret


@atomic
def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    current = lock_for_update(ApiToken.objects).get(pk=token.pk)
    if current.user_id != actor.pk:
        raise ApplicationError("You can only revoke your own tokens.")
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor, action="update", obj=current, after={"revoked_at": current.revoked_at.isoformat()}
        )
    return current


def token_authenticate(secret: str) -> tuple[User, ApiToken] | None:
    """The user behind a usable token, or None. Compares hashes in constant time."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "amis":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not token.usable or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.key_hash, _hash(secret)):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user, token


def ensure_second_person(*, requested_by_id: Any, actor: Any, message: str) -> None:
    """Four eyes: whoever asked for a change cannot also confirm it (a new bank account, a new legal
    name, the removal of someone's second factor). Raises a refusal (403) with `message`."""
    if requested_by_id is not None and requested_by_id == getattr(actor, "pk", None):
        raise ForbiddenError(message)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def second_factor_reset_request(*, user: User, actor: Any, reason: str) -> SecondFactorReset:
    """Ask for someone else's second factor to be removed (a lost phone); another manager confirms.

    The permission is checked before the transaction, so a refusal stays in the audit trail.
    """
    require(actor, "role.assign", user)
    return _second_factor_reset_request(user=user, actor=actor, reason=reason)


@atomic
def _second_factor_reset_request(*, user: User, actor: Any, reason: str) -> SecondFactorReset:
    from allauth.mfa.models import Authenticator

    lock_for_update(User.objects).get(pk=user.pk)  # one request at a time per person
    if getattr(actor, "pk", None) == user.pk:
        raise ApplicationError(
            "Your own second factor is changed on your account page, not through a reset.", code="forbidden"
        )
    if not _text(reason):
        raise ApplicationError("Say why the second factor must be removed; the confirming manager reads it.")
    if not Authenticator.objects.filter(user=user).exists():
        raise ApplicationError(f"{user.email} has no second factor to remove.")
    if SecondFactorReset.objects.filter(user=user, status=SecondFactorReset.Status.PENDING).exists():
        raise ApplicationError(f"A reset of the second factor of {user.email} already awaits confirmation.")
    reset = SecondFactorReset.objects.create(user=user, reason=_text(reason), requested_by=actor)
    audit.record(actor=actor, action="create", obj=reset, after={"user": user.email, "reason": reset.reason})
    return reset


def second_factor_reset_decide(
    *, reset: SecondFactorReset, actor: Any, approve: bool, reason: str = ""
) -> SecondFactorReset:
    """Confirm or refuse a reset asked by another manager.

    On confirmation the person's authenticators (TOTP and recovery codes) are deleted, their API
    tokens revoked and their password made unusable, which also ends their open sessions. So until
    they have chosen a new password through the reset code sent to their e-mail address and enrolled
    a new authenticator (`RequireTwoFactorMiddleware` sends them there), they cannot act at all, and
    a stolen password alone is not enough to enrol an attacker's authenticator.
    """
    require(actor, "role.assign", reset.user)
    return _second_factor_reset_decide(reset=reset, actor=actor, approve=approve, reason=reason)


@atomic
def _second_factor_reset_decide(
    *, reset: SecondFactorReset, actor: Any, approve: bool, reason: str
) -> SecondFactorReset:
    current = lock_for_update(SecondFactorReset.objects.select_related("user")).get(pk=reset.pk)
    if current.status != SecondFactorReset.Status.PENDING:
        raise ApplicationError("This reset of a second factor is not awaiting confirmation any more.")
    ensure_second_person(
        requested_by_id=current.requested_by_id,
        actor=actor,
        message="You asked for this reset yourself; another manager must confirm it.",
    )
    if getattr(actor, "pk", None) == current.user_id:
        raise ApplicationError("Nobody confirms the removal of their own second factor.", code="forbidden")
    if not approve and not _text(reason):
        raise ApplicationError("Say why the reset is refused; the manager who asked reads it.")
    removed = _remove_second_factor(current.user) if approve else {}
    current.status = SecondFactorReset.Status.CONFIRMED if approve else SecondFactorReset.Status.REFUSED
    current.decided_by, current.decided_at = actor, timezone.now()
    current.decision_reason = _text(reason)
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": SecondFactorReset.Status.PENDING},
        after={"status": current.status, "user": current.user.email, "reason": current.decision_reason}
        | removed,
    )
    return current


def _remove_second_factor(user: User) -> dict[str, Any]:
    from allauth.mfa.models import Authenticator

    authenticators = Authenticator.objects.filter(user=user)
    kinds = sorted(authenticators.values_list("type", flat=True))
    authenticators.delete()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return {"authenticators_removed": kinds, "api_tokens_revoked": tokens, "password": "unusable"}
