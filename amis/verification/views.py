"""Pages of the desk verification (Reg. (EU) No 514/2014 Art. 27; Impl. Reg. (EU) 2015/840 Art. 3;
Reg. (EU) 2021/1060 Art. 74(1)(a)): the verifier's list of reports to verify, and per report the
checklist, the expenditure lines decided in bulk (by the lines ticked, the page or the filter), the
live totals and the completion with AMIS's working in words.

A report is found only among the reports the reader may see (404 otherwise); every page asks for
`verification.view` (reading) or `claim.verify` (writing) on the report's project (a delegated
officer only within their part). A service's refusal answers 400 with its message (nothing saved),
a parallel change 409, a refusal of rights or of segregation of duties 403 with the reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amis.accounts.permissions import check, require
from amis.core import numbers
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.projects.labels import CATEGORY_LABELS
from amis.projects.scope import require_project
from amis.reporting.models import ExpenditureLine, Report
from amis.reporting.selectors import reports_for
from amis.verification import selectors, services
from amis.verification.forms import DecisionForm, LineFilterForm
from amis.verification.forms_checks import FindingForm
from amis.verification.models import Verification

LINES_PER_PAGE = 100
LIST_PER_PAGE = 50


def _report_or_404(request: HttpRequest, pk: int, action: str = "claim.verify") -> Report:
    report = (
        reports_for(request.user)
        .select_related("project__organisation", "project__application__call", "agreement_version")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404(_("No such report."))
    require_project(request.user, report.project, action)
    return report


def _lock(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return 0


def _amount(value: Any) -> str:
    return numbers.format_money(Decimal(str(value or "0")), translation.get_language())


def _category(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code)) if code else ""


def working_in_words(verification: Verification, eu_rate: Decimal | None) -> list[str]:
    """AMIS's working after completion, step by step, in the reader's language."""
    found = [
        _(
            "Declared: %(declared)s; ineligible: %(ineligible)s; reduced by: %(reduced)s; "
            "eligible after the line decisions: %(eligible)s."
        )
        % {
            "declared": _amount(verification.declared),
            "ineligible": _amount(verification.ineligible),
            "reduced": _amount(verification.reduced),
            "eligible": _amount(verification.eligible_by_decision),
        }
    ]
    for step in verification.working:
        rule = step.get("rule")
        if rule == "category_ceiling":
            found.append(
                _(
                    "%(category)s: above its ceiling of %(ceiling)s (budget and tolerance, with "
                    "%(before)s verified before); %(amount)s not counted."
                )
                % {
                    "category": _category(step.get("category", "")),
                    "ceiling": _amount(step.get("ceiling")),
                    "before": _amount(step.get("before")),
                    "amount": _amount(step.get("amount")),
                }
            )
        elif rule == "total_budget":
            found.append(
                _("The direct costs are above the total direct budget of %(budget)s; %(amount)s not counted.")
                % {"budget": _amount(step.get("budget")), "amount": _amount(step.get("amount"))}
            )
        elif rule == "flat_rate":
            found.append(
                _("Indirect costs recomputed at the flat rate of %(rate)s on the verified base of %(base)s.")
                % {
                    "rate": numbers.format_percent(
                        Decimal(step.get("rate", "0")), translation.get_language()
                    ),
                    "base": _amount(step.get("base")),
                }
            )
        elif rule == "max_grant":
            found.append(
                _(
                    "The EU share is capped by the maximum grant of %(max_grant)s (%(before)s verified "
                    "before): %(amount)s not counted."
                )
                % {
                    "max_grant": _amount(step.get("max_grant")),
                    "before": _amount(step.get("before")),
                    "amount": _amount(step.get("amount")),
                }
            )
        elif rule == "agreement_version":
            found.append(
                _("Checked against version %(number)s of the grant agreement.")
                % {"number": step.get("number")}
            )
    for category, amount in sorted(verification.verified_by_category.items()):
        found.append(
            _("Verified for %(category)s: %(amount)s.")
            % {"category": _category(category), "amount": _amount(amount)}
        )
    if eu_rate is not None:
        found.append(
            _("Verified eligible amount %(verified)s × EU co-financing rate %(rate)s = EU share %(eu)s.")
            % {
                "verified": _amount(verification.verified),
                "rate": numbers.format_percent(eu_rate, translation.get_language()),
                "eu": _amount(verification.eu_share),
            }
        )
    return found


def _checklist_rows(
    report: Report,
    verification: Verification | None,
    posted: Any = None,
    problems: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    answers = verification.checklist if verification else {}
    rows = []
    for item in selectors.checklist_for(report):
        saved = answers.get(item.code, {})
        rows.append(
            {
                "code": item.code,
                "text": item.text,
                "answer": posted.get(f"answer_{item.code}", "")
                if posted is not None
                else saved.get("answer", ""),
                "comment": posted.get(f"comment_{item.code}", "")
                if posted is not None
                else saved.get("comment", ""),
                "problem": (problems or {}).get(item.code, ""),
            }
        )
    return rows


def _context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    verification = selectors.current_verification(report)
    if (
        verification is not None
        and verification.round != report.round
        and report.status == Report.Status.SUBMITTED
    ):
        verification = None  # a new round waits for its own check
    categories = selectors.report_categories(report)
    filter_form = LineFilterForm(request.GET or None, categories=categories)
    filters = filter_form.filters() if request.GET else {}
    page = None
    rows: list[dict[str, Any]] = []
    if verification is not None:
        lines = services.select_lines(verification, filters).order_by("position", "pk")
    else:
        lines = ExpenditureLine.objects.filter(report=report).order_by("position", "pk")
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page") or "1")
    page_lines = list(page.object_list)
    decided = selectors.line_page_decisions(verification, [line.pk for line in page_lines])
    rows = [{"line": line, "decision": decided.get(line.pk)} for line in page_lines]
    query = request.GET.copy()
    query.pop("page", None)
    is_open = verification is not None and verification.status == Verification.Status.OPEN
    # the audit authority reads (`verification.view`); only a verifier sees the forms
    may_verify = check(request.user, "claim.verify").allowed
    context: dict[str, Any] = {
        "report": report,
        "project": report.project,
        "verification": verification,
        "is_open": is_open,
        "is_mine": may_verify
        and is_open
        and verification is not None
        and verification.verifier_id == request.user.pk,
        "may_verify": may_verify,
        "startable": may_verify and verification is None and report.status == Report.Status.SUBMITTED,
        "checklist": _checklist_rows(report, verification),
        "filter_form": filter_form,
        "filters": filters,
        "filter_query": query.urlencode(),
        "page_obj": page,
        "rows": rows,
        "decision_form": DecisionForm(),
        "totals": selectors.decision_totals(verification) if verification is not None else None,
        "working": [],
        "findings": list(verification.findings.order_by("pk")) if verification is not None else [],
        "finding_form": FindingForm(),
    }
    if verification is not None and verification.status == Verification.Status.COMPLETED:
        version = report.agreement_version
        context["working"] = working_in_words(verification, version.eu_rate if version else None)
    context.update(extra)
    return context


def _render(request: HttpRequest, report: Report, status: int = 200, **extra: Any) -> HttpResponse:
    return render(
        request, "verification/verification.html", _context(request, report, **extra), status=status
    )


def _refused(request: HttpRequest, report: Report, error: Exception, **extra: Any) -> HttpResponse:
    return _render(request, report, error_status(error), problems=[error_message(error)], **extra)


@login_required
@require_GET
def verification_list(request: HttpRequest) -> HttpResponse:
    """The reports waiting for their desk check, in the reader's scope."""
    require(request.user, "verification.view")
    page = Paginator(selectors.to_verify(request.user), LIST_PER_PAGE).get_page(
        request.GET.get("page") or "1"
    )
    reports = list(page.object_list)
    started = selectors.open_verifications(reports)
    return render(
        request,
        "verification/verification_list.html",
        {"page_obj": page, "rows": [{"report": r, "verification": started.get(r.pk)} for r in reports]},
    )


