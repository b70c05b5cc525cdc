"""People pages: the RA manages people and roles; everyone manages their own tokens and declarations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amis.accounts import selectors, services
from amis.accounts.forms import ConflictForm, RoleAssignForm, TokenCreateForm, UserCreateForm
from amis.accounts.models import ApiToken, RoleAssignment
from amis.accounts.permissions import check, require
from amis.core.errors import ApplicationError


def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.list")
    users = selectors.user_list(q=request.GET.get("q", "").strip())
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": users,
            "q": request.GET.get("q", ""),
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
