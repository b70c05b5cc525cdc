"""Rules for an application's budget, co-financing plan, dates and deadline — plain Python, no Django.

- Co-financing: the EU contribution may not exceed the call's maximum rate of the eligible cost
  (75 %; up to 90 % for specific actions — Regulation (EU) No 514/2014 Art. 16; Regulation (EU)
  2021/1147 Art. 15), nor the call's maximum grant, nor fall below its minimum grant.
- The co-financing plan's parts add up to the total cost, to the cent (no funding gap, no profit:
  Regulation (EU, Euratom) 2018/1046 Art. 192).
- Indirect costs are a flat rate of direct costs, at most 7 % (Regulation (EU) 2021/1060 Art. 54(a)),
  computed by AMIS, never typed in.
- Activities and budget years lie inside the call's eligible period; the deadline is enforced by the
  server to the second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from amis.core import messages
from amis.core.messages import gettext as _
from amis.core.money import CENT, ZERO, cents

INDIRECT_RATE_CEILING = Decimal("0.07")
COST_CATEGORIES = ("staff", "travel", "equipment", "consumables", "subcontracting", "other")
FUNDING_SOURCES = ("eu", "national_public", "own", "other")


@dataclass(frozen=True)
class CallTerms:
    max_eu_rate: Decimal
    min_grant: Decimal | None
    max_grant: Decimal | None
    eligible_start: dt.date
    eligible_end: dt.date
    indirect_rate_max: Decimal = INDIRECT_RATE_CEILING


@dataclass(frozen=True)
class BudgetLine:
    category: str
    year: int
    amount: Decimal
    description: str = ""


@dataclass(frozen=True)
class Activity:
    name: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Budget:
    lines: list[BudgetLine]
    indirect_rate: Decimal
    funding: dict[str, Decimal]

    @property
    def direct_costs(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def indirect_costs(self) -> Decimal:
        return cents(self.direct_costs * self.indirect_rate)

    @property
    def total_cost(self) -> Decimal:
        return self.direct_costs + self.indirect_costs

    @property
    def funding_total(self) -> Decimal:
        return sum(self.funding.values(), ZERO)

    @property
    def eu_contribution(self) -> Decimal:
        return self.funding.get("eu", ZERO)

    def per_category(self) -> dict[str, Decimal]:
        out = {c: ZERO for c in COST_CATEGORIES}
        for line in self.lines:
            out[line.category] = out.get(line.category, ZERO) + line.amount
        return out

    def per_year(self) -> dict[int, Decimal]:
        out: dict[int, Decimal] = {}
        for line in self.lines:
            out[line.year] = out.get(line.year, ZERO) + line.amount
        return dict(sorted(out.items()))


@dataclass
class Problems:
    """Field -> message. Empty means the rule set passed."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        self.by_field.setdefault(where, message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def amount_problem(value: Decimal) -> str | None:
    if value < 0:
        return _("An amount cannot be negative.")
    if value != value.quantize(CENT):
        return _("Amounts have at most two decimals (cents).")
    return None


def check_budget(budget: Budget, terms: CallTerms, problems: Problems) -> None:
    """Rules that hold for a draft too: every amount is well formed."""
    for index, line in enumerate(budget.lines):
        problem = amount_problem(line.amount)
        if problem:
            problems.add(f"budget.{index}.amount", problem)
        if line.category not in COST_CATEGORIES:
            problems.add(
                f"budget.{index}.category",
                _("Unknown cost category '%(category)s'.") % {"category": line.category},
            )
    for source, amount in budget.funding.items():
        if source not in FUNDING_SOURCES:
            problems.add(f"funding.{source}", _("Unknown funding source '%(source)s'.") % {"source": source})
        problem = amount_problem(amount)
        if problem:
            problems.add(f"funding.{source}", problem)
    if budget.indirect_rate < 0 or budget.indirect_rate > terms.indirect_rate_max:
        problems.add(
            "indirect_rate",
            _(
                "The flat rate for indirect costs is at most %(rate)s %% of direct costs "
                "(Regulation (EU) 2021/1060 Art. 54(a))."
            )
            % {"rate": messages.figure(terms.indirect_rate_max * 100, 0)},
        )


