"""The audit authority's plain rules (no Django): the risk score of a body, the overall assessment of a
body from its key requirements, the assurance level of a programme's system in a year, the opinion
the year's system audits point to, and the steps of findings and of the annual control report.

Articles and guidance cited where a rule comes from them; where AMIS chooses (the conservative
combination of categories), the choice is written here and shown on the pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

# -- risk assessment of the bodies to audit --------------------------------------------------------
# The audit strategy sets out the risk assessment of the bodies (CPR Art. 78(1) and Annex XXII, section
# 1; Reg. (EU) No 514/2014 Art. 14(9)); the factors and the scale are AMIS's documented choice: each
# factor scored 1 (low) to 5 (high), the body's score is their sum, its level follows the thresholds.
RISK_FACTORS: dict[str, str] = {
    "size": "Amounts managed by the body",
    "complexity": "Complexity of its tasks and operations",
    "changes": "Changes in staff, procedures or IT since the last audit",
    "previous_results": "Results of previous audits (open findings, categories)",
    "time_since_audit": "Time since the body was last audited",
}
RISK_MIN, RISK_MAX = 1, 5
HIGH_FROM, MEDIUM_FROM = 18, 11  # of 25


def risk_problems(factors: Mapping[str, object]) -> list[str]:
    problems = []
    for key in factors:
        if key not in RISK_FACTORS:
            problems.append(f"unknown risk factor {key}")
    for key in RISK_FACTORS:
        value = factors.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not RISK_MIN <= value <= RISK_MAX:
            problems.append(f"{key}: a whole number from {RISK_MIN} to {RISK_MAX}")
    return problems


def risk_score(factors: Mapping[str, int]) -> int:
    return sum(int(factors[key]) for key in RISK_FACTORS)


def risk_level(score: int) -> str:
    if score >= HIGH_FROM:
        return "high"
    if score >= MEDIUM_FROM:
        return "medium"
    return "low"


RISK_RULE = (
    "Each factor is scored 1 (low) to 5 (high); the body's score is their sum (5 to 25): "
    f"{HIGH_FROM} or more is high, {MEDIUM_FROM} to {HIGH_FROM - 1} medium, below {MEDIUM_FROM} low."
)

# -- categories -------------------------------------------------------------------------------------
CATEGORY_VALUES = (1, 2, 3, 4)  # CPR Annex XI Table 2; EGESIF_14-0010 section 3


def body_category(categories: Iterable[int]) -> int | None:
    """The overall assessment of a body: the worst category among its key requirements. EGESIF_14-0010
    section 4 leaves room for professional judgement in combining them; AMIS takes the conservative
    reading (a body works no better than its weakest key requirement). None while nothing is assessed."""
    values = [int(c) for c in categories]
    return max(values) if values else None


def system_category(body_categories: Iterable[int | None]) -> int | None:
    """The assurance level of the programme's system in a year: the worst overall category among the
    bodies audited that year (a system is no more reliable than its weakest body). None when no
    body's audit is completed."""
    values = [int(c) for c in body_categories if c is not None]
    return max(values) if values else None


SYSTEM_RULE = (
    "A body's overall category is the worst category of its assessed key requirements; the system's "
    "category for the year is the worst overall category of the bodies whose system audit was "
    "completed that year (conservative reading of EGESIF_14-0010 section 4 and CPR Annex XI)."
)

ASSURANCE: dict[int, str] = {1: "high", 2: "average", 3: "average", 4: "low"}
# EGESIF_16-0014-01 section 5.2: categories 1 and 2 give high/average assurance, 3 average/low, 4 low;
# the sampling app turns the category into a confidence level.


@dataclass(frozen=True)
class Assurance:
    category: int | None
    assurance: str | None
    rule: str
    bodies: tuple[tuple[str, int | None], ...]


def assurance(bodies: Iterable[tuple[str, int | None]]) -> Assurance:
    listed = tuple(bodies)
    category = system_category(c for _name, c in listed)
    return Assurance(category, ASSURANCE.get(category) if category else None, SYSTEM_RULE, listed)


# -- the opinion ------------------------------------------------------------------------------------
OPINIONS = ("unqualified", "qualified", "adverse", "disclaimer")


def suggested_opinion(category: int | None, total_error_rate: Decimal | None = None) -> str | None:
    """The opinion the year's records point to (CPR Annex XX; Reg. (EU) 2015/207 Annex VIII for
    2014-2020): a system in category 1 or 2 with a total error rate at or below the 2 % materiality
    supports an unqualified opinion, category 3 or an error rate above 2 % (up to 5 %) a qualified one,
    category 4 or an error rate above 5 % an adverse one. No system category: no suggestion. Without
    the sampling results (None) the suggestion rests on the system audits alone and is provisional."""
    if category is None:
        return None
    if category == 4 or (total_error_rate is not None and total_error_rate > Decimal("5")):
        return "adverse"
    if category == 3 or (total_error_rate is not None and total_error_rate > Decimal("2")):
        return "qualified"
    return "unqualified"


# -- findings ---------------------------------------------------------------------------------------
PRIORITIES = ("high", "medium", "low")

# -- the annual control report --------------------------------------------------------------------
REPORT_STEPS = {("draft", "approved")}


def report_basis(period: str) -> str:
    """The legal basis of the annual control report and opinion, as stored with each report. The
    2014-2020 reference is AMIS's reading (the AMIF/ISF models of the Commission's implementing act)
    and is marked to be checked; the 2021-2027 one is the CPR's."""
    if period == "2014-2020":
        return (
            "Reg. (EU) No 514/2014 Art. 44(1)(b) and the Commission's models for the AMIF/ISF annual "
            "control report and audit opinion (Implementing Regulation (EU) 2015/378) - to be checked"
        )
    return "Regulation (EU) 2021/1060 Art. 77(3) and 98(3)(a): Annex XIX (control report), Annex XX (opinion)"
