"""Writes about organisations and their contact persons.

Each write is one transaction with its audit entry inside it, so a refused or failed change leaves
neither data nor trail behind. Every field problem is collected into one `ApplicationError` whose
`extra["fields"]` maps field names to messages, so a form can show each message beside its field.
Who may call what is checked by the pages and the API (`amis.accounts.permissions.require`); the
rules here hold whoever calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from amis.accounts.permissions import active_roles, require
from amis.accounts.roles import AUDIT_SIDE, MANAGEMENT_SIDE, Role
from amis.accounts.services import duty_record, ensure_duty_allowed, ensure_second_person, role_assign
from amis.accounts.sod import Duty
from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.transactions import atomic, lock_for_update
from amis.organisations import identifiers
from amis.organisations.changes import BANK, HELD_CHANGES, NAME, HeldChange
from amis.organisations.models import AUTHORITY_KINDS, BENEFICIARY_KINDS, ContactPerson, Organisation

FIELD_LABELS = {
    "kind": "Type of organisation",
    "name": "Name",
    "short_name": "Short name",
    "enterprise_number": "Enterprise number (KBO/BCE)",
    "vat_number": "VAT number",
    "street": "Street and number",
    "postcode": "Postcode",
    "city": "City",
    "country": "Country",
    "email": "E-mail address",
    "iban": "IBAN",
    "bic": "BIC",
}
FIELDS = tuple(FIELD_LABELS)
CONTACT_LABELS = {"name": "Name", "function": "Function", "email": "E-mail address", "phone": "Phone"}
# What a registrant adds about themselves as the first contact person (the e-mail is their login).
REGISTRATION_CONTACT_FIELDS = ("contact_name", "contact_function", "contact_phone")
REGISTRATION_LABELS = {
    **FIELD_LABELS,
    **{f"contact_{k}": f"Contact person: {v}" for k, v in CONTACT_LABELS.items()},
}
COUNTRY = re.compile(r"^[A-Z]{2}$")
# VAT numbers use EL for Greece where ISO 3166 says GR.
VAT_PREFIX = {"GR": "EL"}


def field_error(fields: Mapping[str, str], labels: Mapping[str, str] = FIELD_LABELS) -> ApplicationError:
    """One error for all field problems: the message lists them, `extra["fields"]` maps them."""
    lines = "; ".join(f"{labels.get(name, name)}: {message}" for name, message in fields.items())
    return ApplicationError(f"Nothing was saved. {lines}", extra={"fields": dict(fields)})


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _unknown(data: Mapping[str, Any], allowed: tuple[str, ...] | frozenset[str]) -> dict[str, str]:
    return {key: "This field does not exist or cannot be set here." for key in data if key not in allowed}


def _max_length(model: Any, name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def _validated(
    values: dict[str, str], errors: dict[str, str], field: str, check: Callable[[str], str]
) -> None:
    if values[field] and field not in errors:
        try:
            values[field] = check(values[field])
        except ValueError as exc:
            errors[field] = str(exc)


def _country_rules(values: dict[str, str], errors: dict[str, str]) -> None:
    """Belgian organisations are known by their KBO/BCE number, foreign ones by their own VAT number."""
    belgian = values["country"] == "BE"
    if (
        belgian
        and not values["enterprise_number"]
        and values["kind"] != Organisation.Kind.INTERNATIONAL_ORGANISATION
    ):
        errors.setdefault(
            "enterprise_number", "A Belgian organisation needs its enterprise number (KBO/BCE)."
        )
    if values["vat_number"] and "vat_number" not in errors and "country" not in errors:
        prefix = VAT_PREFIX.get(values["country"], values["country"])
        if belgian:
            errors["vat_number"] = (
                "A Belgian organisation is identified by its enterprise number; leave this empty."
            )
        elif values["vat_number"][:2] != prefix:
            errors["vat_number"] = (
                f"A VAT number of an organisation in {values['country']} starts with {prefix}."
            )


def _clean(data: Mapping[str, Any], *, current: Organisation | None, kinds: frozenset[str]) -> dict[str, str]:
    """The organisation's fields after applying `data`, normalised; raises with every problem found."""
    values = (
        {f: getattr(current, f) for f in FIELDS}
        if current
        else {**dict.fromkeys(FIELDS, ""), "country": "BE"}
    )
    values.update({key: _text(value) for key, value in data.items() if key in FIELD_LABELS})
    errors = _unknown(data, FIELDS)
    values["country"] = values["country"].upper()
    values["bic"] = values["bic"].upper()
    if not values["name"]:
        errors["name"] = "The name of the organisation is required."
    if values["kind"] not in kinds:
        errors["kind"] = (
            "Choose one of the types offered." if values["kind"] else "The type of organisation is required."
        )
    if not COUNTRY.match(values["country"]):
        errors["country"] = "Give the two-letter country code (ISO 3166), e.g. BE, NL, FR."
    _validated(values, errors, "enterprise_number", identifiers.enterprise_number)
    _validated(values, errors, "vat_number", identifiers.vat_number)
    _validated(values, errors, "iban", identifiers.iban)
    _validated(values, errors, "bic", identifiers.bic)
    _country_rules(values, errors)
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = f"'{values['email']}' is not a valid e-mail address."
    for name in FIELDS:
        limit = _max_length(Organisation, name)
        if limit and len(values[name]) > limit and name not in errors:
            errors[name] = f"At most {limit} characters."
    errors.update(_duplicates(values, errors, current))
    if errors:
        raise field_error(errors)
    return values


