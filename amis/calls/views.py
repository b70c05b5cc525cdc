"""Call pages: the public list and page of a call, launching and changing a draft call, moving it
through its life, and the call's own documents.

The call page also shows what later stages add (apply, the applications, the ranking, the committee's
meetings): their apps register those parts with `amis.core.pages`, so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amis.accounts.permissions import active_roles, check, require
from amis.accounts.roles import Role
from amis.calls import selectors, services
from amis.calls.forms import CallForm
from amis.calls.models import Call, CallDocument
from amis.core import pages, uploads
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.organisations.models import Organisation
from amis.programme import selectors as programme_selectors
from amis.programme.models import Programme


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
    return render_call(request, call)


def call_or_404(code: str) -> Call:
    call = selectors.call_get(code)
    if call is None:
        raise Http404(_("No such call."))
    return call


def render_call(request: HttpRequest, call: Call, status: int = 200, **extra: Any) -> HttpResponse:
    """The call page with the parts later stages add; `extra` overrides (e.g. a refused form)."""
    user = request.user
    manage = services.may_manage(user, call)  # a delegated authority only manages its own part
    context: dict[str, Any] = {
        "call": call,
        "warning": services.call_budget_warning(call) if manage else None,
        "next_status": [
            # ranking makes a call assessed and the committee's closed meeting makes it decided
            s
            for s in services.TRANSITIONS[Call.Status(call.status)]
            if s not in (Call.Status.ASSESSED, Call.Status.DECIDED)
        ]
        if manage
        else [],
        "documents": [
            d
            for d in call.documents.order_by("uploaded_at", "pk")
            if manage or call.status != Call.Status.DRAFT
        ],
        "indicators": [
            (code, names.get(code)) for names in [selectors.indicator_names(call)] for code in call.indicators
        ],
        # who may apply, as the organisation kinds' names (the public page says it before anything else)
        "eligible_kinds": [
            Organisation.Kind(kind).label for kind in call.eligible_kinds if kind in Organisation.Kind.values
        ],
        "can_edit_call": manage and call.status == Call.Status.DRAFT,
        "can_add_documents": manage and call.status in (Call.Status.DRAFT, Call.Status.PUBLISHED),
        "error": None,
    }
    return pages.render_page(request, "call", call, "calls/detail.html", context, status, extra)


CONFIRM: dict[
    str, Callable[[], tuple[str, list[str], str, str]]
] = {  # what publishing or closing a call does, asked before it is done
    Call.Status.PUBLISHED: lambda: (
        _("Publish the call %(code)s?"),
        [
            _(
                "The call becomes public: everyone can read it and its documents, and applicants can "
                "apply from its opening date until its closing date."
            )
        ],
        _("This cannot be undone: a published call does not return to draft and can no longer be changed."),
        _("Yes, publish the call"),
    ),
    Call.Status.CLOSED: lambda: (
        _("Close the call %(code)s?"),
        [
            _(
                "No application can be submitted or withdrawn any more; the submitted applications go "
                "to the eligibility check."
            )
        ],
        _("This cannot be undone: a closed call does not open again."),
        _("Yes, close the call"),
    ),
}


@require_POST
def call_transition(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "call.manage")
    call = call_or_404(code)
    services.assert_in_scope(request.user, call, "call.manage")
    status = request.POST.get("status", "")
    try:
        lock = int(request.POST.get("lock_version", ""))
    except ValueError:
        return render_call(request, call, 400, error=_("The form is incomplete; reload the page."))
    no_documents = request.POST.get("no_documents") == "yes"
    problem = (
        services.publication_problem(call, no_documents=no_documents)
        if status == Call.Status.PUBLISHED
        else None
    )
    if problem:  # said at once, instead of asking to confirm what cannot succeed
        return render_call(request, call, 400, error=problem)
    if status in CONFIRM and not confirmed(request):
        title, what, undo, yes = CONFIRM[status]()
        return confirm_page(
            request,
            title=title % {"code": call.code},
            what=what,
            undo=undo,
            yes=yes,
            back=reverse("calls:detail", args=[call.code]),
            fields=("status", "lock_version", "no_documents"),
        )
    try:
        call = services.call_transition(
            actor=request.user,
            call=call,
            status=status,
            expected_lock_version=lock,
            no_documents=no_documents,
        )
    except (ApplicationError, PermissionDenied) as error:
        return render_call(request, call, error_status(error), error=error_message(error))
    messages.success(request, _("The call is now %(status)s.") % {"status": call.get_status_display()})
    return redirect("calls:detail", call.code)


# ---------------------------------------------------------------------------------------------------
# Launching and changing a draft call.


def _managing_organisations(user: Any) -> list[Organisation]:
    """The RA launches calls for itself or a delegated authority; a DA officer for its own agency."""
    roles = active_roles(user)
    if set(roles) & {Role.RA_MANAGER, Role.RA_OFFICER}:
        kinds = [Organisation.Kind.RESPONSIBLE_AUTHORITY, Organisation.Kind.DELEGATED_AUTHORITY]
        return list(Organisation.objects.filter(kind__in=kinds).order_by("name"))
    ids = [o for o in roles.get(Role.DA_OFFICER, set()) if o]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _document(programme: Programme) -> dict[str, Any]:
    version = programme_selectors.version_get(programme.cci)
    if version is None:
        raise Http404(_("This programme has no version yet."))
    return programme_selectors.version_document(version, with_control_totals=False)


def _programme(request: HttpRequest) -> Programme:
    cci = request.POST.get("programme") or request.GET.get("programme")
    programmes = Programme.objects.order_by("cci")
    programme = programmes.filter(cci=cci).first() if cci else programmes.first()
    if programme is None:
        raise Http404(_("No such programme."))
    return programme


def call_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "call.manage")
    programme = _programme(request)
    organisations = _managing_organisations(request.user)
    doc = _document(programme)
    if request.method != "POST":
        form = CallForm(doc=doc, organisations=organisations, initial=_defaults())
        return _render_form(request, form, programme)
    form = CallForm(request.POST, doc=doc, organisations=organisations)
    if "refresh" in request.POST or not form.is_valid():
        return _render_form(request, form, programme, 200 if "refresh" in request.POST else 400)
    organisation = next(o for o in organisations if str(o.pk) == form.cleaned_data["managing_organisation"])
    try:
        call, warnings = services.call_create(
            actor=request.user, programme=programme, organisation=organisation, data=form.data_for_service()
        )
    except (ApplicationError, PermissionDenied) as error:
        _add_error(form, error)
        return _render_form(request, form, programme, error_status(error))
    messages.success(request, _("Draft call %(code)s created.") % {"code": call.code})
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("calls:detail", call.code)


def call_edit(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "call.manage")
    call = selectors.call_get(code)
    if call is None:
        raise Http404(_("No such call."))
    try:
        services.assert_may_manage(request.user, call)
    except ApplicationError as error:
        raise PermissionDenied(error.message) from error
    if call.status != Call.Status.DRAFT:
        messages.error(request, _("Only a draft call can be changed; a published call's terms stay fixed."))
        return redirect("calls:detail", call.code)
    doc = _document(call.programme)
    if request.method != "POST":
        return _render_form(request, CallForm(doc=doc, call=call), call.programme, call=call)
    form = CallForm(request.POST, doc=doc, call=call)
    if "refresh" in request.POST or not form.is_valid():
        status = 200 if "refresh" in request.POST else 400
        return _render_form(request, form, call.programme, status, call=call)
    try:
        call = services.call_update(
            actor=request.user,
            call=call,
            data=form.data_for_service(),
            expected_lock_version=form.cleaned_data["lock_version"] or 0,
        )
    except (ApplicationError, PermissionDenied) as error:
        _add_error(form, error)
        return _render_form(request, form, call.programme, error_status(error), call=call)
    messages.success(request, _("The call was saved."))
    warning = services.call_budget_warning(call)
    if warning:
        messages.warning(request, warning)
    return redirect("calls:detail", call.code)


def call_objectives(request: HttpRequest) -> HttpResponse:
    """HTMX: the objectives, actions and indicators of the chosen specific objective."""
    require(request.user, "call.manage")
    programme = _programme(request)
    form = CallForm(
        doc=_document(programme), initial={"specific_objective": request.GET.get("specific_objective")}
    )
    return render(request, "calls/_call_objectives.html", {"form": form})


def _defaults() -> dict[str, Any]:
    return {"max_eu_rate": "75", "pass_mark": "50", "procedure": Call.Procedure.OPEN}


def _add_error(form: CallForm, error: Exception) -> None:
    if isinstance(error, ApplicationError):
        form.add_service_errors(error)
    else:
        form.add_error(None, error_message(error))


def _render_form(
    request: HttpRequest, form: CallForm, programme: Programme, status: int = 200, call: Call | None = None
) -> HttpResponse:
    return render(
        request,
        "calls/call_form.html",
        {"form": form, "programme": programme, "call": call, "programmes": Programme.objects.order_by("cci")},
        status=status,
    )


# ---------------------------------------------------------------------------------------------------
# The call's documents: public once the call is published, managed by whoever manages the call.


@require_POST
def call_document_add(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "call.manage")
    call = call_or_404(code)
    services.assert_in_scope(request.user, call, "call.manage")
    upload = request.FILES.get("file")
    try:
        name, data = uploads.read_upload(upload, _("Choose a document to upload."))
        services.document_add(
            actor=request.user,
            call=call,
            title=request.POST.get("title", ""),
            language=request.POST.get("language", ""),
            name=name,
            data=data,
        )
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, _("The document was added to the call."))
    return redirect("calls:detail", call.code)


@require_POST
def call_document_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    require(request.user, "call.manage")
    document = CallDocument.objects.filter(pk=pk, call__code=code).select_related("call").first()
    if document is None:
        raise Http404(_("No such document."))
    services.assert_in_scope(request.user, document.call, "call.manage")
    try:
        services.document_remove(actor=request.user, document=document)
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, _("The document was removed."))
    return redirect("calls:detail", code)


def call_document_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    require(request.user, "call.view")
    document = CallDocument.objects.filter(pk=pk, call__code=code).select_related("call").first()
    if document is None or not (
        services.visible_to_public(document) or check(request.user, "call.manage").allowed
    ):
        raise Http404(_("No such document."))
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )
