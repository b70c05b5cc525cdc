"""Publishing 2021-2027 calls at once, on PostgreSQL: two drafts may each fit what their allocation
line has free, but publishing them in parallel must not commit more than the line's EU contribution
(publications on one programme are serialised by a lock on the programme's row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from amis.accounts.models import User
from amis.calls import services as calls
from amis.calls.models import Call
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, load_belgian_programme
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from tests.test_concurrency import _run

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; .ci/run runs it"
    ),
]


def test_parallel_publications_never_commit_more_than_the_line_has(db: None) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    ra = User.objects.get(email="ra.officer@amis.example")
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    fps = Organisation.objects.get(short_name="FPS HA EFU")
    now = timezone.now()
    drafts = [
        calls.call_create(
            actor=ra,
            programme=programme,
            organisation=fps,
            data={
                "code": f"BE21-PAR-{i}",
                "title": {"en": f"Parallel {i}"},
                "specific_objective": "SO2",
                "type_of_action": "regular",
                "budget": "10000000.00",  # five of them fit in the line's 45,000,000.00 only four times
                "eligible_start": "2027-01-01",
                "eligible_end": "2027-12-31",
                "opens_at": now,
                "closes_at": now + dt.timedelta(days=30),
            },
        )[0]
        for i in range(5)
    ]

    def publish(call: Call) -> Callable[[], str]:
        def job() -> str:
            calls.call_transition(
                actor=ra,
                call=call,
                status="published",
                expected_lock_version=call.lock_version,
                no_documents=True,
            )
            return "published"

        return job

    done, failures = _run([publish(c) for c in drafts], threads=5)
    assert failures == []
    assert done == {"published": 4, "refused: invalid": 1}, done  # the fifth: "still free" refused
    published = Call.objects.filter(programme=programme, status=Call.Status.PUBLISHED)
    assert sum((c.budget for c in published), Decimal("0")) == Decimal("40000000.00")
