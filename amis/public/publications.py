"""Versioned publications of the list of operations (CPR Art. 49(3): at least every four months for
2021-2027; Reg. (EU) No 514/2014 Art. 53 with Del. Reg. (EU) No 1048/2014: at least once a year for
2014-2020).

`publish` builds the list once — one pass over `selectors.public_operations_stream`, every format
written as the rows come (CSV, XLSX, JSON, XML, Kohesio CSV), spooled to disk beyond a few megabytes
— then validates what it built:
- the Kohesio file against the Kohesio validator's rules (`kohesio.validate_csv`);
- the JSON against the published JSON Schema, the XML against the published XSD;
- no withheld operation (an exclusion in force) and no natural person named.
If all holds, the files are frozen with the row count, their SHA-256 and what changed since the
previous publication of the same scope; if not, the publication is recorded as refused with every
reason, audited, and the officers see the reasons on the publications page. Nothing is published
half.

`due` says which programmes' lists are due (the last publication covering them older than the
interval of their period: `settings.AMIS_PUBLICATION_INTERVAL_DAYS`); `publish_due` publishes them,
run by the task queue (`tasks.publish_due_lists`, queued daily by `amis publications`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

import jsonschema
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from amis.accounts.permissions import require
from amis.core import audit
from amis.core.transactions import atomic
from amis.programme.models import Programme
from amis.public import export, kohesio, selectors
from amis.public.models import (
    IN_FORCE,
    Publication,
    PublicationDetails,
    PublicationExclusion,
    PublicationFile,
    PublicationRequest,
)

logger = logging.getLogger(__name__)

PUBLISH = "publication.publish"
SCHEMAS = Path(__file__).parent / "schemas"
JSON_SCHEMA = SCHEMAS / "operations.schema.json"
XSD = SCHEMAS / "operations.xsd"
SPOOL = 8 * 1024 * 1024  # bytes kept in memory before a file goes to disk
FORMATS = [f.value for f in PublicationFile.Format]
MEDIA_TYPES = {
    "csv": "text/csv",
    "kohesio.csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "xml": "application/xml",
}
DEFAULT_INTERVAL_DAYS = {"2021-2027": 115, "2014-2020": 360}


@cache
def json_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(JSON_SCHEMA.read_text(encoding="utf-8"))
    return schema


@cache
def xml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


@dataclass
class Built:
    """The list as built, before it has a publication number: the JSON and XML without their head
    (the number is in it), which `numbered` adds."""

    files: dict[str, bytes]
    row_count: int
    digests: dict[str, str]
    problems: list[str] = field(default_factory=list)

    def numbered(self, meta: export.Meta) -> dict[str, bytes]:
        return {
            **self.files,
            "json": export.json_head(meta).encode("utf-8") + self.files["json"],
            "xml": export.xml_head(meta).encode("utf-8") + self.files["xml"],
        }


Progress = Callable[[int, int], None]  # rows done, rows total
PROGRESS_EVERY = 500  # rows between two progress writes


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - closed by build


def _digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build(programme: Programme | None, meta: export.Meta, progress: Progress | None = None) -> Built:
    """Every format of the list (one programme's or all), written in one pass over the operations.
    `progress(done, total)` is called every `PROGRESS_EVERY` rows and at the end. It writes nothing to
    the database itself, so it may run outside a transaction (the task queue's build does: its
    progress is then seen at once)."""
    filters = selectors.Filters(programme=programme.cci if programme else "")
    spools = {name: _spool() for name in FORMATS}
    countries = export.countries()
    xlsx = export.XlsxWriter(meta)
    digests: dict[str, str] = {}

    def put(name: str, text: str) -> None:
        spools[name].write(text.encode("utf-8"))

    try:
        put("csv", export.csv_header())
        put("kohesio.csv", export.kohesio_header())
        count = 0
        total = 0
        if progress:  # the total from a count, so the rows are still written as they come
            total = selectors.public_operations_count(filters)
            progress(0, total)
        for o in selectors.public_operations_stream(filters):
            put("csv", export.csv_line(o))
            put("kohesio.csv", export.kohesio_line(o, countries))
            put("json", export.json_line(o, first=count == 0))
            put("xml", export.xml_record(o))
            xlsx.row(o)
            digests[o.code] = _digest(export.json_record(o))
            count += 1
            if progress and count % PROGRESS_EVERY == 0:
                progress(count, total)
        put("json", export.JSON_TAIL)
        put("xml", export.XML_TAIL)
        xlsx.save(spools["xlsx"])
        files = {}
        for name, spool in spools.items():
            spool.seek(0)
            files[name] = spool.read()
    finally:
        for spool in spools.values():
            spool.close()
    if progress:
        progress(count, total)
    return Built(files=files, row_count=count, digests=digests)


def problems_of(files: dict[str, bytes]) -> list[str]:
    """Why the built list (its numbered files) may not be published (empty: it may)."""
    problems = [str(p) for p in kohesio.validate_csv(files["kohesio.csv"].decode("utf-8"))]
    try:
        document = json.loads(files["json"])
    except ValueError as error:
        return [*problems, _("The JSON file is not JSON: %(error)s") % {"error": error}]
    for invalid in sorted(
        jsonschema.Draft202012Validator(json_schema()).iter_errors(document), key=lambda e: list(e.path)
    )[:50]:
        where = "/".join(str(p) for p in invalid.path)
        problems.append(
            _("JSON schema: %(where)s: %(message)s") % {"where": where, "message": invalid.message}
        )
    try:
        xml = etree.fromstring(files["xml"])  # noqa: S320 - our own file, no entities resolved
        if not xml_schema().validate(xml):
            for entry in list(xml_schema().error_log)[:50]:
                problems.append(
                    _("XSD: line %(line)s: %(message)s") % {"line": entry.line, "message": entry.message}
                )
    except etree.XMLSyntaxError as error:
        problems.append(_("The XML file is not well-formed: %(error)s") % {"error": error})
    rows = document.get("operations", []) if isinstance(document, dict) else []
    withheld = withheld_codes()
    natural = dict(
        PublicationDetails.objects.filter(beneficiary_is_natural_person=True).values_list(
            "project__reference", "project__organisation__name"
        )
    )
    for row in rows:
        code = row.get("operation_code")
        if code in withheld:
            problems.append(_("%(code)s is withheld from publication but is in the list.") % {"code": code})
        if code in natural and row.get("beneficiary"):
            problems.append(_("%(code)s names a natural person as its beneficiary.") % {"code": code})
    return problems


def _scope(programme: Programme | None) -> Q:
    """The publications whose list covers this programme (its own, or all programmes)."""
    return (
        Q(programme__isnull=True) if programme is None else Q(programme=programme) | Q(programme__isnull=True)
    )


def _previous(programme: Programme | None) -> Publication | None:
    scope = Q(programme__isnull=True) if programme is None else Q(programme=programme)
    return (
        Publication.objects.filter(scope, status=Publication.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def _changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(code for code in set(after) & set(before) if after[code] != before[code]),
    }


def publish(
    *,
    actor: Any,
    programme: Programme | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> Publication:
    """Publish the list of operations (one programme's, or all with `programme` None). `actor` None:
    the schedule. Returns the publication, published or refused (with its reasons).

    The list is built first (reads only, `progress` told as it goes), then numbered, validated and
    frozen or refused in one transaction (`_freeze`): called outside a transaction (the task queue),
    the long build holds no lock and its progress is seen at once."""
    if actor is not None:
        require(actor, PUBLISH)
    now = now or timezone.now()
    built = build(programme, export.Meta(generated_at=now), progress)
    return _freeze(actor=actor, programme=programme, now=now, built=built)


@atomic
def _freeze(*, actor: Any, programme: Programme | None, now: dt.datetime, built: Built) -> Publication:
    publication = Publication.objects.create(
        programme=programme,
        published_at=now,
        status=Publication.Status.REFUSED,
        triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    files = built.numbered(export.Meta(generated_at=now, publication=publication.pk))
    problems = problems_of(files)
    label = "" if actor is not None else "schedule"
    scope = programme.cci if programme else "all"
    if problems:
        publication.refusal_reasons = problems
        publication.row_count = built.row_count
        publication.save(update_fields=["refusal_reasons", "row_count"])
        audit.record(
            actor=actor,
            actor_label=label,
            action="list_refused",
            obj=publication,
            after={"scope": scope, "rows": built.row_count, "reasons": problems[:20]},
        )
        return publication
    previous = _previous(programme)
    for name, content in files.items():
        PublicationFile.objects.create(
            publication=publication,
            format=name,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    publication.status = Publication.Status.PUBLISHED
    publication.row_count = built.row_count
    publication.checksum = hashlib.sha256(files["json"]).hexdigest()
    publication.digests = built.digests
    publication.previous = previous
    publication.changes = _changes(previous.digests if previous else {}, built.digests)
    publication.save()
    audit.record(
        actor=actor,
        actor_label=label,
        action="list_published",
        obj=publication,
        after={"scope": scope, "rows": built.row_count, "checksum": publication.checksum},
    )
    return publication


def withheld_codes() -> set[str]:
    """The codes of the operations withheld now (an exclusion in force)."""
    return set(
        PublicationExclusion.objects.filter(status__in=IN_FORCE).values_list("project__reference", flat=True)
    )


def withdrawn(codes: set[str] | None = None) -> set[int]:
    """The publications that list an operation withheld since: their files are no longer served (a
    frozen file cannot be changed, and a withheld operation must appear in no public output)."""
    codes = withheld_codes() if codes is None else codes
    if not codes:
        return set()
    return set(Publication.objects.filter(digests__has_any_keys=sorted(codes)).values_list("pk", flat=True))


# -- the schedule ------------------------------------------------------------------------------------


def interval(period: str) -> dt.timedelta:
    days = getattr(settings, "AMIS_PUBLICATION_INTERVAL_DAYS", {}).get(period) or DEFAULT_INTERVAL_DAYS.get(
        period, min(DEFAULT_INTERVAL_DAYS.values())
    )
    return dt.timedelta(days=days)


def due(now: dt.datetime) -> list[Programme]:
    """The programmes with an adopted version whose list is due: never published, or the latest
    publication covering them (their own or all programmes') older than their period's interval."""
    found = []
    for programme in selectors.public_programmes():
        last = (
            Publication.objects.filter(_scope(programme), status=Publication.Status.PUBLISHED)
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if last is None or now - last >= interval(programme.period.code):
            found.append(programme)
    return found


def publish_due(now: dt.datetime | None = None) -> list[Publication]:
    """Publish every programme's list that is due (the task queue's daily run)."""
    now = now or timezone.now()
    return [publish(actor=None, programme=programme, now=now) for programme in due(now)]


# -- on demand: a request the task queue builds -------------------------------------------------------

DEFAULT_BUILD_TIMEOUT_MINUTES = 30
RUNNING = (PublicationRequest.Status.QUEUED, PublicationRequest.Status.BUILDING)


def build_timeout() -> dt.timedelta:
    minutes = getattr(settings, "AMIS_PUBLICATION_BUILD_TIMEOUT_MINUTES", DEFAULT_BUILD_TIMEOUT_MINUTES)
    return dt.timedelta(minutes=minutes)


def stalled(item: PublicationRequest, now: dt.datetime | None = None) -> bool:
    """Queued or building, but no sign of life for `build_timeout()`: shown as failed, and a new
    request for the same scope gives it up."""
    return item.running and (now or timezone.now()) - item.touched_at >= build_timeout()


def scope_of(programme: Programme | None) -> str:
    return programme.cci if programme else PublicationRequest.ALL


def _progress(pk: int) -> Progress:
    def write(done: int, total: int) -> None:
        # its own statement, outside the build's transaction: the publications page sees it at once
        PublicationRequest.objects.filter(pk=pk).update(
            rows_done=done, rows_total=total, touched_at=timezone.now()
        )

    return write


def run_request(request_id: int) -> PublicationRequest | None:
    """The worker's job: build and publish one request (once: a request not queued any more — taken
    by another worker, given up — is left alone). Any error leaves a refused publication with the
    error as its reason, and the request failed; never a request building for ever."""
    now = timezone.now()
    claimed = PublicationRequest.objects.filter(
        pk=request_id, status=PublicationRequest.Status.QUEUED
    ).update(status=PublicationRequest.Status.BUILDING, started_at=now, touched_at=now)
    item = (
        PublicationRequest.objects.select_related("programme", "requested_by").filter(pk=request_id).first()
    )
    if item is None or not claimed:
        return item
    try:
        publication = publish(actor=item.requested_by, programme=item.programme, progress=_progress(item.pk))
    except Exception as error:
        logger.exception("Publication request %s failed", request_id)
        return _failed(item, error)
    PublicationRequest.objects.filter(pk=item.pk).update(
        status=PublicationRequest.Status.DONE, publication=publication, finished_at=timezone.now()
    )
    item.refresh_from_db()
    return item


@atomic
def _failed(item: PublicationRequest, error: Exception) -> PublicationRequest:
    reason = _("The list could not be built: %(error)s") % {
        "error": getattr(error, "message", None) or str(error) or type(error).__name__
    }
    publication = Publication.objects.create(
        programme=item.programme,
        published_at=timezone.now(),
        status=Publication.Status.REFUSED,
        triggered_by=item.requested_by,
        refusal_reasons=[reason],
    )
    audit.record(
        actor=item.requested_by,
        action="list_refused",
        obj=publication,
        after={"scope": item.scope, "rows": 0, "reasons": [reason], "request": item.pk},
    )
    PublicationRequest.objects.filter(pk=item.pk).update(
        status=PublicationRequest.Status.FAILED,
        error=reason,
        publication=publication,
        finished_at=timezone.now(),
    )
    item.refresh_from_db()
    return item
