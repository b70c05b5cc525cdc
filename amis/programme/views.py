"""Programme pages. Views only translate HTTP to selector/service calls; rules live in `rules/`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from amis.accounts.permissions import check, require
from amis.core import numbers
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError
from amis.core.formfields import number_message
from amis.core.templatetags.amis import text_language
from amis.programme import selectors, services
from amis.programme.changes import change_rows
from amis.programme.exchange.xlsx import workbook_bytes
from amis.programme.exchange.yamlio import dumps_json, dumps_yaml
from amis.programme.models import (
    AllocationLine,
    Appropriation,
    ProgrammeVersion,
    SimplifiedCostOption,
    ThematicFacilityLine,
)
from amis.programme.rules.annex_v import objective_code
from amis.programme.rules.findings import Severity
from amis.programme.rules.validate import validate_document
from amis.programme.rules.versions import diff, needs_new_decision


def _adopted_only(request: HttpRequest) -> bool:
    """Draft and submitted versions are the authorities' work in progress: the public (visitors,
    beneficiaries) sees the adopted versions only, and a programme's page opens on the latest adopted."""
    return not check(request.user, "programme.view_drafts").allowed


def _context(request: HttpRequest, cci: str, number: int | None, page: str) -> dict[str, Any]:
    adopted_only = _adopted_only(request)
    version = selectors.version_get(cci, number, adopted_only=adopted_only)
    if version is None:
        raise Http404(_("No such programme or version."))
    return {
        "programme": version.programme,
        "version": version,
        "versions": list(selectors.version_list(version.programme, adopted_only=adopted_only)),
        "page": page,
    }


def _render(request: HttpRequest, template_name: str, ctx: dict[str, Any]) -> HttpResponse:
    """A programme page; `?text=fi` shows the programme's own texts in one of its declared languages
    (the interface stays in the reader's language)."""
    languages = list(ctx["programme"].languages or [])
    chosen = request.GET.get("text", "")
    language = chosen if chosen in languages else None
    ctx.update(
        text_languages=languages,
        text_language=language or "",
        text_query=f"?{urlencode({'text': language})}" if language else "",
    )
    with text_language(language):
        return render(request, template_name, ctx)


def _flags(request: HttpRequest) -> dict[str, bool]:
    return {
        "can_edit": check(request.user, "programme.edit").allowed,
        "can_new_draft": check(request.user, "programme.new_draft").allowed,
        "can_change_status": check(request.user, "programme.change_status").allowed,
        "can_audit": check(request.user, "audit.view").allowed,
    }


def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/list.html", {"programmes": selectors.programme_list()})


def select_version(request: HttpRequest, cci: str) -> HttpResponse:
    """The version picker: a plain GET form, so it works without JavaScript."""
    try:
        number = int(request.GET.get("version", ""))
    except ValueError as exc:
        raise Http404(_("No such version.")) from exc
    page = request.GET.get("page", "overview")
    names = {
        "overview": "programme:overview-version",
        "financing": "programme:financing",
        "indicators": "programme:indicators",
        "special-cases": "programme:special-cases",
        "texts": "programme:texts",
        "validation": "programme:validation",
    }
    if page == "versions":
        response = redirect("programme:versions", cci)
    else:
        response = redirect(names.get(page, "programme:overview-version"), cci, number)
    text = request.GET.get("text", "")
    if text:  # keep the programme-text language the reader chose
        response["Location"] += f"?{urlencode({'text': text})}"
    return response


# The dimensions of the 2021-2027 types of intervention (CPR Annex V; AMIF Annex VI), by code.
DIMENSION_NAMES = {
    "intervention_field": gettext_noop("Intervention field"),
    "type_of_action": gettext_noop("Type of action"),
    "implementation_modality": gettext_noop("Implementation modality"),
    "special_intervention_themes": gettext_noop("Special intervention themes"),
}


def overview(request: HttpRequest, cci: str, number: int | None = None) -> HttpResponse:
    ctx = _context(request, cci, number, "overview")
    doc = selectors.version_document(ctx["version"], with_control_totals=False)
    labels = selectors.intervention_labels(ctx["version"])
    for so in doc["specific_objectives"]:
        so["intervention_rows"] = [
            {
                **entry,
                "dimension_name": _(DIMENSION_NAMES[entry["dimension"]])
                if entry["dimension"] in DIMENSION_NAMES
                else entry["dimension"],
                "label": labels.get(
                    (entry["dimension"], objective_code(so["code"], entry["code"])),
                    labels.get((entry["dimension"], entry["code"]), ""),
                ),
            }
            for entry in so.get("interventions", [])
        ]
    ctx["doc"] = doc
    return _render(request, "programme/overview.html", ctx)


