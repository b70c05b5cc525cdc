"""Payment applications to the Commission at scale (issue 17 §3), so the dashboard's "declared to the
Commission" column and the decommitment check read real rows: per programme one submitted
application holding every other completed verification as an item (project, call, SO, verified
expenditure, its EU share). Written with COPY through `insert`."""

from __future__ import annotations

import datetime as dt

from amis.declarations.models import PaymentApplication, PaymentApplicationItem
from amis.verification.models import Verification
from bench.gen.context import Context
from bench.gen.insert import Row, insert

STAMP = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


def declarations(ctx: Context) -> dict[str, int]:
    done = list(
        Verification.objects.filter(status=Verification.Status.COMPLETED)
        .order_by("pk")
        .values_list(
            "pk", "report__project_id", "report__project__application__call_id",
            "report__project__application__call__specific_objective",
            "report__project__application__call__programme_id",
            "report__project__application__call__programme__period__code", "verified", "eu_share",
        )
    )  # fmt: skip
    if not done:
        return {}
    officer = ctx.users["ra.officer@amis.example"]
    manager = ctx.users.get("ra.manager@amis.example", officer)
    programmes = sorted({row[4]: row[5] for row in done}.items())
    first = ctx.ids.take(PaymentApplication, len(programmes))
    application_of: dict[int, int] = {}
    applications: list[Row] = []
    for n, (programme, period) in enumerate(programmes):
        application_of[programme] = first + n
        year = 2024 if period == "2014-2020" else 2026  # within each period's years
        applications.append({
            "id": first + n, "programme_id": programme, "year": year, "sequence": 1, "status": "submitted",
            "prepared_by_id": officer, "prepared_at": STAMP, "submitted_by_id": manager,
            "submitted_at": STAMP, "submitted_on": STAMP.date(), "snapshot": {},
        })  # fmt: skip
    chosen = [row for n, row in enumerate(done) if n % 2 == 0]
    first_item = ctx.ids.take(PaymentApplicationItem, len(chosen))
    items = [
        {
            "id": first_item + n, "application_id": application_of[programme], "verification_id": pk,
            "project_id": project, "call_id": call, "specific_objective": so, "eligible": verified or 0,
            "public": eu or 0, "eu": eu or 0,
        }
        for n, (pk, project, call, so, programme, _period, verified, eu) in enumerate(chosen)
    ]  # fmt: skip
    return {
        "payment applications": insert(PaymentApplication, applications),
        "payment application items": insert(PaymentApplicationItem, items),
    }
