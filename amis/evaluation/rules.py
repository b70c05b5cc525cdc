"""The plain rules of evaluations (no Django): when each evaluation the regulations ask for is due,
by which article, per programming period; when the evaluation plan goes to the Monitoring Committee;
the steps an evaluation, a plan and a recommendation may take; what is overdue.

`verified` says whether the date was checked against the Official Journal's text; the issue (17,
section 4) gives the others, to be checked as `data/reference/period-rules.yaml` marks its values.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    article: str
    verified: bool = False


# period code -> evaluation kind -> the regulation's deadline for it
DEADLINES: dict[str, dict[str, Deadline]] = {
    "2014-2020": {
        # Reg. (EU) No 514/2014 Art. 57(1)(a) and (b): the Member State submits the reports
        "interim": Deadline(dt.date(2017, 12, 31), "Reg. (EU) No 514/2014 Art. 57(1)(a)", True),
        "ex_post": Deadline(dt.date(2023, 12, 31), "Reg. (EU) No 514/2014 Art. 57(1)(b)", True),
    },
    "2021-2027": {
        "mid_term": Deadline(
            dt.date(2024, 3, 31), "Reg. (EU) 2021/1060 Art. 44(5); Reg. (EU) 2021/1147 Art. 34"
        ),
        "impact": Deadline(dt.date(2029, 6, 30), "Reg. (EU) 2021/1060 Art. 44(2)"),
        "retrospective": Deadline(dt.date(2031, 1, 31), "Reg. (EU) 2021/1147 Art. 34"),
    },
}
# evaluations every period may hold besides the regulation's: set by the authority's own plan
OWN_KINDS = ("thematic", "impact")
# period code -> (months after the programme decision, article) for submitting the plan
PLAN_SUBMISSION: dict[str, tuple[int, str]] = {"2021-2027": (12, "Reg. (EU) 2021/1060 Art. 44(6)")}
# the criteria evaluation questions answer: Reg. (EU) 2021/1060 Art. 44(1); Reg. (EU) No 514/2014
# Art. 55(3) (relevance, effectiveness, efficiency, added value)
CRITERIA = ("effectiveness", "efficiency", "relevance", "coherence", "eu_added_value")

PLAN_STEPS = {("draft", "submitted"), ("submitted", "approved"), ("submitted", "draft")}
EVALUATION_STEPS = {("planned", "in_progress"), ("in_progress", "delivered"), ("delivered", "published")}
RECOMMENDATION_STEPS = {
    ("open", "in_progress"),
    ("open", "closed"),
    ("in_progress", "implemented"),
    ("in_progress", "closed"),
}
FINAL_RECOMMENDATION = frozenset({"implemented", "closed"})
OPEN_EVALUATION = frozenset({"planned", "in_progress"})


def kinds_for(period: str) -> list[str]:
    """The kinds of evaluation a programme of `period` may plan: the regulation's, then its own."""
    return [*DEADLINES.get(period, {}), *(k for k in OWN_KINDS if k not in DEADLINES.get(period, {}))]


def regulatory_deadline(period: str, kind: str) -> Deadline | None:
    return DEADLINES.get(period, {}).get(kind)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_due(period: str, decision_date: dt.date | None) -> Deadline | None:
    """When the evaluation plan must reach the Monitoring Committee, where a rule says so."""
    rule = PLAN_SUBMISSION.get(period)
    if rule is None or decision_date is None:
        return None
    months, article = rule
    return Deadline(add_months(decision_date, months), article, True)


def evaluation_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    """An evaluation whose report is not delivered by its due date."""
    return due is not None and status in OPEN_EVALUATION and due < today


def recommendation_overdue(status: str, deadline: dt.date | None, today: dt.date) -> bool:
    """A recommendation not implemented or closed by the deadline the authority set for it."""
    return deadline is not None and status not in FINAL_RECOMMENDATION and deadline < today


def date_problems(planned_start: dt.date, planned_end: dt.date, due: dt.date | None) -> list[str]:
    """What is wrong with an evaluation's planned dates (message keys, translated by the service)."""
    problems = []
    if planned_end < planned_start:
        problems.append("end_before_start")
    if due is not None and planned_end > due:
        problems.append("end_after_due")
    return problems
