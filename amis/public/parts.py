"""What the public face adds to the project page (`amis.core.pages`, page "project", slot "main"):
for the responsible authority (`publication.manage`), whether the operation is on the public list
(published, withheld — by which exclusion —, or not yet: no signed agreement or no adopted programme
version), and the form recording its location and whether its beneficiary is a natural person.
Registered in `apps.py`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check
from amis.public import selectors, services
from amis.public.forms import LocationForm
from amis.public.models import PublicationDetails


def project_publication(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    if not check(request.user, services.MANAGE).allowed:
        return None
    details = PublicationDetails.objects.filter(project=project).first()
    return {
        "publication_published": selectors.publishable_projects().filter(pk=project.pk).exists(),
        "publication_exclusion": selectors.exclusion_in_force(project),
        "publication_details": details,
        "location_form": LocationForm(initial=LocationForm.initial_for(details)),
    }