def _verification_or_400(report: Report) -> Verification:
    verification = selectors.current_verification(report)
    if verification is None or verification.round != report.round:
        raise ApplicationError(_("Start the verification of this report first."))
    return verification


@login_required
@require_http_methods(["GET", "POST"])
def verification_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the verification of the report (`verification.view`); POST: start it (`claim.verify`)."""
    report = _report_or_404(request, pk, "claim.verify" if request.method == "POST" else "verification.view")
    if request.method != "POST":
        return _render(request, report)
    try:
        services.verification_start(actor=request.user, report=report)
    except (ApplicationError, PermissionDenied) as error:
        return _refused(request, report, error)
    messages.success(
        request, _("The verification of report %(number)s has started.") % {"number": report.number}
    )
    return redirect("verification:page", report.pk)


@login_required
@require_POST
def checklist_save(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    try:
        verification = _verification_or_400(report)
        answers = {
            item.code: {
                "answer": request.POST.get(f"answer_{item.code}", ""),
                "comment": request.POST.get(f"comment_{item.code}", ""),
            }
            for item in selectors.checklist_for(report)
            if request.POST.get(f"answer_{item.code}") or request.POST.get(f"comment_{item.code}", "").strip()
        }
        if not answers:
            raise ApplicationError(_("Answer at least one item of the checklist."))
        services.checklist_answer(
            actor=request.user,
            verification=verification,
            expected_lock_version=_lock(request),
            answers=answers,
        )
    except (ApplicationError, PermissionDenied) as error:
        problems = getattr(error, "extra", {}).get("fields") or {}
        return _render(
            request,
            report,
            error_status(error),
            checklist=_checklist_rows(report, selectors.current_verification(report), request.POST, problems),
            problems=[error_message(error)],
        )
    messages.success(request, _("The checklist was saved."))
    return redirect(reverse("verification:page", args=[report.pk]) + "#checklist")


@login_required
@require_POST
def decisions_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide the lines ticked, the page's lines or every line matching the filter."""
    report = _report_or_404(request, pk)
    form = DecisionForm(request.POST)
    filter_form = LineFilterForm(request.POST, categories=selectors.report_categories(report), prefix="f")
    if not form.is_valid() or not filter_form.is_valid():
        return _render(
            request,
            report,
            400,
            decision_form=form,
            problems=[_("Nothing was decided: correct the fields marked below.")],
        )
    data = form.cleaned_data
    scope = data["scope"]
    if scope == "matching":
        filters = filter_form.filters()
    else:
        names = "line" if scope == "ticked" else "page_line"
        ids = [i for i in request.POST.getlist(names) if i.isdigit()]
        if not ids:
            form.add_error("scope", _("Tick at least one line."))
            return _render(request, report, 400, decision_form=form, problems=[_("Tick at least one line.")])
        filters = {"ids": ids}
    try:
        verification = _verification_or_400(report)
        count = services.lines_decide(
            actor=request.user,
            verification=verification,
            filters=filters,
            decision=data["decision"],
            eligible=data.get("eligible"),
            reason=data.get("reason") or "",
            reason_text=data.get("reason_text") or "",
        )
    except (ApplicationError, PermissionDenied) as error:
        return _refused(request, report, error, decision_form=form)
    messages.success(
        request,
        ngettext("%(count)s line was decided.", "%(count)s lines were decided.", count) % {"count": count},
    )
    back = request.POST.get("back", "")
    query = f"?{back}" if back and not back.startswith(("/", "http")) else ""
    return redirect(reverse("verification:page", args=[report.pk]) + query + "#lines")


