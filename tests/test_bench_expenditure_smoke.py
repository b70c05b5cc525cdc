"""The expenditure bench works: at 2,000 lines it makes its project, generates the CSV and XLSX,
imports both through the worker's code path, and measures the reads and the memory.

No timing assertion (timings belong in `bench/` at scale, docs/bench.md); this keeps the scenario
from rotting and checks what it measured is real: every line imported, the lines counted as
declared once their report is submitted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amis.reporting.models import ExpenditureImport, ExpenditureLine, Report
from amis.reporting.selectors import financial_picture
from bench.expenditure import measure

pytestmark = pytest.mark.django_db


def test_the_expenditure_bench_runs_at_2000_lines(belgian: object) -> None:
    result = measure(2_000, 7, 1, memory=True, log=lambda _line: None)
    m = result["measures"]
    assert m["import_csv"]["lines"] == m["import_xlsx"]["lines"] == 2_000
    assert m["financial_picture"]["queries"] > 0 and m["lines_first_page"]["queries"] > 0
    assert [run["lines"] for run in m["memory"]] == [200, 2_000, 200, 2_000]
    assert all(run["peak_mib"] > 0 for run in m["memory"])
    assert ExpenditureImport.objects.filter(status="done").count() == 6
    submitted = Report.objects.get(status=Report.Status.SUBMITTED)
    declared = sum(
        ExpenditureLine.objects.filter(report=submitted).values_list("amount_declared", flat=True), Decimal(0)
    )
    picture = financial_picture(submitted.project)
    assert picture.total("declared") == declared > 0
