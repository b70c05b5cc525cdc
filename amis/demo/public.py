"""Demo data for the public face (issue 18): a location for every project with a signed agreement
(the beneficiary's postcode and town, the NUTS 2 region the postcode lies in; Brussels when the
organisation has no address), and one operation withheld from publication — proposed by the
responsible authority's officer, approved by its manager (four eyes) — so the public pages show what
an exclusion hides; then the first publication of the list of operations (the Flemish projects and the
others of the demo, frozen in every format, by the responsible authority's officer), made once.
Through the services, as an officer would; loaded twice without change."""

from __future__ import annotations

from collections.abc import Callable

from amis.accounts.models import User
from amis.projects.models import Project
from amis.public import publications, rules, selectors, services
from amis.public.models import Publication, PublicationDetails, PublicationExclusion

RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
WITHHELD_TITLE = "Werkervaring in de zorg"


def load_public(log: Callable[[str], None] = print) -> None:
    officer, manager = User.objects.get(email=RA_OFFICER), User.objects.get(email=RA_MANAGER)
    signed = Project.objects.filter(agreement__versions__status="signed").distinct()
    for project in signed.select_related("organisation").order_by("reference"):
        if PublicationDetails.objects.filter(project=project).exists():
            continue
        organisation = project.organisation
        postcode = organisation.postcode if organisation.city else "1000"
        services.details_set(
            actor=officer,
            project=project,
            expected_lock_version=None,
            postcode=postcode,
            municipality=organisation.city or "Brussel",
            nuts_code=rules.belgian_nuts2(postcode),
        )
    withheld = signed.filter(application__title=WITHHELD_TITLE).first()
    if withheld is not None and not PublicationExclusion.objects.filter(project=withheld).exists():
        exclusion = services.exclusion_propose(
            actor=officer,
            project=withheld,
            reason=PublicationExclusion.Reason.PERSONAL_DATA,
            text="The care homes taking part could identify the few participants; withheld until the "
            "project ends.",
        )
        services.exclusion_approve(actor=manager, exclusion=exclusion, expected_lock_version=1)
    log(f"Public list: {len(selectors.public_operations())} operations published, 1 withheld.")
    if not Publication.objects.filter(status=Publication.Status.PUBLISHED).exists():
        publication = publications.publish(actor=officer)
        if publication.status != Publication.Status.PUBLISHED:
            raise RuntimeError(f"The demo's list was refused: {publication.refusal_reasons}")
        log(f"First publication of the list: {publication.row_count} operations ({publication.checksum}).")
