"""Hypothesis strategies that build small but complete programme documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

amounts = st.integers(min_value=0, max_value=10**11).map(lambda n: f"{Decimal(n) / 100:.2f}")
optional_amounts = st.one_of(st.none(), amounts)
YEARS = [str(y) for y in range(2014, 2021)]


@st.composite
def documents(draw: Any) -> dict[str, Any]:
    objectives = []
    for s in range(1, draw(st.integers(1, 4)) + 1):
        objectives.append(
            {
                "code": f"SO{s}",
                "name": {"en": f"Objective {s}"},
                "national_objectives": [
                    {"code": f"NO{n}", "name": {"en": f"NO {n}"}, "amount": draw(optional_amounts)}
                    for n in range(1, draw(st.integers(0, 3)) + 1)
                ],
                "specific_actions": [
                    {"code": f"SA{s}{n}", "name": {"en": f"SA {n}"}, "amount": draw(optional_amounts)}
                    for n in range(1, draw(st.integers(0, 2)) + 1)
                ],
            }
        )
    special = []
    for t in range(draw(st.integers(0, 3))):
        years = draw(st.lists(st.sampled_from(YEARS), unique=True, max_size=4))
        special.append(
            {
                "code": f"case{t}",
                "name": {"en": f"Case {t}"},
                "category": "resettlement",
                "annual_amounts": {y: draw(amounts) for y in years},
                "pledges": [],
            }
        )
    commitments = [
        {
            "code": f"row{r}",
            "name": {"en": f"Row {r}"},
            "amounts": {
                y: draw(amounts) for y in draw(st.lists(st.sampled_from(YEARS), unique=True, max_size=7))
            },
        }
        for r in range(draw(st.integers(0, 3)))
    ]
    return {
        "format": "amis-programme/1",
        "programme": {
            "cci": "2014XX65AMNP001",
            "member_state": "BE",
            "fund": "AMIF",
            "period": "2014-2020",
            "title": {"en": "t"},
            "languages": ["en"],
        },
        "version": {"number": 1, "status": "draft"},
        "specific_objectives": objectives,
        "technical_assistance": draw(optional_amounts),
        "special_cases": {"types": special},
        "annual_commitments": commitments,
    }


# --- 2021-2027 programmes in format 2 (CPR Annex V) ----------------------------------------------------

YEARS_2021 = [str(y) for y in range(2021, 2028)]
# type of action -> the co-financing ceiling of AMIF 2021-2027 as a fraction (period-rules.yaml)
CEILINGS = {
    "regular": Decimal("0.75"),
    "annex_iv": Decimal("0.90"),
    "specific_actions": Decimal("0.90"),
    "operating_support": Decimal("1.00"),
    "emergency_assistance": Decimal("1.00"),
}
CENTS = Decimal("0.01")


def _money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _split(draw: Any, total: int, parts: int) -> list[int]:
    """`total` cents in `parts` non-negative parts that add up to it exactly."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@st.composite
def allocation_lines(draw: Any, so: str, types: list[str]) -> list[dict[str, Any]]:
    """Lines whose EU contribution keeps to the ceiling of their type of action, with the total and the
    rate computed here independently of the code under test."""
    lines = []
    for kind in types:
        eu = draw(st.integers(0, 10**10))
        basis = draw(st.sampled_from(["total", "public"]))
        ceiling = CEILINGS[kind]
        # the least national part that keeps EU / (EU + national) within the ceiling, plus some more
        least = (
            0
            if ceiling == 1
            else int((Decimal(eu) * (1 - ceiling) / ceiling).to_integral_value("ROUND_CEILING"))
        )
        public = least + draw(st.integers(0, 10**9))
        private = draw(st.integers(0, 10**9))
        total = eu + public + private
        base = total if basis == "total" else eu + public
        rate = (Decimal(eu) * 100 / base).quantize(CENTS, "ROUND_HALF_UP") if base else Decimal("0.00")
        lines.append(
            {
                "specific_objective": so,
                "type_of_action": kind,
                "basis": basis,
                "eu_contribution": _money(eu),
                "national_public": _money(public),
                "national_private": _money(private),
                "total": _money(total),
                "co_financing_rate": f"{rate:.2f}",
            }
        )
    return lines


