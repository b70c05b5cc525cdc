"""The audit authority in the demo (issue 19), through the real services, by the Inspectorate of
Finance's auditor (Nathalie Leroy): the 2021-2027 programme's audit strategy and the plan of the
last closed accounting year (`declarations.closed_year`: built on 1 December 2026, accounting year
2026, 1 July 2025 - 30 June 2026, whose final payment application reached the Commission on 20 July
2026; the sampling of operations reads this year's assurance), with two bodies and their documented risk
assessment — the responsible authority (FPS Home Affairs, acting as managing authority) and the
delegated authority (the ESF Agency Flanders) —, both system audits completed (the responsible
authority's management verifications in category 2), a finding on them with its recommendation,
the authority's reply (Marc Dubois) and the auditor's closure; a second finding left open; and the
draft annual control report of the year, its opinion still to be written.

Safe to run again: what exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from amis.accounts.models import User
from amis.audit import services
from amis.audit.models import AuditPlan, AuditStrategy, ControlReport, SystemAudit
from amis.demo.declarations import closed_year
from amis.demo.programme import BELGIAN_2021_CCI
from amis.organisations.models import Organisation
from amis.programme.models import Programme

AUDITOR = "auditor@amis.example"
RA_OFFICER = "ra.officer@amis.example"

BODIES: list[dict[str, Any]] = [
    {
        "organisation": "FPS Home Affairs - European Funds Unit",
        "kind": "responsible",
        "factors": {"size": 5, "complexity": 4, "changes": 3, "previous_results": 3, "time_since_audit": 3},
        "why": "Manages the whole programme and its payments; a new verification checklist this year.",
        "codes": ["KR2", "KR4", "KR6", "KR7"],
        "categories": {"KR2": 1, "KR4": 2, "KR6": 1, "KR7": 1},
        "conclusion": "The system works; the management verifications need some improvement (KR4).",
    },
    {
        "organisation": "European Social Fund Agency Flanders",
        "kind": "delegated",
        "factors": {"size": 2, "complexity": 3, "changes": 2, "previous_results": 1, "time_since_audit": 4},
        "why": "The integration part delegated by memorandum of understanding; not audited since 2023.",
        "codes": ["KR1", "KR4"],
        "categories": {"KR1": 1, "KR4": 1},
        "conclusion": "The delegated tasks work well.",
    },
]


def audit_year(programme: Programme, today: dt.date) -> int:
    """The accounting year the audit authority audits on `today`: the last one closed and declared."""
    return closed_year(programme.period.code, today)


@transaction.atomic
def load_audit(log: Callable[[str], None] = print) -> None:
    programme = Programme.objects.select_related("period").filter(cci=BELGIAN_2021_CCI).first()
    if programme is None:
        return
    auditor, officer = User.objects.get(email=AUDITOR), User.objects.get(email=RA_OFFICER)
    today = timezone.localdate()
    year = audit_year(programme, today)
    strategy = AuditStrategy.objects.filter(programme=programme).first() or services.strategy_create(
        actor=auditor,
        programme=programme,
        text="Risk-based audit strategy for 2021-2027: every body audited at least once in three years, "
        "the highest risks first; statistical sampling of the expenditure declared each accounting year.",
    )
    if AuditPlan.objects.filter(strategy=strategy, year=year).exists():
        return
    plan = services.plan_create(actor=auditor, strategy=strategy, year=year, notes="Plan of the demo year.")
    started = today - dt.timedelta(days=60)
    for spec in BODIES:
        organisation = Organisation.objects.filter(name=spec["organisation"]).first()
        body = services.body_add(
            actor=auditor,
            plan=plan,
            kind=spec["kind"],
            name=spec["organisation"],
            organisation=organisation,
            risk_factors=spec["factors"],
            risk_justification=spec["why"],
            key_requirement_codes=spec["codes"],
        )
        system_audit = services.audit_start(actor=auditor, body=body, started_on=started)
        for code, category in spec["categories"].items():
            services.requirement_assess(
                actor=auditor,
                system_audit=system_audit,
                code=code,
                category=category,
                justification=f"Walk-through and 15 files tested for {code}.",
                expected_lock_version=SystemAudit.objects.get(pk=system_audit.pk).lock_version,
            )
        if spec["kind"] == "responsible":
            closed = services.finding_add(
                actor=auditor,
                system_audit=system_audit,
                key_requirement="KR4",
                text="3 of 15 verification checklists were not signed by the verifier.",
                recommendation="Sign every checklist before the verification is completed; "
                "remind the verifiers.",
                priority="high",
                deadline=today - dt.timedelta(days=10),
            )
            services.finding_reply(
                actor=officer,
                finding=closed,
                text="The checklist in AMIS now requires the verifier's signature; the team was briefed.",
                replied_on=today - dt.timedelta(days=20),
            )
            services.finding_close(
                actor=auditor,
                finding=closed,
                closure_note="5 later checklists checked: all signed.",
                expected_lock_version=closed.lock_version,
                closed_on=today - dt.timedelta(days=5),
            )
            services.finding_add(
                actor=auditor,
                system_audit=system_audit,
                key_requirement="KR4",
                text="The sample of on-the-spot checks does not document its risk weights.",
                recommendation="Record the weights of the risk analysis with each year's selection.",
                priority="medium",
                deadline=today + dt.timedelta(days=60),
            )
        services.audit_complete(
            actor=auditor,
            system_audit=system_audit,
            conclusion=spec["conclusion"],
            expected_lock_version=SystemAudit.objects.get(pk=system_audit.pk).lock_version,
            completed_on=today - dt.timedelta(days=15),
        )
    if not ControlReport.objects.filter(programme=programme, year=year).exists():
        services.report_create(actor=auditor, programme=programme, year=year)
    log(
        f"Audit authority {programme.cci} {year}: two system audits (category 2), a finding closed, "
        "a draft control report."
    )
