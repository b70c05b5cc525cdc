"""The audits of operations in the REST API (/api/v1/sampling/...).

Reads (`sampling.view`): the samples (filtered by programme and accounting year), one sample with its
parameters, its frozen list, each item's result and the stored projection with its working, so that
any auditor can reproduce every number from the recorded seed; a population; the year's results as
the annual control report combines them.

Writes (`sampling.manage`, the audit authority only), through the same services as the pages:
building a year's population, drawing a sample, recording an item's result, projecting the errors.
Each endpoint checks the permission first (403 with the reason, kept in the audit trail), then finds
the object of its path (404), and only then reads the body: a value that is not what the page would
take answers 400 naming every field, a broken rule 400 with the rule (refusals such as a confidence
level below the system audits' category are kept in the audit trail), a stale `lock_version` 409.
Nothing is saved on a refusal. Amounts and rates are written as strings ("1234.56"; rates are
fractions, 0.02 is the 2 % materiality); numbers are also taken as JSON numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core import numbers, parsing
from amis.core.api_input import body, json_body_doc
from amis.core.formfields import number_message
from amis.core.money import CENT
from amis.sampling import selectors, services
from amis.sampling.models import AuditPopulation, Sample, SampledItem
from amis.sampling.rules import tables

router = Router(tags=["audits of operations"])
VIEW = "sampling.view"
MANAGE = "sampling.manage"
TEXT_LIMIT = 4000  # the pages' limit of a justification, reply or note
FIRST_YEAR, LAST_YEAR = 2014, 2035  # the accounting years the population form offers
Number = str | int | float | None


class PopulationIn(Schema):
    programme: str
    year: int
    unit_kind: str


class SampleIn(Schema):
    method: str
    sigma: Number = None
    anticipated_error: Number = None
    category: int | None = None
    confidence: int | None = None
    seed: int | None = None
    capped: bool = (
        False  # 2021-2027: the sample capped at 50 units (Delegated Regulation (EU) 2023/67 Art. 5(7))
    )


class ItemIn(Schema):
    lock_version: int
    audited_value: Number = None
    irregular: Number = None
    error_kind: str = ""
    justification: str = ""
    auditee_reply: str = ""
    notes: str = ""


class ProjectionIn(Schema):
    lock_version: int
    systemic_extent: Number = None
    corrections: Number = None


# -- reading what was sent, as the pages' fields do ---------------------------------------------------


def _number(value: Any, where: str, problems: dict[str, str], places: int) -> Decimal | None:
    """A number with at most `places` decimals (amounts 2, σ 6, as the pages' fields), or None."""
    found = parsing.decimal(value, where, problems)
    if found is None:
        return None
    exponent = found.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        problems[where] = number_message(numbers.NumberError("decimals", parsing.shown(value), places))
        return None
    return found


def _amount(value: Any, where: str, problems: dict[str, str]) -> Decimal | None:
    """An amount in euro, given back with its two decimals as the pages' amount fields do."""
    found = _number(value, where, problems, 2)
    return None if found is None else found.quantize(CENT)


def _required(problems: dict[str, str], where: str) -> None:
    problems.setdefault(where, _("This field is required."))


def _text(value: str, where: str, problems: dict[str, str]) -> str:
    return parsing.text(value, where, problems, TEXT_LIMIT)


def _refuse_fields(problems: dict[str, str]) -> None:
    if problems:
        raise parsing.fields_error(problems)


# -- what the API gives back -----------------------------------------------------------------------


def _population_out(p: AuditPopulation) -> dict[str, Any]:
    return {
        "id": p.pk,
        "programme": p.programme.cci,
        "year": p.year,
        "unit_kind": p.unit_kind,
        "book_value": str(p.book_value),
        "units": p.units,
        "lines": p.lines,
        "excluded": p.excluded,
        "working": p.working,
        "samples": sorted(p.samples.values_list("pk", flat=True)),
        "built_at": p.built_at.isoformat(),
        "lock_version": p.lock_version,
    }


def _summary(s: Sample) -> dict[str, Any]:
    population = s.population
    figures = (s.projection or {}).get("figures")
    return {
        "id": s.pk,
        "programme": population.programme.cci,
        "year": population.year,
        "population": population.pk,
        "unit_kind": population.unit_kind,
        "book_value": str(population.book_value),
        "method": s.method,
        "category": s.category,
        "confidence": s.confidence,
        "seed": s.seed,
        "size": s.size,
        "projected": bool(figures),
        "total_error_rate": figures.get("total_rate") if figures else None,
        "residual_total_error_rate": figures.get("residual_rate") if figures else None,
        "lock_version": s.lock_version,
    }


def _item_out(i: SampledItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "sample": i.sample_id,
        "position": i.position,
        "unit": i.unit.key,
        "operation": i.unit.label,
        "stratum": i.stratum,
        "hits": i.hits,
        "book_value": str(i.book_value),
        "audited": i.audited,
        "audited_value": None if i.audited_value is None else str(i.audited_value),
        "irregular": str(i.irregular),
        "error_kind": i.error_kind,
        "justification": i.justification,
        "auditee_reply": i.auditee_reply,
        "notes": i.notes,
        "recorded_at": i.recorded_at.isoformat() if i.recorded_at else None,
        "lock_version": i.lock_version,
    }


def _sample_out(sample: Sample) -> dict[str, Any]:
    items = sample.items.select_related("unit").order_by("position")
    return {
        **_summary(sample),
        "sigma": str(sample.sigma),
        "anticipated_error": str(sample.anticipated_error),
        "tolerable_error": str(sample.tolerable_error),
        "sampled_size": sample.sampled_size,
        "sampled_value": str(sample.sampled_value),
        "cutoff": str(sample.cutoff),
        "interval": str(sample.interval),
        "start": str(sample.start),
        "working": sample.working,
        "items": [_item_out(i) for i in items],
        "systemic_extent": None if sample.systemic_extent is None else str(sample.systemic_extent),
        "corrections": str(sample.corrections),
        "corrections_hint": str(selectors.corrections_hint(sample)),
        "projection": sample.projection or None,
        "projected_at": sample.projected_at.isoformat() if sample.projected_at else None,
    }


def _population(request: HttpRequest, pk: int, action: str) -> AuditPopulation:
    require(request.user, action)
    found = selectors.populations(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(f"No population {pk}.")
    return found


def _sample(request: HttpRequest, pk: int, action: str) -> Sample:
    require(request.user, action)
    found = selectors.samples(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(f"No sample {pk}.")
    return found


def _item(request: HttpRequest, pk: int, action: str) -> SampledItem:
    require(request.user, action)
    found = selectors.items(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(f"No sampled item {pk}.")
    return found


# -- reads --------------------------------------------------------------------------------------------


@router.get(
    "/sampling/samples",
    response=list[dict[str, Any]],
    auth=AUTHENTICATED,
    summary="The samples of the audits of operations, newest first",
    description=roles_text(VIEW) + " Filter with ?programme=<CCI> and ?year=<accounting year>.",
)
def list_samples(request: HttpRequest, programme: str = "", year: int | None = None) -> list[dict[str, Any]]:
    require(request.user, VIEW)
    found = selectors.samples(request.user).order_by("-pk")
    if programme:
        found = found.filter(population__programme__cci=programme[:20])
    if year is not None:
        found = found.filter(population__year=year)
    return [_summary(s) for s in found[:500]]


@router.get(
    "/sampling/samples/{sample_id}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="A sample: its parameters and working, the frozen list with each result, the projection",
    description=roles_text(VIEW)
    + " Rates are fractions (0.02 is the 2 % materiality); the projection is empty until made."
    " `corrections_hint`: the financial corrections recorded on the sampled operations' projects,"
    " the figure the page proposes for the residual rate.",
)
def get_sample(request: HttpRequest, sample_id: int) -> dict[str, Any]:
    return _sample_out(_sample(request, sample_id, VIEW))


@router.get(
    "/sampling/populations/{population_id}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="A population: its book value, units, the units left out (zero or negative) and working",
    description=roles_text(VIEW),
)
def get_population(request: HttpRequest, population_id: int) -> dict[str, Any]:
    return _population_out(_population(request, population_id, VIEW))


@router.get(
    "/sampling/results/{cci}/{year}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="The year's audits of operations as the annual control report shows them: every projected "
    "sample of the programme's accounting year combined, with the working",
    description=roles_text(VIEW)
    + " `results` is null while no sample of the year is projected. Rates in per cent, as the report.",
)
def get_results(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, VIEW)
    programme = selectors.programmes(request.user).filter(cci=cci[:20]).first()
    if programme is None:
        raise Http404(f"No programme {cci}.")
    return {"programme": programme.cci, "year": year, "results": selectors.report_results(programme, year)}


# -- writes -------------------------------------------------------------------------------------------


@router.post(
    "/sampling/populations",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Build and freeze the population of a programme's accounting year",
    description=roles_text(MANAGE)
    + " `unit_kind`: operation or claim (payment claim). The expenditure declared to the Commission in"
    " the accounting year (`year`: the calendar year in which it ends); units at zero or below are"
    " left out and listed.",
    openapi_extra=json_body_doc(PopulationIn),
)
def build_population(request: HttpRequest) -> Status:
    require(request.user, MANAGE)
    data = body(request, PopulationIn)
    problems: dict[str, str] = {}
    if not FIRST_YEAR <= data.year <= LAST_YEAR:
        problems["year"] = _("An accounting year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    _refuse_fields(problems)
    programme = selectors.programmes(request.user).filter(cci=data.programme[:20]).first()
    if programme is None:
        raise Http404(f"No programme {data.programme[:20]}.")
    population = services.population_build(
        actor=request.user, programme=programme, year=data.year, unit_kind=data.unit_kind[:10]
    )
    return Status(201, _population_out(population))


@router.post(
    "/sampling/populations/{population_id}/samples",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Draw a sample from the population: its size by the method, the selection from the seed",
    description=roles_text(MANAGE)
    + " `method`: "
    + ", ".join(Sample.Method.values)
    + ". `category`: the system audits' category 1-4 (by default the year's completed system audits';"
    " a better one is refused); `confidence`: "
    + ", ".join(str(c) for c in sorted(tables.Z_VALUES))
    + " (at least the category's; lower is refused and the refusal kept in the audit trail); `sigma`:"
    " the anticipated standard deviation (σr of the error rates for MUS, σe otherwise), six decimals at"
    " most; `anticipated_error`: AE in euro; `seed`: a whole number from 0, drawn when absent.",
    openapi_extra=json_body_doc(SampleIn),
)
def draw_sample(request: HttpRequest, population_id: int) -> Status:
    population = _population(request, population_id, MANAGE)
    data = body(request, SampleIn)
    problems: dict[str, str] = {}
    sigma = _number(data.sigma, "sigma", problems, 6)
    anticipated = _amount(data.anticipated_error, "anticipated_error", problems)
    if data.sigma in (None, "") and "sigma" not in problems:
        _required(problems, "sigma")
    if data.anticipated_error in (None, "") and "anticipated_error" not in problems:
        _required(problems, "anticipated_error")
    if data.method not in Sample.Method.values:
        problems["method"] = _("Choose a sampling method.")
    if data.category is not None and data.category not in tables.CONFIDENCE_BY_CATEGORY:
        problems["category"] = _("A category is 1, 2, 3 or 4.")
    if data.confidence is not None and data.confidence not in tables.Z_VALUES:
        problems["confidence"] = _("A confidence level of %(levels)s %%.") % {
            "levels": ", ".join(str(c) for c in sorted(tables.Z_VALUES))
        }
    if data.seed is not None and not 0 <= data.seed < 2**63:
        problems["seed"] = _("The seed is a whole number from 0.")
    _refuse_fields(problems)
    assert sigma is not None and anticipated is not None
    sample = services.sample_draw(
        actor=request.user,
        population=population,
        method=data.method,
        sigma=sigma,
        anticipated_error=anticipated,
        category=data.category,
        confidence=data.confidence,
        seed=data.seed,
        capped=data.capped,
    )
    return Status(201, _sample_out(sample))


@router.post(
    "/sampling/items/{item_id}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Record the audit of a sampled item: audited value, irregular amount, type of error, reply",
    description=roles_text(MANAGE)
    + " `lock_version` is the item's. Give `audited_value` or `irregular` (without it, the book value"
    " less the audited value); `error_kind`: random, systemic or anomalous (an anomalous error needs"
    " its `justification`: why it is unique); `auditee_reply` and `notes` are texts of at most"
    f" {TEXT_LIMIT} characters.",
    openapi_extra=json_body_doc(ItemIn),
)
def record_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    item = _item(request, item_id, MANAGE)
    data = body(request, ItemIn)
    problems: dict[str, str] = {}
    audited_value = _amount(data.audited_value, "audited_value", problems)
    irregular = _amount(data.irregular, "irregular", problems)
    if data.error_kind not in SampledItem.ErrorKind.values:
        problems["error_kind"] = _("Choose the type of error.")
    justification = _text(data.justification, "justification", problems)
    reply = _text(data.auditee_reply, "auditee_reply", problems)
    notes = _text(data.notes, "notes", problems)
    _refuse_fields(problems)
    recorded = services.item_record(
        actor=request.user,
        item=item,
        expected_lock_version=data.lock_version,
        audited_value=audited_value,
        irregular=irregular,
        error_kind=data.error_kind,
        justification=justification,
        auditee_reply=reply,
        notes=notes,
    )
    return _item_out(selectors.items(request.user).get(pk=recorded.pk))


@router.post(
    "/sampling/samples/{sample_id}/projection",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Project the recorded results onto the population (every item audited), with the working",
    description=roles_text(MANAGE)
    + " `lock_version` is the sample's. `systemic_extent`: the delimited extent of the systemic errors"
    " in the population (absent: those found); `corrections`: the financial corrections applied for the"
    " year, which give the residual total error rate (absent: 0; see the sample's `corrections_hint`).",
    openapi_extra=json_body_doc(ProjectionIn),
)
def project_sample(request: HttpRequest, sample_id: int) -> dict[str, Any]:
    sample = _sample(request, sample_id, MANAGE)
    data = body(request, ProjectionIn)
    problems: dict[str, str] = {}
    extent = _amount(data.systemic_extent, "systemic_extent", problems)
    corrections = _amount(data.corrections, "corrections", problems)
    _refuse_fields(problems)
    services.sample_project(
        actor=request.user,
        sample=sample,
        expected_lock_version=data.lock_version,
        systemic_extent=extent,
        corrections=corrections if corrections is not None else Decimal(0),
    )
    return _sample_out(_sample(request, sample_id, VIEW))
