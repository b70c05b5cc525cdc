"""Calls on the public site, and applications for the people who may see them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amis.accounts.permissions import active_roles, check, require
from amis.accounts.roles import Role
from amis.calls import attachments, call_services, rules, selection, selectors, services
from amis.calls.application_parts import application_parts
from amis.calls.forms import (
    ApplyForm,
    EligibilityForm,
    MeetingForm,
    ScoresForm,
)
from amis.calls.models import (
    Application,
    Call,
    CommitteeMeeting,
    EligibilityCheck,
    Ranking,
)
from amis.core.errors import ApplicationError, StaleObjectError
from amis.organisations.models import Organisation


def call_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "call.view")
    manage = check(request.user, "call.manage").allowed
    calls = selectors.call_list(public=not manage)
    return render(request, "calls/list.html", {"calls": calls, "now": timezone.now(), "can_manage": manage})


def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "call.view")
    call = selectors.call_with_counts(code)
    if call is None or (call.status == Call.Status.DRAFT and not check(request.user, "call.manage").allowed):
        raise Http404(_("No such call."))
    return _render_call(request, call)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """50 a page, filtered by call and status: authority readers see tens of thousands."""
    applications = selectors.applications_for(request.user)
    call = request.GET.get("call", "").strip()
    status = request.GET.get("status", "")
    if call:
        applications = applications.filter(call__code=call)
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    applications = applications.only(
        "reference", "title", "status", "created_at", "call__code", "organisation__name"
    )
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("call", call), ("status", status)) if v})
    return render(
        request,
        "calls/applications.html",
        {
            "page_obj": page,
            "applications": page.object_list,
            "call": call,
            "status": status,
            "statuses": Application.Status.choices,
            "query": query,
        },
    )


def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    app = _app_or_404(reference)
    require(request.user, "application.view", app.organisation)
    return _render_application(request, app)


# ---------------------------------------------------------------------------------------------------
# Writing pages: each POST calls one service; its refusal is shown on the page, nothing is half-saved.


def _service_error_status(error: Exception) -> int:
    if isinstance(error, StaleObjectError):
        return 409
    if isinstance(error, PermissionDenied):
        return 403
    return 400


def _message(error: Exception) -> str:
    return getattr(error, "message", None) or str(error)


def _call_or_404(code: str) -> Call:
    call = selectors.call_get(code)
    if call is None:
        raise Http404(_("No such call."))
    return call


def _app_or_404(reference: str) -> Application:
    app = selectors.application_get(reference)
    if app is None:
        raise Http404(_("No such application."))
    return app


def _own_organisations(user: Any) -> list[Organisation]:
    ids = [o for o in active_roles(user).get(Role.BENEFICIARY, set()) if o]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


SHOWN = 50


def _call_context(request: HttpRequest, call: Call, **extra: Any) -> dict[str, Any]:
    user = request.user
    manage = call_services.may_manage(user, call)  # a delegated authority only manages its own part
    select = check(user, "selection.manage").allowed
    context: dict[str, Any] = {
        "call": call,
        "counts": selectors.status_counts(call),
        "warning": call_services.call_budget_warning(call) if manage else None,
        "can_apply": bool(_own_organisations(user)) and call.status == Call.Status.PUBLISHED,
        "apply_form": None,
        "next_status": [
            s for s in call_services.TRANSITIONS[Call.Status(call.status)] if s != Call.Status.ASSESSED
        ]
        if manage
        else [],
        "can_select": select,
        "ranking": Ranking.objects.filter(call=call).first(),
        "meetings": list(call.meetings.order_by("-date"))
        if select or check(user, "committee.decide").allowed
        else [],
        # the first rows only: a big call has thousands; the full, filtered list is one link away
        "applications": list(
            call.applications.select_related("organisation")
            .only("reference", "title", "status", "call", "organisation__name")
            .order_by("reference")[:SHOWN]
        )
        if check(user, "application.list").allowed
        else [],
        "to_assess": list(
            call.applications.filter(status__in=[Application.Status.ELIGIBLE, Application.Status.ASSESSED])
            .exclude(assessments__assessor_id=user.pk)
            .only("reference", "title", "call")
            .order_by("reference")[:SHOWN]
        )
        if check(user, "application.assess").allowed
        else [],
        "shown": SHOWN,
        "meeting_form": MeetingForm() if select and call.status == Call.Status.ASSESSED else None,
        "documents": [
            d
            for d in call.documents.order_by("uploaded_at", "pk")
            if manage or call.status != Call.Status.DRAFT
        ],
        "can_edit_call": manage and call.status == Call.Status.DRAFT,
        "can_add_documents": manage and call.status in (Call.Status.DRAFT, Call.Status.PUBLISHED),
        "error": None,
    }
    if context["can_apply"]:
        context["apply_form"] = ApplyForm(organisations=_own_organisations(user))
    context.update(extra)
    return context


def _render_call(request: HttpRequest, call: Call, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "calls/detail.html", _call_context(request, call, **extra), status=status)


@require_POST
def call_apply(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "application.edit")
    call = _call_or_404(code)
    organisations = _own_organisations(request.user)
    form = ApplyForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return _render_call(request, call, 400, apply_form=form, can_apply=True)
    organisation = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
    try:
        app = services.application_create(
            actor=request.user, call=call, organisation=organisation, title=form.cleaned_data["title"]
        )
    except (ApplicationError, PermissionDenied) as error:
        form.add_error(None, _message(error))
        return _render_call(request, call, _service_error_status(error), apply_form=form, can_apply=True)
    messages.success(
        request, _("Application %(ref)s created; complete it and submit it.") % {"ref": app.reference}
    )
    return redirect("calls:application_edit", app.reference)


@require_POST
def call_transition(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "call.manage")
    call = _call_or_404(code)
    status = request.POST.get("status", "")
    try:
        lock = int(request.POST.get("lock_version", ""))
    except ValueError:
        return _render_call(request, call, 400, error=_("The form is incomplete; reload the page."))
    try:
        call = call_services.call_transition(
            actor=request.user, call=call, status=status, expected_lock_version=lock
        )
    except (ApplicationError, PermissionDenied) as error:
        return _render_call(request, call, _service_error_status(error), error=_message(error))
    messages.success(request, _("The call is now %(status)s.") % {"status": call.get_status_display()})
    return redirect("calls:detail", call.code)


@require_POST
def call_rank(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "selection.manage")
    call = _call_or_404(code)
    try:
        selection.rank_and_propose(actor=request.user, call=call)
    except (ApplicationError, PermissionDenied) as error:
        return _render_call(request, call, _service_error_status(error), error=_message(error))
    messages.success(request, _("The applications are ranked and the selection is proposed."))
    return redirect("calls:detail", call.code)


@require_POST
def call_meeting_plan(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "selection.manage")
    call = _call_or_404(code)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _render_call(request, call, 400, meeting_form=form)
    try:
        meeting = selection.meeting_plan(
            actor=request.user, call=call, date=form.cleaned_data["date"], agenda=form.cleaned_data["agenda"]
        )
    except (ApplicationError, PermissionDenied) as error:
        form.add_error(None, _message(error))
        return _render_call(request, call, _service_error_status(error), meeting_form=form)
    messages.success(request, _("The Monitoring Committee meeting is planned."))
    return redirect("calls:meeting", meeting.pk)


@require_POST
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    app = _app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    try:
        services.application_withdraw(actor=request.user, application=app)
    except (ApplicationError, PermissionDenied) as error:
        return _render_application(request, app, _service_error_status(error), error=_message(error))
    messages.success(request, _("The application was withdrawn."))
    return redirect("calls:application", app.reference)


@require_POST
def application_eligibility(request: HttpRequest, reference: str) -> HttpResponse:
    require(request.user, "application.check")
    app = _app_or_404(reference)
    form = EligibilityForm(request.POST, call=app.call)
    if not form.is_valid():
        return _render_application(request, app, 400, eligibility_form=form)
    try:
        selection.check_eligibility(actor=request.user, application=app, answers=form.answers())
    except (ApplicationError, PermissionDenied) as error:
        form.add_error(None, _message(error))
        return _render_application(request, app, _service_error_status(error), eligibility_form=form)
    messages.success(request, _("The eligibility check was recorded."))
    return redirect("calls:application", app.reference)


@require_POST
def application_consolidate(request: HttpRequest, reference: str) -> HttpResponse:
    require(request.user, "selection.manage")
    app = _app_or_404(reference)
    form = ScoresForm(request.POST, call=app.call, consolidation=True)
    if not form.is_valid():
        return _render_application(request, app, 400, consolidation_form=form)
    try:
        selection.consolidate(
            actor=request.user, application=app, scores=form.scores(), note=form.cleaned_data["note"]
        )
    except (ApplicationError, PermissionDenied) as error:
        if isinstance(error, ApplicationError):
            form.add_service_errors(error)
        else:
            form.add_error(None, _message(error))
        return _render_application(request, app, _service_error_status(error), consolidation_form=form)
    messages.success(request, _("The consolidated scores were recorded."))
    return redirect("calls:application", app.reference)


def _render_application(
    request: HttpRequest, app: Application, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request.user
    call = app.call
    closed = call.status == Call.Status.CLOSED
    parts = application_parts(app)
    context: dict[str, Any] = {
        "app": app,
        "shown": parts,
        "budget": parts["budget"],
        "problems": services.application_problems(app) if app.status == Application.Status.DRAFT else {},
        "can_edit": app.status == Application.Status.DRAFT and check(user, "application.edit", app).allowed,
        "can_withdraw": app.status == Application.Status.SUBMITTED
        and not rules.deadline_problem(timezone.now(), call.opens_at, call.closes_at)
        and check(user, "application.edit", app).allowed,
        "eligibility": EligibilityCheck.objects.filter(application=app).first(),
        "eligibility_form": EligibilityForm(call=call)
        if closed and app.status == Application.Status.SUBMITTED and check(user, "application.check").allowed
        else None,
        "state": None,
        "assessments": [],
        "consolidation_form": None,
        "decisions": list(
            app.committee_decisions.filter(meeting__status=CommitteeMeeting.Status.HELD).select_related(
                "meeting"
            )
        ),
        "error": None,
    }
    if check(user, "selection.manage").allowed and app.assessments.exists():
        state = selection.assessment_state(app)
        context["state"] = state
        context["assessments"] = [
            {
                "assessor": a.assessor,
                "scores": [a.scores.get(c["code"], "") for c in call.award_criteria],
                "total": a.total,
            }
            for a in app.assessments.select_related("assessor").order_by("at")
        ]
        if state["divergent"] and not state["consolidated"]:
            context["consolidation_form"] = ScoresForm(call=call, consolidation=True)
    context.update(extra)
    return render(request, "calls/application.html", context, status=status)


def application_assess(request: HttpRequest, reference: str) -> HttpResponse:
    require(request.user, "application.assess")
    app = _app_or_404(reference)
    done = app.assessments.filter(assessor_id=request.user.pk).first()
    form = ScoresForm(request.POST or None, call=app.call)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                selection.assess(
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
                    form.add_error(None, _message(error))
                status = _service_error_status(error)
            else:
                messages.success(request, _("Your assessment was recorded."))
                return redirect("calls:application_assess", app.reference)
    return render(
        request,
        "calls/assess.html",
        {
            "app": app,
            "form": form,
            "done": done,
            "open": app.status in (Application.Status.ELIGIBLE, Application.Status.ASSESSED),
            "budget": services.application_budget(app),
        },
        status=status,
    )


@require_POST
def application_attach(request: HttpRequest, reference: str) -> HttpResponse:
    app = _app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    upload = request.FILES.get("file")
    try:
        name, data = attachments.read_upload(upload, _("Choose a document to upload."))
        attachments.attachment_add(actor=request.user, application=app, name=name, data=data)
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The document was added."))
    return redirect("calls:application_edit", app.reference)


def application_attachment(request: HttpRequest, reference: str, sha256: str) -> HttpResponseBase:
    """A document by its checksum (the one the submission snapshot lists), served only while the
    stored file still has that checksum: an altered file is refused, never served as the original."""
    app = _app_or_404(reference)
    require(request.user, "application.view", app.organisation)
    attachment = app.attachments.filter(sha256=sha256).first()
    if attachment is None:
        raise Http404(_("No such document."))
    if not attachments.verify(attachment):
        return HttpResponse(
            _(
                "The stored file no longer matches its checksum; it is not served. "
                "Tell the responsible authority."
            ),
            status=409,
        )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
