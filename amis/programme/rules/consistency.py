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

from amis.core import messages
from amis.core.messages import gettext as _
from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.money import parse_money
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
                _(
                    "CCI '%(cci)s' is not written like 2014BE65AMNP001 or 2021BE65AMPR001 "
                    "(start year, member state, 65, fund, NP or PR, number)."
                )
                % {"cci": cci or ""},
                reference,
            )
        ]
    problems = []
    years = _period_years(period)
    if years and int(match["year"]) != years[0]:
        problems.append(
            _("CCI %(cci)s starts with %(year)s, but the period %(period)s starts in %(start)s.")
            % {"cci": cci, "year": match["year"], "period": period, "start": years[0]}
        )
    if match["ms"] != meta.get("member_state"):
        problems.append(
            _("CCI %(cci)s names member state %(code)s, but the file declares %(declared)s.")
            % {"cci": cci, "code": match["ms"], "declared": meta.get("member_state")}
        )
    fund = CCI_FUND.get(match["fund"])
    if fund != meta.get("fund"):
        problems.append(
            _("CCI %(cci)s has fund code %(code)s (%(fund)s), but the file declares %(declared)s.")
            % {"cci": cci, "code": match["fund"], "fund": fund or _("unknown"), "declared": meta.get("fund")}
        )
    kind = CCI_KIND.get(period)
    if kind and match["kind"] != kind:
        problems.append(
            _("CCI %(cci)s has programme type %(code)s, but a %(period)s programme is %(kind)s.")
            % {"cci": cci, "code": match["kind"], "period": period, "kind": kind}
        )
    return [Finding(Severity.ERROR, "CCI.MISMATCH", p, reference) for p in problems]


def check_table3_years(doc: dict[str, Any]) -> list[Finding]:
    period = doc.get("programme", {}).get("period", "")
    reference = TABLE3.get(period, TABLE3["2014-2020"])
    rows = doc.get("annual_commitments") or []
    if not rows:
        return [
            Finding(
                Severity.ERROR,
                "T3.MISSING",
                _("The programme has no Table 3 (annual EU commitments per year)."),
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
                        _(
                            "Table 3 row %(row)s (%(code)s) has an amount for %(year)s, outside the "
                            "programme's period %(period)s."
                        )
                        % {"row": index + 1, "code": row.get("code"), "year": year, "period": period},
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
    rates = ", ".join(messages.amount(rate) for rate in allowed)
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
                        _(
                            "Special case '%(code)s', pledge %(pledge)s: a lump sum of %(lump_sum)s per "
                            "person is not a rate of the %(period)s period (%(rates)s)."
                        )
                        % {
                            "code": sc.get("code"),
                            "pledge": index + 1,
                            "lump_sum": messages.amount(lump_sum),
                            "period": meta.get("period"),
                            "rates": rates,
                        },
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
                        _(
                            "%(objective)s indicator %(code)s is declared common, but the %(fund)s "
                            "%(period)s "
                            "catalogue has no common indicator %(code)s under %(objective)s."
                        )
                        % {
                            "objective": key[0],
                            "code": key[1],
                            "fund": meta.get("fund"),
                            "period": meta.get("period"),
                        },
                        reference,
                    )
                )
            elif catalogue[key] != ind.get("unit"):
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "IND.UNIT",
                        _(
                            "%(objective)s indicator %(code)s is measured in %(unit)s, but the catalogue's "
                            "unit for it is %(expected)s."
                        )
                        % {
                            "objective": key[0],
                            "code": key[1],
                            "unit": ind.get("unit"),
                            "expected": catalogue[key],
                        },
                        reference,
                    )
                )
    return findings
