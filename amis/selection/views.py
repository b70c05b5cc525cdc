"""Pages of the selection path: the eligibility check, an assessor's scoring page, consolidation,
ranking and proposal, planning the Monitoring Committee's meeting and the meeting itself. What the
call and application pages show of the selection is registered in `amis.selection.parts`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amis.accounts.models import ConflictOfInterestDeclaration
from amis.accounts.permissions import require
from amis.applications import selectors as applications
from amis.applications.models import Application
from amis.applications.views import app_or_404, render_application
from amis.calls.services import assert_in_scope
from amis.calls.views import call_or_404, render_call
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.selection import selectors, services
from amis.selection.forms import DecisionForm, EligibilityForm, MeetingForm, MinutesForm, ScoresForm
from amis.selection.models import CommitteeMeeting


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "committee.decide")
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and action not in ("decide", "close"):
        return HttpResponse(_("Choose to record a decision or to close the meeting."), status=400)
    current = CommitteeMeeting.objects.select_related("call").filter(pk=pk).first()
    if current is None:
        raise Http404(_("No such meeting."))
    error = None
    status = 200
    minutes_form = MinutesForm()
    if action == "decide":
        form = DecisionForm(request.POST)
        app = applications.application_get(request.POST.get("application", ""))
        if not form.is_valid() or app is None:
            error, status = _("Choose a decision for the application."), 400
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
            else:
                messages.success(request, _("The decision on %(ref)s was recorded.") % {"ref": app.reference})
                return redirect("selection:meeting", current.pk)
    elif action == "close":
        minutes_form = MinutesForm(request.POST)
        if not minutes_form.is_valid():
            status = 400
        else:
            try:
                services.close_meeting(
                    actor=request.user, meeting=current, minutes=minutes_form.cleaned_data["minutes"]
                )
            except (ApplicationError, PermissionDenied) as exc:
                error, status = error_message(exc), error_status(exc)
            else:
                messages.success(request, _("The meeting is closed; the applicants are informed."))
                return redirect("selection:meeting", current.pk)
    decided = {d.application_id: d for d in current.decisions.all()}
    ranking = selectors.ranking_of(current.call)
    scores = {r["reference"]: r for r in (ranking.rows if ranking else [])}
    rows = []
    for app in (
        current.call.applications.filter(
            status__in=[Application.Status.PROPOSED, Application.Status.RESERVE, Application.Status.ASSESSED]
        ).select_related("organisation")
        if current.status == CommitteeMeeting.Status.PLANNED
        else []
    ):
        row = decided.get(app.pk)
        rows.append(
            {
                "app": app,
                "score": scores.get(app.reference, {}).get("score"),
                "decision": row,
                "form": DecisionForm(
                    initial={
                        "application": app.reference,
                        "decision": row.decision if row else "approve",
                        "note": row.note if row else "",
                    },
                    auto_id=f"id_{app.reference}_%s",
                ),
            }
        )
    return render(
        request,
        "selection/meeting.html",
        {
            "meeting": current,
            "rows": rows,
            "decisions": list(current.decisions.select_related("application")),
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
