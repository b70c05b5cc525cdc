"""Organisation pages. Views translate HTTP to selector/service calls; permissions come from the matrix.

Every page needs a login. A refusal is shown as a 403 page with the reason (Django's default 403 page
has none); it never shows the organisation, so nothing leaks to someone who may not see it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial, wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amis.accounts.permissions import check, require
from amis.core.errors import ApplicationError, StaleObjectError
from amis.organisations import identifiers, selectors, services
from amis.organisations.forms import ContactForm, OrganisationForm, RegistrationForm, show_errors
from amis.organisations.models import ContactPerson, Organisation
from amis.organisations.services import FIELDS

View = Callable[..., HttpResponse]


def refusals_shown(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render(request, "organisations/forbidden.html", {"reason": str(exc)}, status=403)

    return login_required(wrapper)


PAGE_SIZE = 50


def _page(request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render with the section's navigation, showing only the pages the user may open."""
    user = request.user
    ctx["section_nav"] = {
        "list": check(user, "organisation.list").allowed,
        "create": check(user, "organisation.create").allowed,
        "decide": check(user, "organisation.decide").allowed,
        "mine": bool(selectors.organisations_of(user).exists() or selectors.registrations_of(user).exists()),
    }
    return render(request, template, ctx, status=status)


def _organisation(pk: int) -> Organisation:
    organisation = selectors.organisation_get(pk)
    if organisation is None:
        raise Http404(_("No such organisation."))
    return organisation


def _lock_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return 0  # never a real version: the save is refused as stale, and the page says so


@refusals_shown
def organisation_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.list")
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    status = status if status in Organisation.Status.values else ""
    kind = kind if kind in Organisation.Kind.values else ""
    q = request.GET.get("q", "").strip()
    organisations = selectors.organisation_list(user=request.user, status=status, kind=kind, q=q).only(
        "pk", "name", "short_name", "kind", "status", "enterprise_number", "vat_number", "city"
    )
    # 50 a page, like the applications: 5,000 organisations at full scale
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("q", q), ("status", status), ("kind", kind)) if v})
    return _page(
        request,
        "organisations/list.html",
        {
            "organisations": page.object_list,
            "page_obj": page,
            "query": query,
            "status": status,
            "kind": kind,
            "q": q,
            "statuses": Organisation.Status.choices,
            "kinds": Organisation.Kind.choices,
        },
    )


def _detail_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    can_edit = check(request.user, "organisation.update", organisation).allowed
    return {
        "organisation": organisation,
        "contacts": list(organisation.contacts.all()),
        "can_edit": can_edit,
        # the audit pages let whoever may see an organisation read its history (accounts/routes.py)
        "can_audit": check(request.user, "organisation.view", organisation).allowed,
        "audit_url": f"/audit/object/organisations.Organisation/{organisation.pk}/",
        "contact_form": ContactForm() if can_edit else None,
    }


@refusals_shown
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    require(request.user, "organisation.view", organisation)
    return _page(request, "organisations/detail.html", _detail_context(request, organisation))


@refusals_shown
def organisation_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.create")
    form = OrganisationForm(request.POST or None, initial={"country": "BE"})
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, data=form.data_for_service())
        except ApplicationError as exc:
            show_errors(form, exc)
            return _page(request, "organisations/form.html", {"form": form, "creating": True}, status=400)
        messages.success(request, _("The organisation %(name)s was created.") % {"name": organisation.name})
        return redirect("organisations:detail", organisation.pk)
    return _page(request, "organisations/form.html", {"form": form, "creating": True})


def _as_shown(organisation: Organisation) -> dict[str, str]:
    """The saved values as the form shows them (identifiers grouped for reading)."""
    shown = {name: str(getattr(organisation, name)) for name in FIELDS}
    shown["enterprise_number"] = identifiers.format_enterprise_number(organisation.enterprise_number)
    shown["iban"] = identifiers.format_iban(organisation.iban) if organisation.iban else ""
    return shown


def _same(name: str, saved: str, typed: str | None) -> bool:
    """Whether what the user typed is what is saved, ignoring the dots and spaces of identifiers."""
    if name in ("enterprise_number", "vat_number", "iban", "bic"):
        return re.sub(r"[\s.]", "", saved).upper() == re.sub(r"[\s.]", "", typed or "").upper()
    return saved.strip() == (typed or "").strip()


@refusals_shown
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    require(request.user, "organisation.update", organisation)
    initial = _as_shown(organisation)
    form = OrganisationForm.for_organisation(organisation, request.POST or None, initial=initial)
    ctx: dict[str, Any] = {
        "form": form,
        "organisation": organisation,
        "lock_version": organisation.lock_version,
    }
    if request.method == "POST" and form.is_valid():
        ctx["lock_version"] = _lock_version(request)
        try:
            services.organisation_update(
                organisation=organisation,
                actor=request.user,
                data=form.data_for_service(),
                expected_lock_version=ctx["lock_version"],
            )
        except StaleObjectError as exc:
            # Keep the user's input, show what is saved now where it differs, and let a second save
            # (now knowingly) overwrite it.
            ctx.update(
                stale=exc.message,
                lock_version=organisation.lock_version,
                current={
                    name: value
                    for name, value in initial.items()
                    if not _same(name, value, form.cleaned_data.get(name))
                },
            )
            return _page(request, "organisations/form.html", ctx, status=409)
        except ApplicationError as exc:
            show_errors(form, exc)
            return _page(request, "organisations/form.html", ctx, status=400)
        messages.success(request, _("The changes were saved."))
        organisation.refresh_from_db()
        if organisation.bank_change_pending:
            messages.info(
                request,
                _(
                    "The new bank account waits for confirmation by the responsible authority; "
                    "payments go to the current account until then."
                ),
            )
        if organisation.name_change_pending:
            messages.info(
                request,
                _(
                    "The new name waits for confirmation by the responsible authority; the organisation "
                    "keeps its current name until then."
                ),
            )
        return redirect("organisations:detail", organisation.pk)
    return _page(request, "organisations/form.html", ctx)


