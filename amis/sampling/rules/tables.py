"""Reference data of the sampling rules, each table citing where it comes from.

Stored as plain Python data (not in the database): they are the guidance's published constants and
AMIS must give the same figures for the same inputs on every installation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from amis.sampling.rules.working import SamplingInputError

GUIDANCE = "EGESIF_16-0014-01"
DELEGATED = "Delegated Regulation (EU) 2023/67"

MATERIALITY = Decimal("0.02")
MATERIALITY_SOURCE = (
    f"{GUIDANCE} section 4 (materiality 2 %: TE = 2 % × BV); 2014-2020: Regulation (EU) 480/2014 "
    f"Art. 28(11); 2021-2027: Regulation (EU) 2021/1060 Annex XIX (annual control report), {DELEGATED}"
)

# Standard normal coefficient z for a two-sided confidence level: the guidance's table of z values
# (section 4, "confidence level"), the usual quantiles Φ⁻¹((1 + CL) / 2) to three decimals.
Z_VALUES: dict[int, Decimal] = {
    50: Decimal("0.674"),
    60: Decimal("0.842"),
    70: Decimal("1.036"),
    75: Decimal("1.150"),
    80: Decimal("1.282"),
    85: Decimal("1.440"),
    90: Decimal("1.645"),
    95: Decimal("1.960"),
    99: Decimal("2.576"),
}
Z_SOURCE = f"{GUIDANCE} section 4 (table of z coefficients by confidence level)"

# MUS conservative approach: reliability factor for zero errors (Poisson, RF = −ln(1 − CL)) and the
# expansion factor of the anticipated error, by confidence level (the guidance's tables of the
# conservative approach, taken from the AICPA Audit Sampling guide).
RELIABILITY_FACTORS: dict[int, Decimal] = {
    50: Decimal("0.70"),
    60: Decimal("0.92"),
    70: Decimal("1.21"),
    75: Decimal("1.39"),
    80: Decimal("1.61"),
    85: Decimal("1.90"),
    90: Decimal("2.31"),
    95: Decimal("3.00"),
    99: Decimal("4.61"),
}
EXPANSION_FACTORS: dict[int, Decimal] = {
    50: Decimal("1.00"),
    60: Decimal("1.10"),
    70: Decimal("1.20"),
    75: Decimal("1.25"),
    80: Decimal("1.30"),
    85: Decimal("1.40"),
    90: Decimal("1.50"),
    95: Decimal("1.60"),
    99: Decimal("1.90"),
}
FACTORS_SOURCE = (
    f"{GUIDANCE} section 6.3.4 (MUS conservative approach: table of reliability factors for zero "
    "errors and table of expansion factors by confidence level)"
)


@dataclass(frozen=True)
class AssuranceLevel:
    category: int
    assessment: str
    assurance: str
    confidence: int  # the minimum confidence level for the audit of operations
    confidence_up_to: int  # the upper end the guidance allows for that category


# The system audits' overall assessment (categories 1-4) gives the confidence level for sampling:
# the better the system works, the lower the confidence level needed.
CONFIDENCE_BY_CATEGORY: dict[int, AssuranceLevel] = {
    1: AssuranceLevel(1, "works well, only minor improvements needed", "high", 60, 70),
    2: AssuranceLevel(2, "works, but some improvements are needed", "moderate", 70, 80),
    3: AssuranceLevel(3, "works partially, substantial improvements are needed", "moderate", 80, 90),
    4: AssuranceLevel(4, "essentially does not work", "low (none)", 90, 95),
}
CONFIDENCE_SOURCE = (
    f"{GUIDANCE} section 3.2 (assurance/confidence level for the audit of operations, table relating "
    "the system audits' category to the confidence level); 2021-2027: Regulation (EU) 2021/1060 "
    f"Art. 79 and {DELEGATED}"
)

# Non-statistical sampling of small populations: the minimum share of the population's units to
# audit by the system's category (the legal floor is the category 1 figure). AMIS's reading, see
# `methods.non_statistical_size`.
NON_STATISTICAL_UNITS_SHARE: dict[int, Decimal] = {
    1: Decimal("0.05"),
    2: Decimal("0.075"),
    3: Decimal("0.10"),
    4: Decimal("0.10"),
}
NON_STATISTICAL_EXPENDITURE_SHARE_2014 = Decimal("0.10")
NON_STATISTICAL_SOURCE = (
    f"{GUIDANCE} section 6.4 (non-statistical sampling); 2014-2020: Regulation (EU) 1303/2013 "
    "Art. 127(1) (at least 5 % of the operations and 10 % of the expenditure); 2021-2027: "
    "Regulation (EU) 2021/1060 Art. 79(2)"
)
NON_STATISTICAL_MAXIMUM_UNITS = {"2014-2020": 800, "2021-2027": 300}

# Sub-sampling within an operation made of many expenditure items.
SUBSAMPLE_MINIMUM = 30
SUBSAMPLE_SOURCE = f"{GUIDANCE} section 7 (sub-sampling within an operation); {DELEGATED} (sub-sampling)"


def confidence_for_category(category: int) -> AssuranceLevel:
    try:
        return CONFIDENCE_BY_CATEGORY[category]
    except KeyError:
        raise SamplingInputError(f"no system audit category {category} (1 to 4)") from None


def z_value(confidence: int) -> Decimal:
    try:
        return Z_VALUES[confidence]
    except KeyError:
        raise SamplingInputError(f"no z coefficient for a {confidence} % confidence level") from None


def reliability_factor(confidence: int) -> Decimal:
    try:
        return RELIABILITY_FACTORS[confidence]
    except KeyError:
        raise SamplingInputError(f"no reliability factor for a {confidence} % confidence level") from None


def expansion_factor(confidence: int) -> Decimal:
    try:
        return EXPANSION_FACTORS[confidence]
    except KeyError:
        raise SamplingInputError(f"no expansion factor for a {confidence} % confidence level") from None
