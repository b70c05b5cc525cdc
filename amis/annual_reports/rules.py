"""The plain rules of the annual report to the Commission (no Django): which report a programme owes
for a reporting year, the window of its financial or accounting year, when it is due and by which
article; the sections the authority writes; the steps of its approval by the Monitoring Committee.

2014-2020 (Reg. (EU) No 514/2014 Art. 54; model: Commission Implementing Regulation (EU) No 799/2014,
Annex II for AMIF): an annual implementation report by 31 March of each year from 2016 to 2023 on
the previous financial year (16 October N-1 to 15 October N); the report of 2016 covers the financial
years 2014 and 2015 (from 1 January 2014), and a final implementation report closes the period. The
model asks, per specific objective, a summary of the progress in its national objectives and
specific actions ("the main actions carried out over the year, successes and problems identified
(and resolved)"), the special cases, the common and programme-specific indicators and the financial
tables.

2021-2027 (Reg. (EU) 2021/1147 Art. 35, Reg. (EU) 2021/1060 Art. 41(7); template: Commission
Implementing Regulation (EU) 2023/169, Annex): an annual performance report by 15 February of each
year from 2023 to 2031 on the previous accounting year (1 July N-1 to 30 June N; the first covers
1 January 2021 to 30 June 2022), stating for each specific objective the progress in implementing
the programme and reaching its milestones and targets (Art. 35(2)(a), template 1.1) and the issues
affecting its performance with the measures taken (Art. 35(2)(b), template 1.2); its header names
the date the Monitoring Committee approved it.

A report is identified by its programme and its year N: the financial year ending 15 October N
(2014-2020) or the accounting year ending 30 June N (2021-2027). `verified` says whether a date was
read in the article's text (fund-rules.md B.6 and D.6) or is still to be checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

AIR = "annual_implementation"
FINAL = "final_implementation"
APR = "annual_performance"


@dataclass(frozen=True)
class ReportRule:
    """The report a programme owes for a year: its kind, the window its figures cover, the due date."""

    kind: str
    year: int
    start: dt.date  # first day of the year's figures
    end: dt.date  # last day
    due: dt.date
    article: str
    template: str
    verified: bool = True


@dataclass(frozen=True)
class Section:
    """A part the authority writes: once for the report, or once per specific objective."""

    key: str
    per_objective: bool
    max_length: int
    source: str


# period code -> the sections of the narrative, in the order of the Commission's model
SECTIONS: dict[str, tuple[Section, ...]] = {
    "2014-2020": (
        Section("summary", False, 10000, "Impl. Reg. (EU) No 799/2014 Annex II, section 2"),
        Section("progress", True, 3000, "Impl. Reg. (EU) No 799/2014 Annex II, section 3"),
        Section("problems", True, 2500, "Impl. Reg. (EU) No 799/2014 Annex II, section 3"),
        Section("special_cases", False, 2500, "Impl. Reg. (EU) No 799/2014 Annex II, section 4"),
        Section("framework", False, 5000, "Impl. Reg. (EU) No 799/2014 Annex II, section 5"),
    ),
    "2021-2027": (
        Section("progress", True, 7000, "Reg. (EU) 2021/1147 Art. 35(2)(a); Impl. Reg. (EU) 2023/169, 1.1"),
        Section("problems", True, 7000, "Reg. (EU) 2021/1147 Art. 35(2)(b); Impl. Reg. (EU) 2023/169, 1.2"),
        Section("other", False, 7000, "Impl. Reg. (EU) 2023/169, sections 2-3"),
    ),
}

# status -> next status, the steps of a report (draft -> submitted -> approved -> frozen; the
# committee may return a submitted report to draft)
STEPS = {
    ("draft", "submitted"),
    ("submitted", "draft"),  # returned for changes by the committee
    ("submitted", "approved"),
    ("approved", "frozen"),
}
EDITABLE = frozenset({"draft"})
SNAPSHOTTED = frozenset({"approved", "frozen"})


def report_rule(period: str, year: int) -> ReportRule | None:
    """The report a programme of `period` owes for year `year`, or None when it owes none."""
    if period == "2014-2020":
        if 2015 <= year <= 2022:
            # the 2016 report covers the financial years 2014 and 2015 (Art. 54(1))
            start = dt.date(2014, 1, 1) if year == 2015 else dt.date(year - 1, 10, 16)
            return ReportRule(
                AIR,
                year,
                start,
                dt.date(year, 10, 15),
                dt.date(year + 1, 3, 31),
                "Reg. (EU) No 514/2014 Art. 54(1)",
                "Impl. Reg. (EU) No 799/2014 Annex II",
            )
        if year == 2024:
            # the last financial years up to the end of eligibility (30 June 2024, Art. 17(3) as
            # amended by Reg. (EU) 2022/585); the final report's date as amended: to be checked
            return ReportRule(
                FINAL,
                year,
                dt.date(2022, 10, 16),
                dt.date(2024, 6, 30),
                dt.date(2024, 12, 31),
                "Reg. (EU) No 514/2014 Art. 54(4) as amended by Reg. (EU) 2022/585",
                "Impl. Reg. (EU) No 799/2014 Annex II",
                verified=False,
            )
        return None
    if period == "2021-2027":
        if 2022 <= year <= 2030:
            start = dt.date(2021, 1, 1) if year == 2022 else dt.date(year - 1, 7, 1)
            return ReportRule(
                APR,
                year,
                start,
                dt.date(year, 6, 30),
                dt.date(year + 1, 2, 15),
                "Reg. (EU) 2021/1147 Art. 35(1)",
                "Impl. Reg. (EU) 2023/169 Annex",
            )
        return None
    return None


def years_for(period: str) -> list[int]:
    """The years a programme of `period` reports on."""
    return [y for y in range(2014, 2032) if report_rule(period, y) is not None]


def year_of(period: str, day: dt.date) -> int | None:
    """The reporting year a day falls in (None outside every report)."""
    for year in years_for(period):
        rule = report_rule(period, year)
        if rule is not None and rule.start <= day <= rule.end:
            return year
    return None


def sections_for(period: str) -> tuple[Section, ...]:
    return SECTIONS.get(period, ())


def narrative_keys(period: str, objectives: list[str]) -> list[tuple[str, str]]:
    """(section, specific objective code or "") of every part the authority writes, in order."""
    keys: list[tuple[str, str]] = []
    for section in sections_for(period):
        if section.per_objective:
            keys.extend((section.key, code) for code in objectives)
        else:
            keys.append((section.key, ""))
    return keys


def max_length(period: str, section: str) -> int:
    for s in sections_for(period):
        if s.key == section:
            return s.max_length
    return 0


def missing_parts(
    expected: list[tuple[str, str]], written: dict[tuple[str, str], str]
) -> list[tuple[str, str]]:
    """The parts still empty: a report goes to the committee only when every part is written."""
    return [key for key in expected if not (written.get(key) or "").strip()]


def overdue(status: str, due: dt.date, today: dt.date) -> bool:
    """A report not yet approved by the committee by its due date."""
    return status in ("draft", "submitted") and due < today
