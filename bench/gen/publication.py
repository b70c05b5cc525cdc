"""What the public list of operations (issue 18) reads, for every generated project: a grant
agreement with its signed version 1 (an operation is published once its agreement is signed), the
publication details (a location: postcode, municipality and NUTS code, some country-wide with a note,
one in a hundred beneficiaries marked a natural person), one operation in two hundred withheld by an
approved exclusion, and the change stamps: every operation stamped at the generation time, and one
in twenty (1,000 of 20,000 at full scale) changed forty days later — what an `updated_since`
harvest between the two finds.

Runs on a database generated before it existed too: `python -m bench.generate --add publication`
(bench/generate.py) fills only the projects without an agreement and leaves everything else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from amis.accounts.models import User
from amis.projects.models import AgreementVersion, GrantAgreement, Project
from amis.public.models import OperationStamp, PublicationDetails, PublicationExclusion
from amis.public.rules import belgian_nuts2
from bench.gen.context import Context
from bench.gen.insert import STAMP, Row, insert
from bench.gen.names import CITIES

CHANGED = STAMP + dt.timedelta(days=40)  # the stamp of the operations changed since the harvest
HARVESTED = STAMP + dt.timedelta(days=1)  # what a harvester asks: updated_since=HARVESTED
RATE = Decimal("0.0001")


def _user(ctx: Context, email: str) -> int:
    return ctx.users.get(email) or User.objects.get(email=email).pk


def publication(ctx: Context) -> dict[str, int]:
    projects = list(
        Project.objects.filter(agreement__isnull=True)
        .order_by("pk")
        .values_list("pk", "reference", "eu_contribution", "total_cost", "start_date", "end_date")
    )
    if not projects:
        return {}
    officer = _user(ctx, "ra.officer@amis.example")
    manager = _user(ctx, "ra.manager@amis.example")
    first_agreement = ctx.ids.take(GrantAgreement, len(projects))
    first_version = ctx.ids.take(AgreementVersion, len(projects))
    agreements: list[Row] = []
    versions: list[Row] = []
    details: list[Row] = []
    exclusions: list[Row] = []
    stamps: list[Row] = []
    first_details = ctx.ids.take(PublicationDetails, len(projects))
    for n, (pk, reference, eu, total, start, end) in enumerate(projects):
        agreement = first_agreement + n
        agreements.append(
            {"id": agreement, "project_id": pk, "reference": f"GA-{reference}", "language": "nl"}
        )
        rate = (eu / total).quantize(RATE) if total else Decimal("1.0000")
        versions.append({
            "id": first_version + n, "agreement_id": agreement, "number": 1, "status": "signed",
            "terms": {}, "max_grant": eu, "eu_rate": min(max(rate, RATE), Decimal(1)), "total_cost": total,
            "eligible_start": start, "eligible_end": end, "in_force_from": start,
            "prepared_by_id": officer, "prepared_at": STAMP, "issued_by_id": manager, "issued_at": STAMP,
            "authority_signatory": "RA", "authority_signed_on": STAMP.date(),
            "authority_signed_by_id": manager, "beneficiary_signatory": "Beneficiary",
            "beneficiary_signed_on": STAMP.date(),
        })  # fmt: skip
        postcode, city, _lang = CITIES[ctx.rnd.randrange(len(CITIES))]
        country_wide = n % 33 == 5
        details.append({
            "id": first_details + n, "project_id": pk,
            "postcode": "" if country_wide else postcode, "municipality": "" if country_wide else city,
            "nuts_code": "BE" if country_wide else belgian_nuts2(postcode),
            "country_wide": country_wide,
            "location_note": "mobile teams across the country" if country_wide else "",
            "beneficiary_is_natural_person": n % 100 == 7, "updated_by_id": officer,
        })  # fmt: skip
        if n % 200 == 11:
            exclusions.append({
                "project_id": pk, "reason": "security", "text": "generated", "status": "approved",
                "proposed_by_id": officer, "proposed_at": STAMP,
                "approved_by_id": manager, "approved_at": STAMP,
            })  # fmt: skip
        stamps.append({"project_id": pk, "published_changed_at": CHANGED if n % 20 == 3 else STAMP})
    first_exclusion = ctx.ids.take(PublicationExclusion, len(exclusions))
    for n, row in enumerate(exclusions):
        row["id"] = first_exclusion + n
    OperationStamp.objects.filter(project_id__in=[p[0] for p in projects]).delete()
    return {
        "grant agreements": insert(GrantAgreement, agreements),
        "agreement versions (signed)": insert(AgreementVersion, versions),
        "publication details": insert(PublicationDetails, details),
        "publication exclusions": insert(PublicationExclusion, exclusions),
        "operation stamps": insert(OperationStamp, stamps),
    }
