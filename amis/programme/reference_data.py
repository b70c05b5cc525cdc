"""Reference data AMIS ships with: funds, programming periods, EU member states, the catalogues of
each fund and period (common indicators, types of intervention).

The funds, periods and catalogues are YAML files under `data/reference/` (and the 2014-2020 AMIF
indicators under `amis/programme/data/`); `load` reads them into the database. It is idempotent
(update_or_create on natural keys) and runs from the data migrations with the historical models of
that migration, so it only touches the models and fields that exist at that point. Maintained
afterwards in the admin. EU usage: Greece is EL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
FUNDS_AND_PERIODS = REFERENCE / "funds-and-periods.yaml"
CATALOGUE = Path(__file__).with_name("data") / "common_indicators_amif_2014_2020.yaml"
INDICATOR_CATALOGUES = [CATALOGUE, *sorted(REFERENCE.glob("common-indicators-*.yaml"))]
INTERVENTION_CATALOGUES = sorted(REFERENCE.glob("intervention-types-*.yaml"))

MEMBER_STATES = [
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("HR", "Croatia"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("EL", "Greece"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SK", "Slovakia"),
    ("SI", "Slovenia"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
    ("UK", "United Kingdom (2014-2020)"),
]


def _read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _model(apps, name: str):  # type: ignore[no-untyped-def]
    """The model as this migration state has it, or None when it does not exist yet."""
    try:
        return apps.get_model("programme", name)
    except LookupError:
        return None


def _has_field(model, name: str) -> bool:  # type: ignore[no-untyped-def]
    return any(f.name == name for f in model._meta.get_fields())


def _codes_per_objective(model) -> bool:  # type: ignore[no-untyped-def]
    """Whether this migration state keys intervention codes by dimension and specific objective (Annex
    VI Table 1 restarts at 001 in each specific objective: keyed by dimension only, they would clash)."""
    return any(
        "specific_objective" in getattr(constraint, "fields", ()) for constraint in model._meta.constraints
    )


def load(apps) -> None:  # type: ignore[no-untyped-def]
    Fund = apps.get_model("programme", "Fund")
    ProgrammingPeriod = apps.get_model("programme", "ProgrammingPeriod")
    MemberState = apps.get_model("programme", "MemberState")
    rows = _read(FUNDS_AND_PERIODS)
    for fund in rows["funds"]:
        Fund.objects.update_or_create(code=fund["code"], defaults={"name": fund["name"]})
    for period in rows["periods"]:
        ProgrammingPeriod.objects.update_or_create(
            code=str(period["code"]),
            defaults={"start_year": period["start_year"], "end_year": period["end_year"]},
        )
    for code, name in MEMBER_STATES:
        MemberState.objects.update_or_create(code=code, defaults={"name": name})

    CommonIndicator = _model(apps, "CommonIndicator")
    if CommonIndicator is not None:
        with_kind = _has_field(CommonIndicator, "kind")
        for path in INDICATOR_CATALOGUES:
            catalogue = _read(path)
            fund = Fund.objects.get(code=catalogue["fund"])
            period = ProgrammingPeriod.objects.get(code=str(catalogue["period"]))
            for row in catalogue.get("indicators") or []:
                if row.get("kind") and not with_kind:
                    continue  # this migration state predates kinds; a later migration loads the row
                defaults = {"name": row["name"], "unit": row["unit"]}
                if with_kind:
                    defaults["kind"] = row.get("kind", "")
                CommonIndicator.objects.update_or_create(
                    fund=fund,
                    period=period,
                    specific_objective=row["specific_objective"],
                    code=row["code"],
                    defaults=defaults,
                )

    Dimension = _model(apps, "InterventionDimension")
    Code = _model(apps, "InterventionCode")
    if Dimension is None or Code is None:
        return
    per_objective = _codes_per_objective(Code)
    for path in INTERVENTION_CATALOGUES:
        catalogue = _read(path)
        fund = Fund.objects.get(code=catalogue["fund"])
        period = ProgrammingPeriod.objects.get(code=str(catalogue["period"]))
        for order, dim in enumerate(catalogue.get("dimensions") or [], start=1):
            dimension, _ = Dimension.objects.update_or_create(
                fund=fund,
                period=period,
                code=dim["code"],
                defaults={"name": dim["name"], "order": order, "reference": dim.get("reference", "")},
            )
            if not per_objective:
                continue  # this migration state keys codes by dimension only; a later migration loads them
            for row in dim.get("codes") or []:
                Code.objects.update_or_create(
                    dimension=dimension,
                    specific_objective=row.get("specific_objective", "") or "",
                    code=str(row["code"]),
                    defaults={"label": row["label"]},
                )
