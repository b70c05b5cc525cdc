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
