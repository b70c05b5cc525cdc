"""The programme dashboard's pages (issue 17 §1): the programmes in the reader's scope, a programme's
money per specific objective and group, with the calls under each group; a call's projects, each
linking to its page (reports, expenditure lines). Every table also downloads as XLSX (`?format=xlsx`)
with exactly the figures shown. Filters: call, managing authority, beneficiary type."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from amis.accounts.permissions import check, require
from amis.core import spreadsheet
from amis.dashboard import freshness, selectors
from amis.dashboard.rules import Figures
from amis.dashboard.selectors import Filters
from amis.organisations.models import Organisation
from amis.programme.models import Programme

COLUMNS = (
    ("in_calls", "In calls"),
    ("grants", "Grants"),
    ("declared", "Declared"),
    ("verified", "Verified"),
    ("eu_verified", "EU share verified"),
    ("corrected", "Corrected (EU)"),
    ("paid", "Paid"),
    ("recovered", "Recovered"),
    ("to_commission", "Declared to the Commission (EU)"),
)
BENEFICIARY_KINDS = [
    k for k in Organisation.Kind if k.value in {"state_authority", "local_public_body", "ngo",
                                                "international_organisation", "red_cross", "partner"}
]  # fmt: skip


def _filters(request: HttpRequest) -> Filters:
    authority = request.GET.get("authority", "")
    kind = request.GET.get("beneficiary_kind", "")
    return Filters(
        call=request.GET.get("call", "")[:40],
        authority=int(authority) if authority.isdigit() and len(authority) < 10 else None,
        beneficiary_kind=kind if kind in {k.value for k in BENEFICIARY_KINDS} else "",
    )


def _columns() -> list[tuple[str, str]]:
    labels = {
        "in_calls": _("In calls"),
        "grants": _("Grants"),
        "declared": _("Declared"),
        "verified": _("Verified"),
        "eu_verified": _("EU share verified"),
        "corrected": _("Corrected (EU)"),
        "paid": _("Paid"),
        "recovered": _("Recovered"),
        "to_commission": _("Declared to the Commission (EU)"),
    }
    return [(key, str(labels[key])) for key, _label in COLUMNS]


def _text(label: Any) -> str:
    if isinstance(label, dict):
        language = (get_language() or "en")[:2]
        return str(label.get(language) or label.get("en") or next(iter(label.values()), ""))
    return str(label or "")


def _xlsx(title: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        spreadsheet.xlsx_append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{title}.xlsx"'
    return response


def _money(figures: Figures) -> list[Decimal]:
    return [getattr(figures, key) for key, _label in COLUMNS]


def _programme_or_404(request: HttpRequest, cci: str) -> Programme:
    require(request.user, "dashboard.view")
    programme = Programme.objects.filter(cci=cci).first()
    if programme is None:
        raise Http404(_("No such programme."))
    if not selectors.may_read(request.user, programme):
        raise PermissionDenied(_("This programme is not in your part of the programme."))
    return programme


@login_required
@require_GET
def dashboard_index(request: HttpRequest) -> HttpResponse:
    require(request.user, "dashboard.view")
    readable = [
        p for p in Programme.objects.select_related("period", "fund").order_by("cci")
        if selectors.may_read(request.user, p)
    ]  # fmt: skip
    periods = sorted({p.period.code for p in readable})
    funds = sorted({p.fund.code for p in readable})
    period = request.GET.get("period", "") if request.GET.get("period", "") in periods else ""
    fund = request.GET.get("fund", "") if request.GET.get("fund", "") in funds else ""
    programmes = [
        p for p in readable if (not period or p.period.code == period) and (not fund or p.fund.code == fund)
    ]
    boards = [selectors.programme_dashboard(request.user, p, state=freshness.current(p)) for p in programmes]
    return render(
        request,
        "dashboard/index.html",
        {"boards": boards, "columns": _columns(), "periods": periods, "funds": funds,
         "period": period, "fund": fund},
    )  # fmt: skip


@login_required
@require_GET
def programme_dashboard(request: HttpRequest, cci: str) -> HttpResponse:
    programme = _programme_or_404(request, cci)
    filters = _filters(request)
    board = selectors.programme_dashboard(request.user, programme, filters, freshness.current(programme))
    if request.GET.get("format") == "xlsx" and request.GET.get("table") in (
        "indicators",
        "years",
        "decommitment",
    ):
        return _table_xlsx(programme, board, request.GET["table"])
    if request.GET.get("format") == "xlsx":
        header = [_("Specific objective"), _("Group"), _("Call"), _("Planned"), *[c for _k, c in _columns()],
                  _("Absorption")]  # fmt: skip
        rows: list[list[Any]] = []
        for objective in board.objectives:
            rows.append([objective.key, "", "", objective.planned, *_money(objective.figures),
                         objective.absorption])  # fmt: skip
            for group in objective.children:
                rows.append([objective.key, group.key, "", group.planned, *_money(group.figures),
                             group.absorption])  # fmt: skip
                for call in group.children:
                    rows.append([objective.key, group.key, call.key, None, *_money(call.figures), None])
        rows.append([_("Total"), "", "", board.total.planned, *_money(board.total.figures),
                     board.total.absorption])  # fmt: skip
        return _xlsx(f"dashboard-{programme.cci}", [str(h) for h in header], rows)
    calls = selectors.calls_in_scope(request.user, programme)
    authorities = Organisation.objects.filter(pk__in=calls.values("managing_organisation_id")).order_by(
        "name"
    )
    query = request.GET.copy()
    query["format"] = "xlsx"
    tables = {
        name: f"?{urlencode({**query.dict(), 'table': name})}"
        for name in ("indicators", "years", "decommitment")
    }
    return render(
        request,
        "dashboard/programme.html",
        {
            "board": board,
            "programme": programme,
            "columns": _columns(),
            "filters": filters,
            "calls": calls.order_by("code").values_list("code", flat=True),
            "authorities": authorities,
            "kinds": BENEFICIARY_KINDS,
            "xlsx_url": f"?{urlencode(query)}",
            "indicators_xlsx_url": tables["indicators"],
            "years_xlsx_url": tables["years"],
            "decommitment_xlsx_url": tables["decommitment"],
            "chart": _chart(board),
            "filter_query": f"?{urlencode(_filter_query(request))}" if _filter_query(request) else "",
        },
    )


def _filter_query(request: HttpRequest) -> dict[str, str]:
    wanted = ("call", "authority", "beneficiary_kind")
    return {k: str(request.GET.get(k, "")) for k in wanted if request.GET.get(k)}


def _table_xlsx(programme: Programme, board: selectors.Dashboard, table: str) -> HttpResponse:
    """The indicator table or the per-year table, as shown, in XLSX."""
    if table == "indicators":
        header = [_("Specific objective"), _("Indicator"), _("Baseline"), _("Milestone"), _("Target"),
                  _("Achieved"), _("Of the target"), _("Projects reporting"), _("Planned, not reported"),
                  _("Breakdown")]  # fmt: skip
        rows = [
            [i["specific_objective"], i["code"], i["baseline"], i["milestone"], i["target"], i["achieved"],
             i["of_target"], i["projects"], i["not_reporting"],
             "; ".join(f"{k}: {v}" for k, v in i["breakdown"].items())]
            for i in board.indicators
        ]  # fmt: skip
        return _xlsx(f"indicators-{programme.cci}", [str(h) for h in header], rows)
    if table == "decommitment":
        header = [_("Commitment year"), _("Commitment"), _("To cover, cumulated"), _("By"), _("Covered"),
                  _("Gap"), _("Forecast gap"), _("Status"), _("Article")]  # fmt: skip
        rows = [
            [y["year"], y["commitment"], y["to_cover"], y["deadline"], y["covered"], y["gap"],
             y["forecast_gap"] if y["future"] else None, y["level"], y["article"]]
            for y in board.decommitment
        ]  # fmt: skip
        return _xlsx(f"decommitment-{programme.cci}", [str(h) for h in header], rows)
    header = [_("Year"), _("Committed (plan)"), _("Paid"), _("Committed to date"), _("Paid to date")]
    rows = [
        [y["year"], y["committed"], y["paid"], y["committed_to_date"], y["paid_to_date"]] for y in board.years
    ]
    return _xlsx(f"years-{programme.cci}", [str(h) for h in header], rows)


@login_required
@require_GET
def not_reporting(request: HttpRequest, cci: str, code: str) -> HttpResponse:
    """The projects that planned an indicator and submitted reports without it."""
    programme = _programme_or_404(request, cci)
    filters = _filters(request)
    code = code[:20]
    rows = selectors.not_reporting(request.user, programme, code, filters)
    if request.GET.get("format") == "xlsx":
        header = [_("Project"), _("Beneficiary"), _("Call"), _("Planned value"), _("Reports submitted")]
        return _xlsx(
            f"not-reporting-{code}",
            [str(h) for h in header],
            [[r["reference"], r["beneficiary"], r["call"], r["planned"], r["reports"]] for r in rows],
        )
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "dashboard/not_reporting.html",
        {"programme": programme, "code": code, "rows": rows, "xlsx_url": f"?{urlencode(query)}"},
    )


def glance(user: Any) -> list[dict[str, Any]]:
    """The dashboard as the home page of the authority roles that read it (issue 17): each programme
    in the reader's part, per specific objective, with its chart and its figures' time. Empty for
    those who may not read the dashboard."""
    if not check(user, "dashboard.view").allowed:
        return []
    out = []
    for programme in Programme.objects.order_by("cci"):
        if selectors.may_read(user, programme):
            board = selectors.programme_dashboard(user, programme, state=freshness.current(programme))
            if not board.objectives:  # a delegation with nothing in this programme
                continue
            out.append({"board": board, "chart": _chart(board), "chart_id": f"glance-chart-{programme.pk}"})
    return out


def _chart(board: selectors.Dashboard) -> dict[str, Any]:
    """The figures in the shape the chart script reads (numbers: the table beside has the exact ones)."""
    rows = board.objectives
    series = [{"key": "planned", "label": str(_("Planned")), "values": [float(o.planned or 0) for o in rows]}]
    for key, label in _columns():
        if key in ("grants", "verified", "paid"):
            series.append(
                {"key": key, "label": label, "values": [float(getattr(o.figures, key)) for o in rows]}
            )
    return {"labels": [o.key for o in rows], "series": series}


@login_required
@require_GET
def call_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "dashboard.view")
    call = selectors.call_in_scope(request.user, code)
    if call is None:
        raise Http404(_("No such call."))
    filters = _filters(request)
    rows, figures = selectors.call_projects(request.user, call, filters)
    if request.GET.get("format") == "xlsx":
        header = [_("Project"), _("Beneficiary"), *[c for _k, c in _columns()[1:]]]
        data: list[list[Any]] = [[r.key, _text(r.label), *_money(r.figures)[1:]] for r in rows]
        data.append([_("Total"), "", *_money(figures)[1:]])
        return _xlsx(f"dashboard-{call.code}", [str(h) for h in header], data)
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "dashboard/call.html",
        {
            "call": call,
            "rows": rows,
            "figures": figures,
            "totals": _money(figures)[1:],
            "columns": _columns()[1:],
            "xlsx_url": f"?{urlencode(query)}",
            "back": f"/dashboard/{call.programme.cci}/",
        },
    )
