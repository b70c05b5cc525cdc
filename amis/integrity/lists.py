"""Writes for the other funds' project lists: upload, the worker's read, confirm, discard, delete.

A list never goes in silently (issue 16): the upload stores the file with its SHA-256 and queues
the worker; the worker reads every row (`rules.read_projects`) and keeps every error and every
warning. A list with one error is `refused` and nothing of it is used. A list read without error
waits, `read`, for the officer, who sees its warnings — rows that cannot be matched and why —
before confirming it. Confirming makes it the fund's `active` list, replacing the one before:
the flags raised on the old list's projects move to the same projects (same identifier) of the new
one — reopened if a cleared flag's period or title changed, closed if the overlap is gone — and
the flags of projects the new list no longer has close by themselves. Deleting a list (with a
reason) closes its flags. Each step is one transaction with its audit entry; refusals are audited
by `core.audit` like every refused write.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import PurePath
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.transactions import atomic, lock_for_update
from amis.integrity.models import DoubleFundingFlag, OtherFundList, OtherFundProject
from amis.integrity.rules import match
from amis.integrity.rules.parse import MAX_BYTES
from amis.integrity.rules.values import NUMBER_FORMATS

FUNDS = ("ESF", "ESF+", "ISF")
L = OtherFundList.Status
MIN_REASON = 10  # characters: "." or "ok" is not a reason
BATCH = 5_000


def _reason(reason: str, what: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON:
        raise ApplicationError(
            _("Say why %(what)s, in at least %(n)s characters.") % {"what": what, "n": MIN_REASON},
            code="reason",
        )
    return text


@atomic
def list_upload(
    *,
    actor: Any,
    fund: str,
    name: str,
    data: bytes | IO[bytes],
    number_format: str = "",
    language: str = "en",
    queue: bool = True,
) -> OtherFundList:
    """Store the file with its checksum and queue the worker's read (`queue=False`: the caller
    reads it itself, see services.import_other_fund_projects). `data` is the file's bytes or, for
    a large upload, the file itself: it is hashed and stored in chunks, never read whole."""
    require(actor, "selection.manage")
    if fund not in FUNDS:
        raise ApplicationError(_("The fund is ESF, ESF+ or ISF."), code="fund")
    if number_format not in NUMBER_FORMATS:
        raise ApplicationError(_("Unknown number format '%(f)s'.") % {"f": number_format[:20]})
    name = PurePath((name or "").replace("\\", "/")).name.strip()[:200] or "list.csv"
    handle: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise ApplicationError(
                _("The file is larger than %(n)s MB: split the list.") % {"n": MAX_BYTES // 2**20},
                code="file",
            )
    if not size:
        raise ApplicationError(_("Choose the project list to import."), code="file")
    handle.seek(0)
    sha256 = digest.hexdigest()
    upload = OtherFundList(
        fund=fund, name=name, sha256=sha256, number_format=number_format, uploaded_by=actor
    )
    upload.file.save(f"{sha256[:16]}-{name}", File(handle), save=False)
    upload.save()
    audit.record(
        actor=actor,
        action="create",
        obj=upload,
        after={
            "fund": fund,
            "name": name,
            "sha256": sha256,
            "size": size,
            "number_format": number_format,
        },
    )
    pk = upload.pk

    def enqueue() -> None:
        from amis.integrity.tasks import read_other_fund_list

        read_other_fund_list.enqueue(pk, language)

    if queue:
        transaction.on_commit(enqueue)
    return upload


def _locked(upload: OtherFundList, expected_lock_version: int | None) -> OtherFundList:
    current = lock_for_update(OtherFundList.objects).get(pk=upload.pk)
    if expected_lock_version is not None and current.lock_version != expected_lock_version:
        raise StaleObjectError(
            _("The %(fund)s list '%(name)s'") % {"fund": current.fund, "name": current.name}
        )
    return current


def _moved(flag: DoubleFundingFlag, new: OtherFundProject) -> str:
    """What changed for this flag between the old and the new list's project ('' if nothing that
    the officer's clearance relied on)."""
    old = flag.other
    changes = []
    if (old.start, old.end) != (new.start, new.end):
        changes.append(
            _("period %(old)s – %(old_end)s became %(new)s – %(new_end)s")
            % {"old": old.start, "old_end": old.end, "new": new.start, "new_end": new.end}
        )
    if old.title != new.title:
        changes.append(_("title '%(old)s' became '%(new)s'") % {"old": old.title, "new": new.title})
    if old.enterprise_number != new.enterprise_number:
        changes.append(_("the enterprise number changed"))
    return "; ".join(changes)