def _duplicates(
    values: dict[str, str], errors: dict[str, str], current: Organisation | None
) -> dict[str, str]:
    """Two organisations never share an identifier; say which one already has it."""
    found = {}
    others = Organisation.objects.exclude(pk=current.pk) if current else Organisation.objects.all()
    number = values["enterprise_number"]
    if number and "enterprise_number" not in errors:
        other = others.filter(enterprise_number=number).first()
        if other:
            found["enterprise_number"] = (
                f"The enterprise number {identifiers.format_enterprise_number(number)} is already registered "
                f"for the organisation '{other.name}'."
            )
    vat = values["vat_number"]
    if vat and "vat_number" not in errors:
        other = others.filter(vat_number=vat).first()
        if other:
            found["vat_number"] = (
                f"The VAT number {vat} is already registered for the organisation '{other.name}'."
            )
    return found


def _save(organisation: Organisation, **kwargs: Any) -> None:
    """A concurrent insert of the same identifier loses on the database constraint; say so clearly."""
    try:
        organisation.save(**kwargs)
    except IntegrityError as exc:
        raise ApplicationError(
            "Another organisation with this enterprise or VAT number was saved at the same time. "
            "Nothing was saved."
        ) from exc


def _snapshot(organisation: Organisation, names: tuple[str, ...] = FIELDS) -> dict[str, Any]:
    return {name: getattr(organisation, name) for name in names}


@atomic
def organisation_create(*, actor: Any, data: Mapping[str, Any]) -> Organisation:
    """An organisation entered by the responsible authority: approved at once, by its creator."""
    values = _clean(data, current=None, kinds=frozenset(Organisation.Kind.values))
    decider = actor if getattr(actor, "is_authenticated", False) else None
    organisation = Organisation(
        **values, status=Organisation.Status.APPROVED, decided_by=decider, decided_at=timezone.now()
    )
    _save(organisation)
    audit.record(
        actor=actor, action="create", obj=organisation, after={**values, "status": organisation.status}
    )
    return organisation


def _clean_contact(data: Mapping[str, Any], prefix: str = "") -> tuple[dict[str, str], dict[str, str]]:
    """(values, errors) of a contact person; error keys carry `prefix` (the registration form's names)."""
    values = {name: _text(data.get(prefix + name)) for name in CONTACT_LABELS}
    errors = {}
    if not values["name"]:
        errors[prefix + "name"] = "The name of the contact person is required."
    if not values["email"]:
        errors[prefix + "email"] = "The e-mail address of the contact person is required."
    else:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors[prefix + "email"] = f"'{values['email']}' is not a valid e-mail address."
    for name in CONTACT_LABELS:
        limit = _max_length(ContactPerson, name)
        if limit and len(values[name]) > limit:
            errors.setdefault(prefix + name, f"At most {limit} characters.")
    return values, errors


