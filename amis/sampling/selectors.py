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
    PopulationUnit,
    Sample,
    SampledItem,
    SamplingPlan,
    Subsample,
    SubsampledLine,
)
from amis.sampling.rules import combined
from amis.sampling.rules.working import money, show


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


def _figure(figures: dict[str, Any], key: str) -> Decimal:
    return money(Decimal(figures.get(key) or 0))


def _part(sample: Sample) -> combined.Part:
    figures = sample.projection.get("figures", {})
    return combined.Part(
        sample=sample.pk,
        population=sample.population_id,
        method=sample.method,
        confidence=sample.confidence,
        bv=money(Decimal(figures.get("bv") or sample.population.book_value)),
        size=sample.size,
        exhaustive=_figure(figures, "exhaustive"),
        projected_random=_figure(figures, "projected_random"),
        systemic=_figure(figures, "systemic"),
        anomalous=_figure(figures, "anomalous"),
        precision=_figure(figures, "precision"),
        total=_figure(figures, "total"),
        corrections=money(Decimal(figures.get("corrections") or sample.corrections or 0)),
    )


def year_samples(programme: Programme, year: int) -> tuple[list[Sample], list[Sample]]:
    """The projected samples of a programme's accounting year that count, and those that do not: of
    the samples drawn from one population the latest projected counts (a sample drawn again from the
    same population replaces the earlier one; summing both would count its expenditure twice)."""
    projected = (
        Sample.objects.filter(population__programme=programme, population__year=year)
        .exclude(projection={})
        .select_related("population")
        .order_by("-projected_at", "-pk")
    )
    counted: dict[int, Sample] = {}
    superseded = []
    for sample in projected:
        if sample.population_id in counted:
            superseded.append(sample)
        else:
            counted[sample.population_id] = sample
    return sorted(counted.values(), key=lambda s: s.pk), sorted(superseded, key=lambda s: s.pk)


def population_overlaps(samples: list[Sample]) -> list[combined.Overlap]:
    """The populations of these samples that hold the same expenditure (`rules.combined.overlaps`),
    read in one query."""
    if len(samples) < 2:
        return []
    kinds = {s.population_id: s.population.unit_kind for s in samples}
    units: dict[int, list[tuple[str, str]]] = {pk: [] for pk in kinds}
    rows = PopulationUnit.objects.filter(population_id__in=kinds).values_list("population_id", "key", "label")
    for population, key, label in rows:
        units[population].append((key, label or key))
    return combined.overlaps({pk: (kinds[pk], units[pk]) for pk in kinds})


def _percent_of(value: Decimal) -> str:
    return format((value * 100).quantize(Decimal("0.01")), "f")


def _row(sample: Sample, part: combined.Part) -> dict[str, Any]:
    figures = sample.projection.get("figures", {})
    return {
        "sample": sample.pk,
        "population": sample.population_id,
        "unit_kind": sample.population.unit_kind,
        "method": sample.get_method_display(),
        "confidence_level": f"{sample.confidence} %",
        "population_value": show(part.bv),
        "sample_size": sample.size,
        "projected_random_error": show(part.projected_random),
        "systemic_errors": show(part.systemic),
        "total_error": show(part.total),
        "precision": show(part.precision),
        "upper_limit_of_error": figures.get("upper_limit"),
        "total_error_rate": _percent(figures.get("total_rate")),
        "corrections": show(part.corrections),
    }


def report_results(programme: Programme, year: int) -> dict[str, Any] | None:
    """The audits of operations of a programme's accounting year for the annual control report
    (`amis.audit.hooks.register_sampling_results`, registered in `SamplingConfig.ready()`): every
    projected sample of the year's populations combined (`rules.combined.combine`: BV, projected
    errors and corrections summed, precision √(Σ SE_i²)); of several samples of one population the
    latest projected counts. The methods, confidence level, book value, size, projected random error,
    systemic errors, the projected, total and residual total error rates (in %) and the upper limit,
    each rate compared with the 2 % materiality; `combination` holds each sample's row, the working
    and the samples left out. When the populations overlap the samples are not summed: the figures
    are left empty and `combination.overlaps` names them. None when no sample of the year is
    projected yet. Amounts and rates as strings, as the report's snapshot keeps them."""
    counted, superseded = year_samples(programme, year)
    if not counted:
        return None
    parts = [_part(s) for s in counted]
    rows = [_row(s, p) for s, p in zip(counted, parts, strict=True)]
    overlapping = population_overlaps(counted)
    common = {
        "method": "; ".join(dict.fromkeys(s.get_method_display() for s in counted)),
        "sample_size": sum(s.size for s in counted),
        "materiality_rate": "2.00",
        "sample": ", ".join(str(s.pk) for s in counted),
        "samples_projected": len(counted) + len(superseded),
        "samples_combined": len(counted),
        "system_category": max((s.category for s in counted if s.category is not None), default=None),
        "seed": ", ".join(str(s.seed) for s in counted),
    }
    combination: dict[str, Any] = {
        "samples": rows,
        "superseded": [s.pk for s in superseded],
        "overlaps": [{"populations": [o.first, o.second], "shared": list(o.shared)} for o in overlapping],
        "working": [],
    }
    if overlapping:
        empty = dict.fromkeys(
            (
                "confidence_level",
                "population",
                "projected_random_error",
                "systemic_errors",
                "total_error_rate",
                "upper_limit_of_error",
                "residual_total_error_rate",
                "projected_error_rate",
                "total_error",
                "upper_limit_rate",
                "precision",
                "corrections",
                "projected_error_rate_above_materiality",
                "total_error_rate_above_materiality",
                "upper_limit_rate_above_materiality",
                "residual_total_error_rate_above_materiality",
            )
        )
        return {**common, **empty, "combination": combination}
    year_figures = combined.combine(parts)
    combination["working"] = [s.as_dict() for s in year_figures.working]
    materiality = Decimal(2)

    def compared(rate: str | None) -> bool | None:
        return None if rate is None else Decimal(rate) > materiality

    bv = year_figures.bv
    projected_rate = _percent_of(year_figures.projected_random / bv)
    total_rate = _percent_of(year_figures.total_rate)
    upper_rate = _percent_of(year_figures.upper_rate)
    residual_rate = _percent_of(year_figures.residual_rate)
    return {
        **common,
        "confidence_level": f"{year_figures.confidence} %",
        "population": show(bv),
        "projected_random_error": show(year_figures.projected_random),
        "systemic_errors": show(year_figures.systemic),
        "total_error_rate": total_rate,
        "upper_limit_of_error": show(year_figures.upper_limit),
        "residual_total_error_rate": residual_rate,
        "projected_error_rate": projected_rate,
        "total_error": show(year_figures.total),
        "upper_limit_rate": upper_rate,
        "precision": show(year_figures.precision),
        "corrections": show(year_figures.corrections),
        "projected_error_rate_above_materiality": compared(projected_rate),
        "total_error_rate_above_materiality": compared(total_rate),
        "upper_limit_rate_above_materiality": compared(upper_rate),
        "residual_total_error_rate_above_materiality": compared(residual_rate),
        "combination": combination,
    }
