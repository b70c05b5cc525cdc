"""Two-period sampling within an accounting year (issue 19; guidance section 6.3.3): the services.

The auditor plans the year's MUS sample in two periods. `plan_create` builds period 1's population
now, from the payment applications submitted on or before the cut-off date, takes period 2's book
value and σr as forecasts, computes the year's n and splits it (`rules.methods.two_period_design`)
and draws period 1's sample from the recorded seed. `plan_draw_second`, once period 2's payment
applications are submitted, builds its population from the applications of the year not in period
1, recomputes n2 with the actual BV2 (`rules.methods.two_period_second`) and draws its sample.
`plan_project` combines both periods as the strata of the projection
(`rules.projection.mus_stratified`). Each write is one transaction with its audit entry; every
refusal is kept in the audit trail (`change_refused`); a changed plan is refused with 409.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.audit import selectors as audit_selectors
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic
from amis.programme.models import Programme
from amis.sampling.models import AuditPopulation, Sample, SampledItem, SamplingPlan
from amis.sampling.rules import methods, projection, selection, tables
from amis.sampling.rules.working import Step, money, show
from amis.sampling.services import (
    MAX_SEED,
    MAX_SIGMA,
    _assurance_source,
    _build,
    _category_of,
    _confidence,
    _locked,
    _refusals_audited,
    declared_items,
    results_of,
    within_range,
)

PERIOD_SOURCE = f"{tables.GUIDANCE} section 6.3.3"


def _check_numbers(**values: Decimal | None) -> None:
    for value in values.values():
        if value is None or not within_range(MAX_SIGMA, value) or value < 0:
            raise ApplicationError(
                _(
                    "The standard deviations, the forecast book value and the anticipated error "
                    "cannot be negative."
                )
            )


def _seed(seed: int | None) -> int:
    if seed is None:
        return secrets.randbelow(MAX_SEED)
    if not 0 <= seed < 2**63:
        raise ApplicationError(_("The seed is a whole number from 0."))
    return seed


def _confidence_step(category: int | None, confidence: int, assurance: Any) -> list[dict[str, str]]:
    if category is None:
        return []
    level = tables.confidence_for_category(category)
    return [
        {
            "label": "Confidence level",
            "formula": "from the system audits' category "
            f"(at least {level.confidence} %, chosen {confidence} %)",
            "substituted": f"category {category}: {level.assessment}; {_assurance_source(assurance)}",
            "result": f"{confidence} %",
            "citation": tables.CONFIDENCE_SOURCE,
        }
    ]


def _draw_period(
    actor: Any,
    plan: SamplingPlan,
    population: AuditPopulation,
    *,
    points: int,
    sigma: Decimal,
    tolerable: Decimal,
    seed: int,
    working: list[dict[str, str]],
) -> Sample:
    """Select a period's sample: its 100 % stratum and `points` PPS points over the rest, from the
    seed; the list frozen as the period's `Sample`."""
    rows = list(population.population_units.values_list("pk", "key", "value"))
    units = [methods.Unit(key, value) for _pk, key, value in rows]
    ids = {key: pk for pk, key, _v in rows}
    design = methods.fixed_points_design(units, points, f"Period {population.period}")
    chosen = selection.systematic_pps(design.high_value, design.rest, design.n_sampled, seed)
    sample = Sample.objects.create(
        population=population,
        method=Sample.Method.MUS_TWO_PERIOD,
        category=plan.category,
        confidence=plan.confidence,
        sigma=sigma,
        anticipated_error=plan.anticipated_error,
        tolerable_error=tolerable,
        seed=seed,
        size=len(chosen.picks),
        sampled_size=design.n_sampled,
        sampled_value=money(design.bv_sampled),
        cutoff=design.cutoff,
        interval=chosen.interval.quantize(Decimal("0.000001")),
        start=chosen.start.quantize(Decimal("0.000001")),
        working=[*working, *(s.as_dict() for s in [*design.working, *chosen.working])],
        drawn_by=actor,
    )
    SampledItem.objects.bulk_create(
        [
            SampledItem(
                sample=sample,
                unit_id=ids[p.unit.key],
                position=i,
                stratum=p.stratum,
                hits=p.hits,
                book_value=p.unit.value,
            )
            for i, p in enumerate(chosen.picks, start=1)
        ]
    )
    audit.record(
        actor=actor,
        action="create",
        obj=sample,
        after={
            "method": sample.method,
            "plan": plan.pk,
            "period": population.period,
            "confidence": plan.confidence,
            "seed": seed,
            "size": sample.size,
            "keys": [p.unit.key for p in chosen.picks],
        },
    )
    return sample


