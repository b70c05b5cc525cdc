"""The double-funding page of a call: the other funds' lists in use, flag overlaps, clear each flag
with a reason (officers who manage selection only). The lists have their own pages (views_lists)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from amis.accounts.permissions import check, has_role, require
from amis.calls.services import assert_in_scope
from amis.calls.views import call_or_404
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.integrity import selectors, services
from amis.integrity.models import DoubleFundingFlag
from amis.integrity.selectors import WHOLE_PROGRAMME_READERS


def double_funding(request: HttpRequest, code: str) -> HttpResponse:
    """Flag overlaps for this call with the lists in use, clear each flag with a reason."""
    # reading is `integrity.view` (the audit authority too); flagging and clearing `selection.manage`
    needed = "selection.manage" if request.method == "POST" else "integrity.view"
    require(request.user, needed)
    call = call_or_404(code)
    # a delegated authority officer only the calls of their part (the audit authority reads them all)
    if needed == "selection.manage" or not has_role(request.user, *WHOLE_PROGRAMME_READERS):
        assert_in_scope(request.user, call, needed)  # refused: 403 (a PermissionDenied)
    error, notice, status = None, None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "check":
                counts = services.check_call(actor=request.user, call=call)
                notice = (
                    _(
                        "%(new)s new flags; %(closed)s closed (the periods no longer overlap); %(reopened)s "
                        "cleared flags reopened (their overlap grew or the descriptions came closer)."
                    )
                    % counts
                )
            elif action == "clear":
                flag = DoubleFundingFlag.objects.filter(
                    pk=request.POST.get("flag") or 0, application__call=call
                ).first()
                if flag is None:
                    raise Http404(_("No such flag."))
                services.clear_flag(actor=request.user, flag=flag, reason=request.POST.get("reason", ""))
                notice = _("The flag was cleared.")
            elif action in ("name_same", "name_other"):
                flag = DoubleFundingFlag.objects.filter(
                    pk=request.POST.get("flag") or 0, application__call=call
                ).first()
                if flag is None:
                    raise Http404(_("No such flag."))
                services.name_match_decide(actor=request.user, flag=flag, same=action == "name_same")
                notice = (
                    _("Recorded: the same organisation.")
                    if action == "name_same"
                    else _("Recorded: another organisation; its flags are closed.")
                )
            elif action == "clear_selected":
                try:
                    ids = [int(v) for v in request.POST.getlist("flags")]
                except ValueError:
                    raise ApplicationError(_("Tick the flags to clear.")) from None
                count = services.clear_flags(
                    actor=request.user, call=call, flag_ids=ids, reason=request.POST.get("reason", "")
                )
                notice = _("%(count)s flags were cleared.") % {"count": count}
            else:
                raise ApplicationError(_("Choose what to do."))
        except (ApplicationError, PermissionDenied) as exc:
            error, status = error_message(exc), error_status(exc)
    # 50 flags a page, filtered by state and application reference (a call may have thousands)
    state = request.GET.get("state", "")
    state = state if state in ("open", "cleared", "closed") else ""
    reference = request.GET.get("reference", "").strip()[:60]
    flags = selectors.flags_of(call, state=state, reference=reference)
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "integrity/double_funding.html",
        {
            "call": call,
            "flags": page.object_list,
            "page_obj": page,
            "query": urlencode({k: v for k, v in (("state", state), ("reference", reference)) if v}),
            "state": state,
            "reference": reference,
            "open_count": selectors.open_flag_count(call),
            "active_lists": selectors.active_lists(),
            "error": error,
            "notice": notice,
            "may_manage": check(request.user, "selection.manage").allowed,
        },
        status=status,
    )
