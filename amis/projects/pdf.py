"""The grant agreement as a PDF (WeasyPrint), in the agreement's language: the parties, every term
of the version, its number and the amendment's reason, and the blocks where both sides sign.

The PDF of a version is rendered from its frozen terms and its issue (who, when), never from what
changes later (the signatures are recorded in AMIS, on the signed scan): the same version always
gives the same bytes, so the SHA-256 stored when it was issued (`pdf_sha256`) identifies the
document the two sides signed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from amis.core.money import ZERO
from amis.projects.models import AgreementVersion

# fixed metadata: WeasyPrint writes no date unless the document names one, and the identifier is
# derived from the content, so the bytes depend on the version only
_META_DATE = "2000-01-01"


def budget_table(terms: dict[str, Any]) -> dict[str, Any]:
    """The budget by cost category (rows) and year (columns), with totals that sum to the cent."""
    years = sorted({int(b["year"]) for b in terms.get("budget", [])})
    rows: dict[str, dict[int, Decimal]] = {}
    for line in terms.get("budget", []):
        cells = rows.setdefault(str(line["category"]), {})
        year = int(line["year"])
        cells[year] = cells.get(year, ZERO) + Decimal(str(line["amount"]))
    table: list[dict[str, Any]] = [
        {
            "category": category,
            "cells": [cells.get(y, ZERO) for y in years],
            "total": sum(cells.values(), ZERO),
        }
        for category, cells in sorted(rows.items())
    ]
    year_totals = [sum((r["cells"][i] for r in table), ZERO) for i in range(len(years))]
    direct = sum(year_totals, ZERO)
    total = Decimal(str(terms.get("total_cost", direct)))
    return {
        "years": years,
        "rows": table,
        "year_totals": year_totals,
        "direct": direct,
        "indirect": total - direct,
        "indirect_rate": Decimal(str(terms.get("indirect_rate", "0"))),
        "total": total,
    }


def agreement_context(version: AgreementVersion) -> dict[str, Any]:
    agreement = version.agreement
    project = agreement.project
    terms = version.terms
    return {
        "version": version,
        "agreement": agreement,
        "project": project,
        "authority": project.application.call.managing_organisation,
        "terms": terms,
        "budget": budget_table(terms),
        "calendar": [
            {**e, **{k: dt.date.fromisoformat(e[k]) for k in ("period_start", "period_end", "due_date")}}
            for e in terms.get("calendar", [])
        ],
        "eligible_start": dt.date.fromisoformat(terms["eligible_start"]),
        "eligible_end": dt.date.fromisoformat(terms["eligible_end"]),
        "issued_at": timezone.localtime(version.issued_at) if version.issued_at else None,
        "meta_date": _META_DATE,
    }


def agreement_pdf(version: AgreementVersion) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is slow and only PDFs need it

    with translation.override(version.agreement.language or "nl"):
        html = render_to_string("projects/agreement_pdf.html", agreement_context(version))
    return bytes(HTML(string=html).write_pdf())


__all__ = ["agreement_context", "agreement_pdf", "budget_table"]