@atomic
def plan_create(
    *,
    actor: Any,
    programme: Programme,
    year: int,
    unit_kind: str,
    cutoff_date: dt.date,
    sigma_r1: Decimal,
    sigma_r2: Decimal,
    bv2_forecast: Decimal,
    anticipated_error: Decimal,
    category: int | None = None,
    confidence: int | None = None,
    seed: int | None = None,
    today: dt.date | None = None,
) -> SamplingPlan:
    """Plan the year's MUS sample in two periods and draw period 1's sample now (see the module)."""
    require(actor, "sampling.manage")
    with _refusals_audited(actor, programme, "two-period plan"):
        if unit_kind not in AuditPopulation.UnitKind.values:
            raise ApplicationError(_("Choose the sampling unit: by operation or by payment claim."))
        _check_numbers(s1=sigma_r1, s2=sigma_r2, bv2=bv2_forecast, ae=anticipated_error)
        if cutoff_date is None or cutoff_date > (today or timezone.localdate()):
            raise ApplicationError(
                _("Period 1's cut-off date cannot be in the future: its population is built now.")
            )
        seed = _seed(seed)
        plan = SamplingPlan.objects.create(
            programme=programme,
            year=year,
            unit_kind=unit_kind,
            cutoff_date=cutoff_date,
            confidence=0,
            sigma_r1=sigma_r1,
            sigma_r2=sigma_r2,
            bv2_forecast=bv2_forecast,
            anticipated_error=anticipated_error,
            tolerable_error=Decimal(0),
            size=0,
            size1=0,
            size2=0,
            planned_by=actor,
        )
        items = declared_items(programme, year).filter(application__submitted_on__lte=cutoff_date)
        first = _build(
            actor,
            programme,
            year,
            unit_kind,
            items,
            plan=plan,
            period=1,
            empty=_(
                "No payment application of this year was submitted to the Commission by the cut-off date."
            ),
        )
        assurance = audit_selectors.system_assurance(programme, year)
        category = _category_of(actor, first, assurance, category, confidence)
        category, confidence = _confidence(category, confidence)
        bv1 = first.book_value
        te, te_step = methods.tolerable_error(bv1 + bv2_forecast)
        design = methods.two_period_design(
            bv1,
            bv2_forecast,
            sigma_r1,
            sigma_r2,
            te,
            anticipated_error,
            confidence,
            minimum=methods.MINIMUM_STATISTICAL,
        )
        periods = Step(
            "Book value of the year (planned)",
            "BV = BV1 + BV2 (forecast)",
            f"{show(bv1)} + {show(bv2_forecast)}",
            show(bv1 + bv2_forecast),
            PERIOD_SOURCE,
        )
        working = [
            periods.as_dict(),
            te_step.as_dict(),
            *_confidence_step(category, confidence, assurance),
            *(s.as_dict() for s in design.working),
        ]
        plan.category = category
        plan.confidence = confidence
        plan.tolerable_error = te
        plan.size, plan.size1, plan.size2 = design.n, design.n1, design.n2
        plan.working = working
        plan.save()
        intro = Step(
            "Period 1",
            "payment applications submitted on or before the cut-off date; n1 from the plan",
            f"cut-off {cutoff_date.isoformat()}, BV1 = {show(bv1)}",
            f"n1 = {design.n1}",
            PERIOD_SOURCE,
        )
        sample = _draw_period(
            actor,
            plan,
            first,
            points=design.n1,
            sigma=sigma_r1,
            tolerable=te,
            seed=seed,
            working=[intro.as_dict()],
        )
        audit.record(
            actor=actor,
            action="create",
            obj=plan,
            after={
                "year": year,
                "unit": unit_kind,
                "cutoff_date": cutoff_date.isoformat(),
                "bv1": str(bv1),
                "bv2_forecast": str(bv2_forecast),
                "sigma_r1": str(sigma_r1),
                "sigma_r2": str(sigma_r2),
                "confidence": confidence,
                "category": category,
                "n": design.n,
                "n1": design.n1,
                "n2": design.n2,
                "period_1_sample": sample.pk,
                "seed": seed,
            },
        )
    return plan


def period(plan: SamplingPlan, number: int) -> Sample | None:
    """The sample of period 1 or 2 of the plan, or None while it is not drawn."""
    return Sample.objects.filter(population__plan=plan, population__period=number).first()


