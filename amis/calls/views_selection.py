"""Pages of the selection: the Monitoring Committee's meeting and the double-funding check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.calls import selection, selectors
from amis.calls.forms import DecisionForm, MinutesForm
from amis.calls.models import Application, CommitteeMeeting, DoubleFundingFlag, Ranking
from amis.calls.views import _call_or_404, _message, _service_error_status
from amis.core.errors import ApplicationError


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
        app = selectors.application_get(request.POST.get("application", ""))
        if not form.is_valid() or app is None:
            error, status = _("Choose a decision for the application."), 400
        else:
            try:
                selection.record_decision(
                    actor=request.user,
                    meeting=current,
                    application=app,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except (ApplicationError, PermissionDenied) as exc:
                error, status = _message(exc), _service_error_status(exc)
            else:
                messages.success(request, _("The decision on %(ref)s was recorded.") % {"ref": app.reference})
                return redirect("calls:meeting", current.pk)
    elif action == "close":
        minutes_form = MinutesForm(request.POST)
        if not minutes_form.is_valid():
            status = 400
        else:
            try:
                selection.close_meeting(
                    actor=request.user, meeting=current, minutes=minutes_form.cleaned_data["minutes"]
                )
            except (ApplicationError, PermissionDenied) as exc:
                error, status = _message(exc), _service_error_status(exc)
            else:
                messages.success(request, _("The meeting is closed; the applicants are informed."))
                return redirect("calls:meeting", current.pk)
    decided = {d.application_id: d for d in current.decisions.all()}
    ranking = Ranking.objects.filter(call=current.call).first()
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
        "calls/meeting.html",
        {
            "meeting": current,
            "rows": rows,
            "decisions": list(current.decisions.select_related("application")),
            "minutes_form": minutes_form,
            "error": error,
        },
        status=status,
    )


def double_funding(request: HttpRequest, code: str) -> HttpResponse:
    """Import ESF/ISF project lists, flag overlaps for this call, clear each flag with a reason."""
    require(request.user, "selection.manage")
    call = _call_or_404(code)
    error, notice, status = None, None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ApplicationError(_("Choose the project list to import."))
                count = selection.import_other_fund_projects(
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name or "",
                    fund=request.POST.get("fund", ""),
                )
                notice = _("%(count)s projects imported.") % {"count": count}
            elif action == "check":
                count = selection.refresh_double_funding_flags(actor=request.user, call=call)
                notice = _("%(count)s new flags.") % {"count": count}
            elif action == "clear":
                flag = DoubleFundingFlag.objects.filter(
                    pk=request.POST.get("flag") or 0, application__call=call
                ).first()
                if flag is None:
                    raise Http404(_("No such flag."))
                selection.clear_flag(actor=request.user, flag=flag, reason=request.POST.get("reason", ""))
                notice = _("The flag was cleared.")
            else:
                raise ApplicationError(_("Choose what to do."))
        except (ApplicationError, PermissionDenied) as exc:
            error, status = _message(exc), _service_error_status(exc)
    flags = DoubleFundingFlag.objects.filter(application__call=call).select_related("application", "other")
    return render(
        request,
        "calls/double_funding.html",
        {"call": call, "flags": flags, "error": error, "notice": notice},
        status=status,
    )
