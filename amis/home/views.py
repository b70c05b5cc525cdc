"""The home page (each person's tasks and figures; the public welcome for visitors) and the pages the
footer links to (privacy notice, accessibility statement)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from amis.calls import selectors as call_selectors
from amis.dashboard.views import glance
from amis.home import selectors
from amis.programme import selectors as programme_selectors

SERIES_LABELS = {
    "planned": _("Financing plan"),
    "committed": _("Committed in calls"),
    "selected": _("Selected (EU contribution)"),
}


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(
            request,
            "home/welcome.html",
            {
                "programmes": list(programme_selectors.programme_list()),
                "calls": [c for c in call_selectors.call_list(public=True) if c.status == "published"],
            },
        )
    context = selectors.home_for(request.user)
    # the dashboard is the home page of the authority roles that read it (issue 17)
    context["glance"] = glance(request.user)
    if context["glance"]:
        context["figures"] = []
    for index, figure in enumerate(context["figures"]):
        figure["chart"] = selectors.chart_data(figure, SERIES_LABELS)
        figure["chart_id"] = f"figures-{index}"
    context["series_labels"] = SERIES_LABELS
    return render(request, "home/home.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "home/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "home/accessibility.html")
