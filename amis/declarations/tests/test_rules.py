"""The plain rules of declarations: the years of each period, the public contribution, the
accounts' arithmetic (accounts = declared − held back − corrections − recoveries per SO, to the
cent, and the reconciliation explaining every difference: property tests) and the decommitment
risk (514/2014 Art. 50 as amended; CPR Art. 105)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amis.declarations import rules

D = Decimal


def test_years_of_each_period() -> None:
    assert rules.year_bounds("2014-2020", 2019) == (dt.date(2018, 10, 16), dt.date(2019, 10, 15))
    assert rules.year_bounds("2021-2027", 2023) == (dt.date(2022, 7, 1), dt.date(2023, 6, 30))
    assert rules.year_of("2014-2020", dt.date(2018, 10, 15)) == 2018
    assert rules.year_of("2014-2020", dt.date(2018, 10, 16)) == 2019
    assert rules.year_of("2021-2027", dt.date(2022, 6, 30)) == 2022
    assert rules.year_of("2021-2027", dt.date(2022, 7, 1)) == 2023
    assert rules.accounts_due("2021-2027", 2023) == (dt.date(2024, 2, 15), dt.date(2024, 3, 1))
    assert "Art. 44" in rules.PERIODS["2014-2020"].application_article
    assert "Annex XXIII" in rules.PERIODS["2021-2027"].application_article
    assert "Annex XXIV" in rules.PERIODS["2021-2027"].accounts_article
    with pytest.raises(ValueError):
        rules.year_bounds("2007-2013", 2010)
    # financial year 2015 is the first of 2014-2020 (it begins in October 2014), 2024 the last
    assert [y for y in range(2010, 2035) if rules.year_in_period("2014-2020", y)] == list(range(2015, 2025))
    assert [y for y in range(2010, 2035) if rules.year_in_period("2021-2027", y)] == list(range(2022, 2031))


@given(st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2031, 12, 31)))
def test_every_day_lies_in_the_year_it_is_named_after(day: dt.date) -> None:
    for period in rules.PERIODS:
        start, end = rules.year_bounds(period, rules.year_of(period, day))
        assert start <= day <= end


def test_public_contribution() -> None:
    # a public body: all its eligible expenditure is public money
    assert rules.public_contribution(D("1000.00"), D("750.00"), "local_public_body") == D("1000.00")
    # an NGO with 10 % national public co-financing in its plan
    plan = {"eu": "7500.00", "national_public": "1000.00", "own": "1500.00"}
    assert rules.public_contribution(D("1000.00"), D("750.00"), "ngo", plan) == D("850.00")
    # no plan: the EU amount only
    assert rules.public_contribution(D("1000.00"), D("750.00"), "ngo") == D("750.00")


amounts = st.decimals(min_value=D("0"), max_value=D("1000000"), places=2)
objectives = st.sampled_from(["SO1", "SO2", "SO3"])
movements = st.lists(
    st.builds(
        lambda kind, so, a, b, c: rules.Movement(kind, so, rules.Amounts(a, b, c)),
        st.sampled_from(rules.KINDS),
        objectives,
        amounts,
        amounts,
        amounts,
    ),
    max_size=40,
)


@given(movements)
def test_accounts_are_declared_less_corrections_and_recoveries_per_objective(
    lines: list[rules.Movement],
) -> None:
    by_so = rules.accounts(lines)
    for so, row in by_so.items():
        mine = [m for m in lines if m.specific_objective == so]
        for column in rules.COLUMNS:

            def of(kind: str, column: str = column, mine: list[rules.Movement] = mine) -> Decimal:
                return sum((getattr(m.amounts, column) for m in mine if m.kind == kind), D("0"))

            net = getattr(row.net, column)
            assert net == of("declared") - of("held_back") - of("corrected") - of("recovered")
            # the reconciliation: every euro between the applications and the accounts is explained
            explained = sum(
                (getattr(m.amounts, column) for m in mine if m.kind in rules.DIFFERENCE_KINDS), D("0")
            )
            assert getattr(row.difference, column) == explained
            assert net == net.quantize(D("0.01"))
    # the objectives add up to the total of all movements
    total_net = rules.total(r.net for r in by_so.values())
    assert total_net.eu == sum(
        (m.amounts.eu if m.kind == "declared" else -m.amounts.eu for m in lines), D("0")
    )


def test_an_unknown_movement_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.accounts([rules.Movement("paid", "SO1", rules.Amounts())])


def test_2014_commitment_spread_in_sixths_and_n_plus_2() -> None:
    commitments = {2014: D("600.01"), 2015: D("100.00"), 2016: D("100.00"), 2019: D("50"), 2020: D("50")}
    spread = rules.spread("2014-2020", commitments)
    assert 2014 not in spread
    assert spread[2015] == D("200.00") and spread[2016] == D("200.00")
    assert spread[2020] == D("150.01")  # the last sixth takes the cent left over
    assert sum(spread.values()) == sum(commitments.values())
    result = {
        r.year: r
        for r in rules.decommitment(
            "2014-2020", commitments, {dt.date(2016, 3, 1): D("250")}, dt.date(2017, 1, 10)
        )
    }
    # 2015: N+2 deadline 15 February 2017, five weeks ahead; 200 to cover, 250 covered on time
    assert (
        result[2015].deadline == dt.date(2017, 2, 15) and result[2015].gap == 0 and result[2015].level == "ok"
    )
    # 2016: cumulated 400, covered 250: a gap, deadline 15 February 2018 more than six months away
    assert (
        result[2016].to_cover == D("400.00")
        and result[2016].gap == D("150.00")
        and result[2016].level == "ok"
    )
    # the last two years are settled at closure (Art. 50(4) as amended by 2022/585)
    assert result[2019].deadline is None and result[2019].level == "at_closure"
    later = {
        r.year: r
        for r in rules.decommitment(
            "2014-2020", commitments, {dt.date(2016, 3, 1): D("250")}, dt.date(2017, 9, 1)
        )
    }
    assert later[2016].level == "warning"  # 15 February 2018 is within six months
    after = {
        r.year: r
        for r in rules.decommitment(
            "2014-2020", commitments, {dt.date(2016, 3, 1): D("250")}, dt.date(2018, 3, 1)
        )
    }
    assert after[2016].level == "decommitted" and after[2016].gap == D("150.00")


def test_2021_2027_n_plus_3_and_2027_at_the_end_of_2029() -> None:
    commitments = {2021: D("1000"), 2022: D("1000"), 2027: D("1000")}
    covered = {dt.date(2022, 5, 1): D("400"), dt.date(2025, 1, 10): D("900"), dt.date(2026, 1, 5): D("500")}
    result = {r.year: r for r in rules.decommitment("2021-2027", commitments, covered, dt.date(2025, 8, 1))}
    assert result[2021].deadline == dt.date(2024, 12, 31)  # Art. 105(1): 31 December of N+3
    assert (
        result[2021].covered == D("400")
        and result[2021].gap == D("600")
        and result[2021].level == "decommitted"
    )
    assert result[2022].deadline == dt.date(2025, 12, 31) and result[2022].level == "warning"
    assert result[2022].covered == D("1300") and result[2022].gap == D("700")
    assert result[2027].deadline is None and "105(2)" in result[2027].article
    done = {r.year: r for r in rules.decommitment("2021-2027", commitments, covered, dt.date(2026, 2, 1))}
    assert done[2022].covered == D("1300")  # what came after the deadline does not count