@refusals_shown
def register(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.register")
    user: Any = request.user
    form = RegistrationForm(
        request.POST or None, initial={"country": "BE", "contact_name": user.get_full_name()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(user=user, data=form.data_for_service())
        except ApplicationError as exc:
            show_errors(form, exc)
            return _page(request, "organisations/register.html", {"form": form}, status=400)
        return redirect("organisations:registered", organisation.pk)
    return _page(request, "organisations/register.html", {"form": form})


@refusals_shown
def registered(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation names the organisation to its registrant only.

    Anyone else gets the same general page whether or not the number exists, so the address
    reveals nothing about other registrations.
    """
    require(request.user, "organisation.register")
    organisation = Organisation.objects.filter(pk=pk, registered_by=request.user.pk).first()
    return _page(request, "organisations/registered.html", {"organisation": organisation})


@refusals_shown
def registrations(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.decide")
    return _registrations_page(request, {})


def _registrations_page(request: HttpRequest, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    ctx["pending"] = selectors.pending_registrations()
    ctx["bank_changes"] = selectors.pending_bank_changes()
    ctx["name_changes"] = selectors.pending_name_changes()
    return _page(request, "organisations/registrations.html", ctx, status=status)


def _decided(
    request: HttpRequest, pk: int, decide: Callable[..., Organisation], errors: tuple[str, str]
) -> Organisation | HttpResponse:
    """Run one of the approve/reject services from the queue page; a refusal re-shows the queue
    with the message next to that organisation (`errors` names the template's error keys)."""
    organisation = _organisation(pk)
    require(request.user, "organisation.decide", organisation)
    reason = request.POST.get("reason", "")
    try:
        decide(
            organisation=organisation,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=reason,
            expected_lock_version=_lock_version(request),
        )
    except ApplicationError as exc:
        ctx = {errors[0]: exc.message, errors[1]: organisation.pk, "reason": reason}
        status = {"stale": 409, "forbidden": 403}.get(exc.code, 400)
        return _registrations_page(request, ctx, status=status)
    return organisation


@require_POST
@refusals_shown
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    done = _decided(request, pk, services.organisation_decide, ("error", "error_for"))
    if isinstance(done, HttpResponse):
        return done
    if request.POST.get("decision") == "approve":
        text = _("The registration of %(name)s was approved; its registrant can now act for it.")
    else:
        text = _("The registration of %(name)s was rejected.")
    messages.success(request, text % {"name": done.name})
    return redirect("organisations:registrations")


# What the queue page says after a held change (`services.HeldChange`) was confirmed or refused.
HELD_CHANGE_DONE = {
    "bank": (
        gettext_lazy("The new bank account of %(name)s is confirmed; payments now go to it."),
        gettext_lazy("The new bank account of %(name)s was refused; payments keep going to the current one."),
    ),
    "name": (
        gettext_lazy("The organisation is now called %(name)s."),
        gettext_lazy("The new name of %(name)s was refused; it keeps its current name."),
    ),
}


@require_POST
@refusals_shown
def held_change_decide(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Confirm or refuse a new bank account (`kind` "bank") or legal name ("name")."""
    change = services.HELD_CHANGES[kind]
    decide = partial(services.held_change_decide, change)
    done = _decided(request, pk, decide, (f"{kind}_error", f"{kind}_error_for"))
    if isinstance(done, HttpResponse):
        return done
    confirmed, refused = HELD_CHANGE_DONE[kind]
    text = confirmed if request.POST.get("decision") == "approve" else refused
    messages.success(request, text % {"name": done.name})
    return redirect("organisations:registrations")


@refusals_shown
def mine(request: HttpRequest) -> HttpResponse:
    require(request.user, "organisation.mine")
    entries = []
    for organisation in selectors.organisations_of(request.user):
        entries.append(_detail_context(request, organisation) | {"contact_form": None})
    return _page(
        request,
        "organisations/mine.html",
        {
            "entries": entries,
            "registrations": list(selectors.registrations_of(request.user)),
        },
    )


@require_POST
@refusals_shown
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    require(request.user, "organisation.update", organisation)
    form = ContactForm(request.POST)
    form.full_clean()  # text fields only: the service judges the values
    try:
        services.contact_add(organisation=organisation, actor=request.user, data=form.data_for_service())
    except ApplicationError as exc:
        show_errors(form, exc)
        ctx = _detail_context(request, organisation) | {"contact_form": form}
        return _page(request, "organisations/detail.html", ctx, status=400)
    messages.success(request, _("The contact person was added."))
    return redirect("organisations:detail", organisation.pk)


@require_POST
@refusals_shown
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    require(request.user, "organisation.update", organisation)
    contact = get_object_or_404(ContactPerson, pk=contact_pk, organisation=organisation)
    services.contact_remove(contact=contact, actor=request.user)
    messages.success(request, _("%(name)s is no longer a contact person.") % {"name": contact.name})
    return redirect("organisations:detail", organisation.pk)
