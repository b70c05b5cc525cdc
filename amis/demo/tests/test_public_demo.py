"""The demo's public list: every signed Flemish project located (postcode, town, NUTS 2), the
"Werkervaring in de zorg" operation withheld with four eyes and absent from the list; the first
publication of the list made with the Flemish projects; loaded twice without change."""

from __future__ import annotations

import pytest

from amis.demo import projects as demo
from amis.demo.calls import load_2021_call
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.demo.public import WITHHELD_TITLE, load_public
from amis.public import rules, selectors
from amis.public.models import Publication, PublicationDetails, PublicationExclusion


@pytest.mark.django_db
def test_the_demo_public_list(belgian: object) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)
    load_public(log=quiet)
    load_public(log=quiet)  # twice: nothing new
    exclusion = PublicationExclusion.objects.select_related("project__application").get()
    assert exclusion.status == "approved" and exclusion.approved_by_id != exclusion.proposed_by_id
    assert exclusion.project.application.title == WITHHELD_TITLE
    operations = selectors.public_operations()
    assert operations, "the signed Flemish projects are published"
    assert WITHHELD_TITLE not in [o.name for o in operations]
    assert all(o.municipality and o.nuts_code == rules.belgian_nuts2(o.postcode) for o in operations)
    assert PublicationDetails.objects.count() == len(operations) + 1
    publication = Publication.objects.get()  # one, though loaded twice
    assert publication.status == "published" and publication.row_count == len(operations)
    assert publication.triggered_by is not None and publication.files.count() == 5
    assert WITHHELD_TITLE.encode() not in bytes(publication.files.get(format="json").content)


def test_belgian_postcodes_to_nuts2() -> None:
    assert rules.belgian_nuts2("2800") == "BE21"  # Mechelen, Antwerp
    assert rules.belgian_nuts2("1000") == "BE10"
    assert rules.belgian_nuts2("9000") == "BE23"
    assert rules.belgian_nuts2("6700") == "BE34"
    assert rules.belgian_nuts2("75001") == ""