@atomic
def organisation_register(*, user: Any, data: Mapping[str, Any]) -> Organisation:
    """Self-registration by a future beneficiary: it waits for the responsible authority's approval.

    The registrant becomes the first contact person and, on approval, a beneficiary user of the
    organisation. Their registration is remembered as a duty so they cannot approve it themselves.
    """
    if not getattr(user, "is_authenticated", False):
        raise ApplicationError("Log in before registering an organisation.")
    if set(active_roles(user)) & (MANAGEMENT_SIDE | AUDIT_SIDE):
        raise ApplicationError(
            "You act for an authority, so you cannot also work for a beneficiary. "
            "Enter the organisation with 'New organisation' instead."
        )
    org_data = {key: value for key, value in data.items() if key not in REGISTRATION_CONTACT_FIELDS}
    contact_data = {
        "contact_name": _text(data.get("contact_name")) or user.get_full_name() or user.email,
        "contact_function": data.get("contact_function"),
        "contact_phone": data.get("contact_phone"),
        "contact_email": user.email,
    }
    contact, errors = _clean_contact(contact_data, prefix="contact_")
    try:
        values = _clean(org_data, current=None, kinds=BENEFICIARY_KINDS)
    except ApplicationError as exc:
        raise field_error({**exc.extra["fields"], **errors}, REGISTRATION_LABELS) from exc
    if errors:
        raise field_error(errors, REGISTRATION_LABELS)
    organisation = Organisation(**values, status=Organisation.Status.PENDING, registered_by=user)
    _save(organisation)
    person = ContactPerson.objects.create(organisation=organisation, **contact)
    audit.record(
        actor=user, action="create", obj=organisation, after={**values, "status": organisation.status}
    )
    audit.record(actor=user, action="create", obj=person, after={"organisation": organisation.pk, **contact})
    duty_record(user=user, duty=Duty.REGISTER, obj=organisation)
    return organisation


def _locked(organisation: Organisation, expected_lock_version: int) -> Organisation:
    current = lock_for_update(Organisation.objects).get(pk=organisation.pk)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(f"Organisation {current.name}")
    return current


def organisation_decide(
    *, organisation: Organisation, actor: Any, approve: bool, reason: str, expected_lock_version: int
) -> Organisation:
    """Approve or reject a pending registration.

    Segregation of duties is checked once before the transaction as well, so that a refusal is
    still written to the security log (a refusal inside the transaction would be rolled back with it).
    """
    ensure_duty_allowed(user=actor, duty=Duty.APPROVE, obj=organisation, organisation=organisation)
    return _decide(
        organisation=organisation,
        actor=actor,
        approve=approve,
        reason=reason,
        expected_lock_version=expected_lock_version,
    )


@atomic
def _decide(
    *, organisation: Organisation, actor: Any, approve: bool, reason: str, expected_lock_version: int
) -> Organisation:
    current = _locked(organisation, expected_lock_version)
    if current.status != Organisation.Status.PENDING:
        raise ApplicationError(
            f"{current.name} is not awaiting approval: it is {current.get_status_display()}."
        )
    reason = _text(reason)
    if not approve and not reason:
        raise field_error(
            {"reason": "Say why the registration is rejected; the registrant will read it."},
            {"reason": "Reason"},
        )
    ensure_duty_allowed(user=actor, duty=Duty.APPROVE, obj=current, organisation=current)
    before = _snapshot(current, ("status", "status_reason"))
    if approve and current.registered_by is not None:
        role_assign(user=current.registered_by, role=Role.BENEFICIARY, organisation=current, actor=actor)
    current.status = Organisation.Status.APPROVED if approve else Organisation.Status.REJECTED
    current.status_reason = reason
    current.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    current.decided_at = timezone.now()
    current.lock_version += 1
    current.save(
        update_fields=["status", "status_reason", "decided_by", "decided_at", "lock_version", "updated_at"]
    )
    duty_record(user=actor, duty=Duty.APPROVE, obj=current)
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before=before,
        after=_snapshot(current, ("status", "status_reason")),
    )
    return current


def _held(current: Organisation, values: dict[str, str], changed: tuple[str, ...]) -> list[HeldChange]:
    """The changes of an approved organisation that must wait (not those already waiting as asked)."""
    if current.status != Organisation.Status.APPROVED:
        return []
    return [
        change
        for change in HELD_CHANGES.values()
        if set(changed) & set(change.fields)
        and tuple(values[name] for name in change.fields) != change.asked_for(current)
    ]