@login_required
@require_POST
def verification_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete the verification, after the no-JavaScript confirmation step."""
    report = _report_or_404(request, pk)
    try:
        verification = _verification_or_400(report)
    except ApplicationError as error:
        return _refused(request, report, error)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Complete the verification of report %(number)s?") % {"number": report.number},
            what=[
                _(
                    "AMIS computes the verified eligible amount and the EU share from your decisions, "
                    "and shows its working."
                ),
                _("The report is accepted; its payment can then be proposed by another person."),
            ],
            undo=_("It cannot be undone: later findings are recorded as financial corrections."),
            yes=_("Yes, complete the verification"),
            back=reverse("verification:page", args=[report.pk]),
            action=reverse("verification:complete", args=[report.pk]),
            values={"lock_version": request.POST.get("lock_version", "")},
        )
    try:
        done = services.verification_complete(
            actor=request.user, verification=verification, expected_lock_version=_lock(request)
        )
    except (ApplicationError, PermissionDenied) as error:
        return _refused(request, report, error)
    messages.success(
        request,
        _("The verification is completed: %(verified)s verified, EU share %(eu)s.")
        % {"verified": _amount(done.verified), "eu": _amount(done.eu_share)},
    )
    return redirect(reverse("verification:page", args=[report.pk]) + "#result")


# for the findings' pages (views_findings), which record a finding on a verification
report_or_404 = _report_or_404
render_page = _render
verification_or_400 = _verification_or_400
