"""The open data of the list of operations (no login): the list as XLSX, JSON, XML and Kohesio CSV
(the CSV is `views.operation_csv`), with the page's filters; the JSON Schema and XSD they follow; the
DCAT-AP description of the dataset; the versioned publications, each file downloadable for good, and
what changed between them. The officers of the responsible authority publish on demand there
(`publication.publish`) and see why a publication was refused. Licence: CC BY 4.0."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from amis.accounts.permissions import check, require
from amis.core import pages
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.public import export, publications, selectors, services
from amis.public.models import Publication, PublicationFile, PublicationRequest
from amis.public.views import VIEW, _filters

FILENAMES = {
    "csv": "operations.csv",
    "xlsx": "operations.xlsx",
    "json": "operations.json",
    "xml": "operations.xml",
    "kohesio.csv": "operations-kohesio.csv",
}
BY_FILENAME = {name: fmt for fmt, name in FILENAMES.items()}


def _refused(request: HttpRequest) -> tuple[selectors.Filters | None, HttpResponse | None]:
    form, filters = _filters(request)
    if filters is None:
        problems = pages.form_problems(form)
        return None, HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    return filters, None


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _meta() -> export.Meta:
    return export.Meta(generated_at=timezone.now().replace(microsecond=0))


@require_GET
def operation_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The list as XLSX, with the page's filters: written row by row to a temporary file, then sent."""
    require(request.user, VIEW)
    filters, refused = _refused(request)
    if refused is not None or filters is None:
        return refused or HttpResponse(status=400)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    export.write_xlsx(selectors.public_operations_stream(filters), _meta(), target)
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename="operations.xlsx", content_type=publications.MEDIA_TYPES["xlsx"]
    )


def _streamed(request: HttpRequest, fmt: str) -> HttpResponseBase:
    require(request.user, VIEW)
    filters, refused = _refused(request)
    if refused is not None or filters is None:
        return refused or HttpResponse(status=400)
    operations = selectors.public_operations_stream(filters)
    if fmt == "json":
        chunks = export.json_chunks_of(operations, _meta())
    elif fmt == "xml":
        chunks = export.xml_chunks_of(operations, _meta())
    else:
        chunks = export.kohesio_lines_of(operations, export.countries())
    response = StreamingHttpResponse(chunks, content_type=f"{publications.MEDIA_TYPES[fmt]}; charset=utf-8")
    return _attachment(response, FILENAMES[fmt])


@require_GET
def operation_json(request: HttpRequest) -> HttpResponseBase:
    return _streamed(request, "json")


@require_GET
def operation_xml(request: HttpRequest) -> HttpResponseBase:
    return _streamed(request, "xml")


@require_GET
def operation_kohesio(request: HttpRequest) -> HttpResponseBase:
    return _streamed(request, "kohesio.csv")