@st.composite
def documents_2021(draw: Any, number: int = 1) -> dict[str, Any]:
    """A valid AMIF 2021-2027 programme in format 2: every table reconciles, every ceiling is kept."""
    objectives = []
    allocations: list[dict[str, Any]] = []
    for s in range(1, draw(st.integers(1, 4)) + 1):
        types = draw(st.lists(st.sampled_from(sorted(CEILINGS)), min_size=1, max_size=3, unique=True))
        lines = draw(allocation_lines(f"SO{s}", types))
        allocations += lines
        eu = sum(int(Decimal(line["eu_contribution"]) * 100) for line in lines)
        codes = draw(
            st.lists(st.sampled_from(["001", "002", "003", "004"]), min_size=1, max_size=3, unique=True)
        )
        objectives.append(
            {
                "code": f"SO{s}",
                "name": {"en": f"Objective {s}"},
                "indicators": [
                    {
                        "code": f"O.{s}.1",
                        "kind": "programme_specific",
                        "name": {"en": "Output"},
                        "unit": "number",
                        "type": "output",
                        "baseline": "0.00",
                        "milestone": _money(draw(st.integers(0, 10**6))),
                        "target": _money(draw(st.integers(0, 10**7))),
                    },
                    {
                        "code": f"R.{s}.1",
                        "kind": "programme_specific",
                        "name": {"en": "Result"},
                        "unit": "percent",
                        "type": "result",
                        "baseline": _money(draw(st.integers(0, 10**4))),
                        "reference_year": draw(st.integers(2019, 2022)),
                        "target": _money(draw(st.integers(0, 10**4))),
                    },
                ],
                "interventions": [
                    {"dimension": "intervention_field", "code": code, "amount": _money(part)}
                    for code, part in zip(codes, _split(draw, eu, len(codes)), strict=True)
                ],
            }
        )
    rest = sum(int(Decimal(line["eu_contribution"]) * 100) for line in allocations)
    if draw(st.booleans()):  # technical assistance within the 6 % flat rate of the rest
        ta = draw(st.integers(0, rest * 6 // 100))
        allocations.append(
            {
                "specific_objective": "TA",
                "type_of_action": "technical_assistance",
                "basis": "total",
                "eu_contribution": _money(ta),
                "national_public": "0.00",
                "national_private": "0.00",
                "total": _money(ta),
                "co_financing_rate": "100.00" if ta else "0.00",
            }
        )
    eu_total = sum(int(Decimal(line["eu_contribution"]) * 100) for line in allocations)
    thematic = draw(st.integers(0, eu_total // 4))
    mid_term = draw(st.integers(0, (eu_total - thematic) // 4))
    initial = eu_total - thematic - mid_term
    appropriations: dict[str, dict[str, str]] = {
        "initial_allocation": {
            y: _money(c) for y, c in zip(YEARS_2021, _split(draw, initial, len(YEARS_2021)), strict=True)
        }
    }
    if mid_term:
        appropriations["mid_term_review"] = {"2025": _money(mid_term)}
    thematic_facility = []
    if thematic:
        appropriations["thematic_facility"] = {"2023": _money(thematic)}
        thematic_facility = [
            {"specific_objective": "SO1", "modality": "specific_action", "eu_contribution": _money(thematic)}
        ]
    doc: dict[str, Any] = {
        "format": "amis-programme/2",
        "programme": {
            "cci": "2021BE65AMPR999",
            "member_state": "BE",
            "fund": "AMIF",
            "period": "2021-2027",
            "title": {"en": "t"},
            "languages": ["en"],
        },
        "version": {"number": number, "status": "draft"},
        # the minimum shares are not drawn for: a justification turns a shortfall into a warning
        "texts": {"minimum_share_justification": {"en": "Generated programme."}},
        "specific_objectives": objectives,
        "appropriations": appropriations,
        "allocations": allocations,
    }
    if thematic_facility:
        doc["thematic_facility"] = thematic_facility
    return doc
