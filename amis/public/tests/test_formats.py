"""The list as XLSX, JSON, XML and Kohesio CSV: one column definition for all, the JSON valid against
the published JSON Schema and the XML against the published XSD, the withheld operation and natural
persons' names absent from every format, the Kohesio file passing the Kohesio rules."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from django.test import Client
from lxml import etree
from openpyxl import load_workbook

from amis.public import export, kohesio, publications, services
from amis.public.tests.helpers import RA_MANAGER, RA_OFFICER, base, operation, user

pytestmark = pytest.mark.django_db
SECRETS = ("Janssens", "Geheime", "PUB-005")


@pytest.fixture
def world() -> None:
    base()
    operation("PUB-001", "=HYPERLINK(1) vzw")
    operation("PUB-002", "Gentse Opvang vzw", municipality="Gent")
    operation("PUB-004", "Jan Janssens", natural_person=True)
    secret = operation("PUB-005", "Geheime Opvang vzw", municipality="Gent")
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=secret, reason="security", text="x"
    )
    services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1)


def _body(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 200, path
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return b"".join(response) if hasattr(response, "file_to_stream") else response.content


def test_schemas_name_the_columns_of_the_csv() -> None:
    schema = json.loads(publications.JSON_SCHEMA.read_text())
    operation_schema = schema["$defs"]["operation"]
    assert list(operation_schema["properties"]) == export.COLUMNS
    assert operation_schema["required"] == export.COLUMNS
    xsd = etree.parse(str(publications.XSD))
    names = xsd.xpath(
        "//xs:element[@name='operation']//xs:element/@name",
        namespaces={"xs": "http://www.w3.org/2001/XMLSchema"},
    )
    assert names == export.COLUMNS


def test_schemas_are_served_at_stable_addresses() -> None:
    response = Client().get("/public/operations.schema.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/schema+json")
    assert json.loads(response.content)["$defs"]["operation"]["required"] == export.COLUMNS
    response = Client().get("/public/operations.xsd")
    assert response.status_code == 200 and b"xs:schema" in response.content


def test_json_validates_against_its_schema(world: None) -> None:
    document = json.loads(_body("/public/operations.json"))
    jsonschema.Draft202012Validator(json.loads(publications.JSON_SCHEMA.read_text())).validate(document)
    assert document["licence"] == "CC BY 4.0"
    codes = [o["operation_code"] for o in document["operations"]]
    assert codes == ["PUB-001", "PUB-002", "PUB-004"]
    first = document["operations"][0]
    assert (first["total_cost"], first["eu_cofinancing_rate"], first["start_date"]) == (
        "100000.00",
        "0.7500",
        "2019-03-01",
    )
    assert document["operations"][2]["beneficiary"] == ""
    text = json.dumps(document)
    assert not any(secret in text for secret in SECRETS)


def test_json_follows_the_filters(world: None) -> None:
    document = json.loads(_body("/public/operations.json?municipality=Gent"))
    assert [o["operation_code"] for o in document["operations"]] == ["PUB-002"]
    assert Client().get("/public/operations.json?starts_from=not-a-date").status_code == 400


def test_xml_validates_against_its_xsd(world: None) -> None:
    body = _body("/public/operations.xml")
    document = etree.fromstring(body)
    schema = etree.XMLSchema(etree.parse(str(publications.XSD)))
    assert schema.validate(document), schema.error_log
    ns = {"o": export.XML_NAMESPACE}
    assert document.xpath("//o:operation/o:operation_code/text()", namespaces=ns) == [
        "PUB-001",
        "PUB-002",
        "PUB-004",
    ]
    assert document.get("licence") == "CC BY 4.0"
    assert not any(secret.encode() in body for secret in SECRETS)


def test_xlsx_has_the_columns_and_licence(world: None) -> None:
    workbook = load_workbook(io.BytesIO(_body("/public/operations.xlsx")), read_only=True)
    assert "CC BY 4.0" in (workbook.properties.description or "")
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == export.COLUMNS
    assert [r[0] for r in rows[1:]] == ["PUB-001", "PUB-002", "PUB-004"]
    assert rows[1][3] == "=HYPERLINK(1) vzw"  # kept as text, not a formula
    assert rows[3][3] in ("", None)
    assert not any(secret in str(rows) for secret in SECRETS)


def test_kohesio_csv_passes_the_kohesio_rules(world: None) -> None:
    text = _body("/public/operations-kohesio.csv").decode("utf-8")
    assert kohesio.validate_csv(text) == []
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["Operation_Unique_Identifier"] for r in rows] == ["PUB-001", "PUB-002", "PUB-004"]
    assert rows[0]["Operation_Start_Date"] == "01/03/2019" and rows[0]["Country"] == "Belgium"
    assert rows[0]["Cofinancing_Rate"] == "75.00" and rows[0]["Location_Indicator_NUTS_code"] == "BE211"
    assert rows[2]["Beneficiary_Name"] == ""
    assert not any(secret in text for secret in SECRETS)


def test_every_kohesio_export_of_the_demo_like_data_passes(world: None) -> None:
    """Country-wide operations (no postcode) are located by the country's NUTS code."""
    from amis.public.models import PublicationDetails

    PublicationDetails.objects.filter(project__reference="PUB-002").update(
        postcode="", municipality="", nuts_code="", country_wide=True, location_note="mobile"
    )
    for query in ("", "?municipality=Gent", "?period=2014-2020"):
        text = _body("/public/operations-kohesio.csv" + query).decode("utf-8")
        assert kohesio.validate_csv(text) == [], query
    rows = list(
        csv.DictReader(io.StringIO(_body("/public/operations-kohesio.csv").decode().removeprefix("\ufeff")))
    )
    assert rows[1]["Location_Indicator_NUTS_code"] == "BE"