@atomic
def organisation_update(
    *, organisation: Organisation, actor: Any, data: Mapping[str, Any], expected_lock_version: int
) -> Organisation:
    """Change the whitelisted fields (never status or decisions); refused if someone saved in between.

    A new bank account or legal name of an approved organisation is not applied but held (`HeldChange`).
    """
    current = _locked(organisation, expected_lock_version)
    # An organisation does not change sides: beneficiary users must not turn theirs into an authority.
    kinds = AUTHORITY_KINDS if current.is_authority else BENEFICIARY_KINDS
    values = _clean(data, current=current, kinds=frozenset(kinds))
    changed = tuple(name for name in FIELDS if values[name] != getattr(current, name))
    held = _held(current, values, changed)
    if current.status == Organisation.Status.APPROVED:
        waits = {name for change in HELD_CHANGES.values() for name in change.fields}
        changed = tuple(name for name in changed if name not in waits)
    columns = tuple(column for change in held for column in change.columns)
    if not changed and not held:
        return current
    before = _snapshot(current, changed + columns)
    for name in changed:
        setattr(current, name, values[name])
    requester = actor if getattr(actor, "is_authenticated", False) else None
    for change in held:
        for name, pending in zip(change.fields, change.pending, strict=True):
            setattr(current, pending, values[name])
        setattr(current, change.requested_by, requester)
        setattr(current, change.requested_at, timezone.now())
    current.lock_version += 1
    _save(current, update_fields=[*changed, *columns, "lock_version", "updated_at"])
    audit.record(
        actor=actor, action="update", obj=current, before=before, after=_snapshot(current, changed + columns)
    )
    for change in held:
        _alert(current, change)
    return current


def _alert(organisation: Organisation, change: HeldChange) -> None:
    """Queue the alert to everyone who speaks for the organisation, once the request is committed."""
    from amis.organisations.tasks import send_change_notice

    pk, at = organisation.pk, getattr(organisation, change.requested_at)
    assert at is not None
    transaction.on_commit(lambda: send_change_notice.enqueue(pk, change.kind, at.isoformat()))


def bank_change_decide(
    *, organisation: Organisation, actor: Any, approve: bool, reason: str, expected_lock_version: int
) -> Organisation:
    """Confirm or refuse a new bank account (`held_change_decide`)."""
    return held_change_decide(
        BANK,
        organisation=organisation,
        actor=actor,
        approve=approve,
        reason=reason,
        expected_lock_version=expected_lock_version,
    )


def name_change_decide(
    *, organisation: Organisation, actor: Any, approve: bool, reason: str, expected_lock_version: int
) -> Organisation:
    """Confirm or refuse a new legal name (`held_change_decide`)."""
    return held_change_decide(
        NAME,
        organisation=organisation,
        actor=actor,
        approve=approve,
        reason=reason,
        expected_lock_version=expected_lock_version,
    )


@atomic
def held_change_decide(
    change: HeldChange,
    *,
    organisation: Organisation,
    actor: Any,
    approve: bool,
    reason: str,
    expected_lock_version: int,
) -> Organisation:
    """Confirm or refuse a held change. Whoever asked for the change cannot confirm it: payments would
    otherwise follow one person's word (the four-eyes principle of the management and control
    system, as for registrations)."""
    require(actor, "organisation.decide", organisation)
    current = _locked(organisation, expected_lock_version)
    if not change.is_pending(current):
        raise ApplicationError(change.nothing_pending.format(name=current.name))
    ensure_second_person(
        requested_by_id=getattr(current, f"{change.requested_by}_id"),
        actor=actor,
        message=change.own_request,
    )
    reason = _text(reason)
    if not approve and not reason:
        raise field_error({"reason": change.refusal_needs_reason}, {"reason": "Reason"})
    before = _snapshot(current, change.fields + change.columns)
    if approve:
        for name, pending in zip(change.fields, change.pending, strict=True):
            setattr(current, name, getattr(current, pending))
    for pending in change.pending:
        setattr(current, pending, "")
    setattr(current, change.requested_by, None)
    setattr(current, change.requested_at, None)
    current.lock_version += 1
    _save(current, update_fields=[*change.fields, *change.columns, "lock_version", "updated_at"])
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before=before,
        after=_snapshot(current, change.fields + change.columns)
        | {"decision": "approve" if approve else "reject"}
        | ({"reason": reason} if reason else {}),
    )
    return current


@atomic
def contact_add(*, organisation: Organisation, actor: Any, data: Mapping[str, Any]) -> ContactPerson:
    unknown = _unknown(data, tuple(CONTACT_LABELS))
    values, errors = _clean_contact(data)
    if errors or unknown:
        raise field_error({**unknown, **errors}, CONTACT_LABELS)
    person = ContactPerson.objects.create(organisation=organisation, **values)
    audit.record(actor=actor, action="create", obj=person, after={"organisation": organisation.pk, **values})
    return person


@atomic
def contact_remove(*, contact: ContactPerson, actor: Any) -> None:
    before = {
        "organisation": contact.organisation_id,
        **{name: getattr(contact, name) for name in CONTACT_LABELS},
    }
    audit.record(actor=actor, action="delete", obj=contact, before=before)
    contact.delete()
