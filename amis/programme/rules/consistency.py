"""Checks that what a file declares agrees with itself and with the regulation of its own period.

The CCI repeats the programme's period, member state and fund; Table 3 covers the years of the
period; lump sums per person are the rates the period's fund regulation fixes; common indicators
come from the fund's catalogue with the catalogue's unit. Pure Python on the canonical document; the
indicator catalogue is passed in (it is reference data in the database).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.money import display, parse_money
from amis.programme.rules.parameters import PeriodRules

# The programme model of each period: its annex fixes the CCI, the financial tables and indicators.
PROGRAMME_MODEL = {
    "2014-2020": "Implementing Regulation (EU) No 802/2014, Annex",
    "2021-2027": "Regulation (EU) 2021/1060, Art. 22 and Annex V",
}
TABLE3 = {
    "2014-2020": "Implementing Regulation (EU) No 802/2014, Annex, section 7, Table 3",
    "2021-2027": "Regulation (EU) 2021/1060, Art. 22(3)(g) and Annex V, Table 10",
}
LUMP_SUMS = {
    ("AMIF", "2014-2020"): "Regulation (EU) No 516/2014, Art. 17 and 18",
    (
        "AMIF",
        "2021-2027",
    ): "Regulation (EU) 2021/1147, Art. 19 and 20, as amended by Regulation (EU) 2024/1350",
}
COMMON_INDICATORS = {
    ("AMIF", "2014-2020"): "Regulation (EU) No 516/2014, Annex IV",
    ("AMIF", "2021-2027"): "Regulation (EU) 2021/1147, Annex VIII",
    ("ISF", "2014-2020"): "Regulation (EU) No 513/2014 and 515/2014, Annex",
    ("ISF", "2021-2027"): "Regulation (EU) 2021/1149, Annex VIII",
    ("BMVI", "2021-2027"): "Regulation (EU) 2021/1148, Annex VIII",
}
# The fund part of a CCI, as SFC writes it: 2014BE65AMNP001, 2014BE65ISNP001, 2021BE65BVPR001.
CCI_FUND = {"AM": "AMIF", "IS": "ISF", "BV": "BMVI"}
# 2014-2020 national programmes are "NP", 2021-2027 programmes "PR".
CCI_KIND = {"2014-2020": "NP", "2021-2027": "PR"}
CCI_PATTERN = re.compile(
    r"^(?P<year>[0-9]{4})(?P<ms>[A-Z]{2})65(?P<fund>[A-Z]{2})(?P<kind>[A-Z]{2})[0-9]{3}$"
)
# Special-case categories whose lump sum the fund regulation fixes; relocation and admission under
# the 2015/2016 Council Decisions have their own rates in those decisions.
LUMP_SUM_CATEGORIES = ("resettlement", "transfer")


def _period_years(period: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"([0-9]{4})-([0-9]{4})", period or "")
    return (int(match[1]), int(match[2])) if match else None


def check_cci(doc: dict[str, Any]) -> list[Finding]:
    meta = doc.get("programme", {})
    cci, period = meta.get("cci", ""), meta.get("period", "")
    reference = PROGRAMME_MODEL.get(period, PROGRAMME_MODEL["2014-2020"])
    match = CCI_PATTERN.match(cci or "")
    if not match:
        return [
            Finding(
                Severity.ERROR,
                "CCI.FORMAT",
                f"CCI {cci!r} is not written like 2014BE65AMNP001 or 2021BE65AMPR001 "
                "(start year, member state, 65, fund, NP or PR, number).",
                reference,
            )
        ]
    problems = []
    years = _period_years(period)
    if years and int(match["year"]) != years[0]:
        problems.append(f"starts with {match['year']}, but the period {period} starts in {years[0]}")
    if match["ms"] != meta.get("member_state"):
        problems.append(f"names member state {match['ms']}, but the file declares {meta.get('member_state')}")
    fund = CCI_FUND.get(match["fund"])
    if fund != meta.get("fund"):
        problems.append(
            f"has fund code {match['fund']} ({fund or 'unknown'}), but the file declares {meta.get('fund')}"
        )
    kind = CCI_KIND.get(period)
    if kind and match["kind"] != kind:
        problems.append(f"has programme type {match['kind']}, but a {period} programme is {kind}")
    return [Finding(Severity.ERROR, "CCI.MISMATCH", f"CCI {cci} {p}.", reference) for p in problems]


def check_table3_years(doc: dict[str, Any]) -> list[Finding]:
    period = doc.get("programme", {}).get("period", "")
    reference = TABLE3.get(period, TABLE3["2014-2020"])
    rows = doc.get("annual_commitments") or []
    if not rows:
        return [
            Finding(
                Severity.ERROR,
                "T3.MISSING",
                "The programme has no Table 3 (annual EU commitments per year).",
                reference,
            )
        ]
    years = _period_years(period)
    if not years:
        return []
    findings = []
    for index, row in enumerate(rows):
        for year in sorted(row.get("amounts") or {}):
            if not years[0] <= int(year) <= years[1]:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "T3.YEAR",
                        f"Table 3 row {index + 1} ({row.get('code')}) has an amount for {year}, "
                        f"outside the programme's period {period}.",
                        reference,
                    )
                )
    return findings


def check_lump_sum_rates(doc: dict[str, Any], rules: PeriodRules) -> list[Finding]:
    meta = doc.get("programme", {})
    allowed = rules.resettlement_lump_sums
    if not allowed:
        return []
    # the article the period's rules give for their rates (data/reference/period-rules.yaml) comes first
    reference = next(
        (ls.reference for ls in rules.lump_sums if ls.reference),
        LUMP_SUMS.get((meta.get("fund", ""), meta.get("period", "")), ""),
    )
    rates = ", ".join(display(rate) for rate in allowed)
    findings = []
    for sc in (doc.get("special_cases") or {}).get("types", []):
        if sc.get("category") not in LUMP_SUM_CATEGORIES:
            continue
        for index, pledge in enumerate(sc.get("pledges", [])):
            lump_sum = parse_money(pledge.get("lump_sum"))
            if lump_sum is not None and lump_sum not in allowed:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "T2.RATE",
                        f"Special case '{sc.get('code')}', pledge {index + 1}: a lump sum of "
                        f"{display(lump_sum)} per person is not a rate of the {meta.get('period')} "
                        f"period ({rates}).",
                        reference,
                    )
                )
    return findings


def check_common_indicators(
    doc: dict[str, Any], catalogue: Mapping[tuple[str, str], str] | None
) -> list[Finding]:
    """`catalogue` maps (specific objective, code) to the unit of the fund and period's common indicator."""
    if not catalogue:
        return []
    meta = doc.get("programme", {})
    reference = COMMON_INDICATORS.get((meta.get("fund", ""), meta.get("period", "")), "")
    findings = []
    for so in doc.get("specific_objectives", []):
        for ind in so.get("indicators", []):
            if ind.get("kind", "common") != "common":
                continue
            key = (so.get("code", ""), ind.get("code", ""))
            if key not in catalogue:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "IND.UNKNOWN",
                        f"{key[0]} indicator {key[1]} is declared common, but the {meta.get('fund')} "
                        f"{meta.get('period')} catalogue has no common indicator {key[1]} under {key[0]}.",
                        reference,
                    )
                )
            elif catalogue[key] != ind.get("unit"):
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "IND.UNIT",
                        f"{key[0]} indicator {key[1]} is measured in {ind.get('unit')}, but the "
                        f"catalogue's unit for it is {catalogue[key]}.",
                        reference,
                    )
                )
    return findings