def financing(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    ctx = _context(request, cci, number, "financing")
    ctx["plan"] = selectors.financing_plan_data(ctx["version"])
    annex = selectors.annex_v_data(ctx["version"])
    if annex is not None:
        types = dict(AllocationLine.TypeOfAction.choices)
        bases = dict(AllocationLine.Basis.choices)
        kinds = dict(Appropriation.AllocationType.choices)
        modalities = dict(ThematicFacilityLine.Modality.choices)
        sco_kinds = dict(SimplifiedCostOption.Kind.choices)
        for row in annex["appropriation_rows"]:
            row["label"] = kinds.get(row["type"], row["type"])
        annex["allocation_rows"] = [
            {
                "row": row,
                "type_label": types.get(row.type_of_action, row.type_of_action),
                "basis_label": bases.get(row.basis, row.basis),
            }
            for row in annex["allocations"]
        ]
        doc = annex["document"]
        annex["thematic_facility"] = [
            {**line, "modality_label": modalities.get(line["modality"], line["modality"])}
            for line in doc.get("thematic_facility", [])
        ]
        annex["simplified_costs"] = [
            {**line, "kind_label": sco_kinds.get(line["kind"], line["kind"])}
            for line in doc.get("simplified_costs", [])
        ]
        annex["non_cost"] = doc.get("financing_not_linked_to_costs", [])
        annex["fund_transfers"] = doc.get("fund_transfers", [])
    ctx["annex"] = annex
    ctx["share_chart"] = share_chart(
        [(so["code"], so["share_of_basic_allocation"]) for so in ctx["plan"]["specific_objectives"]]
    )
    if annex is not None:
        ctx["annex_share_chart"] = share_chart(
            [
                (str(_("Technical assistance")) if so["code"] == "TA" else so["code"], so["share"])
                for so in annex["objective_shares"]
            ]
        )
    ctx.update(_flags(request))
    return _render(request, "programme/financing.html", ctx)


def share_chart(shares: list[tuple[str, Any]]) -> dict[str, Any]:
    """The share of each specific objective (in %) in the shape `amis/figures.js` reads: a horizontal
    bar per objective; the exact figures are in the table beside the chart."""
    return {
        "labels": [code for code, _share in shares],
        "series": [{"label": str(_("Share")), "values": [float(share or 0) for _code, share in shares]}],
        "format": "percent",
        "horizontal": True,
    }


def indicators(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    ctx = _context(request, cci, number, "indicators")
    ctx["doc"] = selectors.version_document(ctx["version"], with_control_totals=False)
    return _render(request, "programme/indicators.html", ctx)


def special_cases(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    ctx = _context(request, cci, number, "special-cases")
    doc = selectors.version_document(ctx["version"], with_control_totals=False)
    special = doc.get("special_cases") or {}
    periods = special.get("pledging_periods", [])
    rows = []
    for sc in special.get("types", []):
        pledges = []
        for pledge in sc.get("pledges", []):
            count = sum(pledge["persons"].values())
            pledges.append({**pledge, "total_persons": count, "amount": Decimal(pledge["lump_sum"]) * count})
        rows.append(
            {
                **sc,
                "pledges": pledges,
                "persons": sum(p["total_persons"] for p in pledges),
                "persons_per_period": {
                    period: sum(p["persons"].get(period, 0) for p in pledges) for period in periods
                },
                "pledged": sum((p["amount"] for p in pledges), Decimal("0.00")),
                "table2_total": sum(
                    (Decimal(a) for a in sc.get("annual_amounts", {}).values()), Decimal("0.00")
                ),
            }
        )
    ctx.update(doc=doc, special_cases=rows, periods=periods)
    return _render(request, "programme/special_cases.html", ctx)


SECTION_TITLES = {
    "executive_summary": gettext_noop("1. Executive summary"),
    "baseline": gettext_noop("2. Baseline situation in the member state"),
    "partnership_preparation": gettext_noop(
        "6.1 Partnership involvement in the preparation of the programme"
    ),
    "monitoring_committee": gettext_noop("6.2 Monitoring committee"),
    "monitoring_evaluation": gettext_noop("6.3 Common monitoring and evaluation framework"),
    "partnership_implementation": gettext_noop(
        "6.4 Partnership involvement in the implementation, monitoring and evaluation"
    ),
    "publicity": gettext_noop("6.5 Information and publicity"),
    "coordination": gettext_noop("6.6 Coordination and complementarity with other instruments"),
    "direct_award": gettext_noop("6.7.2 Direct award"),
    "minimum_share_justification": gettext_noop("Justification for any deviation from the minimum shares"),
    # 2021-2027 (Regulation (EU) 2021/1060, Annex V, sections 4 and 5)
    "partnership": gettext_noop("Partnership"),
    "communication_visibility": gettext_noop("Communication and visibility"),
}


TEMPLATE_2021_SECTIONS = ("executive_summary", "partnership", "communication_visibility")


def texts(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    ctx = _context(request, cci, number, "texts")
    doc = selectors.version_document(ctx["version"], with_control_totals=False)
    stored = doc.get("texts", {})
    ctx["sections"] = [
        {
            "code": code,
            "title": _(title),
            "text": {k: v for k, v in stored.get(code, {}).items() if v.strip()},
            "languages": sorted(lang for lang, v in stored.get(code, {}).items() if v.strip()),
        }
        for code, title in SECTION_TITLES.items()
        # a 2021-2027 (format 2) programme lists its template's sections and the others it has text for
        if ctx["version"].file_format != 2 or code in TEMPLATE_2021_SECTIONS or stored.get(code)
    ]
    return _render(request, "programme/texts.html", ctx)


def validation(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    ctx = _context(request, cci, number, "validation")
    findings = [
        f.as_dict()
        for f in validate_document(
            selectors.version_document(ctx["version"]),
            selectors.version_catalogue(ctx["version"]),
            selectors.version_intervention_catalogue(ctx["version"]),
        )
    ]
    ctx.update(
        findings=findings,
        errors=sum(1 for f in findings if f["severity"] == Severity.ERROR),
        warnings=sum(1 for f in findings if f["severity"] == Severity.WARNING),
    )
    return _render(request, "programme/validation.html", ctx)


def versions(request: HttpRequest, cci: str) -> HttpResponse:
    ctx = _context(request, cci, None, "versions")
    all_versions = ctx["versions"]
    ctx["has_draft"] = any(v.status == ProgrammeVersion.Status.DRAFT for v in all_versions)
    ctx["changes"] = None
    ctx.update(_flags(request))
    if len(all_versions) >= 2:
        by_number = {v.number: v for v in all_versions}
        try:
            old = by_number[int(request.GET.get("from", all_versions[1].number))]
            new = by_number[int(request.GET.get("to", all_versions[0].number))]
        except (KeyError, ValueError) as exc:
            raise Http404(_("No such version.")) from exc
        old_doc, new_doc = selectors.version_document(old), selectors.version_document(new)
        changes = diff(old_doc, new_doc, selectors.initial_document(old.programme, old.number))
        ctx.update(
            old=old,
            new=new,
            changes=change_rows(changes, old_doc, new_doc, translation.get_language() or "en"),
            needs_decision=needs_new_decision(changes),
        )
    return _render(request, "programme/versions.html", ctx)


def export(request: HttpRequest, cci: str, number: int, fmt: str) -> HttpResponse:
    version = selectors.version_get(cci, number, adopted_only=_adopted_only(request))
    if version is None:
        raise Http404(_("No such programme or version."))
    document = selectors.version_document(version)
    name = f"{cci}-v{number}"
    if fmt == "xlsx":
        chosen = request.GET.get("text", "")
        language = chosen if chosen in (version.programme.languages or []) else request.LANGUAGE_CODE
        response = HttpResponse(
            workbook_bytes(document, language),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "json":
        response = HttpResponse(dumps_json(document), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(dumps_yaml(document), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_POST
def ready_for_review(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    """The officer hands a finished draft to the manager, who is notified."""
    require(request.user, "programme.edit")
    version = selectors.version_get(cci, number)
    if version is None:
        raise Http404(_("No such programme or version."))
    try:
        services.version_ready_for_review(
            version=version, expected_lock_version=_lock_version(request), actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message + " " + _("Nothing was saved."))
    else:
        messages.success(
            request,
            _("Version %(n)s is ready for review; the responsible authority's managers are e-mailed.")
            % {"n": number},
        )
    return redirect("programme:versions", cci)


@require_POST
def new_draft(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    require(request.user, "programme.new_draft")
    source = selectors.version_get(cci, number)
    if source is None:
        raise Http404(_("No such programme or version."))
    try:
        draft = services.version_create_draft(source=source, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("programme:versions", cci)
    messages.success(request, _("Draft version %(n)s created.") % {"n": draft.number})
    return redirect("programme:financing", cci, draft.number)


def financing_edit(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    require(request.user, "programme.edit")
    ctx = _context(request, cci, number, "financing")
    version: ProgrammeVersion = ctx["version"]
    if version.file_format == 2:
        return _allocations_edit(request, ctx, version)
    plan = selectors.financing_plan_data(version)
    lines = [
        {
            "key": f"{so['code']}.{line['code']}",
            "name": line["name"],
            "value": Decimal(line["total"]) if line["programmed"] else None,
        }
        for so in plan["specific_objectives"]
        for line in so["national_objectives"] + so["specific_actions"]
    ]
    ctx.update(
        lines=lines,
        lock_version=version.lock_version,
        bad=[],
        error=None,
        technical_assistance=version.technical_assistance,
    )
    if request.method == "POST":
        amounts: dict[str, Decimal | None] = {}
        problems: dict[str, str] = {}
        for line in lines:
            # typed as the reader's language writes amounts (12 000,50 · 12.000,50 · 12,000.50)
            raw = request.POST.get(line["key"], "").strip()
            line["value"] = raw or None
            amounts[line["key"]] = _typed_amount(raw, line["key"], problems)
        raw_ta = request.POST.get("technical_assistance", "").strip()
        ta = _typed_amount(raw_ta, "technical_assistance", problems)
        ctx["technical_assistance"] = raw_ta
        bad = list(problems)
        try:
            lock_version = int(request.POST.get("lock_version", ""))
        except ValueError:
            ctx["error"] = _("The form is incomplete; reload the page.")
            return render(request, "programme/financing_edit.html", ctx, status=400)
        if bad:
            ctx.update(
                bad=bad,
                error=_("These amounts are not numbers: %(lines)s. Nothing was saved.")
                % {"lines": ", ".join(bad)},
            )
            return render(request, "programme/financing_edit.html", ctx, status=400)
        try:
            services.version_update_financing_plan(
                version=version,
                expected_lock_version=lock_version,
                amounts=amounts,
                technical_assistance=ta,
                actor=request.user,
            )
        except ApplicationError as exc:
            ctx["error"] = exc.message + " " + _("Nothing was saved.")
            return render(
                request, "programme/financing_edit.html", ctx, status=409 if exc.code == "stale" else 400
            )
        messages.success(request, _("The financing plan was saved."))
        return HttpResponseRedirect(reverse("programme:financing", args=[cci, number]))
    return render(request, "programme/financing_edit.html", ctx)


def _allocations_edit(request: HttpRequest, ctx: dict[str, Any], version: ProgrammeVersion) -> HttpResponse:
    """Format 2: the contributions of each allocation line (SO x type of action)."""
    types = dict(AllocationLine.TypeOfAction.choices)
    lines: list[dict[str, Any]] = [
        {
            "key": f"{line.specific_objective}.{line.type_of_action}",
            "specific_objective": line.specific_objective,
            "type_label": types.get(line.type_of_action, line.type_of_action),
            "values": {
                field: numbers.format_amount(getattr(line, field), translation.get_language())
                for field in services.CONTRIBUTIONS
            },
        }
        for line in version.allocation_lines.order_by("position")
    ]
    ctx.update(lines=lines, lock_version=version.lock_version, bad=[], error=None)
    template = "programme/allocations_edit.html"
    if request.method != "POST":
        return render(request, template, ctx)
    problems: dict[str, str] = {}
    contributions: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        values: dict[str, Decimal] = {}
        for field in services.CONTRIBUTIONS:
            name = f"{line['key']}.{field}"
            raw = request.POST.get(name, "").strip()
            line["values"][field] = raw
            value = _typed_amount(raw, name, problems)
            if value is None and name not in problems:
                problems[name] = "required"
            if value is not None:
                values[field] = value
        contributions[line["key"]] = values
    try:
        lock_version = int(request.POST.get("lock_version", ""))
    except ValueError:
        ctx["error"] = _("The form is incomplete; reload the page.")
        return render(request, template, ctx, status=400)
    if problems:
        ctx.update(
            bad=list(problems),
            error=_("These amounts are not numbers: %(lines)s. Nothing was saved.")
            % {"lines": ", ".join(problems)},
        )
        return render(request, template, ctx, status=400)
    try:
        services.version_update_allocations(
            version=version,
            expected_lock_version=lock_version,
            contributions=contributions,
            actor=request.user,
        )
    except ApplicationError as exc:
        ctx["error"] = exc.message + " " + _("Nothing was saved.")
        return render(request, template, ctx, status=409 if exc.code == "stale" else 400)
    messages.success(request, _("The financing plan was saved."))
    return HttpResponseRedirect(reverse("programme:financing", args=[version.programme.cci, version.number]))


def _typed_amount(raw: str, key: str, problems: dict[str, str]) -> Decimal | None:
    if not raw:
        return None
    try:
        return numbers.parse_amount(raw, translation.get_language())
    except numbers.NumberError as error:
        problems[key] = number_message(error)
        return None


def _lock_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return 0  # never a real version: the change is refused as stale, and the page says so


def _confirm_status(
    request: HttpRequest, version: ProgrammeVersion, status: str, decision_date: dt.date | None
) -> HttpResponse | None:
    """Submitting a version and recording its adoption are asked first, saying what they do and
    that they cannot be undone (None: nothing to ask, or already confirmed)."""
    if confirmed(request) or status not in ("submitted", "adopted"):
        return None
    reference = request.POST.get("decision_reference", "").strip()
    if status == "adopted" and (not reference or decision_date is None):
        return None  # the service refuses it with its reason; nothing to confirm
    n = version.number
    if status == "submitted":
        title = _("Submit version %(n)s to the Commission?") % {"n": n}
        what = [
            _(
                "The version is frozen as submitted: its financing plan and texts can no longer be "
                "changed, and the Commission's decision on it is awaited."
            )
        ]
        undo = _(
            "It can be returned to draft only if the Commission asks for changes; the submission "
            "stays in the audit trail."
        )
        yes = _("Yes, submit version %(n)s") % {"n": n}
    else:
        title = _("Record the adoption of version %(n)s?") % {"n": n}
        what = [
            _("Commission decision %(ref)s of %(date)s.")
            % {
                "ref": reference,
                "date": formats.date_format(decision_date, "SHORT_DATE_FORMAT") if decision_date else "",
            },
            _("The adopted version becomes the programme that calls and the public pages follow."),
        ]
        undo = _("This cannot be undone: an adopted version never changes again.")
        yes = _("Yes, record the adoption")
    return confirm_page(
        request,
        title=title,
        what=what,
        undo=undo,
        yes=yes,
        back=reverse("programme:versions", args=[version.programme.cci]),
        fields=("status", "lock_version", "decision_reference", "decision_date"),
    )


@require_POST
def change_status(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    """Submit a draft, record the Commission's adoption, or return a submitted version to draft."""
    require(request.user, "programme.change_status")
    version = selectors.version_get(cci, number)
    if version is None:
        raise Http404(_("No such programme or version."))
    decision_date = None
    if request.POST.get("decision_date"):
        try:
            decision_date = dt.date.fromisoformat(request.POST["decision_date"])
        except ValueError:
            messages.error(request, _("The decision date must be a date (YYYY-MM-DD). Nothing was saved."))
            return redirect("programme:versions", cci)
    status = request.POST.get("status", "")
    asked = _confirm_status(request, version, status, decision_date)
    if asked is not None:
        return asked
    try:
        version = services.version_change_status(
            version=version,
            expected_lock_version=_lock_version(request),
            status=status,
            decision_reference=request.POST.get("decision_reference", "").strip() or None,
            decision_date=decision_date,
            actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message + " " + _("Nothing was saved."))
    else:
        messages.success(
            request,
            _("Version %(n)s is now %(status)s.") % {"n": number, "status": version.get_status_display()},
        )
    return redirect("programme:versions", cci)
