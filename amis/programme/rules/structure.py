"""Structural rules: references between parts of the programme must point somewhere real."""

from __future__ import annotations

from typing import Any

from amis.core.messages import gettext as _
from amis.programme.rules.findings import Finding, Severity

NP_MODEL = "Implementing Regulation (EU) No 802/2014, Annex"


def check_structure(doc: dict[str, Any], model: str = NP_MODEL) -> list[Finding]:
    """`model` is the programme model of the document's period, which the findings cite."""
    findings: list[Finding] = []
    objectives: dict[str, set[str]] = {}
    action_numbers: list[int] = []
    for so in doc.get("specific_objectives", []):
        codes = {no["code"] for no in so.get("national_objectives", [])}
        codes |= {sa["code"] for sa in so.get("specific_actions", [])}
        objectives[so["code"]] = codes
        for no in so.get("national_objectives", []):
            action_numbers += [action["number"] for action in no.get("actions", [])]
    so_codes = [so["code"] for so in doc.get("specific_objectives", [])]
    for code in {c for c in so_codes if so_codes.count(c) > 1}:
        findings.append(
            Finding(
                Severity.ERROR,
                "STRUCT.SO",
                _("Specific objective %(code)s appears twice.") % {"code": code},
                model,
            )
        )
    for number in sorted({n for n in action_numbers if action_numbers.count(n) > 1}):
        findings.append(
            Finding(
                Severity.ERROR,
                "STRUCT.ACTION",
                _("Action %(number)s appears twice.") % {"number": number},
                model,
            )
        )
    known_actions = set(action_numbers)
    for index, row in enumerate(doc.get("timetable", [])):
        where = {"row": index + 1, "objective": row["specific_objective"]}
        if row["specific_objective"] not in objectives:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "STRUCT.TIMETABLE",
                    _("Timetable row %(row)s names %(objective)s, which the programme does not have.")
                    % where,
                    model,
                )
            )
        elif row["objective"] not in objectives[row["specific_objective"]]:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "STRUCT.TIMETABLE",
                    _(
                        "Timetable row %(row)s names %(objective)s.%(code)s, which the programme "
                        "does not have."
                    )
                    % {**where, "code": row["objective"]},
                    model,
                )
            )
        if row.get("action") is not None and row["action"] not in known_actions:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "STRUCT.TIMETABLE",
                    _("Timetable row %(row)s names action %(action)s, which the programme does not have.")
                    % {**where, "action": row["action"]},
                    model,
                )
            )
        if not row["planning_start"] <= row["implementation_start"] <= row["closing_start"]:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "STRUCT.TIMETABLE",
                    _("Timetable row %(row)s: planning, implementation and closing must start in that order.")
                    % where,
                    model,
                )
            )
    for sc in (doc.get("special_cases") or {}).get("types", []):
        periods = set((doc.get("special_cases") or {}).get("pledging_periods", []))
        for pledge in sc.get("pledges", []):
            for period in pledge.get("persons", {}):
                if periods and period not in periods:
                    findings.append(
                        Finding(
                            Severity.ERROR,
                            "STRUCT.PLEDGE",
                            _(
                                "Special case '%(code)s' pledges persons for period %(period)s, which is "
                                "not one of the pledging periods."
                            )
                            % {"code": sc["code"], "period": period},
                            model,
                        )
                    )
    return findings
