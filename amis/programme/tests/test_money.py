from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amis.programme.rules.money import (
    MoneyFormatError,
    display,
    format_money,
    money_sum,
    parse_money,
    to_cents,
)

cents = st.integers(min_value=-(10**13), max_value=10**13)


@given(cents)
def test_parse_and_format_round_trip_exactly(n: int) -> None:
    value = Decimal(n) / 100
    text = format_money(value)
    assert text is not None
    assert parse_money(text) == value
    assert format_money(parse_money(text)) == text


@pytest.mark.parametrize("bad", ["1", "1.5", "1.234", "1,234.50", "1e3", "", " 1.00", 1.5, 100])
def test_parse_refuses_anything_but_two_decimals(bad: object) -> None:
    with pytest.raises(MoneyFormatError):
        parse_money(bad)  # type: ignore[arg-type]


@given(st.lists(st.one_of(st.none(), cents.map(lambda n: Decimal(n) / 100)), max_size=30))
def test_sum_of_parts_is_exact_and_blank_counts_as_nothing(values: list[Decimal | None]) -> None:
    total = money_sum(values)
    assert total == sum((v for v in values if v is not None), Decimal("0"))
    assert total == to_cents(total)


def test_rounding_is_half_up_to_the_cent() -> None:
    assert to_cents(Decimal("0.005")) == Decimal("0.01")
    assert to_cents(Decimal("2.675")) == Decimal("2.68")
    assert display(Decimal("177261833.12")) == "177,261,833.12"