@require_GET
def schema_json(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    return HttpResponse(
        publications.JSON_SCHEMA.read_bytes(), content_type="application/schema+json; charset=utf-8"
    )


@require_GET
def schema_xsd(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    return HttpResponse(publications.XSD.read_bytes(), content_type="application/xml; charset=utf-8")


# -- publications ------------------------------------------------------------------------------------


def _publications_page(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    officer = check(request.user, publications.PUBLISH).allowed
    shown = Publication.objects.select_related("programme").defer("digests")
    if not officer:
        shown = shown.filter(status=Publication.Status.PUBLISHED)
    files: dict[int, list[PublicationFile]] = {}
    rows = list(shown[:100])
    for item in PublicationFile.objects.filter(publication__in=rows).defer("content").order_by("format"):
        files.setdefault(item.publication_id, []).append(item)
    hidden = publications.withheld_codes()
    gone = publications.withdrawn(hidden)
    for row in rows:
        row.withdrawn = row.pk in gone  # type: ignore[attr-defined]
        row.downloads = [  # type: ignore[attr-defined]
            (FILENAMES[f.format], f.get_format_display(), f) for f in files.get(row.pk, [])
        ]
        # a withheld operation's code is not shown among the changes either
        row.shown_changes = {  # type: ignore[attr-defined]
            kind: [code for code in (row.changes or {}).get(kind, []) if code not in hidden]
            for kind in ("added", "removed", "changed")
        }
    return render(
        request,
        "public/publications.html",
        {
            **_requests_context(officer),
            "publications": rows,
            "officer": officer,
            "programmes": selectors.public_programmes() if officer else [],
            "licence": export.LICENCE,
            "licence_url": export.LICENCE_URL,
            "error": error,
        },
        status=status,
    )


def _requests_context(officer: bool) -> dict[str, Any]:
    """The officers' view of the publications asked for: running ones with their progress (a stalled
    one shown as failed), and the failed ones of the last week. Never shown to the public."""
    if not officer:
        return {"requests": [], "requests_running": False}
    now = timezone.now()
    shown = list(
        PublicationRequest.objects.filter(
            Q(status__in=publications.RUNNING)
            | Q(status=PublicationRequest.Status.FAILED, finished_at__gte=now - dt.timedelta(days=7))
        ).select_related("requested_by")[:10]
    )
    for item in shown:
        item.stalled = publications.stalled(item, now)  # type: ignore[attr-defined]
    running = any(item.running and not item.stalled for item in shown)  # type: ignore[attr-defined]
    return {"requests": shown, "requests_running": running}


def publication_list(request: HttpRequest) -> HttpResponse:
    """The publications (GET, public); asking for a publication now (POST, `publication.publish`):
    queued, built by the task queue; `?progress=1` is the officers' progress part the page polls."""
    if request.method != "POST":
        require(request.user, VIEW)
        if request.GET.get("progress"):
            return _progress_part(request)
        return _publications_page(request)
    require(request.user, publications.PUBLISH)
    cci = request.POST.get("programme", "")
    programme = Programme.objects.filter(cci=cci).first() if cci else None
    if cci and programme is None:
        return _publications_page(request, 400, _("No such programme."))
    try:
        item = services.request_publication(
            actor=request.user, programme=programme, language=translation.get_language() or "en"
        )
    except (ApplicationError, PermissionDenied) as error:
        return _publications_page(request, error_status(error), error_message(error))
    messages.success(
        request,
        _(
            "The publication is queued (request %(number)s): the list is built in the background; "
            "this page shows its progress."
        )
        % {"number": item.pk},
    )
    return redirect("public:publications")


def _progress_part(request: HttpRequest) -> HttpResponse:
    """The running requests' progress (HTMX polls it); when none runs any more, the whole page is
    reloaded (HX-Refresh) to show the new publication."""
    officer = check(request.user, publications.PUBLISH).allowed
    context = _requests_context(officer)
    response = render(request, "public/_publication_requests.html", context)
    if not context["requests_running"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
def publication_file(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    require(request.user, VIEW)
    fmt = BY_FILENAME.get(filename)
    item = (
        PublicationFile.objects.filter(
            publication_id=pk, format=fmt, publication__status=Publication.Status.PUBLISHED
        ).first()
        if fmt
        else None
    )
    if item is None or pk in publications.withdrawn():
        raise Http404(_("No such file."))
    response = HttpResponse(bytes(item.content), content_type=publications.MEDIA_TYPES[item.format])
    response["Content-Disposition"] = f'attachment; filename="{pk}-{filename}"'
    response["X-Content-SHA256"] = item.sha256
    return response


# -- DCAT-AP -----------------------------------------------------------------------------------------

DATASET_TITLE = gettext_noop("List of the operations funded by the programmes (open data)")
DATASET_DESCRIPTION = gettext_noop(
    "The operations funded by the programme: beneficiary (legal persons only), name, purpose, dates, "
    "total cost, EU contribution and rate, fund, specific objective, type of intervention and location "
    "(CPR Art. 49(3) and Annex XVII). Operations withheld from publication are left out."
)


def _in_languages(text: str) -> list[dict[str, str]]:
    values = []
    for language in ("en", "nl", "fr", "de"):
        with translation.override(language):
            values.append({"@value": _(text), "@language": language})
    return values


def dcat(request: HttpRequest) -> dict[str, Any]:
    """The DCAT-AP description of the dataset: the latest publication's files as its distributions
    (their checksums), or the current downloads before any publication."""
    published = Publication.objects.filter(status=Publication.Status.PUBLISHED).exclude(
        pk__in=publications.withdrawn()
    )
    latest = published.filter(programme__isnull=True).first() or published.first()
    absolute = request.build_absolute_uri
    publisher = Organisation.objects.filter(kind="responsible_authority").order_by("pk").first()
    distributions = []
    if latest is not None:
        for item in PublicationFile.objects.filter(publication=latest).defer("content").order_by("format"):
            url = absolute(reverse("public:publication_file", args=[latest.pk, FILENAMES[item.format]]))
            distributions.append(
                _distribution(item.format, url, latest.published_at.isoformat(), item.sha256, item.size)
            )
    else:
        for fmt, name in FILENAMES.items():
            distributions.append(_distribution(fmt, absolute(f"/public/{name}"), None, None, None))
    dataset: dict[str, Any] = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(reverse("public:dcat")) + "#dataset",
        "@type": "dcat:Dataset",
        "dct:title": _in_languages(DATASET_TITLE),
        "dct:description": _in_languages(DATASET_DESCRIPTION),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher.name if publisher else "AMIS"},
        "dct:license": {"@id": export.LICENCE_URL},
        "dct:accrualPeriodicity": {
            "@id": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
        },
        "dcat:landingPage": {"@id": absolute(reverse("public:publications"))},
        "dct:conformsTo": [
            {"@id": absolute(reverse("public:operations_schema"))},
            {"@id": absolute(reverse("public:operations_xsd"))},
        ],
        "dcat:distribution": distributions,
    }
    if latest is not None:
        dataset["dct:modified"] = {"@value": latest.published_at.isoformat(), "@type": "xsd:dateTime"}
        dataset["dct:identifier"] = f"publication-{latest.pk}"
    return dataset


def _distribution(
    fmt: str, url: str, modified: str | None, sha256: str | None, size: int | None
) -> dict[str, Any]:
    media = publications.MEDIA_TYPES[fmt]
    item: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": FILENAMES[fmt],
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/{media}"},
        "dct:license": {"@id": export.LICENCE_URL},
    }
    if modified:
        item["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
    if sha256:
        item["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": sha256,
        }
    if size is not None:
        item["dcat:byteSize"] = {"@value": str(size), "@type": "xsd:nonNegativeInteger"}
    return item


@require_GET
def dcat_jsonld(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    body = json.dumps(dcat(request), ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")