def check_for_submission(
    budget: Budget, terms: CallTerms, activities: list[Activity], start: dt.date | None, end: dt.date | None
) -> Problems:
    """Everything a submitted application must satisfy (a draft may still break these)."""
    problems = Problems()
    check_budget(budget, terms, problems)
    if not budget.lines:
        problems.add("budget", _("The budget has no lines."))
    if budget.funding_total != budget.total_cost:
        problems.add(
            "funding",
            _(
                "The co-financing plan adds up to %(plan)s but the total cost is %(total)s; the parts must "
                "equal the total to the cent."
            )
            % {"plan": messages.amount(budget.funding_total), "total": messages.amount(budget.total_cost)},
        )
    eu = budget.eu_contribution
    if budget.total_cost > 0 and eu > cents(budget.total_cost * terms.max_eu_rate):
        problems.add(
            "funding.eu",
            _("The EU contribution is %(share)s %% of the total cost; this call allows at most %(max)s %%.")
            % {
                "share": messages.figure(eu / budget.total_cost * 100, 2),
                "max": messages.figure(terms.max_eu_rate * 100, 0),
            },
        )
    if terms.max_grant is not None and eu > terms.max_grant:
        problems.add(
            "funding.eu",
            _("The EU contribution exceeds the call's maximum grant of %(amount)s.")
            % {"amount": messages.amount(terms.max_grant)},
        )
    if terms.min_grant is not None and eu < terms.min_grant:
        problems.add(
            "funding.eu",
            _("The EU contribution is below the call's minimum grant of %(amount)s.")
            % {"amount": messages.amount(terms.min_grant)},
        )
    _check_period(problems, "start", "end", start, end, terms)
    for index, activity in enumerate(activities):
        _check_period(
            problems,
            f"activities.{index}.start",
            f"activities.{index}.end",
            activity.start,
            activity.end,
            terms,
        )
    for index, line in enumerate(budget.lines):
        if not terms.eligible_start.year <= line.year <= terms.eligible_end.year:
            problems.add(
                f"budget.{index}.year",
                _("%(year)s is outside the call's eligible period.") % {"year": line.year},
            )
    return problems


def _check_period(
    problems: Problems,
    start_key: str,
    end_key: str,
    start: dt.date | None,
    end: dt.date | None,
    terms: CallTerms,
) -> None:
    if start is None:
        problems.add(start_key, _("A start date is required."))
    if end is None:
        problems.add(end_key, _("An end date is required."))
    if start is None or end is None:
        return
    if end < start:
        problems.add(end_key, _("The end date is before the start date."))
    if start < terms.eligible_start or end > terms.eligible_end:
        problems.add(
            start_key,
            _("The dates must lie within the call's eligible period, %(start)s to %(end)s.")
            % {"start": messages.date(terms.eligible_start), "end": messages.date(terms.eligible_end)},
        )


def deadline_problem(now: dt.datetime, opens_at: dt.datetime, closes_at: dt.datetime) -> str | None:
    """Submissions count from `opens_at` up to and including the second of `closes_at`."""
    if now < opens_at:
        return _("The call opens on %(when)s.") % {"when": messages.datetime(opens_at)}
    if now.replace(microsecond=0) > closes_at:
        return _("The call closed on %(when)s; submissions are no longer accepted.") % {
            "when": messages.datetime(closes_at)
        }
    return None


# ---------------------------------------------------------------------------------------------------
# What the application says about itself: the actions and target groups it serves, its participants,
# its partners and its work plan. Checked when a draft is saved (a draft may be incomplete, never wrong).

