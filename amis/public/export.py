"""The list of operations in open, machine-readable formats (CPR Art. 49(3)): CSV, XLSX, JSON, XML, and
the Kohesio-compatible CSV.

One definition of the columns (`FIELDS`: the fields of Annex XVII and the unique code) serves every
format: the CSV's header, the XLSX's first row, the JSON's properties and the XML's elements are its
names in its order, and the JSON Schema and XSD published beside them (`schemas/`) are tested against
it. Each format is written row by row from `selectors.public_operations_stream` (one query of plain
values, no model objects: a few MB at 20,000 operations), so no file is built in memory: CSV, JSON and
XML stream as they are written, the XLSX is written by openpyxl's write-only workbook to a temporary
file on disk.

Values: amounts in euro with a point and two decimals, the EU rate a fraction with four decimals,
dates ISO 8601 (dd/MM/yyyy in the Kohesio file, as its validator wants). Texts that would start a
formula are neutralised in CSV and XLSX (core.spreadsheet). The licence (CC BY 4.0) is stated in
every file's metadata: the JSON's and XML's header, the XLSX's document properties, and beside the
CSV on the pages and in the DCAT-AP description."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook

from amis.core.spreadsheet import csv_row, xlsx_append
from amis.programme.models import MemberState
from amis.public import kohesio, selectors
from amis.public.selectors import Operation

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "List of operations (CPR Art. 49(3), Annex XVII)"
XML_NAMESPACE = "urn:amis:public:operations:1"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, date, amount, rate, flag
    value: Callable[[Operation], Any]


FIELDS: list[Field] = [
    Field("operation_code", "text", lambda o: o.code),
    Field("operation_name", "text", lambda o: o.name),
    Field("purpose", "text", lambda o: o.purpose),
    Field("beneficiary", "text", lambda o: o.beneficiary),
    Field("start_date", "date", lambda o: o.start_date),
    Field("end_date", "date", lambda o: o.end_date),
    Field("total_cost", "amount", lambda o: o.total_cost),
    Field("eu_contribution", "amount", lambda o: o.eu_contribution),
    Field("eu_cofinancing_rate", "rate", lambda o: o.eu_rate),
    Field("currency", "text", lambda o: "EUR"),
    Field("fund", "text", lambda o: o.fund),
    Field("programming_period", "text", lambda o: o.period),
    Field("programme_cci", "text", lambda o: o.programme),
    Field("specific_objective", "text", lambda o: o.specific_objective),
    Field("type_of_intervention", "text", lambda o: o.type_of_intervention),
    Field("postcode", "text", lambda o: o.postcode),
    Field("municipality", "text", lambda o: o.municipality),
    Field("nuts_code", "text", lambda o: o.nuts_code),
    Field("country_wide", "flag", lambda o: o.country_wide),
    Field("location_note", "text", lambda o: o.location_note),
]
COLUMNS = [f.name for f in FIELDS]


@dataclass(frozen=True)
class Meta:
    """What a file says about itself: when it was made, and the publication it belongs to (if any)."""

    generated_at: dt.datetime
    publication: int | None = None


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _text(field: Field, o: Operation) -> str | None:
    """A value as text (None: no value, a rate without a cost)."""
    value = field.value(o)
    if value is None:
        return None
    if field.kind == "date":
        return str(value.isoformat())
    if field.kind == "amount":
        return _amount(value)
    if field.kind == "flag":
        return "true" if value else "false"
    return str(value)


# -- CSV ---------------------------------------------------------------------------------------------


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value: str) -> str:
        return value


def _csv_value(field: Field, o: Operation) -> str:
    if field.kind == "flag":
        return "yes" if field.value(o) else "no"
    return _text(field, o) or ""


_WRITER = csv.writer(_Line())


def csv_header() -> str:
    return "\ufeff" + _WRITER.writerow(COLUMNS)


def csv_line(o: Operation) -> str:
    return _WRITER.writerow(csv_row([_csv_value(f, o) for f in FIELDS]))


def csv_lines_of(operations: Iterable[Operation]) -> Iterator[str]:
    yield csv_header()
    for o in operations:
        yield csv_line(o)


def csv_lines(filters: selectors.Filters) -> Iterator[str]:
    return csv_lines_of(selectors.public_operations_stream(filters))


# -- JSON --------------------------------------------------------------------------------------------


def json_record(o: Operation) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for f in FIELDS:
        record[f.name] = bool(f.value(o)) if f.kind == "flag" else _text(f, o)
    return record


def _header(meta: Meta) -> dict[str, Any]:
    return {
        "title": TITLE,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "generated_at": meta.generated_at.isoformat(),
        "publication": meta.publication,
    }


def json_head(meta: Meta) -> str:
    return json.dumps(_header(meta), ensure_ascii=False)[:-1] + ', "operations": ['


def json_line(o: Operation, first: bool) -> str:
    return ("\n" if first else ",\n") + json.dumps(json_record(o), ensure_ascii=False)


JSON_TAIL = "\n]}\n"


def json_chunks_of(operations: Iterable[Operation], meta: Meta) -> Iterator[str]:
    yield json_head(meta)
    first = True
    for o in operations:
        yield json_line(o, first)
        first = False
    yield JSON_TAIL


# -- XML ---------------------------------------------------------------------------------------------


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_record(o: Operation) -> str:
    parts = ["<operation>"]
    for f in FIELDS:
        value = _text(f, o)
        if value is not None:  # a rate without a cost has no element (minOccurs 0)
            parts.append(f"<{f.name}>{escape(_NOT_XML.sub('', value))}</{f.name}>")
    parts.append("</operation>\n")
    return "".join(parts)


def xml_head(meta: Meta) -> str:
    attributes = {
        "xmlns": XML_NAMESPACE,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "generated_at": meta.generated_at.isoformat(),
    }
    if meta.publication is not None:
        attributes["publication"] = str(meta.publication)
    opening = " ".join(f"{name}={quoteattr(value)}" for name, value in attributes.items())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<operations {opening}>\n'


XML_TAIL = "</operations>\n"


def xml_chunks_of(operations: Iterable[Operation], meta: Meta) -> Iterator[str]:
    yield xml_head(meta)
    for o in operations:
        yield xml_record(o)
    yield XML_TAIL


# -- XLSX --------------------------------------------------------------------------------------------


def _xlsx_value(field: Field, o: Operation) -> Any:
    value = field.value(o)
    if field.kind == "flag":
        return "yes" if value else "no"
    return value


class XlsxWriter:
    """The list as an XLSX workbook written row by row (openpyxl's write-only mode keeps no rows)."""

    def __init__(self, meta: Meta) -> None:
        self.workbook = Workbook(write_only=True)
        properties = self.workbook.properties
        properties.title = TITLE
        properties.subject = f"Licence: {LICENCE} ({LICENCE_URL})"
        properties.description = (
            f"Licence: {LICENCE} ({LICENCE_URL}); generated {meta.generated_at.isoformat()}"
        )
        properties.keywords = LICENCE
        self.sheet = self.workbook.create_sheet("Operations")
        self.sheet.append(COLUMNS)

    def row(self, o: Operation) -> None:
        xlsx_append(self.sheet, [_xlsx_value(f, o) for f in FIELDS])

    def save(self, target: IO[bytes]) -> None:
        self.workbook.save(target)


def write_xlsx(operations: Iterable[Operation], meta: Meta, target: IO[bytes]) -> None:
    writer = XlsxWriter(meta)
    for o in operations:
        writer.row(o)
    writer.save(target)


# -- Kohesio -----------------------------------------------------------------------------------------


def countries() -> dict[str, str]:
    """The member states' names by their code (one query), for Kohesio's `Country`."""
    return dict(MemberState.objects.values_list("code", "name"))


def kohesio_record(o: Operation, countries: dict[str, str]) -> list[str]:
    """One operation in Kohesio's columns. A country-wide operation is located by its country's NUTS
    code (level 0, the programme's member state: the CCI's letters 5 and 6)."""
    country = o.programme[4:6]
    nuts = o.nuts_code or (country if o.country_wide else "")
    values = {
        "Operation_Unique_Identifier": o.code,
        "Operation_Local_Identifier": o.code,
        "Operation_Name_Programme_Language": o.name,
        "Operation_Name_English": "",
        "Operation_Summary_Programme_Language": o.purpose,
        "Operation_Summary_English": "",
        "Country": countries.get(country, country),
        kohesio.START: kohesio.kohesio_date(o.start_date),
        kohesio.END: kohesio.kohesio_date(o.end_date),
        "Cofinancing_Rate": "" if o.eu_rate is None else f"{o.eu_rate * 100:.2f}",
        "Total_Eligible_Expenditure_amount": _amount(o.total_cost),
        kohesio.CURRENCY: "EUR",
        kohesio.EXCHANGE_RATE: "",
        "Project_EU_Budget": _amount(o.eu_contribution),
        "Beneficiary_Name": o.beneficiary,
        kohesio.POSTCODE: o.postcode,
        kohesio.NUTS: nuts,
        kohesio.LATITUDE_LONGITUDE: "",
        "Category_Of_Intervention": o.type_of_intervention,
        "Fund_Code": o.fund,
        "Programming_Period": o.period,
    }
    return csv_row(values[name] for name in kohesio.COLUMNS)


def kohesio_header() -> str:
    return "\ufeff" + _WRITER.writerow(kohesio.COLUMNS)


def kohesio_line(o: Operation, countries: dict[str, str]) -> str:
    return _WRITER.writerow(kohesio_record(o, countries))


def kohesio_lines_of(operations: Iterable[Operation], countries: dict[str, str]) -> Iterator[str]:
    yield kohesio_header()
    for o in operations:
        yield kohesio_line(o, countries)
