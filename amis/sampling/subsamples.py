"""Sub-sampling within a large operation (issue 19; guidance section 7): the services.

A sampled item — an operation or a payment claim — stands for the expenditure lines the
beneficiary declared and the management verification decided (`verification.LineDecision`, the
amount kept by the verifier: its eligible amount). For an item made of many lines the auditor draws
a sub-sample of m = min(M, 30) lines at random from a recorded seed (`rules.methods.subsample_size`,
`rules.selection.simple_random`: the same seed and lines give the same list), frozen; records each
line's audited value or error; and the item's error is projected from them with the ratio
estimator (`rules.projection.subsample`), which fills the item's irregular amount. Each write is
one transaction with its audit entry; every refusal is kept in the audit trail; a changed record is
refused with 409.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.sampling.models import AuditPopulation, SampledItem, Subsample, SubsampledLine
from amis.sampling.rules import methods, projection, selection
from amis.sampling.rules.working import Step, show
from amis.sampling.services import MAX_SEED, _item_result, _locked, _refusals_audited, declared_items
from amis.verification.models import LineDecision


def unit_lines(item: SampledItem) -> list[tuple[str, str, Decimal, int]]:
    """The expenditure lines behind a sampled item, in key order: (key, label, eligible amount,
    expenditure line id) of each line decided with an amount kept in the verifications whose
    declared items make the unit (the population's payment applications; by operation, every
    verification of the project declared in them; by payment claim, the one verification)."""
    population = item.sample.population
    items = declared_items(population.programme, population.year)
    if population.applications:
        items = items.filter(application_id__in=population.applications)
    key = item.unit.key
    if population.unit_kind == AuditPopulation.UnitKind.OPERATION:
        items = items.filter(project__reference=key)
    else:
        _reference, _sep, number = key.rpartition("·V")
        items = items.filter(verification_id=int(number) if number.isdigit() else 0)
    decisions = (
        LineDecision.objects.filter(verification_id__in=items.values("verification_id"), eligible__gt=0)
        .select_related("line")
        .order_by("verification_id", "line__position", "pk")
    )
    out = []
    for d in decisions:
        line = d.line
        label = " · ".join(
            part
            for part in (line.category, line.supplier_name, line.invoice_number, line.description)
            if part
        )
        out.append((f"V{d.verification_id:07d}·L{line.position:05d}", label[:300], d.eligible, line.pk))
    return out


@atomic
def subsample_draw(*, actor: Any, item: SampledItem, seed: int | None = None) -> Subsample:
    """Draw and freeze the sub-sample of the item's lines (see the module)."""
    require(actor, "sampling.manage")
    with _refusals_audited(actor, item, "sub-sample"):
        current = (
            lock_for_update(SampledItem.objects).select_related("sample__population", "unit").get(pk=item.pk)
        )
        if Subsample.objects.filter(item=current).exists():
            raise ApplicationError(_("The item's sub-sample is drawn already; it is frozen."))
        if seed is None:
            seed = secrets.randbelow(MAX_SEED)
        if not 0 <= seed < 2**63:
            raise ApplicationError(_("The seed is a whole number from 0."))
        lines = unit_lines(current)
        if not lines:
            raise ApplicationError(_("No expenditure line with an eligible amount lies behind this item."))
        size = methods.subsample_size(len(lines))
        chosen = selection.simple_random([methods.Unit(k, v) for k, _l, v, _id in lines], size.n, seed)
        info = {k: (label, line_id) for k, label, _v, line_id in lines}
        total = sum((v for _k, _l, v, _id in lines), Decimal(0))
        working = [
            Step(
                "Expenditure lines behind the item",
                "the lines the management verification kept an amount of, "
                "in the verifications declared for the unit",
                f"{len(lines)} line(s), Σ eligible = {show(total)}; "
                f"the item's book value {show(current.book_value)}",
                f"M = {len(lines)}",
                "AMIS: verification.LineDecision of the unit's declared items",
            ),
            *size.working,
            *chosen.working,
        ]
        subsample = Subsample.objects.create(
            item=current,
            seed=seed,
            lines=len(lines),
            size=size.n,
            lines_value=total,
            working=[s.as_dict() for s in working],
            drawn_by=actor,
        )
        SubsampledLine.objects.bulk_create(
            [
                SubsampledLine(
                    subsample=subsample,
                    position=i,
                    key=p.unit.key,
                    line_id=info[p.unit.key][1],
                    label=info[p.unit.key][0],
                    book_value=p.unit.value,
                )
                for i, p in enumerate(chosen.picks, start=1)
            ]
        )
        audit.record(
            actor=actor,
            action="create",
            obj=subsample,
            after={
                "item": current.pk,
                "seed": seed,
                "lines": len(lines),
                "size": size.n,
                "keys": chosen.keys,
            },
        )
    return subsample


@atomic
def subsample_line_record(
    *,
    actor: Any,
    line: SubsampledLine,
    expected_lock_version: int,
    audited_value: Decimal | None,
    error: Decimal | None,
    notes: str = "",
) -> SubsampledLine:
    """Record the audit of a sub-sampled line: its audited value and error (when only the audited
    value is given, the error is the line's eligible amount less it)."""
    require(actor, "sampling.manage")
    with _refusals_audited(actor, line, "sub-sampled line"):
        current = _locked(SubsampledLine, line, expected_lock_version)
        if error is None:
            if audited_value is None:
                raise ApplicationError(_("Give the audited value or the error."))
            error = max(current.book_value - audited_value, Decimal(0))
        if audited_value is not None and audited_value < 0:
            raise ApplicationError(_("The audited value cannot be negative."))
        if error < 0:
            raise ApplicationError(_("The error cannot be negative."))
        if error > current.book_value:
            raise ApplicationError(_("The error cannot exceed the line's eligible amount."))
        before = {
            "audited_value": None if current.audited_value is None else str(current.audited_value),
            "error": str(current.error),
        }
        current.audited = True
        current.audited_value = audited_value
        current.error = error
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
                "error": str(error),
            },
        )
    return current


@atomic
def subsample_project(
    *,
    actor: Any,
    subsample: Subsample,
    expected_lock_version: int,
    error_kind: str = "",
    justification: str = "",
) -> Subsample:
    """Project the item's error from its audited sub-sample (E_op = Σ e_j / Σ bv_j × BV_op) and
    record it as the item's result: irregular amount E_op, audited value BV_op − E_op, with the type
    of error (an anomalous one with its justification), as `services.item_record` does."""
    require(actor, "sampling.manage")
    with _refusals_audited(actor, subsample, "sub-sample: projection"):
        current = _locked(Subsample, subsample, expected_lock_version)
        item = lock_for_update(SampledItem.objects).get(pk=current.item_id)
        missing = current.picked.filter(audited=False).count()
        if missing:
            raise ApplicationError(
                _("%(count)s line(s) of the sub-sample are not audited yet.") % {"count": missing}
            )
        picked = list(current.picked.order_by("position").values_list("book_value", "error"))
        result = projection.subsample(picked, item.book_value)
        current.error = result.error
        current.projection = [s.as_dict() for s in result.working]
        current.projected_by = actor
        current.projected_at = timezone.now()
        current.lock_version += 1
        current.save()
        audit.record(
            actor=actor,
            action="update",
            obj=current,
            after={"error": str(result.error), "working": current.projection},
        )
        _item_result(
            actor,
            item,
            audited_value=item.book_value - result.error,
            irregular=result.error,
            error_kind=error_kind or "",
            justification=justification,
            auditee_reply=item.auditee_reply,
            notes=item.notes,
            source={"subsample": current.pk},
        )
    return current
