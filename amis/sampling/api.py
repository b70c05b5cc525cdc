"""The audits of operations in the REST API (/api/v1/sampling/...), read only: the samples (filtered by
programme and accounting year) and one sample with its parameters, its frozen list, each item's result
and the stored projection with its working, so that any auditor can reproduce every number from the
recorded seed. The same selectors as the pages (`sampling.view`); 404 for an unknown sample."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.sampling import selectors
from amis.sampling.models import Sample

router = Router(tags=["audits of operations"])
VIEW = "sampling.view"


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
    }


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
    + " Rates are fractions (0.02 is the 2 % materiality); the projection is empty until made.",
)
def get_sample(request: HttpRequest, sample_id: int) -> dict[str, Any]:
    require(request.user, VIEW)
    sample = selectors.samples(request.user).filter(pk=sample_id).first()
    if sample is None:
        raise Http404(f"No sample {sample_id}.")
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
        "items": [
            {
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
            }
            for i in items
        ],
        "systemic_extent": None if sample.systemic_extent is None else str(sample.systemic_extent),
        "corrections": str(sample.corrections),
        "projection": sample.projection or None,
        "projected_at": sample.projected_at.isoformat() if sample.projected_at else None,
    }
