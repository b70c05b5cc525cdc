"""Calls over ten years of the programme: most decided, some closed or open, one big closed call.

The big call (ESF agency Flanders, SO2 NO2) holds a tenth of all applications, all checked and
assessed twice, so ranking it is the real batch job an officer would start.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from amis.calls.models import Call
from bench.gen.context import BIG_CALL, Context
from bench.gen.insert import insert

OBJECTIVES = [("SO1", "NO1"), ("SO1", "NO2"), ("SO2", "NO1"), ("SO2", "NO2"), ("SO3", "NO1"), ("SO3", "NO3")]
AWARD_CRITERIA = [
    {"code": "A1", "text": "Relevance to the action", "weight": 40, "min_score": 20},
    {"code": "A2", "text": "Quality of the method", "weight": 35, "min_score": 17},
    {"code": "A3", "text": "Value for money", "weight": 25, "min_score": 12},
]
ELIGIBILITY = [
    {"code": "E1", "text": "The applicant is established in Belgium."},
    {"code": "E2", "text": "The target group are third-country nationals."},
]


def _status(index: int, count: int) -> str:
    """Oldest calls are decided; the newest are closed, published or still a draft."""
    left, tenth = count - index, max(1, count // 10)
    if left == 1:
        return Call.Status.DRAFT
    if left <= 1 + tenth:
        return Call.Status.PUBLISHED
    if left <= 1 + 2 * tenth:
        return Call.Status.CLOSED
    return Call.Status.DECIDED


def _row(ctx: Context, call_id: int, index: int, count: int) -> dict:
    so, no = OBJECTIVES[index % len(OBJECTIVES)]
    year = 2015 + index * 10 // count
    opens = dt.datetime(year - 1, 1 + index % 9, 1, 9, 0, tzinfo=dt.UTC)
    managers = ["ESF Flanders", "FSE FWB", "FPS HA EFU"]
    return {
        "id": call_id,
        "code": f"BENCH-{year}-{index:03d}",
        "programme_id": ctx.programme_id,
        "managing_organisation_id": ctx.authorities[managers[index % 3]],
        "procedure": Call.Procedure.OPEN.value,
        "title": {
            "nl": f"Oproep {index}: integratie en onthaal van derdelanders",
            "fr": f"Appel {index} : intégration et accueil des ressortissants de pays tiers",
            "en": f"Call {index}: integration and reception of third-country nationals",
        },
        "description": {"en": "Projects that help newcomers find their way in Belgian society."},
        "languages": ["nl", "fr", "en"],
        "specific_objective": so,
        "national_objectives": [no],
        "actions": [index % 20 + 1],
        "budget": Decimal(ctx.rnd.randrange(1_000_000, 8_000_000, 50_000)).quantize(Decimal("0.01")),
        "max_eu_rate": Decimal("0.7500"),
        "min_grant": Decimal("50000.00"),
        "max_grant": Decimal("400000.00"),
        "eligible_kinds": ["ngo", "local_public_body"],
        "eligible_start": dt.date(year, 1, 1),
        "eligible_end": dt.date(year + 2, 12, 31),
        "target_groups": ["third-country nationals"],
        "indicators": ["C2", "C3"],
        "eligibility_criteria": ELIGIBILITY,
        "award_criteria": AWARD_CRITERIA,
        "pass_mark": Decimal("60.00"),
        "opens_at": opens,
        "closes_at": opens + dt.timedelta(days=60),
        "status": _status(index, count),
        "created_by_id": ctx.users["da.flanders@amis.example"],
        "created_at": opens - dt.timedelta(days=14),
    }


def calls(ctx: Context) -> int:
    count = ctx.scale.calls
    first = ctx.ids.take(Call, count)
    rows = [_row(ctx, first + i, i, count) for i in range(count)]
    big = rows[count - 2]  # the newest closed call: just before the published ones
    big.update(
        code=BIG_CALL,
        managing_organisation_id=ctx.authorities["ESF Flanders"],
        specific_objective="SO2",
        national_objectives=["NO2"],
        status=Call.Status.CLOSED,
        budget=Decimal("150000000.00"),
    )
    big["closes_at"] = big["opens_at"] + dt.timedelta(days=90)
    ctx.calls = rows
    return insert(Call, rows)
