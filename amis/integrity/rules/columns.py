"""Header names of the ESF/ISF exports, in English, Dutch and French, mapped to the fields we need.

Officers import what the other funds' systems give them without retyping headers, so headers are
matched loosely (case, accents, punctuation and a unit in brackets do not matter) but never guessed:
an unknown column is reported and ignored. Serves the double-funding check of Regulation (EU) 2021/1060
Art. 63(9) and AMIF national programme BE section 6.6.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from amis.core.messages import gettext as _
from amis.core.messages import gettext_noop
from amis.integrity.rules.records import RowError
from amis.integrity.rules.values import text

# fmt: off
ALIASES: dict[str, tuple[str, ...]] = {
    "beneficiary": (
        "beneficiary", "beneficiary name", "organisation", "organization", "promoter",
        "begunstigde", "naam begunstigde", "promotor", "organisatie",
        "bénéficiaire", "nom du bénéficiaire", "porteur de projet", "organisme",
    ),
    "enterprise_number": (
        "enterprise number", "enterprise no", "company number", "kbo", "bce", "vat", "vat number",
        "ondernemingsnummer", "kbo-nummer", "btw", "btw-nummer",
        "numéro d'entreprise", "numéro bce", "tva", "numéro de tva",
        "unternehmensnummer", "ust-idnr", "ust-id", "umsatzsteuer-identifikationsnummer", "mwst-nummer",
    ),
    "identifier": (
        "identifier", "id", "project id", "project identifier", "project number", "project code",
        "project reference", "projectnummer", "project nummer", "projectcode", "projectreferentie",
        "numéro de projet", "identifiant", "code projet", "code du projet", "référence du projet",
    ),
    "title": (
        "title", "project title", "project name", "titel", "projecttitel", "projectnaam",
        "titre", "titre du projet", "intitulé", "intitulé du projet", "nom du projet",
    ),
    "description": (
        "description", "project description", "summary", "omschrijving", "beschrijving",
        "projectomschrijving", "projectbeschrijving", "samenvatting", "description du projet", "résumé",
    ),
    "start": (
        "start", "start date", "begin", "begin date", "period start", "begindatum", "startdatum",
        "aanvangsdatum", "date de début", "début", "date début",
    ),
    "end": ("end", "end date", "period end", "einddatum", "enddatum", "date de fin", "fin"),
    "total_cost": (
        "total", "total cost", "total costs", "total budget", "total eligible cost", "total eligible costs",
        "totale kost", "totale kosten", "totaal", "totaal budget", "totaalbedrag",
        "coût total", "budget total", "montant total",
    ),
    "eu_amount": (
        "eu", "eu amount", "eu contribution", "union contribution", "esf contribution", "isf contribution",
        "eu-bijdrage", "eu-steun", "eu-subsidie", "europese bijdrage", "esf-bijdrage", "isf-bijdrage",
        "contribution ue", "contribution de l'ue", "contribution européenne", "montant ue",
        "contribution fse", "contribution fsi",
    ),
}
# fmt: on
REQUIRED = ("identifier", "title", "start", "end")
LABELS = {  # in English; `label` gives them in the reader's language
    "beneficiary": gettext_noop("beneficiary"),
    "enterprise_number": gettext_noop("enterprise number (KBO/BCE) or EU VAT number"),
    "identifier": gettext_noop("project identifier"),
    "title": gettext_noop("title"),
    "description": gettext_noop("description"),
    "start": gettext_noop("start date"),
    "end": gettext_noop("end date"),
    "total_cost": gettext_noop("total cost"),
    "eu_amount": gettext_noop("EU amount"),
}


def label(field: str) -> str:
    """A field's name in the reader's language."""
    return _(LABELS[field])


_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
_UNIT = re.compile(r"(?: (?:in|en))? euros?$| eur$")


def normalise(header: str) -> str:
    """'Numéro d'entreprise' -> 'numero d entreprise'; 'Total cost (EUR)' -> 'total cost'."""
    decomposed = unicodedata.normalize("NFKD", _BRACKETS.sub(" ", header))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())
    return _UNIT.sub("", words)


_LOOKUP = {normalise(alias): field for field, aliases in ALIASES.items() for alias in (field, *aliases)}


def map_header(cells: Sequence[object]) -> tuple[dict[str, int], list[RowError], list[RowError]]:
    """(field -> column index, errors, warnings) for the header row, which is row 1."""
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    warnings: list[RowError] = []
    for index, cell in enumerate(cells):
        header = text(cell)
        if not header:
            continue
        field = _LOOKUP.get(normalise(header))
        if field is None:
            warnings.append(
                RowError(
                    1, header, _("Column '%(header)s' is not recognised and is ignored.") % {"header": header}
                )
            )
        elif field in columns:
            first = text(cells[columns[field]])
            errors.append(
                RowError(
                    1,
                    header,
                    _("Columns '%(first)s' and '%(header)s' both give the %(field)s.")
                    % {"first": first, "header": header, "field": label(field)},
                )
            )
        else:
            columns[field] = index
    for field in REQUIRED:
        if field not in columns:
            accepted = ", ".join(f"'{alias}'" for alias in ALIASES[field])
            errors.append(
                RowError(
                    1,
                    field,
                    _("No column for the %(field)s; accepted headers: %(accepted)s.")
                    % {"field": label(field), "accepted": accepted},
                )
            )
    if "enterprise_number" not in columns:
        warnings.append(
            RowError(
                1,
                "enterprise_number",
                _(
                    "No enterprise number (KBO/BCE) column: no project in this file can be matched "
                    "with an AMIF application."
                ),
            )
        )
    return columns, errors, warnings
