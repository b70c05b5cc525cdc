"""The desk-verification bench works: at 300 lines it makes its project, imports and submits the
claim through the services, and verifies it in bulk as the verifier's page does.

No timing assertion (timings belong in `bench/` at scale, docs/bench.md); this keeps the scenario
from rotting and checks that what it measured is real."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amis.reporting.models import Report
from amis.verification.models import LineDecision, Verification
from bench.verification import measure

pytestmark = pytest.mark.django_db


def test_the_verification_bench_runs_at_300_lines(belgian: object) -> None:
    result = measure(300, 5, log=lambda _line: None)
    assert result["measures"]["decide_bulk"]["lines"] == 299
    done = Verification.objects.get()
    assert done.status == Verification.Status.COMPLETED and done.report.status == Report.Status.ACCEPTED
    assert LineDecision.objects.filter(verification=done).count() == 300
    assert LineDecision.objects.filter(verification=done, decision="ineligible").count() == 1
    assert Decimal(result["declared"]) == done.eligible_by_decision + done.ineligible + done.reduced
