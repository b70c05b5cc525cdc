"""The reads of the audit authority take a fixed number of queries, whatever the number of bodies,
assessments, findings and replies (no N+1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amis.audit import selectors, services
from amis.audit.tests.helpers import (
    AUDITOR,
    LOW,
    RA_OFFICER,
    base,
    completed,
    completed_year,
    programme,
    user,
)

pytestmark = pytest.mark.django_db


def _bodies(user_: Any) -> list[Any]:
    found = selectors.plan_for(user_, programme().cci, 2024)
    assert found is not None
    return list(found.bodies.all())


def _queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _more(the_plan: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        body = services.body_add(
            actor=user(AUDITOR),
            plan=the_plan,
            kind="intermediate",
            name=f"Body {i}",
            risk_factors=LOW,
            risk_justification="small",
            key_requirement_codes=["KR2", "KR4"],
        )
        audit = completed(body, {"KR2": 1, "KR4": 1})
        finding = services.finding_add(
            actor=user(AUDITOR),
            system_audit=audit,
            key_requirement="KR4",
            text="t",
            recommendation="r",
            priority="low",
            deadline=dt.date(2025, 1, 1),
        )
        services.finding_reply(actor=user(RA_OFFICER), finding=finding, text="ok")


def test_the_report_content_and_the_plan_take_a_fixed_number_of_queries() -> None:
    base()
    the_plan = completed_year()
    _more(the_plan, 0, 1)  # one body with a finding and a reply: every prefetch runs
    auditor = user(AUDITOR)
    auditor_roles = _queries(lambda: selectors.programmes_for(auditor).exists())  # caches the roles
    assert auditor_roles >= 0
    few_content = _queries(lambda: selectors.generated_content(programme(), 2024))
    few_plan = _queries(lambda: _bodies(auditor))
    _more(the_plan, 1, 4)
    assert _queries(lambda: selectors.generated_content(programme(), 2024)) == few_content
    assert _queries(lambda: _bodies(auditor)) == few_plan
