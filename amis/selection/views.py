"""Pages of the selection path: the eligibility check, an assessor's scoring page, consolidation,
ranking and proposal, planning the Monitoring Committee's meeting and the meeting itself. What the
call and application pages show of the selection is registered in `amis.selection.parts`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amis.accounts.models import ConflictOfInterestDeclaration
from amis.accounts.permissions import check, has_role, require
from amis.accounts.roles import Role
from amis.applications import selectors as applications
from amis.applications.models import Application
from amis.applications.views import app_or_404, render_application
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.calls.views import call_or_404, render_call
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.selection import selectors, services
from amis.selection.forms import DecisionForm, EligibilityForm, MeetingForm, MinutesForm, ScoresForm
from amis.selection.models import CommitteeMeeting


def _may_see_meeting(user: Any, call: Call) -> None:
    """committee.view, and a delegated authority officer (who holds no other reading role) only for
    the calls of the part delegated to them."""
    require(user, "committee.view")
    if not has_role(user, Role.MC_MEMBER, Role.AUDITOR, Role.RA_MANAGER, Role.RA_OFFICER):
        assert_in_scope(user, call, "committee.view")


MEETING_PAGE_SIZE = 50


def _back_to_meeting(request: HttpRequest, meeting: CommitteeMeeting) -> HttpResponse:
    """The meeting page again, on the page and with the filters the member was working with."""
    kept = {k: request.GET[k] for k in ("q", "decision", "outcome", "page") if request.GET.get(k)}
    url = reverse("selection:meeting", args=[meeting.pk])
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting page: every application on the agenda with its amounts, scores and the assessors'
    justifications; a member records a chosen decision (none preset) and closes the meeting, after a
    confirmation that names what closing does. Others who may follow the selection read it."""
    if request.method == "POST":
        require(request.user, "committee.decide")
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and action not in ("decide", "close"):
        return HttpResponse(_("Choose to record a decision or to close the meeting."), status=400)
    current = CommitteeMeeting.objects.select_related("call").filter(pk=pk).first()
    if current is None:
        raise Http404(_("No such meeting."))
    _may_see_meeting(request.user, current.call)
    error = None
    status = 200
    minutes_form = MinutesForm()
    refused: dict[str, DecisionForm] = {}
    if action == "decide":
        form = DecisionForm(request.POST, prefix=request.POST.get("application", ""))
        app = applications.application_get(request.POST.get("application", ""))
        if app is None or app.call_id != current.call_id:
            error, status = _("This application is not on the meeting's agenda."), 400
        elif not form.is_valid():
            error, status = _("Choose a decision for %(ref)s.") % {"ref": app.reference}, 400
            refused[app.reference] = form
        else:
            try:
                services.record_decision(
                    actor=request.user,
                    meeting=current,
                    application=app,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except (ApplicationError, PermissionDenied) as exc:
                error, status = error_message(exc), error_status(exc)
                if isinstance(exc, ApplicationError) and "note" in exc.extra.get("fields", {}):
                    form.add_error("note", _("Give the reason for this decision."))
                refused[app.reference] = form
            else:
                messages.success(request, _("The decision on %(ref)s was recorded.") % {"ref": app.reference})
                return _back_to_meeting(request, current)
    elif action == "close":
        minutes_form = MinutesForm(request.POST)
        if current.status != CommitteeMeeting.Status.PLANNED:
            error, status = _("The meeting is already closed; its decisions can no longer change."), 400
        elif not minutes_form.is_valid():
            status = 400
        else:
            summary = selectors.closing_summary(current)
            if summary["undecided"]:
                error, status = (
                    _("Record a decision on %(refs)s before closing the meeting.")
                    % {"refs": ", ".join(a.reference for a in summary["undecided"])},
                    400,
                )
            elif request.POST.get("confirm") != "yes":
                return render(
                    request,
                    "selection/meeting_close_confirm.html",
                    {"meeting": current, "summary": summary, "minutes": minutes_form.cleaned_data["minutes"]},
                )
            else:
                try:
                    changed = services.close_meeting(
                        actor=request.user, meeting=current, minutes=minutes_form.cleaned_data["minutes"]
                    )
                except (ApplicationError, PermissionDenied) as exc:
                    error, status = error_message(exc), error_status(exc)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "The meeting is closed. %(count)s applicant is sent the decision by e-mail.",
                            "The meeting is closed. %(count)s applicants are sent the decision by e-mail.",
                            len(changed),
                        )
                        % {"count": len(changed)},
                    )
                    return redirect("selection:meeting", current.pk)
    may_decide = (
        current.status == CommitteeMeeting.Status.PLANNED and check(request.user, "committee.decide").allowed
    )
    # 50 applications a page, filtered by text, decision so far and proposal (a call may have thousands)
    filters = {
        "q": request.GET.get("q", "").strip()[:200],
        "decision": request.GET.get("decision", "")
        if request.GET.get("decision", "") in selectors.MEETING_DECISION_FILTERS
        else "",
        "outcome": request.GET.get("outcome", "")
        if request.GET.get("outcome", "") in selectors.MEETING_OUTCOME_FILTERS
        else "",
    }
    listed = selectors.meeting_applications(
        current, text=filters["q"], decision=filters["decision"], outcome=filters["outcome"]
    )
    page = Paginator(listed, MEETING_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.meeting_agenda(current, page.object_list)
    for row in rows:
        ref = row["app"].reference
        if ref in refused:
            row["form"] = refused[ref]
        elif may_decide:
            recorded = row["decision"]
            # the decision recorded so far, if any; never a preset one
            initial = {"decision": recorded.decision, "note": recorded.note} if recorded else {}
            row["form"] = DecisionForm(initial=initial, prefix=ref)
    return render(
        request,
        "selection/meeting.html",
        {
            "meeting": current,
            "rows": rows,
            "page_obj": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "may_decide": may_decide,
            "decision_counts": selectors.decision_counts(current),
            "minutes_form": minutes_form,
            "error": error,
        },
        status=status,
    )


@require_POST
def application_eligibility(request: HttpRequest, reference: str) -> HttpResponse:
    require(request.user, "application.check")
    app = app_or_404(reference)
    assert_in_scope(request.user, app.call, "application.check")
    form = EligibilityForm(request.POST, call=app.call)
    if not form.is_valid():
        return render_application(request, app, 400, eligibility_form=form)
    try:
        services.check_eligibility(actor=request.user, application=app, answers=form.answers())
    except (ApplicationError, PermissionDenied) as error:
        form.add_error(None, error_message(error))
        return render_application(request, app, error_status(error), eligibility_form=form)
    messages.success(request, _("The eligibility check was recorded."))
    return redirect("applications:detail", app.reference)


@require_POST
def application_consolidate(request: HttpRequest, reference: str) -> HttpResponse:
    require(request.user, "selection.manage")
    app = app_or_404(reference)
    assert_in_scope(request.user, app.call, "selection.manage")
    form = ScoresForm(request.POST, call=app.call, consolidation=True)
    if not form.is_valid():
        return render_application(request, app, 400, consolidation_form=form)
    try:
        services.consolidate(
            actor=request.user, application=app, scores=form.scores(), note=form.cleaned_data["note"]
        )
    except (ApplicationError, PermissionDenied) as error:
        if isinstance(error, ApplicationError):
            form.add_service_errors(error)
        else:
            form.add_error(None, error_message(error))
        return render_application(request, app, error_status(error), consolidation_form=form)
    messages.success(request, _("The consolidated scores were recorded."))
    return redirect("applications:detail", app.reference)


def application_assess(request: HttpRequest, reference: str) -> HttpResponse:
    require(request.user, "application.assess")
    app = app_or_404(reference)
    done = app.assessments.filter(assessor_id=request.user.pk).first()
    form = ScoresForm(request.POST or None, call=app.call)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.assess(
                    actor=request.user,
                    application=app,
                    no_conflict_of_interest=form.cleaned_data["no_conflict"],
                    scores=form.scores(),
                    justifications=form.justifications(),
                )
            except (ApplicationError, PermissionDenied) as error:
                if isinstance(error, ApplicationError):
                    form.add_service_errors(error)
                else:
                    form.add_error(None, error_message(error))
                status = error_status(error)
            else:
                messages.success(request, _("Your assessment was recorded."))
                return redirect("selection:assess", app.reference)
    conflict = ConflictOfInterestDeclaration.objects.filter(
        user_id=int(request.user.pk or 0), organisation_id=app.organisation_id
    ).exists()
    shown = None if conflict else applications.application_parts(app)
    return render(
        request,
        "selection/assess.html",
        {
            "app": app,
            "form": form,
            "done": done,
            "open": app.status in (Application.Status.ELIGIBLE, Application.Status.ASSESSED),
            "budget": shown["budget"] if shown else applications.application_budget(app),
            # the assessor reads exactly what was submitted, beside the scoring form
            "shown": shown,
        },
        status=status,
    )


@require_POST
def call_rank(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "selection.manage")
    call = call_or_404(code)
    assert_in_scope(request.user, call, "selection.manage")
    try:
        services.rank_and_propose(actor=request.user, call=call)
    except (ApplicationError, PermissionDenied) as error:
        return render_call(request, call, error_status(error), error=error_message(error))
    messages.success(request, _("The applications are ranked and the selection is proposed."))
    return redirect("calls:detail", call.code)


@require_POST
def call_meeting_plan(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "selection.manage")
    call = call_or_404(code)
    assert_in_scope(request.user, call, "selection.manage")
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return render_call(request, call, 400, meeting_form=form)
    try:
        meeting = services.meeting_plan(
            actor=request.user, call=call, date=form.cleaned_data["date"], agenda=form.cleaned_data["agenda"]
        )
    except (ApplicationError, PermissionDenied) as error:
        form.add_error(None, error_message(error))
        return render_call(request, call, error_status(error), meeting_form=form)
    messages.success(request, _("The Monitoring Committee meeting is planned."))
    return redirect("selection:meeting", meeting.pk)