def _follow(previous: OtherFundList, current: OtherFundList, actor: Any) -> dict[str, int]:
    """Move the flags of the previous list's projects to the new list's (see the module's doc)."""
    successors = {p.identifier: p for p in OtherFundProject.objects.filter(source_list=current)}
    moved = reopened = closed = 0
    now = timezone.now()
    flags = (
        DoubleFundingFlag.objects.filter(other__source_list=previous, closed_at__isnull=True)
        .select_related("other", "application")
        .order_by("pk")
    )
    for flag in flags:
        new = successors.get(flag.other.identifier)
        before = {"other": flag.other_id, "cleared": flag.cleared_at is not None}
        if new is None:
            flag.closed_at, flag.closed_reason = (
                now,
                (
                    _("Project %(id)s is not in the newer %(fund)s list '%(name)s'.")
                    % {"id": flag.other.identifier, "fund": current.fund, "name": current.name}
                ),
            )
            closed += 1
        else:
            change = _moved(flag, new)
            app = flag.application
            days = (
                match.overlap_days(app.start_date, app.end_date, new.start, new.end)
                if app.start_date and app.end_date
                else 0
            )
            flag.other, flag.overlap_days = new, days
            moved += 1
            if days == 0:
                flag.closed_at, flag.closed_reason = (
                    now,
                    (_("The periods no longer overlap in the newer list: %(change)s.") % {"change": change}),
                )
                closed += 1
            elif change and flag.cleared_at is not None:
                flag.reason = f"{flag.reason} — " + _("Reopened: %(change)s.") % {"change": change}
                flag.cleared_at, flag.cleared_by, flag.clearance = None, None, ""
                reopened += 1
        flag.save()
        audit.record(
            actor=actor,
            action="update",
            obj=flag,
            before=before,
            after={
                "other": flag.other_id,
                "closed": flag.closed_reason if flag.closed_at else "",
                "reopened": flag.cleared_at is None and before["cleared"],
            },
        )
    return {"moved": moved, "reopened": reopened, "closed": closed}


@atomic
def list_confirm(*, actor: Any, upload: OtherFundList, expected_lock_version: int | None) -> OtherFundList:
    """Make a read list the fund's active one, replacing the one before (the flags follow)."""
    require(actor, "selection.manage")
    current = _locked(upload, expected_lock_version)
    if current.status != L.READ:
        raise ApplicationError(
            _("Only a list read without errors can be confirmed; this one is %(status)s.")
            % {"status": current.get_status_display()},
            code="status",
        )
    previous = lock_for_update(OtherFundList.objects).filter(fund=current.fund, status=L.ACTIVE).first()
    now = timezone.now()
    if previous is not None:
        previous.status, previous.ended_by, previous.ended_at = L.REPLACED, actor, now
        previous.end_reason = _("Replaced by '%(name)s'.") % {"name": current.name}
        previous.lock_version += 1
        previous.save()
        audit.record(
            actor=actor,
            action="transition",
            obj=previous,
            before={"status": L.ACTIVE},
            after={"status": L.REPLACED},
        )
    current.status, current.confirmed_by, current.confirmed_at = L.ACTIVE, actor, now
    current.replaces = previous
    current.lock_version += 1
    current.save()
    followed = _follow(previous, current, actor) if previous is not None else {}
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": L.READ},
        after={"status": L.ACTIVE, "replaces": previous.pk if previous else None, **followed},
    )
    return current


@atomic
def list_discard(*, actor: Any, upload: OtherFundList, expected_lock_version: int | None) -> OtherFundList:
    """Leave a read (or refused) list unconfirmed: its projects, never used, are removed."""
    require(actor, "selection.manage")
    current = _locked(upload, expected_lock_version)
    if current.status not in (L.READ, L.REFUSED):
        raise ApplicationError(
            _("Only a list not confirmed yet can be discarded; this one is %(status)s.")
            % {"status": current.get_status_display()},
            code="status",
        )
    before = current.status
    OtherFundProject.objects.filter(source_list=current).delete()
    current.status, current.ended_by, current.ended_at = L.DISCARDED, actor, timezone.now()
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": before},
        after={"status": L.DISCARDED},
    )
    return current


@atomic
def list_delete(
    *, actor: Any, upload: OtherFundList, expected_lock_version: int | None, reason: str
) -> OtherFundList:
    """Take the active list out of use, with the reason; its open flags close (the projects stay,
    so that what was flagged and cleared can still be read)."""
    require(actor, "selection.manage")
    text = _reason(reason, _("the list is deleted"))
    current = _locked(upload, expected_lock_version)
    if current.status != L.ACTIVE:
        raise ApplicationError(
            _("Only the list in use can be deleted; this one is %(status)s.")
            % {"status": current.get_status_display()},
            code="status",
        )
    now = timezone.now()
    current.status, current.ended_by, current.ended_at, current.end_reason = L.DELETED, actor, now, text
    current.lock_version += 1
    current.save()
    closing = _("The %(fund)s list '%(name)s' was deleted: %(reason)s") % {
        "fund": current.fund,
        "name": current.name,
        "reason": text,
    }
    closed = DoubleFundingFlag.objects.filter(
        other__source_list=current, cleared_at__isnull=True, closed_at__isnull=True
    ).update(closed_at=now, closed_reason=closing)
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": L.ACTIVE},
        after={"status": L.DELETED, "reason": text, "flags_closed": closed},
    )
    return current
