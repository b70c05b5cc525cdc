"""Writes of the public face: an operation's publication details (location, natural person) and the
exclusions from publication, proposed by an officer of the responsible authority and approved by
another person (four eyes, CPR Art. 49(3)), or withdrawn with a reason.

Each service runs in one transaction with its audit entry; a refusal of what was sent is written to
the audit trail (`change_refused`, kept when the transaction rolls back), the same person approving
their own proposal is refused as `permission_refused` (segregation of duties, as payments do), a
refusal of who asks is `permissions.require`'s. Edits carry the `lock_version` their page showed:
an older one answers 409 and saves nothing. Only the responsible authority writes
(`publication.manage`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.accounts.services import SegregationOfDutiesError
from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.refusals import check_version, refuse
from amis.core.transactions import atomic, lock_for_update
from amis.programme.models import Programme
from amis.projects.models import Project
from amis.public import publications, rules
from amis.public.models import IN_FORCE, PublicationDetails, PublicationExclusion, PublicationRequest

MANAGE = "publication.manage"


def same_person_message() -> str:
    return _("You proposed this exclusion; another person must approve it (four eyes).")


def _details_data(details: PublicationDetails) -> dict[str, Any]:
    return {
        "postcode": details.postcode,
        "municipality": details.municipality,
        "nuts_code": details.nuts_code,
        "country_wide": details.country_wide,
        "location_note": details.location_note,
        "beneficiary_is_natural_person": details.beneficiary_is_natural_person,
    }


@atomic
def details_set(
    *,
    actor: Any,
    project: Project,
    expected_lock_version: int | None,
    postcode: str = "",
    municipality: str = "",
    nuts_code: str = "",
    country_wide: bool = False,
    location_note: str = "",
    beneficiary_is_natural_person: bool = False,
) -> PublicationDetails:
    """Record where an operation takes place and whether its beneficiary is a natural person.
    `expected_lock_version` is None for the first record of a project."""
    require(actor, MANAGE)
    current_project = lock_for_update(Project.objects).get(pk=project.pk)
    postcode, municipality = postcode.strip()[:10], municipality.strip()[:100]
    nuts_code, location_note = nuts_code.strip().upper()[:5], location_note.strip()[:300]
    problem = rules.location_problem(postcode, municipality, nuts_code, country_wide, location_note)
    if problem:
        raise refuse(actor, current_project, problem)
    details = lock_for_update(PublicationDetails.objects).filter(project=current_project).first()
    if details is None:
        if expected_lock_version is not None:
            raise StaleObjectError(str(current_project))
        details = PublicationDetails(project=current_project, updated_by=actor)
        before = None
    else:
        if expected_lock_version is None:
            raise StaleObjectError(str(details))
        check_version(actor, details, expected_lock_version)
        before = _details_data(details)
        details.lock_version += 1
    details.postcode, details.municipality, details.nuts_code = postcode, municipality, nuts_code
    details.country_wide, details.location_note = country_wide, location_note
    details.beneficiary_is_natural_person = beneficiary_is_natural_person
    details.updated_by = actor
    details.save()
    audit.record(
        actor=actor,
        action="create" if before is None else "update",
        obj=details,
        before=before,
        after={"project": current_project.reference, **_details_data(details)},
    )
    return details


@atomic
def exclusion_propose(*, actor: Any, project: Project, reason: str, text: str) -> PublicationExclusion:
    """Propose to withhold an operation from publication; it is withheld from now on."""
    require(actor, MANAGE)
    current = lock_for_update(Project.objects).get(pk=project.pk)
    if reason not in PublicationExclusion.Reason.values:
        raise refuse(actor, current, _("Choose the reason for withholding the operation."))
    if not text.strip():
        raise refuse(actor, current, _("Explain why the operation is withheld."))
    if PublicationExclusion.objects.filter(project=current, status__in=IN_FORCE).exists():
        raise refuse(actor, current, _("This operation is already withheld from publication."))
    exclusion = PublicationExclusion.objects.create(
        project=current, reason=reason, text=text.strip(), proposed_by=actor
    )
    audit.record(
        actor=actor,
        action="create",
        obj=exclusion,
        after={"project": current.reference, "reason": reason, "status": exclusion.status},
    )
    return exclusion


def _locked_exclusion(actor: Any, exclusion: PublicationExclusion, expected: int) -> PublicationExclusion:
    current = lock_for_update(PublicationExclusion.objects.select_related("project")).get(pk=exclusion.pk)
    check_version(actor, current, expected)
    return current


@atomic
def exclusion_approve(
    *, actor: Any, exclusion: PublicationExclusion, expected_lock_version: int
) -> PublicationExclusion:
    """A second person approves a proposed exclusion: never the person who proposed it."""
    require(actor, MANAGE)
    current = _locked_exclusion(actor, exclusion, expected_lock_version)
    if current.status != PublicationExclusion.Status.PROPOSED:
        raise refuse(actor, current, _("Only a proposed exclusion is approved."))
    if current.proposed_by_id == actor.pk:
        message = same_person_message()
        audit.record_security_event(
            user=actor, event="permission_refused", obj=current, detail={"reason": message}
        )
        raise SegregationOfDutiesError(message)
    current.status = PublicationExclusion.Status.APPROVED
    current.approved_by, current.approved_at = actor, timezone.now()
    current.lock_version += 1
    current.save(update_fields=["status", "approved_by", "approved_at", "lock_version"])
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": PublicationExclusion.Status.PROPOSED},
        after={"status": current.status, "project": current.project.reference},
    )
    return current


@atomic
def exclusion_withdraw(
    *, actor: Any, exclusion: PublicationExclusion, expected_lock_version: int, reason: str
) -> PublicationExclusion:
    """Withdraw an exclusion in force (refuse a proposal, or lift an approved exclusion): the
    operation is published again. The reason is kept."""
    require(actor, MANAGE)
    current = _locked_exclusion(actor, exclusion, expected_lock_version)
    if current.status not in IN_FORCE:
        raise refuse(actor, current, _("This exclusion was already withdrawn."))
    if not reason.strip():
        raise refuse(actor, current, _("Give the reason for withdrawing the exclusion."))
    before = {"status": current.status}
    current.status = PublicationExclusion.Status.WITHDRAWN
    current.withdrawn_by, current.withdrawn_at = actor, timezone.now()
    current.withdrawal_reason = reason.strip()
    current.lock_version += 1
    current.save(
        update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason", "lock_version"]
    )
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before=before,
        after={"status": current.status, "reason": current.withdrawal_reason},
    )
    return current


# -- publishing on demand ---------------------------------------------------------------------------


@atomic
def request_publication(
    *, actor: Any, programme: Programme | None = None, language: str = "en"
) -> PublicationRequest:
    """Queue a publication of the list now (`publication.publish`); the task queue builds it
    (`tasks.publish_requested_list`, queued when this transaction commits; here, not in
    `publications`, which the task imports). Refused while another
    request for the same scope is queued or building; one that stalled is given up first. Locks only
    the running request of the scope, if there is one."""
    require(actor, publications.PUBLISH)
    now = timezone.now()
    scope = publications.scope_of(programme)
    running = lock_for_update(
        PublicationRequest.objects.filter(scope=scope, status__in=publications.RUNNING)
    ).first()
    if running is not None and not publications.stalled(running, now):
        message = _(
            "A publication of this list is already queued or being built (request %(number)s, "
            "%(done)s of %(total)s operations). Wait until it is done."
        ) % {"number": running.pk, "done": running.rows_done, "total": running.rows_total or "?"}
        audit.record_security_event(
            user=actor, event="change_refused", obj=running, detail={"reason": message, "scope": scope}
        )
        raise ApplicationError(message)
    if running is not None:
        running.status = PublicationRequest.Status.FAILED
        running.error = _("It did not finish within %(minutes)s minutes and was given up.") % {
            "minutes": int(publications.build_timeout().total_seconds() // 60)
        }
        running.finished_at = now
        running.save(update_fields=["status", "error", "finished_at"])
        audit.record(
            actor=actor,
            action="list_given_up",
            obj=running,
            after={"scope": scope, "reason": running.error},
        )
    item = PublicationRequest.objects.create(
        scope=scope,
        programme=programme,
        requested_by=actor,
        requested_at=now,
        touched_at=now,
        language=language or "en",
    )
    audit.record(actor=actor, action="list_requested", obj=item, after={"scope": scope})
    pk = item.pk

    def enqueue() -> None:
        from amis.public.tasks import publish_requested_list

        publish_requested_list.enqueue(pk)

    transaction.on_commit(enqueue)
    return item
