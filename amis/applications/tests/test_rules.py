"""Budget, co-financing, dates and deadline rules (plain Python)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amis.applications.rules import (
    Activity,
    Budget,
    BudgetLine,
    CallTerms,
    Problems,
    check_actions,
    check_activities,
    check_budget,
    check_for_submission,
    check_participants,
    check_partners,
    check_target_groups,
    deadline_problem,
    summarise,
)
from amis.organisations.identifiers import enterprise_number

TERMS = CallTerms(
    Decimal("0.75"), Decimal("50000.00"), Decimal("300000.00"), dt.date(2027, 1, 1), dt.date(2027, 12, 31)
)
cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n) / 100)


def budget(direct: Decimal, rate: Decimal, eu: Decimal, rest: Decimal) -> Budget:
    return Budget([BudgetLine("staff", 2027, direct)], rate, {"eu": eu, "own": rest})


def submission(b: Budget) -> dict[str, str]:
    return check_for_submission(
        b,
        TERMS,
        [Activity("a", dt.date(2027, 1, 1), dt.date(2027, 6, 30))],
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
    ).by_field


@given(cents, st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.07")]))
def test_parts_equal_total_and_eu_within_75_percent_passes(direct: Decimal, rate: Decimal) -> None:
    b = Budget([BudgetLine("staff", 2027, direct)], rate, {})
    eu = min(
        (b.total_cost * Decimal("0.75")).quantize(Decimal("0.01"), rounding="ROUND_DOWN"),
        Decimal("300000.00"),
    )
    plan = budget(direct, rate, eu, b.total_cost - eu)
    problems = submission(plan)
    if Decimal("50000.00") <= eu:
        assert problems == {}
    else:
        assert set(problems) == {"funding.eu"}
    assert plan.total_cost == plan.direct_costs + plan.indirect_costs


@given(cents, cents)
def test_a_co_financing_plan_one_cent_off_is_refused(direct: Decimal, eu: Decimal) -> None:
    plan = Budget(
        [BudgetLine("staff", 2027, direct)], Decimal("0"), {"eu": eu, "own": direct - eu + Decimal("0.01")}
    )
    assert "funding" in submission(plan)


def test_eu_share_above_the_call_rate_is_refused() -> None:
    problems = submission(
        budget(Decimal("100000.00"), Decimal("0"), Decimal("75001.00"), Decimal("24999.00"))
    )
    assert (
        problems["funding.eu"].startswith("The EU contribution is 75.00 % of the total cost")
        or "75.0" in problems["funding.eu"]
    )


def test_max_grant_and_min_grant() -> None:
    big = submission(budget(Decimal("500000.00"), Decimal("0"), Decimal("300000.01"), Decimal("199999.99")))
    assert "maximum grant" in big["funding.eu"]
    small = submission(budget(Decimal("10000.00"), Decimal("0"), Decimal("7500.00"), Decimal("2500.00")))
    assert "minimum grant" in small["funding.eu"]


def test_negative_amounts_and_too_many_decimals_and_rates() -> None:
    problems = Problems()
    check_budget(
        Budget(
            [BudgetLine("staff", 2027, Decimal("-1.00")), BudgetLine("travel", 2027, Decimal("1.001"))],
            Decimal("0.08"),
            {"eu": Decimal("-5")},
        ),
        TERMS,
        problems,
    )
    assert problems.by_field["budget.0.amount"] == "An amount cannot be negative."
    assert problems.by_field["budget.1.amount"] == "Amounts have at most two decimals (cents)."
    assert "7 %" in problems.by_field["indirect_rate"]
    assert problems.by_field["funding.eu"] == "An amount cannot be negative."


def test_dates_outside_the_eligible_period() -> None:
    plan = budget(Decimal("100000.00"), Decimal("0"), Decimal("75000.00"), Decimal("25000.00"))
    problems = check_for_submission(
        plan,
        TERMS,
        [Activity("late", dt.date(2027, 6, 1), dt.date(2028, 1, 1))],
        dt.date(2026, 12, 31),
        dt.date(2027, 12, 31),
    ).by_field
    assert "eligible period" in problems["start"] and "eligible period" in problems["activities.0.start"]


def test_the_deadline_to_the_second() -> None:
    opens = dt.datetime(2027, 1, 1, 9, 0, 0, tzinfo=dt.UTC)
    closes = dt.datetime(2027, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert deadline_problem(closes, opens, closes) is None
    assert deadline_problem(closes + dt.timedelta(microseconds=999999), opens, closes) is None
    assert "closed" in (deadline_problem(closes + dt.timedelta(seconds=1), opens, closes) or "")
    assert "opens" in (deadline_problem(opens - dt.timedelta(seconds=1), opens, closes) or "")


# --- actions, target groups, participants, partners, work plan -------------------------------------


def _kbo(base: int) -> str:
    """A valid Belgian enterprise number: 8 digits and their check number 97 - (base mod 97)."""
    return f"{base:08d}{97 - base % 97:02d}"


def test_actions_and_target_groups_are_the_calls() -> None:
    problems = Problems()
    assert check_actions(["13", 13, 14], [13, 14], problems) == [13, 14] and not problems
    check_actions([15], [13], problems)
    assert "action 15" in problems.by_field["actions"]
    problems = Problems()
    check_actions(["x"], [13], problems)
    assert "not an action number" in problems.by_field["actions"]
    problems = Problems()
    assert check_target_groups(["women", "youngsters"], ["youngsters", "women"], problems) == [
        "youngsters",
        "women",
    ]
    check_target_groups(["pensioners"], ["women"], problems)
    assert "pensioners" in problems.by_field["target_groups"]


@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
)
def test_sub_counts_never_exceed_the_participants(total: int, vulnerable: int, minors: int) -> None:
    problems = Problems()
    assert check_participants(total, str(vulnerable), minors, problems) == (total, vulnerable, minors)
    assert ("vulnerable_participants" in problems.by_field) == (vulnerable > total)
    assert ("unaccompanied_minors" in problems.by_field) == (minors > total)


def test_negative_or_non_whole_counts_are_refused() -> None:
    problems = Problems()
    check_participants(10, -1, "2.5", problems)
    assert set(problems.by_field) == {"vulnerable_participants", "unaccompanied_minors"}
    problems = Problems()
    assert check_participants(None, 5, True, problems) == (None, 5, None)  # a boolean is not a count
    assert set(problems.by_field) == {"unaccompanied_minors"}


@given(st.integers(min_value=0, max_value=19_999_999), st.integers(min_value=1, max_value=96))
def test_a_belgian_partner_needs_a_valid_enterprise_number(base: int, off: int) -> None:
    good = _kbo(base)
    problems = Problems()
    cleaned = check_partners(
        [{"name": "Partner", "enterprise_number": f"{good[:4]}.{good[4:7]}.{good[7:]}", "role": "associate"}],
        enterprise_number,
        problems,
    )
    assert not problems and cleaned[0]["enterprise_number"] == good and cleaned[0]["country"] == "BE"
    wrong = f"{base:08d}{(97 - base % 97 + off) % 97 or 97:02d}"
    check_partners(
        [{"name": "P", "enterprise_number": wrong, "role": "associate"}], enterprise_number, problems
    )
    assert "KBO/BCE" in problems.by_field["partners.0.enterprise_number"]


def test_partner_rows_need_a_name_and_a_role_and_foreign_numbers_are_free() -> None:
    problems = Problems()
    cleaned = check_partners(
        [
            {"name": "", "role": "boss"},
            {
                "name": "Stichting X",
                "country": "nl",
                "enterprise_number": "KVK 41181225",
                "role": "co_beneficiary",
            },
            {"name": "Y", "country": "Belgium", "role": "associate"},
        ],
        enterprise_number,
        problems,
    )
    assert set(problems.by_field) == {"partners.0.name", "partners.0.role", "partners.2.country"}
    assert cleaned[1] == {
        "name": "Stichting X",
        "country": "NL",
        "enterprise_number": "KVK 41181225",
        "role": "co_beneficiary",
    }


@given(st.dates(), st.dates())
def test_an_activity_ends_on_or_after_its_start(start: dt.date, end: dt.date) -> None:
    problems = Problems()
    cleaned = check_activities([{"name": "A", "start": start.isoformat(), "end": end}], problems)
    assert ("activities.0.end" in problems.by_field) == (end < start)
    assert cleaned[0]["start"] == start.isoformat() and cleaned[0]["end"] == end.isoformat()


def test_activities_need_a_name_and_iso_dates() -> None:
    problems = Problems()
    check_activities(
        [{"name": "Ok", "start": "", "end": ""}, {"name": " ", "start": "01/02/2027", "end": "2027-13-01"}],
        problems,
    )
    assert set(problems.by_field) == {"activities.1.name", "activities.1.start", "activities.1.end"}
    problems = Problems()
    check_activities("not a list", problems)
    assert "activities" in problems.by_field


@given(cents, st.sampled_from([Decimal("0"), Decimal("0.07")]), cents)
def test_the_summary_adds_up_to_the_cent(direct: Decimal, rate: Decimal, eu: Decimal) -> None:
    b = Budget([BudgetLine("staff", 2027, direct)], rate, {"eu": eu, "own": Decimal("1.00")})
    s = summarise(b, TERMS)
    assert s.total_cost == s.direct_costs + s.indirect_costs == b.total_cost
    assert s.difference == s.total_cost - eu - Decimal("1.00")
    assert s.eu_share == (
        None
        if s.total_cost == 0
        else (eu / s.total_cost * 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    )
