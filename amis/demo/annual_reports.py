"""Annual reports in the demo (issue 17, section 2), through the real services: the 2021-2027
programme's annual performance report (Reg. (EU) 2021/1147 Art. 35) on the last closed accounting
year, written by the responsible authority's officer (Marc Dubois), submitted to the Monitoring
Committee, approved at its meeting (recorded by Koen Willems, a member) and frozen by the manager
(Anne Peeters); and the draft of the current accounting year, its texts partly written.

Dates are relative to today, like the rest of the demo: the past year is the accounting year that
ended on the last 30 June; the current one ends on the next. Safe to run again: a year that has its
report is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from amis.accounts.models import User
from amis.annual_reports import rules, services
from amis.annual_reports.models import AnnualReport
from amis.programme.models import Programme

OFFICER = "ra.officer@amis.example"
MANAGER = "ra.manager@amis.example"
MEMBER = "mc.member@amis.example"
CCI = "2021BE65AMPR001"

TEXTS = {
    "progress": (
        "{so}: the calls of the year were launched as planned in the Flemish part of the programme; the "
        "selected projects started their activities and reported on their indicators. Progress against "
        "the 2024 milestones is shown in the indicator table."
    ),
    "problems": (
        "{so}: delays in the first interim reports of two beneficiaries (missing payslips) were "
        "resolved by a clarification note and a coaching session; no problem affects the targets."
    ),
    "other": (
        "The Monitoring Committee met twice; the partners were consulted on the calls. The list of "
        "operations was published and updated every four months (CPR Art. 49)."
    ),
}


def _years(today: dt.date) -> tuple[int, int]:
    """(past, current): the accounting year ended on the last 30 June, and the one running."""
    current = today.year + 1 if today.month > 6 else today.year
    return current - 1, current


def _write(report: AnnualReport, officer: User, only_progress: bool = False) -> None:
    for part in list(report.parts.all()):
        if only_progress and part.section != "progress":
            continue
        services.narrative_update(
            actor=officer,
            report=report,
            section=part.section,
            specific_objective=part.specific_objective,
            text=TEXTS.get(part.section, "").format(so=part.specific_objective),
            expected_lock_version=part.lock_version,
        )


@transaction.atomic
def load_annual_reports(log: Callable[[str], None] = print) -> None:
    programme = Programme.objects.filter(cci=CCI).first()
    if programme is None:
        return
    officer, manager, member = (User.objects.get(email=e) for e in (OFFICER, MANAGER, MEMBER))
    today = timezone.localdate()
    past, current = _years(today)
    if (
        rules.report_rule(programme.period.code, past)
        and not programme.annual_reports.filter(year=past).exists()
    ):
        report = services.report_create(actor=officer, programme=programme, year=past)
        _write(report, officer)
        report.refresh_from_db()
        submitted = max(report.period_end + dt.timedelta(days=60), today - dt.timedelta(days=30))
        submitted = min(submitted, today)
        report = services.report_submit(
            actor=officer, report=report, expected_lock_version=report.lock_version, on=submitted
        )
        report = services.committee_decision(
            actor=member,
            report=report,
            expected_lock_version=report.lock_version,
            decision="approve",
            meeting_date=min(submitted + dt.timedelta(days=14), today),
            reference=f"MC AMIF {past}/2, minutes point 4",
            note="Approved without changes.",
        )
        services.report_freeze(actor=manager, report=report, expected_lock_version=report.lock_version)
        log(f"Annual performance report {CCI} {past}: approved by the Monitoring Committee and frozen.")
    if (
        rules.report_rule(programme.period.code, current)
        and not programme.annual_reports.filter(year=current).exists()
    ):
        report = services.report_create(actor=officer, programme=programme, year=current)
        _write(report, officer, only_progress=True)
        log(f"Annual performance report {CCI} {current}: a draft, its progress texts written.")
