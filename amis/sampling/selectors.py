"""Reads of the audits of operations, for the audit authority (`sampling.view`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from amis.accounts.permissions import check
from amis.programme.models import Programme
from amis.sampling.models import (
    AuditPopulation,
    ItemDocument,
    Sample,
    SampledItem,
    SamplingPlan,
    Subsample,
    SubsampledLine,
)


def _allowed(user: Any) -> bool:
    return user is not None and check(user, "sampling.view").allowed


def programmes(user: Any) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("period").order_by("cci")
    return qs if _allowed(user) else qs.none()


def populations(user: Any) -> QuerySet[AuditPopulation]:
    qs = AuditPopulation.objects.select_related("programme__period", "built_by")
    return qs if _allowed(user) else qs.none()


def samples(user: Any) -> QuerySet[Sample]:
    qs = Sample.objects.select_related("population__programme__period", "drawn_by", "projected_by")
    return qs if _allowed(user) else qs.none()


def items(user: Any) -> QuerySet[SampledItem]:
    qs = SampledItem.objects.select_related("unit", "sample__population__programme", "recorded_by")
    return qs if _allowed(user) else qs.none()


def documents(user: Any) -> QuerySet[ItemDocument]:
    qs = ItemDocument.objects.select_related("item")
    return qs if _allowed(user) else qs.none()


def plans(user: Any) -> QuerySet[SamplingPlan]:
    qs = SamplingPlan.objects.select_related("programme__period", "planned_by", "projected_by")
    return qs if _allowed(user) else qs.none()


def subsamples(user: Any) -> QuerySet[Subsample]:
    qs = Subsample.objects.select_related(
        "item__unit", "item__sample__population__programme", "drawn_by", "projected_by"
    )
    return qs if _allowed(user) else qs.none()


def subsampled_lines(user: Any) -> QuerySet[SubsampledLine]:
    qs = SubsampledLine.objects.select_related("subsample__item__unit", "line", "recorded_by")
    return qs if _allowed(user) else qs.none()


def strata(population: AuditPopulation) -> list[str]:
    """The population's strata (specific objectives; "-" for units without one), in order."""
    names = population.population_units.order_by().values_list("stratum", flat=True).distinct()
    return sorted({name or "-" for name in names})


def plan_periods(plan: SamplingPlan) -> list[dict[str, Any]]:
    """Each period of the plan: its population and sample (None while not drawn), audited so far."""
    populations = {p.period: p for p in plan.populations.all()}
    samples = {
        s.population.period: s
        for s in Sample.objects.filter(population__plan=plan).select_related("population", "drawn_by")
    }
    out = []
    for number in (1, 2):
        sample = samples.get(number)
        out.append(
            {
                "number": number,
                "population": populations.get(number),
                "sample": sample,
                "progress": progress(sample) if sample else None,
            }
        )
    return out


def progress(sample: Sample) -> dict[str, Any]:
    rows = sample.items.aggregate(irregular=Sum("irregular"))
    audited = sample.items.filter(audited=True).count()
    return {"audited": audited, "total": sample.size, "irregular": rows["irregular"] or Decimal(0)}


def corrections_hint(sample: Sample) -> Decimal:
    """The financial corrections recorded on the sampled operations' projects (verification and
    on-the-spot findings): a figure to consider for the residual rate, typed in by the auditor."""
    from amis.verification.models import FinancialCorrection

    labels = sample.items.values_list("unit__label", flat=True)
    total = FinancialCorrection.objects.filter(project__reference__in=labels).aggregate(s=Sum("amount"))["s"]
    return total or Decimal(0)


def _percent(rate: str | None) -> str | None:
    """A rate of the projection (a fraction, 0.0123) as the control report writes it (1.23)."""
    if rate in (None, ""):
        return None
    return format((Decimal(rate) * 100).quantize(Decimal("0.01")), "f")


def report_results(programme: Programme, year: int) -> dict[str, Any] | None:
    """The audits of operations of a programme's accounting year for the annual control report
    (`amis.audit.hooks.register_sampling_results`, registered in `SamplingConfig.ready()`): the latest
    projected sample of the year's populations — its method, confidence level, book value, size,
    projected random error, systemic errors, the projected, total and residual total error rates
    (in %) and the upper limit, each rate compared with the 2 % materiality. None when no sample of
    the year is projected yet. Amounts and rates as strings, as the report's snapshot keeps them."""
    projected = (
        Sample.objects.filter(population__programme=programme, population__year=year)
        .exclude(projection={})
        .select_related("population")
        .order_by("-projected_at", "-pk")
    )
    sample = projected.first()
    if sample is None:
        return None
    figures = sample.projection.get("figures", {})
    bv = Decimal(figures.get("bv") or sample.population.book_value)
    projected_random = Decimal(figures.get("projected_random") or 0)
    materiality = Decimal(2)

    def compared(rate: str | None) -> bool | None:
        return None if rate is None else Decimal(rate) > materiality

    projected_rate = _percent(str(projected_random / bv)) if bv else None
    total_rate = _percent(figures.get("total_rate"))
    upper_rate = _percent(figures.get("upper_rate"))
    residual_rate = _percent(figures.get("residual_rate"))
    return {
        "method": sample.get_method_display(),
        "confidence_level": f"{sample.confidence} %",
        "population": figures.get("bv") or str(sample.population.book_value),
        "sample_size": sample.size,
        "projected_random_error": figures.get("projected_random"),
        "systemic_errors": figures.get("systemic"),
        "total_error_rate": total_rate,
        "upper_limit_of_error": figures.get("upper_limit"),
        "residual_total_error_rate": residual_rate,
        "projected_error_rate": projected_rate,
        "total_error": figures.get("total"),
        "upper_limit_rate": upper_rate,
        "materiality_rate": "2.00",
        "projected_error_rate_above_materiality": compared(projected_rate),
        "total_error_rate_above_materiality": compared(total_rate),
        "upper_limit_rate_above_materiality": compared(upper_rate),
        "residual_total_error_rate_above_materiality": compared(residual_rate),
        "sample": sample.pk,
        "samples_projected": projected.count(),
        "system_category": sample.category,
        "seed": sample.seed,
    }
