"""Writes of the audits of operations: building a year's population, drawing a sample, recording
each audited item's result and documents, projecting the errors. Only the audit authority writes
(`sampling.manage`); each write is one transaction with its audit entry, refusals are audited
(`amis.core.transactions.atomic`), and a changed record is refused with 409 (lock version).

The statistics are the plain rules of `amis.sampling.rules`; this module only reads the data,
calls them and keeps what they return (the working included) so that any auditor can see — and
reproduce, from the recorded seed — every number.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.audit import selectors as audit_selectors
from amis.core import audit, uploads
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.transactions import atomic, lock_for_update
from amis.declarations.models import PaymentApplication, PaymentApplicationItem
from amis.programme.models import Programme
from amis.sampling.models import (
    AuditPopulation,
    ItemDocument,
    PopulationUnit,
    Sample,
    SampledItem,
    SamplingPlan,
)
from amis.sampling.rules import methods, projection, selection, tables
from amis.sampling.rules.working import SamplingInputError, Step, money, show

MAX_SEED = 2**31
# the columns' ranges: σ is NUMERIC(18, 6), amounts NUMERIC(15, 2) (amis.core.fields.money_field)
MAX_SIGMA = Decimal("999999999999.999999")
MAX_AMOUNT = Decimal("9999999999999.99")


def within_range(limit: Decimal, *values: Decimal | None) -> bool:
    """Every given number is finite and no larger than its column holds. A caller other than the
    page (the API, a command) may pass NaN or Infinity, which no comparison below may meet: Decimal
    raises on comparing NaN, and the database cannot store it (a 500 instead of a refusal)."""
    return all(v is None or (v.is_finite() and abs(v) <= limit) for v in values)


def declared_items(programme: Programme, year: int) -> Any:
    """The expenditure declared to the Commission in the accounting year: the items of the year's
    submitted payment applications, less those held back from the application itself (they never
    reached the Commission). Items held back later from the accounts were declared and stay in."""
    return PaymentApplicationItem.objects.filter(
        application__programme=programme,
        application__year=year,
        application__status=PaymentApplication.Status.SUBMITTED,
    ).exclude(held_stage=PaymentApplicationItem.Stage.APPLICATION)


def _unit_rows(items: Any, unit_kind: str) -> list[tuple[str, str, str, Decimal, int]]:
    """(key, label, stratum, value, lines) per sampling unit of the declared `items`, summed in the
    database."""
    if unit_kind == AuditPopulation.UnitKind.OPERATION:
        rows = items.values("project__reference").annotate(
            total=Sum("eligible"), lines=Count("pk"), so=Max("specific_objective")
        )
        return [
            (r["project__reference"], r["project__reference"], r["so"], r["total"], r["lines"]) for r in rows
        ]
    rows = items.values("verification_id", "project__reference").annotate(
        total=Sum("eligible"), lines=Count("pk"), so=Max("specific_objective")
    )
    return [
        (
            f"{r['project__reference']}·V{r['verification_id']:07d}",
            r["project__reference"],
            r["so"],
            r["total"],
            r["lines"],
        )
        for r in rows
    ]


@atomic
def population_build(*, actor: Any, programme: Programme, year: int, unit_kind: str) -> AuditPopulation:
    """Build and freeze the population of a programme's accounting year, by operation or by payment
    claim (`rules.selection.build_population`: units at zero or below are left out and listed)."""
    require(actor, "sampling.manage")
    if unit_kind not in AuditPopulation.UnitKind.values:
        raise ApplicationError(_("Choose the sampling unit: by operation or by payment claim."))
    return _build(actor, programme, year, unit_kind, declared_items(programme, year))


def _build(
    actor: Any,
    programme: Programme,
    year: int,
    unit_kind: str,
    items: Any,
    *,
    plan: SamplingPlan | None = None,
    period: int | None = None,
    empty: str = "",
) -> AuditPopulation:
    """Freeze the population of the declared `items` (inside the caller's transaction)."""
    rows = _unit_rows(items, unit_kind)
    info = {key: (label, stratum) for key, label, stratum, _value, _lines in rows}
    built = selection.build_population((key, value) for key, _l, _s, value, _n in rows)
    if not built.units:
        raise ApplicationError(
            empty or _("No expenditure was declared to the Commission for this programme and year.")
        )
    population = AuditPopulation.objects.create(
        programme=programme,
        year=year,
        unit_kind=unit_kind,
        book_value=money(built.bv),
        units=len(built.units),
        lines=sum(n for *_rest, n in rows),
        excluded=[{"key": u.key, "value": str(u.value)} for u in built.excluded],
        working=[s.as_dict() for s in built.working],
        built_by=actor,
        applications=sorted(items.order_by().values_list("application_id", flat=True).distinct()),
        plan=plan,
        period=period,
    )
    PopulationUnit.objects.bulk_create(
        [
            PopulationUnit(
                population=population,
                key=u.key,
                label=info[u.key][0],
                stratum=info[u.key][1] or "",
                value=u.value,
            )
            for u in built.units
        ],
        batch_size=5000,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=population,
        after={
            "year": year,
            "unit": unit_kind,
            "book_value": str(population.book_value),
            "units": population.units,
            "excluded": len(built.excluded),
            "applications": population.applications,
            **({"plan": plan.pk, "period": period} if plan is not None else {}),
        },
    )
    return population


def _assurance_source(assurance: Any) -> str:
    if assurance.category is None:
        return "no system audit completed for the year: category stated by the auditor"
    bodies = ", ".join(f"{name} (category {c})" for name, c in assurance.bodies)
    return f"system audits completed for the year: {bodies}; {assurance.rule}"


def _category_of(
    actor: Any, population: AuditPopulation, assurance: Any, category: int | None, confidence: int | None
) -> int | None:
    """The category the confidence level comes from: the year's completed system audits
    (`amis.audit.selectors.system_assurance`), or the one the auditor states when none is completed.
    A better category than the system audits' one, or a confidence level below the category's
    (CONFIDENCE_BY_CATEGORY), is refused and the refusal kept in the audit trail."""
    if assurance.category is not None:
        if category is not None and category < assurance.category:
            raise _refuse(
                actor,
                population,
                _(
                    "The system audits completed for %(year)s put the system in category %(system)s; "
                    "the sample cannot rest on a better category (%(category)s)."
                )
                % {"year": population.year, "system": assurance.category, "category": category},
                {"category": category, "system_category": assurance.category},
            )
        category = category or assurance.category
    if category is not None and category in tables.CONFIDENCE_BY_CATEGORY and confidence is not None:
        minimum = tables.CONFIDENCE_BY_CATEGORY[category].confidence
        if confidence < minimum:
            raise _refuse(
                actor,
                population,
                _(
                    "A system in category %(category)s needs a confidence level of at least %(minimum)s %%: "
                    "%(chosen)s %% is too low. Choose %(minimum)s %% or higher."
                )
                % {"category": category, "minimum": minimum, "chosen": confidence},
                {"category": category, "confidence": confidence, "minimum": minimum},
            )
    return category


def _refuse(actor: Any, obj: Any, message: str, detail: dict[str, Any]) -> ApplicationError:
    audit.record_security_event(
        user=actor, event="change_refused", obj=obj, detail={**detail, "reason": message}
    )
    error = ApplicationError(message)
    error.audited = True  # type: ignore[attr-defined]
    return error


@contextmanager
def _refusals_audited(actor: Any, obj: Any, action: str) -> Iterator[None]:
    """Every refusal of the service (a rule broken, a stale lock version) kept in the audit trail as
    `change_refused` on the object, with the reason; the service's transaction is rolled back, the
    refusal stays (`amis.core.transactions.atomic`)."""
    try:
        yield
    except SamplingInputError as error:
        raise _refuse(actor, obj, str(error), {"action": action}) from error
    except ApplicationError as error:
        if not getattr(error, "audited", False):
            audit.record_security_event(
                user=actor,
                event="change_refused",
                obj=obj,
                detail={"action": action, "reason": error.message},
            )
        raise


def _confidence(category: int | None, confidence: int | None) -> tuple[int | None, int]:
    if category is not None:
        level = tables.confidence_for_category(category)
        chosen = confidence if confidence is not None else level.confidence
        if chosen < level.confidence:
            raise SamplingInputError(
                f"category {category} needs a confidence level of at least {level.confidence} %"
            )
    elif confidence is None:
        raise SamplingInputError("give the system audits' category or a confidence level")
    else:
        chosen = confidence
    tables.z_value(chosen)  # a level the tables know
    return category, chosen


def _design(
    method: str,
    population: AuditPopulation,
    units: list[methods.Unit],
    strata: dict[str, str],
    category: int | None,
    confidence: int,
    sigma: Decimal,
    te: Decimal,
    ae: Decimal,
    seed: int,
    sigmas: dict[str, Decimal] | None = None,
    capped: bool = False,
) -> tuple[dict[str, Any], list[selection.Pick], list[dict[str, str]]]:
    bv = sum((u.value for u in units), Decimal(0))
    if capped and method not in (Sample.Method.MUS_STANDARD, Sample.Method.MUS_CONSERVATIVE):
        raise SamplingInputError(
            "the capped sample size of 50 applies to a monetary unit sample (Delegated Regulation "
            "(EU) 2023/67 Art. 5(7)); choose MUS standard or conservative, or leave the cap off"
        )
    facts: dict[str, Any] = {"cutoff": Decimal(0), "interval": Decimal(0), "start": Decimal(0), "strata": {}}
    working = []
    if method in (Sample.Method.MUS_STANDARD, Sample.Method.MUS_CONSERVATIVE):
        if method == Sample.Method.MUS_STANDARD:
            design = methods.mus_standard_design(units, sigma, te, ae, confidence)
        else:
            design = methods.mus_conservative_design(units, te, ae, confidence)
        if capped:
            if category is None:
                raise SamplingInputError(
                    "the capped sample size needs the system audits' category (1 or 2) "
                    "(Delegated Regulation (EU) 2023/67 Art. 5(7))"
                )
            design = methods.capped_design(design, category, population.programme.period.code)
        chosen = selection.systematic_pps(design.high_value, design.rest, design.n_sampled, seed)
        working = design.working + chosen.working
        facts.update(
            sampled=design.n_sampled,
            bv_s=design.bv_sampled,
            cutoff=design.cutoff,
            interval=chosen.interval,
            start=chosen.start,
        )
        picks = chosen.picks
    elif method == Sample.Method.MUS_STRATIFIED:
        groups: dict[str, list[methods.Unit]] = {}
        for u in units:
            groups.setdefault(strata[u.key] or "-", []).append(u)
        per_stratum = {g: (sigmas or {}).get(g, sigma) for g in groups}
        sd = methods.mus_stratified_design(
            groups, per_stratum, te, ae, confidence, period=population.programme.period.code
        )
        working = [
            Step(
                "Standard deviation of the error rates per stratum",
                "σr_h as the auditor expects it in stratum h (the σr of the form where none is given)",
                ", ".join(
                    f"{g}: {show(per_stratum[g])}{'' if g in (sigmas or {}) else ' (σr of the form)'}"
                    for g in sorted(groups)
                ),
                ", ".join(f"σr_{g} = {show(per_stratum[g])}" for g in sorted(groups)),
                f"{tables.GUIDANCE} section 6.3.2",
            ),
            *sd.working,
        ]
        facts["sigmas"] = {g: str(per_stratum[g]) for g in sorted(groups)}
        picks = [selection.Pick(u, 1, "high") for u in sd.design.high_value]
        values: dict[str, str] = {}
        for name in sorted(groups):
            rest = [u for u in sd.design.rest if (strata[u.key] or "-") == name]
            chosen = selection.systematic_pps([], rest, sd.allocation[name], seed)
            picks.extend(chosen.picks)
            working.extend(chosen.working)
            values[name] = str(sum((u.value for u in rest), Decimal(0)))
        facts.update(
            sampled=sum(sd.allocation.values()),
            bv_s=sd.design.bv_sampled,
            cutoff=sd.design.cutoff,
            strata=values,
        )
    else:
        if method == Sample.Method.NON_STATISTICAL:
            if category is None:
                raise SamplingInputError("non-statistical sampling needs the system audits' category")
            size = methods.non_statistical_size(units, category, population.programme.period.code)
        else:
            estimator = {"srs_mean": "mean", "srs_ratio": "ratio", "difference": "difference"}[method]
            size = methods.srs_n(len(units), sigma, te, ae, confidence, estimator=estimator)
        chosen = selection.simple_random(units, size.n, seed)
        working = size.working + chosen.working
        picks = chosen.picks
        facts.update(sampled=size.n, bv_s=bv)
    return facts, picks, [s.as_dict() for s in working]


@atomic
def sample_draw(
    *,
    actor: Any,
    population: AuditPopulation,
    method: str,
    sigma: Decimal,
    anticipated_error: Decimal,
    category: int | None = None,
    confidence: int | None = None,
    seed: int | None = None,
    sigmas: dict[str, Decimal] | None = None,
    capped: bool = False,
) -> Sample:
    """Compute the sample size of the method, select the sample from the recorded seed (drawn here
    when none is given) and freeze the selected list. Stratified MUS takes each stratum's σr from
    `sigmas` (stratum → σr; a stratum not given takes `sigma`), kept on the sample. `capped`: the
    2021-2027 capped sample size of 50 units for a MUS sample of a system in category 1 or 2
    (Delegated Regulation (EU) 2023/67 Art. 5(7); `methods.capped_design`), shown in the working.
    AMIS does not record whether a programme is under the enhanced proportionate arrangements of
    Regulation (EU) 2021/1060 Art. 83, which exclude the cap: the auditor who ticks it says it is not."""
    require(actor, "sampling.manage")
    if method not in Sample.Method.values or method == Sample.Method.MUS_TWO_PERIOD:
        raise ApplicationError(_("Choose a sampling method."))
    if not within_range(MAX_SIGMA, sigma, *(sigmas or {}).values()) or not within_range(
        MAX_AMOUNT, anticipated_error
    ):
        raise ApplicationError(
            _("The standard deviation and the anticipated error must be numbers within their fields' range.")
        )
    if sigma is None or sigma < 0 or anticipated_error is None or anticipated_error < 0:
        raise ApplicationError(_("The standard deviation and the anticipated error cannot be negative."))
    sigmas = {k: v for k, v in (sigmas or {}).items() if v is not None}
    if any(v < 0 for v in sigmas.values()):
        raise _refuse(
            actor,
            population,
            _("The standard deviation of a stratum cannot be negative."),
            {"sigmas": {k: str(v) for k, v in sigmas.items()}},
        )
    if method == Sample.Method.MUS_STRATIFIED:
        known = set(population.population_units.values_list("stratum", flat=True).distinct())
        known = {k or "-" for k in known}
        unknown = sorted(set(sigmas) - known)
        if unknown:
            raise _refuse(
                actor,
                population,
                _("The population has no stratum %(names)s.") % {"names": ", ".join(unknown)},
                {"sigmas": {k: str(v) for k, v in sigmas.items()}},
            )
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    if not 0 <= seed < 2**63:
        raise ApplicationError(_("The seed is a whole number from 0."))
    assurance = audit_selectors.system_assurance(population.programme, population.year)
    category = _category_of(actor, population, assurance, category, confidence)
    rows = list(population.population_units.values_list("pk", "key", "value", "stratum"))
    units = [methods.Unit(key, value) for _pk, key, value, _s in rows]
    ids = {key: pk for pk, key, _v, _s in rows}
    strata = {key: stratum for _pk, key, _v, stratum in rows}
    bv = population.book_value
    te, te_step = methods.tolerable_error(bv)
    try:
        category, confidence = _confidence(category, confidence)
        facts, picks, working = _design(
            method,
            population,
            units,
            strata,
            category,
            confidence,
            sigma,
            te,
            anticipated_error,
            seed,
            sigmas,
            capped,
        )
    except SamplingInputError as error:
        raise ApplicationError(str(error)) from error
    if category is not None:
        level = tables.confidence_for_category(category)
        working.insert(
            0,
            {
                "label": "Confidence level",
                "formula": "from the system audits' category (at least "
                f"{level.confidence} %, chosen {confidence} %)",
                "substituted": f"category {category}: {level.assessment}; {_assurance_source(assurance)}",
                "result": f"{confidence} %",
                "citation": tables.CONFIDENCE_SOURCE,
            },
        )
    working.insert(0, te_step.as_dict())
    sample = Sample.objects.create(
        population=population,
        method=method,
        category=category,
        confidence=confidence,
        sigma=sigma,
        anticipated_error=anticipated_error,
        tolerable_error=te,
        seed=seed,
        size=len(picks),
        sampled_size=facts["sampled"],
        sampled_value=money(facts["bv_s"]),
        strata_values=facts["strata"],
        strata_sigmas=facts.get("sigmas", {}),
        cutoff=facts["cutoff"],
        interval=Decimal(facts["interval"]).quantize(Decimal("0.000001")),
        start=Decimal(facts["start"]).quantize(Decimal("0.000001")),
        working=working,
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
            for i, p in enumerate(picks, start=1)
        ]
    )
    audit.record(
        actor=actor,
        action="create",
        obj=sample,
        after={
            "method": method,
            "confidence": confidence,
            "category": category,
            "category_source": "system audits" if assurance.category is not None else "stated by the auditor",
            "system_audits": [[name, c] for name, c in assurance.bodies],
            "seed": seed,
            "size": sample.size,
            "keys": [p.unit.key for p in picks],
            **({"sigmas": sample.strata_sigmas} if sample.strata_sigmas else {}),
        },
    )
    return sample