@atomic
def plan_draw_second(
    *,
    actor: Any,
    plan: SamplingPlan,
    expected_lock_version: int,
    sigma_r2: Decimal | None = None,
    seed: int | None = None,
) -> Sample:
    """Build period 2's population from the year's submitted payment applications that period 1
    did not hold, recompute n2 with the actual BV2 (and σr2 as the auditor now expects it; the
    forecast when not given) and draw its sample from the recorded seed."""
    require(actor, "sampling.manage")
    with _refusals_audited(actor, plan, "two-period plan: period 2"):
        current = _locked(SamplingPlan, plan, expected_lock_version)
        if current.populations.filter(period=2).exists():
            raise ApplicationError(_("Period 2 is drawn already; its sample is frozen."))
        sigma = current.sigma_r2 if sigma_r2 is None else sigma_r2
        _check_numbers(s2=sigma)
        seed = _seed(seed)
        first = current.populations.get(period=1)
        first_sample = period(current, 1)
        assert first_sample is not None
        items = declared_items(current.programme, current.year).exclude(application_id__in=first.applications)
        second = _build(
            actor,
            current.programme,
            current.year,
            current.unit_kind,
            items,
            plan=current,
            period=2,
            empty=_("No payment application of this year was submitted after period 1's yet."),
        )
        bv1, bv2 = first.book_value, second.book_value
        te, te_step = methods.tolerable_error(bv1 + bv2)
        design = methods.two_period_second(
            bv1,
            bv2,
            current.sigma_r1,
            sigma,
            te,
            current.anticipated_error,
            current.confidence,
            first_sample.sampled_size,
            minimum=methods.MINIMUM_STATISTICAL,
        )
        working = [
            Step(
                "Period 2",
                "payment applications of the year submitted after period 1's; BV = BV1 + BV2 (actual)",
                f"{show(bv1)} + {show(bv2)}",
                show(bv1 + bv2),
                PERIOD_SOURCE,
            ).as_dict(),
            te_step.as_dict(),
            *(s.as_dict() for s in design.working),
        ]
        sample = _draw_period(
            actor, current, second, points=design.n2, sigma=sigma, tolerable=te, seed=seed, working=working
        )
        current.lock_version += 1
        current.save(update_fields=["lock_version"])
        audit.record(
            actor=actor,
            action="update",
            obj=current,
            after={
                "period_2_sample": sample.pk,
                "bv2": str(bv2),
                "sigma_r2": str(sigma),
                "n2": design.n2,
                "seed": seed,
            },
        )
    return sample


def _plan_results(samples: list[Sample]) -> tuple[list[projection.Result], dict[str, str]]:
    """Both periods' results, each key marked with its period (an operation may be in both)."""
    results: list[projection.Result] = []
    strata_of: dict[str, str] = {}
    for number, sample in enumerate(samples, start=1):
        for r in results_of(sample):
            key = f"{number}:{r.key}"
            results.append(projection.Result(key, r.book_value, r.error, r.kind, r.hits, r.stratum))
            strata_of[key] = f"period {number}"
    return results, strata_of


def compute_plan_projection(
    plan: SamplingPlan, systemic_extent: Decimal | None, corrections: Decimal
) -> dict[str, Any]:
    """The projection of both periods (guidance section 6.3.3: the periods are the strata of the
    stratified MUS evaluation, `rules.projection.mus_stratified`), as stored on the plan."""
    first, second = period(plan, 1), period(plan, 2)
    assert first is not None and second is not None
    bv1, bv2 = first.population.book_value, second.population.book_value
    bv = bv1 + bv2
    results, strata_of = _plan_results([first, second])
    combined = projection.mus_stratified(
        results,
        strata_of,
        bv,
        {"period 1": first.sampled_value, "period 2": second.sampled_value},
        plan.confidence,
        systemic_extent=systemic_extent,
    )
    residual = projection.residual_rate(combined.total, corrections, bv)
    opening = Step(
        "Book value of the year",
        "BV = BV1 + BV2; BV_s1, BV_s2 the sampled parts, the periods as strata",
        f"{show(bv1)} + {show(bv2)}; "
        f"BV_s1 = {show(first.sampled_value)}, BV_s2 = {show(second.sampled_value)}",
        show(bv),
        PERIOD_SOURCE,
    )
    return {
        "figures": {
            **combined.figures(),
            "residual_rate": str(residual.rate),
            "corrections": str(corrections),
        },
        "material": combined.material,
        "upper_above": combined.upper_above_materiality,
        "residual_above": residual.rate > tables.MATERIALITY,
        "working": [s.as_dict() for s in [opening, *combined.working, *residual.working]],
        "samples": [first.pk, second.pk],
    }


@atomic
def plan_project(
    *,
    actor: Any,
    plan: SamplingPlan,
    expected_lock_version: int,
    systemic_extent: Decimal | None = None,
    corrections: Decimal = Decimal(0),
) -> SamplingPlan:
    """Project both periods' results onto the year, once every item of both is audited, and keep
    the figures with their working on the plan."""
    require(actor, "sampling.manage")
    with _refusals_audited(actor, plan, "two-period plan: projection"):
        current = _locked(SamplingPlan, plan, expected_lock_version)
        if period(current, 2) is None:
            raise ApplicationError(_("Period 2's sample is not drawn yet."))
        missing = SampledItem.objects.filter(sample__population__plan=current, audited=False).count()
        if missing:
            raise ApplicationError(
                _("%(count)s item(s) of the two periods are not audited yet.") % {"count": missing}
            )
        if corrections is None or corrections < 0:
            raise ApplicationError(_("The financial corrections cannot be negative."))
        if systemic_extent is not None and systemic_extent < 0:
            raise ApplicationError(_("The extent of the systemic errors cannot be negative."))
        stored = compute_plan_projection(current, systemic_extent, corrections)
        current.projection = stored
        current.systemic_extent = systemic_extent
        current.corrections = corrections
        current.projected_by = actor
        current.projected_at = timezone.now()
        current.lock_version += 1
        current.save()
        audit.record(actor=actor, action="update", obj=current, after={"projection": stored["figures"]})
    return current