PARTNER_ROLES = ("co_beneficiary", "associate", "co_financer")
NAME_MAX = 300  # a title, a partner's or an activity's name: the models' CharField(300)
TEXT_MAX = 4000  # a summary, an activity's description
DESCRIPTION_MAX = 20000  # the project description, the longest text an applicant writes
IDENTIFIER_MAX = 40
ROWS_MAX = 200  # partners, activities, planned indicators: far beyond any real project
BUDGET_LINES_MAX = 500  # positions are a small integer in the database; no budget has this many lines
PERSONS_MAX = 10_000_000  # a count of persons above this is a typing error (and would not fit)
YEAR_MIN, YEAR_MAX = 2000, 2100
_DIGITS_MAX = 12  # longer digit strings are no count AMIS keeps (and int() of 5,000 digits refuses)


def _integer(value: object) -> int | None:
    """An integer given as an int or as decimal digits (a form sends text); booleans are not numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = value.strip().lstrip("-")
        if digits.isdigit() and digits.isascii() and len(digits) <= _DIGITS_MAX:
            return int(value.strip())
    return None


def budget_year(raw: object, where: str, problems: Problems) -> int:
    """The year of a budget line (0 when missing or wrong, with a problem): a small whole number."""
    year = _integer(raw)
    if year is None:
        problems.add(where, _("A budget line needs a year."))
        return 0
    if not YEAR_MIN <= year <= YEAR_MAX:
        problems.add(where, _("%(year)s is not a year of a fund's programming period.") % {"year": year})
        return 0
    return year


def too_many(rows: list[object], limit: int, where: str, problems: Problems) -> bool:
    if len(rows) > limit:
        problems.add(where, f"At most {limit} rows (this has {len(rows)}).")
        return True
    return False


def check_actions(chosen: object, offered: list[int], problems: Problems) -> list[int]:
    """The programme actions served: only those the call is open to (the call is tied to them when
    launched, Regulation (EU) 514/2014 Art. 6; an application cannot widen it)."""
    if not isinstance(chosen, list):
        problems.add("actions", "Give the actions as a list of action numbers.")
        return []
    if too_many(chosen, ROWS_MAX, "actions", problems):
        return []
    numbers: list[int] = []
    for raw in chosen:
        number = _integer(raw)
        if number is None:
            problems.add("actions", _("'%(value)s' is not an action number.") % {"value": raw})
        elif number not in offered:
            problems.add(
                "actions",
                _("This call is open to action %(offered)s only, not to action %(number)s.")
                % {"offered": ", ".join(str(a) for a in offered) or "—", "number": number},
            )
        elif number not in numbers:
            numbers.append(number)
    return sorted(numbers)


def check_target_groups(chosen: object, offered: list[str], problems: Problems) -> list[str]:
    """Target groups: only those the call names (its eligibility is written for them)."""
    if not isinstance(chosen, list):
        problems.add("target_groups", "Give the target groups as a list.")
        return []
    if too_many(chosen, ROWS_MAX, "target_groups", problems):
        return []
    groups: list[str] = []
    for raw in chosen:
        group = str(raw).strip()
        if group not in offered:
            problems.add(
                "target_groups", _("'%(group)s' is not one of this call's target groups.") % {"group": group}
            )
        elif group not in groups:
            groups.append(group)
    return [g for g in offered if g in groups]


def check_participants(
    expected: object, vulnerable: object, minors: object, problems: Problems
) -> tuple[int | None, int | None, int | None]:
    """Counts of persons are whole, not negative; vulnerable persons and unaccompanied minors are
    among the participants, so neither count can be above the expected number of participants."""
    counts: list[int | None] = []
    for key, raw in (
        ("expected_participants", expected),
        ("vulnerable_participants", vulnerable),
        ("unaccompanied_minors", minors),
    ):
        if raw in (None, ""):
            counts.append(None)
            continue
        number = _integer(raw)
        if number is None:
            problems.add(key, _("'%(value)s' is not a whole number.") % {"value": str(raw)[:40]})
        elif number < 0:
            problems.add(key, _("A number of persons cannot be negative."))
            number = None
        elif number > PERSONS_MAX:
            problems.add(key, _("At most %(max)s persons.") % {"max": messages.figure(PERSONS_MAX, 0)})
            number = None
        counts.append(number)
    total, vulnerable_count, minors_count = counts
    if total is not None:
        for key, count, message in (
            (
                "vulnerable_participants",
                vulnerable_count,
                _("%(count)s vulnerable persons is more than the %(total)s participants expected in all."),
            ),
            (
                "unaccompanied_minors",
                minors_count,
                _("%(count)s unaccompanied minors is more than the %(total)s participants expected in all."),
            ),
        ):
            if count is not None and count > total:
                problems.add(key, message % {"count": count, "total": total})
    return total, vulnerable_count, minors_count


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()


def check_partners(
    partners: object, enterprise_number: Callable[[str], str], problems: Problems
) -> list[dict[str, str]]:
    """Each partner has a name and a role; a Belgian partner's enterprise number (optional in a draft)
    must be a valid KBO/BCE number, `enterprise_number` normalising it or raising ValueError; a foreign
    partner gives its country code and its own registration number as it is."""
    if not isinstance(partners, list):
        problems.add("partners", "Give the partners as a list.")
        return []
    if too_many(partners, ROWS_MAX, "partners", problems):
        return []
    cleaned: list[dict[str, str]] = []
    for index, raw in enumerate(partners):
        where = f"partners.{index}"
        if not isinstance(raw, Mapping):
            problems.add(where, "A partner is a name, a country, an enterprise number and a role.")
            continue
        name = _text(raw.get("name"))
        country = _text(raw.get("country")).upper() or "BE"
        number = _text(raw.get("enterprise_number"))
        role = _text(raw.get("role"))
        if not name:
            problems.add(f"{where}.name", _("A partner needs a name."))
        elif len(name) > NAME_MAX:
            problems.add(f"{where}.name", _("At most %(max)s characters.") % {"max": NAME_MAX})
        if len(country) != 2 or not country.isascii() or not country.isalpha():
            problems.add(
                f"{where}.country", _("Give the two-letter country code (ISO 3166), e.g. BE, NL, FR.")
            )
        if role not in PARTNER_ROLES:
            problems.add(f"{where}.role", _("Choose the partner's role."))
        if number and country == "BE":
            try:
                number = enterprise_number(number)
            except ValueError as exc:
                problems.add(f"{where}.enterprise_number", str(exc))
        elif len(number) > IDENTIFIER_MAX:
            problems.add(
                f"{where}.enterprise_number", _("At most %(max)s characters.") % {"max": IDENTIFIER_MAX}
            )
        cleaned.append({"name": name, "country": country, "enterprise_number": number, "role": role})
    return cleaned


def check_funders(funders: object, problems: Problems) -> dict[str, str]:
    """The names of the co-funders, per funding source (the national public co-funder on the page)."""
    if not isinstance(funders, Mapping):
        problems.add("funders", "Give the co-funders as funding source -> name.")
        return {}
    cleaned: dict[str, str] = {}
    for source, raw in funders.items():
        name = _text(raw)
        if source not in FUNDING_SOURCES:
            problems.add(f"funders.{str(source)[:40]}", f"Unknown funding source '{str(source)[:40]}'.")
        elif not isinstance(raw, str | None):
            problems.add(f"funders.{source}", _("Give the co-funder's name."))
        elif len(name) > NAME_MAX:
            problems.add(f"funders.{source}", _("At most %(max)s characters.") % {"max": NAME_MAX})
        elif name:
            cleaned[source] = name
    return cleaned


def check_planned_indicators(planned: object, problems: Problems) -> dict[str, str]:
    """Indicator code -> the value planned, a number kept as the text it was given."""
    if not isinstance(planned, Mapping):
        problems.add("planned_indicators", "Give the planned indicators as indicator code -> value.")
        return {}
    if len(planned) > ROWS_MAX:
        problems.add("planned_indicators", f"At most {ROWS_MAX} indicators.")
        return {}
    cleaned: dict[str, str] = {}
    for code, raw in planned.items():
        where = f"planned_indicators.{str(code)[:20]}"
        value = _text(raw)
        if len(str(code)) > 20:
            problems.add(where, "An indicator code has at most 20 characters.")
        elif value and not _plain_number(raw):
            problems.add(
                where,
                _("'%(value)s' is not a number of at most 13 digits before the point.")
                % {"value": value[:40]},
            )
        elif value:
            cleaned[str(code)] = value
    return cleaned


def _plain_number(raw: object) -> bool:
    """A finite, non-negative number as text or a JSON number, small enough to be a planned value."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal) or len(str(raw)) > 40:
        return False
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        return False
    return number.is_finite() and number >= 0 and (number == 0 or number.adjusted() < 13)


