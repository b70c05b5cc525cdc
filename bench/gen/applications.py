"""Applications with their budget lines, eligibility checks, assessments and projects.

Each application's budget is the sum of its lines, its co-financing plan adds up to its total cost
(75 % EU), and what it submitted is frozen in its snapshot, as `amis.calls.services` would write it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from amis.applications.models import Application, BudgetLine
from amis.applications.rules import COST_CATEGORIES, cents
from amis.calls.models import Call
from amis.projects.models import Project
from amis.selection.models import Assessment, EligibilityCheck
from bench.gen.context import BIG_CALL, Context
from bench.gen.insert import insert
from bench.gen.texts import activity, description, line_description, title

S = Application.Status
INDIRECT = Decimal("0.0700")
STATUS_MIX = {
    Call.Status.PUBLISHED: [(S.DRAFT, 40), (S.SUBMITTED, 55), (S.WITHDRAWN, 5)],
    Call.Status.CLOSED: [
        (S.SUBMITTED, 30),
        (S.ELIGIBLE, 30),
        (S.INELIGIBLE, 10),
        (S.ASSESSED, 25),
        (S.WITHDRAWN, 5),
    ],
    Call.Status.DECIDED: [(S.REJECTED, 70), (S.INELIGIBLE, 20), (S.WITHDRAWN, 10)],
    "big": [(S.ASSESSED, 90), (S.INELIGIBLE, 8), (S.WITHDRAWN, 2)],
}
Line = tuple[int, str, int, str, Decimal]  # position, category, year, description, amount


def _shares(ctx: Context) -> list[int]:
    """Applications per call: the big call its fixed number, the rest spread at random, drafts none."""
    calls = ctx.calls
    others = [i for i, c in enumerate(calls) if c["code"] != BIG_CALL and c["status"] != Call.Status.DRAFT]
    weights = [ctx.rnd.uniform(0.5, 1.5) for _ in others]
    rest = ctx.scale.applications - ctx.scale.big_call_applications
    counts = [0] * len(calls)
    for i, w in zip(others, weights, strict=True):
        counts[i] = int(rest * w / sum(weights))
    counts[others[-1]] += rest - sum(counts)
    counts[next(i for i, c in enumerate(calls) if c["code"] == BIG_CALL)] = ctx.scale.big_call_applications
    return counts


def _lines(ctx: Context, start: dt.date, years: int) -> list[Line]:
    out = []
    for position in range(ctx.scale.budget_lines_per_application):
        category = COST_CATEGORIES[position % len(COST_CATEGORIES)]
        amount = Decimal(ctx.rnd.randrange(100_000, 2_500_000)) / 100
        out.append(
            (
                position + 1,
                category,
                start.year + position % years,
                line_description(ctx.rnd, category),
                amount,
            )
        )
    return out


def _application(ctx: Context, app_id: int, call: dict, number: int, status: str) -> tuple[dict, list[Line]]:
    rnd = ctx.rnd
    org_id, org_name, _kbo = rnd.choice(ctx.organisations)
    years = rnd.randint(1, 3)
    start = call["eligible_start"] + dt.timedelta(days=rnd.randrange(0, 180))
    end = min(call["eligible_end"], dt.date(start.year + years - 1, 12, 31))
    lines = _lines(ctx, start, years)
    direct = sum((line[4] for line in lines), Decimal("0.00"))
    total = direct + cents(direct * INDIRECT)
    eu, national = cents(total * Decimal("0.75")), cents(total * Decimal("0.15"))
    funding = {"eu": str(eu), "national_public": str(national), "own": str(total - eu - national)}
    text_title = title(rnd)
    author = rnd.choice(ctx.beneficiary_users)
    submitted = status != S.DRAFT
    submitted_at = call["opens_at"] + dt.timedelta(days=rnd.randrange(1, 59), minutes=rnd.randrange(0, 1440))
    row = {
        "id": app_id,
        "call_id": call["id"],
        "organisation_id": org_id,
        "reference": f"{call['code']}-{number:05d}",
        "status": status,
        "title": text_title,
        "summary": f"{text_title}: {description(rnd, 1)}",
        "description": description(rnd, 4),
        "actions": call["actions"],
        "target_groups": call["target_groups"],
        "expected_participants": rnd.randint(20, 800),
        "vulnerable_participants": rnd.randint(0, 100),
        "unaccompanied_minors": rnd.randint(0, 10),
        "start_date": start,
        "end_date": end,
        "indirect_rate": INDIRECT,
        "activities": [activity(rnd, start, end) for _ in range(rnd.randint(2, 4))],
        "partners": [],
        "planned_indicators": {"C2": str(rnd.randint(20, 500))},
        "funding": funding,
        "funders": {"national_public": "Agentschap Integratie en Inburgering"},
        "submitted_at": submitted_at if submitted else None,
        "submitted_by_id": author if submitted else None,
        "created_by_id": author,
        "created_at": submitted_at - dt.timedelta(days=10),
        "updated_at": submitted_at,
    }
    if submitted:
        row["snapshot"] = _snapshot(row, org_name, call["code"], lines, direct, total)
    return row, lines


def _snapshot(
    row: dict, org_name: str, code: str, lines: list[Line], direct: Decimal, total: Decimal
) -> dict:
    keys = ("title", "summary", "description", "actions", "target_groups", "expected_participants")
    return {
        "reference": row["reference"],
        "call": code,
        "organisation": org_name,
        **{k: row[k] for k in keys},
        "start_date": str(row["start_date"]),
        "end_date": str(row["end_date"]),
        "indirect_rate": str(row["indirect_rate"]),
        "activities": row["activities"],
        "funding": row["funding"],
        "budget": [
            {"category": c, "year": y, "description": d, "amount": str(a)} for _p, c, y, d, a in lines
        ],
        "direct_costs": str(direct),
        "indirect_costs": str(total - direct),
        "total_cost": str(total),
        "attachments": [],
    }


def applications(ctx: Context) -> dict[str, int]:
    """All applications, then their lines, checks, assessments and projects (one COPY per table)."""
    counts = _shares(ctx)
    first = ctx.ids.take(Application, ctx.scale.applications)
    apps: list[dict] = []
    lines: list[tuple[int, list[Line]]] = []
    for call, count in zip(ctx.calls, counts, strict=True):
        mix = STATUS_MIX["big" if call["code"] == BIG_CALL else call["status"]] if count else []
        statuses = ctx.rnd.choices([s for s, _ in mix], [w for _, w in mix], k=count) if count else []
        for number, status in enumerate(statuses, start=1):
            row, own = _application(ctx, first + len(apps), call, number, status)
            apps.append(row)
            lines.append((row["id"], own))
    selected = _select(ctx, apps)
    done = {"applications": insert(Application, apps)}
    done["budget_lines"] = _insert_lines(ctx, lines)
    done["eligibility_checks"] = _checks(ctx, apps)
    done["assessments"] = _assessments(ctx, apps)
    done["projects"] = _projects(ctx, selected)
    return done


def _select(ctx: Context, apps: list[dict]) -> list[dict]:
    """Turn exactly `scale.projects` rejected applications of decided calls into selected ones."""
    decided = {c["id"] for c in ctx.calls if c["status"] == Call.Status.DECIDED}
    rejected = [a for a in apps if a["call_id"] in decided and a["status"] == S.REJECTED]
    chosen = ctx.rnd.sample(rejected, min(ctx.scale.projects, len(rejected)))
    for app in chosen:
        app["status"] = S.SELECTED
    return chosen


def _insert_lines(ctx: Context, lines: list[tuple[int, list[Line]]]) -> int:
    first = ctx.ids.take(BudgetLine, sum(len(own) for _, own in lines))

    def rows():  # type: ignore[no-untyped-def]
        n = first
        for app_id, own in lines:
            for position, category, year, text, amount in own:
                yield {
                    "id": n,
                    "application_id": app_id,
                    "position": position,
                    "category": category,
                    "year": year,
                    "description": text,
                    "amount": amount,
                }
                n += 1

    return insert(BudgetLine, rows())


CHECKED = {S.ELIGIBLE, S.INELIGIBLE, S.ASSESSED, S.SELECTED, S.REJECTED}


def _checks(ctx: Context, apps: list[dict]) -> int:
    checked = [a for a in apps if a["status"] in CHECKED]
    first = ctx.ids.take(EligibilityCheck, len(checked))
    officer = ctx.users["da.flanders@amis.example"]
    rows = []
    for n, app in enumerate(checked):
        ok = app["status"] != S.INELIGIBLE
        answers = {
            "E1": {"met": True, "reason": ""},
            "E2": {"met": ok, "reason": "" if ok else "The target group are EU citizens."},
        }
        rows.append(
            {
                "id": first + n,
                "application_id": app["id"],
                "officer_id": officer,
                "answers": answers,
                "eligible": ok,
            }
        )
    return insert(EligibilityCheck, rows)


def _assessments(ctx: Context, apps: list[dict]) -> int:
    """Two agreeing assessors per assessed application, so it needs no consolidation."""
    assessed = [a for a in apps if a["status"] == S.ASSESSED]
    first = ctx.ids.take(Assessment, 2 * len(assessed))
    assessors = [ctx.users["assessor@amis.example"], ctx.users["assessor2@amis.example"]]
    rows = []
    for n, app in enumerate(assessed):
        scores = {"A1": ctx.rnd.randint(15, 40), "A2": ctx.rnd.randint(12, 35), "A3": ctx.rnd.randint(8, 25)}
        for k, assessor in enumerate(assessors):
            rows.append(
                {
                    "id": first + 2 * n + k,
                    "application_id": app["id"],
                    "assessor_id": assessor,
                    "no_conflict_declared_at": app["updated_at"] + dt.timedelta(days=20),
                    "scores": {c: f"{v}.00" for c, v in scores.items()},
                    "justifications": {c: "Scored against the call's guidance." for c in scores},
                    "total": Decimal(sum(scores.values())).quantize(Decimal("0.01")),
                }
            )
    return insert(Assessment, rows)


def _projects(ctx: Context, selected: list[dict]) -> int:
    first = ctx.ids.take(Project, len(selected))
    rows = []
    for n, app in enumerate(selected):
        total = Decimal(app["snapshot"]["total_cost"])
        rows.append(
            {
                "id": first + n,
                "application_id": app["id"],
                "reference": f"P-{app['reference']}",
                "organisation_id": app["organisation_id"],
                "eu_contribution": Decimal(app["funding"]["eu"]),
                "total_cost": total,
                "start_date": app["start_date"],
                "end_date": app["end_date"],
            }
        )
    return insert(Project, rows)
