"""Reference data of the sampling rules, each table citing where it comes from.

Stored as plain Python data (not in the database): they are the guidance's published constants and
AMIS must give the same figures for the same inputs on every installation.

What was checked against which text (December 2026, docs/sampling.md "Sources, and what could be
checked"): the legal texts were read in the consolidated versions stored in the public repository
legalize-dev/legalize-eu — Regulation (EU) No 1303/2013 Art. 127(1), Delegated Regulation (EU)
No 480/2014 Art. 28, Delegated Regulation (EU) 2023/67 Arts 1-9 and recitals (its Annexes I-III, with the
sample-size formulas and parameters, were not in the stored copy). The guidance EGESIF_16-0014-01 itself
could not be read beyond its first pages: every figure marked "guidance" below is unverified.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from amis.sampling.rules.working import SamplingInputError

GUIDANCE = "EGESIF_16-0014-01"
DELEGATED = "Delegated Regulation (EU) 2023/67"

MATERIALITY = Decimal("0.02")
# Verified for 2014-2020: Reg. 480/2014 Art. 28(11) "The maximum materiality level shall be 2 % of the
# expenditure referred to in paragraph 3." The 2021-2027 citation is not checked (2023/67's Articles do not
# state it; its Annexes were not read).
MATERIALITY_SOURCE = (
    "2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(11) (maximum materiality 2 % of the "
    f"expenditure: TE = 2 % × BV); 2021-2027: Regulation (EU) 2021/1060 Annex XIX (annual control report), "
    f"{DELEGATED} Annexes I-II; {GUIDANCE} (materiality)"
)

# Standard normal coefficient z for a two-sided confidence level, the usual quantiles Φ⁻¹((1 + CL) / 2) to
# three decimals (checked by computation). The guidance's table of z values: not read (a third-party
# transcription places it in section 5.3, Table 3, not section 4).
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
Z_SOURCE = f"{GUIDANCE} (table of z coefficients by confidence level); Φ⁻¹((1 + CL) / 2) to three decimals"

# MUS conservative approach: reliability factor for zero errors (Poisson, RF = −ln(1 − CL), checked by
# computation) and the expansion factor of the anticipated error, by confidence level (the guidance's
# tables of the conservative approach, taken from the AICPA Audit Sampling guide). The expansion factors
# are UNVERIFIED against the guidance (not readable); a third-party transcription of its Table 5
# (janpow77/auditcore, guidance/factors.py) gives the same nine values, 60 % → 1.1 included. The
# conservative approach is not one of 2023/67's off-the-shelf methods (Art. 5(1): MUS standard approach
# and SRS only); for 2021-2027 it is an "other sampling methodology" (recital 15).
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
    f"{GUIDANCE}, MUS conservative approach (tables of reliability factors for zero errors and of "
    "expansion factors by confidence level; section number not verified)"
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
# VERIFIED: the floors of category 1 (60 %) and category 4 (90 %) — Reg. 480/2014 Art. 28(11) "For a
# system assessed as having high reliability the confidence level used for sampling operations shall not
# be less than 60 %. For a system assessed as having low reliability ... not be less than 90 %." and
# 2023/67 recital (11) (the same for 2021-2027). UNVERIFIED: categories 2 and 3 (70 %, 80 %; the guidance's
# table, not read — a third-party transcription gives 60/70/80/90 for categories 1-4) and every
# `confidence_up_to` (AMIS's reading; the Regulations set floors only).
CONFIDENCE_BY_CATEGORY: dict[int, AssuranceLevel] = {
    1: AssuranceLevel(1, "works well, only minor improvements needed", "high", 60, 70),
    2: AssuranceLevel(2, "works, but some improvements are needed", "moderate", 70, 80),
    3: AssuranceLevel(3, "works partially, substantial improvements are needed", "moderate", 80, 90),
    4: AssuranceLevel(4, "essentially does not work", "low (none)", 90, 95),
}
CONFIDENCE_SOURCE = (
    "2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(11) (high reliability: not less than 60 %; "
    f"low reliability: not less than 90 %); 2021-2027: {DELEGATED} recital (11) and Annex I; {GUIDANCE} "
    "section 3.2 (assurance/confidence level for the audit of operations: the table relating the system "
    "audits' category to the confidence level, categories 2-3)"
)

# Non-statistical sampling of small populations, 2014-2020: the minimum share of the population's units
# to audit by the system's category. VERIFIED: category 1's 5 % and the 10 % of the expenditure are the
# legal floor, Reg. 1303/2013 Art. 127(1) "The non-statistical sample method shall cover a minimum of 5 %
# of operations ... and 10 % of the expenditure". UNVERIFIED: the shares of categories 2-4 (7.5 %, 10 %,
# 10 %), AMIS's reading of the guidance's table, which was not read; a third-party transcription of it
# (janpow77/auditcore, guidance/nonstatistical.py, "Table 6 (section 6.4.3)") gives 5-10 %, 10-15 % and
# 15-20 % of the units, i.e. more than AMIS for categories 3 and 4 — to be checked before relying on them.
NON_STATISTICAL_UNITS_SHARE: dict[int, Decimal] = {
    1: Decimal("0.05"),
    2: Decimal("0.075"),
    3: Decimal("0.10"),
    4: Decimal("0.10"),
}
# 2021-2027: 10 % of the sampling units whatever the category, the units of exhaustive strata included —
# VERIFIED, 2023/67 Art. 6(2) "The units of exhaustive strata in both methods shall be included in the
# calculation of the 10 % minimum coverage of the sampling units in the population of the accounting
# year" and recital (12) ("the minimum coverage of the 10 % of the sampling units"; Reg. 2021/1060
# Art. 79(2)). No expenditure floor in 2021-2027.
NON_STATISTICAL_UNITS_SHARE_2021 = Decimal("0.10")
NON_STATISTICAL_EXPENDITURE_SHARE_2014 = Decimal("0.10")
NON_STATISTICAL_SOURCE = (
    f"2014-2020: Regulation (EU) No 1303/2013 Art. 127(1) (at least 5 % of the operations and 10 % of the "
    f"expenditure); 2021-2027: Regulation (EU) 2021/1060 Art. 79(2) and {DELEGATED} Art. 6 (fewer than "
    f"300 sampling units; at least 10 % of the sampling units); {GUIDANCE} (non-statistical sampling)"
)
# Populations for which non-statistical sampling is allowed: fewer than this many units.
# 2021-2027 VERIFIED: 2023/67 Art. 6(1) "Where the population consists of less than 300 sampling units".
# 2014-2020 UNVERIFIED: Reg. 1303/2013 Art. 127(1) sets no number ("where the number of operations for an
# accounting year is insufficient to allow the use of a statistical method"); 800 is AMIS's reading of the
# guidance, not read (a third-party transcription says the guidance advises consulting the Commission
# above 150 units).
NON_STATISTICAL_MAXIMUM_UNITS = {"2014-2020": 800, "2021-2027": 300}

# Sub-sampling within an operation made of many expenditure items: at least 30 items.
# VERIFIED for 2014-2020: Reg. 480/2014 Art. 28(9) "appropriate sample sizes shall be calculated within
# each sample unit to be audited and, in any event, shall not be less than 30 underlying payment claims or
# invoices for each sampling unit". 2021-2027: 2023/67 Art. 7 requires a random subsampling that allows the
# extrapolation, high-value subsampling units above the interval audited, but its Articles set no number
# (its Annexes were not read) — AMIS keeps 30.
SUBSAMPLE_MINIMUM = 30
SUBSAMPLE_SOURCE = (
    "2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(9) (not less than 30 underlying payment "
    f"claims or invoices for each sampling unit); 2021-2027: {DELEGATED} Art. 7 (subsampling) and Art. 8(3)"
)

# Statistical samples: at least 30 units. VERIFIED for 2021-2027: 2023/67 Art. 5(5) "The sample shall have
# at least 30 units and at least 3 units in each random stratum of a sampling period." (2014-2020: the
# guidance's general minimum, not read.)
STATISTICAL_MINIMUM = 30
STRATUM_MINIMUM_2021 = 3
STATISTICAL_MINIMUM_SOURCE = (
    f"{DELEGATED} Art. 5(5) (at least 30 units and at least 3 units in each random stratum of a sampling "
    f"period); 2014-2020: {GUIDANCE} (a statistical sample should in general not be below 30 units)"
)

# 2021-2027 capped sample size: 2023/67 Art. 5(7) "As regards programmes assessed in category 1 or 2 as
# set out in Table 2 of Annex XI to Regulation (EU) 2021/1060, which are not subject to enhanced
# proportionate arrangements pursuant to Article 83 of that Regulation, the audit authority may cap the
# sample size at 50 sampling units." ... "All units in random strata and only high value units in
# exhaustive strata shall count for the capped sample size." (VERIFIED)
CAPPED_SAMPLE_SIZE = 50
CAPPED_CATEGORIES = (1, 2)
CAPPED_SOURCE = f"{DELEGATED} Art. 5(7) and recital (10) (capped sample size of 50 sampling units)"


def non_statistical_share(category: int, period: str) -> Decimal:
    """The minimum share of the population's units a non-statistical sample covers: 2021-2027 10 % for
    every category (2023/67 Art. 6(2)); 2014-2020 by category (`NON_STATISTICAL_UNITS_SHARE`)."""
    if category not in NON_STATISTICAL_UNITS_SHARE:
        raise SamplingInputError(f"no system audit category {category} (1 to 4)")
    if period == "2021-2027":
        return NON_STATISTICAL_UNITS_SHARE_2021
    if period == "2014-2020":
        return NON_STATISTICAL_UNITS_SHARE[category]
    raise SamplingInputError(f"no period {period}")


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
