"""The per-SO totals of a payment application are derived from its items: each SO's total is the sum
of its items not held back from the application, and the SOs add up to the application's total, to
the cent (property test over any items, no database)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from amis.declarations.selectors import so_totals

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999"), places=2)
items = st.lists(
    st.builds(
        lambda so, eligible, public, eu, held, stage: SimpleNamespace(
            specific_objective=so,
            eligible=eligible,
            public=public,
            eu=eu,
            held_back=held,
            held_stage=stage if held else "",
        ),
        st.sampled_from(["SO1", "SO2", "SO3", "TA"]),
        money,
        money,
        money,
        st.booleans(),
        st.sampled_from(["application", "accounts"]),
    ),
    max_size=50,
)


@given(items)
def test_totals_are_the_sum_of_the_items_that_count(found: list[Any]) -> None:
    rows, total = so_totals(found)
    counted = [i for i in found if not (i.held_back and i.held_stage == "application")]
    for column in ("eligible", "public", "eu"):
        assert getattr(total, column) == sum((getattr(i, column) for i in counted), Decimal("0"))
        assert sum((getattr(r.amounts, column) for r in rows), Decimal("0")) == getattr(total, column)
        for row in rows:
            mine = [i for i in counted if i.specific_objective == row.specific_objective]
            assert getattr(row.amounts, column) == sum((getattr(i, column) for i in mine), Decimal("0"))
    assert [r.specific_objective for r in rows] == sorted({i.specific_objective for i in counted})
    assert sum(r.items for r in rows) == len(counted)
