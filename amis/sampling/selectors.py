"""Reads of the audits of operations, for the audit authority (`sampling.view`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from amis.accounts.permissions import check
from amis.programme.models import Programme
from amis.sampling.models import AuditPopulation, ItemDocument, Sample, SampledItem


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