def _locked(model: Any, obj: Any, expected: int) -> Any:
    current = lock_for_update(model.objects).get(pk=obj.pk)
    if current.lock_version != expected:
        raise StaleObjectError(str(current))
    return current


@atomic
def item_record(
    *,
    actor: Any,
    item: SampledItem,
    expected_lock_version: int,
    audited_value: Decimal | None,
    irregular: Decimal | None,
    error_kind: str = "",
    justification: str = "",
    auditee_reply: str = "",
    notes: str = "",
) -> SampledItem:
    """Record the audit of a sampled item: the audited value and the irregular amount (when only
    the audited value is given, the irregular amount is the book value less it), the type of an
    error (random, systemic, anomalous — an anomalous error needs the justification the guidance
    asks for: why it is unique and does not reflect the population), the auditee's reply."""
    require(actor, "sampling.manage")
    current = _locked(SampledItem, item, expected_lock_version)
    return _item_result(
        actor,
        current,
        audited_value=audited_value,
        irregular=irregular,
        error_kind=error_kind,
        justification=justification,
        auditee_reply=auditee_reply,
        notes=notes,
    )


def _item_result(
    actor: Any,
    current: SampledItem,
    *,
    audited_value: Decimal | None,
    irregular: Decimal | None,
    error_kind: str,
    justification: str,
    auditee_reply: str,
    notes: str,
    source: dict[str, Any] | None = None,
) -> SampledItem:
    """The checks and the write of an item's result (the item locked by the caller)."""
    justification = (justification or "").strip()
    if not within_range(MAX_AMOUNT, audited_value, irregular):
        raise ApplicationError(_("The audited value and the irregular amount must be amounts in euro."))
    if irregular is None:
        if audited_value is None:
            raise ApplicationError(_("Give the audited value or the irregular amount."))
        irregular = max(current.book_value - audited_value, Decimal(0))
    if irregular < 0:
        raise ApplicationError(_("The irregular amount cannot be negative."))
    if irregular > current.book_value:
        raise ApplicationError(_("The irregular amount cannot exceed the expenditure declared for the unit."))
    if audited_value is not None and audited_value < 0:
        raise ApplicationError(_("The audited value cannot be negative."))
    if error_kind not in SampledItem.ErrorKind.values:
        raise ApplicationError(_("Choose the type of error."))
    if irregular > 0 and not error_kind:
        raise ApplicationError(_("Say whether the error is random, systemic or anomalous."))
    if irregular == 0:
        error_kind = ""
    if error_kind == SampledItem.ErrorKind.ANOMALOUS and not justification:
        raise ApplicationError(
            _("An anomalous error needs its justification: why it is unique and not found elsewhere.")
        )
    before = {
        "audited_value": None if current.audited_value is None else str(current.audited_value),
        "irregular": str(current.irregular),
        "error_kind": current.error_kind,
    }
    current.audited = True
    current.audited_value = audited_value
    current.irregular = irregular
    current.error_kind = error_kind
    current.justification = justification
    current.auditee_reply = (auditee_reply or "").strip()
    current.notes = (notes or "").strip()
    current.recorded_by = actor
    current.recorded_at = timezone.now()
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before=before,
        after={
            "audited_value": None if audited_value is None else str(audited_value),
            "irregular": str(irregular),
            "error_kind": error_kind,
            "justification": justification,
            **(source or {}),
        },
    )
    return current


