"""ESF, ESF+ and ISF projects as the other funds' exports list them, for the double-funding check.

Most belong to organisations that never applied to AMIF (their own enterprise numbers); one in twenty
belongs to an AMIF beneficiary, so the check finds a realistic handful of flags among many rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from amis.integrity.models import OtherFundList, OtherFundProject
from bench.gen import names
from bench.gen.context import Context
from bench.gen.insert import insert
from bench.gen.texts import description, title

SHARED = 0.05
FUNDS = ["ESF", "ESF+", "ISF"]


def other_fund_projects(ctx: Context) -> int:
    rnd = ctx.rnd
    count = ctx.scale.other_fund_projects
    first = ctx.ids.take(OtherFundProject, count)
    importer = ctx.users["ra.officer@amis.example"]
    outsiders = len(ctx.organisations) + 1_000_000  # enterprise numbers beyond the AMIF beneficiaries'
    lists = {  # each fund's list, confirmed: the check reads active lists only
        fund: OtherFundList.objects.create(
            fund=fund, name=f"{fund.lower()}-projects.csv", status="active", uploaded_by_id=importer
        ).pk
        for fund in FUNDS
    }

    def rows():  # type: ignore[no-untyped-def]
        for n in range(count):
            if rnd.random() < SHARED:
                _id, name, number = rnd.choice(ctx.organisations)
            else:
                index = outsiders + rnd.randrange(count)
                name, number = names.organisation(rnd, index)["name"], names.kbo(index)
            start = dt.date(rnd.randint(2014, 2026), rnd.randint(1, 12), 1)
            total = Decimal(rnd.randrange(5_000_000, 200_000_000)) / 100
            fund = FUNDS[n % len(FUNDS)]
            yield {
                "id": first + n,
                "source_list_id": lists[fund],
                "source_row": n // len(FUNDS) + 2,
                "fund": fund,
                "beneficiary_name": name,
                "enterprise_number": number,
                "identifier": f"{fund}-{2014 + n % 13}-{n:07d}",
                "title": title(rnd),
                "description": description(rnd, 3),
                "start": start,
                "end": start + dt.timedelta(days=rnd.randint(180, 1095)),
                "total_cost": total,
                "eu_amount": (total * Decimal("0.5")).quantize(Decimal("0.01")),
                "imported_by_id": importer,
            }

    return insert(OtherFundProject, rows())
