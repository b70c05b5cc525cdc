"""The public list: signed projects of adopted programmes only, withheld operations nowhere (list,
one operation, counts, filter choices), natural persons never named nor found, no N+1."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amis.programme.models import ProgrammeVersion
from amis.public import selectors, services
from amis.public.selectors import Filters
from amis.public.tests.helpers import CCI, RA_MANAGER, RA_OFFICER, base, call, operation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    base()
    return {
        "open": operation("PUB-001"),
        "gent": operation("PUB-002", "Gentse Opvang vzw", municipality="Gent"),
        "unsigned": operation("PUB-003", signed=False),
        "person": operation("PUB-004", "Jan Janssens", natural_person=True, municipality="Leuven"),
        "secret": operation(
            "PUB-005",
            "Geheime Opvang vzw",
            municipality="Brugge",
            the_call=call("PUB-CALL-2", specific_objective="SO1"),
        ),
    }


def _codes(filters: Filters | None = None) -> list[str]:
    return [o.code for o in selectors.public_operations(filters)]


def _withhold(project, approve: bool = True) -> None:  # type: ignore[no-untyped-def]
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=project, reason="security", text="x"
    )
    if approve:
        services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1)


def test_signed_operations_with_the_annex_xvii_fields(world) -> None:  # type: ignore[no-untyped-def]
    assert _codes() == ["PUB-001", "PUB-002", "PUB-004", "PUB-005"]
    first = selectors.public_operation("PUB-001")
    assert first is not None
    assert (first.name, first.purpose, first.beneficiary) == (
        "Project PUB-001",
        "Purpose of PUB-001",
        "Vluchtelingenwerk Antwerpen vzw",
    )
    assert (first.total_cost, first.eu_contribution, first.eu_rate) == (
        Decimal("100000.00"),
        Decimal("75000.00"),
        Decimal("0.7500"),
    )
    assert (first.fund, first.period, first.programme, first.specific_objective) == (
        "AMIF",
        "2014-2020",
        CCI,
        "SO2",
    )
    assert (first.postcode, first.municipality, first.nuts_code) == ("2000", "Antwerpen", "BE211")
    assert selectors.public_operation("PUB-003") is None  # not signed


def test_withheld_operation_appears_nowhere(world) -> None:  # type: ignore[no-untyped-def]
    before_count, _ = selectors.public_operations_page(Filters(), 0, 50)
    assert "SO1" in selectors.filter_choices()["specific_objectives"]
    _withhold(world["secret"], approve=False)  # a proposal withholds already
    assert "PUB-005" not in _codes()
    assert selectors.public_operation("PUB-005") is None
    count, rows = selectors.public_operations_page(Filters(), 0, 50)
    assert count == before_count - 1 and "PUB-005" not in [r.code for r in rows]
    assert selectors.public_operations_page(Filters(municipality="Brugge"), 0, 50) == (0, [])
    assert selectors.public_operations_page(Filters(specific_objective="SO1"), 0, 50)[0] == 0
    assert _codes(Filters(text="Geheime")) == []
    # the only operation of SO1 is withheld: the filter does not offer SO1 (it would reveal it)
    assert "SO1" not in selectors.filter_choices()["specific_objectives"]


def test_natural_person_never_named_nor_found(world) -> None:  # type: ignore[no-untyped-def]
    person = selectors.public_operation("PUB-004")
    assert person is not None and person.beneficiary == ""
    assert all("Janssens" not in o.beneficiary for o in selectors.public_operations())
    assert _codes(Filters(beneficiary="Janssens")) == []
    assert _codes(Filters(text="Janssens")) == []
    assert _codes(Filters(municipality="Leuven")) == ["PUB-004"]  # the operation itself is listed


def test_only_programmes_with_an_adopted_version(world) -> None:  # type: ignore[no-untyped-def]
    ProgrammeVersion.objects.filter(programme__cci=CCI, status="adopted").update(status="submitted")
    assert _codes() == []
    assert selectors.filter_choices() == {"periods": [], "specific_objectives": []}


def test_filters(world) -> None:  # type: ignore[no-untyped-def]
    assert _codes(Filters(municipality="gent")) == ["PUB-002"]
    assert _codes(Filters(municipality="2000")) == ["PUB-001", "PUB-002", "PUB-004", "PUB-005"]
    assert _codes(Filters(beneficiary="Gentse")) == ["PUB-002"]
    assert _codes(Filters(specific_objective="SO1")) == ["PUB-005"]
    assert _codes(Filters(period="2021-2027")) == []
    assert _codes(Filters(period="2014-2020", text="PUB-002")) == ["PUB-002"]


def test_fixed_number_of_queries(world) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as few:
        selectors.public_operations()
    for n in range(6, 16):
        operation(f"PUB-1{n:02d}", f"Organisation {n}")
    with CaptureQueriesContext(connection) as many:
        rows = selectors.public_operations()
    assert len(rows) == 14
    assert len(many) == len(few)
