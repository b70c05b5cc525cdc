"""Reads of the public face: the list of operations (CPR Art. 49(3) and Annex XVII; Reg. (EU)
No 514/2014 Art. 53), one operation, and what the officers see of exclusions.

An operation is listed when its project has a signed grant agreement, its programme has an adopted
version, and no exclusion is in force (proposed or approved) for it. A withheld operation is left
out of the query itself, so no list, page, count or filter choice built from `public_operations`
can reveal it. A natural person is never named, nor found by a search on the beneficiary's name.
Every read runs a fixed number of queries whatever the number of operations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Window
from django.utils import translation
from django.utils.translation import gettext

from amis.annual_reports.models import AnnualReport
from amis.calls.models import Call
from amis.evaluation.models import Evaluation, EvaluationReport
from amis.organisations.models import Organisation
from amis.programme import selectors as programme_selectors
from amis.programme.models import Authority, Programme, ProgrammeText, ProgrammeVersion
from amis.projects.models import AgreementVersion, Project
from amis.public import rules
from amis.public.models import IN_FORCE, OperationStamp, PublicationExclusion
from amis.reporting.models import IndicatorAchievement, Report


@dataclass(frozen=True)
class Filters:
    text: str = ""
    period: str = ""  # programming period code, e.g. 2014-2020
    programme: str = ""  # CCI
    specific_objective: str = ""
    beneficiary: str = ""
    municipality: str = ""
    starts_from: dt.date | None = None
    ends_by: dt.date | None = None
    updated_since: dt.datetime | None = None  # harvesters: operations whose published data changed after


@dataclass(frozen=True)
class Operation:
    """One row of the public list: the fields of CPR Annex XVII."""

    code: str
    name: str
    purpose: str
    beneficiary: str  # empty for a natural person
    start_date: dt.date
    end_date: dt.date
    total_cost: Decimal
    eu_contribution: Decimal
    eu_rate: Decimal | None
    fund: str
    period: str
    programme: str
    specific_objective: str
    type_of_intervention: str
    postcode: str
    municipality: str
    nuts_code: str
    country_wide: bool
    location_note: str
    closed: bool
    achievements: list[tuple[str, Decimal]] = field(default_factory=list)
    updated_at: dt.datetime | None = None  # when anything published about it last changed


def _signed() -> Exists:
    return Exists(
        AgreementVersion.objects.filter(
            agreement__project=OuterRef("pk"), status=AgreementVersion.Status.SIGNED
        )
    )


def _adopted() -> Exists:
    return Exists(
        ProgrammeVersion.objects.filter(
            programme=OuterRef("application__call__programme"), status=ProgrammeVersion.Status.ADOPTED
        )
    )


def _withheld() -> Exists:
    return Exists(PublicationExclusion.objects.filter(project=OuterRef("pk"), status__in=IN_FORCE))


def _natural_person() -> Q:
    return Q(publication_details__beneficiary_is_natural_person=True) | Q(
        organisation__kind__in=list(rules.NATURAL_PERSON_KINDS)
    )


def publishable_projects() -> QuerySet[Project]:
    """The projects whose operations the public may see (the one place this is decided), with what
    their rows read."""
    return (
        Project.objects.filter(_signed(), _adopted())
        .exclude(_withheld())
        .select_related(
            "organisation",
            "publication_details",
            "application__call__programme__fund",
            "application__call__programme__period",
            "closure",
            "publication_stamp",
        )
    )


# The columns a published row reads (`_operation`), and only these, read as plain values: model
# instances of the project and its seven related rows, and the application's wide columns (snapshot,
# budget), made the CSV of 20,000 operations take 17 s (bench/results); values take a tenth of it.
# What comes from the call (specific objective, type of intervention, programme, fund, period) is
# read once per call (`_call_facts`), not once per row.
ROW_FIELDS = (
    "pk", "reference", "start_date", "end_date", "total_cost", "eu_contribution",
    "organisation__name", "organisation__kind",
    "application__title", "application__summary", "application__call_id",
    "publication_details__postcode", "publication_details__municipality",
    "publication_details__nuts_code", "publication_details__country_wide",
    "publication_details__location_note", "publication_details__beneficiary_is_natural_person",
    "closure__project", "publication_stamp__published_changed_at",
)  # fmt: skip


def _filtered(filters: Filters) -> QuerySet[Project]:
    qs = publishable_projects().select_related(None).order_by("reference")
    if filters.period:
        qs = qs.filter(application__call__programme__period__code=filters.period)
    if filters.programme:
        qs = qs.filter(application__call__programme__cci=filters.programme)
    if filters.specific_objective:
        qs = qs.filter(application__call__specific_objective=filters.specific_objective)
    if filters.beneficiary:
        qs = qs.filter(organisation__name__icontains=filters.beneficiary).exclude(_natural_person())
    if filters.municipality:
        qs = qs.filter(
            Q(publication_details__municipality__icontains=filters.municipality)
            | Q(publication_details__postcode=filters.municipality)
        )
    if filters.starts_from:
        qs = qs.filter(start_date__gte=filters.starts_from)
    if filters.ends_by:
        qs = qs.filter(end_date__lte=filters.ends_by)
    if filters.updated_since:
        qs = qs.filter(publication_stamp__published_changed_at__gt=filters.updated_since)
    if filters.text:
        words = Q(reference__icontains=filters.text) | Q(application__title__icontains=filters.text)
        words |= Q(application__summary__icontains=filters.text)
        words |= Q(organisation__name__icontains=filters.text) & ~_natural_person()
        qs = qs.filter(words)
    return qs


def _values(qs: QuerySet[Project]) -> QuerySet[Any]:
    return qs.values(*ROW_FIELDS)


@dataclass(frozen=True)
class _CallFacts:
    specific_objective: str
    type_of_intervention: str
    programme: str
    fund: str
    period: str


def _call_facts(call_ids: Iterable[int] | None = None) -> dict[int, _CallFacts]:
    """What a row reads from its call, for these calls (None: every call). One query."""
    calls = Call.objects.all() if call_ids is None else Call.objects.filter(pk__in=set(call_ids))
    found = {}
    for pk, so, type_of_action, actions, cci, fund, period in calls.values_list(
        "pk", "specific_objective", "type_of_action", "actions", "programme__cci", "programme__fund__code",
        "programme__period__code",
    ):  # fmt: skip
        kind = type_of_action or ", ".join(str(a) for a in actions or [])
        found[pk] = _CallFacts(so, kind, cci, fund, period)
    return found


def _rows(qs: Iterable[dict[str, Any]], achievements: bool = False) -> list[Operation]:
    rows = list(qs)
    calls = _call_facts(row["application__call_id"] for row in rows)
    achieved: dict[int, list[tuple[str, Decimal]]] = {}
    if achievements:
        closed_ids = [row["pk"] for row in rows if row["closure__project"] is not None]
        for item in (
            IndicatorAchievement.objects.filter(
                report__project_id__in=closed_ids, report__status=Report.Status.ACCEPTED
            )
            .values_list("report__project_id", "code", "value")
            .order_by("report__project_id", "code")
        ):
            project_id, code, value = item
            found = achieved.setdefault(project_id, [])
            if found and found[-1][0] == code:
                found[-1] = (code, found[-1][1] + value)
            else:
                found.append((code, value))
    return [_operation(row, calls, achieved.get(row["pk"], [])) for row in rows]


def _operation(
    row: dict[str, Any], calls: dict[int, _CallFacts], achievements: list[tuple[str, Decimal]]
) -> Operation:
    natural = bool(row["publication_details__beneficiary_is_natural_person"])
    call = calls[row["application__call_id"]]
    return Operation(
        code=row["reference"],
        name=row["application__title"],
        purpose=row["application__summary"],
        beneficiary=rules.beneficiary_name(row["organisation__name"], row["organisation__kind"], natural),
        start_date=row["start_date"],
        end_date=row["end_date"],
        total_cost=row["total_cost"],
        eu_contribution=row["eu_contribution"],
        eu_rate=rules.eu_rate(row["eu_contribution"], row["total_cost"]),
        fund=call.fund,
        period=call.period,
        programme=call.programme,
        specific_objective=call.specific_objective,
        type_of_intervention=call.type_of_intervention,
        postcode=row["publication_details__postcode"] or "",
        municipality=row["publication_details__municipality"] or "",
        nuts_code=row["publication_details__nuts_code"] or "",
        country_wide=bool(row["publication_details__country_wide"]),
        location_note=row["publication_details__location_note"] or "",
        closed=row["closure__project"] is not None,
        achievements=achievements,
        updated_at=row.get("publication_stamp__published_changed_at"),
    )


def public_operations(filters: Filters | None = None) -> list[Operation]:
    """Every publishable operation matching the filters, by code (four queries)."""
    return _rows(_values(_filtered(filters or Filters())))


def public_operations_query(filters: Filters) -> QuerySet[Any]:
    """The publishable operations matching the filters, by code, as the values a row reads, for a
    paginator; `operation_rows` turns a page of them into rows."""
    return _values(_filtered(filters))


def operation_rows(values: Iterable[dict[str, Any]]) -> list[Operation]:
    return _rows(values)


def public_operations_page(filters: Filters, offset: int, limit: int) -> tuple[int, list[Operation]]:
    """The count of publishable operations matching the filters and one page of them."""
    qs = _filtered(filters)
    return qs.count(), _rows(_values(qs)[offset : offset + limit])


@dataclass(frozen=True)
class OperationsPage:
    paginator: Paginator  # its count already known: no query of its own
    page: Page
    rows: list[Operation]


def operations_page(filters: Filters, number: Any, per_page: int) -> OperationsPage:
    """One page of the publishable operations matching the filters, and their count, in one query
    (the count is a window over the same rows, which the sort by code computes anyway): the count and
    the page took two passes over the filtered operations before. A number past the last page (or not
    a number) gives the last (or first) page, as `Paginator.get_page` does; that costs a second query."""
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    qs = _filtered(filters)
    found = list(
        qs.annotate(total_count=Window(Count("pk"))).values(*ROW_FIELDS, "total_count")[
            (wanted - 1) * per_page : wanted * per_page
        ]
    )
    count = found[0]["total_count"] if found else (qs.count() if wanted > 1 else 0)
    paginator = Paginator(_values(qs), per_page)
    paginator.__dict__["count"] = count  # `count` is a cached property: known, not asked again
    page = paginator.get_page(wanted)
    if not found and count:  # past the last page: the last one
        found = list(_values(qs)[(page.number - 1) * per_page : page.number * per_page])
    return OperationsPage(paginator, page, _rows(found))


def public_operation(code: str) -> Operation | None:
    """One publishable operation by its code, with its achieved indicators once it is closed
    (accepted reports' values summed per indicator); None when it is not published."""
    rows = _rows(_values(publishable_projects().filter(reference=code)), achievements=True)
    return rows[0] if rows else None


def filter_choices() -> dict[str, list[Any]]:
    """The periods and specific objectives the published operations have (withheld ones left out).
    Asked per call (a few dozen), each stopping at its first published operation: one query."""
    published = publishable_projects().select_related(None).filter(application__call=OuterRef("pk"))
    pairs = set(
        Call.objects.filter(Exists(published)).values_list("programme__period__code", "specific_objective")
    )
    return {
        "periods": sorted({period for period, _so in pairs}),
        "specific_objectives": sorted({so for _period, so in pairs}),
    }


# -- HTTP validators (ETag, Last-Modified) ------------------------------------------------------------


def list_validator() -> tuple[dt.datetime | None, int]:
    """What the list of operations (page, CSV, API) is validated by: the latest change of anything
    published about any operation — withheld ones included, so that withholding or publishing one
    again changes it — and the number of stamped operations (a deleted one). One query."""
    found = OperationStamp.objects.aggregate(latest=Max("published_changed_at"), count=Count("pk"))
    return found["latest"], found["count"]


def operation_validator(code: str) -> dt.datetime | None:
    """When the published operation `code` last changed; None when it is not published (then no
    validator is given, and the page answers 404 as usual). One query."""
    return (
        publishable_projects()
        .select_related(None)
        .filter(reference=code)
        .values_list("publication_stamp__published_changed_at", flat=True)
        .first()
    )


# -- officers ----------------------------------------------------------------------------------------


def exclusions(in_force_only: bool = False) -> QuerySet[PublicationExclusion]:
    qs = PublicationExclusion.objects.select_related("project", "proposed_by", "approved_by", "withdrawn_by")
    return qs.filter(status__in=IN_FORCE) if in_force_only else qs


def exclusion_in_force(project: Project) -> PublicationExclusion | None:
    return PublicationExclusion.objects.filter(project=project, status__in=IN_FORCE).first()


# -- the programme page and the calls' timetable -------------------------------------------------------


@dataclass(frozen=True)
class ProgrammePage:
    programme: Programme
    version: ProgrammeVersion
    summary: dict[str, str]  # language -> the executive summary
    objectives: list[tuple[str, dict[str, str], Decimal]]  # code, name, total
    total: Decimal
    authorities: list[Authority]
    evaluations: list[Evaluation] = field(default_factory=list)  # published, with `public_reports`
    annual_reports: list[AnnualReport] = field(default_factory=list)  # approved or frozen


PUBLISHED_ANNUAL = (AnnualReport.Status.APPROVED, AnnualReport.Status.FROZEN)


def published_evaluations(programme: Programme) -> list[Evaluation]:
    """The programme's published evaluations (CPR Art. 44(6)), each with its report files in
    `public_reports`: two queries."""
    found = list(
        Evaluation.objects.filter(plan__programme=programme, status=Evaluation.Status.PUBLISHED)
        .prefetch_related("reports")
        .order_by("-published_on", "-pk")
    )
    for evaluation in found:
        evaluation.public_reports = list(evaluation.reports.all())  # type: ignore[attr-defined]
    return found


def published_annual_reports(programme: Programme) -> list[AnnualReport]:
    """The programme's annual reports the Monitoring Committee approved (approved or frozen), newest first."""
    return list(
        AnnualReport.objects.filter(programme=programme, status__in=PUBLISHED_ANNUAL).order_by("-year")
    )


def published_evaluation_report(pk: int) -> EvaluationReport | None:
    return (
        EvaluationReport.objects.filter(pk=pk, evaluation__status=Evaluation.Status.PUBLISHED)
        .select_related("evaluation")
        .first()
    )


def published_annual_report(cci: str, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(programme__cci=cci, year=year, status__in=PUBLISHED_ANNUAL)
        .select_related("programme")
        .first()
    )


def _plan_summary(version: ProgrammeVersion) -> tuple[list[tuple[str, dict[str, str], Decimal]], Decimal]:
    """The EU amount per specific objective and in all: 2014-2020 the financing plan (Table 1),
    2021-2027 the allocations per specific objective and type of action (CPR Annex V, table 2)."""
    if version.file_format == 2:
        data = programme_selectors.annex_v_data(version)
        if data is None:
            return [], Decimal("0")
        names = {so["code"]: so.get("name") or {} for so in data["document"]["specific_objectives"]}
        # technical assistance has no name in the programme file: the interface names it
        assistance = {translation.get_language() or "en": gettext("Technical assistance")}
        rows = [
            (row["code"], names.get(row["code"]) or (assistance if row["code"] == "TA" else {}), row["eu"])
            for row in data["objective_shares"]
        ]
        return rows, data["allocations_eu"]
    plan = programme_selectors.version_financing_plan(version)
    return [(so.code, so.name, so.total) for so in plan.specific_objectives], plan.total


def public_programme(cci: str) -> ProgrammePage | None:
    """The latest adopted version of a programme as the public sees it (None: none adopted)."""
    version = programme_selectors.version_get(cci, adopted_only=True)
    if version is None:
        return None
    objectives, total = _plan_summary(version)
    summary = dict(
        ProgrammeText.objects.filter(version=version, section="executive_summary")
        .exclude(body="")
        .values_list("language", "body")
    )
    return ProgrammePage(
        programme=version.programme,
        version=version,
        summary=summary,
        objectives=objectives,
        total=total,
        authorities=list(version.authorities.order_by("position")),
        evaluations=published_evaluations(version.programme),
        annual_reports=published_annual_reports(version.programme),
    )


def public_programmes() -> list[Programme]:
    """The programmes with an adopted version."""
    return list(
        Programme.objects.filter(versions__status=ProgrammeVersion.Status.ADOPTED)
        .select_related("fund", "period")
        .distinct()
        .order_by("cci")
    )


@dataclass(frozen=True)
class Timetable:
    open: list[Call]
    planned: list[Call]
    closed: list[Call]


def calls_timetable(now: dt.datetime) -> Timetable:
    """The public calls (published or later, open procedure) as open, planned and closed."""
    open_, planned, closed = [], [], []
    calls = (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .filter(procedure=Call.Procedure.OPEN)
        .select_related("programme")
        .prefetch_related("documents")
        .order_by("opens_at", "code")
    )
    kinds = dict(Organisation.Kind.choices)
    for call in calls:
        # who may apply, in the reader's language (the organisation kinds the call admits)
        call.who_may_apply = [str(kinds.get(k, k)) for k in call.eligible_kinds]  # type: ignore[attr-defined]
        if call.status != Call.Status.PUBLISHED or call.closes_at <= now:
            closed.append(call)
        elif call.opens_at > now:
            planned.append(call)
        else:
            open_.append(call)
    return Timetable(open=open_, planned=planned, closed=list(reversed(closed)))


def public_operations_count(filters: Filters | None = None) -> int:
    """How many publishable operations match the filters (a publication's progress total)."""
    return _filtered(filters or Filters()).count()


def public_operations_stream(filters: Filters | None = None) -> Iterator[Operation]:
    """Every publishable operation matching the filters, one at a time, for the streamed export.

    Read in one ordinary query, not through a server-side cursor (`iterator()`): PostgreSQL plans a
    cursor for its first rows and without parallel workers, and the 20,000 operations took twice as
    long that way (bench/results). The rows are plain values (a few MB at 20,000); the response is
    still written and sent row by row."""
    calls = _call_facts()
    # no change time in the file: it is the harvesters' (API) field, and parsing it costs a tenth
    fields = [f for f in ROW_FIELDS if f != "publication_stamp__published_changed_at"]
    for row in _filtered(filters or Filters()).values(*fields):
        yield _operation(row, calls, [])
