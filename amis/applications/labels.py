"""Readable, translated names for the codes an application stores (cost categories, funding
sources, partner roles): forms, pages and the receipt show these; the data keeps the stable codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COST_LABELS = {
    "staff": _("Staff"),
    "travel": _("Travel and subsistence"),
    "equipment": _("Equipment"),
    "consumables": _("Consumables"),
    "subcontracting": _("Subcontracting"),
    "other": _("Other direct costs"),
}
FUNDING_LABELS = {
    "eu": _("EU contribution"),
    "national_public": _("National public co-funding"),
    "own": _("Own contribution"),
    "other": _("Other co-funding"),
}
PARTNER_ROLE_LABELS = {
    "co_beneficiary": _("Co-beneficiary (carries out part of the project and receives part of the grant)"),
    "associate": _("Associated partner (takes part without a share of the grant)"),
    "co_financer": _("Co-financer (contributes to the co-financing plan)"),
}
