"""People pages (the RA manages people and roles; everyone manages their own tokens and declarations)
and the audit trail pages (history of an object, of a person, a period search with exports)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amis.accounts import selectors, services
from amis.accounts.forms import ConflictForm, RoleAssignForm, TokenCreateForm, UserCreateForm
from amis.accounts.models import ApiToken, RoleAssignment, User
from amis.accounts.permissions import check, require
from amis.accounts.roles import Role
from amis.accounts.templatetags.audit_fields import object_types
from amis.core import export
from amis.core.audit import current_label, record_security_event
from amis.core.errors import ApplicationError
from amis.core.selectors import audit_entries


def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.list")
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    page = Paginator(selectors.user_list(q=q, role=role), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": page.object_list,
            "page_obj": page,
            "query": urlencode({k: v for k, v in (("q", q), ("role", role)) if v}),
            "q": q,
            "role": role,
            "roles": Role.choices,
            "can_create": check(request.user, "user.create").allowed,
        },
    )


def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.create")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("%(email)s was created. Now give them a role.") % {"email": user.email}
            )
            return redirect("accounts:detail", user.pk)
    return render(request, "accounts/user_create.html", {"form": form}, status=400 if form.errors else 200)


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.list")
    person = selectors.user_get(pk)
    if person is None:
        raise Http404(_("No such person."))
    can_assign = check(request.user, "role.assign").allowed
    form = RoleAssignForm(request.POST or None) if can_assign else None
    status = 200
    if request.method == "POST":
        require(request.user, "role.assign")
        assert form is not None
        if form.is_valid():
            try:
                services.role_assign(user=person, actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, _("Role given."))
                return redirect("accounts:detail", person.pk)
        else:
            status = 400
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "assignments": selectors.role_history(person),
            "form": form,
            "can_assign": can_assign,
            "can_audit": check(request.user, "audit.view").allowed,
        },
        status=status,
    )


@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "role.assign")
    assignment = RoleAssignment.objects.filter(pk=pk).select_related("user").first()
    if assignment is None:
        raise Http404(_("No such role."))
    try:
        services.role_revoke(assignment=assignment, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Role taken away."))
    return redirect("accounts:detail", assignment.user_id)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    token_form = TokenCreateForm(prefix="token")
    conflict_form = ConflictForm(prefix="coi")
    new_secret = None
    status = 200
    if request.method == "POST" and "token-name" in request.POST:
        token_form = TokenCreateForm(request.POST, prefix="token")
        if token_form.is_valid():
            try:
                _token, new_secret = services.token_create(user=request.user, **token_form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                token_form.add_error(None, exc.message)
                status = 400
        else:
            status = 400
    elif request.method == "POST" and "coi-reason" in request.POST:
        conflict_form = ConflictForm(request.POST, prefix="coi")
        if conflict_form.is_valid():
            try:
                services.conflict_of_interest_declare(user=request.user, **conflict_form.cleaned_data)  # type: ignore[arg-type]
            except ApplicationError as exc:
                conflict_form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, _("Your declaration was recorded."))
                return redirect("accounts:me")
        else:
            status = 400
    return render(
        request,
        "accounts/me.html",
        {
            "assignments": RoleAssignment.objects.filter(
                user=request.user.pk, revoked_at__isnull=True
            ).select_related("organisation"),
            "tokens": selectors.tokens_of(request.user),  # type: ignore[arg-type]
            "conflicts": selectors.conflicts_of(request.user),  # type: ignore[arg-type]
            "token_form": token_form,
            "conflict_form": conflict_form,
            "new_secret": new_secret,
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()  # type: ignore[misc]
    if token is None:
        raise Http404(_("No such token."))
    services.token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:me")


# ---------------------------------------------------------------------------------------------------
# The audit trail (entries are written by amis.core.audit; these pages read them)

# Object types whose history may be read by whoever may see the object, not only by auditors.
OBJECT_VIEW_ACTION = {"organisations.Organisation": "organisation.view"}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _page(request: HttpRequest, entries: object) -> object:
    return Paginator(entries, 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]


def object_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """An object's history follows the object's own access rules; personal data needs audit rights."""
    label = current_label(object_type)
    if label is None:
        raise Http404(_("No such kind of object."))
    if label != object_type:  # a label from before the model moved app: bookmarks keep working
        return redirect("audit:object", label, object_id, permanent=True)
    model = apps.get_model(label)
    try:  # an id of the wrong kind ("abc" for a number) names no object
        pk = model._meta.pk.to_python(object_id)
    except ValidationError:
        raise Http404(_("No such object.")) from None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404(_("No such object."))
    action = OBJECT_VIEW_ACTION.get(object_type)
    if action is None or not check(request.user, "audit.view").allowed:
        require(request.user, action or "audit.view", obj)
    entries = audit_entries(object_type=object_type, object_id=str(object_id))
    return render(
        request,
        "audit/history.html",
        {
            "title": _("History of %(object)s") % {"object": obj},
            "page_obj": _page(request, entries),
            "export_query": f"object_type={object_type}&object_id={object_id}",
            "can_export": check(request.user, "audit.export").allowed,
        },
    )


def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "audit.view")
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person."))
    return render(
        request,
        "audit/history.html",
        {
            "title": _("Everything %(person)s did") % {"person": person},
            "page_obj": _page(request, audit_entries(actor_id=person.pk)),
            "export_query": f"actor={person.pk}",
            "can_export": check(request.user, "audit.export").allowed,
        },
    )


def _filters(request: HttpRequest) -> dict:
    actor = request.GET.get("actor", "")
    return {
        "object_type": request.GET.get("object_type", "").strip(),
        "object_id": request.GET.get("object_id", "").strip(),
        "actor_id": int(actor) if actor.isdigit() else None,
        "since": _date(request.GET.get("since")),
        "until": _date(request.GET.get("until")),
        "action": request.GET.get("action", "").strip(),
    }


def search(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    entries = audit_entries(**_filters(request))
    return render(
        request,
        "audit/search.html",
        {
            "page_obj": _page(request, entries),
            "params": request.GET,
            "export_query": request.GET.urlencode(),
            "can_export": check(request.user, "audit.export").allowed,
            "object_types": object_types(),
        },
    )


def export_trail(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, "audit.export")
    filters = _filters(request)
    entries = audit_entries(**filters).order_by("sequence").iterator(chunk_size=2000)
    record_security_event(
        user=request.user,
        event="export",
        detail={"what": "audit trail", "format": fmt, **{k: str(v) for k, v in filters.items() if v}},
    )
    if fmt == "csv":
        response = HttpResponse(export.to_csv(entries), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            export.to_xlsx(entries),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="audit-trail.{fmt}"'
    return response