@atomic
def item_add_document(*, actor: Any, item: SampledItem, name: str, data: bytes) -> ItemDocument:
    require(actor, "sampling.manage")
    clean, content_type = uploads.check(name, data)
    digest = hashlib.sha256(data).hexdigest()
    document = ItemDocument(
        item=item, name=clean, content_type=content_type, size=len(data), sha256=digest, uploaded_by=actor
    )
    document.file.save(f"{digest[:16]}-{clean}", ContentFile(data), save=False)
    document.save()
    audit.record(actor=actor, action="create", obj=document, after={"name": clean, "sha256": digest})
    return document


def results_of(sample: Sample) -> list[projection.Result]:
    out = []
    for item in sample.items.select_related("unit").order_by("position"):
        out.append(
            projection.Result(
                key=item.unit.key,
                book_value=item.book_value,
                error=item.irregular,
                kind=item.error_kind or projection.RANDOM,
                hits=item.hits,
                stratum=item.stratum,
            )
        )
    return out


def compute_projection(
    sample: Sample, systemic_extent: Decimal | None, corrections: Decimal
) -> dict[str, Any]:
    """The projection of the sample's results by its method (plain rules), as stored."""
    results = results_of(sample)
    bv = sample.population.book_value
    method = sample.method
    if method == Sample.Method.MUS_STANDARD:
        p = projection.mus_standard(
            results, bv, sample.sampled_value, sample.confidence, systemic_extent=systemic_extent
        )
    elif method == Sample.Method.MUS_CONSERVATIVE:
        p = projection.mus_conservative(
            results,
            bv,
            sample.sampled_value,
            sample.sampled_size,
            sample.confidence,
            systemic_extent=systemic_extent,
        )
    elif method == Sample.Method.MUS_STRATIFIED:
        strata_of = dict(
            sample.items.values_list("unit__key", "unit__stratum")
        )  # the stratum each unit was drawn in
        strata_of = {k: v or "-" for k, v in strata_of.items()}
        p = projection.mus_stratified(
            results,
            strata_of,
            bv,
            {k: Decimal(v) for k, v in sample.strata_values.items()},
            sample.confidence,
            systemic_extent=systemic_extent,
        )
    elif method == Sample.Method.NON_STATISTICAL:
        p = projection.non_statistical(results, bv, systemic_extent=systemic_extent)
    else:
        estimator = {"srs_mean": "mean", "srs_ratio": "ratio", "difference": "difference"}[method]
        p = projection.simple_random(
            results,
            sample.population.units,
            bv,
            sample.confidence,
            estimator=estimator,
            systemic_extent=systemic_extent,
        )
    residual = projection.residual_rate(p.total, corrections, bv)
    return {
        "figures": {**p.figures(), "residual_rate": str(residual.rate), "corrections": str(corrections)},
        "material": p.material,
        "upper_above": p.upper_above_materiality,
        "residual_above": residual.rate > tables.MATERIALITY,
        "working": [s.as_dict() for s in [*p.working, *residual.working]],
    }


@atomic
def sample_project(
    *,
    actor: Any,
    sample: Sample,
    expected_lock_version: int,
    systemic_extent: Decimal | None = None,
    corrections: Decimal = Decimal(0),
) -> Sample:
    """Project the recorded results onto the population once every item is audited, and keep the
    figures with their working; the financial corrections give the residual total error rate."""
    require(actor, "sampling.manage")
    current = _locked(Sample, sample, expected_lock_version)
    if current.method == Sample.Method.MUS_TWO_PERIOD:
        raise _refuse(
            actor,
            current,
            _("A sample of one of two periods is projected with the other period, on its plan's page."),
            {"action": "project", "plan": current.population.plan_id},
        )
    missing = current.items.filter(audited=False).count()
    if missing:
        raise ApplicationError(_("%(count)s item(s) of the sample are not audited yet.") % {"count": missing})
    if corrections is None or corrections < 0:
        raise ApplicationError(_("The financial corrections cannot be negative."))
    if systemic_extent is not None and systemic_extent < 0:
        raise ApplicationError(_("The extent of the systemic errors cannot be negative."))
    try:
        stored = compute_projection(current, systemic_extent, corrections)
    except SamplingInputError as error:
        raise ApplicationError(str(error)) from error
    current.projection = stored
    current.systemic_extent = systemic_extent
    current.corrections = corrections
    current.projected_by = actor
    current.projected_at = timezone.now()
    current.lock_version += 1
    current.save()
    audit.record(actor=actor, action="update", obj=current, after={"projection": stored["figures"]})
    return current