def _iso_date(raw: object, where: str, problems: Problems) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        problems.add(where, _("'%(value)s' is not a date (YYYY-MM-DD).") % {"value": raw})
        return None


def check_activities(activities: object, problems: Problems) -> list[dict[str, str]]:
    """The work plan: each activity is named and, where dated, ends on or after its start. Dates may be
    missing in a draft; whether they lie in the eligible period is checked at submission."""
    if not isinstance(activities, list):
        problems.add("activities", "Give the activities as a list.")
        return []
    if too_many(activities, ROWS_MAX, "activities", problems):
        return []
    cleaned: list[dict[str, str]] = []
    for index, raw in enumerate(activities):
        where = f"activities.{index}"
        if not isinstance(raw, Mapping):
            problems.add(where, "An activity is a name, a start, an end and a description.")
            continue
        name = _text(raw.get("name"))
        description = _text(raw.get("description"))
        if not name:
            problems.add(f"{where}.name", _("An activity needs a name."))
        elif len(name) > NAME_MAX:
            problems.add(f"{where}.name", _("At most %(max)s characters.") % {"max": NAME_MAX})
        if len(description) > TEXT_MAX:
            problems.add(
                f"{where}.description",
                _("At most %(max)s characters.") % {"max": messages.figure(TEXT_MAX, 0)},
            )
        start = _iso_date(raw.get("start"), f"{where}.start", problems)
        end = _iso_date(raw.get("end"), f"{where}.end", problems)
        if start and end and end < start:
            problems.add(f"{where}.end", _("The end date is before the start date."))
        cleaned.append(
            {
                "name": name,
                "start": start.isoformat() if start else "",
                "end": end.isoformat() if end else "",
                "description": description,
            }
        )
    return cleaned


@dataclass(frozen=True)
class BudgetSummary:
    """What the budget and the co-financing plan add up to, as shown while they are typed."""

    direct_costs: Decimal
    indirect_rate: Decimal
    indirect_costs: Decimal
    total_cost: Decimal
    funding_total: Decimal
    difference: Decimal
    eu_contribution: Decimal
    eu_share: Decimal | None
    max_eu_rate: Decimal

    @property
    def indirect_percent(self) -> Decimal:
        return cents(self.indirect_rate * 100)

    @property
    def max_eu_percent(self) -> Decimal:
        return cents(self.max_eu_rate * 100)

    @property
    def eu_share_too_high(self) -> bool:
        return self.eu_share is not None and self.eu_contribution > cents(self.total_cost * self.max_eu_rate)


def summarise(budget: Budget, terms: CallTerms) -> BudgetSummary:
    """Totals of a budget, to the cent; the EU share in % of the total cost (None without a cost)."""
    total = budget.total_cost
    eu = budget.eu_contribution
    return BudgetSummary(
        direct_costs=budget.direct_costs,
        indirect_rate=budget.indirect_rate,
        indirect_costs=budget.indirect_costs,
        total_cost=total,
        funding_total=budget.funding_total,
        difference=total - budget.funding_total,
        eu_contribution=eu,
        eu_share=cents(eu / total * 100) if total > 0 else None,
        max_eu_rate=terms.max_eu_rate,
    )
